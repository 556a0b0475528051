package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract of a threshold, after the ao kernel's {@code threshold}: one shared predicate on
 * {@code (old, new)}; an update that satisfies it releases every waiter, before it returns, with
 * that update's old and new value, and then the value becomes {@code adjust(new)}; a wait or try
 * while the predicate holds for {@code (v, v)} succeeds at once and applies the adjustment; a
 * failed, interrupted or cancelled wait changes nothing. The value semantics are those of
 * {@link NumberContract}.
 *
 * <p>A backend extends this class and implements {@link #newThreshold}.
 */
public abstract class ThresholdContract extends NumberContract {
    /**
     * Creates the threshold under test.
     *
     * @param initial the initial value
     * @param match the shared predicate
     * @param adjust the reaction applied after a match, or null for none
     * @return the threshold, with nobody waiting
     * @throws NullPointerException if {@code match} is null
     */
    protected abstract ThresholdUnderTest newThreshold(long initial, ChangeMatch match, LongUnaryOperator adjust);

    @Override
    protected NumberUnderTest newNumber(long initial) {
        return newThreshold(initial, (o, n) -> false, null);
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void creationRejectsANullPredicate() {
        assertThrows(NullPointerException.class, () -> newThreshold(0, null, v -> 0));
    }

    @Test
    public void tryAwaitSucceedsOnlyWhileThePredicateHoldsAndAppliesTheAdjustment() {
        ThresholdUnderTest t = newThreshold(12, ChangeMatch.atLeast(5), v -> v - 5);
        assertTrue(t.tryAwait());
        assertEquals(7, t.get(), "adjusted on success");
        assertTrue(t.tryAwait());
        assertEquals(2, t.get());
        assertFalse(t.tryAwait());
        assertEquals(2, t.get(), "a failed try changes nothing");
    }

    @Test
    public void immediateSuccessReportsOldEqualToNewInEveryForm() throws InterruptedException {
        ThresholdUnderTest t = newThreshold(7, ChangeMatch.atLeast(5), null);
        assertEquals(new Change(7, 7), t.await());
        assertEquals(new Change(7, 7), t.await(Duration.ZERO));
        assertEquals(new Change(7, 7), t.await(Deadline.from(Deadline.now(), Duration.ofSeconds(-1))));
        assertCompleted(t.awaitAsync());
        assertEquals(7, t.get(), "no adjustment configured");
    }

    @Test
    public void pollsWhileThePredicateDoesNotHoldReturnNullAndChangeNothing() throws InterruptedException {
        ThresholdUnderTest t = newThreshold(1, ChangeMatch.atLeast(5), v -> 0);
        assertNull(t.await(Duration.ZERO));
        assertNull(t.await(Duration.ofSeconds(-2)));
        assertNull(t.await(Deadline.now()));
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, t.waitable()));
        assertEquals(1, t.get());
    }

    @Test
    public void timedWaitTimesOutNeverEarlyWithNull() throws InterruptedException {
        ThresholdUnderTest t = newThreshold(0, ChangeMatch.atLeast(5), null);
        long t0 = System.nanoTime();
        assertNull(t.await(SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertNull(t.await(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
    }

    @Test
    public void nullTimeoutsAreRejectedAndTheThresholdStaysUsable() {
        ThresholdUnderTest t = newThreshold(0, ChangeMatch.atLeast(1), null);
        assertThrows(NullPointerException.class, () -> t.await((Duration) null));
        assertThrows(NullPointerException.class, () -> t.await((Deadline) null));
        CompletableFuture<Void> f = t.awaitAsync();
        t.increment();
        assertCompleted(f);
    }

    // ---------------------------------------------------------------- release

    @Test
    public void matchingUpdateReleasesEveryWaiterBeforeReturningAndThenAdjusts() {
        ThresholdUnderTest t = newThreshold(0, (o, n) -> n >= 10, v -> v - 10);
        CompletableFuture<Void> a = t.awaitAsync();
        CompletableFuture<Void> b = t.awaitAsync();
        Forked<Change> blocked = blockedCall("blocked", () -> t.await(LONG));
        assertEquals(9, t.add(9), "no match: no release, no adjustment");
        assertPending(a);
        assertEquals(2, t.add(3), "the update returns the adjusted value");
        assertCompleted(a);
        assertCompleted(b);
        assertEquals(new Change(9, 12), blocked.join(), "waiters see the update before the adjustment");
        assertEquals(2, t.get());
        CompletableFuture<Void> next = t.awaitAsync();
        assertPending(next);
        assertTrue(next.cancel(false));
    }

    // ---------------------------------------------------------------- interrupts and cancels

    @Test
    public void interruptBeforeWaitingThrowsAndDoesNotAdjust() {
        ThresholdUnderTest t = newThreshold(5, ChangeMatch.atLeast(5), v -> 0);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, t::await);
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(5, t.get(), "nothing acquired, nothing adjusted");
    }

    @Test
    public void interruptedWaiterIsWithdrawnAndTheOthersAreStillReleased() {
        ThresholdUnderTest t = newThreshold(0, ChangeMatch.atLeast(1), null);
        Forked<Change> first = blockedCall("first", () -> t.await(LONG));
        Forked<Change> second = blockedCall("second", t::await);
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        t.increment();
        assertEquals(new Change(0, 1), second.join());
    }

    @Test
    public void cancelledAsyncWaitIsWithdrawnAndCancelAfterCompletionReturnsFalse() {
        ThresholdUnderTest t = newThreshold(0, ChangeMatch.atLeast(1), v -> 0);
        CompletableFuture<Void> cancelled = t.awaitAsync();
        CompletableFuture<Void> kept = t.awaitAsync();
        assertTrue(cancelled.cancel(false));
        assertEquals(0, t.increment());
        assertTrue(cancelled.isCancelled());
        assertFalse(kept.cancel(false));
        assertCompleted(kept);
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyIsReleasedByAMatchingUpdateWithTheThresholdIndex() {
        EventUnderTest other = newCompanionEvent(false);
        ThresholdUnderTest t = newThreshold(0, ChangeMatch.atLeast(2), v -> 0);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), t.waitable()));
        t.increment();
        assertFalse(w.isDone());
        assertEquals(0, t.increment());
        assertEquals(1, w.join());
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void waitAnyWonByALowerMemberLeavesTheThresholdUnadjusted() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(true);
        ThresholdUnderTest t = newThreshold(5, ChangeMatch.atLeast(5), v -> 0);
        assertEquals(0, Wait.any(Duration.ZERO, other.waitable(), t.waitable()));
        assertEquals(5, t.get(), "not acquired, not adjusted");
        assertEquals(1, Wait.any(Duration.ZERO, other.waitable(), t.waitable()));
        assertEquals(0, t.get(), "acquired by the wait-any: adjusted");
    }

    @Test
    public void waitAllAcquiresTheThresholdOnlyTogetherWithTheOtherMember() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        ThresholdUnderTest t = newThreshold(5, ChangeMatch.atLeast(5), v -> 1);
        assertFalse(Wait.all(Duration.ZERO, t.waitable(), other.waitable()));
        assertEquals(5, t.get(), "a failed wait-all changes nothing");
        other.set();
        assertTrue(Wait.all(Duration.ZERO, t.waitable(), other.waitable()));
        assertEquals(1, t.get());
        assertFalse(other.isSignaled());
    }
}
