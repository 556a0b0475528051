package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import io.waitkit.internal.EngineProbe;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link Fairness#BARGING} objects beyond the mutex and semaphore contracts
 * (docs/semantics.md#fairness-modes): a running thread may take the object between a release
 * and the woken waiter's return; a woken waiter that loses keeps the head of the queue; a
 * wake-up is never lost when the woken waiter times out, is interrupted or cancelled; wait-any
 * acquires exactly one and wait-all all or nothing with barging members; an abandoned barging
 * mutex is reported once, to whoever takes it first.
 *
 * <p>Whether a running thread gets in before the woken waiter depends on scheduling, so the
 * tests of overtaking repeat their scenario until it happens (it does within a few tries: the
 * waiter needs a wake-up, the running thread one CAS) and fail if it never does. Races meant
 * to lose a wake-up are repeated many times with seeded random timing; a lost wake-up shows as
 * a thread that does not finish within {@link Threads#BOUND}.
 */
class BargingTest {
    private static final Duration LONG = Threads.BOUND;
    private static final int ATTEMPTS = 200;

    /** A thread that locks {@code m}, records its turn, and unlocks once {@code go} opens. */
    private static Forked<Void> lockerOf(Mutex m, String name, ConcurrentLinkedQueue<String> order, CountDownLatch go) {
        return Forked.run(name, () -> {
            m.lock();
            order.add(name);
            go.await();
            m.unlock();
        });
    }

    /** Waits until the woken waiters of {@code o} have competed and {@code queue} is its queue. */
    private static void awaitQueue(Object o, List<Thread> queue, String what) {
        try {
            Threads.awaitCondition(() -> EngineProbe.wokenWaiters(o) == 0 && EngineProbe.queuedOwners(o).equals(queue),
                    what + " (expected queue " + queue + ")");
        } catch (AssertionError e) {
            StringBuilder stacks = new StringBuilder();
            for (Thread t : queue) {
                stacks.append(Threads.stack(t));
            }
            throw new AssertionError(e.getMessage() + "; " + EngineProbe.describe(o) + ", queue "
                    + EngineProbe.queuedOwners(o) + stacks, e);
        }
    }

    // ---------------------------------------------------------------- overtaking

    @Test
    void aRunningThreadMayTakeABargingMutexBeforeTheWokenWaiter() {
        boolean overtaken = false;
        for (int attempt = 0; attempt < ATTEMPTS && !overtaken; attempt++) {
            Mutex m = new Mutex(Fairness.BARGING);
            m.lock();
            CountDownLatch go = new CountDownLatch(1);
            Forked<Void> w = lockerOf(m, "waiter", new ConcurrentLinkedQueue<>(), go).awaitBlocked();
            m.unlock();
            if (m.tryLock()) {
                overtaken = true;
                awaitQueue(m, List.of(w.thread()), "the overtaken waiter stays queued");
                m.unlock();
            }
            go.countDown();
            w.join();
            assertNull(m.owner());
            assertTrue(EngineProbe.queueEmpty(m));
        }
        assertTrue(overtaken, "a running thread never got in between the release and the woken waiter in "
                + ATTEMPTS + " tries");
    }

    @Test
    void lockOfABargingMutexTakesItFreePastAQueuedWaiterWhichKeepsItsPlace() {
        boolean overtaken = false;
        for (int attempt = 0; attempt < ATTEMPTS && !overtaken; attempt++) {
            Mutex m = new Mutex(Fairness.BARGING);
            m.lock();
            CountDownLatch go = new CountDownLatch(1);
            go.countDown(); // a waiter that gets the mutex first gives it back at once
            Forked<Void> w = lockerOf(m, "waiter", new ConcurrentLinkedQueue<>(), go).awaitBlocked();
            m.unlock();
            m.lock(); // the running thread's path into a mutex whose queue is not empty
            assertTrue(m.isHeldByCurrentThread());
            assertEquals(Thread.currentThread(), m.owner());
            if (!EngineProbe.queueEmpty(m)) {
                overtaken = true;
                awaitQueue(m, List.of(w.thread()), "the overtaken waiter stays queued");
            }
            m.unlock();
            w.join();
            assertNull(m.owner());
            assertTrue(EngineProbe.queueEmpty(m));
        }
        assertTrue(overtaken, "lock() never got in between the release and the woken waiter in "
                + ATTEMPTS + " tries");
    }

    @Test
    void aRunningThreadNeverTakesAHandOffMutexFromTheWaiter() {
        for (int attempt = 0; attempt < 20; attempt++) {
            Mutex m = new Mutex(Fairness.HAND_OFF);
            m.lock();
            CountDownLatch go = new CountDownLatch(1);
            Forked<Void> w = Forked.run("waiter", () -> {
                m.lock();
                go.await();
                m.unlock();
            }).awaitBlocked();
            m.unlock();
            assertFalse(m.tryLock(), "the release handed the mutex to the waiter");
            go.countDown();
            w.join();
            assertNull(m.owner());
        }
    }

    @Test
    void aRunningThreadMayTakeABargingSemaphoresPermitBeforeTheWokenWaiter() throws InterruptedException {
        boolean overtaken = false;
        for (int attempt = 0; attempt < ATTEMPTS && !overtaken; attempt++) {
            Semaphore s = new Semaphore(0, 1, Fairness.BARGING);
            Forked<Void> w = Forked.run("waiter", s::acquire).awaitBlocked();
            s.release();
            if (s.tryAcquire()) {
                overtaken = true;
                awaitQueue(s, List.of(w.thread()), "the overtaken waiter stays queued");
                assertFalse(w.isDone());
                s.release();
            }
            w.join();
            assertEquals(0, s.availablePermits());
        }
        assertTrue(overtaken, "a running thread never got in between the release and the woken waiter in "
                + ATTEMPTS + " tries");
    }

    @Test
    void aWokenWaiterThatLosesKeepsTheHeadOfTheQueueAndIsServedFirst() {
        boolean lost = false;
        for (int attempt = 0; attempt < ATTEMPTS && !lost; attempt++) {
            Mutex m = new Mutex(Fairness.BARGING);
            ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            m.lock();
            Forked<Void> first = lockerOf(m, "first", order, go).awaitBlocked();
            Forked<Void> second = lockerOf(m, "second", order, go).awaitBlocked();
            assertEquals(List.of(first.thread(), second.thread()), EngineProbe.queuedOwners(m));
            m.unlock();
            if (m.tryLock()) {
                lost = true;
                awaitQueue(m, List.of(first.thread(), second.thread()), "the woken waiter lost and kept its place");
                m.unlock();
            }
            go.countDown();
            first.join();
            second.join();
            assertEquals(List.of("first", "second"), List.copyOf(order));
            assertNull(m.owner());
        }
        assertTrue(lost, "the woken waiter never lost to a running thread in " + ATTEMPTS + " tries");
    }

    @Test
    void aReleaseOfNPermitsWakesAsManyWaitersAsItCanServeAndNoMore() {
        Semaphore s = new Semaphore(0, 4, Fairness.BARGING);
        Forked<Void> a = Forked.run("a", () -> s.acquire(2)).awaitBlocked();
        Forked<Void> b = Forked.run("b", s::acquire).awaitBlocked();
        Forked<Void> c = Forked.run("c", s::acquire).awaitBlocked();
        s.release(3); // a (2) and b (1)
        a.join();
        b.join();
        awaitQueue(s, List.of(c.thread()), "c was not woken: nothing was left for it");
        assertEquals(0, s.availablePermits());
        s.release();
        c.join();
        assertEquals(0, s.availablePermits());
    }

    // ---------------------------------------------------------------- no lost wake-up

    @Test
    void aWokenWaiterThatTimesOutPassesTheWakeUpOn() {
        SplittableRandom random = new SplittableRandom(15_001);
        for (int i = 0; i < 300; i++) {
            Mutex m = new Mutex(Fairness.BARGING);
            m.lock();
            long timeout = random.nextLong(2_000_000L);
            Forked<Boolean> first = Forked.call("first", () -> {
                boolean got = m.tryLock(Duration.ofNanos(timeout));
                if (got) {
                    m.unlock();
                }
                return got;
            });
            Forked<Void> second = Forked.run("second", () -> {
                m.lock();
                m.unlock();
            }).awaitBlocked();
            jitter(random.nextLong(2_000_000L));
            m.unlock();
            first.join();
            second.join(); // a lost wake-up leaves it blocked: the join fails after the bound
            assertNull(m.owner());
        }
    }

    @Test
    void aWokenWaiterThatIsInterruptedPassesTheWakeUpOn() {
        SplittableRandom random = new SplittableRandom(15_002);
        for (int i = 0; i < 300; i++) {
            Semaphore s = new Semaphore(0, 1, Fairness.BARGING);
            AtomicBoolean firstGot = new AtomicBoolean();
            Forked<Void> first = Forked.run("first", () -> {
                try {
                    s.acquire();
                    firstGot.set(true);
                } catch (InterruptedException e) {
                    // withdrew: nothing taken
                }
            }).awaitBlocked();
            Forked<Void> second = Forked.run("second", s::acquire).awaitBlocked();
            if (random.nextBoolean()) {
                s.release();
                first.interrupt();
            } else {
                first.interrupt();
                s.release();
            }
            first.join();
            if (firstGot.get()) {
                s.release(); // the first kept the permit: pass it on by hand
            }
            second.join();
            assertEquals(0, s.availablePermits());
        }
    }

    @Test
    void aCancelledAsyncLockNeverLosesTheWakeUpOfTheWaiterBehindIt() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Mutex m = new Mutex(Fairness.BARGING);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Forked<Void> holder = Forked.run("holder", () -> {
                m.lock();
                held.countDown();
                go.await();
                m.unlock();
            });
            held.await();
            CompletableFuture<Void> f = m.lockAsync();
            Forked<Void> behind = Forked.run("behind", () -> {
                m.lock();
                m.unlock();
            }).awaitBlocked();
            go.countDown();
            if (!f.cancel(false)) {
                f.join(); // completed first: this thread owns the mutex
                assertTrue(m.isHeldByCurrentThread());
                m.unlock();
            }
            holder.join();
            behind.join();
            assertNull(m.owner());
        }
    }

    // ---------------------------------------------------------------- wait-any, wait-all

    @Test
    void waitAnyOverBargingObjectsAcquiresExactlyOneWhileRunningThreadsCompete() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(15_003);
        for (int i = 0; i < 200; i++) {
            Mutex m1 = new Mutex(Fairness.BARGING);
            Mutex m2 = new Mutex(Fairness.BARGING);
            Semaphore s = new Semaphore(0, 2, Fairness.BARGING);
            m1.lock();
            m2.lock();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger bargerPermits = new AtomicInteger();
            Forked<Void> barger = Forked.run("barger", () -> {
                while (!stop.get()) {
                    if (m1.tryLock()) {
                        m1.unlock();
                    }
                    if (m2.tryLock()) {
                        m2.unlock();
                    }
                    if (s.tryAcquire()) {
                        bargerPermits.incrementAndGet();
                    }
                }
            });
            boolean single = random.nextBoolean(); // a wait on one object is woken, on several handed off
            Forked<Integer> any = Forked.call("any", () -> {
                int k = single ? Wait.any(LONG, m1) : Wait.any(LONG, m1, m2, s);
                int held = (m1.isHeldByCurrentThread() ? 1 : 0) + (m2.isHeldByCurrentThread() ? 1 : 0);
                if (m1.isHeldByCurrentThread()) {
                    m1.unlock();
                }
                if (m2.isHeldByCurrentThread()) {
                    m2.unlock();
                }
                return k == 2 ? 10 + held : held;
            }).awaitBlocked();
            s.release(2);
            m2.unlock();
            m1.unlock();
            int r = any.join();
            stop.set(true);
            barger.join();
            if (r >= 10) {
                assertEquals(10, r, "took a permit and also holds a mutex");
                assertEquals(1, bargerPermits.get() + s.availablePermits(), "two permits, one to the wait-any");
            } else {
                assertEquals(1, r, "the wait-any holds exactly one mutex");
                assertEquals(2, bargerPermits.get() + s.availablePermits(), "the wait-any took no permit");
            }
            assertNull(m1.owner());
            assertNull(m2.owner());
        }
    }

    @Test
    void waitAllWithBargingMembersTakesAllAtOnceAndReservesNothingMeanwhile() throws InterruptedException {
        Mutex m = new Mutex(Fairness.BARGING);
        Semaphore s = new Semaphore(0, 1, Fairness.BARGING);
        m.lock();
        Forked<Boolean> all = Forked.call("all", () -> {
            boolean got = Wait.all(LONG, m, s);
            boolean both = m.isHeldByCurrentThread() && s.availablePermits() == 0;
            m.unlock();
            return got && both;
        }).awaitBlocked();
        m.unlock();
        assertFalse(all.isDone(), "the semaphore is still empty");
        assertTrue(m.tryLock(), "a wait-all reserves nothing while it waits");
        m.unlock();
        s.release();
        assertTrue(all.join(), "acquired both at once");
        assertNull(m.owner());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void waitAllWithBargingMembersIsNeverPartialUnderCompetition() throws InterruptedException {
        Mutex m = new Mutex(Fairness.BARGING);
        Semaphore s = new Semaphore(1, 1, Fairness.BARGING);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger violations = new AtomicInteger();
        Forked<Void> barger = Forked.run("barger", () -> {
            while (!stop.get()) {
                if (m.tryLock()) {
                    m.unlock();
                }
                if (s.tryAcquire()) {
                    s.release();
                }
            }
        });
        Forked<Void> all = Forked.run("all", () -> {
            for (int i = 0; i < 2_000; i++) {
                assertTrue(Wait.all(LONG, m, s));
                if (!m.isHeldByCurrentThread() || s.tryAcquire()) {
                    violations.incrementAndGet();
                }
                s.release();
                m.unlock();
            }
        });
        all.join();
        stop.set(true);
        barger.join();
        assertEquals(0, violations.get());
        assertNull(m.owner());
        assertEquals(1, s.availablePermits());
    }

    // ---------------------------------------------------------------- abandonment

    @Test
    void anAbandonedBargingMutexIsReportedOnceToWhoeverTakesItFirst() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            Mutex m = new Mutex(Fairness.BARGING);
            CountDownLatch owned = new CountDownLatch(1);
            CountDownLatch die = new CountDownLatch(1);
            Forked<Void> owner = Forked.run("doomed", () -> {
                m.lock();
                owned.countDown();
                die.await();
            });
            owned.await();
            AtomicInteger reports = new AtomicInteger();
            Forked<Void> waiter = Forked.run("waiter", () -> {
                try {
                    m.lock();
                } catch (AbandonedMutexException e) {
                    reports.incrementAndGet();
                }
                m.unlock();
            }).awaitBlocked();
            die.countDown();
            owner.join();
            while (!waiter.isDone()) {
                try {
                    if (m.tryLock()) {
                        m.unlock();
                    }
                } catch (AbandonedMutexException e) {
                    reports.incrementAndGet();
                    m.unlock();
                }
            }
            waiter.join();
            assertEquals(1, reports.get(), "the abandonment is reported exactly once");
            assertFalse(m.isAbandoned());
            assertNull(m.owner());
        }
    }

    // ---------------------------------------------------------------- virtual threads, conditions

    @Test
    void virtualAndPlatformThreadsContendingOnBargingObjectsKeepExclusionAndPermitBounds() {
        Mutex m = new Mutex(Fairness.BARGING);
        Semaphore s = new Semaphore(3, 3, Fairness.BARGING);
        long[] counter = new long[1];
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        List<Forked<Void>> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 24; t++) {
            Forked.Body body = () -> {
                for (int i = 0; i < 300; i++) {
                    m.lock();
                    try {
                        counter[0]++;
                    } finally {
                        m.unlock();
                    }
                    s.acquire();
                    try {
                        if (inside.incrementAndGet() > 3) {
                            violations.incrementAndGet();
                        }
                        Thread.onSpinWait();
                        inside.decrementAndGet();
                    } finally {
                        s.release();
                    }
                }
            };
            threads.add(t % 3 == 0 ? Forked.run("platform-" + t, body) : Forked.runVirtual("virtual-" + t, body));
        }
        for (Forked<Void> t : threads) {
            t.join();
        }
        assertEquals(24L * 300, counter[0], "no increment lost under the barging mutex");
        assertEquals(0, violations.get(), "never more than 3 holders of the 3 permits");
        assertEquals(3, s.availablePermits());
        assertNull(m.owner());
        assertTrue(EngineProbe.queueEmpty(m) && EngineProbe.queueEmpty(s));
    }

    @Test
    void aConditionWaitOnABargingMutexReacquiresItWithTheSameHoldCount() throws InterruptedException {
        Mutex m = new Mutex(Fairness.BARGING);
        java.util.concurrent.locks.Condition c = m.newCondition();
        AtomicBoolean ready = new AtomicBoolean();
        Forked<Integer> waiter = Forked.call("waiter", () -> {
            m.lock();
            m.lock();
            try {
                while (!ready.get()) {
                    c.await();
                }
                return m.holdCount();
            } finally {
                m.unlock();
                m.unlock();
            }
        });
        Threads.awaitCondition(() -> m.owner() == null && waiter.thread().getState() == Thread.State.WAITING,
                "the waiter released the mutex and waits on the condition");
        m.lock();
        ready.set(true);
        c.signal();
        m.unlock();
        assertEquals(2, waiter.join());
        assertNull(m.owner());
    }

    /** Busy-waits about {@code nanos}: varies the timing of a race, synchronizes nothing. */
    private static void jitter(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0L) {
            Thread.onSpinWait();
        }
    }
}
