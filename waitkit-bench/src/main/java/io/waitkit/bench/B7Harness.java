package io.waitkit.bench;

import io.waitkit.Waitable;
import io.waitkit.ipc.NamedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the sides of B7 (BENCHMARKS.md), the cross-process ping-pong, each in fresh processes: the
 * Java sides ({@link B7PingPong}: named events on platform or virtual threads, the Unix-domain
 * socket) as two JVMs with the same flags, the C peer ({@code src/main/c/b7_futex_pingpong.c},
 * packaged in the jar and compiled here with {@code gcc -O2}) as one program that forks its echo
 * process. Every child is killed when its side is done, also when it failed or hung.
 */
final class B7Harness {
    /** The C peer's source, a resource next to this class. */
    static final String C_SOURCE = "b7_futex_pingpong.c";
    /** The C compiler; the rows against the C peer are skipped where it is missing. */
    static final String CC = "gcc";

    private B7Harness() {
    }

    /** One side of B7: the measurement {@code B7.<name>}. */
    enum Side {
        /** NamedEvent ping-pong, the loop on platform threads. */
        EVENT_PLATFORM("event-platform"),
        /** NamedEvent ping-pong, the loop on a virtual thread in each process. */
        EVENT_VIRTUAL("event-virtual"),
        /** One byte each way over a Unix-domain socket (blocking SocketChannel). */
        SOCKET("socket"),
        /** C, shared futex, 100 CAS attempts before sleeping. */
        C_SPIN("c-spin"),
        /** C, shared futex, sleeping at once. */
        C_WAIT("c-wait");

        final String id;

        Side(String id) {
            this.id = id;
        }

        /** The measurement key. */
        String key() {
            return "B7." + id;
        }

        /** Whether this side is the C program. */
        boolean isC() {
            return this == C_SPIN || this == C_WAIT;
        }

        static Side ofKey(String key) {
            for (Side s : values()) {
                if (s.key().equals(key)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("not a B7 measurement: " + key);
        }
    }

    /**
     * How long one process pair measures.
     *
     * @param warmupMillis the unmeasured warm-up
     * @param samples how many samples
     * @param sampleMillis the least length of one sample
     * @param jvmArgs the flags of both JVMs (of every Java side alike)
     */
    record Plan(long warmupMillis, int samples, long sampleMillis, List<String> jvmArgs) {
        /** The plan of the suite's settings: warm-up and samples as the JMH iterations. */
        static Plan of(Settings s) {
            return new Plan((long) s.warmupIterations() * s.warmupMillis(), s.measurementIterations(),
                    s.measurementMillis(), s.jvmArgs());
        }

        /** The deadline of each child: the planned time and a minute for starting up. */
        int deadlineSeconds() {
            return (int) ((warmupMillis + samples * sampleMillis) / 1000) + 60;
        }
    }

    /**
     * Why the C peer cannot run on this machine.
     *
     * @return the reason, or null if it can run
     */
    static String cUnavailable() {
        String os = System.getProperty("os.name", "?");
        if (!os.toLowerCase(Locale.ROOT).contains("linux")) {
            return "the C futex peer needs Linux, this is " + os;
        }
        if (onPath(CC) == null) {
            return "no C compiler: " + CC + " is not on the PATH";
        }
        return null;
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Where the C peer is built: the build folder the jar (or the classes) sit in, {@code target/},
     * else {@code waitkit-bench-b7-<user>} in the temporary folder (reused, so runs leave no litter).
     */
    static Path buildDirectory() throws IOException {
        try {
            Path here = Path.of(B7Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = here.getParent();
            if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("target")
                    && Files.isWritable(dir)) {
                return dir;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall back
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "");
        return Path.of(System.getProperty("java.io.tmpdir"), "waitkit-bench-b7-" + user);
    }

    /**
     * Compiles the C peer with {@code gcc -O2} (its source comes from the jar).
     *
     * @param dir where the source and the program go
     * @return the program
     * @throws IllegalStateException if the compiler fails
     */
    static Path compileC(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path src = dir.resolve(C_SOURCE);
        try (InputStream in = B7Harness.class.getResourceAsStream(C_SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + C_SOURCE + " is missing from the jar");
            }
            Files.copy(in, src, StandardCopyOption.REPLACE_EXISTING);
        }
        Path exe = dir.resolve("b7_futex_pingpong");
        // built under a name of its own, then moved: two runs at once must not run a half-written program
        Path tmp = dir.resolve("b7_futex_pingpong." + ProcessHandle.current().pid() + ".tmp");
        List<String> cmd = List.of(CC, "-O2", "-Wall", "-o", tmp.toString(), src.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", cmd) + " did not end within 120 s");
            }
        } finally {
            p.destroyForcibly();
        }
        if (p.exitValue() != 0) {
            Files.deleteIfExists(tmp);
            throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        Files.move(tmp, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return exe;
    }

    /**
     * The result of one run of a side.
     *
     * @param samplesNs nanoseconds per round trip, one value per sample
     * @param roundTrips how many round trips the samples cover
     */
    record Result(List<Double> samplesNs, long roundTrips) {
    }

    /**
     * Measures one side once, in fresh processes.
     *
     * @param side the side
     * @param plan how long
     * @param cProgram the compiled C peer (for the C sides)
     * @param log receives the commands and the output of the processes (also when they failed)
     * @return the samples
     * @throws IllegalStateException if a process failed, hung or printed no result
     */
    static Result run(Side side, Plan plan, Path cProgram, StringBuilder log) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("waitkit-b7-");
        try {
            int deadline = plan.deadlineSeconds();
            String warm = Long.toString(plan.warmupMillis());
            String samples = Integer.toString(plan.samples());
            String sample = Long.toString(plan.sampleMillis());
            String dl = Integer.toString(deadline);
            if (side.isC()) {
                if (cProgram == null) {
                    throw new IllegalArgumentException("no C program for " + side.key());
                }
                List<String> cmd = List.of(cProgram.toString(), side == Side.C_SPIN ? "spin" : "wait",
                        work.resolve("events").toString(), warm, samples, sample, dl);
                try (Child c = new Child(cmd, log)) {
                    return result(side, c.finish(deadline + 10));
                }
            }
            List<String> echoArgs;
            List<String> pingArgs;
            if (side == Side.SOCKET) {
                String socket = work.resolve("s").toString();
                echoArgs = List.of("socket-echo", socket, dl);
                pingArgs = List.of("socket-ping", socket, warm, samples, sample, dl);
            } else {
                Path ns = work.resolve("ns"); // created by Namespace.open in the echo process
                String threads = side == Side.EVENT_PLATFORM ? "platform" : "virtual";
                echoArgs = List.of("event-echo", ns.toString(), threads, dl);
                pingArgs = List.of("event-ping", ns.toString(), threads, warm, samples, sample, dl);
            }
            try (Child echo = new Child(java(plan, echoArgs), log)) {
                echo.awaitLine(B7PingPong.READY, Duration.ofSeconds(60));
                try (Child ping = new Child(java(plan, pingArgs), log)) {
                    return result(side, ping.finish(deadline + 10));
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    private static Result result(Side side, String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith(B7PingPong.RESULT)) {
                Map<?, ?> m = (Map<?, ?>) Json.parse(line.substring(B7PingPong.RESULT.length()));
                if (!side.id.equals(m.get("peer"))) {
                    throw new IllegalStateException(side.key() + ": the result is of " + m.get("peer"));
                }
                List<Double> ns = new ArrayList<>();
                for (Object o : (List<?>) m.get("samples_ns")) {
                    double d = ((Number) o).doubleValue();
                    if (!(d > 0) || !Double.isFinite(d)) {
                        throw new IllegalStateException(side.key() + ": not a time: " + d + "\n" + output);
                    }
                    ns.add(d);
                }
                return new Result(ns, (long) Stats.num(m, "round_trips"));
            }
        }
        throw new IllegalStateException(side.key() + ": no result line:\n" + output);
    }

    /** The command of a child JVM: this java, the suite's flags, native access, this class path. */
    private static List<String> java(Plan plan, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(plan.jvmArgs());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(B7PingPong.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The class path of the child JVMs: wherever this class, {@link NamedEvent} and the core come
     * from (one jar when running from waitkit-bench.jar; folders and jars in the unit tests).
     */
    static String classPath() {
        Set<String> parts = new LinkedHashSet<>();
        for (Class<?> c : List.of(B7PingPong.class, NamedEvent.class, Waitable.class)) {
            try {
                parts.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException | RuntimeException e) {
                throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("B7: could not delete " + dir + ": " + e);
        }
    }

    /** A child process whose output (stdout and stderr) is collected line by line; closing kills it. */
    private static final class Child implements AutoCloseable {
        private final List<String> cmd;
        private final Process process;
        private final StringBuilder out = new StringBuilder();
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;
        private final StringBuilder log;

        Child(List<String> cmd, StringBuilder log) throws IOException {
            this.cmd = cmd;
            this.log = log;
            this.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            this.reader = Thread.ofPlatform().daemon().name("b7-output-" + process.pid()).start(() -> {
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

        private String output() {
            synchronized (out) {
                return out.toString();
            }
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
                    throw new IllegalStateException("B7: " + String.join(" ", cmd) + " ended (exit "
                            + process.exitValue() + ") before printing " + line + ":\n" + output());
                }
                if (System.nanoTime() - end > 0) {
                    throw new IllegalStateException("B7: no " + line + " within " + limit.toSeconds() + " s from "
                            + String.join(" ", cmd) + ":\n" + output());
                }
            }
        }

        /** Waits for the child to end with status 0 and returns its output. */
        String finish(int seconds) throws InterruptedException {
            boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
            if (!ended) {
                throw new IllegalStateException("B7: " + String.join(" ", cmd) + " did not end within " + seconds
                        + " s:\n" + output());
            }
            reader.join(10_000);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("B7: " + String.join(" ", cmd) + " failed (exit "
                        + process.exitValue() + "):\n" + output());
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
            log.append("$ ").append(String.join(" ", cmd)).append('\n').append(output()).append('\n');
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
