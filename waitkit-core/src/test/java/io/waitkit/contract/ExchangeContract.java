package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a client/server exchange, after the ao kernel's {@code xch}: clients and servers
 * pair FIFO; an accept that finds a client waiting returns its request at once and a call that
 * finds a server waiting hands its request over at once; the client is released only by the reply,
 * which completes its wait before {@code reply} returns; a client that gives up before it is
 * accepted is withdrawn, after it is accepted it is detached and the reply reports {@code false}; a
 * request is answered once.
 *
 * <p>A backend extends this class and implements {@link #newExchange}.
 */
public abstract class ExchangeContract extends ContractBase {
    /**
     * Creates the exchange under test.
     *
     * @return the exchange, with no client and no server
     */
    protected abstract ExchangeUnderTest newExchange();

    // ---------------------------------------------------------------- polls and timeouts

    @Test
    public void serverPollsWithNoClientTakeNothing() throws InterruptedException {
        ExchangeUnderTest x = newExchange();
        assertNull(x.tryAccept());
        assertNull(x.accept(Duration.ZERO));
        assertNull(x.accept(Duration.ofMillis(-1)));
        OpUnderTest<ExchangeUnderTest.Request> op = x.acceptOp();
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, op.waitable()));
        assertNull(op.result());
        assertEquals(0, x.pendingRequests());
    }

    @Test
    public void timedAcceptTimesOutNeverEarlyAndLeavesNoServerBehind() throws InterruptedException {
        ExchangeUnderTest x = newExchange();
        long t0 = System.nanoTime();
        assertNull(x.accept(SHORT));
        assertNeverEarly(t0, SHORT);
        CompletableFuture<String> client = x.callAsync("q");
        assertEquals(1, x.pendingRequests(), "no withdrawn server took the request");
        assertTrue(client.cancel(false));
    }

    @Test
    public void clientThatGivesUpBeforeBeingAcceptedIsWithdrawn() throws InterruptedException {
        ExchangeUnderTest x = newExchange();
        assertNull(x.call("polled", Duration.ZERO));
        long t0 = System.nanoTime();
        assertNull(x.call("timed", SHORT));
        assertNeverEarly(t0, SHORT);
        assertEquals(0, x.pendingRequests());
        assertNull(x.tryAccept(), "no server sees a request whose client left");
    }

    @Test
    public void nullRequestsAndRepliesAreRejectedAndTheExchangeStaysUsable() {
        ExchangeUnderTest x = newExchange();
        assertThrows(NullPointerException.class, () -> x.call(null));
        assertThrows(NullPointerException.class, () -> x.callAsync(null));
        assertThrows(NullPointerException.class, () -> x.call("q", null));
        assertEquals(0, x.pendingRequests(), "nothing was posted");
        CompletableFuture<String> client = x.callAsync("q");
        ExchangeUnderTest.Request r = x.tryAccept();
        assertThrows(NullPointerException.class, () -> r.reply(null));
        assertTrue(r.isClientWaiting(), "a refused reply answers nothing");
        assertTrue(r.reply("a"));
        assertEquals("a", assertCompleted(client));
    }

    // ---------------------------------------------------------------- pairing and replies

    @Test
    public void acceptTakesAWaitingClientsRequestAtOnceAndTheReplyReleasesTheClient() {
        ExchangeUnderTest x = newExchange();
        CompletableFuture<String> client = x.callAsync("q");
        assertEquals(1, x.pendingRequests());
        ExchangeUnderTest.Request r = x.tryAccept();
        assertNotNull(r);
        assertEquals("q", r.payload());
        assertEquals(0, x.pendingRequests());
        assertTrue(r.isClientWaiting());
        assertPending(client);
        assertTrue(r.reply("a"));
        assertEquals("a", assertCompleted(client), "released before reply returned");
        assertFalse(r.isClientWaiting());
    }

    @Test
    public void callHandsTheRequestToAWaitingServerAtOnce() {
        ExchangeUnderTest x = newExchange();
        CompletableFuture<ExchangeUnderTest.Request> server = x.acceptAsync();
        assertPending(server);
        Forked<String> client = blockedCall("client", () -> x.call("q"));
        ExchangeUnderTest.Request r = assertCompleted(server);
        assertEquals("q", r.payload());
        assertFalse(client.isDone(), "the client waits for the reply");
        assertTrue(r.reply("a"));
        assertEquals("a", client.join());
    }

    @Test
    public void clientsAndServersArePairedInArrivalOrder() throws InterruptedException {
        ExchangeUnderTest x = newExchange();
        CompletableFuture<String> c1 = x.callAsync("q1");
        CompletableFuture<String> c2 = x.callAsync("q2");
        assertEquals("q1", x.accept().payload());
        assertEquals("q2", x.accept(LONG).payload());
        CompletableFuture<ExchangeUnderTest.Request> s1 = x.acceptAsync();
        CompletableFuture<ExchangeUnderTest.Request> s2 = x.acceptAsync();
        CompletableFuture<String> c3 = x.callAsync("q3");
        assertEquals("q3", assertCompleted(s1).payload());
        assertPending(s2);
        assertTrue(s2.cancel(false));
        assertPending(c1);
        assertPending(c2);
        assertPending(c3);
    }

    @Test
    public void aRequestIsAnsweredOnlyOnce() {
        ExchangeUnderTest x = newExchange();
        CompletableFuture<String> client = x.callAsync("q");
        ExchangeUnderTest.Request r = x.tryAccept();
        assertTrue(r.reply("first"));
        assertThrows(IllegalStateException.class, () -> r.reply("second"));
        assertEquals("first", assertCompleted(client));
    }

    // ---------------------------------------------------------------- interrupts and cancels

    @Test
    public void interruptBeforeCallingOrAcceptingThrowsAndPostsOrTakesNothing() {
        ExchangeUnderTest x = newExchange();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> x.call("q"));
        assertEquals(0, x.pendingRequests());
        CompletableFuture<String> client = x.callAsync("waiting");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, x::accept);
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(1, x.pendingRequests(), "the interrupted server took nothing");
        assertTrue(client.cancel(false));
    }

    @Test
    public void clientInterruptedBeforeBeingAcceptedIsWithdrawn() {
        ExchangeUnderTest x = newExchange();
        Forked<String> client = blockedCall("client", () -> x.call("q"));
        assertEquals(1, x.pendingRequests());
        client.interrupt();
        client.joinFailure(InterruptedException.class);
        assertEquals(0, x.pendingRequests());
        assertNull(x.tryAccept());
    }

    @Test
    public void clientInterruptedAfterBeingAcceptedIsDetachedAndTheReplyReportsFalse() {
        ExchangeUnderTest x = newExchange();
        Forked<String> client = blockedCall("client", () -> x.call("q", LONG));
        ExchangeUnderTest.Request r = x.tryAccept();
        assertEquals("q", r.payload());
        awaitBlocked(client.thread());
        client.interrupt();
        client.joinFailure(InterruptedException.class);
        assertFalse(r.isClientWaiting());
        assertFalse(r.reply("too late"));
    }

    @Test
    public void cancelledCallIsWithdrawnBeforeAcceptAndDetachedAfter() {
        ExchangeUnderTest x = newExchange();
        CompletableFuture<String> early = x.callAsync("early");
        assertTrue(early.cancel(false));
        assertNull(x.tryAccept());
        CompletableFuture<String> late = x.callAsync("late");
        ExchangeUnderTest.Request r = x.tryAccept();
        assertTrue(late.cancel(false));
        assertFalse(r.reply("unwanted"), "the client cancelled: not delivered");
        assertTrue(late.isCancelled());
    }

    @Test
    public void cancelledAcceptIsWithdrawnSoTheRequestWaitsForTheNextServer() {
        ExchangeUnderTest x = newExchange();
        CompletableFuture<ExchangeUnderTest.Request> cancelled = x.acceptAsync();
        assertTrue(cancelled.cancel(false));
        CompletableFuture<String> client = x.callAsync("q");
        assertEquals(1, x.pendingRequests());
        CompletableFuture<ExchangeUnderTest.Request> server = x.acceptAsync();
        assertFalse(server.cancel(false), "it already took the request");
        assertTrue(assertCompleted(server).reply("a"));
        assertEquals("a", assertCompleted(client));
    }

    // ---------------------------------------------------------------- wait-any

    @Test
    public void blockedWaitAnyReportsTheAcceptIndexAndDeliversTheRequest() {
        EventUnderTest other = newCompanionEvent(false);
        ExchangeUnderTest x = newExchange();
        OpUnderTest<ExchangeUnderTest.Request> op = x.acceptOp();
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), op.waitable()));
        CompletableFuture<String> client = x.callAsync("q");
        assertEquals(1, w.join());
        assertEquals("q", op.result().payload());
        assertTrue(op.result().reply("a"));
        assertEquals("a", assertCompleted(client));
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void acceptOfAWaitAnyWonByAnotherMemberTakesNoRequest() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(true);
        ExchangeUnderTest x = newExchange();
        CompletableFuture<String> client = x.callAsync("q");
        OpUnderTest<ExchangeUnderTest.Request> op = x.acceptOp();
        assertEquals(0, Wait.any(Duration.ZERO, other.waitable(), op.waitable()));
        assertNull(op.result());
        assertEquals(1, x.pendingRequests());
        assertEquals("q", x.tryAccept().payload());
        assertPending(client);
    }
}
