package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of an event (auto-reset and manual-reset), after NT's events (as Linux's ntsync
 * driver implements them) and docs/semantics.md#hand-off: set/reset/pulse return the previous
 * state, an auto-reset wait consumes the signal, a pulse always leaves the event non-signalled, the
 * setter hands the signal off before it returns, waits are FIFO, interrupts and cancels withdraw
 * cleanly.
 *
 * <p>A backend extends this class and implements {@link #newEvent}.
 */
public abstract class EventContract extends ContractBase {
    /**
     * Creates the event under test.
     *
     * @param manualReset true for a manual-reset event, false for auto-reset
     * @param signaled the initial state
     * @return the event
     */
    protected abstract EventUnderTest newEvent(boolean manualReset, boolean signaled);

    private Forked<Void> blockedWaiter(EventUnderTest e, String name) {
        Forked<Void> w = Forked.run(name, e::await);
        awaitBlocked(w.thread());
        return w;
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void createdEventsReportTheirKindAndInitialState() {
        for (boolean manual : new boolean[] {false, true}) {
            for (boolean signaled : new boolean[] {false, true}) {
                EventUnderTest e = newEvent(manual, signaled);
                assertEquals(manual, e.isManualReset(), "kind");
                assertEquals(signaled, e.isSignaled(), "initial state");
            }
        }
    }

    @ParameterizedTest(name = "manualReset={0}")
    @ValueSource(booleans = {false, true})
    public void setReturnsThePreviousStateAndLeavesTheEventSignaled(boolean manual) {
        EventUnderTest e = newEvent(manual, false);
        assertFalse(e.set());
        assertTrue(e.isSignaled());
        assertTrue(e.set(), "a second set reports that the event was already signalled");
        assertTrue(e.isSignaled());
    }

    @ParameterizedTest(name = "manualReset={0}")
    @ValueSource(booleans = {false, true})
    public void resetReturnsThePreviousStateAndLeavesTheEventNonSignaled(boolean manual) {
        EventUnderTest e = newEvent(manual, true);
        assertTrue(e.reset());
        assertFalse(e.isSignaled());
        assertFalse(e.reset());
        assertFalse(e.isSignaled());
    }

    @ParameterizedTest(name = "manualReset={0}")
    @ValueSource(booleans = {false, true})
    public void pulseReturnsThePreviousStateAndAlwaysLeavesTheEventNonSignaled(boolean manual) {
        EventUnderTest e = newEvent(manual, true);
        assertTrue(e.pulse());
        assertFalse(e.isSignaled());
        assertFalse(e.pulse());
        assertFalse(e.isSignaled());
        assertFalse(e.tryAwait(), "a pulse without waiters leaves no signal behind");
    }

    @Test
    public void autoResetWaitConsumesTheSignal() throws InterruptedException {
        EventUnderTest e = newEvent(false, true);
        assertTrue(e.tryAwait());
        assertFalse(e.isSignaled());
        assertFalse(e.tryAwait());
        e.set();
        assertTrue(e.await(Duration.ZERO));
        assertFalse(e.isSignaled());
        e.set();
        e.await();
        assertFalse(e.isSignaled());
    }

    @Test
    public void manualResetWaitDoesNotConsumeTheSignal() throws InterruptedException {
        EventUnderTest e = newEvent(true, true);
        for (int i = 0; i < 5; i++) {
            assertTrue(e.tryAwait());
            assertTrue(e.await(Duration.ZERO));
            assertTrue(e.await(SHORT));
            e.await();
        }
        assertTrue(e.isSignaled());
    }

    @Test
    public void setsDoNotAccumulateOnAnAutoResetEvent() {
        EventUnderTest e = newEvent(false, false);
        e.set();
        e.set();
        e.set();
        assertTrue(e.tryAwait());
        assertFalse(e.tryAwait(), "three sets without waiter leave one signal, not three");
    }

    @ParameterizedTest(name = "manualReset={0}")
    @ValueSource(booleans = {false, true})
    public void pollsOfANonSignaledEventFailAtOnceAndChangeNothing(boolean manual) throws InterruptedException {
        EventUnderTest e = newEvent(manual, false);
        assertFalse(e.tryAwait());
        assertFalse(e.await(Duration.ZERO));
        assertFalse(e.await(Duration.ofMillis(-5)), "a negative timeout polls");
        assertFalse(e.await(Deadline.now()));
        assertFalse(e.await(Deadline.after(Duration.ofSeconds(-1))));
        assertFalse(e.isSignaled());
        assertFalse(e.set(), "still usable");
    }

    @ParameterizedTest(name = "manualReset={0}")
    @ValueSource(booleans = {false, true})
    public void timedWaitOnANonSignaledEventTimesOutNeverEarly(boolean manual) throws InterruptedException {
        EventUnderTest e = newEvent(manual, false);
        long t0 = System.nanoTime();
        assertFalse(e.await(SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertFalse(e.await(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertFalse(e.isSignaled());
    }

    @Test
    public void signaledEventIsTakenEvenWithADeadlineThatPassedLongAgo() throws InterruptedException {
        EventUnderTest e = newEvent(false, true);
        assertTrue(e.await(Deadline.from(Deadline.now(), Duration.ofSeconds(-1))));
        assertFalse(e.isSignaled());
    }

    @Test
    public void waitableIsAcceptedByWaitAny() throws InterruptedException {
        EventUnderTest e = newEvent(false, true);
        assertEquals(0, Wait.any(Duration.ZERO, e.waitable()));
        assertFalse(e.isSignaled());
    }

    // ---------------------------------------------------------------- wake-ups and hand-off

    @Test
    public void autoResetSetWithOneWaiterHandsTheSignalOffBeforeReturning() {
        EventUnderTest e = newEvent(false, false);
        Forked<Void> w = blockedWaiter(e, "waiter");
        assertFalse(e.set(), "set reports the previous state");
        assertFalse(e.isSignaled(), "the waiter consumed the signal inside set()");
        w.join();
        assertFalse(e.tryAwait());
    }

    @Test
    public void autoResetSetWithTwoWaitersReleasesOnlyTheFirst() {
        EventUnderTest e = newEvent(false, false);
        Forked<Void> first = blockedWaiter(e, "first");
        Forked<Void> second = blockedWaiter(e, "second");
        e.set();
        first.join();
        assertFalse(e.isSignaled());
        assertFalse(second.isDone(), "one set releases one waiter of an auto-reset event");
        awaitBlocked(second.thread());
        e.set();
        second.join();
        assertFalse(e.isSignaled());
    }

    @Test
    public void manualResetSetReleasesEveryWaiterAndStaysSignaled() {
        EventUnderTest e = newEvent(true, false);
        List<Forked<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(blockedWaiter(e, "waiter-" + i));
        }
        assertFalse(e.set());
        assertTrue(e.isSignaled());
        waiters.forEach(Forked::join);
        assertTrue(e.isSignaled());
    }

    @Test
    public void autoResetPulseReleasesOnlyTheFirstWaiterAndLeavesTheEventNonSignaled() {
        EventUnderTest e = newEvent(false, false);
        Forked<Void> first = blockedWaiter(e, "first");
        Forked<Void> second = blockedWaiter(e, "second");
        assertFalse(e.pulse());
        assertFalse(e.isSignaled());
        first.join();
        assertFalse(second.isDone());
        assertFalse(e.tryAwait());
        e.set();
        second.join();
    }

    @Test
    public void manualResetPulseReleasesAllCurrentWaitersAndLeavesTheEventNonSignaled() throws InterruptedException {
        EventUnderTest e = newEvent(true, false);
        Forked<Void> a = blockedWaiter(e, "a");
        Forked<Void> b = blockedWaiter(e, "b");
        assertFalse(e.pulse());
        assertFalse(e.isSignaled());
        a.join();
        b.join();
        assertFalse(e.await(SHORT), "a later waiter does not see the pulse");
    }

    @Test
    public void pulseOfASignaledManualEventWithWaitersReportsTrueAndResets() {
        // waiters cannot be queued on a signalled manual event, so "previous = true" with a reset
        EventUnderTest e = newEvent(true, true);
        assertTrue(e.pulse());
        assertFalse(e.isSignaled());
    }

    @Test
    public void resetDoesNotWakeWaiters() {
        EventUnderTest e = newEvent(false, false);
        Forked<Void> w = blockedWaiter(e, "waiter");
        assertFalse(e.reset());
        awaitBlocked(w.thread());
        assertFalse(w.isDone());
        e.set();
        w.join();
    }

    @Test
    public void timedWaitIsWokenBySet() {
        EventUnderTest e = newEvent(false, false);
        Forked<Boolean> w = Forked.call("waiter", () -> e.await(LONG));
        awaitBlocked(w.thread());
        e.set();
        assertTrue(w.join());
        assertFalse(e.isSignaled());
    }

    @Test
    public void deadlineWaitIsWokenBySet() {
        EventUnderTest e = newEvent(false, false);
        Forked<Boolean> w = Forked.call("waiter", () -> e.await(Deadline.after(LONG)));
        awaitBlocked(w.thread());
        e.set();
        assertTrue(w.join());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeWaitingThrowsAndLeavesTheSignal() {
        EventUnderTest e = newEvent(false, true);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, e::await);
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt status is cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> e.await(LONG));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> e.await(Deadline.after(LONG)));
        assertTrue(e.isSignaled(), "nothing consumed");
        assertTrue(e.tryAwait());
    }

    @Test
    public void interruptWhileWaitingThrowsAndTheSignalGoesToTheNextWaiter() {
        EventUnderTest e = newEvent(false, false);
        Forked<Void> first = blockedWaiter(e, "first");
        Forked<Void> second = blockedWaiter(e, "second");
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        e.set();
        second.join();
        assertFalse(e.isSignaled(), "the second waiter took the signal");
    }

    @Test
    public void interruptedTimedWaiterIsWithdrawnSoTheSignalStays() {
        EventUnderTest e = newEvent(false, false);
        Forked<Boolean> w = Forked.call("waiter", () -> e.await(LONG));
        awaitBlocked(w.thread());
        w.interrupt();
        w.joinFailure(InterruptedException.class);
        assertFalse(e.set());
        assertTrue(e.isSignaled(), "nobody consumed the signal");
    }

    @Test
    public void uninterruptibleWaitIgnoresInterruptsAndReassertsTheStatus() {
        EventUnderTest e = newEvent(false, false);
        Forked<Boolean> w = Forked.call("waiter", () -> {
            e.awaitUninterruptibly();
            return Thread.currentThread().isInterrupted();
        });
        awaitBlocked(w.thread());
        w.interrupt();
        awaitBlocked(w.thread()); // still waiting after the interrupt
        assertFalse(w.isDone());
        e.set();
        assertTrue(w.join(), "the interrupt is re-asserted on return");
        assertFalse(e.isSignaled());
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncWaitOnASignaledAutoEventCompletesAtOnceAndConsumes() {
        EventUnderTest e = newEvent(false, true);
        CompletableFuture<Void> f = e.awaitAsync();
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertFalse(e.isSignaled());
    }

    @Test
    public void asyncWaitCompletesInsideSetAndConsumesTheSignal() {
        EventUnderTest e = newEvent(false, false);
        CompletableFuture<Void> f = e.awaitAsync();
        assertFalse(f.isDone());
        assertFalse(e.set());
        assertTrue(f.isDone(), "completion = acquisition, performed by set()");
        assertFalse(e.isSignaled());
        f.join();
    }

    @Test
    public void asyncWaitsOnAManualEventAllCompleteOnSet() {
        EventUnderTest e = newEvent(true, false);
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(e.awaitAsync());
        }
        e.set();
        fs.forEach(f -> assertTrue(f.isDone()));
        assertTrue(e.isSignaled());
    }

    @Test
    public void cancelledAsyncWaitIsWithdrawnSoTheSignalGoesToTheNextWaiter() {
        EventUnderTest e = newEvent(false, false);
        CompletableFuture<Void> first = e.awaitAsync();
        CompletableFuture<Void> second = e.awaitAsync();
        assertTrue(first.cancel(false));
        assertTrue(first.isCancelled());
        e.set();
        assertTrue(second.isDone() && !second.isCompletedExceptionally());
        assertFalse(e.isSignaled());
        assertThrows(CancellationException.class, first::join);
    }

    @Test
    public void cancelledLoneAsyncWaitLeavesTheSignalOnTheEvent() {
        EventUnderTest e = newEvent(false, false);
        CompletableFuture<Void> f = e.awaitAsync();
        assertTrue(f.cancel(true));
        e.set();
        assertTrue(e.isSignaled());
    }

    @Test
    public void cancelAfterCompletionReturnsFalseAndTheSignalStaysTaken() {
        EventUnderTest e = newEvent(false, false);
        CompletableFuture<Void> f = e.awaitAsync();
        e.set();
        assertFalse(f.cancel(false), "the acquisition already happened: the caller owns it");
        assertFalse(f.isCancelled());
        assertFalse(e.isSignaled());
    }

    @Test
    public void asyncWaitWithOrTimeoutIsWithdrawnWhenItTimesOut() {
        EventUnderTest e = newEvent(false, false);
        CompletableFuture<Void> f = e.awaitAsync().orTimeout(SHORT.toMillis(), TimeUnit.MILLISECONDS);
        Threads.awaitCondition(f::isDone, "orTimeout did not fire");
        assertTrue(f.isCompletedExceptionally());
        e.set();
        assertTrue(e.isSignaled(), "the timed-out wait was withdrawn");
    }
}
