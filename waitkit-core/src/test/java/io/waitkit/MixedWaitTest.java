package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One wait-any over one operation of every waitable kind of the catalogue at once, none
 * available at first. Exactly one of them is then signalled; the wait must report exactly that
 * index, and every other object must be left as it was (nothing consumed, no arrival, no
 * pending reader, no registered party) and still work normally afterwards, which also shows
 * that the withdrawn operations left no bookkeeping behind.
 */
class MixedWaitTest {

    /** The members of the mixed wait, in index order. */
    enum Kind {
        EVENT, MUTEX, SEMAPHORE, BINARY_SEMAPHORE, SIGNAL, BARRIER, RW_READ_SIDE, RW_WRITE_SIDE,
        COUNTER_WHEN, THRESHOLD, EVENT_FLAGS_ANY_OF, MAILBOX_RECEIVE, PRIORITY_MAILBOX_RECEIVE,
        CHANNEL_RECEIVE, PRIORITY_CHANNEL_RECEIVE, CHANNEL_SEND, BYTE_STREAM_READ, PIPE_READABLE,
        MESSAGE_QUEUE_RECEIVE, RENDEZVOUS_OFFER, EXCHANGE_ACCEPT, WAITABLE_TIMER, POST_WAIT, FUTURE
    }

    /** A thread that holds a lock until told to let go, then unlocks it (a hand-off if someone waits). */
    private static final class Holder {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Worker<Void> worker;

        Holder(String name, Lock lock) throws InterruptedException {
            worker = Worker.start(name, () -> {
                lock.lockInterruptibly();
                try {
                    held.countDown();
                    release.await(20, TimeUnit.SECONDS);
                } finally {
                    lock.unlock();
                }
                return null;
            });
            assertTrue(held.await(20, TimeUnit.SECONDS), name + " could not take its lock");
        }

        Thread thread() {
            return worker.thread;
        }

        /** Unlocks (in the holder's thread) and waits until that unlock has returned. */
        void letGo() {
            if (release.getCount() > 0) {
                release.countDown();
                worker.join();
            }
        }
    }

    /** Every object of the mixed wait, with its operation, signal and state checks. */
    private static final class Fixture implements AutoCloseable {
        final Event event = Event.autoReset(false);
        final Mutex mutex = new Mutex();
        final Holder mutexHolder;
        final Semaphore semaphore = new Semaphore(0, 5);
        final BinarySemaphore bsem = new BinarySemaphore(false);
        final Signal signal = new Signal();
        final Barrier barrier = new Barrier(2);
        final RwLock readSideLock = RwLock.preferReaders(); // write-held by a holder thread
        final Holder writerHolder;
        final RwLock writeSideLock = RwLock.preferWriters(); // one read hold, taken by the fixture
        boolean readHoldOfWriteSideLock = true;
        final Counter counter = new Counter(0);
        final Counter.Watch watch = counter.when(ChangeMatch.atLeast(1));
        final Threshold threshold = new Threshold(0, ChangeMatch.atLeast(1), null);
        final EventFlags flags = new EventFlags(0);
        final EventFlags.Match flagMatch = flags.anyOf(0b1, true);
        final Mailbox<String> mailbox = new Mailbox<>();
        final ReceiveOp<String> mailboxReceive = mailbox.receiveOp();
        final PriorityMailbox<Integer> priorityMailbox = new PriorityMailbox<>(Comparator.naturalOrder());
        final ReceiveOp<Integer> priorityMailboxReceive = priorityMailbox.receiveOp();
        final Channel<String> channel = new Channel<>(2);
        final ReceiveOp<String> channelReceive = channel.receiveOp();
        final PriorityChannel<Integer> priorityChannel = new PriorityChannel<>(2, Comparator.naturalOrder());
        final ReceiveOp<Integer> priorityChannelReceive = priorityChannel.receiveOp();
        final Channel<String> fullChannel = new Channel<>(1);
        final SendOp<String> channelSend = fullChannel.sendOp("new");
        final ByteStream stream = new ByteStream(8);
        final byte[] streamBuffer = new byte[8];
        final ByteStream.Transfer streamRead = stream.readOp(streamBuffer, 0, 1, 8);
        final Pipe pipe = new Pipe(8);
        final MessageQueue queue = new MessageQueue(2, 16);
        final ReceiveOp<MessageQueue.Message> queueReceive = queue.receiveOp();
        final Rendezvous<String> rendezvous = new Rendezvous<>();
        final Rendezvous.Offer<String> offer = rendezvous.offer("mine");
        final Exchange<String, String> exchange = new Exchange<>();
        final Exchange.Accept<String, String> accept = exchange.acceptOp();
        final WaitableTimer timer = WaitableTimer.manualReset();
        final CompletableFuture<String> memberFuture = new CompletableFuture<>();
        final Completion completion = Wait.completion(memberFuture);
        /** The waiting thread's post/wait slot, bound when the operations are built. */
        PostWait postWait;
        /** Results of the signalling side, checked with the winner. */
        String partnerReceived;
        CompletableFuture<String> clientCall;

        Fixture() throws InterruptedException {
            mutexHolder = new Holder("mutex holder", mutex);
            writerHolder = new Holder("writer", readSideLock.writeLock());
            writeSideLock.readLock().lock();
            assertTrue(fullChannel.trySend("old"));
        }

        /** The operations, in {@link Kind} order; call in the thread that waits. */
        Waitable[] ops() {
            postWait = PostWait.current();
            postWait.tryAwait(); // a post left from an earlier test on this thread
            return new Waitable[] {
                event, mutex, semaphore, bsem, signal, barrier, readSideLock.readLock(), writeSideLock.writeLock(),
                watch, threshold, flagMatch, mailboxReceive, priorityMailboxReceive, channelReceive,
                priorityChannelReceive, channelSend, streamRead, pipe.readable(), queueReceive, offer, accept, timer,
                postWait, completion,
            };
        }

        void signal(Kind k) throws Exception {
            switch (k) {
                case EVENT -> assertFalse(event.set());
                case MUTEX -> mutexHolder.letGo();
                case SEMAPHORE -> assertEquals(0, semaphore.release(1));
                case BINARY_SEMAPHORE -> assertTrue(bsem.give());
                case SIGNAL -> assertEquals(1, signal.signal());
                case BARRIER -> assertTrue(barrier.await(LONG), "the partner arrival completes the group");
                case RW_READ_SIDE -> writerHolder.letGo();
                case RW_WRITE_SIDE -> {
                    writeSideLock.readLock().unlock();
                    readHoldOfWriteSideLock = false;
                }
                case COUNTER_WHEN -> assertEquals(1, counter.increment());
                case THRESHOLD -> assertEquals(1, threshold.increment());
                case EVENT_FLAGS_ANY_OF -> assertEquals(0, flags.set(0b1));
                case MAILBOX_RECEIVE -> mailbox.post("mail");
                case PRIORITY_MAILBOX_RECEIVE -> priorityMailbox.post(7);
                case CHANNEL_RECEIVE -> assertTrue(channel.trySend("item"));
                case PRIORITY_CHANNEL_RECEIVE -> assertTrue(priorityChannel.trySend(9));
                case CHANNEL_SEND -> assertEquals("old", fullChannel.tryReceive());
                case BYTE_STREAM_READ -> assertEquals(3, stream.tryWrite(new byte[] {1, 2, 3}, 0, 3, 3));
                case PIPE_READABLE -> pipe.sink().write(new byte[] {4, 5, 6});
                case MESSAGE_QUEUE_RECEIVE -> assertTrue(queue.trySend("msg".getBytes(StandardCharsets.UTF_8), 3));
                case RENDEZVOUS_OFFER -> partnerReceived = rendezvous.exchange("theirs", LONG);
                case EXCHANGE_ACCEPT -> clientCall = exchange.callAsync("request");
                case WAITABLE_TIMER -> timer.set(Duration.ZERO);
                case POST_WAIT -> assertTrue(postWait.post());
                case FUTURE -> assertTrue(memberFuture.complete("done"));
            }
        }

        /** What the winner must do in its own thread: release owned locks, checking ownership. */
        void inWinnerThread(Kind k) {
            switch (k) {
                case MUTEX -> {
                    assertTrue(mutex.isHeldByCurrentThread(), "the mutex was acquired for the waiter");
                    assertEquals(1, mutex.holdCount());
                    mutex.unlock();
                }
                case RW_WRITE_SIDE -> {
                    assertTrue(writeSideLock.isWriteLockedByCurrentThread(), "the write side was acquired for the waiter");
                    writeSideLock.writeLock().unlock();
                }
                default -> {
                }
            }
        }

        /** The signalled object's state after the wait completed through it. */
        void assertWon(Kind k) throws Exception {
            switch (k) {
                case EVENT -> assertFalse(event.isSignaled(), "auto-reset: consumed");
                case MUTEX -> assertNull(mutex.owner(), "released by the winner");
                case SEMAPHORE -> assertEquals(0, semaphore.availablePermits(), "the permit was taken");
                case BINARY_SEMAPHORE -> assertFalse(bsem.isAvailable(), "taken by the wait");
                case SIGNAL -> assertFalse(signal.hasWaiters());
                case BARRIER -> assertEquals(0, barrier.waiting());
                case RW_READ_SIDE -> {
                    assertEquals(1, readSideLock.readHolds(), "the waiter's read hold");
                    assertFalse(readSideLock.isWriteLocked());
                    readSideLock.readLock().unlock();
                }
                case RW_WRITE_SIDE -> {
                    assertFalse(writeSideLock.isWriteLocked(), "released by the winner");
                    assertEquals(0, writeSideLock.readHolds());
                }
                case COUNTER_WHEN -> {
                    assertEquals(new Change(0, 1), watch.change());
                    assertEquals(1, counter.get(), "not consumed");
                }
                case THRESHOLD -> assertEquals(1, threshold.get(), "no adjustment configured");
                case EVENT_FLAGS_ANY_OF -> {
                    assertEquals(0b1, flagMatch.matched());
                    assertEquals(0, flags.get(), "cleared on exit");
                }
                case MAILBOX_RECEIVE -> {
                    assertEquals("mail", mailboxReceive.item());
                    assertTrue(mailbox.isEmpty());
                }
                case PRIORITY_MAILBOX_RECEIVE -> {
                    assertEquals(7, priorityMailboxReceive.item());
                    assertTrue(priorityMailbox.isEmpty());
                }
                case CHANNEL_RECEIVE -> {
                    assertEquals("item", channelReceive.item());
                    assertTrue(channel.isEmpty());
                }
                case PRIORITY_CHANNEL_RECEIVE -> {
                    assertEquals(9, priorityChannelReceive.item());
                    assertTrue(priorityChannel.isEmpty());
                }
                case CHANNEL_SEND -> {
                    assertEquals(1, fullChannel.size());
                    assertEquals("new", fullChannel.tryReceive(), "the sent item entered the channel");
                }
                case BYTE_STREAM_READ -> {
                    assertEquals(3, streamRead.count());
                    assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(streamBuffer, 3));
                    assertEquals(0, stream.available());
                }
                case PIPE_READABLE -> assertEquals(3, pipe.buffered(), "readable() consumes nothing");
                case MESSAGE_QUEUE_RECEIVE -> {
                    MessageQueue.Message m = queueReceive.item();
                    assertNotNull(m);
                    assertEquals("msg", new String(m.data(), StandardCharsets.UTF_8));
                    assertEquals(3, m.priority());
                    assertTrue(queue.isEmpty());
                }
                case RENDEZVOUS_OFFER -> {
                    assertEquals("theirs", offer.received());
                    assertEquals("mine", partnerReceived);
                    assertFalse(rendezvous.hasWaitingParty());
                }
                case EXCHANGE_ACCEPT -> {
                    Exchange.Request<String, String> r = accept.request();
                    assertNotNull(r);
                    assertEquals("request", r.payload());
                    assertTrue(r.reply("reply"));
                    assertEquals("reply", clientCall.get(20, TimeUnit.SECONDS));
                    assertEquals(0, exchange.pendingRequests());
                }
                case WAITABLE_TIMER -> assertTrue(timer.isSignaled(), "manual-reset: not consumed");
                case POST_WAIT -> assertFalse(postWait.isPosted(), "the post was consumed");
                case FUTURE -> assertTrue(completion.isDone(), "a done future stays available");
            }
        }

        /** A member that was not signalled: exactly as it was before the wait. */
        void assertUntouched(Kind k) {
            String msg = k + " must be untouched";
            switch (k) {
                case EVENT -> assertFalse(event.isSignaled(), msg);
                case MUTEX -> {
                    assertSame(mutexHolder.thread(), mutex.owner(), msg);
                    assertEquals(1, mutex.holdCount(), msg);
                }
                case SEMAPHORE -> assertEquals(0, semaphore.availablePermits(), msg);
                case BINARY_SEMAPHORE -> assertFalse(bsem.isAvailable(), msg);
                case SIGNAL -> assertFalse(signal.hasWaiters(), msg);
                case BARRIER -> assertEquals(0, barrier.waiting(), msg + ": the arrival was taken back");
                case RW_READ_SIDE -> {
                    assertTrue(readSideLock.isWriteLocked(), msg);
                    assertEquals(0, readSideLock.readHolds(), msg);
                }
                case RW_WRITE_SIDE -> {
                    assertFalse(writeSideLock.isWriteLocked(), msg);
                    assertEquals(1, writeSideLock.readHolds(), msg);
                }
                case COUNTER_WHEN -> {
                    assertEquals(0, counter.get(), msg);
                    assertNull(watch.change(), msg);
                }
                case THRESHOLD -> assertEquals(0, threshold.get(), msg);
                case EVENT_FLAGS_ANY_OF -> {
                    assertEquals(0, flags.get(), msg);
                    assertEquals(0, flagMatch.matched(), msg);
                }
                case MAILBOX_RECEIVE -> {
                    assertTrue(mailbox.isEmpty(), msg);
                    assertNull(mailboxReceive.item(), msg);
                }
                case PRIORITY_MAILBOX_RECEIVE -> {
                    assertTrue(priorityMailbox.isEmpty(), msg);
                    assertNull(priorityMailboxReceive.item(), msg);
                }
                case CHANNEL_RECEIVE -> {
                    assertTrue(channel.isEmpty(), msg);
                    assertNull(channelReceive.item(), msg);
                }
                case PRIORITY_CHANNEL_RECEIVE -> {
                    assertTrue(priorityChannel.isEmpty(), msg);
                    assertNull(priorityChannelReceive.item(), msg);
                }
                case CHANNEL_SEND -> assertEquals(1, fullChannel.size(), msg + ": only the old item");
                case BYTE_STREAM_READ -> {
                    assertEquals(0, stream.available(), msg);
                    assertEquals(-1, streamRead.count(), msg);
                }
                case PIPE_READABLE -> assertEquals(0, pipe.buffered(), msg);
                case MESSAGE_QUEUE_RECEIVE -> {
                    assertTrue(queue.isEmpty(), msg);
                    assertNull(queueReceive.item(), msg);
                }
                case RENDEZVOUS_OFFER -> {
                    assertFalse(rendezvous.hasWaitingParty(), msg + ": the offer was withdrawn");
                    assertNull(offer.received(), msg);
                }
                case EXCHANGE_ACCEPT -> {
                    assertEquals(0, exchange.pendingRequests(), msg);
                    assertNull(accept.request(), msg);
                }
                case WAITABLE_TIMER -> assertFalse(timer.isSignaled(), msg);
                case POST_WAIT -> assertFalse(postWait.isPosted(), msg);
                case FUTURE -> assertFalse(memberFuture.isDone(), msg + ": a wait never completes the future");
            }
        }

        /**
         * A member that was not signalled still works normally: a withdrawn operation left no
         * count, pending slot or arrival behind. Called after {@link #releaseHolders()}.
         */
        void assertUsable(Kind k) throws Exception {
            String msg = k + " must work normally after the withdrawal";
            switch (k) {
                case EVENT -> {
                    event.set();
                    assertTrue(event.tryAwait(), msg);
                }
                case MUTEX -> {
                    assertTrue(mutex.tryLock(), msg);
                    mutex.unlock();
                }
                case SEMAPHORE -> {
                    semaphore.release(1);
                    assertTrue(semaphore.tryAcquire(), msg);
                }
                case BINARY_SEMAPHORE -> {
                    assertTrue(bsem.give(), msg);
                    assertTrue(bsem.tryTake(), msg);
                }
                case SIGNAL -> assertEquals(0, signal.signal(), msg);
                case BARRIER -> {
                    assertFalse(barrier.tryAwait(), msg + ": no leftover arrival to complete a group with");
                    assertEquals(0, barrier.waiting(), msg);
                }
                case RW_READ_SIDE -> {
                    assertTrue(readSideLock.writeLock().tryLock(), msg + ": no leftover queued reader");
                    readSideLock.writeLock().unlock();
                }
                case RW_WRITE_SIDE -> {
                    assertTrue(writeSideLock.readLock().tryLock(), msg + ": no leftover queued writer");
                    writeSideLock.readLock().unlock();
                }
                case COUNTER_WHEN -> assertEquals(new Change(0, 0), counter.await(ChangeMatch.atMost(0), Duration.ZERO), msg);
                case THRESHOLD -> {
                    threshold.increment();
                    assertTrue(threshold.tryAwait(), msg);
                }
                case EVENT_FLAGS_ANY_OF -> {
                    flags.set(0b1);
                    assertEquals(0b1, flags.awaitAny(0b1, true, Duration.ZERO), msg);
                }
                case MAILBOX_RECEIVE -> {
                    mailbox.post("x");
                    assertEquals("x", mailbox.tryReceive(), msg);
                }
                case PRIORITY_MAILBOX_RECEIVE -> {
                    priorityMailbox.post(1);
                    assertEquals(1, priorityMailbox.tryReceive(), msg);
                }
                case CHANNEL_RECEIVE -> {
                    assertTrue(channel.trySend("x"), msg);
                    assertEquals("x", channel.tryReceive(), msg);
                }
                case PRIORITY_CHANNEL_RECEIVE -> {
                    assertTrue(priorityChannel.trySend(1), msg);
                    assertEquals(1, priorityChannel.tryReceive(), msg);
                }
                case CHANNEL_SEND -> {
                    assertEquals("old", fullChannel.tryReceive(), msg);
                    assertTrue(fullChannel.trySend("x"), msg);
                    assertEquals("x", fullChannel.tryReceive(), msg);
                }
                case BYTE_STREAM_READ -> {
                    assertEquals(1, stream.tryWrite(new byte[] {7}, 0, 1, 1), msg);
                    assertEquals(1, stream.tryRead(new byte[1], 0, 1, 1), msg + ": no leftover pending read");
                }
                case PIPE_READABLE -> {
                    pipe.sink().write(8);
                    assertEquals(8, pipe.source().read(), msg);
                }
                case MESSAGE_QUEUE_RECEIVE -> {
                    assertTrue(queue.trySend(new byte[] {1}, 1), msg);
                    assertNotNull(queue.tryReceive(), msg);
                }
                case RENDEZVOUS_OFFER -> {
                    CompletableFuture<String> first = rendezvous.exchangeAsync("a");
                    assertFalse(first.isDone(), msg + ": no leftover party to pair with");
                    assertEquals("a", rendezvous.exchange("b", LONG), msg);
                    assertEquals("b", first.get(20, TimeUnit.SECONDS), msg);
                }
                case EXCHANGE_ACCEPT -> {
                    CompletableFuture<String> call = exchange.callAsync("c");
                    assertFalse(call.isDone(), msg + ": no leftover server accepted it");
                    Exchange.Request<String, String> r = exchange.tryAccept();
                    assertNotNull(r, msg);
                    assertTrue(r.reply("d"), msg);
                    assertEquals("d", call.get(20, TimeUnit.SECONDS), msg);
                }
                case WAITABLE_TIMER -> {
                    timer.set(Duration.ZERO);
                    assertTrue(timer.await(LONG), msg);
                }
                case POST_WAIT -> {
                    // the slot belongs to the waiting thread; nothing more to exercise here
                }
                case FUTURE -> {
                    memberFuture.complete("later");
                    assertEquals(0, Wait.any(Duration.ZERO, completion), msg);
                }
            }
        }

        void assertOthersUntouchedAndUsable(Kind winner) throws Exception {
            for (Kind k : Kind.values()) {
                if (k != winner) {
                    assertUntouched(k);
                }
            }
            releaseHolders();
            for (Kind k : Kind.values()) {
                if (k != winner) {
                    assertUsable(k);
                }
            }
        }

        void releaseHolders() {
            mutexHolder.letGo();
            writerHolder.letGo();
            if (readHoldOfWriteSideLock) {
                readHoldOfWriteSideLock = false;
                writeSideLock.readLock().unlock();
            }
        }

        @Override
        public void close() throws IOException {
            releaseHolders();
            timer.cancel();
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void mixedWaitOverEveryKindWithNothingAvailableTimesOutAndChangesNothing() throws Exception {
        try (Fixture fx = new Fixture()) {
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ofMillis(30), fx.ops()));
            fx.assertOthersUntouchedAndUsable(null);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mixedWaitAnyCompletesThroughExactlyTheSignalledKind(Kind signalled) throws Exception {
        try (Fixture fx = new Fixture()) {
            Worker<Integer> waiter = Worker.start("mixed waiter", () -> {
                int index = Wait.any(LONG, fx.ops());
                if (index >= 0) {
                    fx.inWinnerThread(Kind.values()[index]);
                }
                return index;
            });
            waiter.awaitParked();
            assertEquals(1, fx.barrier.waiting(), "registered on the barrier");
            assertTrue(fx.signal.hasWaiters(), "registered on the signal");
            assertTrue(fx.rendezvous.hasWaitingParty(), "registered on the rendezvous");

            fx.signal(signalled);
            assertEquals(signalled.ordinal(), waiter.join(), "the wait reports the signalled member");
            fx.assertWon(signalled);
            fx.assertOthersUntouchedAndUsable(signalled);
        }
    }

    @Test
    void mixedAnyAsyncCancelledBeforeAnySignalReturnsTrueAndConsumesNothing() throws Exception {
        try (Fixture fx = new Fixture()) {
            CompletableFuture<Integer> f = Wait.anyAsync(fx.ops());
            assertFalse(f.isDone(), "nothing is available");
            assertEquals(1, fx.barrier.waiting());
            assertTrue(fx.rendezvous.hasWaitingParty());

            assertTrue(f.cancel(true), "nothing was acquired: the cancel withdraws the wait");
            assertTrue(f.isCancelled());
            fx.assertOthersUntouchedAndUsable(null);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mixedAnyAsyncSignalledThenCancelledKeepsExactlyTheSignalledAcquisition(Kind signalled) throws Exception {
        try (Fixture fx = new Fixture()) {
            CompletableFuture<Integer> f = Wait.anyAsync(fx.ops());
            assertFalse(f.isDone());

            fx.signal(signalled);
            if (signalled != Kind.WAITABLE_TIMER) {
                assertTrue(f.isDone(), "hand-off: complete when the signalling call returned");
            }
            assertEquals(signalled.ordinal(), f.get(20, TimeUnit.SECONDS));
            assertFalse(f.cancel(true), "already acquired: cancel cannot undo it");
            assertFalse(f.isCancelled());
            assertEquals(signalled.ordinal(), f.join());

            fx.inWinnerThread(signalled); // async acquisitions are made for the calling thread
            fx.assertWon(signalled);
            fx.assertOthersUntouchedAndUsable(signalled);
        }
    }
}
