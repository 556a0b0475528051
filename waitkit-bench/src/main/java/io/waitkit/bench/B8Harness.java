package io.waitkit.bench;

import io.waitkit.Waitable;
import io.waitkit.ipc.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * Runs the sides of B8 (BENCHMARKS.md), one producer and one consumer of 64-byte messages in two
 * processes, each side in fresh processes: the waitkit {@code NamedMessageQueue} and the Agrona
 * ring buffer as two JVMs with the same flags ({@link B8Peers}), the POSIX message queue peer
 * ({@code src/main/c/b8_mq_throughput.c}, packaged in the jar and compiled here with
 * {@code gcc -O2 ... -lrt}) as one program that forks its producer. All three use the same message
 * size, the same capacity ({@link #capacity}), the same message count and the same check of every
 * message. Every child is killed when its side is done, also when it failed or hung.
 */
final class B8Harness {
    /** The C peer's source, a resource next to this class. */
    static final String C_SOURCE = "b8_mq_throughput.c";
    /** The message size of every side. */
    static final int MESSAGE_SIZE = 64;
    /** The capacity B8 asks for; less where the POSIX queue limits of the machine allow less. */
    static final int WANTED_CAPACITY = 64;
    /** Where Linux says how many messages a POSIX queue of an unprivileged user may hold. */
    static final Path MSG_MAX = Path.of("/proc/sys/fs/mqueue/msg_max");
    /**
     * What a message costs against RLIMIT_MSGQUEUE besides its bytes (the kernel's per-message
     * pointer and tree node, rounded up), for choosing a capacity that fits.
     */
    static final int MQ_OVERHEAD_PER_MESSAGE = 64;

    private static final AtomicInteger RUNS = new AtomicInteger();

    private B8Harness() {
    }

    /** One side of B8: the measurement {@code B8.<id>}. */
    enum Side {
        /** NamedMessageQueue between two JVMs. */
        WAITKIT("waitkit"),
        /** POSIX mq_send / mq_receive between a C process and its fork. */
        POSIX("posix-mq"),
        /** Agrona OneToOneRingBuffer over a mapped file between two JVMs. */
        AGRONA("agrona");

        final String id;

        Side(String id) {
            this.id = id;
        }

        /** The measurement key. */
        String key() {
            return "B8." + id;
        }

        static Side ofKey(String key) {
            for (Side s : values()) {
                if (s.key().equals(key)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("not a B8 measurement: " + key);
        }
    }

    /**
     * The capacity all sides use, and why.
     *
     * @param messages the capacity in messages
     * @param why how it was chosen, for the rows
     */
    record Capacity(int messages, String why) {
    }

    /**
     * Chooses the capacity: {@value #WANTED_CAPACITY} messages, or fewer where an unprivileged
     * user's POSIX queue may hold fewer ({@code /proc/sys/fs/mqueue/msg_max}, and RLIMIT_MSGQUEUE,
     * whose soft limit {@code /proc/self/limits} gives), read now, so the POSIX peer runs under
     * the limits a non-root user has and the other sides get the same capacity.
     */
    static Capacity capacity() {
        int c = WANTED_CAPACITY;
        StringBuilder why = new StringBuilder();
        Long msgMax = readLong(MSG_MAX);
        if (msgMax != null) {
            why.append("fs.mqueue.msg_max ").append(msgMax);
            c = (int) Math.min(c, msgMax);
        } else {
            why.append("fs.mqueue.msg_max unknown");
        }
        Long rlimit = rlimitMsgqueue();
        if (rlimit != null) {
            why.append(", RLIMIT_MSGQUEUE ").append(rlimit).append(" B");
            c = (int) Math.min(c, rlimit / (MESSAGE_SIZE + MQ_OVERHEAD_PER_MESSAGE));
        }
        c = Math.max(c, 1);
        return new Capacity(c, c + " messages (" + WANTED_CAPACITY + " wanted; " + why + ")");
    }

    /**
     * The number in a sysctl file. Not {@code Files.readString}: for a file of size 0 it first
     * reads one byte, and a sysctl file answers a read that does not start at 0 with end of file
     * ("10" was read as "1"); a buffered reader asks for the whole buffer at once.
     */
    private static Long readLong(Path p) {
        try {
            return Long.parseLong(Files.readAllLines(p).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The soft RLIMIT_MSGQUEUE of this process, or null if unknown or unlimited. */
    private static Long rlimitMsgqueue() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max msgqueue size")) {
                    String[] f = line.substring("Max msgqueue size".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? null : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return null;
    }

    /**
     * How much one process pair measures.
     *
     * @param warmupMessages the unmeasured messages first
     * @param samples how many samples
     * @param sampleMessages messages per sample
     * @param capacity the queue's capacity in messages, on every side
     * @param jvmArgs the flags of the JVMs (of every Java side alike)
     */
    record Plan(long warmupMessages, int samples, long sampleMessages, int capacity, List<String> jvmArgs) {
        /** The plan of the suite's settings, with the capacity chosen for this machine. */
        static Plan of(Settings s, int capacity) {
            return new Plan(s.b8WarmupMessages(), s.measurementIterations(), s.b8SampleMessages(), capacity,
                    s.jvmArgs());
        }

        /** Every message the producer sends. */
        long total() {
            return B8Stream.total(warmupMessages, samples, sampleMessages);
        }

        /** The deadline of each child: 20 us per message (the slowest side measured 1 us) and a minute to start. */
        int deadlineSeconds() {
            return (int) (total() / 50_000) + 60;
        }
    }

    /**
     * Why the POSIX peer cannot run on this machine (before compiling it).
     *
     * @return the reason, or null if it can be tried
     */
    static String cUnavailable() {
        String why = CPeer.unavailable("the POSIX message queue peer");
        if (why == null && !Files.isReadable(MSG_MAX)) {
            why = "no POSIX message queues: " + MSG_MAX + " is missing (kernel without CONFIG_POSIX_MQUEUE?)";
        }
        return why;
    }

    /** Compiles the POSIX peer ({@code gcc -O2 -Wall ... -lrt}). */
    static Path compileC(Path dir) throws IOException, InterruptedException {
        return CPeer.compile(dir, C_SOURCE, List.of("-lrt"));
    }

    /**
     * Whether a POSIX queue of the plan's shape can be made here: the compiled peer tries.
     *
     * @return the reason it cannot, or null if it can
     */
    static String probe(Path cProgram, int capacity) throws IOException, InterruptedException {
        StringBuilder log = new StringBuilder();
        try (ChildProcess c = new ChildProcess("B8", List.of(cProgram.toString(), "probe",
                Integer.toString(capacity), Integer.toString(MESSAGE_SIZE)), log)) {
            int status = c.await(60);
            String out = c.output().trim();
            if (status == 0) {
                return null;
            }
            return status == 5 && out.startsWith("B8-UNAVAILABLE ") ? out.substring("B8-UNAVAILABLE ".length())
                    : "the POSIX queue probe failed (exit " + status + "): " + out;
        }
    }

    /**
     * The result of one run of a side.
     *
     * @param samplesPerUs messages per microsecond, one value per sample
     * @param messages how many messages went through (warm-up included)
     */
    record Result(List<Double> samplesPerUs, long messages) {
    }

    /**
     * Measures one side once, in fresh processes.
     *
     * @param side the side
     * @param plan how much
     * @param cProgram the compiled POSIX peer (for {@link Side#POSIX})
     * @param log receives the commands and the output of the processes (also when they failed)
     * @return the samples
     * @throws IllegalStateException if a process failed, hung, printed no result or found a wrong message
     */
    static Result run(Side side, Plan plan, Path cProgram, StringBuilder log) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("waitkit-b8-");
        try {
            int deadline = plan.deadlineSeconds();
            String cap = Integer.toString(plan.capacity());
            String size = Integer.toString(MESSAGE_SIZE);
            String warm = Long.toString(plan.warmupMessages());
            String samples = Integer.toString(plan.samples());
            String sample = Long.toString(plan.sampleMessages());
            String dl = Integer.toString(deadline);
            if (side == Side.POSIX) {
                if (cProgram == null) {
                    throw new IllegalArgumentException("no C program for " + side.key());
                }
                String name = "/waitkit-b8-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
                List<String> cmd = List.of(cProgram.toString(), "run", name, cap, size, warm, samples, sample, dl);
                try (ChildProcess c = new ChildProcess("B8", cmd, log)) {
                    return result(side, plan, c.finish(deadline + 10));
                }
            }
            String kind = side == Side.WAITKIT ? "waitkit" : "agrona";
            // the namespace directory is created by Namespace.open, the ring buffer file by the consumer
            String where = work.resolve(side == Side.WAITKIT ? "ns" : "ring").toString();
            List<String> consumer = List.of(kind + "-consumer", where, cap, size, warm, samples, sample, dl);
            List<String> producer = List.of(kind + "-producer", where, cap, size, Long.toString(plan.total()), dl);
            try (ChildProcess cons = new ChildProcess("B8", java(plan, consumer), log)) {
                cons.awaitLine(B8Peers.READY, Duration.ofSeconds(60));
                try (ChildProcess prod = new ChildProcess("B8", java(plan, producer), log)) {
                    String out = cons.finish(deadline + 10);
                    prod.finish(30);
                    return result(side, plan, out);
                }
            }
        } finally {
            ChildProcess.deleteTree(work, "B8");
        }
    }

    private static Result result(Side side, Plan plan, String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith(B8Stream.RESULT)) {
                Map<?, ?> m = (Map<?, ?>) Json.parse(line.substring(B8Stream.RESULT.length()));
                if (!side.id.equals(m.get("peer"))) {
                    throw new IllegalStateException(side.key() + ": the result is of " + m.get("peer"));
                }
                if ((long) Stats.num(m, "messages") != plan.total() || (int) Stats.num(m, "capacity") != plan.capacity()) {
                    throw new IllegalStateException(side.key() + ": ran another plan than " + plan + ":\n" + output);
                }
                List<Double> rates = new ArrayList<>();
                for (Object o : (List<?>) m.get("samples_per_us")) {
                    double d = ((Number) o).doubleValue();
                    if (!(d > 0) || !Double.isFinite(d)) {
                        throw new IllegalStateException(side.key() + ": not a rate: " + d + "\n" + output);
                    }
                    rates.add(d);
                }
                if (rates.size() != plan.samples()) {
                    throw new IllegalStateException(side.key() + ": " + rates.size() + " samples, expected "
                            + plan.samples());
                }
                return new Result(rates, plan.total());
            }
        }
        throw new IllegalStateException(side.key() + ": no result line:\n" + output);
    }

    /**
     * The flags every B8 JVM gets after the suite's: native access (the waitkit side maps and
     * waits through the FFM API, as in B7) and the export Agrona 2 needs for its Unsafe access
     * (given to the waitkit side as well, so both JVMs run with the same flags; it changes
     * nothing there).
     */
    static final List<String> JAVA_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "--add-exports",
            "java.base/jdk.internal.misc=ALL-UNNAMED");

    /** The command of a child JVM: this java, the suite's flags, {@link #JAVA_FLAGS}, the class path. */
    private static List<String> java(Plan plan, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(plan.jvmArgs());
        cmd.addAll(JAVA_FLAGS);
        cmd.add("-cp");
        cmd.add(ChildProcess.classPath(List.of(B8Peers.class, Namespace.class, Waitable.class, OneToOneRingBuffer.class)));
        cmd.add(B8Peers.class.getName());
        cmd.addAll(args);
        return cmd;
    }
}
