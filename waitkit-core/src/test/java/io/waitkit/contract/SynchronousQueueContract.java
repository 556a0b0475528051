package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link BlockingQueue} without capacity, as
 * {@link java.util.concurrent.SynchronousQueue} defines it: an insert completes only together
 * with a removal, so {@code offer} succeeds only if a taker waits, {@code poll} only if a putter
 * waits, {@code put} and {@code take} wait for each other, and the collection view is always
 * empty (size 0, {@code peek} null, an empty iterator, {@code remainingCapacity} 0). It runs
 * against {@code SynchronousQueue} itself too, so that it states the JDK's behaviour.
 *
 * <p>A backend implements {@link #newQueue()}.
 */
public abstract class SynchronousQueueContract extends ContractBase {
    /**
     * Creates the queue under test.
     *
     * @return a queue of capacity 0
     */
    protected abstract BlockingQueue<Item> newQueue();

    @Test
    public void theCollectionViewIsAlwaysEmpty() {
        BlockingQueue<Item> q = newQueue();
        Item item = new Item(1, 1);
        assertEquals(0, q.size());
        assertTrue(q.isEmpty());
        assertNull(q.peek());
        assertThrows(NoSuchElementException.class, q::element);
        assertThrows(NoSuchElementException.class, q::remove);
        assertFalse(q.iterator().hasNext());
        assertThrows(NoSuchElementException.class, () -> q.iterator().next());
        assertEquals(0, q.toArray().length);
        Item[] a = {item};
        assertSame(a, q.toArray(a));
        assertNull(a[0], "toArray(a) must null the first element");
        assertFalse(q.contains(item));
        assertFalse(q.remove(item));
        assertEquals(0, q.remainingCapacity());
        assertEquals(0, q.drainTo(new ArrayList<>()));
        assertTrue(q.containsAll(List.of()));
        assertFalse(q.containsAll(List.of(item)));
        q.clear();
        assertTrue(q.isEmpty());
    }

    @Test
    public void offerWithoutAWaitingTakerFailsAndAddThrows() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        assertFalse(q.offer(new Item(1, 1)));
        assertThrows(IllegalStateException.class, () -> q.add(new Item(1, 1)));
        assertFalse(q.offer(new Item(1, 1), 0, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertFalse(q.offer(new Item(1, 1), SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertNeverEarly(t0, SHORT);
        assertNull(q.poll());
        t0 = System.nanoTime();
        assertNull(q.poll(SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertNeverEarly(t0, SHORT);
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.put(null));
    }

    @Test
    public void offerHandsTheItemToAWaitingTaker() {
        BlockingQueue<Item> q = newQueue();
        Forked<Item> taker = blockedCall("taker", q::take);
        Item item = new Item(1, 1);
        assertTrue(q.offer(item), "a taker waits");
        assertSame(item, taker.join());
        assertEquals(0, q.size());
    }

    @Test
    public void putWaitsForATakerAndPollTakesFromAWaitingPutter() {
        BlockingQueue<Item> q = newQueue();
        Item item = new Item(1, 1);
        Forked<Void> putter = blockedRun("putter", () -> q.put(item));
        assertEquals(0, q.size(), "a waiting putter's item is not in the collection view");
        assertNull(q.peek());
        assertSame(item, q.poll());
        putter.join();
        Forked<Boolean> offerer = blockedCall("offerer", () -> q.offer(item, LONG.toMillis(), TimeUnit.MILLISECONDS));
        assertSame(item, q.remove());
        assertTrue(offerer.join());
    }

    @Test
    public void timedPollWaitsForAPutter() throws InterruptedException {
        BlockingQueue<Item> q = newQueue();
        Forked<Item> poller = blockedCall("poller", () -> q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS));
        Item item = new Item(1, 1);
        q.put(item);
        assertSame(item, poller.join());
    }

    @Test
    public void drainToTakesTheItemsOfWaitingPutters() {
        BlockingQueue<Item> q = newQueue();
        Item item = new Item(1, 1);
        Forked<Void> putter = blockedRun("putter", () -> q.put(item));
        List<Item> sink = new ArrayList<>();
        assertEquals(1, q.drainTo(sink, 5));
        assertEquals(List.of(item), sink);
        putter.join();
        assertEquals(0, q.drainTo(sink));
    }

    @Test
    public void anInterruptedPutOrTakeThrowsAndTransfersNothing() {
        BlockingQueue<Item> q = newQueue();
        Forked<Void> putter = blockedRun("putter", () -> q.put(new Item(1, 1)));
        putter.interrupt();
        putter.joinFailure(InterruptedException.class);
        assertNull(q.poll(), "an interrupted put left its item");
        Forked<Item> taker = blockedCall("taker", q::take);
        taker.interrupt();
        taker.joinFailure(InterruptedException.class);
        assertFalse(q.offer(new Item(2, 2)), "an interrupted take still took");
    }
}
