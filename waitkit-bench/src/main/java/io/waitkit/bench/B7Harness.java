package io.waitkit.bench;

import io.waitkit.Waitable;
import io.waitkit.ipc.NamedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        return CPeer.unavailable("the C futex peer");
    }

    /** Where the C peer is built (see {@link CPeer#buildDirectory}). */
    static Path buildDirectory() {
        return CPeer.buildDirectory();
    }

    /**
     * Compiles the C peer with {@code gcc -O2} (its source comes from the jar).
     *
     * @param dir where the source and the program go
     * @return the program
     * @throws IllegalStateException if the compiler fails
     */
    static Path compileC(Path dir) throws IOException, InterruptedException {
        return CPeer.compile(dir, C_SOURCE, List.of());
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
                try (ChildProcess c = new ChildProcess("B7", cmd, log)) {
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
            try (ChildProcess echo = new ChildProcess("B7", java(plan, echoArgs), log)) {
                echo.awaitLine(B7PingPong.READY, Duration.ofSeconds(60));
                try (ChildProcess ping = new ChildProcess("B7", java(plan, pingArgs), log)) {
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
        return ChildProcess.classPath(List.of(B7PingPong.class, NamedEvent.class, Waitable.class));
    }

    private static void deleteTree(Path dir) {
        ChildProcess.deleteTree(dir, "B7");
    }
}
