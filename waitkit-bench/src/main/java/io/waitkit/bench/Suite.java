package io.waitkit.bench;

import io.waitkit.bench.Row.Direction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of performance targets (BENCHMARKS.md) as run here: the measurements (JMH benchmark
 * runs, the B6 harness, the B7 and B8 processes, the B10 command runs and the B11 ensemble runs) and the comparisons that turn pairs of measurements
 * into result rows.
 * Every comparison's two measurements are taken in the same run, with the same JVM flags.
 */
final class Suite {
    private static final String PKG = "io.waitkit.bench.";

    /** The thread counts of B9 unless told otherwise. */
    static final List<Integer> B9_THREADS = List.of(1, 2, 4, 8, 16);

    /** What the B5 rows call the waitkit side. */
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
     * @param id the benchmark id ({@code B1} to {@code B11}; B9 is split into {@code B9a}, {@code B9b},
     *        {@code B9c} and {@code B9s})
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
        for (int n : List.of(1, 8, 64)) {
            Map<String, String> p = Map.of("n", Integer.toString(n));
            l.add(new Bench("B4.blocking.n" + n, PKG + "B4WaitAnyBlocking.waitAny", p, 0, null, "ns/op"));
            l.add(new Bench("B4.signalled.n" + n, PKG + "B4WaitAnySignalled.waitAny", p, 0, null, "ns/op"));
            l.add(new Bench("B4.tryAcquireLoop.n" + n, PKG + "B4WaitAnySignalled.tryAcquireLoop", p, 0, null, "ns/op"));
        }
        for (String group : List.of("spsc", "mpmc")) {
            for (String impl : List.of("waitkit", "ArrayBlockingQueue", "LinkedTransferQueue")) {
                l.add(new Bench("B5." + group + "." + impl, PKG + "B5Queues." + group, Map.of("impl", impl), 0,
                        group + "Take", "ops/us"));
            }
        }
        for (int t : b9Threads) {
            for (String m : B9_METHODS) {
                l.add(b9(m, t, false));
            }
        }
        for (int t : spinThreads(b9Threads)) {
            l.add(b9("spinLock", t, false));
        }
        for (String m : B9_METHODS) {
            l.add(b9(m, B9C_THREADS, true));
        }
        return l;
    }

    /**
     * The B9 methods of {@link B9Contended} that B9a, B9b and B9c compare: hand-off and fair peer,
     * barging and non-fair peer, for the mutex and the semaphore.
     */
    static final List<String> B9_METHODS = List.of("mutex", "fairReentrantLock", "bargingMutex", "reentrantLock",
            "semaphore", "fairJucSemaphore", "bargingSemaphore", "jucSemaphore");

    /** The virtual threads of B9c. */
    static final int B9C_THREADS = B9Virtual.THREADS;

    /** The most threads of B9s: a spin lock is for threads that each have a core, or nearly. */
    static final int B9S_MAX_THREADS = 4;

    /** The thread counts of B9s: those of B9 up to {@link #B9S_MAX_THREADS}. */
    static List<Integer> spinThreads(List<Integer> b9Threads) {
        return b9Threads.stream().filter(t -> t <= B9S_MAX_THREADS).toList();
    }

    /** The key of a B9 measurement: {@code B9.<method>.t<threads>}, or {@code .v<threads>} for virtual threads. */
    static String b9Key(String method, int threads, boolean virtual) {
        return "B9." + method + (virtual ? ".v" : ".t") + threads;
    }

    private static Bench b9(String method, int threads, boolean virtual) {
        if (virtual) {
            return new Bench(b9Key(method, threads, true), PKG + "B9Virtual.tick", Map.of("lock", method), 0, "ops",
                    "ops/us");
        }
        return new Bench(b9Key(method, threads, false), PKG + "B9Contended." + method, Map.of(), threads, null, "ops/us");
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
        for (int n : List.of(1, 8, 64)) {
            l.add(new Comparison("B4", "n=" + n + ", signalled before",
                    "Wait.any over n Semaphore(0, 1)s; only the last one gets a permit, before the call (1 thread)",
                    "B4.signalled.n" + n, "tryAcquire() on each of n java.util.concurrent.Semaphore(0)s in turn, "
                    + "the last one released before the loop", "B4.tryAcquireLoop.n" + n, Direction.LOWER, 1.0, false));
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
        l.addAll(b9Comparisons(b9Threads));
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
        l.addAll(b11Comparisons());
        return l;
    }

    /**
     * The B11 rows: waitkit-zk's mutex and semaphore against Curator's recipes, with one client
     * (uncontended) and with {@code B11Harness.CLIENTS}' larger count (contended), each client a
     * session of its own.
     */
    static List<Comparison> b11Comparisons() {
        List<Comparison> l = new ArrayList<>();
        String ensemble = ", on an in-JVM ensemble of " + B11Harness.SERVERS + " ZooKeeper servers";
        for (B11Harness.Primitive p : B11Harness.Primitive.values()) {
            boolean mutex = p == B11Harness.Primitive.MUTEX;
            for (int c : B11Harness.CLIENTS) {
                String clients = c == 1 ? "1 client, uncontended" : c + " clients (" + c + " sessions), contended";
                String what = (mutex ? "ZkMutex lock + unlock" : "ZkSemaphore (" + B11Harness.PERMITS + " permits) acquire + release")
                        + ", " + (c == 1 ? "1 client" : c + " clients, each its own CuratorFramework session, one thread each")
                        + ensemble + "; time per operation" + (c == 1 ? "" : " (inverse of the total throughput)");
                String peer = mutex ? "Curator " + B11_CURATOR + " InterProcessMutex acquire + release"
                        : "Curator " + B11_CURATOR + " InterProcessSemaphoreV2(" + B11Harness.PERMITS + ") acquire + returnLease";
                l.add(new Comparison("B11", p.id() + ", " + clients, what,
                        new B11Harness.Side(p, B11Harness.Impl.WAITKIT, c).key(), peer,
                        new B11Harness.Side(p, B11Harness.Impl.CURATOR, c).key(), Direction.LOWER, 1.2, false));
            }
        }
        return l;
    }

    /**
     * The Curator version of the B11 peer, as the rows name it: the parent pom's pin (a test
     * checks that the jar on the class path is this version).
     */
    static final String B11_CURATOR = "5.9.0";

    /**
     * The B9 rows: B9a (hand-off against the fair peers) and B9b (barging against the non-fair
     * peers) at every thread count, B9c (both with {@link #B9C_THREADS} virtual threads), B9s
     * (SpinLock against ReentrantLock up to {@link #B9S_MAX_THREADS} threads).
     */
    static List<Comparison> b9Comparisons(List<Integer> b9Threads) {
        String handOffMutex = "Mutex (hand-off, the default) lock + unlock, contended, total throughput";
        String handOffSem = "Semaphore(2, 2) (hand-off, the default) acquire + release, contended, total throughput";
        String bargingMutex = "Mutex(Fairness.BARGING) lock + unlock, contended, total throughput";
        String bargingSem = "Semaphore(2, 2, Fairness.BARGING) acquire + release, contended, total throughput";
        String fairLock = "ReentrantLock(true) (fair)";
        String fairSem = "java.util.concurrent.Semaphore(2, true) (fair)";
        String lock = "ReentrantLock (non-fair)";
        String sem = "java.util.concurrent.Semaphore(2) (non-fair)";
        List<Comparison> l = new ArrayList<>();
        for (int t : b9Threads) {
            l.add(new Comparison("B9a", "Mutex, threads=" + t, handOffMutex, b9Key("mutex", t, false), fairLock,
                    b9Key("fairReentrantLock", t, false), Direction.HIGHER, 1.0, false));
        }
        for (int t : b9Threads) {
            l.add(new Comparison("B9a", "Semaphore, threads=" + t, handOffSem, b9Key("semaphore", t, false), fairSem,
                    b9Key("fairJucSemaphore", t, false), Direction.HIGHER, 1.0, false));
        }
        for (int t : b9Threads) {
            l.add(new Comparison("B9b", "Mutex, threads=" + t, bargingMutex, b9Key("bargingMutex", t, false), lock,
                    b9Key("reentrantLock", t, false), Direction.HIGHER, 0.9, false));
        }
        for (int t : b9Threads) {
            l.add(new Comparison("B9b", "Semaphore, threads=" + t, bargingSem, b9Key("bargingSemaphore", t, false), sem,
                    b9Key("jucSemaphore", t, false), Direction.HIGHER, 0.9, false));
        }
        int v = B9C_THREADS;
        String virtual = "; " + v + " virtual threads";
        l.add(new Comparison("B9c", "Mutex, hand-off, virtual threads=" + v, handOffMutex + virtual,
                b9Key("mutex", v, true), fairLock, b9Key("fairReentrantLock", v, true), Direction.HIGHER, 1.0, false));
        l.add(new Comparison("B9c", "Semaphore, hand-off, virtual threads=" + v, handOffSem + virtual,
                b9Key("semaphore", v, true), fairSem, b9Key("fairJucSemaphore", v, true), Direction.HIGHER, 1.0, false));
        l.add(new Comparison("B9c", "Mutex, barging, virtual threads=" + v, bargingMutex + virtual,
                b9Key("bargingMutex", v, true), lock, b9Key("reentrantLock", v, true), Direction.HIGHER, 0.9, false));
        l.add(new Comparison("B9c", "Semaphore, barging, virtual threads=" + v, bargingSem + virtual,
                b9Key("bargingSemaphore", v, true), sem, b9Key("jucSemaphore", v, true), Direction.HIGHER, 0.9, false));
        for (int t : spinThreads(b9Threads)) {
            l.add(new Comparison("B9s", "SpinLock, threads=" + t, "SpinLock lock + unlock, contended, total throughput",
                    b9Key("spinLock", t, false), lock, b9Key("reentrantLock", t, false), Direction.HIGHER, 0.9, false));
        }
        return l;
    }
}
