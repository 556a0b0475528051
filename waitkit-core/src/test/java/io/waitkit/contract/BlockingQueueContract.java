package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link BlockingQueue} (and of the {@code Queue} and {@code Collection}
 * methods it inherits) for a queue that buffers items: written from the interface's javadoc,
 * in the manner of the JSR-166 TCK's queue tests. Nulls are refused; items come out once each
 * in the queue's receive order through every removal method; the collection view (peek,
 * contains, iterator, toArray, toString, the bulk methods) shows the buffered items in that
 * order; iterators are weakly consistent; {@code drainTo} moves items in order and refuses
 * {@code null} and the queue itself; blocking methods block until the other side acts, timed
 * ones never time out early, and interrupts take nothing.
 *
 * <p>A backend implements {@link #newQueue()} and {@link #capacity()}, and overrides
 * {@link #receiveOrder()} for a priority queue. {@link BoundedBlockingQueueContract} adds what
 * holds only for a bounded queue; {@link SynchronousQueueContract} is the contract of a queue
 * of capacity 0.
 */
public abstract class BlockingQueueContract extends ContractBase {
    /** How many items the tests put in at most; {@link #newQueue()} must have room for them. */
    protected static final int ROOM = 64;

    /**
     * Creates the queue under test.
     *
     * @return an empty queue with room for at least {@link #ROOM} items
     */
    protected abstract BlockingQueue<Item> newQueue();

    /**
     * The capacity of the queues {@link #newQueue()} makes.
     *
     * @return the capacity, or {@link Integer#MAX_VALUE} for an unbounded queue (whose
     *         {@code remainingCapacity()} is then always {@link Integer#MAX_VALUE})
     */
    protected abstract int capacity();

    /**
     * The order in which items are received; items that compare equal come out in the order
     * they went in. The default, {@code null}, means FIFO.
     *
     * @return the order, or null for FIFO
     */
    protected Comparator<Item> receiveOrder() {
        return null;
    }

    /** {@code n} items with distinct sequence numbers from {@code first} and seeded keys (some equal). */
    protected static List<Item> items(int first, int n) {
        Random r = new Random(first * 31L + n);
        List<Item> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(new Item(r.nextInt(5), first + i));
        }
        return items;
    }

    /** The order in which items, inserted in this order, must come out. */
    protected List<Item> expectedOrder(List<Item> inserted) {
        List<Item> expected = new ArrayList<>(inserted);
        Comparator<Item> order = receiveOrder();
        if (order != null) {
            expected.sort(order); // stable: equal keys keep their insertion order
        }
        return expected;
    }

    /** A queue holding {@code items}, inserted with {@code offer} in their order. */
    protected BlockingQueue<Item> filled(List<Item> items) {
        BlockingQueue<Item> q = newQueue();
        for (Item item : items) {
            assertTrue(q.offer(item), "offer refused with room left");
        }
        return q;
    }

    private static List<Item> listOf(Iterator<Item> it) {
        List<Item> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void everyInsertRefusesNullWithNullPointerExceptionAndTheQueueStaysUsable() {
        BlockingQueue<Item> q = newQueue();
        assertThrows(NullPointerException.class, () -> q.add(null));
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.offer(null, 1, TimeUnit.MILLISECONDS));
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.addAll(null));
        assertTrue(q.isEmpty(), "a refused insert changed the queue");
        Item a = new Item(1, 1);
        assertThrows(NullPointerException.class, () -> q.addAll(Arrays.asList(a, null)));
        assertEquals(List.of(a), Arrays.asList(q.toArray()), "addAll keeps the elements before the null");
        assertTrue(q.offer(new Item(1, 2)));
        assertEquals(2, q.size());
    }

    @Test
    public void itemsComeOutOnceEachInReceiveOrderThroughEveryInsertAndRemovalMethod() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        List<Item> in = items(0, 24);
        for (int i = 0; i < in.size(); i++) {
            Item item = in.get(i);
            switch (i % 4) {
                case 0 -> assertTrue(q.add(item));
                case 1 -> assertTrue(q.offer(item));
                case 2 -> q.put(item);
                default -> assertTrue(q.offer(item, LONG.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertEquals(i + 1, q.size());
        }
        List<Item> out = new ArrayList<>();
        for (int i = 0; !q.isEmpty(); i++) {
            Item head = q.peek();
            assertSame(head, q.element(), "peek and element disagree");
            Item got = switch (i % 4) {
                case 0 -> q.poll();
                case 1 -> q.take();
                case 2 -> q.remove();
                default -> q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS);
            };
            assertSame(head, got, "the head shown by peek is not the item removed next");
            out.add(got);
        }
        assertEquals(expectedOrder(in), out);
        assertEquals(0, q.size());
    }

    @Test
    public void anEmptyQueueAnswersNullOrNoSuchElementAndShowsNothing() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
        assertNull(q.poll());
        assertNull(q.peek());
        assertNull(q.poll(0, TimeUnit.NANOSECONDS));
        assertNull(q.poll(-5, TimeUnit.SECONDS));
        assertThrows(NoSuchElementException.class, q::element);
        assertThrows(NoSuchElementException.class, q::remove);
        assertFalse(q.iterator().hasNext());
        assertThrows(NoSuchElementException.class, () -> q.iterator().next());
        assertEquals(0, q.toArray().length);
        assertFalse(q.contains(new Item(0, 0)));
        assertFalse(q.remove(new Item(0, 0)));
        assertEquals(0, q.drainTo(new ArrayList<>()));
        assertTrue(q.containsAll(List.of()));
    }

    @Test
    public void remainingCapacityIsTheCapacityLessTheSizeOrMaxValueWhenUnbounded() {
        BlockingQueue<Item> q = newQueue();
        List<Item> in = items(0, 10);
        for (int i = 0; i <= in.size(); i++) {
            int expected = capacity() == Integer.MAX_VALUE ? Integer.MAX_VALUE : capacity() - i;
            assertEquals(expected, q.remainingCapacity(), "with " + i + " items");
            if (i < in.size()) {
                q.add(in.get(i));
            }
        }
        q.clear();
        assertEquals(capacity() == Integer.MAX_VALUE ? Integer.MAX_VALUE : capacity(), q.remainingCapacity());
    }

    @Test
    public void containsAndRemoveObjectCompareByEqualsAndRemoveOneOccurrence() {
        Item a = new Item(2, 1);
        Item b = new Item(3, 2);
        Item twinOfA = new Item(2, 1); // equal to a, another instance
        BlockingQueue<Item> q = filled(List.of(a, b, twinOfA));
        assertTrue(q.contains(new Item(2, 1)));
        assertFalse(q.contains(new Item(9, 9)));
        assertFalse(q.contains(null));
        assertFalse(q.remove(null));
        assertFalse(q.remove(new Item(9, 9)));
        assertTrue(q.remove(new Item(2, 1)));
        assertEquals(2, q.size());
        assertTrue(q.contains(a), "one of two equal items must stay");
        assertTrue(q.remove(a));
        assertFalse(q.contains(a));
        assertFalse(q.remove(a));
        assertEquals(List.of(b), Arrays.asList(q.toArray()));
    }

    @Test
    public void iteratorToArrayAndToStringShowTheItemsInReceiveOrderWithoutTakingThem() {
        List<Item> in = items(100, 12);
        BlockingQueue<Item> q = filled(in);
        List<Item> expected = expectedOrder(in);
        assertEquals(expected, listOf(q.iterator()));
        assertEquals(expected, Arrays.asList(q.toArray()));
        Item[] typed = q.toArray(new Item[0]);
        assertEquals(Item[].class, typed.getClass());
        assertEquals(expected, Arrays.asList(typed));
        Item[] roomy = new Item[in.size() + 2];
        Arrays.fill(roomy, new Item(-1, -1));
        assertSame(roomy, q.toArray(roomy), "an array with room must be filled, not replaced");
        assertEquals(expected, Arrays.asList(roomy).subList(0, in.size()));
        assertNull(roomy[in.size()], "the element after the last must be set to null");
        Object[] exact = new Object[in.size()];
        assertSame(exact, q.toArray(exact));
        assertThrows(ArrayStoreException.class, () -> q.toArray(new String[in.size()]));
        assertThrows(NullPointerException.class, () -> q.toArray((Item[]) null));
        String s = q.toString();
        for (Item item : in) {
            assertTrue(s.contains(String.valueOf(item)), s + " does not show " + item);
        }
        assertEquals(in.size(), q.size(), "the views took items");
        q.clear();
        assertFalse(q.toString().contains("Item["), "toString of an empty queue shows items");
    }

    @Test
    public void streamsAndForEachSeeTheItemsInReceiveOrderWithoutTakingThem() {
        List<Item> in = items(150, 20);
        BlockingQueue<Item> q = filled(in);
        List<Item> expected = expectedOrder(in);
        assertEquals(expected, q.stream().toList());
        List<Item> each = new ArrayList<>();
        q.forEach(each::add);
        assertEquals(expected, each);
        assertEquals(in.size(), q.parallelStream().count());
        assertTrue(q.spliterator().hasCharacteristics(java.util.Spliterator.NONNULL));
        assertEquals(in.size(), q.size());
    }

    @Test
    public void iteratorsAreWeaklyConsistentNeverThrowAndReturnEachItemAtMostOnce() {
        List<Item> in = items(200, 10);
        BlockingQueue<Item> q = filled(in);
        Iterator<Item> it = q.iterator();
        Set<Item> seen = new HashSet<>();
        assertTrue(it.hasNext());
        seen.add(it.next());
        // changes after the iterator was made: none of them may make it throw
        assertTrue(q.poll() != null);
        Item late = new Item(0, 999);
        assertTrue(q.offer(late));
        assertTrue(q.remove(expectedOrder(in).get(5)));
        while (it.hasNext()) {
            assertTrue(seen.add(it.next()), "an item was returned twice");
        }
        assertThrows(NoSuchElementException.class, it::next);
        Set<Item> everything = new HashSet<>(in);
        everything.add(late);
        assertTrue(everything.containsAll(seen), "the iterator returned an item never inserted");
        assertTrue(seen.containsAll(expectedOrder(in).subList(6, in.size())),
                "an item present all along was missed");
    }

    @Test
    public void iteratorRemoveRemovesTheItemLastReturnedAndRefusesASecondRemove() {
        List<Item> in = items(300, 10);
        BlockingQueue<Item> q = filled(in);
        List<Item> expected = expectedOrder(in);
        Iterator<Item> it = q.iterator();
        assertThrows(IllegalStateException.class, it::remove, "remove before next");
        List<Item> kept = new ArrayList<>();
        for (int i = 0; it.hasNext(); i++) {
            Item item = it.next();
            if (i % 2 == 0) {
                it.remove();
                assertThrows(IllegalStateException.class, it::remove, "a second remove for one next");
            } else {
                kept.add(item);
            }
        }
        assertEquals(kept, listOf(q.iterator()));
        assertEquals(expected.size() / 2, q.size());
        // an item that left meanwhile: remove() removes nothing else
        Iterator<Item> again = q.iterator();
        Item first = again.next();
        assertSame(first, q.poll());
        again.remove();
        assertEquals(kept.subList(1, kept.size()), listOf(q.iterator()));
    }

    @Test
    public void removeIfRemoveAllAndRetainAllRemoveExactlyTheMatchingItems() {
        List<Item> in = items(400, 16);
        BlockingQueue<Item> q = filled(in);
        List<Item> expected = new ArrayList<>(expectedOrder(in));
        assertTrue(q.removeIf(item -> item.seq() % 4 == 0));
        expected.removeIf(item -> item.seq() % 4 == 0);
        assertEquals(expected, Arrays.asList(q.toArray()));
        assertFalse(q.removeIf(item -> item.seq() < 0));
        List<Item> some = List.of(expected.get(0), expected.get(3), new Item(77, 77));
        assertTrue(q.removeAll(some));
        expected.removeAll(some);
        assertEquals(expected, Arrays.asList(q.toArray()));
        assertFalse(q.removeAll(some));
        List<Item> keep = expected.subList(0, 4);
        assertTrue(q.retainAll(keep));
        assertEquals(keep, Arrays.asList(q.toArray()));
        assertFalse(q.retainAll(keep));
        assertTrue(q.containsAll(keep));
        assertFalse(q.containsAll(List.of(keep.get(0), new Item(77, 77))));
        assertThrows(NullPointerException.class, () -> q.removeAll(null));
        assertThrows(NullPointerException.class, () -> q.retainAll(null));
        assertThrows(NullPointerException.class, () -> q.containsAll(null));
        assertThrows(NullPointerException.class, () -> q.removeIf(null));
    }

    @Test
    public void addAllInsertsInIterationOrderAndRefusesTheQueueItself() {
        BlockingQueue<Item> q = newQueue();
        List<Item> in = items(500, 8);
        assertTrue(q.addAll(in));
        assertEquals(expectedOrder(in), Arrays.asList(q.toArray()));
        assertThrows(IllegalArgumentException.class, () -> q.addAll(q));
        assertEquals(in.size(), q.size());
        assertFalse(q.addAll(List.of()));
    }

    @Test
    public void clearRemovesEveryItemAndLeavesTheQueueUsable() {
        BlockingQueue<Item> q = filled(items(600, 9));
        q.clear();
        assertTrue(q.isEmpty());
        assertNull(q.peek());
        assertTrue(q.offer(new Item(1, 1)));
        assertEquals(1, q.size());
    }

    @Test
    public void drainToMovesEveryItemInReceiveOrderAndLimitedDrainsMoveAtMostTheLimit() {
        List<Item> in = items(700, 12);
        List<Item> expected = expectedOrder(in);
        BlockingQueue<Item> q = filled(in);
        List<Item> sink = new ArrayList<>();
        assertEquals(0, q.drainTo(sink, 0));
        assertEquals(0, q.drainTo(sink, -1));
        assertEquals(5, q.drainTo(sink, 5));
        assertEquals(expected.subList(0, 5), sink);
        assertEquals(in.size() - 5, q.size());
        assertEquals(in.size() - 5, q.drainTo(sink, 100));
        assertEquals(expected, sink);
        assertTrue(q.isEmpty());
        BlockingQueue<Item> again = filled(in);
        List<Item> all = new ArrayList<>();
        assertEquals(in.size(), again.drainTo(all));
        assertEquals(expected, all);
        assertTrue(again.isEmpty());
    }

    @Test
    public void drainToRefusesNullAndTheQueueItselfAndMovesNothing() {
        BlockingQueue<Item> q = filled(items(800, 3));
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertThrows(NullPointerException.class, () -> q.drainTo(null, 2));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 2));
        assertEquals(3, q.size());
    }

    @Test
    public void aDrainWhoseTargetThrowsLosesNoItem() {
        List<Item> in = items(900, 10);
        List<Item> expected = expectedOrder(in);
        BlockingQueue<Item> q = filled(in);
        List<Item> sink = new ArrayList<>() {
            @Override
            public boolean add(Item item) {
                if (size() == 4) {
                    throw new IllegalStateException("sink full");
                }
                return super.add(item);
            }
        };
        assertThrows(IllegalStateException.class, () -> q.drainTo(sink));
        assertEquals(expected.subList(0, 4), sink);
        List<Item> rest = new ArrayList<>();
        q.drainTo(rest);
        assertEquals(expected.subList(4, expected.size()), rest, "the items not drained must stay, in order");
    }

    @Test
    public void timedMethodsRefuseANullUnitAndChangeNothing() {
        BlockingQueue<Item> q = filled(items(1000, 1));
        assertThrows(NullPointerException.class, () -> q.offer(new Item(1, 2), 1, null));
        assertThrows(NullPointerException.class, () -> q.poll(1, null));
        assertEquals(1, q.size());
    }

    // ---------------------------------------------------------------- threads

    @Test
    public void takeWaitsUntilAnItemIsInsertedAndReturnsIt() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        Forked<Item> taker = blockedCall("taker", q::take);
        Item item = new Item(1, 1);
        q.put(item);
        assertSame(item, taker.join());
        assertTrue(q.isEmpty());
    }

    @Test
    public void aTimedPollWaitsForAnItemAndAHugeTimeoutDoesNotOverflowIntoAPoll() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        Forked<Item> poller = blockedCall("poller", () -> q.poll(Long.MAX_VALUE, TimeUnit.DAYS));
        Item item = new Item(1, 1);
        assertTrue(q.offer(item));
        assertSame(item, poller.join());
        Forked<Item> nanos = blockedCall("poller", () -> q.poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS));
        q.put(item);
        assertSame(item, nanos.join());
    }

    @Test
    public void aTimedPollOfAnEmptyQueueTimesOutNeverEarlyAndReturnsNull() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        long t0 = System.nanoTime();
        assertNull(q.poll(SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertNull(q.poll(SHORT.toNanos(), TimeUnit.NANOSECONDS));
        assertNeverEarly(t0, SHORT);
    }

    @Test
    public void aPendingInterruptMakesTakeAndTimedPollThrowAndTakeNothing() {
        BlockingQueue<Item> q = newQueue();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, q::take);
        assertFalse(Thread.interrupted(), "the interrupt status must be cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.poll(0, TimeUnit.MILLISECONDS));
        assertFalse(Thread.interrupted());
        assertTrue(q.offer(new Item(1, 1)));
        assertEquals(1, q.size());
    }

    @Test
    public void anInterruptedTakeOrTimedPollThrowsAndTheNextItemStays() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        Forked<Item> taker = blockedCall("taker", q::take);
        taker.thread().interrupt();
        taker.joinFailure(InterruptedException.class);
        Forked<Item> poller = blockedCall("poller", () -> q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS));
        poller.thread().interrupt();
        poller.joinFailure(InterruptedException.class);
        Item item = new Item(1, 1);
        q.put(item);
        assertEquals(1, q.size(), "an interrupted wait took the item");
        assertSame(item, q.poll());
    }

    @Test
    public void concurrentProducersAndConsumersThroughEveryMethodLoseAndDuplicateNothing() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        int producers = 2;
        int perProducer = 2000;
        ConcurrentLinkedQueue<Item> received = new ConcurrentLinkedQueue<>();
        CountDownLatch produced = new CountDownLatch(producers);
        List<Forked<Void>> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads.add(Forked.run("producer-" + p, () -> {
                for (int i = 0; i < perProducer; i++) {
                    Item item = new Item(i % 7, base + i);
                    switch (i % 3) {
                        case 0 -> q.put(item);
                        case 1 -> assertTrue(q.offer(item, LONG.toMillis(), TimeUnit.MILLISECONDS));
                        default -> {
                            while (!q.offer(item)) {
                                Thread.onSpinWait(); // a full bounded queue: the consumers make room
                            }
                        }
                    }
                }
                produced.countDown();
            }));
        }
        int total = producers * perProducer;
        for (int c = 0; c < 2; c++) {
            int kind = c;
            threads.add(Forked.run("consumer-" + c, () -> {
                List<Item> batch = new ArrayList<>();
                while (received.size() < total) {
                    if (kind == 0) {
                        Item item = q.poll(10, TimeUnit.MILLISECONDS);
                        if (item != null) {
                            received.add(item);
                        }
                    } else {
                        batch.clear();
                        if (q.drainTo(batch, 5) == 0) {
                            Item item = q.poll(10, TimeUnit.MILLISECONDS);
                            if (item != null) {
                                batch.add(item);
                            }
                        }
                        received.addAll(batch);
                    }
                }
            }));
        }
        await(produced);
        for (Forked<Void> t : threads) {
            t.join();
        }
        assertEquals(total, received.size());
        Set<Integer> seqs = new HashSet<>();
        for (Item item : received) {
            assertTrue(seqs.add(item.seq()), "item delivered twice: " + item);
        }
        assertEquals(total, seqs.size());
        assertTrue(q.isEmpty());
    }
}
