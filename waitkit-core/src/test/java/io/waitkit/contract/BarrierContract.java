package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a cyclic barrier, after the ao kernel's {@code barrier}: the arrival that
 * completes a group of {@code parties} releases every waiting member before it returns and leaves
 * the barrier empty for the next round; a wait that times out, is interrupted or is cancelled takes
 * its arrival back; a try succeeds only as the completing arrival. In a wait-any an arrival is
 * taken back if another member wins; a barrier cannot take part in a wait-all.
 *
 * <p>A backend extends this class and implements {@link #newBarrier}.
 */
public abstract class BarrierContract extends ContractBase {
    /**
     * Creates the barrier under test.
     *
     * @param parties the group size
     * @return the barrier, empty
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    protected abstract BarrierUnderTest newBarrier(int parties);

    private Forked<Boolean> member(BarrierUnderTest b, String name) {
        return blockedCall(name, () -> b.await(LONG));
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void newBarrierReportsItsSizeAndNobodyWaiting() {
        BarrierUnderTest b = newBarrier(4);
        assertEquals(4, b.parties());
        assertEquals(0, b.waiting());
    }

    @Test
    public void creationRejectsFewerThanOneParty() {
        assertThrows(IllegalArgumentException.class, () -> newBarrier(0));
        assertThrows(IllegalArgumentException.class, () -> newBarrier(Integer.MIN_VALUE));
    }

    @Test
    public void pollsThatDoNotCompleteTheGroupChangeNothing() throws InterruptedException {
        BarrierUnderTest b = newBarrier(3);
        Forked<Boolean> w = member(b, "member");
        assertFalse(b.tryAwait());
        assertFalse(b.await(Duration.ZERO));
        assertFalse(b.await(Duration.ofSeconds(-1)));
        assertFalse(b.await(Deadline.now()));
        assertEquals(1, b.waiting(), "the polls did not count as arrivals");
        assertFalse(w.isDone());
        Forked<Boolean> second = member(b, "second");
        assertTrue(b.await(Duration.ZERO), "a poll that completes the group passes");
        assertTrue(w.join());
        assertTrue(second.join());
    }

    @Test
    public void timedArrivalTimesOutNeverEarlyAndIsTakenBack() throws InterruptedException {
        BarrierUnderTest b = newBarrier(2);
        long t0 = System.nanoTime();
        assertFalse(b.await(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertEquals(0, b.waiting());
        assertFalse(b.tryAwait(), "the timed-out arrival no longer counts");
    }

    @Test
    public void nullTimeoutsAreRejectedWithoutAnArrival() {
        BarrierUnderTest b = newBarrier(2);
        assertThrows(NullPointerException.class, () -> b.await((Duration) null));
        assertThrows(NullPointerException.class, () -> b.await((Deadline) null));
        assertEquals(0, b.waiting());
        Forked<Boolean> w = member(b, "member");
        assertTrue(b.tryAwait());
        assertTrue(w.join());
    }

    // ---------------------------------------------------------------- release and rounds

    @Test
    public void completingArrivalReleasesTheWholeGroupBeforeReturning() {
        BarrierUnderTest b = newBarrier(3);
        CompletableFuture<Void> a = b.awaitAsync();
        Forked<Boolean> m = member(b, "member");
        assertEquals(2, b.waiting());
        assertTrue(b.tryAwait());
        assertCompleted(a);
        assertEquals(0, b.waiting(), "empty for the next round right after the completing arrival");
        assertTrue(m.join());
    }

    @Test
    public void arrivalsAfterATripBelongToTheNextRound() {
        BarrierUnderTest b = newBarrier(2);
        for (int round = 0; round < 3; round++) {
            CompletableFuture<Void> first = b.awaitAsync();
            assertPending(first);
            assertEquals(1, b.waiting());
            CompletableFuture<Void> second = b.awaitAsync();
            assertCompleted(first);
            assertCompleted(second);
            assertEquals(0, b.waiting(), "round " + round);
        }
        CompletableFuture<Void> next = b.awaitAsync();
        assertPending(next);
        assertTrue(next.cancel(false));
    }

    // ---------------------------------------------------------------- withdrawal

    @Test
    public void interruptBeforeArrivingThrowsAndDoesNotArrive() {
        BarrierUnderTest b = newBarrier(2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, b::await);
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(0, b.waiting());
    }

    @Test
    public void interruptedMemberTakesItsArrivalBackSoTheGroupNeedsOneMore() {
        BarrierUnderTest b = newBarrier(3);
        Forked<Boolean> stays = member(b, "stays");
        Forked<Boolean> leaves = member(b, "leaves");
        assertEquals(2, b.waiting());
        leaves.interrupt();
        leaves.joinFailure(InterruptedException.class);
        assertEquals(1, b.waiting());
        assertFalse(b.tryAwait(), "two arrivals are not a group of three");
        Forked<Boolean> another = member(b, "another");
        assertTrue(b.tryAwait());
        assertTrue(stays.join());
        assertTrue(another.join());
    }

    @Test
    public void cancelledAsyncArrivalIsTakenBackAndCancelAfterTheTripReturnsFalse() {
        BarrierUnderTest b = newBarrier(2);
        CompletableFuture<Void> cancelled = b.awaitAsync();
        assertTrue(cancelled.cancel(false));
        assertEquals(0, b.waiting());
        CompletableFuture<Void> first = b.awaitAsync();
        assertPending(first);
        assertTrue(b.tryAwait());
        assertFalse(first.cancel(false), "the group completed: the arrival counted");
        assertCompleted(first);
        assertEquals(0, b.waiting());
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void waitAnyArrivalThatCompletesTheGroupReportsTheBarrierIndex() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        BarrierUnderTest b = newBarrier(2);
        CompletableFuture<Void> first = b.awaitAsync();
        assertEquals(1, Wait.any(Duration.ZERO, other.waitable(), b.waitable()));
        assertCompleted(first);
        assertEquals(0, b.waiting());
    }

    @Test
    public void waitAnyArrivalIsTakenBackWhenAnotherMemberWins() {
        EventUnderTest other = newCompanionEvent(false);
        BarrierUnderTest b = newBarrier(2);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, b.waitable(), other.waitable()));
        assertEquals(1, b.waiting(), "waiting in a wait-any is an arrival");
        other.set();
        assertEquals(1, w.join());
        assertEquals(0, b.waiting(), "the arrival was taken back");
        assertFalse(b.tryAwait());
    }

    @Test
    public void blockedWaitAnyIsReleasedByTheCompletingArrival() {
        EventUnderTest other = newCompanionEvent(false);
        BarrierUnderTest b = newBarrier(2);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), b.waitable()));
        assertTrue(b.tryAwait());
        assertEquals(1, w.join());
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void waitAnyListingTheBarrierTwiceArrivesOnceAndReportsTheLowestIndex() throws InterruptedException {
        BarrierUnderTest b = newBarrier(2);
        Duration timeout = SHORT.multipliedBy(2);
        long t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(timeout, b.waitable(), b.waitable()), "one thread is one arrival");
        assertNeverEarly(t0, timeout);
        assertEquals(0, b.waiting());
        BarrierUnderTest three = newBarrier(3);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, three.waitable(), three.waitable()));
        assertEquals(1, three.waiting(), "the repeated member did not arrive a second time");
        assertFalse(three.tryAwait(), "two arrivals are not a group of three");
        CompletableFuture<Void> second = three.awaitAsync();
        assertTrue(three.tryAwait());
        assertCompleted(second);
        assertEquals(0, w.join(), "a repeated object is reported at its lowest index");
    }

    @Test
    public void waitAllRefusesABarrierAndArrivesNowhere() {
        EventUnderTest other = newCompanionEvent(true);
        BarrierUnderTest b = newBarrier(1);
        assertThrows(IllegalArgumentException.class, () -> Wait.all(LONG, other.waitable(), b.waitable()));
        assertTrue(other.isSignaled(), "nothing acquired");
        assertEquals(0, b.waiting());
        assertTrue(b.tryAwait(), "still usable");
    }
}
