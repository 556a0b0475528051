package io.waitkit.bench;

import io.waitkit.zk.ZkMutex;
import io.waitkit.zk.ZkNamespace;
import io.waitkit.zk.ZkSemaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * Runs B11 (BENCHMARKS.md): ZooKeeper mutex lock + unlock and semaphore acquire + release,
 * waitkit-zk's {@link ZkMutex} and {@link ZkSemaphore} against Apache Curator's
 * {@link InterProcessMutex} and {@link InterProcessSemaphoreV2}, on one in-JVM ensemble of three
 * ZooKeeper servers (Curator's {@link TestingCluster}).
 *
 * <p>The runner starts one child JVM per round ({@link #run}); the child ({@link #main}) starts
 * the ensemble and measures the sides it is given in that order, all against that ensemble.
 * A side is one primitive, one implementation and a number of <i>clients</i>: each client is a
 * {@link CuratorFramework} with a ZooKeeper session of its own (for waitkit a
 * {@link ZkNamespace} over it), as a separate process would have, and one platform thread that
 * loops over the operation. Client {@code i} connects to server {@code i % 3} on both sides, so
 * both talk to the same servers. Every side works on fresh paths. The semaphores have
 * {@value #PERMITS} permits, so with one client nobody waits and with four two of them wait at
 * any time.
 *
 * <p>Every side first runs once for its warm-up, unmeasured, so that the servers' code is warm
 * before the first side's samples (the first side measured in a fresh JVM was slower by up to
 * 2x, whichever it was). Then each side, after a warm-up, takes samples: a sample is the sample time divided by the
 * operations all clients completed in it (milliseconds per operation; with more than one client,
 * the inverse of the total throughput). Over all samples of a side it also counts the requests
 * the clients' sessions sent to the servers (the servers' per-connection packet counters, read
 * through their JMX beans) and divides by the operations: the ZooKeeper round trips one
 * operation costs, which explains most of the difference between the sides. Each side prints
 * one line {@code B11-RESULT {json}}.
 */
final class B11Harness {
    /** The semaphores' permits (maximum and initial count) on both sides. */
    static final int PERMITS = 2;
    /** The client counts of the rows: uncontended and contended. */
    static final List<Integer> CLIENTS = List.of(1, 4);
    /** Servers in the in-JVM ensemble. */
    static final int SERVERS = 3;
    /** The clients' ZooKeeper session timeout. */
    static final int SESSION_TIMEOUT_MS = 30_000;
    /** The longest the child may wait for a client to connect, a loop to stop, or one operation. */
    static final int STEP_DEADLINE_SECONDS = 60;

    private B11Harness() {
    }

    /** The primitives. */
    enum Primitive {
        MUTEX, SEMAPHORE;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The implementations. */
    enum Impl {
        WAITKIT, CURATOR;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One side of B11: the measurement {@code B11.<primitive>.<impl>.c<clients>}.
     *
     * @param primitive mutex or semaphore
     * @param impl waitkit or Curator
     * @param clients clients (sessions), one thread each
     */
    record Side(Primitive primitive, Impl impl, int clients) {
        Side {
            if (clients < 1) {
                throw new IllegalArgumentException("clients must be positive: " + clients);
            }
        }

        /** The measurement key. */
        String key() {
            return "B11." + primitive.id() + "." + impl.id() + ".c" + clients;
        }

        /** The side of a measurement key. */
        static Side ofKey(String key) {
            String[] p = key.split("\\.");
            if (p.length != 4 || !p[0].equals("B11") || !p[3].startsWith("c")) {
                throw new IllegalArgumentException("not a B11 measurement: " + key);
            }
            try {
                return new Side(Primitive.valueOf(p[1].toUpperCase(Locale.ROOT)), Impl.valueOf(p[2].toUpperCase(Locale.ROOT)),
                        Integer.parseInt(p[3].substring(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a B11 measurement: " + key, e);
            }
        }
    }

    /** Every side the suite measures. */
    static List<Side> sides() {
        List<Side> l = new ArrayList<>();
        for (Primitive p : Primitive.values()) {
            for (int c : CLIENTS) {
                for (Impl i : Impl.values()) {
                    l.add(new Side(p, i, c));
                }
            }
        }
        return l;
    }

    /** Whether a measurement key is one of B11's. */
    static boolean isB11(String key) {
        return key.startsWith("B11.");
    }

    /**
     * How long the child measures each side.
     *
     * @param warmupMillis the warm-up of each side
     * @param samples samples per side
     * @param sampleMillis the length of one sample
     * @param jvmArgs the child JVM's flags
     */
    record Plan(long warmupMillis, int samples, long sampleMillis, List<String> jvmArgs) {
        Plan {
            if (warmupMillis < 0 || samples < 1 || sampleMillis < 1) {
                throw new IllegalArgumentException("bad B11 plan: warm-up " + warmupMillis + " ms, " + samples
                        + " samples of " + sampleMillis + " ms");
            }
            jvmArgs = List.copyOf(jvmArgs);
        }

        /** The plan of the suite's settings: warm-up and samples as the JMH iterations. */
        static Plan of(Settings s) {
            return new Plan((long) s.warmupIterations() * s.warmupMillis(), s.measurementIterations(),
                    s.measurementMillis(), s.jvmArgs());
        }

        /** The deadline of one child: the planned time, and a minute per side and two for starting. */
        int deadlineSeconds(int sides) {
            return (int) (sides * ((warmupMillis + samples * sampleMillis) / 1000 + 60) + 120);
        }
    }

    /**
     * What one side measured.
     *
     * @param samplesMs milliseconds per operation, one value per sample
     * @param requestsPerOp requests the clients' sessions sent to the servers, per operation
     *        (over all samples)
     * @param ops operations completed in the samples
     */
    record Result(List<Double> samplesMs, double requestsPerOp, long ops) {
    }

    /**
     * Measures the sides, in this order, in one fresh child JVM against one fresh ensemble.
     *
     * @param order the sides
     * @param plan how long
     * @param log receives the child's output
     * @return the results, per side
     */
    static Map<Side, Result> run(List<Side> order, Plan plan, StringBuilder log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(plan.jvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(B11Harness.class.getName());
        cmd.add(Long.toString(plan.warmupMillis()));
        cmd.add(Integer.toString(plan.samples()));
        cmd.add(Long.toString(plan.sampleMillis()));
        for (Side s : order) {
            cmd.add(s.key());
        }
        log.append(String.join(" ", cmd)).append('\n');
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<Side, Result> results = new LinkedHashMap<>();
        // a reader thread, so that a child that hangs without output still meets the deadline
        AtomicReference<IOException> readFailure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().daemon().name("b11-child-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.startsWith("B11-RESULT ")) {
                        Map<?, ?> m = (Map<?, ?>) Json.parse(line.substring("B11-RESULT ".length()));
                        List<Double> v = new ArrayList<>();
                        for (Object o : (List<?>) m.get("samples_ms")) {
                            v.add(((Number) o).doubleValue());
                        }
                        synchronized (results) {
                            results.put(Side.ofKey((String) m.get("key")), new Result(v, Stats.num(m, "requests_per_op"),
                                    (long) Stats.num(m, "ops")));
                        }
                    }
                }
            } catch (IOException e) {
                readFailure.set(e);
            }
        });
        boolean ended = proc.waitFor(plan.deadlineSeconds(order.size()), TimeUnit.SECONDS);
        if (!ended) {
            proc.descendants().forEach(ProcessHandle::destroyForcibly);
            proc.destroyForcibly();
            proc.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String out;
        synchronized (log) {
            out = log.toString();
        }
        if (!ended) {
            throw new IllegalStateException("B11 did not end within " + plan.deadlineSeconds(order.size()) + " s:\n" + out);
        }
        if (readFailure.get() != null) {
            throw readFailure.get();
        }
        synchronized (results) {
            if (proc.exitValue() != 0 || results.size() != order.size()) {
                throw new IllegalStateException("B11 failed (exit " + proc.exitValue() + ", " + results.size() + " of "
                        + order.size() + " results):\n" + out);
            }
            for (Map.Entry<Side, Result> e : results.entrySet()) {
                if (e.getValue().samplesMs().size() != plan.samples()) {
                    throw new IllegalStateException("B11 " + e.getKey().key() + ": " + e.getValue().samplesMs().size()
                            + " samples, expected " + plan.samples());
                }
            }
            return new LinkedHashMap<>(results);
        }
    }

    /**
     * How B11 was run, for its rows.
     *
     * @param plan the plan
     * @param rounds the rounds
     * @param requests requests per operation of every side measured, in the order of {@link #sides()}
     */
    static String describe(Plan plan, int rounds, Map<Side, Double> requests) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "own harness (io.waitkit.bench.B11Harness): %d round(s), each in a fresh "
                + "JVM (flags: %s) with a fresh in-JVM ensemble of %d ZooKeeper servers (Curator TestingCluster) that "
                + "every side of the round uses, sides in a fixed order (reversed in every second round); per side "
                + "fresh clients, each its own CuratorFramework and session (session timeout %d s), client i connected "
                + "to server i mod %d, one platform thread each; every side first runs once unmeasured for its warm-up "
                + "(the servers share the JVM), then each side has a warm-up of %s, then %d sample(s) of %s; a sample is the "
                + "sample time divided by the operations of all clients (ms per operation); median of all %d samples, "
                + "error bar = min-max", rounds, String.join(" ", plan.jvmArgs()), SERVERS, SESSION_TIMEOUT_MS / 1000,
                SERVERS, millis(plan.warmupMillis()), plan.samples(), millis(plan.sampleMillis()),
                rounds * plan.samples()));
        if (!requests.isEmpty()) {
            sb.append("; ZooKeeper requests per operation (the clients' sessions, counted by the servers):");
            String sep = " ";
            for (Side s : sides()) {
                Double r = requests.get(s);
                if (r != null) {
                    sb.append(sep).append(s.primitive().id()).append(' ').append(s.impl().id()).append(' ')
                            .append(s.clients()).append(s.clients() == 1 ? " client " : " clients ")
                            .append(String.format(Locale.ROOT, "%.2f", r));
                    sep = ", ";
                }
            }
        }
        return sb.toString();
    }

    private static String millis(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    // ---- the child JVM

    /** One client: a session of its own and the operation it loops over. */
    private interface Client extends AutoCloseable {
        /** One lock + unlock, or acquire + release. */
        void op() throws Exception;

        /** The client's ZooKeeper session, for the request count. */
        long sessionId() throws Exception;

        @Override
        void close();
    }

    private static CuratorFramework connect(String connectString) throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.builder().connectString(connectString)
                .sessionTimeoutMs(SESSION_TIMEOUT_MS).connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(50, 10, 500)).build();
        c.start();
        if (!c.blockUntilConnected(STEP_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            c.close();
            throw new IllegalStateException("B11: a client did not connect to " + connectString + " within "
                    + STEP_DEADLINE_SECONDS + " s");
        }
        return c;
    }

    private static Client client(Side side, String connectString, String root) throws Exception {
        CuratorFramework cf = connect(connectString);
        try {
            return switch (side.impl()) {
                case WAITKIT -> {
                    ZkNamespace ns = new ZkNamespace(cf, root);
                    Op op;
                    if (side.primitive() == Primitive.MUTEX) {
                        ZkMutex m = ns.mutex("lock");
                        op = () -> {
                            m.lock();
                            m.unlock();
                        };
                    } else {
                        ZkSemaphore s = ns.semaphore("sem", PERMITS, PERMITS);
                        op = () -> {
                            s.acquire();
                            s.release();
                        };
                    }
                    yield new SessionClient(cf, op, ns);
                }
                case CURATOR -> {
                    Op op;
                    if (side.primitive() == Primitive.MUTEX) {
                        InterProcessMutex m = new InterProcessMutex(cf, root + "/lock");
                        op = () -> {
                            m.acquire();
                            m.release();
                        };
                    } else {
                        InterProcessSemaphoreV2 s = new InterProcessSemaphoreV2(cf, root + "/sem", PERMITS);
                        op = () -> {
                            Lease l = s.acquire();
                            s.returnLease(l);
                        };
                    }
                    yield new SessionClient(cf, op, null);
                }
            };
        } catch (Exception | Error e) {
            cf.close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    private record SessionClient(CuratorFramework cf, Op operation, ZkNamespace ns) implements Client {
        @Override
        public void op() throws Exception {
            operation.run();
        }

        @Override
        public long sessionId() throws Exception {
            return cf.getZookeeperClient().getZooKeeper().getSessionId();
        }

        @Override
        public void close() {
            if (ns != null) {
                ns.close();
            }
            cf.close();
        }
    }

    /**
     * The requests the given sessions sent, summed over the servers' connection beans
     * ({@code PacketsReceived}; a client sends pings only when idle, which it is not here).
     */
    static long requestsOf(Set<Long> sessions) throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        long sum = 0;
        int found = 0;
        for (ObjectName n : mbs.queryNames(new ObjectName("org.apache.ZooKeeperService:*"), null)) {
            if (!"Connections".equals(n.getKeyProperty("name3")) && !"Connections".equals(n.getKeyProperty("name2"))) {
                continue;
            }
            Object id;
            try {
                id = mbs.getAttribute(n, "SessionId");
            } catch (Exception e) {
                continue; // not a connection bean, or closed meanwhile
            }
            if (id instanceof String hex && sessions.contains(Long.parseUnsignedLong(hex.replaceFirst("^0x", ""), 16))) {
                sum += ((Number) mbs.getAttribute(n, "PacketsReceived")).longValue();
                found++;
            }
        }
        if (found != sessions.size()) {
            throw new IllegalStateException("B11: found the connections of " + found + " of " + sessions.size()
                    + " sessions among the servers' JMX beans");
        }
        return sum;
    }

    /**
     * Measures one side against the ensemble.
     *
     * @param side the side
     * @param servers the servers' connect strings
     * @param root a path no other side uses
     * @param plan how long
     */
    static Result measure(Side side, List<String> servers, String root, Plan plan) throws Exception {
        List<Client> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        AtomicLong ops = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(side.clients());
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            for (int i = 0; i < side.clients(); i++) {
                clients.add(client(side, servers.get(i % servers.size()), root));
            }
            Set<Long> sessions = new HashSet<>();
            for (Client c : clients) {
                sessions.add(c.sessionId());
            }
            for (int i = 0; i < side.clients(); i++) {
                Client c = clients.get(i);
                threads.add(Thread.ofPlatform().name("b11-client-" + i).start(() -> {
                    started.countDown();
                    try {
                        while (!stop.get()) {
                            c.op();
                            ops.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            if (!started.await(STEP_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("B11 " + side.key() + ": the client threads did not start");
            }
            Thread.sleep(plan.warmupMillis());
            check(side, failure);
            long requests0 = requestsOf(sessions);
            long ops0 = ops.get();
            List<Double> samples = new ArrayList<>();
            long start = ops0;
            for (int i = 0; i < plan.samples(); i++) {
                long t0 = System.nanoTime();
                Thread.sleep(plan.sampleMillis());
                // a sample holds at least one operation (a side slower than the sample time is not cut short)
                long deadline = t0 + TimeUnit.SECONDS.toNanos(STEP_DEADLINE_SECONDS);
                while (ops.get() == start && System.nanoTime() < deadline && failure.get() == null) {
                    Thread.sleep(1);
                }
                long end = ops.get();
                long t1 = System.nanoTime();
                check(side, failure);
                if (end == start) {
                    throw new IllegalStateException("B11 " + side.key() + ": no operation completed within "
                            + STEP_DEADLINE_SECONDS + " s");
                }
                samples.add((t1 - t0) / 1e6 / (end - start));
                start = end;
            }
            long requests1 = requestsOf(sessions);
            long total = start - ops0;
            stop.set(true);
            for (Thread t : threads) {
                if (!t.join(java.time.Duration.ofSeconds(STEP_DEADLINE_SECONDS))) {
                    throw new IllegalStateException("B11 " + side.key() + ": a client did not stop within "
                            + STEP_DEADLINE_SECONDS + " s");
                }
            }
            check(side, failure);
            return new Result(samples, (double) (requests1 - requests0) / total, total);
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(java.time.Duration.ofSeconds(STEP_DEADLINE_SECONDS));
            }
            for (Client c : clients) {
                c.close();
            }
        }
    }

    private static void check(Side side, AtomicReference<Throwable> failure) {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("B11 " + side.key() + ": a client failed: " + t, t);
        }
    }

    /**
     * The child: starts the ensemble and measures the sides in the order given.
     *
     * <p>Usage: {@code B11Harness <warmupMillis> <samples> <sampleMillis> <side key>...}
     *
     * @param args the plan and the sides
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: B11Harness <warmupMillis> <samples> <sampleMillis> <side key>...");
            System.exit(2);
        }
        Plan plan = new Plan(Long.parseLong(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), List.of());
        List<Side> order = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            order.add(Side.ofKey(args[i]));
        }
        int status = 0;
        try (TestingCluster cluster = new TestingCluster(SERVERS)) {
            cluster.start();
            List<String> servers = new ArrayList<>();
            for (InstanceSpec spec : cluster.getInstances()) {
                servers.add(spec.getHostname() + ":" + spec.getPort());
            }
            // every server answers before the first side (an ensemble elects its leader after start returns)
            for (String s : servers) {
                connect(s).close();
            }
            // every side first runs once, unmeasured, for its warm-up: the servers run in this
            // JVM, and the first side measured would otherwise warm up their code (and the
            // client libraries) for the sides after it while it takes its own samples
            Plan warm = new Plan(plan.warmupMillis(), 1, 1, List.of());
            int w = 0;
            for (Side side : order) {
                measure(side, servers, "/b11-warm-" + (++w) + "-" + side.primitive().id() + "-" + side.impl().id(), warm);
            }
            int n = 0;
            for (Side side : order) {
                Result r = measure(side, servers, "/b11-" + (++n) + "-" + side.primitive().id() + "-" + side.impl().id(),
                        plan);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("key", side.key());
                line.put("samples_ms", r.samplesMs());
                line.put("requests_per_op", r.requestsPerOp());
                line.put("ops", r.ops());
                System.out.println("B11-RESULT " + Json.write(line).replace("\n", ""));
            }
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        // Curator's and ZooKeeper's non-daemon threads may outlive close(): end the JVM here
        Runtime.getRuntime().halt(status);
    }
}
