package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of a symmetric rendezvous, after the ao kernel's {@code rendezvous}: the first party
 * waits, the next one pairs with it at once and both leave, in that same step, with the other's
 * offer; a party that gives up leaves the rendezvous empty and exchanged nothing; a rendezvous
 * cannot take part in a wait-all.
 *
 * <p>A backend extends this class and implements {@link #newRendezvous}.
 */
public abstract class RendezvousContract extends ContractBase {
    /**
     * Creates the rendezvous under test.
     *
     * @return the rendezvous, with nobody waiting
     */
    protected abstract RendezvousUnderTest newRendezvous();

    // ---------------------------------------------------------------- single thread

    @Test
    public void pollWithNobodyWaitingExchangesNothingAndLeavesNobodyWaiting() throws InterruptedException {
        RendezvousUnderTest r = newRendezvous();
        assertFalse(r.hasWaitingParty());
        assertNull(r.exchange("a", Duration.ZERO));
        assertNull(r.exchange("a", Duration.ofMillis(-1)));
        OpUnderTest<String> offer = r.offer("b");
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, offer.waitable()));
        assertNull(offer.result());
        assertFalse(r.hasWaitingParty());
    }

    @Test
    public void timedExchangeTimesOutNeverEarlyAndLeavesTheRendezvousEmpty() throws InterruptedException {
        RendezvousUnderTest r = newRendezvous();
        long t0 = System.nanoTime();
        assertNull(r.exchange("alone", SHORT));
        assertNeverEarly(t0, SHORT);
        assertFalse(r.hasWaitingParty());
        CompletableFuture<String> next = r.exchangeAsync("next");
        assertPending(next);
        assertTrue(next.cancel(false));
    }

    @Test
    public void nullOffersAndTimeoutsAreRejectedAndTheRendezvousStaysUsable() {
        RendezvousUnderTest r = newRendezvous();
        assertThrows(NullPointerException.class, () -> r.exchange(null));
        assertThrows(NullPointerException.class, () -> r.exchangeAsync(null));
        assertThrows(NullPointerException.class, () -> r.offer(null));
        assertThrows(NullPointerException.class, () -> r.exchange("x", null));
        assertFalse(r.hasWaitingParty());
        CompletableFuture<String> a = r.exchangeAsync("a");
        assertEquals("a", assertCompleted(r.exchangeAsync("b")));
        assertEquals("b", assertCompleted(a));
    }

    // ---------------------------------------------------------------- pairing

    @Test
    public void secondPartyPairsAtOnceAndBothCompleteInThatStep() throws InterruptedException {
        RendezvousUnderTest r = newRendezvous();
        Forked<String> first = blockedCall("first", () -> r.exchange("from-first"));
        assertTrue(r.hasWaitingParty());
        assertEquals("from-first", r.exchange("from-second", Duration.ZERO), "a poll pairs with a waiting party");
        assertFalse(r.hasWaitingParty(), "both left in the same step");
        assertEquals("from-second", first.join());
    }

    @Test
    public void arrivalsPairTwoByTwo() {
        RendezvousUnderTest r = newRendezvous();
        List<CompletableFuture<String>> parties = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            parties.add(r.exchangeAsync("p" + i));
            assertEquals(i % 2 == 0, r.hasWaitingParty(), "at most one party waits");
        }
        for (int i = 0; i < 6; i += 2) {
            assertEquals("p" + (i + 1), assertCompleted(parties.get(i)));
            assertEquals("p" + i, assertCompleted(parties.get(i + 1)));
        }
    }

    @Test
    public void concurrentPartiesAlwaysPairSymmetricallyWithSomeoneElse() {
        RendezvousUnderTest r = newRendezvous();
        int threads = 4;
        int total = 400; // even: every arrival finds a partner, whoever takes the last ones
        AtomicInteger arrivals = new AtomicInteger(total);
        Map<String, String> received = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Forked<Void>> parties = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            parties.add(Forked.run("party-" + t, () -> {
                start.await();
                for (int i = 0; arrivals.getAndDecrement() > 0; i++) {
                    String mine = id + ":" + i;
                    String got = r.exchange(mine, LONG);
                    if (got == null) {
                        throw new AssertionError(mine + " found no partner within " + LONG);
                    }
                    received.put(mine, got);
                }
            }));
        }
        start.countDown();
        parties.forEach(Forked::join);
        assertEquals(total, received.size());
        received.forEach((mine, got) -> {
            assertNotEquals(mine.split(":")[0], got.split(":")[0], "a thread met itself: " + mine);
            assertEquals(mine, received.get(got), "not symmetric: " + mine + " got " + got);
        });
        assertFalse(r.hasWaitingParty());
    }

    // ---------------------------------------------------------------- interrupts and cancels

    @Test
    public void interruptBeforeArrivingThrowsAndDoesNotWait() {
        RendezvousUnderTest r = newRendezvous();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> r.exchange("x"));
        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(r.hasWaitingParty());
    }

    @Test
    public void interruptedPartyLeavesTheRendezvousEmptySoTheNextTwoMeet() {
        RendezvousUnderTest r = newRendezvous();
        Forked<String> gone = blockedCall("gone", () -> r.exchange("gone"));
        gone.interrupt();
        gone.joinFailure(InterruptedException.class);
        assertFalse(r.hasWaitingParty());
        CompletableFuture<String> a = r.exchangeAsync("a");
        assertPending(a);
        assertEquals("a", assertCompleted(r.exchangeAsync("b")));
        assertEquals("b", assertCompleted(a));
    }

    @Test
    public void cancelledOfferIsWithdrawnAndCancelAfterTheMeetingKeepsTheExchange() {
        RendezvousUnderTest r = newRendezvous();
        CompletableFuture<String> cancelled = r.exchangeAsync("cancelled");
        assertTrue(cancelled.cancel(false));
        assertFalse(r.hasWaitingParty());
        CompletableFuture<String> a = r.exchangeAsync("a");
        assertPending(a);
        CompletableFuture<String> b = r.exchangeAsync("b");
        assertFalse(a.cancel(false), "a already met b");
        assertEquals("b", assertCompleted(a));
        assertEquals("a", assertCompleted(b));
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyReportsTheOfferIndexAndDeliversThePartnersOffer() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        RendezvousUnderTest r = newRendezvous();
        OpUnderTest<String> offer = r.offer("mine");
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), offer.waitable()));
        assertEquals("mine", r.exchange("theirs", LONG));
        assertEquals(1, w.join());
        assertEquals("theirs", offer.result());
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void offerOfAWaitAnyWonByAnotherMemberIsWithdrawn() {
        EventUnderTest other = newCompanionEvent(false);
        RendezvousUnderTest r = newRendezvous();
        OpUnderTest<String> offer = r.offer("mine");
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, offer.waitable(), other.waitable()));
        assertTrue(r.hasWaitingParty());
        other.set();
        assertEquals(1, w.join());
        assertFalse(r.hasWaitingParty(), "the losing offer left the rendezvous");
        assertNull(offer.result());
    }

    @Test
    public void waitAnyOverTwoOffersToTheSameRendezvousNeverMeetsItself() throws InterruptedException {
        RendezvousUnderTest r = newRendezvous();
        OpUnderTest<String> a = r.offer("a");
        OpUnderTest<String> b = r.offer("b");
        long t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(SHORT, a.waitable(), b.waitable()));
        assertNeverEarly(t0, SHORT);
        assertNull(a.result());
        assertNull(b.result());
        assertFalse(r.hasWaitingParty());
    }

    @Test
    public void rendezvousCannotTakePartInAWaitAll() {
        EventUnderTest other = newCompanionEvent(true);
        RendezvousUnderTest r = newRendezvous();
        CompletableFuture<String> waiting = r.exchangeAsync("waiting");
        assertThrows(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, other.waitable(), r.offer("x").waitable()));
        assertTrue(other.isSignaled());
        assertPending(waiting);
        assertTrue(r.hasWaitingParty());
        assertTrue(waiting.cancel(false));
    }
}
