package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Abandoned mutexes in process (docs/semantics.md#abandonment): an owner thread that terminates
 * holding a mutex abandons it, without help from the application; the next acquisition by any form
 * takes it with hold count 1 and reports {@link AbandonedMutexException}; the mark is cleared once
 * taken; threads already blocked learn of the death within 100 ms (the owner watchdog polls every
 * 20 ms). The contracts cover lock, tryLock, lockAsync, Wait.any and Wait.all once each; this class
 * covers the remaining forms, hand-off order, the watchdog's own paths and virtual thread owners.
 */
class AbandonmentTest {
    private static final Duration BOUND = Duration.ofMillis(100);
    private static final Duration LONG = Threads.BOUND;

    /** An owner thread (platform or virtual) that holds a mutex until told to die. */
    private static final class Doomed {
        final CountDownLatch locked = new CountDownLatch(1);
        final CountDownLatch die = new CountDownLatch(1);
        final AtomicLong diedAt = new AtomicLong();
        final Forked<Void> thread;

        Doomed(Mutex m, int holds, boolean virtual) {
            Forked.Body body = () -> {
                for (int i = 0; i < holds; i++) {
                    m.lock();
                }
                locked.countDown();
                die.await();
                diedAt.set(System.nanoTime());
            };
            thread = virtual ? Forked.runVirtual("doomed-virtual", body) : Forked.run("doomed", body);
            await(locked);
        }

        long die() {
            die.countDown();
            thread.join();
            return diedAt.get();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(Threads.BOUND.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertWithinBound(long died, long learnt, String form) {
        assertTrue(learnt != 0L, form + ": acquisition time not recorded");
        double ms = (learnt - died) / 1e6;
        assertTrue(ms < BOUND.toMillis(), form + ": learnt of the owner's death after " + ms + " ms (bound " + BOUND + "; "
                + Threads.machineLoad() + ")");
    }

    /** Runs {@code wait} on a waiter thread that must end with AbandonedMutexException; returns it. */
    private static AbandonedMutexException blockedWaiterLearnsWithinBound(String form, Mutex m, Forked.Body wait) {
        Doomed owner = new Doomed(m, 1, false);
        AtomicLong learnt = new AtomicLong();
        Forked<AbandonedMutexException> w = Forked.call(form, () -> {
            try {
                wait.run();
            } catch (AbandonedMutexException e) {
                learnt.set(System.nanoTime());
                assertTrue(m.isHeldByCurrentThread(), form + ": ownership taken");
                assertEquals(1, m.holdCount());
                m.unlock();
                return e;
            }
            return fail(form + " returned normally");
        });
        w.awaitBlocked();
        long died = owner.die();
        AbandonedMutexException e = w.join();
        assertWithinBound(died, learnt.get(), form);
        assertSame(m, e.mutex());
        assertNull(m.owner());
        return e;
    }

    @Test
    void blockedTimedTryLockLearnsOfTheDeathWithinTheBound() {
        Mutex m = new Mutex();
        AbandonedMutexException e = blockedWaiterLearnsWithinBound("tryLock(Duration)", m, () -> m.tryLock(LONG));
        assertEquals(-1, e.mutexIndex());
    }

    @Test
    void blockedTimeUnitTryLockLearnsOfTheDeathWithinTheBound() {
        Mutex m = new Mutex();
        blockedWaiterLearnsWithinBound("tryLock(long, TimeUnit)", m, () -> m.tryLock(20, TimeUnit.SECONDS));
    }

    @Test
    void blockedLockInterruptiblyLearnsOfTheDeathWithinTheBound() {
        Mutex m = new Mutex();
        blockedWaiterLearnsWithinBound("lockInterruptibly()", m, m::lockInterruptibly);
    }

    @Test
    void blockedDeadlineWaitAnyLearnsOfTheDeathWithinTheBoundWithTheMutexIndex() {
        Mutex m = new Mutex();
        Semaphore s = new Semaphore(0, 1);
        AbandonedMutexException e = blockedWaiterLearnsWithinBound("Wait.any(Deadline)", m,
                () -> Wait.any(Deadline.after(LONG), s, s, m, m));
        assertEquals(2, e.mutexIndex(), "the lowest index of the duplicated mutex");
        assertEquals(0, s.availablePermits());
    }

    @Test
    void blockedTimedWaitAllLearnsOfTheDeathWithinTheBound() {
        Mutex m = new Mutex();
        Event e = Event.manualReset(true);
        AbandonedMutexException ex = blockedWaiterLearnsWithinBound("Wait.all(Duration)", m,
                () -> Wait.all(LONG, e, m));
        assertEquals(-1, ex.mutexIndex());
    }

    @Test
    void blockedVirtualThreadLearnsOfTheDeathWithinTheBound() {
        Mutex m = new Mutex();
        Doomed owner = new Doomed(m, 1, false);
        AtomicLong learnt = new AtomicLong();
        Forked<Boolean> w = Forked.callVirtual("virtual-waiter", () -> {
            try {
                m.lock();
                return false;
            } catch (AbandonedMutexException e) {
                learnt.set(System.nanoTime());
                m.unlock();
                return true;
            }
        });
        w.awaitBlocked();
        long died = owner.die();
        assertTrue(w.join());
        assertWithinBound(died, learnt.get(), "virtual thread lock()");
    }

    @Test
    void pendingAsyncWaitAnyLearnsOfTheDeathWithinTheBound() {
        Mutex m = new Mutex();
        Event e = Event.autoReset(false);
        Doomed owner = new Doomed(m, 1, false);
        AtomicLong learnt = new AtomicLong();
        CompletableFuture<Integer> f = Wait.anyAsync(e, m);
        CompletableFuture<Integer> observed = f.whenComplete((i, t) -> learnt.set(System.nanoTime()));
        long died = owner.die();
        Threads.awaitCondition(observed::isDone, "anyAsync did not complete after the owner died");
        assertWithinBound(died, learnt.get(), "anyAsync");
        AbandonedMutexException ex = (AbandonedMutexException) assertThrows(CompletionException.class, f::join).getCause();
        assertEquals(1, ex.mutexIndex());
        assertTrue(m.isHeldByCurrentThread(), "taken for the thread that started the async wait");
        m.unlock();
        assertFalse(e.isSignaled());
        e.set();
        assertTrue(e.isSignaled(), "the completed wait was withdrawn from the event");
    }

    @Test
    void pendingAsyncWaitAllLearnsOfTheDeathWithinTheBound() {
        Mutex m = new Mutex();
        Semaphore s = new Semaphore(1, 1);
        Doomed owner = new Doomed(m, 1, false);
        AtomicLong learnt = new AtomicLong();
        CompletableFuture<Void> f = Wait.allAsync(s, m);
        CompletableFuture<Void> observed = f.whenComplete((v, t) -> learnt.set(System.nanoTime()));
        long died = owner.die();
        Threads.awaitCondition(observed::isDone, "allAsync did not complete after the owner died");
        assertWithinBound(died, learnt.get(), "allAsync");
        AbandonedMutexException ex = (AbandonedMutexException) assertThrows(CompletionException.class, f::join).getCause();
        assertEquals(-1, ex.mutexIndex());
        assertEquals(0, s.availablePermits());
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
    }

    @Test
    void detectionStaysWithinTheBoundOverRepeatedDeaths() {
        // ten rounds, so a latency that is only sometimes too long shows up here
        List<Double> latencies = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            Mutex m = new Mutex();
            Doomed owner = new Doomed(m, 1, false);
            AtomicLong learnt = new AtomicLong();
            Forked<Void> w = Forked.run("waiter-" + round, () -> {
                assertThrows(AbandonedMutexException.class, m::lock);
                learnt.set(System.nanoTime());
                m.unlock();
            });
            w.awaitBlocked();
            long died = owner.die();
            w.join();
            latencies.add((learnt.get() - died) / 1e6);
        }
        double max = latencies.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(max < BOUND.toMillis(), "latencies (ms): " + latencies + " (" + Threads.machineLoad() + ")");
    }

    // ---------------------------------------------------------------- hand-off order and the mark

    @Test
    void deathHandsTheMutexToTheFirstWaiterOnlyAndTheNextGetsItNormally() {
        Mutex m = new Mutex();
        Doomed owner = new Doomed(m, 2, false);
        CountDownLatch firstMayUnlock = new CountDownLatch(1);
        Forked<Boolean> first = Forked.call("first", () -> {
            try {
                m.lock();
                return false;
            } catch (AbandonedMutexException e) {
                firstMayUnlock.await();
                m.unlock();
                return true;
            }
        }).awaitBlocked();
        Forked<Boolean> second = Forked.call("second", () -> {
            try {
                m.lock();
            } catch (AbandonedMutexException e) {
                return false;
            }
            m.unlock();
            return true;
        }).awaitBlocked();
        owner.die();
        Threads.awaitCondition(() -> m.owner() == first.thread(), "the first waiter did not take the mutex");
        assertEquals(1, m.holdCount());
        assertFalse(m.isAbandoned());
        assertFalse(second.isDone());
        firstMayUnlock.countDown();
        assertTrue(first.join(), "the first waiter is told about the abandonment");
        assertTrue(second.join(), "the second waiter gets a normal hand-off: the mark was cleared");
        assertNull(m.owner());
    }

    @Test
    void abandonedMutexThatOnlyAnUnsatisfiableWaitAllWantsStaysAbandonedUntilTaken() throws InterruptedException {
        Mutex m = new Mutex();
        Event e = Event.autoReset(false);
        Doomed owner = new Doomed(m, 3, false);
        Forked<Boolean> allWaiter = Forked.call("all-waiter", () -> {
            boolean got = Wait.all(LONG, m, e);
            m.unlock();
            return got;
        }).awaitBlocked();
        owner.die();
        // whether or not the watchdog has marked it yet, it reads as abandoned and stays so
        for (int i = 0; i < 5; i++) {
            assertTrue(m.isAbandoned());
            assertNull(m.owner());
            assertEquals(0, m.holdCount());
        }
        AbandonedMutexException ex = assertThrows(AbandonedMutexException.class, () -> Wait.any(Duration.ZERO, e, m));
        assertEquals(1, ex.mutexIndex());
        assertTrue(m.isHeldByCurrentThread());
        assertEquals(1, m.holdCount(), "the dead owner's three holds are gone");
        assertFalse(allWaiter.isDone());
        m.unlock();
        e.set();
        assertTrue(allWaiter.join(), "the all-waiter completes normally: the mark was cleared by the take-over");
        assertNull(m.owner());
        assertFalse(e.isSignaled());
    }

    @Test
    void ownerThatReleasedEverythingBeforeDyingAbandonsNothing() {
        Mutex m = new Mutex();
        Forked.run("tidy", () -> {
            m.lock();
            m.lock();
            m.unlock();
            m.unlock();
        }).join();
        assertFalse(m.isAbandoned());
        m.lock();
        assertEquals(1, m.holdCount());
        m.unlock();
    }

    @Test
    void mutexCreatedOwnedByAThreadThatDiesIsAbandoned() {
        Mutex[] holder = new Mutex[1];
        Forked.run("creator", () -> holder[0] = Mutex.ownedByCurrentThread()).join();
        Mutex m = holder[0];
        assertTrue(m.isAbandoned());
        assertThrows(AbandonedMutexException.class, m::lock);
        assertEquals(1, m.holdCount());
        m.unlock();
        assertFalse(m.isAbandoned());
    }

    @Test
    void virtualThreadOwnerThatTerminatesAbandonsTheMutex() {
        Mutex m = new Mutex();
        new Doomed(m, 1, true).die();
        assertTrue(m.isAbandoned());
        AbandonedMutexException e = assertThrows(AbandonedMutexException.class, () -> m.tryLock(LONG));
        assertSame(m, e.mutex());
        m.unlock();
    }

    @Test
    void abandonmentIsReportedToExactlyOneAcquisition() throws InterruptedException {
        Mutex m = new Mutex();
        new Doomed(m, 1, false).die();
        assertThrows(AbandonedMutexException.class, m::lock);
        m.unlock();
        assertFalse(m.isAbandoned());
        assertTrue(m.tryLock(LONG), "no second report");
        assertEquals(0, Wait.any(Duration.ZERO, m), "recursion, no report");
        m.unlock();
        m.unlock();
        assertNull(m.owner());
    }

    @Test
    void asyncTakeOverOfAnAbandonedMutexOwnsItForTheStartingThreadEvenWhenCompletedElsewhere() throws Exception {
        Mutex m = new Mutex();
        Doomed owner = new Doomed(m, 1, false);
        CompletableFuture<Void> f = m.lockAsync();
        Thread[] completer = new Thread[1];
        CompletableFuture<Void> observed = f.whenComplete((v, t) -> completer[0] = Thread.currentThread());
        owner.die();
        Threads.awaitCondition(observed::isDone, "lockAsync did not complete");
        assertTrue(completer[0] != Thread.currentThread(), "completed by the watchdog, not by this thread");
        assertTrue(m.isHeldByCurrentThread(), "owned by the thread that called lockAsync");
        m.unlock();
    }

    @Test
    void asyncAcquisitionMadeForAThreadThatHasTerminatedLeavesTheMutexAbandonedNotStuck() {
        Mutex m = Mutex.ownedByCurrentThread();
        // a thread starts an async lock and terminates; the acquisition is made for it later
        CompletableFuture<Void> f = Forked.call("starter", m::lockAsync).join();
        assertFalse(f.isDone());
        m.unlock();
        assertTrue(f.isDone(), "handed off to the (dead) starting thread inside unlock");
        assertTrue(m.isAbandoned(), "owned by a dead thread, so abandoned");
        assertNull(m.owner());
        AbandonedMutexException e = assertThrows(AbandonedMutexException.class, m::lock);
        assertSame(m, e.mutex());
        assertEquals(1, m.holdCount());
        m.unlock();
        assertNull(m.owner());
    }

    @Test
    void aSlowCompletionCallbackDoesNotDelayDetectionForOtherMutexes() throws InterruptedException {
        // A callback may take its time (it runs at DISPATCH_LEVEL, which only forbids engine
        // waits); it must not hold up the detection of deaths elsewhere.
        Mutex first = new Mutex();
        Doomed firstOwner = new Doomed(first, 1, false);
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch leaveCallback = new CountDownLatch(1);
        CompletableFuture<Void> slow = first.lockAsync().handle((v, t) -> {
            inCallback.countDown();
            try {
                leaveCallback.await(2, TimeUnit.SECONDS); // bounded, so a failure stays quick
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        Mutex other = new Mutex();
        Doomed otherOwner = new Doomed(other, 1, false);
        AtomicLong learnt = new AtomicLong();
        Forked<Void> waiter = Forked.run("other-waiter", () -> {
            assertThrows(AbandonedMutexException.class, other::lock);
            learnt.set(System.nanoTime());
            other.unlock();
        }).awaitBlocked();
        firstOwner.die();
        await(inCallback); // the slow callback is running now
        long died = otherOwner.die();
        waiter.join();
        leaveCallback.countDown();
        assertWithinBound(died, learnt.get(), "lock() while another mutex's completion callback runs");
        Threads.awaitCondition(slow::isDone, "the slow callback did not finish");
        assertTrue(first.isHeldByCurrentThread());
        first.unlock();
    }
}
