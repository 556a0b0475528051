package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * Neither the JVM's deadlock detection nor {@link Diagnostics} reports a deadlock that does not
 * exist while locks change hands all the time: platform and virtual threads take mutexes and
 * an RwLock's write side in one global order (so no deadlock can form), with hand-offs,
 * recursive holds, barging, timed waits that give up and wait-any, while a checker thread asks both
 * detectors over and over. A stale owner on a parked thread's blocker, or a snapshot that mixes
 * moments, would show up as a reported cycle.
 */
class NoFalseDeadlockTest {
    private static final int ITERATIONS = 3_000;

    @Test
    void orderedLockingUnderChurnIsNeverReportedAsADeadlock() throws Exception {
        Mutex a = new Mutex();
        Mutex b = new Mutex(Fairness.BARGING); // taken lock-free past its queued waiters too
        RwLock rw = RwLock.preferWriters();
        Mutex c = new Mutex();
        Lock[] order = {a, b, rw.writeLock(), c};
        int workers = 6;
        CountDownLatch done = new CountDownLatch(workers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            long seed = 17L * i + 1;
            Runnable work = () -> {
                try {
                    churn(order, new SplittableRandom(seed));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            };
            threads.add(i % 2 == 0 ? Thread.ofPlatform().daemon().name("churn-" + i).start(work)
                    : Thread.ofVirtual().name("churn-" + i).start(work));
        }
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        int checks = 0;
        while (!done.await(0, TimeUnit.MILLISECONDS)) {
            long[] jvm = bean.findDeadlockedThreads();
            assertNull(jvm, () -> "the JVM reported a deadlock: " + Arrays.toString(bean.getThreadInfo(jvm, true, true)));
            List<Diagnostics.Deadlock> ours = Diagnostics.findDeadlocks();
            assertEquals(List.of(), ours, () -> "Diagnostics reported a deadlock:\n" + Diagnostics.report());
            checks++;
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get(), () -> "a worker failed: " + failure.get());
        assertTrue(checks > 0, "the checker never ran while the workers did");
        assertEquals("Mutex[free, waiters=0]", a.toString());
    }

    private static void churn(Lock[] order, SplittableRandom rnd) throws InterruptedException {
        for (int i = 0; i < ITERATIONS; i++) {
            List<Lock> held = new ArrayList<>();
            int from = rnd.nextInt(order.length);
            for (int k = from; k < order.length; k++) {
                if (rnd.nextInt(3) == 0) {
                    continue;
                }
                Lock l = order[k];
                int how = rnd.nextInt(6);
                if (how == 0) {
                    if (l.tryLock(rnd.nextInt(50), TimeUnit.MICROSECONDS)) {
                        held.add(l);
                    }
                } else if (how == 1 && l instanceof Mutex m && k + 1 < order.length && order[k + 1] instanceof Mutex n) {
                    // wait-any of two locks above everything held: still in order
                    int got = Wait.any(Duration.ofMillis(5), m, n);
                    if (got >= 0) {
                        held.add(got == 0 ? m : n);
                        k += got; // n taken: skip past it
                    }
                } else {
                    l.lockInterruptibly();
                    held.add(l);
                    if (how == 2 && l instanceof Mutex m) {
                        m.lock(); // a recursive hold
                        held.add(m);
                    }
                }
            }
            if (rnd.nextInt(4) == 0) {
                Thread.onSpinWait();
            }
            for (int k = held.size() - 1; k >= 0; k--) {
                held.get(k).unlock();
            }
        }
    }
}
