package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ao cases T26-T34 (docs/semantics.md#numbered-cases): mailboxes, bounded queues and channels, the
 * byte stream, the rendezvous and the client/server exchange. ao reports failures in
 * {@code proxy->result}; here a failed receive returns {@code null}, a failed send {@code false}.
 */
class AoContainerCasesTest {

    /** An item with a priority key; {@code label} tells equal keys apart. */
    private record Keyed(int key, String label) {
    }

    @Test
    void ao_T26_mailboxIsFifoAndHandsAPostToAWaitingReceiver() throws InterruptedException {
        Mailbox<String> box = new Mailbox<>();
        box.post("m1");
        box.post("m2");
        assertEquals("m1", box.receive(LONG));
        assertEquals("m2", box.receive(LONG));

        Worker<String> fetcher = Worker.startParked("fetcher", () -> box.receive(LONG));
        box.post("m3");
        assertTrue(box.isEmpty(), "m3 went straight to the fetcher");
        assertEquals("m3", fetcher.join());

        assertNull(box.tryReceive(), "fetch_try on an empty box fails");
    }

    @Test
    void ao_T27_priorityMailboxDeliversLeastFirstAndEqualKeysInPostOrder() throws InterruptedException {
        PriorityMailbox<Keyed> box = new PriorityMailbox<>(Comparator.comparingInt(Keyed::key));
        Keyed five = new Keyed(5, "5");
        Keyed one = new Keyed(1, "1");
        Keyed three = new Keyed(3, "3");
        Keyed oneAgain = new Keyed(1, "1'");
        box.post(five);
        box.post(one);
        box.post(three);
        box.post(oneAgain);

        assertSame(one, box.receive(LONG));
        assertSame(oneAgain, box.receive(LONG));
        assertSame(three, box.receive(LONG));
        assertSame(five, box.receive(LONG));
        assertTrue(box.isEmpty());
    }

    @Test
    void ao_T28_boundedPriorityQueueBlocksAnInsertAndAdmitsItOnPop() throws InterruptedException {
        PriorityChannel<Integer> queue = new PriorityChannel<>(2, Comparator.naturalOrder());
        assertTrue(queue.trySend(4));
        assertTrue(queue.trySend(2));

        Worker<Boolean> inserter = Worker.startParked("insert 1", () -> queue.send(1, LONG));
        assertEquals(2, queue.size());

        assertEquals(2, queue.receive(LONG), "pop returns the least");
        assertEquals(2, queue.size(), "the blocked insert entered before the pop returned");
        assertTrue(inserter.join());
        assertEquals(1, queue.receive(LONG), "the queue held 4 and 1");
        assertEquals(4, queue.receive(LONG));
    }

    @Test
    void ao_T29_capacityZeroChannelSendsOnlyToAWaitingReceiver() {
        Channel<String> channel = new Channel<>(0);
        assertFalse(channel.trySend("lost"), "no receiver: push_try fails");
        Worker<String> popper = Worker.startParked("popper", () -> channel.receive(LONG));
        assertTrue(channel.trySend("p"), "a receiver waits: both succeed");
        assertEquals("p", popper.join());
        assertEquals(0, channel.size());

        PriorityChannel<Integer> queue = new PriorityChannel<>(0, Comparator.naturalOrder());
        assertFalse(queue.trySend(1));
        Worker<Integer> queuePopper = Worker.startParked("queue popper", () -> queue.receive(LONG));
        assertTrue(queue.trySend(7));
        assertEquals(7, queuePopper.join());
    }

    @Test
    void ao_T30_sendOverwritingEvictsTheOldest() throws InterruptedException {
        Channel<String> channel = new Channel<>(2);
        assertTrue(channel.trySend("a"));
        assertTrue(channel.trySend("b"));
        assertEquals("a", channel.sendOverwriting("c"), "a was evicted");
        assertEquals("b", channel.receive(LONG));
        assertEquals("c", channel.receive(LONG));
        assertTrue(channel.isEmpty());
    }

    @Test
    void ao_T31_byteStreamReadWaitsForItsMinimumAndTakesUpToItsMaximum() {
        ByteStream stream = new ByteStream(16);
        assertEquals(3, stream.tryWrite(new byte[] {1, 2, 3}, 0, 3, 3));
        byte[] dst = new byte[8];
        Worker<Integer> reader = Worker.startParked("reader min 4 max 8", () -> stream.read(dst, 0, 4, 8, LONG));
        assertEquals(3, stream.available());

        assertEquals(2, stream.tryWrite(new byte[] {4, 5}, 0, 2, 2));
        assertEquals(5, reader.join());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, Arrays.copyOf(dst, 5));
        assertEquals(0, stream.available());
    }

    // Adapted: ao's second pop "fails immediately with result false"; ByteStream reports the
    // refusal with IllegalStateException (documented), without blocking, and the first reader
    // is unaffected.
    @Test
    void ao_T32_byteStreamSecondPendingReaderFailsImmediately() {
        ByteStream stream = new ByteStream(16);
        byte[] first = new byte[4];
        Worker<Integer> reader = Worker.startParked("first reader", () -> stream.read(first, 0, 1, 4, LONG));

        assertThrows(IllegalStateException.class, () -> stream.read(new byte[4], 0, 1, 4, LONG));
        assertThrows(IllegalStateException.class, () -> stream.tryRead(new byte[4], 0, 1, 4));
        reader.assertWaiting();

        assertEquals(2, stream.tryWrite(new byte[] {9, 8}, 0, 2, 2));
        assertEquals(2, reader.join());
        assertArrayEquals(new byte[] {9, 8, 0, 0}, first);
    }

    @Test
    void ao_T33_rendezvousSwapsOffersAndATimedOutPartyLeavesItEmpty() throws InterruptedException {
        Rendezvous<Integer> r = new Rendezvous<>();
        Worker<Integer> a = Worker.startParked("A offers 1", () -> r.exchange(1, LONG));
        assertEquals(1, r.exchange(2, LONG), "B receives A's offer");
        assertEquals(2, a.join(), "A receives B's offer");
        assertFalse(r.hasWaitingParty());

        assertNull(r.exchange(1, Duration.ofMillis(30)), "A alone times out");
        assertFalse(r.hasWaitingParty(), "the slot is empty again");

        Worker<Integer> x = Worker.startParked("X offers 3", () -> r.exchange(3, LONG));
        assertEquals(3, r.exchange(4, LONG), "the next two arrivals pair with each other");
        assertEquals(4, x.join());
    }

    @Test
    void ao_T34_exchangeReleasesTheClientOnlyByTheReply() throws Exception {
        Exchange<String, String> xch = new Exchange<>();
        Worker<String> client = Worker.startParked("C", () -> xch.call("q"));

        Exchange.Request<String, String> request = xch.accept(LONG);
        assertNotNull(request, "S succeeds at once: C was waiting");
        assertEquals("q", request.payload());
        assertTrue(request.isClientWaiting());
        client.assertWaiting();

        assertTrue(request.reply("a"), "the reply reached C");
        assertEquals("a", client.join());

        // C times out after pairing: the server's later reply reports false.
        CompletableFuture<Exchange.Request<String, String>> server = xch.acceptAsync();
        Worker<String> late = Worker.start("C2", () -> xch.call("q2", Duration.ofMillis(50)));
        Exchange.Request<String, String> paired = server.get(20, TimeUnit.SECONDS);
        assertEquals("q2", paired.payload());
        assertNull(late.join(), "C2 gave up without a reply");
        assertFalse(paired.isClientWaiting());
        assertFalse(paired.reply("too late"));
        assertEquals(0, xch.pendingRequests());
    }
}
