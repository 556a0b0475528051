package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the catalogue primitives (docs/semantics.md#bad-input): each gets a specific
 * exception or a documented return value, and the object stays usable (a normal operation succeeds
 * afterwards).
 */
class CatalogueBadInputTest {

    private static void assertMessageContains(Throwable e, String part) {
        assertNotNull(e.getMessage(), "the exception should say what is wrong");
        assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention '" + part + "'");
    }

    // ---- capacities and sizes

    @Test
    void negativeCapacitiesAreRejected() {
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new Channel<String>(-1)), "-1");
        assertMessageContains(assertThrows(IllegalArgumentException.class,
                () -> new PriorityChannel<Integer>(-1, Comparator.naturalOrder())), "-1");
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new MessageQueue(-1, 16)), "-1");
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new MessageQueue(4, -1)), "-1");
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new ByteStream(-1)), "-1");
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new Pipe(-1)), "-1");
        assertThrows(IllegalArgumentException.class, () -> new ByteStream(0), "a byte stream needs room for a byte");
        assertThrows(IllegalArgumentException.class, () -> new Pipe(0), "a pipe needs room for a byte");

        // the boundary values are legal and work
        Channel<String> handOff = new Channel<>(0);
        assertFalse(handOff.trySend("x"), "capacity 0: nobody to hand to");
        assertEquals(1, new ByteStream(1).tryWrite(new byte[] {1}, 0, 1, 1));
    }

    @Test
    void barrierWithFewerThanOnePartyIsRejectedAndOnePartyPassesAlone() throws InterruptedException {
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new Barrier(0)), "0");
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> new Barrier(-3)), "-3");
        Barrier one = new Barrier(1);
        assertTrue(one.tryAwait(), "N == 1: every arrival passes");
        assertTrue(one.await(LONG));
    }

    // ---- message queue

    @Test
    void messageLargerThanTheMaximumIsRefusedAndNothingIsSent() throws Exception {
        MessageQueue mq = new MessageQueue(2, 4);
        byte[] tooLarge = new byte[5];
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> mq.send(tooLarge, 1));
        assertMessageContains(e, "5");
        assertMessageContains(e, "4");
        assertThrows(MessageTooLargeException.class, () -> mq.send(tooLarge, 1, LONG));
        assertThrows(MessageTooLargeException.class, () -> mq.trySend(tooLarge, 1));
        assertThrows(MessageTooLargeException.class, () -> mq.sendAsync(tooLarge, 1));
        assertThrows(MessageTooLargeException.class, () -> mq.sendOp(tooLarge, 1));
        assertEquals(0, mq.size(), "nothing was sent");

        // a waiting receiver is not disturbed by the refused send, and gets the next valid one
        Worker<MessageQueue.Message> receiver = Worker.startParked("receiver", () -> mq.receive(LONG));
        assertThrows(MessageTooLargeException.class, () -> mq.trySend(tooLarge, 9));
        receiver.assertWaiting();
        byte[] exactlyMax = "four".getBytes(StandardCharsets.UTF_8);
        assertTrue(mq.trySend(exactlyMax, 2), "exactly the maximum is accepted");
        MessageQueue.Message m = receiver.join();
        assertArrayEquals(exactlyMax, m.data());
        assertEquals(2, m.priority());
        assertTrue(mq.isEmpty());
    }

    // ---- pipe

    @Test
    void writingAfterTheReadEndClosedFailsWithBrokenPipe() throws IOException {
        Pipe pipe = new Pipe(8);
        OutputStream out = pipe.sink();
        out.write(new byte[] {1, 2});
        pipe.source().close();
        IOException e = assertThrows(IOException.class, () -> out.write(new byte[] {3}));
        assertMessageContains(e, "Broken pipe");
        assertThrows(IOException.class, () -> out.write(4), "every later write fails the same way");
        assertEquals(0, pipe.buffered(), "bytes nobody can read any more were discarded");
        out.close(); // closing the other end still works
    }

    @Test
    void aWriterBlockedOnAFullPipeGetsBrokenPipeWhenTheReaderCloses() throws IOException {
        Pipe pipe = new Pipe(2);
        Worker<Void> writer = Worker.startParked("writer", () -> {
            pipe.sink().write(new byte[] {1, 2, 3, 4});
            return null;
        });
        pipe.source().close();
        Throwable t = writer.joinFailure();
        assertInstanceOf(IOException.class, t);
        assertMessageContains(t, "Broken pipe");
    }

    @Test
    void writingToAClosedWriteEndFails() throws IOException {
        Pipe pipe = new Pipe(8);
        pipe.sink().close();
        assertThrows(IOException.class, () -> pipe.sink().write(1));
        assertEquals(-1, pipe.source().read(), "the reader sees end of stream");
    }

    @Test
    void readingFromAPipeWhoseWriterClosedDrainsTheBufferThenReportsEof() throws IOException {
        Pipe pipe = new Pipe(8);
        pipe.sink().write(new byte[] {10, 20, 30});
        pipe.sink().close();
        InputStream in = pipe.source();
        byte[] buf = new byte[8];
        assertEquals(2, in.read(buf, 0, 2), "buffered bytes are still delivered");
        assertEquals(10, buf[0]);
        assertEquals(20, buf[1]);
        assertEquals(30, in.read());
        assertEquals(-1, in.read(), "then end of stream");
        assertEquals(-1, in.read(buf, 0, 8), "and it stays at end of stream");
        assertEquals(0, in.read(buf, 0, 0), "a zero-length read reads nothing");
    }

    @Test
    void aReaderBlockedOnAnEmptyPipeGetsEofWhenTheWriterCloses() throws Exception {
        Pipe pipe = new Pipe(8);
        Worker<Integer> reader = Worker.startParked("reader", () -> pipe.source().read());
        pipe.sink().close();
        assertEquals(-1, reader.join());
        assertEquals(0, Wait.any(Duration.ZERO, pipe.readable()), "readable at end of stream");
    }

    // ---- post/wait

    @Test
    void postingToAThreadThatHasEndedFailsAndOtherTargetsStillGetTheirPost() throws Exception {
        Thread ended = Thread.ofPlatform().start(() -> { });
        ended.join();
        Thread neverStarted = Thread.ofPlatform().unstarted(() -> { });
        PostWait slot = PostWait.of(ended);
        assertMessageContains(assertThrows(IllegalStateException.class, slot::post), "not alive");
        assertFalse(slot.isPosted());
        assertThrows(IllegalStateException.class, () -> PostWait.of(neverStarted).post());

        CountDownLatch done = new CountDownLatch(1);
        Worker<Boolean> live = Worker.start("live", () -> PostWait.current().await(LONG) && done.await(20, TimeUnit.SECONDS));
        live.awaitParked();
        PostWait.Result[] results = PostWait.postAll(ended, live.thread, neverStarted);
        assertArrayEquals(new PostWait.Result[] {PostWait.Result.NO_SUCH_THREAD, PostWait.Result.POSTED,
            PostWait.Result.NO_SUCH_THREAD}, results);
        done.countDown();
        assertTrue(live.join(), "the live target received its post");
    }

    @Test
    void waitingOnAnotherThreadsSlotIsRefusedAndLeavesItsPostPending() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Worker<Boolean> owner = Worker.start("owner", () -> release.await(20, TimeUnit.SECONDS) && PostWait.current().tryAwait());
        PostWait theirs = PostWait.of(owner.thread);
        assertTrue(theirs.post());
        assertThrows(IllegalMonitorStateException.class, theirs::tryAwait);
        assertThrows(IllegalMonitorStateException.class, () -> theirs.await(LONG));
        assertThrows(IllegalMonitorStateException.class, () -> Wait.any(LONG, Event.autoReset(false), theirs));
        assertTrue(theirs.isPosted(), "the refused waits consumed nothing");
        release.countDown();
        assertTrue(owner.join(), "the owner consumes its post");
    }

    // ---- readers/writer lock

    @Test
    void unlockingAnRwLockSideThatIsNotHeldThrowsAndChangesNothing() {
        for (RwLock rw : new RwLock[] {RwLock.preferReaders(), RwLock.preferWriters()}) {
            assertMessageContains(assertThrows(IllegalMonitorStateException.class, () -> rw.readLock().unlock()),
                    "read");
            assertThrows(IllegalMonitorStateException.class, () -> rw.writeLock().unlock());
            assertEquals(0, rw.readHolds());
            assertFalse(rw.isWriteLocked());

            // a read hold does not allow a write unlock
            assertTrue(rw.readLock().tryLock());
            assertThrows(IllegalMonitorStateException.class, () -> rw.writeLock().unlock());
            assertEquals(1, rw.readHolds());
            rw.readLock().unlock();
            assertThrows(IllegalMonitorStateException.class, () -> rw.readLock().unlock(), "no second release");

            // still usable both ways
            assertTrue(rw.writeLock().tryLock());
            rw.writeLock().unlock();
            assertTrue(rw.readLock().tryLock());
            rw.readLock().unlock();
            assertThrows(UnsupportedOperationException.class, () -> rw.readLock().newCondition());
        }
    }

    @Test
    void writeUnlockFromAThreadThatDoesNotHoldItThrowsAndTheHolderKeepsIt() {
        RwLock rw = RwLock.preferWriters();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch in = new CountDownLatch(1);
        Worker<Boolean> holder = Worker.start("holder", () -> {
            rw.writeLock().lock();
            try {
                in.countDown();
                return release.await(20, TimeUnit.SECONDS) && rw.isWriteLockedByCurrentThread();
            } finally {
                rw.writeLock().unlock();
            }
        });
        try {
            assertTrue(in.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThrows(IllegalMonitorStateException.class, () -> rw.writeLock().unlock());
        assertTrue(rw.isWriteLocked(), "still held by its holder");
        release.countDown();
        assertTrue(holder.join());
        assertFalse(rw.isWriteLocked());
    }

    // ---- monitor

    @Test
    void monitorOperationsOutsideTheMonitorThrowAndItStaysUsable() throws Exception {
        Monitor monitor = new Monitor();
        assertThrows(IllegalMonitorStateException.class, monitor::await);
        assertThrows(IllegalMonitorStateException.class, () -> monitor.await(Duration.ofMillis(10)));
        assertThrows(IllegalMonitorStateException.class, monitor::awaitUninterruptibly);
        assertThrows(IllegalMonitorStateException.class, monitor::signal);
        assertThrows(IllegalMonitorStateException.class, monitor::signalAll);
        assertThrows(IllegalMonitorStateException.class, monitor::exit);
        assertNull(monitor.mutex().owner());

        // a monitor held by another thread: waiting on it from here is just as wrong
        Mutex shared = new Mutex();
        Monitor other = new Monitor(shared);
        CountDownLatch release = new CountDownLatch(1);
        Worker<Void> holder = Worker.start("holder", () -> {
            other.enter();
            try {
                release.await(20, TimeUnit.SECONDS);
            } finally {
                other.exit();
            }
            return null;
        });
        AoSupport.awaitCondition("holder inside", () -> shared.owner() == holder.thread);
        assertThrows(IllegalMonitorStateException.class, () -> other.await(Duration.ofMillis(10)));
        release.countDown();
        holder.join();

        monitor.enter();
        try {
            assertFalse(monitor.await(Duration.ofMillis(10)), "a normal wait works afterwards");
            assertTrue(monitor.isEntered());
        } finally {
            monitor.exit();
        }
    }

    // ---- null items and arguments

    @Test
    void nullItemsAreRejectedAndTheContainersStayUsable() throws Exception {
        Mailbox<String> mailbox = new Mailbox<>();
        assertThrows(NullPointerException.class, () -> mailbox.post(null));
        mailbox.post("ok");
        assertEquals("ok", mailbox.tryReceive());

        PriorityMailbox<String> pmail = new PriorityMailbox<>(Comparator.naturalOrder());
        assertThrows(NullPointerException.class, () -> pmail.post(null));
        assertTrue(pmail.isEmpty());

        Channel<String> channel = new Channel<>(2);
        assertThrows(NullPointerException.class, () -> channel.send(null));
        assertThrows(NullPointerException.class, () -> channel.send(null, LONG));
        assertThrows(NullPointerException.class, () -> channel.trySend(null));
        assertThrows(NullPointerException.class, () -> channel.sendAsync(null));
        assertThrows(NullPointerException.class, () -> channel.sendOp(null));
        assertThrows(NullPointerException.class, () -> channel.sendOverwriting(null));
        assertTrue(channel.isEmpty());
        assertTrue(channel.trySend("ok"));
        assertEquals("ok", channel.tryReceive());

        PriorityChannel<Integer> pchannel = new PriorityChannel<>(1, Comparator.naturalOrder());
        assertThrows(NullPointerException.class, () -> pchannel.trySend(null));
        assertTrue(pchannel.trySend(1));

        MessageQueue mq = new MessageQueue(1, 8);
        assertThrows(NullPointerException.class, () -> mq.send(null, 1));
        assertThrows(NullPointerException.class, () -> mq.trySend((MessageQueue.Message) null));
        assertTrue(mq.trySend(new byte[0], 0), "an empty message is fine");

        Rendezvous<String> rendezvous = new Rendezvous<>();
        assertThrows(NullPointerException.class, () -> rendezvous.offer(null));
        assertThrows(NullPointerException.class, () -> rendezvous.exchange(null, LONG));
        assertFalse(rendezvous.hasWaitingParty());

        Exchange<String, String> exchange = new Exchange<>();
        assertThrows(NullPointerException.class, () -> exchange.call(null));
        assertThrows(NullPointerException.class, () -> exchange.callAsync(null));
        assertEquals(0, exchange.pendingRequests());
        CompletableFuture<String> call = exchange.callAsync("q");
        Exchange.Request<String, String> request = exchange.tryAccept();
        assertNotNull(request);
        assertThrows(NullPointerException.class, () -> request.reply(null));
        assertTrue(request.reply("a"), "the request can still be answered");
        assertEquals("a", call.get(20, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> request.reply("again"), "answered once only");

        Counter counter = new Counter(0);
        assertThrows(NullPointerException.class, () -> counter.await(null));
        assertThrows(NullPointerException.class, () -> counter.when(null));
        assertThrows(NullPointerException.class, () -> counter.update(null));
        assertEquals(1, counter.increment());
        assertThrows(NullPointerException.class, () -> new Threshold(0, null, null));
        assertThrows(NullPointerException.class, () -> new Monitor(null));
        assertThrows(NullPointerException.class, () -> new PriorityMailbox<String>(null));
        assertThrows(NullPointerException.class, () -> Wait.any(LONG, Event.autoReset(true), null));
    }

    // ---- byte stream

    @Test
    void byteStreamTransferBoundsAreCheckedAndTheStreamStaysUsable() {
        ByteStream stream = new ByteStream(4);
        byte[] buf = new byte[8];
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> stream.tryRead(buf, 0, 3, 2)), "min");
        assertThrows(IllegalArgumentException.class, () -> stream.readOp(buf, 0, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> stream.writeOp(buf, 0, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> stream.tryWrite(buf, 0, -1, 2));
        assertMessageContains(assertThrows(IllegalArgumentException.class, () -> stream.tryRead(buf, 0, 5, 8)),
                "capacity");
        assertThrows(IndexOutOfBoundsException.class, () -> stream.tryRead(buf, 4, 1, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> stream.tryWrite(buf, -1, 1, 1));
        assertThrows(NullPointerException.class, () -> stream.tryRead(null, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> stream.writeOverwriting(buf, 0, 5));

        assertEquals(0, stream.available(), "nothing moved");
        assertEquals(2, stream.tryWrite(new byte[] {1, 2}, 0, 1, 2));
        assertEquals(2, stream.tryRead(buf, 0, 1, 8));
        assertEquals(-1, stream.tryRead(buf, 0, 1, 8), "documented: -1 when fewer than min are buffered");
    }

    @Test
    void secondPendingByteStreamReaderIsRefusedAndTheFirstIsUnaffected() throws InterruptedException {
        ByteStream stream = new ByteStream(8);
        byte[] first = new byte[4];
        Worker<Integer> reader = Worker.startParked("first reader", () -> stream.read(first, 0, 2, 4, LONG));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stream.read(new byte[4], 0, 1, 4, LONG));
        assertMessageContains(e, "pending");
        assertThrows(IllegalStateException.class, () -> stream.readAsync(new byte[4], 0, 1, 4));
        Event other = Event.autoReset(false);
        assertThrows(IllegalStateException.class,
                () -> Wait.any(LONG, other, stream.readOp(new byte[4], 0, 1, 4)));
        assertFalse(other.isSignaled());
        reader.assertWaiting();

        // the second writer is refused in the same way while one write is pending
        ByteStream full = new ByteStream(1);
        assertEquals(1, full.tryWrite(new byte[] {1}, 0, 1, 1));
        Worker<Integer> writer = Worker.startParked("first writer", () -> full.write(new byte[] {2}, 0, 1, 1, LONG));
        assertThrows(IllegalStateException.class, () -> full.tryWrite(new byte[] {3}, 0, 1, 1));
        assertThrows(IllegalStateException.class, () -> full.writeOverwriting(new byte[] {3}, 0, 1));
        assertEquals(1, full.tryRead(new byte[1], 0, 1, 1), "a read lets the first writer in");
        assertEquals(1, writer.join());

        assertEquals(1, stream.tryWrite(new byte[] {5}, 0, 1, 1));
        reader.assertWaiting(); // min 2
        assertEquals(1, stream.tryWrite(new byte[] {6}, 0, 1, 1));
        assertEquals(2, reader.join());
        assertArrayEquals(new byte[] {5, 6, 0, 0}, first);
        assertEquals(0, stream.available());
        assertEquals(1, stream.tryWrite(new byte[] {7}, 0, 1, 1));
        assertEquals(1, stream.tryRead(new byte[1], 0, 1, 1), "a new reader is accepted once the first is done");
    }
}
