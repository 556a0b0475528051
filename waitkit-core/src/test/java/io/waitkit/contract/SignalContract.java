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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a stateless signal, after the ao kernel's {@code signal}: {@code signal} releases
 * the first waiter, {@code signalAll} every current waiter, each returning how many it released; a
 * signal with nobody waiting is lost, so a wait always blocks until the next signal and a poll
 * never succeeds. Waiters are FIFO; interrupts and cancels withdraw them, so a later signal goes to
 * the next waiter or is lost.
 *
 * <p>A backend extends this class and implements {@link #newSignal}.
 */
public abstract class SignalContract extends ContractBase {
    /**
     * Creates the signal under test.
     *
     * @return the signal, with nobody waiting
     */
    protected abstract SignalUnderTest newSignal();

    private Forked<Boolean> blockedWaiter(SignalUnderTest s, String name) {
        return blockedCall(name, () -> s.await(LONG));
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void signalsWithNobodyWaitingReleaseNobodyAndLeaveNoTrace() throws InterruptedException {
        SignalUnderTest s = newSignal();
        assertFalse(s.hasWaiters());
        assertEquals(0, s.signalAll());
        assertEquals(0, s.signal());
        long t0 = System.nanoTime();
        assertFalse(s.await(Deadline.after(SHORT)), "the earlier signals were lost");
        assertNeverEarly(t0, SHORT);
        assertFalse(s.hasWaiters(), "the timed-out waiter was withdrawn");
    }

    @Test
    public void pollsNeverSucceedEvenRightAfterASignal() throws InterruptedException {
        SignalUnderTest s = newSignal();
        s.signal();
        assertFalse(s.await(Duration.ZERO));
        assertFalse(s.await(Duration.ofMillis(-1)));
        assertFalse(s.await(Deadline.now()));
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, s.waitable()), "a poll in wait-any never finds it");
        assertFalse(s.hasWaiters(), "polls queue nothing");
    }

    @Test
    public void nullTimeoutsAreRejectedAndTheSignalStaysUsable() {
        SignalUnderTest s = newSignal();
        assertThrows(NullPointerException.class, () -> s.await((Duration) null));
        assertThrows(NullPointerException.class, () -> s.await((Deadline) null));
        assertFalse(s.hasWaiters());
        Forked<Boolean> w = blockedWaiter(s, "waiter");
        assertEquals(1, s.signal());
        assertTrue(w.join());
    }

    // ---------------------------------------------------------------- release and order

    @Test
    public void signalReleasesWaitersOneAtATimeInArrivalOrder() {
        SignalUnderTest s = newSignal();
        List<Forked<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(blockedWaiter(s, "waiter-" + i));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(1, s.signal());
            assertTrue(waiters.get(i).join(), "waiter " + i + " is released by signal " + i);
            for (int j = i + 1; j < 3; j++) {
                assertFalse(waiters.get(j).isDone(), "waiter " + j + " still waits");
            }
        }
        assertFalse(s.hasWaiters());
        assertEquals(0, s.signal());
    }

    @Test
    public void signalAllReleasesExactlyTheCurrentWaitersBeforeReturning() {
        SignalUnderTest s = newSignal();
        Forked<Boolean> a = blockedWaiter(s, "a");
        Forked<Void> b = blockedRun("b", s::await);
        CompletableFuture<Void> c = s.awaitAsync();
        assertTrue(s.hasWaiters());
        assertEquals(3, s.signalAll());
        assertFalse(s.hasWaiters(), "nobody waits right after signalAll returns");
        assertCompleted(c);
        assertTrue(a.join());
        b.join();
        CompletableFuture<Void> late = s.awaitAsync();
        assertPending(late);
        assertTrue(late.cancel(false));
    }

    @Test
    public void awaitUninterruptiblyIgnoresInterruptsAndReassertsTheStatus() {
        SignalUnderTest s = newSignal();
        Forked<Boolean> w = blockedCall("waiter", () -> {
            s.awaitUninterruptibly();
            return Thread.currentThread().isInterrupted();
        });
        w.interrupt();
        awaitBlocked(w.thread());
        assertFalse(w.isDone());
        assertEquals(1, s.signal());
        assertTrue(w.join());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeWaitingThrows() {
        SignalUnderTest s = newSignal();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, s::await);
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.await(LONG));
        assertFalse(s.hasWaiters());
    }

    @Test
    public void interruptedWaiterIsWithdrawnAndTheNextSignalGoesToTheNextWaiter() {
        SignalUnderTest s = newSignal();
        Forked<Boolean> first = blockedWaiter(s, "first");
        Forked<Boolean> second = blockedWaiter(s, "second");
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        assertEquals(1, s.signal());
        assertTrue(second.join());
        assertEquals(0, s.signal(), "the interrupted waiter is gone: nobody left to release");
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncWaitCompletesInsideTheSignalInArrivalOrder() {
        SignalUnderTest s = newSignal();
        CompletableFuture<Void> first = s.awaitAsync();
        CompletableFuture<Void> second = s.awaitAsync();
        assertPending(first);
        assertEquals(1, s.signal());
        assertCompleted(first);
        assertPending(second);
        assertEquals(1, s.signal());
        assertCompleted(second);
    }

    @Test
    public void cancelledAsyncWaitIsWithdrawnAndCancelAfterCompletionReturnsFalse() {
        SignalUnderTest s = newSignal();
        CompletableFuture<Void> cancelled = s.awaitAsync();
        assertTrue(cancelled.cancel(false));
        assertFalse(s.hasWaiters());
        assertEquals(0, s.signal(), "a cancelled wait is not released");
        CompletableFuture<Void> done = s.awaitAsync();
        assertEquals(1, s.signalAll());
        assertFalse(done.cancel(false));
        assertCompleted(done);
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyIsReleasedBySignalWithItsIndexAndTheOtherMemberUntouched() {
        EventUnderTest other = newCompanionEvent(false);
        SignalUnderTest s = newSignal();
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), s.waitable()));
        assertEquals(1, s.signal());
        assertEquals(1, w.join());
        assertFalse(s.hasWaiters());
        other.set();
        assertTrue(other.isSignaled(), "the withdrawn wait-any left the event alone");
    }

    @Test
    public void waitAnyWonByAnotherMemberIsWithdrawnFromTheSignal() {
        EventUnderTest other = newCompanionEvent(false);
        SignalUnderTest s = newSignal();
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, s.waitable(), other.waitable()));
        other.set();
        assertEquals(1, w.join());
        assertFalse(s.hasWaiters());
        assertEquals(0, s.signal());
    }

    @Test
    public void signalCompletesAWaitAllWhoseOtherMembersAreAvailableThen() {
        EventUnderTest other = newCompanionEvent(true);
        SignalUnderTest s = newSignal();
        Forked<Boolean> w = blockedCall("all", () -> Wait.all(LONG, s.waitable(), other.waitable()));
        assertEquals(1, s.signal());
        assertTrue(w.join());
        assertFalse(other.isSignaled(), "the event was acquired together with the signal");
    }

    @Test
    public void signalToAWaitAllWhoseOtherMemberIsUnavailableIsLostForIt() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        SignalUnderTest s = newSignal();
        Duration timeout = SHORT.multipliedBy(4);
        long t0 = System.nanoTime();
        Forked<Boolean> w = blockedCall("all", () -> Wait.all(timeout, s.waitable(), other.waitable()));
        assertEquals(0, s.signal(), "the wait-all cannot complete: nobody released");
        other.set();
        assertFalse(w.join(), "the signal was not remembered for the wait-all");
        assertNeverEarly(t0, timeout);
        assertTrue(other.isSignaled(), "the timed-out wait-all acquired nothing");
    }
}
