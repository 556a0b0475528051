package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Servers killed and restarted one at a time while three namespaces (separate sessions, as
 * separate processes) hammer one mutex and one semaphore: mutual exclusion and the permit
 * bound hold throughout, every worker keeps making progress (no wait hangs: each is bounded,
 * and a run ends only when every worker has finished its loop), and no abandonment is
 * reported (sessions outlive a server restart: a release that finds no server is made again
 * in order, and the sessions' timeout of 30 s outlasts a leader election and reconnection also
 * on 2 busy cores, where 10 s did not always). A few seconds in the normal build;
 * {@code -Dwaitkit.zk.chaos.seconds=600} for a long run.
 */
class ZkChaosTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();

    @Test
    // every wait of the run is bounded (60 s each); the build's default of 120 s per test would
    // cut a long run given with -Dwaitkit.zk.chaos.seconds
    @Timeout(value = 12, unit = TimeUnit.HOURS)
    public void serverRestartsLoseNothingAndBreakNeitherExclusionNorThePermitBound() throws Exception {
        long seconds = Long.getLong("waitkit.zk.chaos.seconds", 4L);
        long seed = Long.getLong("waitkit.zk.chaos.seed", System.nanoTime());
        String root = Ensemble.freshRoot("chaos");
        List<ZkNamespace> ns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ns.add(ensemble.namespace(root, 30_000));
        }
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger permitsInUse = new AtomicInteger();
        AtomicLong lockOps = new AtomicLong();
        AtomicLong permitOps = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (ZkNamespace n : ns) {
            ZkMutex m = n.mutex("m");
            ZkSemaphore s = n.semaphore("s", 2, 2);
            for (int t = 0; t < 2; t++) {
                workers.add(Thread.ofPlatform().name("chaos-worker").start(() -> {
                    try {
                        while (!stop.get()) {
                            if (!m.tryLock(Duration.ofSeconds(60))) {
                                throw new AssertionError("no lock within 60 s: a hang");
                            }
                            try {
                                if (inside.incrementAndGet() != 1) {
                                    throw new AssertionError("two holders of the mutex at once");
                                }
                                inside.decrementAndGet();
                                lockOps.incrementAndGet();
                            } finally {
                                m.unlock();
                            }
                            if (!s.tryAcquire(Duration.ofSeconds(60))) {
                                throw new AssertionError("no permit within 60 s: a hang or a leaked lease");
                            }
                            try {
                                if (permitsInUse.incrementAndGet() > 2) {
                                    throw new AssertionError("more permits in use than the maximum");
                                }
                                permitsInUse.decrementAndGet();
                                permitOps.incrementAndGet();
                            } finally {
                                s.release();
                            }
                        }
                    } catch (Throwable x) {
                        failures.add(x);
                    }
                }));
            }
        }
        Random random = new Random(seed);
        List<InstanceSpec> servers = new ArrayList<>(ensemble.cluster.getInstances());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int restarts = 0;
        try {
            do {
                InstanceSpec victim = servers.get(random.nextInt(servers.size()));
                long before = lockOps.get();
                assertTrue(ensemble.cluster.killServer(victim), "killed " + victim);
                awaitProgress(lockOps, before, failures); // two servers of three still serve
                assertTrue(ensemble.cluster.restartServer(victim), "restarted " + victim);
                restarts++;
                awaitProgress(lockOps, lockOps.get(), failures);
            } while (System.nanoTime() - end < 0 && failures.isEmpty());
        } finally {
            stop.set(true);
            for (Thread w : workers) {
                w.join(TimeUnit.SECONDS.toMillis(120));
                assertTrue(!w.isAlive(), "a worker hangs");
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("seed " + seed + ": " + failures.peek(), failures.peek());
            failures.forEach(e::addSuppressed);
            throw e;
        }
        System.out.printf("zk chaos: %d s, seed %d: %d server restarts, %d lock/unlock and %d acquire/release across 3 sessions%n",
                seconds, seed, restarts, lockOps.get(), permitOps.get());
        assertTrue(restarts > 0);
        assertEquals(2, ns.get(0).semaphore("s", 2, 2).availablePermits(), "every permit is back (seed " + seed + ")");
        assertTrue(lockOps.get() > 0 && permitOps.get() > 0);
    }

    /** Waits (bounded) until the workers made some progress since {@code since}. */
    private static void awaitProgress(AtomicLong ops, long since, ConcurrentLinkedQueue<Throwable> failures) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ops.get() < since + 5 && failures.isEmpty()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("no progress within 60 s after a server was killed or restarted");
            }
            // progress of other threads across ZooKeeper: read again after a short pause
            Thread.sleep(10);
        }
    }
}
