package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Event;
import io.waitkit.MessageQueue;
import io.waitkit.MessageTooLargeException;
import io.waitkit.Wait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rules of {@link NamedMessageQueue} within one JVM (other processes: {@link CrossProcessQueuesTest}). */
class NamedMessageQueueTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static final Duration LONG = Duration.ofSeconds(20);
    private static final Duration SHORT = Duration.ofMillis(50);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(MessageQueue.Message m) {
        return new String(m.data(), StandardCharsets.UTF_8);
    }

    private static NamedMessageQueue queue(int capacity, int max) throws Exception {
        return temp.ns.messageQueue(TempNamespace.fresh("mq"), capacity, max);
    }

    @Test
    void highestPriorityComesOutFirstAndEqualPrioritiesInSendOrder() throws Exception {
        try (NamedMessageQueue q = queue(16, 256)) {
            q.send(b("low"), 1);
            q.send(b("high"), 10);
            q.send(b("med"), 5);
            q.send(b("med2"), 5);
            q.send(b("zero"), 0);
            q.send(b("top"), Integer.MAX_VALUE);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                MessageQueue.Message m = q.receive(LONG);
                got.add(s(m) + ":" + m.priority());
            }
            assertEquals(List.of("top:" + Integer.MAX_VALUE, "high:10", "med:5", "med2:5", "low:1", "zero:0"), got);
            assertNull(q.tryReceive());
        }
    }

    @Test
    void orderHoldsAcrossTheRingWrappingManyTimes() throws Exception {
        try (NamedMessageQueue q = queue(5, 8)) {
            int next = 0;
            for (int round = 0; round < 50; round++) {
                for (int i = 0; i < 3; i++) {
                    assertTrue(q.trySend(new byte[] {(byte) (round % 3), (byte) i}, round % 3));
                }
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    MessageQueue.Message m = q.tryReceive();
                    got.add(m.data()[0] + "/" + m.data()[1]);
                }
                int p = round % 3;
                assertEquals(List.of(p + "/0", p + "/1", p + "/2"), got, "round " + round);
                next++;
            }
            assertEquals(50, next);
        }
    }

    @Test
    void aFullQueueRefusesTrySendAndTimesOutNeverEarlyAndSendsNothing() throws Exception {
        try (NamedMessageQueue q = queue(2, 16)) {
            assertTrue(q.trySend(b("a"), 0));
            assertTrue(q.send(b("b"), 0, Duration.ZERO));
            assertFalse(q.trySend(b("c"), 9));
            long t0 = System.nanoTime();
            assertFalse(q.send(b("c"), 9, SHORT));
            assertTrue(System.nanoTime() - t0 >= SHORT.toNanos(), "never early");
            assertEquals(2, q.size());
            assertEquals("a", s(q.tryReceive()));
            assertEquals("b", s(q.tryReceive()));
            assertNull(q.tryReceive());
        }
    }

    @Test
    void anEmptyQueueTimesOutNeverEarlyAndAZeroTimeoutPolls() throws Exception {
        try (NamedMessageQueue q = queue(2, 16)) {
            assertNull(q.receive(Duration.ZERO));
            long t0 = System.nanoTime();
            assertNull(q.receive(SHORT));
            assertTrue(System.nanoTime() - t0 >= SHORT.toNanos(), "never early");
        }
    }

    @Test
    void messagesOfExactlyTheMaximumPassAndLargerOnesAreRefusedByEverySendForm() throws Exception {
        try (NamedMessageQueue q = queue(4, 256)) {
            byte[] max = new byte[256];
            max[255] = 7;
            q.send(max, 0);
            assertArrayEquals(max, q.receive().data());
            byte[] big = new byte[257];
            MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> q.send(big, 0));
            assertTrue(e.getMessage().contains("257") && e.getMessage().contains("256"), e.getMessage());
            assertThrows(MessageTooLargeException.class, () -> q.trySend(big, 0));
            assertThrows(MessageTooLargeException.class, () -> q.send(big, 0, LONG));
            assertThrows(MessageTooLargeException.class, () -> q.sendAsync(big, 0));
            q.send(new byte[0], 3);
            assertEquals(0, q.receive().data().length, "an empty message is a message");
            assertEquals(0, q.size(), "nothing was sent by the refused calls");
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheReasonAndTheQueueStaysUsable() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> queue(0, 16));
        assertThrows(IllegalArgumentException.class, () -> queue(-1, 16));
        assertThrows(IllegalArgumentException.class, () -> queue(65536, 16));
        assertThrows(IllegalArgumentException.class, () -> queue(4, -1));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> queue(65535, 1 << 24));
        assertTrue(huge.getMessage().contains("MiB"), huge.getMessage());
        try (NamedMessageQueue q = queue(4, 16)) {
            assertThrows(NullPointerException.class, () -> q.send(null, 0));
            assertThrows(NullPointerException.class, () -> q.send(b("x"), 0, null));
            assertThrows(NullPointerException.class, () -> q.receive(null));
            q.send(b("ok"), 0);
            assertEquals("ok", s(q.receive()));
        }
    }

    @Test
    void reopeningWithOtherArgumentsOpensTheQueueAsItIs() throws Exception {
        String name = TempNamespace.fresh("mq");
        try (NamedMessageQueue a = temp.ns.messageQueue(name, 8, 100);
                NamedMessageQueue b = temp.ns.messageQueue(name, 3, 5)) {
            assertTrue(a.created());
            assertFalse(b.created());
            assertEquals(8, b.capacity());
            assertEquals(100, b.maxMessageSize());
            b.send(new byte[100], 1);
            assertEquals(100, a.receive().data().length);
            assertEquals("message-queue", b.info().kind());
            assertEquals("0/8 messages", b.info().state());
        }
    }

    @Test
    void aBlockedReceiverGetsTheMessageBeforeTheSendReturns() throws Exception {
        try (NamedMessageQueue q = queue(4, 16)) {
            AtomicReference<MessageQueue.Message> got = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    got.set(q.receive());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            DirectSleep.awaitBlocked(t);
            q.send(b("hand"), 2);
            assertEquals(0, q.size(), "handed to the waiting receiver, not left in the queue");
            t.join(LONG.toMillis());
            assertEquals("hand", s(got.get()));
        }
    }

    @Test
    void aBlockedSenderGoesInBeforeTheReceiveReturns() throws Exception {
        try (NamedMessageQueue q = queue(1, 16)) {
            q.send(b("first"), 0);
            CountDownLatch sent = new CountDownLatch(1);
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    q.send(b("second"), 0);
                    sent.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            DirectSleep.awaitBlocked(t);
            assertEquals("first", s(q.receive()));
            assertEquals(1, q.size(), "the waiting sender's message went in before the receive returned");
            assertTrue(sent.await(LONG.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals("second", s(q.receive()));
        }
    }

    @Test
    void anInterruptedReceiveOrSendTakesAndSendsNothing() throws Exception {
        try (NamedMessageQueue q = queue(1, 16)) {
            AtomicReference<Throwable> r = new AtomicReference<>();
            Thread receiver = Thread.ofPlatform().start(() -> {
                try {
                    q.receive();
                } catch (Throwable e) {
                    r.set(e);
                }
            });
            DirectSleep.awaitBlocked(receiver);
            receiver.interrupt();
            receiver.join(LONG.toMillis());
            assertTrue(r.get() instanceof InterruptedException, String.valueOf(r.get()));
            q.send(b("kept"), 0);
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    q.send(b("never"), 0);
                } catch (Throwable e) {
                    r.set(e);
                }
            });
            DirectSleep.awaitBlocked(sender);
            sender.interrupt();
            sender.join(LONG.toMillis());
            assertTrue(r.get() instanceof InterruptedException);
            assertEquals("kept", s(q.tryReceive()));
            assertNull(q.tryReceive(), "the interrupted send sent nothing");
        }
    }

    @Test
    void receiveOpInWaitAnyTakesExactlyOneMessageAndReportsIt() throws Exception {
        try (NamedMessageQueue q = queue(4, 16)) {
            Event other = Event.manualReset(false);
            NamedMessageQueue.Receive op = q.receiveOp();
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, other, op));
            CompletableFuture<Integer> f = Wait.anyAsync(other, op);
            q.send(b("x"), 1);
            q.send(b("y"), 1);
            assertEquals(1, f.get(LONG.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals("x", s(op.item()));
            assertEquals(1, q.size(), "exactly one message taken");
            assertEquals(1, Wait.any(LONG, other, op));
            assertEquals("y", s(op.item()));
            other.set();
            assertEquals(0, Wait.any(LONG, other, op), "the first available member wins; nothing taken from the queue");
        }
    }

    @Test
    void waitAnyOverTwoQueuesTakesExactlyOneMessageEvenWhenBothFillWhileItWaits() throws Exception {
        for (int round = 0; round < 200; round++) {
            try (NamedMessageQueue a = queue(2, 8); NamedMessageQueue b = queue(2, 8)) {
                NamedMessageQueue.Receive ra = a.receiveOp();
                NamedMessageQueue.Receive rb = b.receiveOp();
                CompletableFuture<Integer> f = Wait.anyAsync(ra, rb);
                Thread other = Thread.ofPlatform().start(() -> b.trySend(b("b"), 0));
                a.trySend(b("a"), 0);
                other.join(LONG.toMillis());
                int won = f.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(1, a.size() + b.size(), "exactly one of the two messages taken (round " + round + ")");
                assertEquals(won == 0 ? "a" : "b", s((won == 0 ? ra : rb).item()));
                NamedMessageQueue left = won == 0 ? b : a;
                assertEquals(won == 0 ? "b" : "a", s(left.tryReceive()), "the other message is intact and still there");
            }
        }
    }

    @Test
    void asyncSendAndReceiveCompleteAndACancelledReceiveTakesNothing() throws Exception {
        try (NamedMessageQueue q = queue(1, 16)) {
            CompletableFuture<MessageQueue.Message> r = q.receiveAsync();
            assertFalse(r.isDone());
            assertTrue(r.cancel(false));
            q.sendAsync(b("a"), 0).get(LONG.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Void> blocked = q.sendAsync(b("b"), 0);
            assertFalse(blocked.isDone());
            assertEquals("a", s(q.receiveAsync().get(LONG.toMillis(), TimeUnit.MILLISECONDS)));
            blocked.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Void> cancelled = q.sendAsync(b("c"), 0);
            assertTrue(cancelled.cancel(false), "a pending send is withdrawn");
            assertEquals("b", s(q.receive(LONG)));
            assertNull(q.receive(SHORT), "the cancelled send sent nothing");
            assertTrue(q.trySend(b("d"), 0), "and its slot is free");
        }
    }

    @Test
    void manyProducersAndConsumersDeliverEveryMessageExactlyOnce() throws Exception {
        int producers = 4;
        int perProducer = 3000;
        try (NamedMessageQueue q = queue(8, 8)) {
            NamedMessageQueue q2 = temp.ns.openExisting(q.name(), NamedMessageQueue.class);
            List<Thread> threads = new ArrayList<>();
            Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(producers * perProducer);
            for (int p = 0; p < producers; p++) {
                int id = p;
                threads.add((id % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
                    try {
                        for (int i = 0; i < perProducer; i++) {
                            long v = ((long) id << 32) | i;
                            (i % 2 == 0 ? q : q2).send(java.nio.ByteBuffer.allocate(8).putLong(v).array(), i % 3);
                        }
                    } catch (InterruptedException e) {
                        failure.set("producer interrupted");
                    }
                }));
            }
            for (int c = 0; c < 3; c++) {
                int id = c;
                threads.add((id % 2 == 0 ? Thread.ofVirtual() : Thread.ofPlatform()).start(() -> {
                    try {
                        while (done.getCount() > 0) {
                            MessageQueue.Message m = (id == 0 ? q : q2).receive(SHORT);
                            if (m != null) {
                                if (!seen.add(java.nio.ByteBuffer.wrap(m.data()).getLong())) {
                                    failure.set("duplicate");
                                }
                                done.countDown();
                            }
                        }
                    } catch (InterruptedException e) {
                        failure.set("consumer interrupted");
                    }
                }));
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "every message arrives; missing " + done.getCount());
            for (Thread t : threads) {
                t.join(LONG.toMillis());
            }
            assertNull(failure.get());
            assertEquals(producers * perProducer, seen.size());
            Set<Long> expected = new HashSet<>();
            for (int p = 0; p < producers; p++) {
                for (int i = 0; i < perProducer; i++) {
                    expected.add(((long) p << 32) | i);
                }
            }
            assertEquals(expected, seen);
            q2.close();
        }
    }

    @Test
    void aClosedHandleRefusesEveryOperation() throws Exception {
        NamedMessageQueue q = queue(2, 8);
        q.close();
        q.close();
        assertThrows(IllegalStateException.class, () -> q.send(b("x"), 0));
        assertThrows(IllegalStateException.class, q::tryReceive);
        assertThrows(IllegalStateException.class, q::size);
        assertThrows(IllegalStateException.class, () -> Wait.any(Duration.ZERO, q.receiveOp()));
    }
}
