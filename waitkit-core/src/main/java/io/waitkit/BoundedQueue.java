package io.waitkit;

import io.waitkit.internal.WaitEngine;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@link BlockingQueue} view of the bounded item containers ({@link Channel},
 * {@link PriorityChannel}): every method is one of the container's own operations under the
 * interface's name, so the two can be mixed freely on one channel, together with
 * {@link Wait#any} members and async receives, and items are never lost or duplicated between
 * them.
 *
 * <table>
 * <caption>The interface's methods and the channel's</caption>
 * <tr><th>BlockingQueue</th><th>channel</th></tr>
 * <tr><td>{@code put(e)}</td><td>{@code send(e)}</td></tr>
 * <tr><td>{@code offer(e)}, {@code add(e)}</td><td>{@code trySend(e)} ({@code add} throws when it fails)</td></tr>
 * <tr><td>{@code offer(e, time, unit)}</td><td>{@code send(e, timeout)}</td></tr>
 * <tr><td>{@code take()}</td><td>{@code receive()}</td></tr>
 * <tr><td>{@code poll()}, {@code remove()}</td><td>{@code tryReceive()} ({@code remove} throws when it fails)</td></tr>
 * <tr><td>{@code poll(time, unit)}</td><td>{@code receive(timeout)}</td></tr>
 * </table>
 *
 * <p>So hand-off holds through the interface too: an {@code offer} or {@code put} that finds a
 * receiver waiting gives it the item before returning, and a {@code take} or {@code poll} from
 * a full channel lets the first waiting sender's item in. With capacity 0 the channel behaves
 * as {@link java.util.concurrent.SynchronousQueue} does: {@code offer} succeeds only if a
 * receiver waits, {@code poll} only if a sender waits, {@code put} waits for a receiver, and
 * the collection view is always empty ({@code size()} 0, {@code peek()} null, an empty
 * iterator, {@code remainingCapacity()} 0).
 *
 * <p>The collection view ({@code peek}, {@code contains}, {@code remove(Object)},
 * {@code iterator}, {@code toArray}, {@code toString}, the bulk methods) sees the buffered
 * items in the order they would be received, never the items of senders still waiting.
 * Iterators are weakly consistent: they iterate over the items buffered when the iterator was
 * made, never throw {@link java.util.ConcurrentModificationException}, and their
 * {@code remove()} removes the element last returned if it is still buffered. Removing an
 * item this way, by {@code remove(Object)}, {@code clear} or {@code drainTo} makes room as a
 * receive does: waiting senders' items enter before the call returns. Element methods of the
 * caller's ({@code equals}, {@code toString}) run on a copy, never while the channel is locked.
 *
 * <p>Blocking and timed methods check the interrupt status first and throw
 * {@link InterruptedException} if it is set, as the channel's own methods do; a timeout of
 * zero or less polls, a time too large for nanoseconds waits without a limit. At
 * {@link Irql#DISPATCH_LEVEL} the methods that would wait throw
 * {@link IllegalStateException}. Memory visibility as {@code BlockingQueue} requires: actions
 * before an item is inserted happen-before actions after it was read or removed by another
 * thread, through any of these methods.
 *
 * @param <T> the item type
 */
abstract class BoundedQueue<T> extends BoundedContainer<T> implements BlockingQueue<T> {
    BoundedQueue(int capacity) {
        super(capacity);
    }

    /**
     * Inserts an item if there is room now (for capacity 0: if a receiver waits), as
     * {@link #trySend}; never blocks.
     *
     * @param item the item
     * @return true (it was inserted)
     * @throws IllegalStateException if there is no room (for capacity 0: no receiver waits)
     * @throws NullPointerException if {@code item} is null
     */
    @Override
    public final boolean add(T item) {
        if (trySend(item)) {
            return true;
        }
        throw new IllegalStateException(capacity == 0 ? "no receiver waits on a capacity-0 channel"
                : "channel full (" + capacity + " items)");
    }

    /**
     * Inserts an item if there is room now (for capacity 0: if a receiver waits), as
     * {@link #trySend}; never blocks.
     *
     * @param item the item
     * @return true if inserted
     * @throws NullPointerException if {@code item} is null
     */
    @Override
    public final boolean offer(T item) {
        return trySend(item);
    }

    /**
     * Inserts an item, waiting while the channel is full (for capacity 0: until a receiver
     * takes it), as {@link #send(Object)}.
     *
     * @param item the item
     * @throws InterruptedException if interrupted first (the item was not inserted)
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    @Override
    public final void put(T item) throws InterruptedException {
        send(item);
    }

    /**
     * Inserts an item, waiting at most the given time for room (for capacity 0: for a
     * receiver), as {@link #send(Object, java.time.Duration)}. Zero or negative polls.
     *
     * @param item the item
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if inserted, false on timeout (the item was not inserted)
     * @throws InterruptedException if interrupted first (the item was not inserted)
     * @throws NullPointerException if {@code item} or {@code unit} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    @Override
    public final boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException {
        SendOp<T> op = new SendOp<>(this, admit(item));
        return Blocking.awaitNanos(this, 1, op, Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the next item, waiting as long as necessary, as {@link #receive()}.
     *
     * @return the item
     * @throws InterruptedException if interrupted first (nothing taken)
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    @Override
    public final T take() throws InterruptedException {
        return receive();
    }

    /**
     * Takes the next item, waiting at most the given time, as
     * {@link #receive(java.time.Duration)}. Zero or negative polls.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return the item, or {@code null} on timeout
     * @throws InterruptedException if interrupted first (nothing taken)
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    @Override
    public final T poll(long timeout, TimeUnit unit) throws InterruptedException {
        ReceiveOp<T> op = new ReceiveOp<>(this);
        return Blocking.awaitNanos(this, 1, op, Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED ? op.item() : null;
    }

    /**
     * Takes the next item if one is available now (for capacity 0: if a sender waits), as
     * {@link #tryReceive()}; never blocks.
     *
     * @return the item, or {@code null} if none
     */
    @Override
    public final T poll() {
        return tryReceive();
    }

    /**
     * Takes the next item if one is available now, as {@link #poll()}; never blocks.
     *
     * @return the item
     * @throws NoSuchElementException if none is available
     */
    @Override
    public final T remove() {
        T item = tryReceive();
        if (item == null) {
            throw new NoSuchElementException("channel empty");
        }
        return item;
    }

    /**
     * Returns the item a receive would take next, without taking it (a snapshot); never
     * blocks.
     *
     * @return the item, or {@code null} if none is buffered (always, with capacity 0)
     */
    @Override
    public final T peek() {
        return peekItem();
    }

    /**
     * Returns the item a receive would take next, without taking it, as {@link #peek()}.
     *
     * @return the item
     * @throws NoSuchElementException if none is buffered (always, with capacity 0)
     */
    @Override
    public final T element() {
        T item = peekItem();
        if (item == null) {
            throw new NoSuchElementException("channel empty");
        }
        return item;
    }

    /**
     * Returns how many more items fit without waiting (a snapshot): the capacity minus the
     * buffered items; 0 for capacity 0.
     *
     * @return the room left
     */
    @Override
    public final int remainingCapacity() {
        return roomLeft();
    }

    /**
     * Removes one buffered item equal to {@code o}, the first in receive order, making room
     * for a waiting sender. {@code o.equals} runs on a snapshot, outside the channel's lock.
     *
     * @param o the element to remove
     * @return true if an item was removed; false if none equals {@code o} (or {@code o} is null)
     */
    @Override
    public final boolean remove(Object o) {
        return removeItem(o);
    }

    /**
     * Returns whether some buffered item equals {@code o} (a snapshot; the items of waiting
     * senders are not buffered).
     *
     * @param o the element
     * @return true if found; false for {@code null}
     */
    @Override
    public final boolean contains(Object o) {
        return containsItem(o);
    }

    /**
     * Moves every buffered item, in receive order, into {@code c}, then lets waiting senders
     * into the room (for capacity 0: takes the items of waiting senders one at a time). The
     * items are taken at once and added to {@code c} outside the channel's lock; if
     * {@code c.add} throws, the items not yet added are put back at the head of the channel
     * (which may then briefly hold more than its capacity) and the exception is thrown on.
     *
     * @param c the collection to add the items to
     * @return the number of items moved
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this channel
     */
    @Override
    public final int drainTo(Collection<? super T> c) {
        return drainItems(c, Integer.MAX_VALUE);
    }

    /**
     * Moves at most {@code maxElements} buffered items, in receive order, into {@code c}; see
     * {@link #drainTo(Collection)}.
     *
     * @param c the collection to add the items to
     * @param maxElements the most items to move; zero or negative moves none
     * @return the number of items moved
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this channel
     */
    @Override
    public final int drainTo(Collection<? super T> c, int maxElements) {
        return drainItems(c, maxElements);
    }

    /** Discards every buffered item, then lets waiting senders into the room. Never blocks. */
    @Override
    public final void clear() {
        clearItems();
    }

    /**
     * Returns a weakly consistent iterator over the items buffered now, in receive order;
     * {@code remove()} removes the element last returned if it is still buffered.
     *
     * @return the iterator (empty with capacity 0)
     */
    @Override
    public final Iterator<T> iterator() {
        return snapshotIterator();
    }

    /**
     * Returns a spliterator over the items buffered now, in receive order (a snapshot, so it
     * reports {@link Spliterator#IMMUTABLE} and its exact size, and never sees later changes).
     *
     * @return the spliterator
     */
    @Override
    public final Spliterator<T> spliterator() {
        return snapshotSpliterator();
    }

    /**
     * Returns the buffered items in receive order (a snapshot).
     *
     * @return a new array
     */
    @Override
    public final Object[] toArray() {
        return snapshot();
    }

    /**
     * Returns the buffered items in receive order (a snapshot), in {@code a} if they fit
     * (followed by a {@code null} if there is room), else in a new array of its runtime type.
     *
     * @param a the array to fill
     * @param <E> the component type
     * @return the array of the items
     * @throws ArrayStoreException if an item is not an instance of the component type
     * @throws NullPointerException if {@code a} is null
     */
    @Override
    public final <E> E[] toArray(E[] a) {
        return toArrayItems(a);
    }

    /**
     * Returns whether every element of {@code c} equals some buffered item (one snapshot).
     *
     * @param c the elements
     * @return true if all are found
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public final boolean containsAll(Collection<?> c) {
        return containsEach(c);
    }

    /**
     * Inserts every element of {@code c} with {@link #add}, in its iteration order; never
     * blocks.
     *
     * @param c the elements
     * @return true if the channel changed
     * @throws IllegalStateException if the channel is full before all were inserted (those
     *         before stay inserted)
     * @throws NullPointerException if {@code c} or one of its elements is null
     * @throws IllegalArgumentException if {@code c} is this channel
     */
    @Override
    public final boolean addAll(Collection<? extends T> c) {
        return addEach(this, c);
    }

    /**
     * Removes every buffered item that {@code c} contains (a snapshot; items sent meanwhile
     * stay), making room for waiting senders.
     *
     * @param c the elements to remove
     * @return true if an item was removed
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public final boolean removeAll(Collection<?> c) {
        return removeEach(c, false);
    }

    /**
     * Removes every buffered item that {@code c} does not contain (a snapshot; items sent
     * meanwhile stay), making room for waiting senders.
     *
     * @param c the elements to keep
     * @return true if an item was removed
     * @throws NullPointerException if {@code c} is null
     */
    @Override
    public final boolean retainAll(Collection<?> c) {
        return removeEach(c, true);
    }
}
