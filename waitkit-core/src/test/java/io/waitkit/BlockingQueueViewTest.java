package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.ContractBase;
import io.waitkit.contract.Forked;
import io.waitkit.contract.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the {@code BlockingQueue} view of the containers adds to the interface's contract: its
 * methods are the containers' own operations, so hand-off holds through them (an insert with
 * a receiver waiting gives it the item before returning; a removal from a full channel lets
 * the first waiting sender in), they mix with {@code Wait.any} members and async receives on
 * one container without losing or duplicating an item, a pending interrupt throws before
 * anything is taken, and an insert into a mailbox never waits.
 */
class BlockingQueueViewTest extends ContractBase {
    private static final Comparator<Item> BY_KEY = Comparator.comparingInt(Item::key);

    private static List<BlockingQueue<Item>> everyKind(int capacity) {
        return List.of(new Channel<>(capacity), new PriorityChannel<>(capacity, BY_KEY), new Mailbox<>(),
                new PriorityMailbox<>(BY_KEY));
    }

    @Test
    public void anOfferWithAReceiverWaitingHandsTheItemOverBeforeReturning() throws InterruptedException {
        for (BlockingQueue<Item> q : everyKind(4)) {
            Forked<Item> taker = blockedCall("taker", q::take);
            Item item = new Item(1, 1);
            assertTrue(q.offer(item));
            assertEquals(0, q.size(), q + ": the item must go to the waiting receiver, not into the buffer");
            assertSame(item, taker.join());
            Forked<Item> poller = blockedCall("poller", () -> q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS));
            q.put(item);
            assertEquals(0, q.size(), q + ": put must hand the item over too");
            assertSame(item, poller.join());
        }
    }

    @Test
    public void aPollFromAFullChannelLetsTheFirstWaitingSenderInBeforeReturning() {
        for (BlockingQueue<Item> q : everyKind(1).subList(0, 2)) {
            assertTrue(q.offer(new Item(1, 1)));
            Forked<Void> sender = blockedRun("sender", () -> q.put(new Item(2, 2)));
            assertEquals(new Item(1, 1), q.poll());
            assertEquals(List.of(new Item(2, 2)), List.of(q.toArray()), q + ": the waiting sender's item must be in");
            assertEquals(0, q.remainingCapacity());
            sender.join();
        }
    }

    @Test
    public void takesWaitAnyReceivesAndAsyncReceivesOnOneChannelNeverLoseOrDuplicateAnItem() throws InterruptedException {
        Channel<Item> ch = new Channel<>(8);
        int total = 3000;
        ConcurrentLinkedQueue<Item> received = new ConcurrentLinkedQueue<>();
        CountDownLatch all = new CountDownLatch(total);
        Event stop = Event.manualReset(false);
        List<Forked<Void>> threads = new ArrayList<>();
        threads.add(Forked.run("producer", () -> {
            for (int i = 0; i < total; i++) {
                Item item = new Item(0, i);
                if (i % 2 == 0) {
                    ch.put(item);
                } else {
                    ch.send(item);
                }
            }
        }));
        threads.add(Forked.run("taker", () -> {
            while (!stop.isSignaled()) {
                Item item = ch.poll(5, TimeUnit.MILLISECONDS);
                if (item != null) {
                    received.add(item);
                    all.countDown();
                }
            }
        }));
        threads.add(Forked.run("wait-any", () -> {
            ReceiveOp<Item> op = ch.receiveOp();
            while (Wait.any(Duration.ofSeconds(20), stop, op) == 1) {
                received.add(op.item());
                all.countDown();
            }
        }));
        threads.add(Forked.run("async", () -> {
            while (!stop.isSignaled()) {
                CompletableFuture<Item> f = ch.receiveAsync();
                Item item;
                try {
                    item = f.get(5, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (f.cancel(false)) {
                        continue; // withdrawn: nothing taken
                    }
                    item = f.join(); // taken while cancelling
                }
                received.add(item);
                all.countDown();
            }
        }));
        await(all);
        stop.set();
        for (Forked<Void> t : threads) {
            t.join();
        }
        assertEquals(total, received.size(), "an item was delivered twice");
        Set<Integer> seqs = new HashSet<>();
        for (Item item : received) {
            assertTrue(seqs.add(item.seq()), "delivered twice: " + item);
        }
        assertTrue(ch.isEmpty());
    }

    @Test
    public void aPendingInterruptMakesTakeAndTimedPollThrowEvenWithAnItemThere() {
        for (BlockingQueue<Item> q : everyKind(4)) {
            assertTrue(q.offer(new Item(1, 1)));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, q::take, q.toString());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> q.poll(0, TimeUnit.SECONDS), q.toString());
            assertFalse(Thread.interrupted());
            assertEquals(1, q.size(), q + ": an interrupted take took the item");
        }
    }

    @Test
    public void anInsertIntoAMailboxNeverWaitsAndIgnoresAPendingInterrupt() throws InterruptedException {
        for (BlockingQueue<Item> q : everyKind(4).subList(2, 4)) {
            Thread.currentThread().interrupt();
            q.put(new Item(1, 1));
            assertTrue(q.offer(new Item(2, 2), LONG.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(Thread.interrupted(), "an insert that never waits must leave the interrupt status alone");
            assertEquals(2, q.size());
            assertEquals(Integer.MAX_VALUE, q.remainingCapacity());
        }
    }

    @Test
    public void aWaitAnySenderOnACapacityZeroChannelIsTakenByPollAndDrainTo() throws InterruptedException {
        Channel<Item> ch = new Channel<>(0);
        Item item = new Item(1, 1);
        Forked<Integer> sender = blockedCall("sender", () -> Wait.any(LONG, ch.sendOp(item)));
        assertEquals(0, ch.size());
        assertSame(item, ch.poll());
        assertEquals(0, sender.join());
        Forked<Integer> another = blockedCall("sender", () -> Wait.any(LONG, ch.sendOp(item)));
        List<Item> sink = new ArrayList<>();
        assertEquals(1, ch.drainTo(sink));
        assertEquals(List.of(item), sink);
        assertEquals(0, another.join());
    }

    @Test
    public void aDrainOfACapacityZeroChannelWhoseTargetThrowsKeepsTheItemForTheNextReceiver() {
        Channel<Item> ch = new Channel<>(0);
        Item item = new Item(1, 1);
        Forked<Void> sender = blockedRun("sender", () -> ch.put(item));
        List<Item> refusing = new ArrayList<>() {
            @Override
            public boolean add(Item i) {
                throw new UnsupportedOperationException("refused");
            }
        };
        assertThrows(UnsupportedOperationException.class, () -> ch.drainTo(refusing));
        sender.join();
        assertSame(item, ch.poll(), "the item taken from the sender must not be lost");
        assertEquals(0, ch.size());
    }

    @Test
    public void atDispatchLevelTheNonBlockingMethodsWorkAndTheWaitingOnesThrowIllegalState() throws InterruptedException {
        for (BlockingQueue<Item> q : everyKind(4)) {
            try (Irql.Scope dispatch = Irql.raise(Irql.DISPATCH_LEVEL)) {
                assertTrue(q.offer(new Item(1, 1)));
                assertTrue(q.add(new Item(2, 2)));
                assertEquals(new Item(1, 1), q.peek());
                assertEquals(new Item(1, 1), q.poll());
                assertThrows(IllegalStateException.class, q::take, q + ": take may wait");
                assertThrows(IllegalStateException.class, () -> q.poll(1, TimeUnit.SECONDS), q.toString());
                List<Item> sink = new ArrayList<>();
                assertEquals(1, q.drainTo(sink));
                assertEquals(List.of(new Item(2, 2)), sink);
                assertThrows(IllegalStateException.class, q::take, q + ": take of an empty queue would wait");
            }
            assertTrue(q.isEmpty());
        }
        Channel<Item> full = new Channel<>(1);
        full.add(new Item(1, 1));
        try (Irql.Scope dispatch = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertThrows(IllegalStateException.class, () -> full.put(new Item(2, 2)));
            assertThrows(IllegalStateException.class, () -> full.offer(new Item(2, 2), 1, TimeUnit.SECONDS));
            assertFalse(full.offer(new Item(2, 2), 0, TimeUnit.SECONDS), "a zero timeout polls, at any level");
        }
        assertEquals(List.of(new Item(1, 1)), List.of(full.toArray()));
    }

    @Test
    public void toStringShowsTheStateAndTheItemsInReceiveOrder() {
        Channel<String> ch = new Channel<>(4);
        ch.add("a");
        ch.add("b");
        assertEquals("Channel[2/4] [a, b]", ch.toString());
        PriorityMailbox<String> pm = new PriorityMailbox<>(Comparator.naturalOrder());
        pm.add("c");
        pm.add("a");
        pm.add("b");
        assertEquals("PriorityMailbox[3 items] [a, b, c]", pm.toString());
        Mailbox<Object> self = new Mailbox<>();
        self.add(self);
        assertEquals("Mailbox[1 items] [(this Collection)]", self.toString());
        assertEquals("PriorityChannel[0/0] []", new PriorityChannel<String>(0, Comparator.naturalOrder()).toString());
    }

    @Test
    public void elementMethodsRunOutsideTheLockSoTheyMayUseTheQueue() {
        Mailbox<Object> q = new Mailbox<>();
        Object reentrant = new Object() {
            @Override
            public boolean equals(Object o) {
                return q.size() >= 0 && o == this; // would wait for itself forever under the lock
            }

            @Override
            public int hashCode() {
                return 1;
            }

            @Override
            public String toString() {
                return "size " + q.size();
            }
        };
        q.add(reentrant);
        assertTrue(q.contains(reentrant));
        assertTrue(q.toString().contains("size 1"));
        List<Object> sink = new ArrayList<>() {
            @Override
            public boolean add(Object o) {
                return q.isEmpty() && super.add(o);
            }
        };
        assertEquals(1, q.drainTo(sink));
        assertEquals(List.of(reentrant), sink);
        q.add(reentrant);
        assertTrue(q.remove(reentrant));
    }
}
