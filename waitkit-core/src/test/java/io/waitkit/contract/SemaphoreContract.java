package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waitkit.Deadline;
import io.waitkit.SemaphoreFullException;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a counting semaphore with a maximum, after NT's semaphores (as Linux's ntsync
 * driver implements them) and docs/semantics.md#decisions: creation validation, release returns the
 * previous count, {@code release(0)} is a no-op, over-release throws {@link SemaphoreFullException}
 * and changes nothing, a release hands permits to up to n waiters (one each, FIFO) before it
 * returns, interrupts and cancels withdraw cleanly.
 *
 * <p>A backend extends this class and implements {@link #newSemaphore}. A backend whose release
 * adds the permits and wakes the first waiters to compete again instead of handing off
 * (barging) overrides {@link #handsOff()}: every rule holds for it except that a count read
 * right after the release shows the waiters' acquisitions; where a test checks that, the
 * barging variant checks the count once the woken waiters have run (nobody else competes in
 * these tests).
 */
public abstract class SemaphoreContract extends ContractBase {
    /**
     * Creates the semaphore under test.
     *
     * @param initial the initial count
     * @param max the maximum count
     * @return the semaphore
     * @throws IllegalArgumentException unless {@code 0 <= initial <= max} and {@code max >= 1}
     */
    protected abstract SemaphoreUnderTest newSemaphore(int initial, int max);

    /**
     * Whether a release hands the permits to queued waiters before it returns (the default)
     * rather than adding them and waking the waiters to compete again (barging).
     *
     * @return true for hand-off
     */
    protected boolean handsOff() {
        return true;
    }

    /**
     * The count after a release that served queued waiters, nobody else competing: with
     * hand-off right after the release, with barging once the woken waiters have run.
     */
    private void assertCountAfterRelease(SemaphoreUnderTest s, int expected, String what) {
        if (handsOff()) {
            assertEquals(expected, s.availablePermits(), what);
        } else {
            Threads.awaitCondition(() -> s.availablePermits() == expected,
                    what + " (barging: once the woken waiters have run): count " + expected);
        }
    }

    private Forked<Void> blockedAcquirer(SemaphoreUnderTest s, String name) {
        Forked<Void> w = Forked.run(name, s::acquire);
        awaitBlocked(w.thread());
        return w;
    }

    // ---------------------------------------------------------------- creation

    @Test
    public void creationRejectsAnInitialCountAboveTheMaximum() {
        assertThrows(IllegalArgumentException.class, () -> newSemaphore(4, 3));
    }

    @Test
    public void creationRejectsNegativeCountsAndAMaximumBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> newSemaphore(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> newSemaphore(0, 0));
        assertThrows(IllegalArgumentException.class, () -> newSemaphore(0, -1));
        assertThrows(IllegalArgumentException.class, () -> newSemaphore(Integer.MIN_VALUE, Integer.MIN_VALUE));
    }

    @Test
    public void creationAcceptsCountsFromZeroToTheMaximum() {
        SemaphoreUnderTest empty = newSemaphore(0, 1);
        assertEquals(0, empty.availablePermits());
        assertEquals(1, empty.maxPermits());
        SemaphoreUnderTest full = newSemaphore(3, 3);
        assertEquals(3, full.availablePermits());
        assertEquals(3, full.maxPermits());
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void releaseReturnsThePreviousCount() {
        SemaphoreUnderTest s = newSemaphore(0, 5);
        assertEquals(0, s.release());
        assertEquals(1, s.release(2));
        assertEquals(3, s.release(2));
        assertEquals(5, s.availablePermits());
    }

    @Test
    public void releaseOfZeroIsANoOpThatReturnsTheCount() {
        SemaphoreUnderTest s = newSemaphore(2, 2);
        assertEquals(2, s.release(0), "release(0) at the maximum is legal");
        assertEquals(2, s.availablePermits());
        SemaphoreUnderTest empty = newSemaphore(0, 2);
        assertEquals(0, empty.release(0));
        assertFalse(empty.tryAcquire());
    }

    @Test
    public void overReleaseThrowsSemaphoreFullAndChangesNothing() {
        SemaphoreUnderTest s = newSemaphore(2, 3);
        SemaphoreFullException e = assertThrows(SemaphoreFullException.class, () -> s.release(2));
        assertTrue(e instanceof IllegalStateException, "SemaphoreFullException is an IllegalStateException");
        assertEquals(2, s.availablePermits(), "state unchanged");
        assertEquals(2, s.release(1));
        assertThrows(SemaphoreFullException.class, s::release);
        assertEquals(3, s.availablePermits());
        assertTrue(s.tryAcquire(), "still usable");
        assertEquals(2, s.availablePermits());
    }

    @Test
    public void releaseThatWouldOverflowAnIntIsRejectedAsFull() {
        SemaphoreUnderTest s = newSemaphore(1, Integer.MAX_VALUE);
        assertThrows(SemaphoreFullException.class, () -> s.release(Integer.MAX_VALUE));
        assertEquals(1, s.availablePermits());
        assertEquals(1, s.release(Integer.MAX_VALUE - 1));
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
        assertThrows(SemaphoreFullException.class, s::release);
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
    }

    @Test
    public void releaseOfANegativeCountIsRejectedAndChangesNothing() {
        SemaphoreUnderTest s = newSemaphore(1, 3);
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        assertThrows(IllegalArgumentException.class, () -> s.release(Integer.MIN_VALUE));
        assertEquals(1, s.availablePermits());
        assertEquals(1, s.release());
    }

    @Test
    public void eachAcquisitionTakesOnePermitUntilNoneIsLeft() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(3, 3);
        assertTrue(s.tryAcquire());
        assertTrue(s.tryAcquire(Duration.ZERO));
        s.acquire();
        assertEquals(0, s.availablePermits());
        assertFalse(s.tryAcquire());
    }

    @Test
    public void pollsOfAnEmptySemaphoreFailAtOnceAndTakeNothing() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(0, 2);
        assertFalse(s.tryAcquire());
        assertFalse(s.tryAcquire(Duration.ZERO));
        assertFalse(s.tryAcquire(Duration.ofSeconds(-3)), "a negative timeout polls");
        assertFalse(s.tryAcquire(Deadline.now()));
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void timedAcquireOfAnEmptySemaphoreTimesOutNeverEarly() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(0, 2);
        long t0 = System.nanoTime();
        assertFalse(s.tryAcquire(SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertFalse(s.tryAcquire(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertEquals(0, s.availablePermits());
        assertEquals(0, s.release(), "no stale waiter took the permit");
        assertEquals(1, s.availablePermits());
    }

    @Test
    public void availablePermitIsTakenEvenWithADeadlineThatPassedLongAgo() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        assertTrue(s.tryAcquire(Deadline.from(Deadline.now(), Duration.ofSeconds(-1))));
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void waitableIsAcceptedByWaitAny() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        assertEquals(0, Wait.any(Duration.ZERO, s.waitable()));
        assertEquals(0, s.availablePermits());
    }

    // ---------------------------------------------------------------- wake-ups and hand-off

    @Test
    public void releaseWithOneWaiterHandsThePermitOffBeforeReturning() {
        assumeTrue(handsOff(), "barging: see releaseWithOneWaiterAddsThePermitAndTheWokenWaiterTakesIt");
        // ntsync selftest wake_any: post 1 to (0,3) with one waiter -> read gives (0,3)
        SemaphoreUnderTest s = newSemaphore(0, 3);
        Forked<Void> w = blockedAcquirer(s, "waiter");
        assertEquals(0, s.release());
        assertEquals(0, s.availablePermits(), "the waiter's acquisition is visible right after release returns");
        assertEquals(3, s.maxPermits());
        w.join();
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void releaseWithOneWaiterAddsThePermitAndTheWokenWaiterTakesIt() {
        assumeFalse(handsOff(), "hand-off: see releaseWithOneWaiterHandsThePermitOffBeforeReturning");
        SemaphoreUnderTest s = newSemaphore(0, 3);
        Forked<Void> w = blockedAcquirer(s, "waiter");
        assertEquals(0, s.release());
        int c = s.availablePermits();
        assertTrue(c == 1 || c == 0, "added, or already taken by the woken waiter: " + c);
        w.join();
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void releaseOfNWakesUpToNWaitersOnePermitEach() {
        SemaphoreUnderTest s = newSemaphore(0, 5);
        Forked<Void> a = blockedAcquirer(s, "a");
        Forked<Void> b = blockedAcquirer(s, "b");
        Forked<Void> c = blockedAcquirer(s, "c");
        assertEquals(0, s.release(2));
        assertCountAfterRelease(s, 0, "two waiters took the two permits");
        a.join();
        b.join();
        assertFalse(c.isDone(), "two permits serve two waiters");
        assertEquals(0, s.release(3));
        assertCountAfterRelease(s, 2, "one permit to the last waiter, two left over");
        c.join();
    }

    @Test
    public void waitersAreServedInArrivalOrder() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        Forked<Void> first = blockedAcquirer(s, "first");
        Forked<Void> second = blockedAcquirer(s, "second");
        s.release();
        first.join();
        assertFalse(second.isDone());
        s.release();
        second.join();
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void timedAcquireIsWokenByRelease() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        Forked<Boolean> w = Forked.call("waiter", () -> s.tryAcquire(LONG));
        awaitBlocked(w.thread());
        s.release();
        assertCountAfterRelease(s, 0, "the waiter took the permit");
        assertTrue(w.join());
    }

    @Test
    public void anyThreadMayReleasePermitsItDidNotAcquire() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        s.acquire();
        Forked.run("releaser", s::release).join();
        assertEquals(1, s.availablePermits());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeAcquiringThrowsAndTakesNothing() {
        SemaphoreUnderTest s = newSemaphore(2, 2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, s::acquire);
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt status is cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.tryAcquire(LONG));
        assertEquals(2, s.availablePermits(), "nothing taken");
    }

    @Test
    public void interruptWhileBlockedThrowsAndThePermitGoesToTheNextWaiter() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        Forked<Void> first = blockedAcquirer(s, "first");
        Forked<Void> second = blockedAcquirer(s, "second");
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        s.release();
        assertCountAfterRelease(s, 0, "the waiter left took the permit");
        second.join();
    }

    @Test
    public void interruptedLoneWaiterIsWithdrawnSoTheReleasedPermitStays() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        Forked<Boolean> w = Forked.call("waiter", () -> s.tryAcquire(LONG));
        awaitBlocked(w.thread());
        w.interrupt();
        w.joinFailure(InterruptedException.class);
        assertEquals(0, s.release());
        assertEquals(1, s.availablePermits());
    }

    @Test
    public void uninterruptibleAcquireIgnoresInterruptsAndReassertsTheStatus() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        Forked<Boolean> w = Forked.call("waiter", () -> {
            s.acquireUninterruptibly();
            return Thread.currentThread().isInterrupted();
        });
        awaitBlocked(w.thread());
        w.interrupt();
        awaitBlocked(w.thread());
        assertFalse(w.isDone());
        s.release();
        assertTrue(w.join());
        assertEquals(0, s.availablePermits());
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncAcquireOfAnAvailablePermitCompletesAtOnce() {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        CompletableFuture<Void> f = s.acquireAsync();
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void asyncAcquireCompletesInsideRelease() {
        SemaphoreUnderTest s = newSemaphore(0, 3);
        CompletableFuture<Void> f = s.acquireAsync();
        assertFalse(f.isDone());
        assertEquals(0, s.release());
        assertTrue(f.isDone(), "completion = acquisition, performed by release()");
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void asyncAcquirersAreServedInArrivalOrder() {
        SemaphoreUnderTest s = newSemaphore(0, 3);
        CompletableFuture<Void> a = s.acquireAsync();
        CompletableFuture<Void> b = s.acquireAsync();
        CompletableFuture<Void> c = s.acquireAsync();
        s.release(2);
        assertTrue(a.isDone());
        assertTrue(b.isDone());
        assertFalse(c.isDone());
        assertTrue(c.cancel(false));
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void cancelledAsyncAcquireIsWithdrawnSoThePermitGoesToTheNextWaiter() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Void> first = s.acquireAsync();
        CompletableFuture<Void> second = s.acquireAsync();
        assertTrue(first.cancel(false));
        s.release();
        assertTrue(second.isDone());
        assertEquals(0, s.availablePermits());
        CompletableFuture<Void> third = s.acquireAsync();
        assertTrue(third.cancel(false));
        s.release();
        assertEquals(1, s.availablePermits(), "a cancelled wait takes nothing");
    }

    @Test
    public void cancelAfterCompletionReturnsFalseAndThePermitStaysTaken() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Void> f = s.acquireAsync();
        s.release();
        assertFalse(f.cancel(false));
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void asyncAcquireWithOrTimeoutIsWithdrawnWhenItTimesOut() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Void> f = s.acquireAsync().orTimeout(SHORT.toMillis(), TimeUnit.MILLISECONDS);
        Threads.awaitCondition(f::isDone, "orTimeout did not fire");
        assertTrue(f.isCompletedExceptionally());
        s.release();
        assertEquals(1, s.availablePermits(), "the timed-out wait took nothing");
    }
}
