package io.waitkit.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running {@link IpcChild} on this JVM's class path, for the cross-process tests.
 *
 * <p>The child is the same {@code java} as this JVM ({@code ProcessHandle.current().info()}),
 * with {@code --enable-native-access=ALL-UNNAMED} and {@code -Xss1m} as the tests have, a small
 * serial-GC heap (several children run at once on small CI machines) and, unless
 * {@link #startOptimized} is used, C1 only (it starts faster; the crash tests start many).
 * stdout and stderr are merged and read by a daemon thread into a buffer: every line is kept,
 * for {@link #awaitLine} and for the failure messages, which always quote the child's output.
 * The child's stdin stays open while this object lives: {@link #send} writes a command line to
 * it, and the child ends itself when it reads end-of-file (this JVM died or closed it), so no
 * child outlives a crashed test JVM.
 *
 * <p>Every wait is bounded and fails with an {@link AssertionError} that quotes the output.
 * {@link #close()} always kills (SIGKILL) and reaps the child.
 */
final class ChildJvm implements AutoCloseable {
    /** How long a child may take to start and print its first line on a busy 2-core machine. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String label;
    private final Process process;
    private final OutputStream stdin;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private final StringBuilder output = new StringBuilder(); // guarded by this
    private boolean eof; // guarded by this

    private ChildJvm(String label, Process process) {
        this.label = label;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.reader = Thread.ofPlatform().daemon().name("child-output-" + process.pid()).start(this::readOutput);
    }

    /**
     * Starts {@code IpcChild} with these arguments (C1 only: the quickest start).
     *
     * @param args the command and its arguments
     * @return the running child
     */
    static ChildJvm start(String... args) {
        return start(false, args);
    }

    /**
     * Starts {@code IpcChild} with both JIT tiers (for children that run long loops).
     *
     * @param args the command and its arguments
     * @return the running child
     */
    static ChildJvm startOptimized(String... args) {
        return start(true, args);
    }

    /**
     * Starts {@code IpcChild} (C1 only) with extra JVM options before the main class.
     *
     * @param jvmOptions the options, for example {@code List.of("-Xrs")}
     * @param args the command and its arguments
     * @return the running child
     */
    static ChildJvm startWithOptions(List<String> jvmOptions, String... args) {
        return start(false, jvmOptions, args);
    }

    /**
     * Starts {@code IpcChild} (C1 only) through {@code /bin/sh}, which ignores the named signals
     * ({@code trap '' SIGNALS}) and then {@code exec}s the JVM: the JVM starts with them ignored,
     * as under {@code nohup} or as a background job of a non-interactive shell. The pid is the
     * JVM's ({@code exec} keeps the shell's).
     *
     * @param ignored the signals as {@code trap} names them, for example {@code List.of("HUP", "INT")}
     * @param args the command and its arguments
     * @return the running child
     */
    static ChildJvm startIgnoring(List<String> ignored, String... args) {
        return start(false, List.of(), ignored, args);
    }

    private static ChildJvm start(boolean optimized, String... args) {
        return start(optimized, List.of(), args);
    }

    private static ChildJvm start(boolean optimized, List<String> jvmOptions, String... args) {
        return start(optimized, jvmOptions, List.of(), args);
    }

    private static ChildJvm start(boolean optimized, List<String> jvmOptions, List<String> ignored, String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException(
                "cannot find this JVM's java command"));
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xss1m");
        cmd.add("-Xmx64m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");
        if (!optimized) {
            cmd.add("-XX:TieredStopAtLevel=1");
        }
        cmd.addAll(jvmOptions);
        cmd.add(IpcChild.class.getName());
        cmd.addAll(List.of(args));
        if (!ignored.isEmpty()) {
            List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' " + String.join(" ", ignored)
                    + "; exec \"$@\"", "sh"));
            sh.addAll(cmd);
            cmd = sh;
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        try {
            return new ChildJvm(String.join(" ", args), pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM: " + cmd, e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (this) {
                    lines.add(line);
                    output.append(line).append('\n');
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                output.append("[output read failed: ").append(e).append("]\n");
            }
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    /** The child's pid. */
    long pid() {
        return process.pid();
    }

    /** Everything the child printed so far. */
    synchronized String output() {
        return output.toString();
    }

    /** A description for failure messages: the command, the pid, the state and the output. */
    String describe() {
        String state = process.isAlive() ? "running" : "exited " + process.exitValue();
        return "child " + pid() + " [" + label + "] (" + state + "), output:\n" + output();
    }

    /**
     * Waits for the first line that equals {@code line} or starts with {@code line + " "}.
     *
     * @param line the expected line (a word such as {@code READY})
     * @param timeout the longest wait
     * @return the whole line
     * @throws AssertionError on timeout, or if the child's output ends first
     */
    String awaitLine(String line, Duration timeout) {
        return awaitLine(l -> l.equals(line) || l.startsWith(line + " "), line, timeout);
    }

    /**
     * Waits for the first line (from the start of the output) that matches.
     *
     * @param match the test
     * @param what a description for the failure message
     * @param timeout the longest wait
     * @return the line
     * @throws AssertionError on timeout, or if the child's output ends first
     */
    String awaitLine(Predicate<String> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            for (int seen = 0; ; ) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                if (eof) {
                    throw new AssertionError("child output ended without a line " + what + "; " + describe());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    threadDump();
                    throw new AssertionError("no line " + what + " within " + timeout + "; " + describe());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for " + what + "; " + describe(), e);
                }
            }
        }
    }

    /**
     * Asks a running child for a thread dump (SIGQUIT: the JVM prints it to its stdout, which
     * lands in {@link #output()}) and gives it up to 2 s to appear; for the failure message of
     * a child that hangs. Called with or without this object's monitor.
     */
    void threadDump() {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process k = new ProcessBuilder("kill", "-QUIT", Long.toString(pid())).redirectErrorStream(true).start();
            k.waitFor(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            synchronized (this) {
                while (!eof && !output.toString().contains("JNI global refs") && System.nanoTime() - deadline < 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, deadline - System.nanoTime()));
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                output.append("[no thread dump: ").append(e).append("]\n");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a line equal to {@code line} or starting with {@code line + " "} was printed. */
    synchronized boolean hasLine(String line) {
        return lines.stream().anyMatch(l -> l.equals(line) || l.startsWith(line + " "));
    }

    /**
     * The lines the child wrote so far.
     *
     * @return a copy
     */
    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }

    /**
     * Writes one command line to the child's stdin.
     *
     * @param command the line
     */
    void send(String command) {
        try {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot send " + command + " to " + describe(), e);
        }
    }

    /**
     * Waits for the child to exit (its output read to the end).
     *
     * @param timeout the longest wait
     * @return the exit code
     * @throws AssertionError on timeout (the child is killed then)
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                threadDump();
                String d = describe();
                kill();
                throw new AssertionError("child did not exit within " + timeout + "; " + d);
            }
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the exit of " + describe(), e);
        }
        return process.exitValue();
    }

    /**
     * Waits for the child to exit and checks it exited with 0.
     *
     * @param timeout the longest wait
     */
    void awaitSuccess(Duration timeout) {
        int rc = awaitExit(timeout);
        if (rc != 0) {
            throw new AssertionError("child exited with " + rc + "; " + describe());
        }
    }

    /**
     * The exit code of a child that ended (137 = 128 + SIGKILL for one killed by {@link #kill()}).
     *
     * @throws IllegalThreadStateException if it is still running
     */
    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends SIGKILL ({@link ProcessHandle#destroyForcibly()} on Linux) and waits until the child
     * is reaped; idempotent. The child's output stays readable to its end.
     */
    void kill() {
        // through the process handle: Process.destroyForcibly() also closes this side of the
        // child's output pipe, and what the child wrote before it died but was not read yet
        // would be lost (a consumer's receipts in the queue crash test)
        process.toHandle().destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("child did not die within 30 s of SIGKILL; " + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the death of " + describe(), e);
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the pipe is broken: the child is gone
        }
    }

    /** Kills the child (SIGKILL) and reaps it. */
    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "ChildJvm[" + pid() + " " + label + "]";
    }

    /**
     * Polls {@code condition} (every millisecond) until it holds; for states that another
     * process changes and nothing signals to this one (a waiter count, an opener count).
     *
     * @param condition the condition
     * @param timeout the longest wait
     * @param what the failure message, evaluated on timeout (quote the children's output there)
     * @throws AssertionError on timeout
     */
    static void until(java.util.function.BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what.get());
            }
        }
    }
}
