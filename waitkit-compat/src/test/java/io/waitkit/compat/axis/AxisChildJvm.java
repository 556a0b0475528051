package io.waitkit.compat.axis;

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

/**
 * A child JVM running {@link AxisChild} on this JVM's class path (the same {@code java}, native
 * access enabled, a small heap, C1 only for a quick start). Its output is read by a daemon
 * thread into a list of lines; every wait is bounded and fails quoting the output;
 * {@link #close()} kills (SIGKILL) and reaps it. Its stdin stays open until {@link #close()}:
 * the child ends itself at EOF.
 */
final class AxisChildJvm implements AutoCloseable {
    /** Starting a JVM on a loaded 2-core machine can take long. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private boolean eof; // guarded by this

    private AxisChildJvm(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread.ofPlatform().daemon().name("axis-child-" + process.pid()).start(this::readOutput);
    }

    static AxisChildJvm start(String... args) {
        return startIgnoring(List.of(), args);
    }

    /**
     * Starts the child through {@code /bin/sh}, which ignores the named signals
     * ({@code trap '' SIGNALS}) and {@code exec}s the JVM, so the JVM starts with them ignored,
     * as under {@code nohup} or as a background job; an empty list starts the JVM directly.
     */
    static AxisChildJvm startIgnoring(List<String> ignored, String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", "-Xss1m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-XX:TieredStopAtLevel=1", AxisChild.class.getName()));
        cmd.addAll(List.of(args));
        if (!ignored.isEmpty()) {
            List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c", "trap '' " + String.join(" ", ignored)
                    + "; exec \"$@\"", "sh"));
            sh.addAll(cmd);
            cmd = sh;
        }
        try {
            return new AxisChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = in.readLine(); l != null; l = in.readLine()) {
                synchronized (this) {
                    lines.add(l);
                    notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        } finally {
            synchronized (this) {
                eof = true;
                notifyAll();
            }
        }
    }

    long pid() {
        return process.pid();
    }

    synchronized String describe() {
        return "child " + process.pid() + (process.isAlive() ? " (running)" : " (exited " + process.exitValue() + ")")
                + ", output:\n" + String.join("\n", lines);
    }

    /** Waits for the first line starting with {@code prefix}; returns it. */
    String awaitLine(String prefix) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        synchronized (this) {
            for (;;) {
                for (String l : lines) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
                long left = deadline - System.nanoTime();
                if (eof || left <= 0) {
                    throw new AssertionError((eof ? "output ended" : "timed out") + " without a line " + prefix + "; "
                            + describe());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted; " + describe(), e);
                }
            }
        }
    }

    /** The lines printed so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to " + describe(), e);
        }
    }

    /** Waits (bounded) for the exit; returns the exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("did not exit within " + PATIENCE + "; " + describe());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
