package io.waitkit.ipc.internal;

/*
 * The identity of a process that survives pid reuse: its pid together with its start time,
 * field 22 (starttime, clock ticks since boot) of /proc/<pid>/stat. A robust mutex records its
 * owner's identity; when the pid is reused by a later process, the start time differs, so the
 * owner reads as dead and not as the newcomer.
 *
 * What holds: the start time of a process never changes while it lives, and two processes with
 * the same pid cannot have started in the same clock tick (the first must have exited and been
 * reaped before the pid could be handed out again). A zombie (state Z) or a dying task (state X)
 * counts as dead: it holds nothing any more, even though its /proc entry is still there.
 *
 * Parsing: field 2 (comm) is the executable name in parentheses and may itself contain spaces
 * and ')' characters, so the fields after it are found after the LAST ')' of the line.
 *
 * Failure modes and limits: startTimeOf answers -1 for any process whose stat cannot be read, so
 * a process made invisible by /proc mounted with hidepid, or one in another pid namespace, reads
 * as dead. Processes that share a directory of mapped files (a /dev/shm bind-mounted into
 * containers, say) but live in different pid namespaces see different pids for one another:
 * that is out of scope, and such sharing must not rely on these identities. Between reading the
 * stat and acting on the answer a process may die; a caller that finds an owner alive must
 * expect it to die later, never the other way round (a dead process does not come back).
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process by pid and start time ({@code starttime} of {@code /proc/<pid>/stat}, in clock
 * ticks since boot), which tells a live process from a later one that reuses its pid. Processes
 * in other pid namespaces are out of scope.
 *
 * @param pid the process id, as this process's pid namespace sees it
 * @param startTime its start time in clock ticks since boot
 */
public record ProcessIdentity(long pid, long startTime) {
    private static volatile ProcessIdentity self;

    /**
     * The identity of this process, read once.
     *
     * @return this process's identity
     * @throws IllegalStateException when {@code /proc/<pid>/stat} of this process cannot be read
     */
    public static ProcessIdentity self() {
        ProcessIdentity s = self;
        if (s == null) {
            long pid = ProcessHandle.current().pid();
            long start = startTimeOf(pid);
            if (start < 0) {
                throw new IllegalStateException("cannot read the start time of this process from /proc/" + pid
                        + "/stat (is /proc mounted?)");
            }
            s = new ProcessIdentity(pid, start);
            self = s;
        }
        return s;
    }

    /**
     * The start time of a live process.
     *
     * @param pid the process id
     * @return its start time in clock ticks since boot, or -1 when there is no such process (or
     *         it cannot be seen), or it is a zombie or dying
     * @throws IllegalStateException when its stat line cannot be parsed
     */
    public static long startTimeOf(long pid) {
        if (pid <= 0) {
            return -1;
        }
        String line;
        try {
            line = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            // NoSuchFileException when it is gone; ESRCH when it went while being read
            return -1;
        }
        return parseStartTime(line);
    }

    /**
     * Whether this process is still running: the pid exists, is not a zombie and has the same
     * start time.
     *
     * @return true when alive
     */
    public boolean isAlive() {
        return isAlive(pid, startTime);
    }

    /**
     * Whether the process with this pid and start time is still running.
     *
     * @param pid the process id
     * @param startTime its start time as recorded
     * @return true when a live, non-zombie process has this pid and this start time
     */
    public static boolean isAlive(long pid, long startTime) {
        return startTime >= 0 && startTimeOf(pid) == startTime;
    }

    /**
     * Reads the start time out of a {@code /proc/<pid>/stat} line.
     *
     * @param statLine the line
     * @return field 22, or -1 when the state (field 3) is {@code Z} or {@code X}
     * @throws IllegalStateException when the line does not have the expected shape
     */
    static long parseStartTime(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0 || statLine.indexOf('(') < 0 || statLine.indexOf('(') > close) {
            throw new IllegalStateException("malformed /proc stat line (no \"(comm)\"): " + statLine);
        }
        String[] fields = statLine.substring(close + 1).strip().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3]
        if (fields.length < 22 - 2) {
            throw new IllegalStateException("malformed /proc stat line (too few fields): " + statLine);
        }
        String state = fields[0];
        if (state.equals("Z") || state.equals("X")) {
            return -1;
        }
        try {
            long start = Long.parseLong(fields[22 - 3]);
            if (start < 0) {
                throw new IllegalStateException("malformed /proc stat line (negative starttime): " + statLine);
            }
            return start;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("malformed /proc stat line (starttime not a number): " + statLine, e);
        }
    }
}
