package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a group of event flags, after the ao kernel's {@code flag}: waits for any or all
 * of a set of bits; set/clear/toggle return the previous flags; every waiter whose condition a
 * change satisfies is released (FIFO) before the change returns, with the awaited bits that were
 * set; flags are not consumed unless a waiter asked to clear them, which it does as part of its
 * acquisition, so that later waiters of the same change no longer see them; {@code clear} releases
 * nobody.
 *
 * <p>A backend extends this class and implements {@link #newEventFlags}.
 */
public abstract class EventFlagsContract extends ContractBase {
    private static final int A = 0b0001;
    private static final int B = 0b0010;
    private static final int C = 0b0100;
    private static final int HIGH = 1 << 31;

    /**
     * Creates the flag group under test.
     *
     * @param initial the initial flags
     * @return the group, with nobody waiting
     */
    protected abstract EventFlagsUnderTest newEventFlags(int initial);

    // ---------------------------------------------------------------- single thread

    @Test
    public void changesReturnThePreviousFlagsAndApplyTheirBitOperation() {
        EventFlagsUnderTest f = newEventFlags(A);
        assertEquals(A, f.get());
        assertEquals(A, f.set(B | HIGH));
        assertEquals(A | B | HIGH, f.clear(A));
        assertEquals(B | HIGH, f.toggle(B | C));
        assertEquals(C | HIGH, f.get());
        assertEquals(C | HIGH, f.set(C), "setting a set bit changes nothing");
        assertEquals(C | HIGH, f.clear(A), "clearing a clear bit changes nothing");
        assertEquals(C | HIGH, f.get());
    }

    @Test
    public void waitsThatHoldNowReturnTheAwaitedBitsThatAreSet() throws InterruptedException {
        EventFlagsUnderTest f = newEventFlags(B | C);
        assertEquals(B, f.awaitAny(A | B, false));
        assertEquals(B | C, f.awaitAny(B | C, false, Duration.ZERO));
        assertEquals(B | C, f.awaitAll(B | C, false));
        assertEquals(C, f.awaitAll(C, false, Duration.ZERO));
        assertEquals(B | C, f.get(), "nothing consumed without clear");
    }

    @Test
    public void waitsWithClearConsumeOnlyTheMatchedBits() throws InterruptedException {
        EventFlagsUnderTest f = newEventFlags(A | B | HIGH);
        assertEquals(A, f.awaitAny(A | C, true));
        assertEquals(B | HIGH, f.get());
        assertEquals(B | HIGH, f.awaitAll(B | HIGH, true, Duration.ZERO));
        assertEquals(0, f.get());
    }

    @Test
    public void pollsThatDoNotHoldReturnZeroAndChangeNothing() throws InterruptedException {
        EventFlagsUnderTest f = newEventFlags(A);
        assertEquals(0, f.awaitAny(B | C, true, Duration.ZERO));
        assertEquals(0, f.awaitAll(A | B, true, Duration.ZERO), "all-of fails while one bit is missing");
        assertEquals(0, f.awaitAll(A | B, true, Duration.ofMillis(-1)));
        OpUnderTest<Integer> op = f.allOf(A | B, true);
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, op.waitable()));
        assertEquals(0, op.result());
        assertEquals(A, f.get(), "the failed all-of did not clear A");
    }

    @Test
    public void timedWaitsTimeOutNeverEarlyAndConsumeNothing() throws InterruptedException {
        EventFlagsUnderTest f = newEventFlags(A);
        long t0 = System.nanoTime();
        assertEquals(0, f.awaitAny(B, true, SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertEquals(0, f.awaitAll(A | B, true, SHORT));
        assertNeverEarly(t0, SHORT);
        assertEquals(A, f.get());
        assertEquals(A, f.set(B));
        assertEquals(A | B, f.get(), "no withdrawn waiter cleared the new bit");
    }

    @Test
    public void zeroBitsAndNullTimeoutsAreRejectedAndTheGroupStaysUsable() {
        EventFlagsUnderTest f = newEventFlags(A);
        assertThrows(IllegalArgumentException.class, () -> f.awaitAny(0, true));
        assertThrows(IllegalArgumentException.class, () -> f.awaitAll(0, false, LONG));
        assertThrows(IllegalArgumentException.class, () -> f.awaitAsync(false, 0, false));
        assertThrows(IllegalArgumentException.class, () -> f.anyOf(0, false));
        assertThrows(IllegalArgumentException.class, () -> f.allOf(0, true));
        assertThrows(NullPointerException.class, () -> f.awaitAny(A, true, null));
        assertEquals(A, f.get(), "nothing cleared");
        CompletableFuture<Integer> w = f.awaitAsync(true, A | B, false);
        f.set(B);
        assertEquals(A | B, assertCompleted(w));
    }

    // ---------------------------------------------------------------- release

    @Test
    public void setReleasesEveryWaiterItSatisfiesBeforeReturning() {
        EventFlagsUnderTest f = newEventFlags(0);
        CompletableFuture<Integer> anyAB = f.awaitAsync(false, A | B, false);
        CompletableFuture<Integer> allAB = f.awaitAsync(true, A | B, false);
        CompletableFuture<Integer> anyC = f.awaitAsync(false, C, false);
        Forked<Integer> blocked = blockedCall("blocked", () -> f.awaitAny(B | C, false));
        assertEquals(0, f.set(B));
        assertEquals(B, assertCompleted(anyAB));
        assertPending(allAB);
        assertPending(anyC);
        assertEquals(B, blocked.join());
        assertEquals(B, f.set(A));
        assertEquals(A | B, assertCompleted(allAB));
        assertPending(anyC);
        assertEquals(A | B, f.get());
        assertTrue(anyC.cancel(false));
    }

    @Test
    public void clearingWaiterConsumesItsBitsBeforeLaterWaitersOfTheSameChangeSeeThem() {
        EventFlagsUnderTest f = newEventFlags(0);
        CompletableFuture<Integer> observer = f.awaitAsync(false, A, false);
        CompletableFuture<Integer> consumer = f.awaitAsync(false, A, true);
        CompletableFuture<Integer> late = f.awaitAsync(false, A, false);
        f.set(A);
        assertEquals(A, assertCompleted(observer), "queued before the consumer: sees A");
        assertEquals(A, assertCompleted(consumer));
        assertPending(late);
        assertEquals(0, f.get(), "the consumer cleared A");
        f.set(A);
        assertEquals(A, assertCompleted(late));
        assertEquals(A, f.get());
    }

    @Test
    public void clearReleasesNobodyButToggleDoes() {
        EventFlagsUnderTest f = newEventFlags(A | B);
        CompletableFuture<Integer> needsC = f.awaitAsync(false, C, true);
        assertEquals(A | B, f.clear(A | B));
        assertPending(needsC);
        assertEquals(0, f.toggle(A | C));
        assertEquals(C, assertCompleted(needsC));
        assertEquals(A, f.get(), "C was consumed, A stays");
    }

    // ---------------------------------------------------------------- interrupts and cancels

    @Test
    public void interruptBeforeWaitingThrowsAndConsumesNothing() {
        EventFlagsUnderTest f = newEventFlags(A);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> f.awaitAny(A, true));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(A, f.get());
    }

    @Test
    public void interruptedClearingWaiterIsWithdrawnAndConsumesNothingLater() {
        EventFlagsUnderTest f = newEventFlags(0);
        Forked<Integer> consumer = blockedCall("consumer", () -> f.awaitAny(A, true, LONG));
        Forked<Integer> observer = blockedCall("observer", () -> f.awaitAll(A, false));
        consumer.interrupt();
        consumer.joinFailure(InterruptedException.class);
        f.set(A);
        assertEquals(A, observer.join());
        assertEquals(A, f.get(), "the withdrawn consumer did not clear A");
    }

    @Test
    public void cancelledAsyncWaitIsWithdrawnAndCancelAfterCompletionKeepsTheClear() {
        EventFlagsUnderTest f = newEventFlags(0);
        CompletableFuture<Integer> cancelled = f.awaitAsync(false, A, true);
        assertTrue(cancelled.cancel(false));
        f.set(A);
        assertEquals(A, f.get(), "the cancelled wait consumed nothing");
        f.clear(A);
        CompletableFuture<Integer> kept = f.awaitAsync(false, A, true);
        f.set(A);
        assertFalse(kept.cancel(false));
        assertEquals(A, assertCompleted(kept));
        assertEquals(0, f.get(), "its clear stands");
    }

    @Test
    public void setRacingACancelEitherCompletesTheClearingWaitOrLeavesTheBit() {
        Race.<Object[]>seeded().run(300, round -> {
            EventFlagsUnderTest f = newEventFlags(0);
            return new Object[] {f, f.awaitAsync(false, A, true), null};
        }, fx -> fx[2] = ((CompletableFuture<?>) fx[1]).cancel(false),
                fx -> ((EventFlagsUnderTest) fx[0]).set(A),
                fx -> {
                    boolean cancelled = (Boolean) fx[2];
                    int flags = ((EventFlagsUnderTest) fx[0]).get();
                    assertEquals(cancelled ? A : 0, flags, "cancelled: A stays; completed: A consumed");
                });
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyReportsTheMatchIndexAndDeliversTheMatchedBits() {
        EventUnderTest other = newCompanionEvent(false);
        EventFlagsUnderTest f = newEventFlags(0);
        OpUnderTest<Integer> all = f.allOf(A | B, true);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), all.waitable()));
        f.set(A);
        assertFalse(w.isDone());
        f.set(B | C);
        assertEquals(C, f.get(), "A and B consumed before set returned");
        assertEquals(1, w.join());
        assertEquals(A | B, all.result());
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void matchOfAWaitAnyWonByAnotherMemberConsumesNothing() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(true);
        EventFlagsUnderTest f = newEventFlags(A);
        OpUnderTest<Integer> any = f.anyOf(A, true);
        assertEquals(0, Wait.any(Duration.ZERO, other.waitable(), any.waitable()));
        assertEquals(A, f.get());
        assertEquals(0, any.result());
    }

    @Test
    public void waitAllOverTwoMatchesOfTheGroupIsRefusedAsADuplicate() {
        EventFlagsUnderTest f = newEventFlags(A | B);
        assertThrows(IllegalArgumentException.class,
                () -> Wait.all(Duration.ZERO, f.anyOf(A, true).waitable(), f.anyOf(B, true).waitable()));
        assertEquals(A | B, f.get());
    }

    @Test
    public void waitAllClearsTheMatchedBitsOnlyTogetherWithTheOtherMember() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        EventFlagsUnderTest f = newEventFlags(A);
        OpUnderTest<Integer> any = f.anyOf(A | B, true);
        assertFalse(Wait.all(Duration.ZERO, any.waitable(), other.waitable()));
        assertEquals(A, f.get(), "a failed wait-all clears nothing");
        other.set();
        assertTrue(Wait.all(Duration.ZERO, any.waitable(), other.waitable()));
        assertEquals(0, f.get());
        assertEquals(A, any.result());
    }
}
