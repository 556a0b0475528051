package io.waitkit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A child process of a cross-process benchmark (B7, B8) whose output (stdout and stderr together)
 * is collected line by line by a daemon thread. Every wait on it is bounded, and closing it kills
 * it (if it still runs) and appends its command and output to the caller's log, so a child never
 * outlives the side that started it, also when that side failed or hung.
 */
final class ChildProcess implements AutoCloseable {
    private final String label;
    private final List<String> cmd;
    private final Process process;
    private final StringBuilder out = new StringBuilder();
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final StringBuilder log;

    /**
     * Starts the process.
     *
     * @param label the benchmark id, for messages ({@code B7})
     * @param cmd the command
     * @param log receives the command and the output when the child is closed
     */
    ChildProcess(String label, List<String> cmd, StringBuilder log) throws IOException {
        this.label = label;
        this.cmd = cmd;
        this.log = log;
        this.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        this.reader = Thread.ofPlatform().daemon().name(label.toLowerCase(java.util.Locale.ROOT) + "-output-"
                + process.pid()).start(() -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            synchronized (out) {
                                out.append(line).append('\n');
                            }
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the process was killed
                    }
                });
    }

    /** What the child printed so far. */
    String output() {
        synchronized (out) {
            return out.toString();
        }
    }

    private String command() {
        return String.join(" ", cmd);
    }

    /** Waits until the child prints the line, fails if it ends or the time is up first. */
    void awaitLine(String line, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (;;) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line.equals(l)) {
                return;
            }
            if (l == null && !process.isAlive() && lines.isEmpty()) {
                reader.join(5_000);
                throw new IllegalStateException(label + ": " + command() + " ended (exit " + process.exitValue()
                        + ") before printing " + line + ":\n" + output());
            }
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException(label + ": no " + line + " within " + limit.toSeconds() + " s from "
                        + command() + ":\n" + output());
            }
        }
    }

    /**
     * Waits for the child to end and returns its exit status; its output is complete then.
     *
     * @throws IllegalStateException if it does not end in time
     */
    int await(int seconds) throws InterruptedException {
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            throw new IllegalStateException(label + ": " + command() + " did not end within " + seconds + " s:\n"
                    + output());
        }
        reader.join(10_000);
        return process.exitValue();
    }

    /** Waits for the child to end with status 0 and returns its output. */
    String finish(int seconds) throws InterruptedException {
        int status = await(seconds);
        if (status != 0) {
            throw new IllegalStateException(label + ": " + command() + " failed (exit " + status + "):\n" + output());
        }
        return output();
    }

    /** Kills the child (if it still runs) and adds its command and output to the log. */
    @Override
    public void close() {
        process.destroyForcibly();
        boolean interrupted = false;
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        log.append("$ ").append(command()).append('\n').append(output()).append('\n');
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A class path of the classes' code sources (one jar when running from waitkit-bench.jar;
     * folders and jars in the unit tests), each once, in order.
     *
     * @throws IllegalStateException if a class has no code source on disk
     */
    static String classPath(List<Class<?>> classes) {
        Set<String> parts = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException | RuntimeException e) {
                throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** Deletes a folder and what it holds, best effort (says so on stderr where it could not). */
    static void deleteTree(Path dir, String label) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println(label + ": could not delete " + dir + ": " + e);
        }
    }
}
