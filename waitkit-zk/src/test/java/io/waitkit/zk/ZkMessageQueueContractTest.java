package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Diagnostics;
import io.waitkit.MessageQueue;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import io.waitkit.contract.EventUnderTest;
import io.waitkit.contract.Item;
import io.waitkit.contract.ItemContainerContract;
import io.waitkit.contract.ItemContainerUnderTest;
import io.waitkit.contract.MessageQueueItems;
import io.waitkit.contract.OpUnderTest;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the item container contract (the receive side of every queue kind) against
 * {@link ZkMessageQueue} on an in-JVM three-server ensemble: an item's key is its message's
 * priority, highest first. The send side is checked by {@link ZkMessageQueueTest}.
 */
class ZkMessageQueueContractTest extends ItemContainerContract {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    static ZkNamespace ns;
    private static final AtomicLong SEQ = new AtomicLong();

    @BeforeAll
    static void open() throws InterruptedException {
        ns = ensemble.namespace(Ensemble.freshRoot("queue-contract"));
    }

    /**
     * A receiver is counted as waiting only once it is parked in the queue's own wait, which it
     * joins after its first try: that try (on the calling thread) parks on the lock that orders
     * this process's takes while another take holds it, and a thread parked there has not yet
     * joined the queue's line of waiting receivers, so a later receiver could join before it
     * and the contract's arrival order would not be the order of the line. The engine registers
     * a wait with {@link Diagnostics} right where the thread parks, after it joined the line
     * (the first try's waits, on that lock and on ZooKeeper's replies, are not registered).
     */
    @Override
    protected void awaitBlocked(Thread t) {
        Threads.awaitCondition(() -> {
            if (!t.isAlive()) {
                throw new AssertionError(t + " terminated instead of blocking");
            }
            return Diagnostics.waitOf(t).isPresent(); // the lock and ZooKeeper's replies are not Waitkit waits
        }, t + " did not park in a Waitkit wait" + Threads.stack(t));
        super.awaitBlocked(t);
    }

    @Override
    protected ItemContainerUnderTest newContainer() {
        return new Adapter(ns.messageQueue("q" + SEQ.incrementAndGet(), ROOM, 16));
    }

    @Override
    protected Comparator<Item> receiveOrder() {
        return Comparator.comparingInt(Item::key).reversed();
    }

    // The three checks below replace contract checks that expect a message to be taken by a
    // wait that must not block (Wait.any or Wait.all with a zero timeout) or before
    // receiveAsync returns: here a message still in ZooKeeper is taken only after ZooKeeper
    // calls, which a zero-timeout wait or an async call leaves to the namespace's thread.
    // Overridden without @Test, the contract's versions do not run; these check the same
    // properties with bounded waits.

    @Override
    public void itemsComeOutInTheReceiveOrderWhateverTheFormOfReceive() {
    }

    @Test
    public void itemsComeOutInTheReceiveOrderWhateverTheFormOfReceiveWithBoundedWaits() throws InterruptedException {
        ItemContainerUnderTest c = newContainer();
        int[] keys = {3, 1, 2, 1, 3, 0, 2, 1};
        List<Item> put = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            Item item = new Item(keys[i], i);
            put.add(item);
            c.put(item);
        }
        assertEquals(keys.length, c.size());
        List<Item> received = new ArrayList<>();
        received.add(c.tryReceive());
        received.add(c.receive());
        received.add(c.receive(Duration.ZERO));
        received.add(c.receive(Deadline.from(Deadline.now(), Duration.ofSeconds(-1))));
        received.add(await(c.receiveAsync()));
        OpUnderTest<Item> op = c.receiveOp();
        assertEquals(0, Wait.any(LONG, op.waitable()));
        received.add(op.result());
        received.add(c.receive(LONG));
        received.add(c.receive(Deadline.after(LONG)));
        List<Item> expected = new ArrayList<>(put);
        expected.sort(receiveOrder());
        assertEquals(expected, received);
        assertEquals(0, c.size());
        assertNull(c.tryReceive());
    }

    @Override
    public void cancelledAsyncReceiveIsWithdrawnAndCancelAfterCompletionKeepsTheItem() {
    }

    @Test
    public void cancelledAsyncReceiveIsWithdrawnAndCancelAfterCompletionKeepsTheItemWithABoundedWait() {
        ItemContainerUnderTest c = newContainer();
        CompletableFuture<Item> cancelled = c.receiveAsync();
        assertTrue(cancelled.cancel(false));
        Item first = new Item(1, 1);
        c.put(first);
        assertEquals(1, c.size(), "the cancelled receive took nothing");
        CompletableFuture<Item> kept = c.receiveAsync();
        assertEquals(first, await(kept));
        assertFalse(kept.cancel(false), "it already took the item");
        assertEquals(0, c.size());
    }

    @Override
    public void waitAllTakesAnItemOnlyTogetherWithTheOtherMember() {
    }

    @Test
    public void waitAllTakesAnItemOnlyTogetherWithTheOtherMemberWithABoundedWait() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        ItemContainerUnderTest c = newContainer();
        Item item = new Item(6, 6);
        c.put(item);
        OpUnderTest<Item> op = c.receiveOp();
        assertFalse(Wait.all(SHORT, op.waitable(), other.waitable()));
        awaitSize(c, 1); // a message taken for the failed wait-all goes back on the namespace's thread
        other.set();
        assertTrue(Wait.all(LONG, op.waitable(), other.waitable()));
        assertEquals(item, op.result());
        assertEquals(0, c.size());
    }

    /** Waits (bounded) until the container holds {@code n} items. */
    private static void awaitSize(ItemContainerUnderTest c, int n) throws InterruptedException {
        long end = System.nanoTime() + LONG.toNanos();
        while (c.size() != n) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("size " + c.size() + ", not " + n + ", after " + LONG);
            }
            Thread.sleep(10); // polling a ZooKeeper count, not synchronizing threads
        }
    }

    static final class Adapter extends MessageQueueItems {
        private final ZkMessageQueue q;

        Adapter(ZkMessageQueue q) {
            this.q = q;
        }

        @Override
        protected boolean trySend(byte[] data, int priority) {
            return q.trySend(data, priority);
        }

        @Override
        protected MessageQueue.Message receiveMessage() throws InterruptedException {
            return q.receive();
        }

        @Override
        protected MessageQueue.Message receiveMessage(Duration timeout) throws InterruptedException {
            return q.receive(timeout);
        }

        @Override
        protected MessageQueue.Message tryReceiveMessage() {
            return q.tryReceive();
        }

        @Override
        protected CompletableFuture<MessageQueue.Message> receiveMessageAsync() {
            return q.receiveAsync();
        }

        @Override
        protected Receiving receiveMessageOp() {
            ZkMessageQueue.Receive r = q.receiveOp();
            return new Receiving(r, r::item);
        }

        @Override
        public int size() {
            return q.size();
        }
    }
}
