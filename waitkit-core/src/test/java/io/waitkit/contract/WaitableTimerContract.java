package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import io.waitkit.contract.WaitableTimerUnderTest.Mode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract of a waitable timer, after NT's waitable timers and AxisOS's timers: {@code set}
 * arms the timer and makes it non-signalled; an expiry never comes before it is due; a manual-reset
 * timer then stays signalled and releases every waiter, an auto-reset timer releases one waiter or
 * stays signalled until one wait takes the signal, a pulsing timer stays signalled after a one-shot
 * expiry and releases only the current waiters on a periodic one; periods are drift-free;
 * {@code cancel} disarms without changing the state; waits follow the shared rules.
 *
 * <p>A backend extends this class and implements {@link #newTimer}.
 */
public abstract class WaitableTimerContract extends ContractBase {
    /**
     * Creates the timer under test.
     *
     * @param mode the kind of timer
     * @return the timer, disarmed and non-signalled
     */
    protected abstract WaitableTimerUnderTest newTimer(Mode mode);

    private static void awaitSignaled(WaitableTimerUnderTest t) {
        Threads.awaitCondition(t::isSignaled, "the timer did not become signalled");
    }

    // ---------------------------------------------------------------- single thread

    @ParameterizedTest
    @EnumSource(Mode.class)
    public void newTimerIsDisarmedNonSignalledAndPollsFail(Mode mode) throws InterruptedException {
        WaitableTimerUnderTest t = newTimer(mode);
        assertFalse(t.isArmed());
        assertFalse(t.isSignaled());
        assertFalse(t.tryAwait());
        assertFalse(t.await(Duration.ZERO));
        assertFalse(t.await(Deadline.now()));
        assertFalse(t.cancel(), "nothing to cancel");
        long t0 = System.nanoTime();
        assertFalse(t.await(SHORT));
        assertNeverEarly(t0, SHORT);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    public void oneShotExpiryNeverComesEarlyAndDisarmsTheTimer(Mode mode) throws InterruptedException {
        WaitableTimerUnderTest t = newTimer(mode);
        long t0 = System.nanoTime();
        t.set(SHORT);
        assertTrue(t.isArmed());
        assertTrue(t.await(LONG));
        assertNeverEarly(t0, SHORT);
        assertFalse(t.isArmed(), "a one-shot timer is disarmed by its expiry");
        assertEquals(mode != Mode.AUTO_RESET, t.isSignaled(), "only an auto-reset timer gave its signal to the wait");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    public void badSettingsAreRejectedAndLeaveTheTimerAsItWas(Mode mode) throws InterruptedException {
        WaitableTimerUnderTest t = newTimer(mode);
        assertThrows(NullPointerException.class, () -> t.set((Duration) null));
        assertThrows(NullPointerException.class, () -> t.set(Duration.ZERO, null));
        assertThrows(NullPointerException.class, () -> t.set((Deadline) null, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> t.set(Deadline.never(), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> t.set(Duration.ZERO, Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> t.await((Duration) null));
        assertFalse(t.isArmed());
        assertFalse(t.isSignaled());
        t.set(Duration.ZERO);
        assertTrue(t.await(LONG), "still usable");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    public void setMakesTheTimerNonSignalledAndCancelDisarmsWithoutChangingTheState(Mode mode) throws InterruptedException {
        WaitableTimerUnderTest t = newTimer(mode);
        t.set(Duration.ZERO);
        awaitSignaled(t);
        assertFalse(t.cancel(), "the one-shot setting already expired");
        assertTrue(t.isSignaled(), "cancel does not reset");
        t.set(LONG);
        assertFalse(t.isSignaled(), "set resets");
        assertTrue(t.isArmed());
        assertTrue(t.cancel());
        assertFalse(t.isArmed());
        assertFalse(t.await(Duration.ZERO));
    }

    @Test
    public void aSettingReplacedOrCancelledBeforeItIsDueNeverFires() throws InterruptedException {
        WaitableTimerUnderTest replaced = newTimer(Mode.MANUAL_RESET);
        WaitableTimerUnderTest cancelled = newTimer(Mode.MANUAL_RESET);
        replaced.set(SHORT);
        replaced.set(LONG);
        cancelled.set(SHORT);
        assertTrue(cancelled.cancel());
        assertFalse(replaced.await(SHORT.multipliedBy(3)));
        assertFalse(cancelled.isSignaled());
        assertTrue(replaced.isArmed());
        assertTrue(replaced.cancel());
    }

    @Test
    public void passedDueTimeExpiresAtOnce() throws InterruptedException {
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        t.set(Deadline.from(Deadline.now(), Duration.ofSeconds(-1)), Duration.ZERO);
        assertTrue(t.await(Deadline.after(LONG)));
    }

    // ---------------------------------------------------------------- expiry per mode

    @Test
    public void manualResetExpiryReleasesEveryWaiterAndStaysSignalledUntilReset() {
        WaitableTimerUnderTest t = newTimer(Mode.MANUAL_RESET);
        Forked<Boolean> blocked = blockedCall("blocked", () -> t.await(LONG));
        CompletableFuture<Void> a = t.awaitAsync();
        CompletableFuture<Void> b = t.awaitAsync();
        t.set(Duration.ZERO);
        assertTrue(blocked.join());
        await(a);
        await(b);
        assertTrue(t.tryAwait());
        assertTrue(t.tryAwait(), "waits do not consume");
        assertTrue(t.reset());
        assertFalse(t.isSignaled());
        assertFalse(t.reset());
    }

    @Test
    public void autoResetExpiryReleasesOneWaiterOrStaysSignalledUntilOneWaitTakesIt() {
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        CompletableFuture<Void> first = t.awaitAsync();
        CompletableFuture<Void> second = t.awaitAsync();
        t.set(Duration.ZERO);
        await(first);
        assertPending(second);
        assertFalse(t.isSignaled(), "the first waiter took the signal");
        t.set(Duration.ZERO);
        await(second);
        t.set(Duration.ZERO);
        awaitSignaled(t);
        assertTrue(t.tryAwait());
        assertFalse(t.tryAwait());
    }

    @Test
    public void pulsingOneShotExpiryStaysSignalled() {
        WaitableTimerUnderTest t = newTimer(Mode.PULSING);
        t.set(Duration.ZERO);
        awaitSignaled(t);
        assertTrue(t.tryAwait());
        assertTrue(t.tryAwait());
    }

    @Test
    public void pulsingPeriodicExpiryReleasesTheCurrentWaitersAndLeavesTheTimerNonSignalled() {
        WaitableTimerUnderTest t = newTimer(Mode.PULSING);
        CompletableFuture<Void> a = t.awaitAsync();
        CompletableFuture<Void> b = t.awaitAsync();
        t.set(Duration.ZERO, Duration.ofMinutes(10));
        await(a);
        await(b);
        assertFalse(t.isSignaled());
        assertFalse(t.tryAwait(), "a later wait waits for the next period");
        assertTrue(t.isArmed());
        assertTrue(t.cancel());
    }

    @Test
    public void periodicExpiriesAreDriftFreeAndNeverEarly() throws InterruptedException {
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        Duration period = Duration.ofMillis(15);
        long t0 = System.nanoTime();
        t.set(Deadline.after(period), period);
        for (int i = 1; i <= 5; i++) {
            assertTrue(t.await(LONG), "expiry " + i);
            // each wait took one signal, and only an expiry gives one: at least i expiries, the
            // i-th due at t0 + i * period
            assertNeverEarly(t0, period.multipliedBy(i));
        }
        assertTrue(t.isArmed());
        assertTrue(t.cancel());
    }

    // ---------------------------------------------------------------- interrupts and cancels

    @Test
    public void interruptBeforeWaitingThrowsAndTakesNothing() {
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        t.set(Duration.ZERO);
        awaitSignaled(t);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, t::await);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> t.await(LONG));
        assertFalse(Thread.currentThread().isInterrupted());
        assertTrue(t.isSignaled(), "nothing taken");
    }

    @Test
    public void interruptedWaiterIsWithdrawnSoTheExpiryStaysForTheNextWait() {
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        Forked<Void> w = blockedRun("waiter", t::await);
        w.interrupt();
        w.joinFailure(InterruptedException.class);
        t.set(Duration.ZERO);
        awaitSignaled(t);
        assertTrue(t.tryAwait());
    }

    @Test
    public void cancelledAsyncWaitIsWithdrawnAndCancelAfterCompletionKeepsTheSignalTaken() {
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        CompletableFuture<Void> cancelled = t.awaitAsync();
        assertTrue(cancelled.cancel(false));
        t.set(Duration.ZERO);
        awaitSignaled(t);
        assertTrue(t.tryAwait());
        CompletableFuture<Void> kept = t.awaitAsync();
        t.set(Duration.ZERO);
        await(kept);
        assertFalse(kept.cancel(false));
        assertFalse(t.isSignaled());
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyIsEndedByTheExpiryWithTheTimerIndex() {
        EventUnderTest other = newCompanionEvent(false);
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), t.waitable()));
        long t0 = System.nanoTime();
        t.set(SHORT);
        assertEquals(1, w.join());
        assertNeverEarly(t0, SHORT);
        assertFalse(t.isSignaled(), "the wait-any took the signal");
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void waitAllTakesTheTimerOnlyTogetherWithTheOtherMember() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        WaitableTimerUnderTest t = newTimer(Mode.AUTO_RESET);
        t.set(Duration.ZERO);
        awaitSignaled(t);
        assertFalse(Wait.all(Duration.ZERO, t.waitable(), other.waitable()));
        assertTrue(t.isSignaled(), "a failed wait-all takes nothing");
        other.set();
        assertTrue(Wait.all(Duration.ZERO, t.waitable(), other.waitable()));
        assertFalse(t.isSignaled());
        assertFalse(other.isSignaled());
    }
}
