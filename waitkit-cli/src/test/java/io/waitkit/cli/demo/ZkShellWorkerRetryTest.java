package io.waitkit.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry of the shell worker of {@code waitkit demo --zk} (script {@code zk-shell-worker.sh}):
 * a {@code waitkit ... --zk} command that got no first connection (exit code 1 and the CLI's
 * "the wait for a first connection" message, which {@code CliZkCommandsTest} checks the real
 * command prints) is run again, three tries in all; any other failure is not. The script runs
 * under {@code /bin/sh} with, as its {@code waitkit} command, a script written here that
 * records its calls and fails the first ones as the CLI does when no server answers (an
 * ensemble electing a leader), then answers as the commands do: the script's own logic is
 * what is tested, in well under a second.
 */
class ZkShellWorkerRetryTest {
    private static final String NO_CONNECTION = "waitkit: no ZooKeeper server of \"127.0.0.1:1\" answered within 5000 ms"
            + " (the wait for a first connection; is the ensemble up, and is the connect string host:port[,host:port...]?)";

    @TempDir
    Path dir;

    /** What one run of the script did. */
    private record Run(int code, List<String> lines, List<String> calls) {
    }

    /**
     * Runs the script for one job (JOBS 1, MAX 1) with a {@code waitkit} command whose first
     * {@code failures} calls fail with exit code 1 and {@code message} on stderr.
     */
    private Run run(int failures, String message) throws Exception {
        Path script = dir.resolve("zk-shell-worker.sh");
        try (InputStream in = ShellWorker.class.getResourceAsStream("zk-shell-worker.sh")) {
            assertTrue(in != null, "zk-shell-worker.sh on the class path");
            Files.copy(in, script);
        }
        Path calls = dir.resolve("calls");
        Files.writeString(calls, "");
        Path waitkit = dir.resolve("waitkit");
        Files.writeString(waitkit, "#!/bin/sh\n"
                + "echo \"$*\" >> '" + calls + "'\n"
                + "if [ \"$(wc -l < '" + calls + "')\" -le " + failures + " ]; then\n"
                + "  printf '%s\\n' '" + message.replace("'", "'\\''") + "' >&2\n"
                + "  exit 1\n"
                + "fi\n"
                + "if [ \"$1\" = counter ]; then echo 1; fi\n" // the first job number taken: job 0
                + "exit 0\n");
        Files.setPosixFilePermissions(waitkit, PosixFilePermissions.fromString("rwx------"));
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder("/bin/sh", script.toString(), waitkit.toString(), "127.0.0.1:1", "/demo", "4", "1", "1")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script ended");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readAllLines(calls, StandardCharsets.UTF_8));
    }

    @Test
    void aCommandThatGotNoFirstConnectionIsRunAgainAndTheWorkerCarriesOn() throws Exception {
        Run r = run(2, NO_CONNECTION);
        assertEquals(0, r.code(), () -> String.join("\n", r.lines()));
        String take = "counter add next-job 1 --zk=127.0.0.1:1 --zk-root=/demo";
        assertEquals(List.of(take, take, take), r.calls().subList(0, 3), () -> String.join("\n", r.calls()));
        assertEquals(2, r.lines().stream().filter(l -> l.equals("C 0 waitkit counter add: no server answered (an election?),"
                + " trying again")).count(), () -> String.join("\n", r.lines()));
        assertTrue(r.lines().contains("S 1 job 0: reported"), () -> String.join("\n", r.lines()));
        assertTrue(r.lines().contains("S 1 shutdown: done"), () -> String.join("\n", r.lines()));
        assertEquals(7, r.calls().size(), () -> String.join("\n", r.calls())); // 3 tries, sem wait, sem post, mq send, event wait
    }

    @Test
    void aCommandThatGotNoFirstConnectionThreeTimesEndsTheWorkerWithAnError() throws Exception {
        Run r = run(3, NO_CONNECTION);
        assertEquals(1, r.code(), () -> String.join("\n", r.lines()));
        assertEquals(3, r.calls().size(), () -> String.join("\n", r.calls()));
        assertTrue(r.lines().contains("X 0 could not take a job number from next-job"), () -> String.join("\n", r.lines()));
        assertTrue(r.lines().contains(NO_CONNECTION), () -> String.join("\n", r.lines())); // the last try's error, passed on
    }

    @Test
    void aCommandThatFailedForAnotherReasonIsNotRunAgain() throws Exception {
        Run r = run(1, "waitkit: counter next-job: not a counter");
        assertEquals(1, r.code(), () -> String.join("\n", r.lines()));
        assertEquals(1, r.calls().size(), () -> String.join("\n", r.calls()));
        assertTrue(r.lines().stream().noneMatch(l -> l.startsWith("C ")), () -> String.join("\n", r.lines()));
        assertTrue(r.lines().contains("X 0 could not take a job number from next-job"), () -> String.join("\n", r.lines()));
    }
}
