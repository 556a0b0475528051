package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockingQueueContract} plus what holds only for a bounded queue: a full queue refuses
 * {@code offer} and {@code add}, {@code put} waits until a removal makes room, a timed
 * {@code offer} waits at most its timeout, both are interruptible and insert nothing when
 * interrupted, and {@code remainingCapacity} counts down to 0.
 *
 * <p>A backend implements {@link #newQueue(int)}; {@link #newQueue()} is a queue of capacity
 * {@link #ROOM}.
 */
public abstract class BoundedBlockingQueueContract extends BlockingQueueContract {
    /**
     * Creates the queue under test.
     *
     * @param capacity its capacity, at least 1
     * @return an empty queue
     */
    protected abstract BlockingQueue<Item> newQueue(int capacity);

    @Override
    protected final BlockingQueue<Item> newQueue() {
        return newQueue(ROOM);
    }

    @Override
    protected final int capacity() {
        return ROOM;
    }

    /** A queue of capacity 2, full. */
    private BlockingQueue<Item> full() {
        BlockingQueue<Item> q = newQueue(2);
        assertTrue(q.offer(new Item(1, 1)));
        assertTrue(q.offer(new Item(2, 2)));
        return q;
    }

    @Test
    public void aFullQueueRefusesOfferAndAddThrowsIllegalStateException() throws InterruptedException {
        BlockingQueue<Item> q = full();
        assertEquals(0, q.remainingCapacity());
        assertFalse(q.offer(new Item(3, 3)));
        assertThrows(IllegalStateException.class, () -> q.add(new Item(3, 3)));
        assertFalse(q.offer(new Item(3, 3), 0, TimeUnit.SECONDS));
        assertFalse(q.offer(new Item(3, 3), -1, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> q.addAll(List.of(new Item(3, 3))));
        assertEquals(2, q.size());
        q.poll();
        assertTrue(q.offer(new Item(3, 3)), "a removal must make room");
    }

    @Test
    public void aTimedOfferToAFullQueueTimesOutNeverEarlyAndInsertsNothing() throws InterruptedException {
        BlockingQueue<Item> q = full();
        long t0 = System.nanoTime();
        assertFalse(q.offer(new Item(3, 3), SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertNeverEarly(t0, SHORT);
        assertEquals(2, q.size());
        assertFalse(q.contains(new Item(3, 3)));
    }

    @Test
    public void putWaitsWhileFullUntilARemovalMakesRoom() throws InterruptedException {
        BlockingQueue<Item> q = full();
        Item third = new Item(0, 3);
        Forked<Void> putter = blockedRun("putter", () -> q.put(third));
        assertEquals(2, q.size());
        List<Item> before = Arrays.asList(q.toArray(new Item[0]));
        assertSame(before.get(0), q.take());
        putter.join();
        assertEquals(2, q.size());
        assertTrue(q.contains(third));
        Forked<Boolean> offerer = blockedCall("offerer", () -> q.offer(new Item(0, 4), LONG.toMillis(),
                TimeUnit.MILLISECONDS));
        assertTrue(q.remove(before.get(1)), "remove(Object) must make room as a take does");
        assertTrue(offerer.join());
    }

    @Test
    public void drainAndClearMakeRoomForWaitingPutters() throws InterruptedException {
        BlockingQueue<Item> q = full();
        Forked<Void> putter = blockedRun("putter", () -> q.put(new Item(5, 5)));
        List<Item> sink = new ArrayList<>();
        assertEquals(2, q.drainTo(sink));
        putter.join();
        assertTrue(q.contains(new Item(5, 5)));
        assertTrue(q.offer(new Item(6, 6)));
        Forked<Void> another = blockedRun("putter", () -> q.put(new Item(7, 7)));
        q.clear();
        another.join();
        assertEquals(List.of(new Item(7, 7)), Arrays.asList(q.toArray()));
    }

    @Test
    public void aPendingInterruptMakesPutAndTimedOfferThrowAndInsertNothing() {
        BlockingQueue<Item> q = newQueue(2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.put(new Item(1, 1)));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.offer(new Item(1, 1), LONG.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(Thread.interrupted());
        assertTrue(q.isEmpty());
    }

    @Test
    public void anInterruptedPutOrTimedOfferOnAFullQueueThrowsAndInsertsNothing() throws InterruptedException {
        BlockingQueue<Item> q = full();
        Forked<Void> putter = blockedRun("putter", () -> q.put(new Item(3, 3)));
        putter.interrupt();
        putter.joinFailure(InterruptedException.class);
        Forked<Boolean> offerer = blockedCall("offerer", () -> q.offer(new Item(4, 4), LONG.toMillis(),
                TimeUnit.MILLISECONDS));
        offerer.interrupt();
        offerer.joinFailure(InterruptedException.class);
        q.take();
        q.take();
        assertTrue(q.isEmpty(), "an interrupted insert left its item");
    }
}
