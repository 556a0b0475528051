package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The contract of an owned, recursive mutex with abandonment, after NT's mutexes (as Linux's ntsync
 * driver implements them) and docs/semantics.md#abandonment: recursion, {@code release()} returns
 * the previous hold count, a release by a non-owner throws {@link IllegalMonitorStateException} and
 * changes nothing, the final release hands the mutex to the first waiter before it returns, and a
 * mutex whose owner died is abandoned: the next acquisition (by any form) takes it with hold count
 * 1 and then reports {@link AbandonedMutexException}; a thread already blocked learns of the death
 * within {@link #abandonmentDetectionBound()}.
 *
 * <p>A backend whose release wakes the first waiter to compete again instead of handing off
 * (barging) overrides {@link #handsOff()}: every rule holds for it except that a state read
 * right after the release shows the waiter as owner; where a test checks that, the barging
 * variant checks that the woken waiter takes the mutex once it has run (nobody else competes
 * in these tests), and {@link #finalReleaseFreesTheMutexAndTheWokenWaiterTakesIt()} checks
 * the barging release itself.
 *
 * <p>A backend extends this class and implements the two factories; see {@link ContractBase}
 * for the hooks it may override.
 */
public abstract class MutexContract extends ContractBase {
    /**
     * Creates an unowned mutex.
     *
     * @return the mutex
     */
    protected abstract MutexUnderTest newMutex();

    /**
     * Creates a mutex owned by the calling thread with hold count 1.
     *
     * @return the mutex
     */
    protected abstract MutexUnderTest newMutexOwnedByCurrentThread();

    /**
     * Whether the final release hands the mutex to the first waiter before it returns (the
     * default) rather than freeing it and waking the waiter to compete again (barging).
     *
     * @return true for hand-off
     */
    protected boolean handsOff() {
        return true;
    }

    /**
     * After a release that had {@code t} queued first and nobody else competing: with
     * hand-off {@code t} owns the mutex already; with barging it takes it once it has run.
     */
    private void assertPassesTo(MutexUnderTest m, Thread t, String what) {
        if (handsOff()) {
            assertSame(t, m.owner(), what);
        } else {
            Threads.awaitCondition(() -> m.owner() == t, what + " (barging: once the woken waiter has run)");
        }
    }

    private static void assertFree(MutexUnderTest m) {
        assertNull(m.owner(), "owner of a free mutex");
        assertEquals(0, m.holdCount(), "hold count of a free mutex");
        assertFalse(m.isHeldByCurrentThread());
        assertFalse(m.isAbandoned());
    }

    private static void assertOwnedByMe(MutexUnderTest m, int holds) {
        assertSame(Thread.currentThread(), m.owner());
        assertEquals(holds, m.holdCount());
        assertTrue(m.isHeldByCurrentThread());
        assertFalse(m.isAbandoned());
    }

    /** Starts a thread that locks m, reports, waits for {@code go}, then unlocks. */
    private Forked<Void> lockerThatUnlocksOn(MutexUnderTest m, CountDownLatch locked, CountDownLatch go, String name) {
        return Forked.run(name, () -> {
            m.lock();
            locked.countDown();
            go.await();
            m.unlock();
        });
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void newMutexIsFree() {
        assertFree(newMutex());
    }

    @Test
    public void mutexCreatedOwnedBelongsToTheCreatorWithHoldCountOne() {
        MutexUnderTest m = newMutexOwnedByCurrentThread();
        assertOwnedByMe(m, 1);
        assertEquals(1, m.release());
        assertFree(m);
    }

    @Test
    public void ownerMayAcquireAgainAndReleaseReturnsThePreviousHoldCount() throws InterruptedException {
        MutexUnderTest m = newMutex();
        m.lock();
        assertTrue(m.tryLock());
        assertTrue(m.tryLock(SHORT));
        m.lockInterruptibly();
        assertOwnedByMe(m, 4);
        assertEquals(4, m.release());
        assertEquals(3, m.release());
        assertEquals(2, m.release());
        assertOwnedByMe(m, 1);
        assertEquals(1, m.release());
        assertFree(m);
    }

    @Test
    public void releaseOfAFreeMutexThrowsIllegalMonitorStateAndChangesNothing() {
        MutexUnderTest m = newMutex();
        assertThrows(IllegalMonitorStateException.class, m::release);
        assertThrows(IllegalMonitorStateException.class, m::unlock);
        assertFree(m);
        assertTrue(m.tryLock(), "still usable");
        assertOwnedByMe(m, 1);
        m.unlock();
    }

    @Test
    public void releaseByANonOwnerThrowsIllegalMonitorStateAndChangesNothing() {
        MutexUnderTest m = newMutex();
        m.lock();
        m.lock();
        Forked<Void> intruder = Forked.run("intruder", () -> {
            assertThrows(IllegalMonitorStateException.class, m::release);
            assertThrows(IllegalMonitorStateException.class, m::unlock);
            assertFalse(m.isHeldByCurrentThread());
            assertFalse(m.tryLock(), "owned by another thread");
        });
        intruder.join();
        assertOwnedByMe(m, 2);
        assertEquals(2, m.release());
        assertEquals(1, m.release());
        assertFree(m);
    }

    @Test
    public void pollsOfAMutexOwnedElsewhereFailAtOnceAndChangeNothing() throws InterruptedException {
        MutexUnderTest m = newMutex();
        try (OtherOwner other = holdElsewhere(m)) {
            assertFalse(m.tryLock());
            assertFalse(m.tryLock(Duration.ZERO));
            assertFalse(m.tryLock(Duration.ofMillis(-1)));
            assertFalse(m.tryLock(Deadline.now()));
            assertSame(other.thread(), m.owner());
            assertEquals(1, m.holdCount());
            assertFalse(m.isHeldByCurrentThread());
        }
        assertFree(m);
    }

    @Test
    public void timedLockOfAMutexOwnedElsewhereTimesOutNeverEarly() throws InterruptedException {
        MutexUnderTest m = newMutex();
        try (OtherOwner other = holdElsewhere(m)) {
            long t0 = System.nanoTime();
            assertFalse(m.tryLock(SHORT));
            assertNeverEarly(t0, SHORT);
            t0 = System.nanoTime();
            assertFalse(m.tryLock(Deadline.after(SHORT)));
            assertNeverEarly(t0, SHORT);
            assertSame(other.thread(), m.owner());
        }
        assertFree(m);
    }

    @Test
    public void freeMutexIsTakenEvenWithADeadlineThatPassedLongAgo() throws InterruptedException {
        MutexUnderTest m = newMutex();
        assertTrue(m.tryLock(Deadline.from(Deadline.now(), Duration.ofSeconds(-1))));
        assertOwnedByMe(m, 1);
        m.unlock();
    }

    @Test
    public void waitableIsAcceptedByWaitAny() throws InterruptedException {
        MutexUnderTest m = newMutex();
        assertEquals(0, Wait.any(Duration.ZERO, m.waitable()));
        assertOwnedByMe(m, 1);
        m.unlock();
    }

    // ---------------------------------------------------------------- wake-ups and hand-off

    @Test
    public void finalReleaseHandsTheMutexToTheWaiterBeforeReturning() {
        assumeTrue(handsOff(), "barging: see finalReleaseFreesTheMutexAndTheWokenWaiterTakesIt");
        MutexUnderTest m = newMutex();
        m.lock();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> w = lockerThatUnlocksOn(m, locked, go, "waiter");
        awaitBlocked(w.thread());
        assertEquals(1, m.release());
        assertSame(w.thread(), m.owner(), "the waiter owns the mutex right after release returns");
        assertEquals(1, m.holdCount());
        assertFalse(m.isHeldByCurrentThread());
        assertFalse(m.tryLock());
        go.countDown();
        w.join();
        assertFree(m);
    }

    @Test
    public void finalReleaseFreesTheMutexAndTheWokenWaiterTakesIt() {
        assumeFalse(handsOff(), "hand-off: see finalReleaseHandsTheMutexToTheWaiterBeforeReturning");
        MutexUnderTest m = newMutex();
        m.lock();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> w = lockerThatUnlocksOn(m, locked, go, "waiter");
        awaitBlocked(w.thread());
        assertEquals(1, m.release());
        assertFalse(m.isHeldByCurrentThread());
        Thread o = m.owner();
        assertTrue(o == null || o == w.thread(), "free, or already taken by the woken waiter: " + o);
        await(locked);
        assertSame(w.thread(), m.owner());
        assertEquals(1, m.holdCount());
        assertFalse(m.tryLock());
        go.countDown();
        w.join();
        assertFree(m);
    }

    @Test
    public void recursiveOwnerMustReleaseEveryHoldBeforeTheHandOff() {
        MutexUnderTest m = newMutex();
        m.lock();
        m.lock();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> w = lockerThatUnlocksOn(m, locked, go, "waiter");
        awaitBlocked(w.thread());
        assertEquals(2, m.release());
        assertOwnedByMe(m, 1);
        assertFalse(w.isDone());
        assertEquals(1, m.release());
        assertPassesTo(m, w.thread(), "the final release passes the mutex on");
        go.countDown();
        w.join();
        assertFree(m);
    }

    @Test
    public void waitersAcquireInArrivalOrder() {
        MutexUnderTest m = newMutex();
        m.lock();
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> first = lockerThatUnlocksOn(m, new CountDownLatch(1), go, "first");
        awaitBlocked(first.thread());
        CountDownLatch secondGo = new CountDownLatch(1);
        Forked<Void> second = lockerThatUnlocksOn(m, new CountDownLatch(1), secondGo, "second");
        awaitBlocked(second.thread());
        m.unlock();
        assertPassesTo(m, first.thread(), "the unlock passed it to first");
        go.countDown();
        first.join();
        assertPassesTo(m, second.thread(), "first's unlock passed it to second");
        secondGo.countDown();
        second.join();
        assertFree(m);
    }

    @Test
    public void timedLockIsWokenByUnlock() {
        MutexUnderTest m = newMutex();
        m.lock();
        Forked<Boolean> w = Forked.call("waiter", () -> {
            boolean got = m.tryLock(LONG);
            if (got) {
                m.unlock();
            }
            return got;
        });
        awaitBlocked(w.thread());
        m.unlock();
        assertTrue(w.join());
        assertFree(m);
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeLockingInterruptiblyThrowsAndTakesNothing() {
        MutexUnderTest m = newMutex();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, m::lockInterruptibly);
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> m.tryLock(LONG));
        assertFree(m);
    }

    @Test
    public void interruptWhileBlockedThrowsAndTheMutexGoesToTheNextWaiter() {
        MutexUnderTest m = newMutex();
        m.lock();
        Forked<Void> first = Forked.run("first", m::lockInterruptibly);
        awaitBlocked(first.thread());
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> second = lockerThatUnlocksOn(m, new CountDownLatch(1), go, "second");
        awaitBlocked(second.thread());
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        m.unlock();
        assertPassesTo(m, second.thread(), "the unlock passed it to the waiter left");
        go.countDown();
        second.join();
        assertFree(m);
    }

    @Test
    public void interruptedLoneWaiterIsWithdrawnSoTheMutexStaysFree() {
        MutexUnderTest m = newMutex();
        m.lock();
        Forked<Boolean> w = Forked.call("waiter", () -> m.tryLock(LONG));
        awaitBlocked(w.thread());
        w.interrupt();
        w.joinFailure(InterruptedException.class);
        m.unlock();
        assertFree(m);
    }

    @Test
    public void lockIgnoresInterruptsAndReassertsTheStatus() {
        MutexUnderTest m = newMutex();
        m.lock();
        Forked<Boolean> w = Forked.call("waiter", () -> {
            m.lock();
            boolean interrupted = Thread.currentThread().isInterrupted();
            m.unlock();
            return interrupted;
        });
        awaitBlocked(w.thread());
        w.interrupt();
        awaitBlocked(w.thread());
        assertFalse(w.isDone());
        m.unlock();
        assertTrue(w.join(), "lock() re-asserts the interrupt");
        assertFree(m);
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncLockOfAFreeMutexCompletesAtOnceForTheCaller() {
        MutexUnderTest m = newMutex();
        CompletableFuture<Void> f = m.lockAsync();
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertOwnedByMe(m, 1);
        m.unlock();
    }

    @Test
    public void asyncLockByTheOwnerIsRecursive() {
        MutexUnderTest m = newMutex();
        m.lock();
        assertTrue(m.lockAsync().isDone());
        assertOwnedByMe(m, 2);
        m.unlock();
        m.unlock();
    }

    @Test
    public void pendingAsyncLockCompletesInsideTheUnlockForTheThreadThatStartedIt() {
        MutexUnderTest m = newMutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> other = lockerThatUnlocksOn(m, locked, go, "other");
        await(locked);
        CompletableFuture<Void> f = m.lockAsync();
        assertFalse(f.isDone());
        go.countDown();
        other.join();
        assertTrue(f.isDone());
        assertOwnedByMe(m, 1);
        m.unlock();
        assertFree(m);
    }

    @Test
    public void cancelledAsyncLockIsWithdrawnSoTheUnlockLeavesTheMutexFree() {
        MutexUnderTest m = newMutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> other = lockerThatUnlocksOn(m, locked, go, "other");
        await(locked);
        CompletableFuture<Void> f = m.lockAsync();
        assertTrue(f.cancel(false));
        go.countDown();
        other.join();
        assertFree(m);
    }

    // ---------------------------------------------------------------- abandonment

    @Test
    public void mutexWhoseOwnerDiedIsAbandonedAndReadingDoesNotClearIt() {
        MutexUnderTest m = newMutex();
        abandon(m);
        for (int i = 0; i < 3; i++) {
            assertTrue(m.isAbandoned(), "read " + i);
            assertNull(m.owner());
            assertEquals(0, m.holdCount());
            assertFalse(m.isHeldByCurrentThread());
        }
    }

    private void assertTakenOverAfterAbandonment(MutexUnderTest m, AbandonedMutexException e) {
        assertEquals(-1, e.mutexIndex(), "single waits report index -1");
        assertReportsMutex(m, e);
        assertOwnedByMe(m, 1);
        assertEquals(1, m.release());
        assertFree(m);
        m.lock();
        assertOwnedByMe(m, 1);
        m.unlock();
    }

    @Test
    public void lockOfAnAbandonedMutexTakesOwnershipThenThrows() {
        MutexUnderTest m = newMutex();
        abandon(m);
        AbandonedMutexException e = assertThrows(AbandonedMutexException.class, m::lock);
        assertTakenOverAfterAbandonment(m, e);
    }

    @Test
    public void tryLockOfAnAbandonedMutexTakesOwnershipThenThrows() {
        MutexUnderTest m = newMutex();
        abandon(m);
        AbandonedMutexException e = assertThrows(AbandonedMutexException.class, m::tryLock);
        assertTakenOverAfterAbandonment(m, e);
    }

    @Test
    public void timedTryLockOfAnAbandonedMutexTakesOwnershipThenThrows() {
        MutexUnderTest m = newMutex();
        abandon(m);
        AbandonedMutexException e = assertThrows(AbandonedMutexException.class, () -> m.tryLock(LONG));
        assertTakenOverAfterAbandonment(m, e);
    }

    @Test
    public void lockInterruptiblyOfAnAbandonedMutexTakesOwnershipThenThrows() {
        MutexUnderTest m = newMutex();
        abandon(m);
        AbandonedMutexException e = assertThrows(AbandonedMutexException.class, m::lockInterruptibly);
        assertTakenOverAfterAbandonment(m, e);
    }

    @Test
    public void asyncLockOfAnAbandonedMutexFailsWithOwnershipTaken() {
        MutexUnderTest m = newMutex();
        abandon(m);
        CompletableFuture<Void> f = m.lockAsync();
        assertTrue(f.isCompletedExceptionally());
        CompletionException ce = assertThrows(CompletionException.class, f::join);
        assertTrue(ce.getCause() instanceof AbandonedMutexException, "cause: " + ce.getCause());
        assertTakenOverAfterAbandonment(m, (AbandonedMutexException) ce.getCause());
    }

    @Test
    public void abandonmentDiscardsTheDeadOwnersRecursion() {
        MutexUnderTest m = newMutex();
        ownOnDoomedThread(m, 3).die();
        assertTrue(m.isAbandoned());
        assertThrows(AbandonedMutexException.class, m::lock);
        assertOwnedByMe(m, 1);
        assertEquals(1, m.release());
        assertFree(m);
    }

    @Test
    public void releaseOfAnAbandonedMutexThrowsAndKeepsItAbandoned() {
        MutexUnderTest m = newMutex();
        abandon(m);
        assertThrows(IllegalMonitorStateException.class, m::release);
        assertTrue(m.isAbandoned());
        assertThrows(AbandonedMutexException.class, m::tryLock);
        m.unlock();
    }

    @Test
    public void blockedLockLearnsOfTheOwnersDeathWithinTheBound() {
        MutexUnderTest m = newMutex();
        DoomedOwner owner = ownOnDoomedThread(m, 2);
        AtomicLong acquiredAt = new AtomicLong();
        Forked<AbandonedMutexException> w = Forked.call("waiter", () -> {
            try {
                m.lock();
            } catch (AbandonedMutexException e) {
                acquiredAt.set(System.nanoTime());
                assertTrue(m.isHeldByCurrentThread());
                assertEquals(1, m.holdCount());
                m.unlock();
                return e;
            }
            m.unlock();
            return fail("lock() returned normally after the owner died holding the mutex");
        });
        awaitBlocked(w.thread());
        long died = owner.die();
        AbandonedMutexException e = w.join();
        assertEquals(-1, e.mutexIndex());
        assertReportsMutex(m, e);
        assertWithinDetectionBound(died, acquiredAt.get());
        assertFree(m);
    }

    @Test
    public void pendingAsyncLockLearnsOfTheOwnersDeathWithinTheBound() {
        MutexUnderTest m = newMutex();
        DoomedOwner owner = ownOnDoomedThread(m, 1);
        AtomicLong completedAt = new AtomicLong();
        CompletableFuture<Void> f = m.lockAsync();
        CompletableFuture<Void> observed = f.whenComplete((v, t) -> completedAt.set(System.nanoTime()));
        long died = owner.die();
        Threads.awaitCondition(observed::isDone, "the async lock did not complete after the owner died");
        assertWithinDetectionBound(died, completedAt.get());
        CompletionException ce = assertThrows(CompletionException.class, f::join);
        assertTrue(ce.getCause() instanceof AbandonedMutexException, "cause: " + ce.getCause());
        assertOwnedByMe(m, 1);
        m.unlock();
        assertFree(m);
    }
}
