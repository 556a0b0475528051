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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The contract of a counter, after the ao kernel's {@code num}: each waiter brings a predicate on
 * {@code (old, new)} and is released, before the update returns, by the first update that satisfies
 * it, with that update's old and new value; a predicate that holds for {@code (v, v)} succeeds at
 * once; every update tests every waiter (in FIFO order), even one that leaves the value unchanged;
 * the value is never consumed. The value semantics are those of {@link NumberContract}.
 *
 * <p>A backend extends this class and implements {@link #newCounter}.
 */
public abstract class CounterContract extends NumberContract {
    /**
     * Creates the counter under test.
     *
     * @param initial the initial value
     * @return the counter, with nobody waiting
     */
    protected abstract CounterUnderTest newCounter(long initial);

    @Override
    protected NumberUnderTest newNumber(long initial) {
        return newCounter(initial);
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void predicateThatHoldsNowSucceedsAtOnceInEveryFormWithOldEqualToNew() throws InterruptedException {
        CounterUnderTest c = newCounter(9);
        Change now = new Change(9, 9);
        assertEquals(now, c.await(ChangeMatch.atLeast(9)));
        assertEquals(now, c.await(ChangeMatch.atMost(9), Deadline.from(Deadline.now(), Duration.ofSeconds(-1))));
        assertEquals(now, assertCompleted(c.awaitAsync(ChangeMatch.equalTo(9))));
        assertEquals(9, c.get(), "waits do not consume the value");
    }

    @Test
    public void pollsOfAPredicateThatDoesNotHoldReturnNullAndChangeNothing() throws InterruptedException {
        CounterUnderTest c = newCounter(1);
        assertNull(c.await(ChangeMatch.atLeast(2), Duration.ZERO));
        assertNull(c.await(ChangeMatch.atLeast(2), Duration.ofMillis(-7)));
        assertNull(c.await(ChangeMatch.changed(), Deadline.now()), "(v, v) never counts as a change");
        OpUnderTest<Change> op = c.when(ChangeMatch.atLeast(2));
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, op.waitable()));
        assertNull(op.result());
        assertEquals(1, c.get());
    }

    @Test
    public void timedWaitTimesOutNeverEarlyWithNull() throws InterruptedException {
        CounterUnderTest c = newCounter(0);
        long t0 = System.nanoTime();
        assertNull(c.await(ChangeMatch.atLeast(1), SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertNull(c.await(ChangeMatch.atLeast(1), Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertEquals(0, c.get());
    }

    @Test
    public void nullPredicatesAndTimeoutsAreRejectedAndTheCounterStaysUsable() {
        CounterUnderTest c = newCounter(0);
        assertThrows(NullPointerException.class, () -> c.await(null));
        assertThrows(NullPointerException.class, () -> c.await(null, LONG));
        assertThrows(NullPointerException.class, () -> c.awaitAsync(null));
        assertThrows(NullPointerException.class, () -> c.when(null));
        assertThrows(NullPointerException.class, () -> c.await(ChangeMatch.atLeast(1), (Duration) null));
        assertThrows(NullPointerException.class, () -> c.await(ChangeMatch.atLeast(1), (Deadline) null));
        CompletableFuture<Change> f = c.awaitAsync(ChangeMatch.atLeast(1));
        assertEquals(1, c.increment());
        assertEquals(new Change(0, 1), assertCompleted(f));
    }

    // ---------------------------------------------------------------- release

    @Test
    public void oneUpdateReleasesEveryMatchingWaiterWithItsChangeBeforeReturning() {
        CounterUnderTest c = newCounter(0);
        CompletableFuture<Change> atLeast5 = c.awaitAsync(ChangeMatch.atLeast(5));
        CompletableFuture<Change> changed = c.awaitAsync(ChangeMatch.changed());
        CompletableFuture<Change> is100 = c.awaitAsync(ChangeMatch.equalTo(100));
        assertEquals(5, c.add(5));
        assertEquals(new Change(0, 5), assertCompleted(atLeast5));
        assertEquals(new Change(0, 5), assertCompleted(changed));
        assertPending(is100);
        assertEquals(5, c.get(), "the value is not consumed");
        assertEquals(100, c.set(100));
        assertEquals(new Change(5, 100), assertCompleted(is100));
    }

    @Test
    public void everyUpdateTestsTheWaitersEvenWhenItLeavesTheValueUnchanged() {
        CounterUnderTest c = newCounter(4);
        CompletableFuture<Change> fiveStaysFive = c.awaitAsync((o, n) -> o == 5 && n == 5);
        assertEquals(5, c.set(5));
        assertPending(fiveStaysFive);
        assertEquals(5, c.set(5));
        assertEquals(new Change(5, 5), assertCompleted(fiveStaysFive));
        CompletableFuture<Change> zeroAdded = c.awaitAsync((o, n) -> o == n && n == 5);
        assertEquals(new Change(5, 5), assertCompleted(zeroAdded), "holds for (v, v): at once");
    }

    @Test
    public void predicatesSeeTheOldAndTheNewValueOfTheUpdate() {
        CounterUnderTest c = newCounter(0);
        CompletableFuture<Change> decreased = c.awaitAsync((o, n) -> n < o);
        assertEquals(1, c.increment());
        assertEquals(3, c.add(2));
        assertPending(decreased);
        assertEquals(-3, c.update(v -> -v));
        assertEquals(new Change(3, -3), assertCompleted(decreased));
    }

    @Test
    public void waitersReleasedByOneUpdateAreServedInArrivalOrder() {
        CounterUnderTest c = newCounter(0);
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Change>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            CompletableFuture<Change> f = c.awaitAsync(ChangeMatch.atLeast(1));
            f.thenRun(() -> order.add(id));
            waiters.add(f);
        }
        c.increment();
        waiters.forEach(ContractBase::assertCompleted);
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    public void blockedWaiterIsReleasedByAnUpdateOfAnotherThread() {
        CounterUnderTest c = newCounter(0);
        Forked<Change> w = blockedCall("waiter", () -> c.await(ChangeMatch.atLeast(3)));
        Forked<Change> timed = blockedCall("timed", () -> c.await(ChangeMatch.atLeast(2), Deadline.after(LONG)));
        assertEquals(3, Forked.call("updater", () -> c.add(3)).join());
        assertEquals(new Change(0, 3), w.join());
        assertEquals(new Change(0, 3), timed.join());
    }

    // ---------------------------------------------------------------- interrupts and cancels

    @Test
    public void interruptBeforeWaitingThrowsEvenIfThePredicateHolds() {
        CounterUnderTest c = newCounter(5);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> c.await(ChangeMatch.atLeast(0)));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(5, c.get());
    }

    @Test
    public void interruptedWaiterIsWithdrawnAndTheOthersAreStillReleased() {
        CounterUnderTest c = newCounter(0);
        Forked<Change> first = blockedCall("first", () -> c.await(ChangeMatch.atLeast(1), LONG));
        Forked<Change> second = blockedCall("second", () -> c.await(ChangeMatch.atLeast(1), LONG));
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        c.increment();
        assertEquals(new Change(0, 1), second.join());
    }

    @Test
    public void cancelledAsyncWaitIsWithdrawnAndCancelAfterCompletionReturnsFalse() {
        CounterUnderTest c = newCounter(0);
        CompletableFuture<Change> cancelled = c.awaitAsync(ChangeMatch.atLeast(1));
        CompletableFuture<Change> kept = c.awaitAsync(ChangeMatch.atLeast(1));
        assertTrue(cancelled.cancel(false));
        c.increment();
        assertTrue(cancelled.isCancelled(), "a later update does not revive a cancelled wait");
        assertFalse(kept.cancel(false));
        assertEquals(new Change(0, 1), assertCompleted(kept));
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyReportsTheWatchIndexAndDeliversTheChangeThroughIt() {
        EventUnderTest other = newCompanionEvent(false);
        CounterUnderTest c = newCounter(0);
        OpUnderTest<Change> watch = c.when(ChangeMatch.atLeast(2));
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), watch.waitable()));
        c.increment();
        assertFalse(w.isDone());
        c.increment();
        assertEquals(1, w.join());
        assertEquals(new Change(1, 2), watch.result());
        other.set();
        assertTrue(other.isSignaled(), "the other member was untouched");
    }

    @Test
    public void watchOfAWaitAnyWonByAnotherMemberDeliversNothing() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(true);
        CounterUnderTest c = newCounter(7);
        OpUnderTest<Change> watch = c.when(ChangeMatch.equalTo(7));
        assertEquals(0, Wait.any(Duration.ZERO, other.waitable(), watch.waitable()));
        assertNull(watch.result());
        assertEquals(1, Wait.any(Duration.ZERO, other.waitable(), watch.waitable()));
        assertEquals(new Change(7, 7), watch.result());
    }

    @Test
    public void waitAllCompletesOnAnUpdateThatMatchesWhileTheOtherMemberIsAvailable() {
        EventUnderTest other = newCompanionEvent(false);
        CounterUnderTest c = newCounter(0);
        OpUnderTest<Change> watch = c.when(ChangeMatch.changed());
        Forked<Boolean> w = blockedCall("all", () -> Wait.all(LONG, watch.waitable(), other.waitable()));
        c.increment();
        other.set();
        awaitBlocked(w.thread());
        assertTrue(other.isSignaled(), "the first change came while the event was not set: nothing taken");
        c.increment();
        assertTrue(w.join());
        assertEquals(new Change(1, 2), watch.result());
        assertFalse(other.isSignaled());
    }
}
