package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.internal.OwnerBlocker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A platform thread blocked on a Mutex (or an RwLock) parks on an {@link OwnerBlocker} naming
 * the owner, so the JVM's own deadlock detection ({@link ThreadMXBean#findDeadlockedThreads()},
 * the same code as {@code jstack}'s) reports deadlocks among Waitkit locks, with the right
 * threads and lock owners, follows hand-offs, and reports no chain without a cycle.
 *
 * <p>Deadlocked threads are daemons blocked interruptibly; every test breaks its deadlock by
 * interrupting them and joins them.
 */
class JvmDeadlockDetectionTest {
    private static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void breakDeadlocks() throws InterruptedException {
        for (Thread t : started) {
            t.interrupt();
        }
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t + " did not end after its interrupt");
        }
    }

    /** Starts a daemon that holds {@code holds} (in order), then blocks on {@code waitsFor}. */
    private Thread holdThenWait(String name, CountDownLatch holding, Lock waitsFor, Lock... holds) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            for (Lock l : holds) {
                l.lock();
            }
            holding.countDown();
            try {
                holding.await();
                waitsFor.lockInterruptibly();
                waitsFor.unlock();
            } catch (InterruptedException e) {
                // the test breaks the deadlock this way
            } finally {
                for (Lock l : holds) {
                    l.unlock();
                }
            }
        });
        started.add(t);
        t.start();
        return t;
    }

    /** Waits (bounded) until {@code t} is parked on the {@link OwnerBlocker} of {@code lock}. */
    private static OwnerBlocker parkedOnOwnerBlocker(Thread t, Object lock) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            Object b = LockSupport.getBlocker(t);
            if (b instanceof OwnerBlocker ob && ob.lock() == lock && t.getState() == Thread.State.WAITING) {
                return ob;
            }
            assertTrue(System.nanoTime() - deadline < 0, t + " did not park on the OwnerBlocker of " + lock + ": " + b + ", " + t.getState());
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static long[] sortedIds(Thread... threads) {
        return Arrays.stream(threads).mapToLong(Thread::threadId).sorted().toArray();
    }

    private static long[] deadlocked() {
        long[] ids = BEAN.findDeadlockedThreads();
        if (ids != null) {
            Arrays.sort(ids);
        }
        return ids;
    }

    private static void assertWaitsFor(Thread waiter, Object lock, Thread owner) {
        OwnerBlocker b = parkedOnOwnerBlocker(waiter, lock);
        ThreadInfo info = BEAN.getThreadInfo(waiter.threadId());
        assertNotNull(info.getLockInfo(), waiter + " has no lock info");
        assertEquals(OwnerBlocker.class.getName(), info.getLockInfo().getClassName());
        assertEquals(System.identityHashCode(b), info.getLockInfo().getIdentityHashCode());
        assertEquals(owner == null ? -1L : owner.threadId(), info.getLockOwnerId(), waiter + ": lock owner");
        if (owner != null) {
            assertEquals(owner.getName(), info.getLockOwnerName());
        }
    }

    @Test
    void twoThreadMutexDeadlockIsReportedWithTheOwnersAndLocks() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        CountDownLatch holding = new CountDownLatch(2);
        Thread t1 = holdThenWait("dl-1", holding, b, a);
        Thread t2 = holdThenWait("dl-2", holding, a, b);
        assertWaitsFor(t1, b, t2);
        assertWaitsFor(t2, a, t1);
        assertArrayEquals(sortedIds(t1, t2), deadlocked());
        assertInstanceOf(OwnerBlocker.class, LockSupport.getBlocker(t1));
    }

    @Test
    void threeThreadMutexCycleIsReported() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        Mutex c = new Mutex();
        CountDownLatch holding = new CountDownLatch(3);
        Thread t1 = holdThenWait("cycle-1", holding, b, a);
        Thread t2 = holdThenWait("cycle-2", holding, c, b);
        Thread t3 = holdThenWait("cycle-3", holding, a, c);
        assertWaitsFor(t1, b, t2);
        assertWaitsFor(t2, c, t3);
        assertWaitsFor(t3, a, t1);
        assertArrayEquals(sortedIds(t1, t2, t3), deadlocked());
    }

    @Test
    void rwLockWriteSideDeadlockWithAMutexIsReported() {
        RwLock rw = RwLock.preferWriters();
        Mutex m = new Mutex();
        CountDownLatch holding = new CountDownLatch(2);
        Thread writer = holdThenWait("rw-writer", holding, m, rw.writeLock());
        Thread t2 = holdThenWait("rw-other", holding, rw.writeLock(), m);
        assertWaitsFor(writer, m, t2);
        assertWaitsFor(t2, rw, writer);
        assertArrayEquals(sortedIds(writer, t2), deadlocked());
    }

    @Test
    void readerBlockedByAWriterInACycleIsReported() {
        RwLock rw = RwLock.preferReaders();
        Mutex m = new Mutex();
        CountDownLatch holding = new CountDownLatch(2);
        Thread writer = holdThenWait("rw-writer", holding, m, rw.writeLock());
        Thread reader = holdThenWait("rw-reader", holding, rw.readLock(), m);
        assertWaitsFor(writer, m, reader); // both parked before the JVM is asked
        assertWaitsFor(reader, rw, writer);
        assertArrayEquals(sortedIds(writer, reader), deadlocked());
    }

    @Test
    void waitChainWithoutACycleIsNotReported() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        Mutex c = new Mutex();
        c.lock(); // held by the test thread, which is not blocked
        try {
            CountDownLatch holding = new CountDownLatch(2);
            Thread t1 = holdThenWait("chain-1", holding, b, a);
            Thread t2 = holdThenWait("chain-2", holding, c, b);
            assertWaitsFor(t1, b, t2);
            assertWaitsFor(t2, c, Thread.currentThread());
            assertNull(deadlocked(), "a chain ending at a running thread is no deadlock");
        } finally {
            c.unlock();
        }
    }

    @Test
    void ownerShownFollowsTheHandOffAndACycleThroughItIsReported() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        a.lock();
        a.lock(); // a recursive hold changes nothing
        Thread t1;
        Thread t2;
        try {
            CountDownLatch first = new CountDownLatch(1);
            // t1 queues on a first; once it gets a (by hand-off) it blocks on b
            t1 = Thread.ofPlatform().daemon().name("handoff-1").unstarted(() -> {
                try {
                    a.lockInterruptibly();
                    try {
                        b.lockInterruptibly();
                        b.unlock();
                    } finally {
                        a.unlock();
                    }
                } catch (InterruptedException e) {
                    // broken by the test
                }
            });
            started.add(t1);
            t1.start();
            assertWaitsFor(t1, a, Thread.currentThread());
            t2 = holdThenWait("handoff-2", first, a, b); // holds b, queues on a behind t1
            assertWaitsFor(t2, a, Thread.currentThread());
            a.unlock();
            assertWaitsFor(t2, a, Thread.currentThread()); // still held once
            assertNull(deadlocked());
        } finally {
            a.unlock(); // hands a to t1
        }
        assertWaitsFor(t1, b, t2);
        assertWaitsFor(t2, a, t1);
        assertArrayEquals(sortedIds(t1, t2), deadlocked());
    }

    @Test
    void abandonedMutexTakenOverShowsTheNewOwner() throws InterruptedException {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        Thread dying = Thread.ofPlatform().daemon().name("dying").start(() -> {
            a.lock();
            locked.countDown();
            try {
                die.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        locked.await();
        // t1 holds b and waits for a (owned by a thread about to die); t2 then waits for b
        Thread t1 = Thread.ofPlatform().daemon().name("taker").unstarted(() -> {
            b.lock();
            try {
                try {
                    a.lockInterruptibly();
                } catch (AbandonedMutexException e) {
                    // owned now
                }
                try {
                    b.lockInterruptibly(); // recursive: immediate
                    b.unlock();
                    Mutex never = new Mutex();
                    never.lock(); // owned by this thread only: the next wait is on the test's mutex
                    new CountDownLatch(1).await();
                } finally {
                    a.unlock();
                }
            } catch (InterruptedException e) {
                // broken by the test
            } finally {
                b.unlock();
            }
        });
        started.add(t1);
        t1.start();
        assertWaitsFor(t1, a, dying);
        die.countDown();
        dying.join();
        // the watchdog hands a to t1, which then waits on a latch (not a Waitkit lock)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (a.owner() != t1) {
            assertTrue(System.nanoTime() - deadline < 0, "a was not taken over: " + a);
            LockSupport.parkNanos(1_000_000L);
        }
        Thread t2 = holdThenWait("after-takeover", new CountDownLatch(0), a);
        assertWaitsFor(t2, a, t1);
        assertNull(deadlocked());
    }

    /**
     * A barging mutex taken lock-free past a queued waiter does not record its owner at once:
     * the woken waiter records it when it loses and parks again, so a deadlock through the
     * barged-in owner is reported. The owner re-takes the mutex right after releasing it; in
     * the rare run where the woken waiter takes it first, no deadlock forms and the scenario
     * is run again with fresh locks.
     */
    @Test
    void ownerThatBargedPastAQueuedWaiterIsShownAndACycleThroughItIsReported() throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            Mutex m = new Mutex(Fairness.BARGING);
            Mutex l = new Mutex();
            CountDownLatch xHolds = new CountDownLatch(1);
            CountDownLatch wQueued = new CountDownLatch(1);
            Thread x = Thread.ofPlatform().daemon().name("barger-" + attempt).unstarted(() -> {
                m.lock();
                xHolds.countDown();
                try {
                    wQueued.await();
                    m.unlock(); // wakes the queued waiter...
                    m.lock(); // ...and takes the mutex again first, almost always
                    l.lockInterruptibly();
                    l.unlock();
                } catch (InterruptedException e) {
                    // broken by the test
                } finally {
                    m.unlock();
                }
            });
            started.add(x);
            x.start();
            assertTrue(xHolds.await(30, TimeUnit.SECONDS));
            Thread w = holdThenWait("woken-" + attempt, new CountDownLatch(0), m, l);
            assertWaitsFor(w, m, x);
            wQueued.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (w.isAlive() && deadlocked() == null) {
                assertTrue(System.nanoTime() - deadline < 0, "neither a deadlock nor the woken waiter's win");
                LockSupport.parkNanos(1_000_000L);
            }
            if (!w.isAlive()) {
                x.join(TimeUnit.SECONDS.toMillis(30)); // the waiter won: no cycle formed, try again
                assertFalse(x.isAlive());
                continue;
            }
            assertArrayEquals(sortedIds(w, x), deadlocked());
            assertWaitsFor(w, m, x);
            assertWaitsFor(x, l, w);
            return;
        }
        throw new AssertionError("the woken waiter won all 20 times: the barging owner never re-took the mutex first");
    }
}
