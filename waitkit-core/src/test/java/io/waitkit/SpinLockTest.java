package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The rules of {@link SpinLock}. */
class SpinLockTest {
    private static final long BOUND_SECONDS = 60;

    @Test
    void platformAndVirtualThreadsNeverOverlapInTheCriticalSectionAndNoIncrementIsLost() throws Exception {
        SpinLock lock = new SpinLock();
        int[] counter = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        int threads = 8;
        int each = 20_000;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Runnable body = () -> {
                for (int i = 0; i < each; i++) {
                    lock.lock();
                    try {
                        if (inside.incrementAndGet() != 1) {
                            failure.set("two threads inside");
                        }
                        counter[0]++;
                        inside.decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
            };
            ts.add(t % 2 == 0 ? Thread.ofPlatform().start(body) : Thread.ofVirtual().start(body));
        }
        for (Thread t : ts) {
            assertTrue(t.join(Duration.ofSeconds(BOUND_SECONDS)), "a thread did not finish");
        }
        assertNull(failure.get());
        assertEquals(threads * each, counter[0]);
        assertFalse(lock.isLocked());
    }

    @Test
    void manyMoreVirtualThreadsThanCarriersAllGetTheLockBecauseWaitersYieldTheirCarriers() throws Exception {
        SpinLock lock = new SpinLock();
        int threads = 200;
        CountDownLatch done = new CountDownLatch(threads);
        int[] counter = {0};
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                ex.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        lock.lock();
                        try {
                            counter[0]++;
                            if (i % 50 == 0) {
                                Thread.yield(); // a holder that loses its carrier: waiters must yield theirs
                            }
                        } finally {
                            lock.unlock();
                        }
                    }
                    done.countDown();
                });
            }
            assertTrue(done.await(BOUND_SECONDS, TimeUnit.SECONDS), "left: " + done.getCount());
        }
        assertEquals(threads * 200, counter[0]);
    }

    @Test
    void tryLockFailsWhileHeldAndSucceedsOnceFree() throws Exception {
        SpinLock lock = new SpinLock();
        lock.lock();
        AtomicReference<Boolean> other = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> other.set(lock.tryLock()));
        t.join(Duration.ofSeconds(BOUND_SECONDS));
        assertEquals(Boolean.FALSE, other.get());
        assertTrue(lock.isHeldByCurrentThread());
        lock.unlock();
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    @Test
    void timedTryLockOnAHeldLockTimesOutNeverEarlyAndAZeroTimeTriesOnce() throws Exception {
        SpinLock lock = new SpinLock();
        Thread holder = Thread.ofPlatform().start(lock::lock);
        holder.join(Duration.ofSeconds(BOUND_SECONDS));
        assertTrue(lock.isLocked());
        long t0 = System.nanoTime();
        assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50), "never early");
        assertFalse(lock.tryLock(0, TimeUnit.SECONDS));
        assertFalse(lock.tryLock(-5, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
    }

    @Test
    void anInterruptEndsLockInterruptiblyAndTimedTryLockWithoutAcquiringAndLockKeepsTheStatus() throws Exception {
        SpinLock lock = new SpinLock();
        lock.lock();
        AtomicReference<Throwable> r = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                lock.lockInterruptibly();
                r.set(new AssertionError("acquired a held lock"));
            } catch (Throwable e) {
                r.set(e);
            }
        });
        started.await();
        t.interrupt();
        t.join(Duration.ofSeconds(BOUND_SECONDS));
        assertTrue(r.get() instanceof InterruptedException, String.valueOf(r.get()));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted(), "the status is cleared by the exception");
        lock.unlock();
        Thread.currentThread().interrupt();
        lock.lock(); // lock() ignores the interrupt
        assertTrue(Thread.interrupted(), "and keeps the status");
        lock.unlock();
    }

    @Test
    void unlockByANonOwnerAndARecursiveLockAreRefusedAndLeaveTheLockUsable() throws Exception {
        SpinLock lock = new SpinLock();
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock of a free lock");
        lock.lock();
        AtomicReference<Throwable> r = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                lock.unlock();
            } catch (Throwable e) {
                r.set(e);
            }
        });
        t.join(Duration.ofSeconds(BOUND_SECONDS));
        assertTrue(r.get() instanceof IllegalMonitorStateException);
        IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, lock::lock);
        assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
        assertTrue(lock.isHeldByCurrentThread(), "still held once");
        lock.unlock();
        assertFalse(lock.isLocked());
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertEquals("SpinLock[free]", lock.toString());
    }
}
