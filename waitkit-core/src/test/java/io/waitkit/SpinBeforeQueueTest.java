package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine's spinning on locks and semaphores (a platform thread retries the lock-free path
 * for a while before it queues, a queued one checks its status before it parks, and on 4+ CPUs
 * a hand-off unparks the next waiter ahead of its turn) must not change any rule: a queued
 * waiter is still served first by hand-off, a spinning thread still answers interrupts and
 * short timeouts, and nothing is left behind by a spinner that gives up. The build also runs
 * this class with wake-ahead forced on (the {@code wake-ahead} surefire execution).
 */
class SpinBeforeQueueTest {
    private static final Duration LONG = Threads.BOUND;

    @Test
    void aQueuedWaiterIsHandedTheMutexBeforeAThreadThatSpinsForIt() throws Exception {
        Mutex m = new Mutex();
        AtomicInteger order = new AtomicInteger();
        m.lock();
        Forked<Integer> queued = Forked.call("queued", () -> {
            assertTrue(m.tryLock(LONG));
            int turn = order.incrementAndGet();
            m.unlock();
            return turn;
        }).awaitBlocked(); // parked: past its spin, so queued on the mutex
        CountDownLatch spinning = new CountDownLatch(1);
        Forked<Integer> spinner = Forked.call("spinner", () -> {
            spinning.countDown();
            assertTrue(m.tryLock(LONG));
            int turn = order.incrementAndGet();
            m.unlock();
            return turn;
        });
        spinning.await();
        m.unlock(); // hands the mutex to the queued thread inside this call
        assertEquals(1, queued.join(), "the queued waiter acquires first");
        assertEquals(2, spinner.join());
        assertNull(m.owner());
    }

    @Test
    void aThreadThatArrivesWhileTwoAreQueuedTakesTheMutexOnlyAfterBoth() throws Exception {
        // on a small machine the arrival goes on spinning while others are queued (it yields
        // instead of queueing at once): it must still wait until the queue has drained
        Mutex m = new Mutex();
        AtomicInteger order = new AtomicInteger();
        m.lock();
        @SuppressWarnings("unchecked")
        Forked<Integer>[] queued = new Forked[2];
        for (int i = 0; i < queued.length; i++) {
            queued[i] = Forked.call("queued-" + i, () -> {
                assertTrue(m.tryLock(LONG));
                int turn = order.incrementAndGet();
                m.unlock();
                return turn;
            }).awaitBlocked(); // parked: queued, in this order
        }
        CountDownLatch arriving = new CountDownLatch(1);
        Forked<Integer> arrival = Forked.call("arrival", () -> {
            arriving.countDown();
            assertTrue(m.tryLock(LONG));
            int turn = order.incrementAndGet();
            m.unlock();
            return turn;
        });
        arriving.await();
        m.unlock();
        assertEquals(1, queued[0].join(), "the first queued waiter is served first");
        assertEquals(2, queued[1].join(), "its unlock hands the mutex to the second queued waiter");
        assertEquals(3, arrival.join(), "the arrival only gets what the queue left free");
        assertNull(m.owner());
    }

    @Test
    void aQueuedSemaphoreWaiterIsServedBeforeALaterArrival() throws Exception {
        Semaphore s = new Semaphore(0, 1);
        Forked<Boolean> queued = Forked.call("queued", () -> s.tryAcquire(LONG)).awaitBlocked();
        s.release();
        // the release handed the permit over: nothing is left for a later arrival
        assertFalse(s.tryAcquire());
        assertTrue(queued.join());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void interruptingAThreadThatSpinsOrWaitsForAMutexThrowsAndLeavesNothingHeld() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        CountDownLatch started = new CountDownLatch(1);
        Forked<Void> waiter = Forked.run("waiter", () -> {
            started.countDown();
            m.lockInterruptibly();
        });
        started.await();
        waiter.interrupt(); // while it spins, or later once it is queued: the same outcome
        waiter.joinFailure(InterruptedException.class);
        assertSame(Thread.currentThread(), m.owner());
        m.unlock();
        assertNull(m.owner(), "nothing was handed to the interrupted waiter");
        assertTrue(Forked.call("later", () -> {
            boolean got = m.tryLock();
            m.unlock();
            return got;
        }).join());
    }

    @Test
    void aTimeoutShorterThanTheSpinEndsTheWaitAndQueuesNothing() throws Exception {
        Mutex m = new Mutex();
        Semaphore s = new Semaphore(0, 1);
        m.lock();
        Forked<Boolean> lock = Forked.call("lock", () -> m.tryLock(Duration.ofNanos(2_000)));
        Forked<Boolean> acquire = Forked.call("acquire", () -> s.tryAcquire(Duration.ofNanos(2_000)));
        assertFalse(lock.join());
        assertFalse(acquire.join());
        m.unlock();
        assertNull(m.owner(), "no waiter was left queued on the mutex");
        s.release();
        assertEquals(1, s.availablePermits(), "no waiter was left queued on the semaphore");
    }

    @Test
    void manyThreadsSpinningAndQueueingOnOneMutexKeepMutualExclusionAndLoseNoUnlock() throws Exception {
        Mutex m = new Mutex();
        int threads = 6;
        int rounds = 20_000;
        long[] counter = new long[1];
        CountDownLatch start = new CountDownLatch(1);
        @SuppressWarnings("unchecked")
        Forked<Void>[] workers = new Forked[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Forked.run("worker-" + i, () -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    m.lock();
                    try {
                        counter[0]++;
                    } finally {
                        m.unlock();
                    }
                }
            });
        }
        start.countDown();
        for (Forked<Void> w : workers) {
            w.join();
        }
        assertEquals((long) threads * rounds, counter[0]);
        assertNull(m.owner());
    }

    @Test
    void manyThreadsSpinningAndQueueingOnOneSemaphoreNeverHoldMoreThanItsPermits() throws Exception {
        int permits = 2;
        Semaphore s = new Semaphore(permits, permits);
        int threads = 8; // more than the CPUs of a small machine: spinners yield, the queue drains
        int rounds = 10_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        @SuppressWarnings("unchecked")
        Forked<Void>[] workers = new Forked[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = Forked.run("worker-" + i, () -> {
                start.await();
                for (int r = 0; r < rounds; r++) {
                    s.acquire();
                    try {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                    } finally {
                        s.release();
                    }
                }
            });
        }
        start.countDown();
        for (Forked<Void> w : workers) {
            w.join();
        }
        assertTrue(most.get() <= permits, "at most " + permits + " holders at once, saw " + most.get());
        assertEquals(permits, s.availablePermits(), "every permit came back");
    }
}
