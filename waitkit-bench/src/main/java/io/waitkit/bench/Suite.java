package io.waitkit.bench;

import io.waitkit.bench.Row.Direction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of performance targets (BENCHMARKS.md) as run here: the measurements (JMH benchmark
 * runs, the B6 harness, the B7 and B8 processes and the B10 command runs) and the comparisons that turn pairs of measurements
 * into result rows.
 * Every comparison's two measurements are taken in the same run, with the same JVM flags.
 */
final class Suite {
    private static final String PKG = "io.waitkit.bench.";

    /** The thread counts of B9 unless told otherwise. */
    static final List<Integer> B9_THREADS = List.of(1, 2, 4, 8, 16);

    /** What the B5 rows call the waitkit side until {@code Channel} exists. */
    static final String B5_WAITKIT = "io.waitkit.Channel(1024)";

    private Suite() {
    }

    /**
     * One JMH run configuration.
     *
     * @param key unique name, used to pair measurements
     * @param benchmark the fully qualified benchmark (method, or group for {@code @Group} benchmarks)
     * @param params JMH parameters
     * @param threads benchmark threads, or 0 for the default (and for groups)
     * @param metric null for the primary result, else the secondary result (a group method) to report
     * @param unit the unit of the result
     */
    record Bench(String key, String benchmark, Map<String, String> params, int threads, String metric, String unit) {
    }

    /**
     * A row to produce: waitkit measurement against peer measurement.
     *
     * @param id the benchmark id ({@code B1} to {@code B10})
     * @param param the parameter text
     * @param what the waitkit side
     * @param subjectKey the waitkit measurement
     * @param peer the peer's description
     * @param peerKey the peer measurement
     * @param direction lower or higher is better
     * @param target the target ratio
     * @param zeroAlloc whether the target also requires 0 B/op
     */
    record Comparison(String id, String param, String what, String subjectKey, String peer, String peerKey,
            Direction direction, double target, boolean zeroAlloc) {
    }

    static List<Bench> benches(List<Integer> b9Threads) {
        List<Bench> l = new ArrayList<>();
        l.add(avgt("B1.mutex", "B1UncontendedLock.mutex"));
        l.add(avgt("B1.reentrantLock", "B1UncontendedLock.reentrantLock"));
        l.add(avgt("B2.semaphore", "B2UncontendedSemaphore.semaphore"));
        l.add(avgt("B2.jucSemaphore", "B2UncontendedSemaphore.jucSemaphore"));
        l.add(avgt("B3.event", "B3PingPong.event"));
        l.add(avgt("B3.parkUnpark", "B3PingPong.parkUnpark"));
        l.add(avgt("B3.synchronousQueue", "B3PingPong.synchronousQueue"));
        for (String kind : List.of("Blocking", "Signalled")) {
            for (int n : List.of(1, 8, 64)) {
                l.add(new Bench("B4." + kind.toLowerCase() + ".n" + n, PKG + "B4WaitAny" + kind + ".waitAny",
                        Map.of("n", Integer.toString(n)), 0, null, "ns/op"));
            }
        }
        for (String group : List.of("spsc", "mpmc")) {
            for (String impl : List.of("waitkit", "ArrayBlockingQueue", "LinkedTransferQueue")) {
                l.add(new Bench("B5." + group + "." + impl, PKG + "B5Queues." + group, Map.of("impl", impl), 0,
                        group + "Take", "ops/us"));
            }
        }
        for (int t : b9Threads) {
            for (String m : List.of("mutex", "reentrantLock", "semaphore", "jucSemaphore")) {
                l.add(new Bench("B9." + m + ".t" + t, PKG + "B9Contended." + m, Map.of(), t, null, "ops/us"));
            }
        }
        return l;
    }

    private static Bench avgt(String key, String benchmark) {
        return new Bench(key, PKG + benchmark, Map.of(), 0, null, "ns/op");
    }

    /** The B6 measurement keys: {@code B6.<gate>.<metric>}. */
    static String b6Key(String gate, String metric) {
        return "B6." + gate + "." + metric;
    }

    /** Units of the B6 metrics. */
    static final Map<String, String> B6_METRICS = metrics();

    private static Map<String, String> metrics() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("wake_ms", "ms");
        m.put("total_ms", "ms");
        m.put("heap_mb", "MB");
        return m;
    }

    /** The spin attempts of the C peer's spin-then-wait variant (SPINS in b7_futex_pingpong.c). */
    static final int B7_C_SPINS = 100;

    /**
     * The Agrona version of the B8 peer, as the rows name it: agrona.version in the bench pom (a
     * test checks they agree; the shaded jar drops Agrona's manifest, so it cannot be read at run time).
     */
    static final String B8_AGRONA = "2.6.0";

    /** The B7 measurement keys ({@code B7.<side>}), the sides being processes, not JMH benchmarks. */
    static boolean isB7(String key) {
        return key.startsWith("B7.");
    }

    static List<Comparison> comparisons(List<Integer> b9Threads) {
        List<Comparison> l = new ArrayList<>();
        l.add(new Comparison("B1", "", "Mutex lock + unlock, uncontended (1 thread)", "B1.mutex",
                "ReentrantLock (non-fair)", "B1.reentrantLock", Direction.LOWER, 1.0, true));
        l.add(new Comparison("B2", "", "Semaphore(1, 1) acquire + release, uncontended (1 thread)", "B2.semaphore",
                "java.util.concurrent.Semaphore(1) (non-fair)", "B2.jucSemaphore", Direction.LOWER, 1.0, true));
        String b3 = "Event ping-pong round trip, 2 platform threads, two auto-reset Events";
        l.add(new Comparison("B3", "vs floor", b3, "B3.event", "LockSupport park/unpark ping-pong (the floor)",
                "B3.parkUnpark", Direction.LOWER, 1.15, false));
        l.add(new Comparison("B3", "vs SynchronousQueue", b3, "B3.event", "SynchronousQueue ping-pong (non-fair)",
                "B3.synchronousQueue", Direction.LOWER, 1.0, false));
        for (int n : List.of(8, 64)) {
            l.add(new Comparison("B4", "n=" + n + ", blocking",
                    "Wait.any over n auto-reset Events; another thread sets the last one while the caller waits (round trip)",
                    "B4.blocking.n" + n, "same benchmark, n=1", "B4.blocking.n1", Direction.LOWER, 2.0, false));
        }
        for (int n : List.of(8, 64)) {
            l.add(new Comparison("B4", "n=" + n + ", signalled before",
                    "Wait.any over n auto-reset Events; only the last one is set, before the call (1 thread)",
                    "B4.signalled.n" + n, "same benchmark, n=1", "B4.signalled.n1", Direction.LOWER, 2.0, false));
        }
        for (String group : List.of("spsc", "mpmc")) {
            String param = group.equals("spsc") ? "SPSC, 1+1 threads" : "MPMC, 2+2 threads";
            l.add(new Comparison("B5", param, B5_WAITKIT + "; consumer throughput", "B5." + group + ".waitkit",
                    "ArrayBlockingQueue(1024) (non-fair)", "B5." + group + ".ArrayBlockingQueue", Direction.HIGHER, 1.0, false));
            l.add(new Comparison("B5", param, B5_WAITKIT + "; consumer throughput", "B5." + group + ".waitkit",
                    "LinkedTransferQueue (unbounded)", "B5." + group + ".LinkedTransferQueue", Direction.HIGHER, 1.0, false));
        }
        String b6 = "100,000 virtual threads wait on one manual-reset Event, then set()";
        l.add(new Comparison("B6", "wake: set() until all done", b6, b6Key("event", "wake_ms"),
                "CountDownLatch(1)", b6Key("latch", "wake_ms"), Direction.LOWER, 1.0, false));
        l.add(new Comparison("B6", "total: start, all parked, set(), all done", b6, b6Key("event", "total_ms"),
                "CountDownLatch(1)", b6Key("latch", "total_ms"), Direction.LOWER, 1.0, false));
        l.add(new Comparison("B6", "memory: live heap while all wait", b6, b6Key("event", "heap_mb"),
                "CountDownLatch(1)", b6Key("latch", "heap_mb"), Direction.LOWER, 1.0, false));
        for (String threads : List.of("platform", "virtual")) {
            String what = "NamedEvent ping-pong round trip across two processes: two auto-reset named events in one "
                    + "namespace, the waiting thread of each process a " + threads + " thread";
            String subject = B7Harness.Side.valueOf("EVENT_" + threads.toUpperCase(java.util.Locale.ROOT)).key();
            l.add(new Comparison("B7", threads + " threads, vs C spin-then-wait", what, subject,
                    "C, shared futex: " + B7_C_SPINS + " CAS attempts, then FUTEX_WAIT", B7Harness.Side.C_SPIN.key(),
                    Direction.LOWER, 1.5, false));
            l.add(new Comparison("B7", threads + " threads, vs C pure wait", what, subject,
                    "C, shared futex: FUTEX_WAIT at once", B7Harness.Side.C_WAIT.key(), Direction.LOWER, 1.5, false));
            l.add(new Comparison("B7", threads + " threads, vs Unix-domain socket", what, subject,
                    "Unix-domain socket, 1 byte each way (blocking SocketChannel, platform threads)",
                    B7Harness.Side.SOCKET.key(), Direction.LOWER, 0.5, false));
        }
        String b8 = "NamedMessageQueue, 1 producer / 1 consumer in two processes (platform threads, blocking send and "
                + "receive), " + B8Harness.MESSAGE_SIZE + "-byte messages; consumer throughput";
        l.add(new Comparison("B8", "vs POSIX mq", b8, B8Harness.Side.WAITKIT.key(),
                "POSIX mq_send / mq_receive, C, two processes (blocking, priority 0)", B8Harness.Side.POSIX.key(),
                Direction.HIGHER, 1.0, false));
        l.add(new Comparison("B8", "vs Agrona ring buffer", b8, B8Harness.Side.WAITKIT.key(),
                "Agrona " + B8_AGRONA + " OneToOneRingBuffer over a mapped file, two JVMs, " + B8AgronaPeer.IDLE,
                B8Harness.Side.AGRONA.key(), Direction.HIGHER, 0.5, false));
        for (int t : b9Threads) {
            l.add(new Comparison("B9", "Mutex, threads=" + t, "Mutex lock + unlock, contended, total throughput",
                    "B9.mutex.t" + t, "ReentrantLock (non-fair)", "B9.reentrantLock.t" + t, Direction.HIGHER, 0.9, false));
        }
        for (int t : b9Threads) {
            l.add(new Comparison("B9", "Semaphore, threads=" + t,
                    "Semaphore(2, 2) acquire + release, contended, total throughput", "B9.semaphore.t" + t,
                    "java.util.concurrent.Semaphore(2) (non-fair)", "B9.jucSemaphore.t" + t, Direction.HIGHER, 0.9, false));
        }
        String launcher = "through the ./waitkit launcher (AOT cache, short-run JVM flags), one process per run, "
                + "wall time from start to exit";
        String floor = "java -version on the same JDK (the JVM's floor)";
        String plain = "the same command as plain java -cp <jars> io.waitkit.cli.WaitkitCli (no AOT cache, default flags)";
        l.add(new Comparison("B10", "event set, vs java -version", "waitkit event set NAME " + launcher,
                B10Harness.Side.EVENT_LAUNCHER.key(), floor, B10Harness.Side.FLOOR.key(), Direction.LOWER, 1.5, false));
        l.add(new Comparison("B10", "sem wait --timeout 0, vs java -version", "waitkit sem wait NAME --timeout 0 "
                + launcher, B10Harness.Side.SEM_LAUNCHER.key(), floor, B10Harness.Side.FLOOR.key(), Direction.LOWER, 1.5,
                false));
        l.add(new Comparison("B10", "event set, vs plain java", "waitkit event set NAME " + launcher,
                B10Harness.Side.EVENT_LAUNCHER.key(), plain, B10Harness.Side.EVENT_PLAIN.key(), Direction.LOWER, 1.0,
                false));
        l.add(new Comparison("B10", "sem wait --timeout 0, vs plain java", "waitkit sem wait NAME --timeout 0 "
                + launcher, B10Harness.Side.SEM_LAUNCHER.key(), plain, B10Harness.Side.SEM_PLAIN.key(), Direction.LOWER,
                1.0, false));
        return l;
    }
}
