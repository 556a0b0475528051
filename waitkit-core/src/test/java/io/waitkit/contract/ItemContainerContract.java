package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of the receive side of an item container, after the ao kernel's {@code mail},
 * {@code pmail}, {@code queue} and {@code stream4ptr}: items come out in the container's receive
 * order ({@link #receiveOrder()}: FIFO, or by priority with equal keys in the order they went in);
 * a put that finds receivers waiting hands the item to the first of them (FIFO) before it returns;
 * a receive takes nothing unless it returns the item (polls, timeouts, interrupts, cancels,
 * wait-any members that lose); items are never lost nor duplicated.
 *
 * <p>A backend extends this class (or {@link BoundedChannelContract}, which extends it),
 * implements {@link #newContainer} and, for a priority container, overrides
 * {@link #receiveOrder()}.
 */
public abstract class ItemContainerContract extends ContractBase {
    /** How many items {@link #newContainer()} must have room for. */
    protected static final int ROOM = 256;

    /**
     * Creates the container under test.
     *
     * @return an empty container with room for at least {@link #ROOM} items
     */
    protected abstract ItemContainerUnderTest newContainer();

    /**
     * The order in which buffered items are received; items that compare equal come out in
     * the order they went in. The default, {@code null}, means FIFO.
     *
     * @return the order, or null for FIFO
     */
    protected Comparator<Item> receiveOrder() {
        return null;
    }

    /**
     * The item that an async receive served by the {@code put} just made took. By default
     * the put must have completed the future before it returned, as the heap's containers
     * do; a backend whose put may leave the completion to another thread, right after it
     * returned, overrides this with a bounded wait (and says why).
     *
     * @param f the future of the receive
     * @return the item it took
     */
    protected Item servedByThePut(CompletableFuture<Item> f) {
        return assertCompleted(f);
    }

    /** The order in which {@code put}, buffered in this order, must come out. */
    private List<Item> expectedOrder(List<Item> put) {
        List<Item> expected = new ArrayList<>(put);
        Comparator<Item> order = receiveOrder();
        if (order != null) {
            expected.sort(order); // List.sort is stable: equal keys keep their put order
        }
        return expected;
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void pollsOfAnEmptyContainerReturnNullAndTakeNothing() throws InterruptedException {
        ItemContainerUnderTest c = newContainer();
        assertNull(c.tryReceive());
        assertNull(c.receive(Duration.ZERO));
        assertNull(c.receive(Duration.ofMillis(-3)));
        assertNull(c.receive(Deadline.now()));
        OpUnderTest<Item> op = c.receiveOp();
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, op.waitable()));
        assertNull(op.result());
        assertEquals(0, c.size());
    }

    @Test
    public void timedReceiveTimesOutNeverEarlyAndLeavesNoReceiverBehind() throws InterruptedException {
        ItemContainerUnderTest c = newContainer();
        long t0 = System.nanoTime();
        assertNull(c.receive(SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertNull(c.receive(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        c.put(new Item(1, 1));
        assertEquals(1, c.size(), "no withdrawn receiver took the item");
    }

    @Test
    public void itemsComeOutInTheReceiveOrderWhateverTheFormOfReceive() throws InterruptedException {
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
        received.add(assertCompleted(c.receiveAsync()));
        OpUnderTest<Item> op = c.receiveOp();
        assertEquals(0, Wait.any(Duration.ZERO, op.waitable()));
        received.add(op.result());
        received.add(c.receive(LONG));
        received.add(c.receive(Deadline.after(LONG)));
        assertEquals(expectedOrder(put), received);
        assertEquals(0, c.size());
        assertNull(c.tryReceive());
    }

    @Test
    public void keysAcrossTheWholeIntRangeNegativeOnesIncludedComeOutInTheReceiveOrder() throws InterruptedException {
        ItemContainerUnderTest c = newContainer();
        int[] keys = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0};
        List<Item> put = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            Item item = new Item(keys[i], i);
            put.add(item);
            c.put(item);
        }
        List<Item> received = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            received.add(c.receive(LONG));
        }
        assertEquals(expectedOrder(put), received);
        assertNull(c.tryReceive());
    }

    @Test
    public void nullItemsAndTimeoutsAreRejectedAndTheContainerStaysUsable() {
        ItemContainerUnderTest c = newContainer();
        assertThrows(NullPointerException.class, () -> c.put(null));
        c.put(new Item(0, 1));
        assertThrows(NullPointerException.class, () -> c.receive((Duration) null));
        assertThrows(NullPointerException.class, () -> c.receive((Deadline) null));
        assertEquals(1, c.size(), "nothing taken, nothing added");
        assertEquals(new Item(0, 1), c.tryReceive());
    }

    // ---------------------------------------------------------------- hand-off and order

    @Test
    public void putHandsTheItemToTheWaitingReceiverBeforeReturning() {
        ItemContainerUnderTest c = newContainer();
        Forked<Item> r = blockedCall("receiver", c::receive);
        Item item = new Item(5, 1);
        c.put(item);
        assertEquals(0, c.size(), "the item went to the receiver, not into the buffer");
        assertEquals(item, r.join());
    }

    @Test
    public void waitingReceiversAreServedInArrivalOrderOneItemEach() {
        ItemContainerUnderTest c = newContainer();
        Forked<Item> first = blockedCall("first", () -> c.receive(LONG));
        Forked<Item> second = blockedCall("second", () -> c.receive(Deadline.after(LONG)));
        CompletableFuture<Item> third = c.receiveAsync();
        Item a = new Item(9, 1);
        Item b = new Item(5, 2);
        Item d = new Item(1, 3);
        c.put(a);
        c.put(b);
        assertPending(third);
        c.put(d);
        assertEquals(d, servedByThePut(third));
        assertEquals(a, first.join());
        assertEquals(b, second.join());
        assertEquals(0, c.size());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeReceivingThrowsAndTakesNothing() {
        ItemContainerUnderTest c = newContainer();
        c.put(new Item(0, 1));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, c::receive);
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> c.receive(LONG));
        assertEquals(1, c.size(), "nothing taken");
    }

    @Test
    public void interruptedReceiverIsWithdrawnAndTheNextItemIsKept() {
        ItemContainerUnderTest c = newContainer();
        Forked<Item> r = blockedCall("receiver", c::receive);
        r.interrupt();
        r.joinFailure(InterruptedException.class);
        Item item = new Item(2, 7);
        c.put(item);
        assertEquals(1, c.size());
        assertEquals(item, c.tryReceive());
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncReceiveCompletesInsideThePutWithTheItem() {
        ItemContainerUnderTest c = newContainer();
        CompletableFuture<Item> f = c.receiveAsync();
        assertPending(f);
        Item item = new Item(4, 4);
        c.put(item);
        assertEquals(item, servedByThePut(f));
        assertEquals(0, c.size());
    }

    @Test
    public void cancelledAsyncReceiveIsWithdrawnAndCancelAfterCompletionKeepsTheItem() {
        ItemContainerUnderTest c = newContainer();
        CompletableFuture<Item> cancelled = c.receiveAsync();
        assertTrue(cancelled.cancel(false));
        Item first = new Item(1, 1);
        c.put(first);
        assertEquals(1, c.size(), "the cancelled receive took nothing");
        CompletableFuture<Item> kept = c.receiveAsync();
        assertFalse(kept.cancel(false), "it already took the item");
        assertEquals(first, assertCompleted(kept));
        assertEquals(0, c.size());
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyReportsTheReceiveIndexAndDeliversTheItemThroughIt() {
        EventUnderTest other = newCompanionEvent(false);
        ItemContainerUnderTest c = newContainer();
        OpUnderTest<Item> op = c.receiveOp();
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), op.waitable()));
        Item item = new Item(3, 3);
        c.put(item);
        assertEquals(0, c.size());
        assertEquals(1, w.join());
        assertEquals(item, op.result());
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void receiveOfAWaitAnyWonByAnotherMemberTakesNothing() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(true);
        ItemContainerUnderTest c = newContainer();
        c.put(new Item(0, 1));
        OpUnderTest<Item> op = c.receiveOp();
        assertEquals(0, Wait.any(Duration.ZERO, other.waitable(), op.waitable()));
        assertNull(op.result());
        assertEquals(1, c.size());
    }

    @Test
    public void waitAllTakesAnItemOnlyTogetherWithTheOtherMember() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        ItemContainerUnderTest c = newContainer();
        Item item = new Item(6, 6);
        c.put(item);
        OpUnderTest<Item> op = c.receiveOp();
        assertFalse(Wait.all(Duration.ZERO, op.waitable(), other.waitable()));
        assertEquals(1, c.size(), "a failed wait-all takes nothing");
        other.set();
        assertTrue(Wait.all(Duration.ZERO, op.waitable(), other.waitable()));
        assertEquals(item, op.result());
        assertEquals(0, c.size());
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    public void concurrentProducersAndConsumersNeitherLoseNorDuplicateItems() {
        ItemContainerUnderTest c = newContainer();
        int producers = 2;
        int perProducer = ROOM / producers;
        int total = producers * perProducer;
        AtomicInteger toReceive = new AtomicInteger(total);
        CountDownLatch start = new CountDownLatch(1);
        List<Forked<Void>> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int key = p;
            threads.add(Forked.run("producer-" + p, () -> {
                start.await();
                for (int i = 0; i < perProducer; i++) {
                    c.put(new Item(key, key * perProducer + i));
                }
            }));
        }
        List<Forked<List<Item>>> consumers = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            consumers.add(Forked.call("consumer-" + k, () -> {
                start.await();
                List<Item> got = new ArrayList<>();
                while (toReceive.getAndDecrement() > 0) {
                    Item item = c.receive(LONG);
                    if (item == null) {
                        throw new AssertionError("no item within " + LONG + " after " + got.size());
                    }
                    got.add(item);
                }
                return got;
            }));
        }
        start.countDown();
        threads.forEach(Forked::join);
        Set<Integer> seen = new HashSet<>();
        for (Forked<List<Item>> consumer : consumers) {
            List<Item> got = consumer.join();
            int[] lastSeqOfProducer = {-1, -1};
            for (Item item : got) {
                assertTrue(seen.add(item.seq()), "duplicated: " + item);
                assertEquals(item.seq() / perProducer, item.key(), "corrupted: " + item);
                if (receiveOrder() == null) {
                    assertTrue(item.seq() > lastSeqOfProducer[item.key()], "FIFO order broken at " + item);
                    lastSeqOfProducer[item.key()] = item.seq();
                }
            }
        }
        assertEquals(total, seen.size(), "every item was received once");
        assertEquals(0, c.size());
    }
}
