package io.waitkit;

import io.waitkit.internal.WaitEngine;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The post side of the unbounded containers ({@link Mailbox}, {@link PriorityMailbox}): a post
 * never blocks.
 *
 * <p>Both are {@link BlockingQueue}s whose methods are the mailbox's own operations under the
 * interface's name: {@code offer}, {@code add} and {@code put} post (and hand the item to the
 * first waiting receiver, if any, before returning), {@code take} is {@code receive()},
 * {@code poll()} is {@code tryReceive()} and {@code poll(time, unit)} a timed receive; so the
 * interface, the mailbox's methods, {@link Wait#any} members and async receives can be mixed
 * on one mailbox, and items are never lost or duplicated between them. As a post, an insert
 * never waits ({@code remainingCapacity()} is {@link Integer#MAX_VALUE}) unless the mailbox
 * already holds {@link Integer#MAX_VALUE} items.
 *
 * <p>The collection view ({@code peek}, {@code contains}, {@code remove(Object)},
 * {@code iterator}, {@code toArray}, {@code toString}, the bulk methods) sees the items in the
 * order they would be received. Iterators are weakly consistent: they iterate over the items
 * present when the iterator was made, never throw
 * {@link java.util.ConcurrentModificationException}, and their {@code remove()} removes the
 * element last returned if it is still there. Element methods of the caller's
 * ({@code equals}, {@code toString}) run on a copy, never while the mailbox is locked.
 *
 * <p>Blocking and timed receives check the interrupt status first and throw
 * {@link InterruptedException} if it is set; a timeout of zero or less polls, a time too large
 * for nanoseconds waits without a limit. Memory visibility as {@code BlockingQueue} requires:
 * actions before an item is inserted happen-before actions after it was read or removed by
 * another thread, through any of these methods.
 *
 * @param <T> the item type
 */
abstract class UnboundedContainer<T> extends ItemContainer<T> implements BlockingQueue<T> {
    UnboundedContainer() {
        super(Integer.MAX_VALUE);
    }

    @Override
    final T evict() {
        throw new UnsupportedOperationException("an unbounded container never evicts");
    }

    /**
     * Posts an item: hands it to the first waiting receiver, or stores it. Never blocks.
     *
     * @param item the item
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if the container already holds {@link Integer#MAX_VALUE}
     *         items
     */
    public final void post(T item) {
        if (offerBuffered(admit(item), false) == null) {
            throw new IllegalStateException("mailbox full (" + Integer.MAX_VALUE + " items)");
        }
    }

    // ---- BlockingQueue view

    /**
     * Posts an item, as {@link #post}; never blocks.
     *
     * @param item the item
     * @return true
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if the mailbox already holds {@link Integer#MAX_VALUE}
     *         items
     */
    @Override
    public final boolean add(T item) {
        post(item);
        return true;
    }

    /**
     * Posts an item unless the mailbox already holds {@link Integer#MAX_VALUE} items; never
     * blocks.
     *
     * @param item the item
     * @return true if posted (false only at {@link Integer#MAX_VALUE} items)
     * @throws NullPointerException if {@code item} is null
     */
    @Override
    public final boolean offer(T item) {
        return offerBuffered(admit(item), false) != null;
    }

    /**
     * Posts an item. It never waits unless the mailbox already holds
     * {@link Integer#MAX_VALUE} items; then it waits for room, as a channel's send.
     *
     * @param item the item
     * @throws InterruptedException if it had to wait and was interrupted first (not posted)
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if it has to wait and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    @Override
    public final void put(T item) throws InterruptedException {
        if (!offer(item)) {
            Blocking.await(this, 1, new SendOp<>(this, item));
        }
    }

    /**
     * Posts an item. It never waits unless the mailbox already holds
     * {@link Integer#MAX_VALUE} items; then it waits at most the given time for room.
     *
     * @param item the item
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if posted, false on timeout (only possible at {@link Integer#MAX_VALUE}
     *         items)
     * @throws InterruptedException if it had to wait and was interrupted first (not posted)
     * @throws NullPointerException if {@code item} or {@code unit} is null
     * @throws IllegalStateException if it has to wait, the timeout is positive and the current
     *         thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    @Override
    public final boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException {
        admit(item);
        Objects.requireNonNull(unit, "unit");
        if (offer(item)) {
            return true;
        }
        return Blocking.awaitNanos(this, 1, new SendOp<>(this, item), Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED;
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
     * Takes the next item if there is one, as {@link #tryReceive()}; never blocks.
     *
     * @return the item, or {@code null} if the mailbox is empty
     */
    @Override
    public final T poll() {
        return tryReceive();
    }

    /**
     * Takes the next item if there is one, as {@link #poll()}; never blocks.
     *
     * @return the item
     * @throws NoSuchElementException if the mailbox is empty
     */
    @Override
    public final T remove() {
        T item = tryReceive();
        if (item == null) {
            throw new NoSuchElementException("mailbox empty");
        }
        return item;
    }

    /**
     * Returns the item a receive would take next, without taking it (a snapshot); never
     * blocks.
     *
     * @return the item, or {@code null} if the mailbox is empty
     */
    @Override
    public final T peek() {
        return peekItem();
    }

    /**
     * Returns the item a receive would take next, without taking it, as {@link #peek()}.
     *
     * @return the item
     * @throws NoSuchElementException if the mailbox is empty
     */
    @Override
    public final T element() {
        T item = peekItem();
        if (item == null) {
            throw new NoSuchElementException("mailbox empty");
        }
        return item;
    }

    /**
     * Returns {@link Integer#MAX_VALUE}: a mailbox is unbounded.
     *
     * @return {@link Integer#MAX_VALUE}
     */
    @Override
    public final int remainingCapacity() {
        return Integer.MAX_VALUE;
    }

    /**
     * Removes one item equal to {@code o}, the first in receive order. {@code o.equals} runs
     * on a snapshot, outside the mailbox's lock.
     *
     * @param o the element to remove
     * @return true if an item was removed; false if none equals {@code o} (or {@code o} is null)
     */
    @Override
    public final boolean remove(Object o) {
        return removeItem(o);
    }

    /**
     * Returns whether some item equals {@code o} (a snapshot).
     *
     * @param o the element
     * @return true if found; false for {@code null}
     */
    @Override
    public final boolean contains(Object o) {
        return containsItem(o);
    }

    /**
     * Moves every item, in receive order, into {@code c}. The items are taken at once and
     * added to {@code c} outside the mailbox's lock; if {@code c.add} throws, the items not yet
     * added are put back at the head of the mailbox and the exception is thrown on.
     *
     * @param c the collection to add the items to
     * @return the number of items moved
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this mailbox
     */
    @Override
    public final int drainTo(Collection<? super T> c) {
        return drainItems(c, Integer.MAX_VALUE);
    }

    /**
     * Moves at most {@code maxElements} items, in receive order, into {@code c}; see
     * {@link #drainTo(Collection)}.
     *
     * @param c the collection to add the items to
     * @param maxElements the most items to move; zero or negative moves none
     * @return the number of items moved
     * @throws NullPointerException if {@code c} is null
     * @throws IllegalArgumentException if {@code c} is this mailbox
     */
    @Override
    public final int drainTo(Collection<? super T> c, int maxElements) {
        return drainItems(c, maxElements);
    }

    /** Discards every item. Never blocks. */
    @Override
    public final void clear() {
        clearItems();
    }

    /**
     * Returns a weakly consistent iterator over the items present now, in receive order;
     * {@code remove()} removes the element last returned if it is still there.
     *
     * @return the iterator
     */
    @Override
    public final Iterator<T> iterator() {
        return snapshotIterator();
    }

    /**
     * Returns a spliterator over the items present now, in receive order (a snapshot, so it
     * reports {@link Spliterator#IMMUTABLE} and its exact size, and never sees later changes).
     *
     * @return the spliterator
     */
    @Override
    public final Spliterator<T> spliterator() {
        return snapshotSpliterator();
    }

    /**
     * Returns the items in receive order (a snapshot).
     *
     * @return a new array
     */
    @Override
    public final Object[] toArray() {
        return snapshot();
    }

    /**
     * Returns the items in receive order (a snapshot), in {@code a} if they fit (followed by a
     * {@code null} if there is room), else in a new array of its runtime type.
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
     * Returns whether every element of {@code c} equals some item (one snapshot).
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
     * Posts every element of {@code c}, in its iteration order; never blocks.
     *
     * @param c the elements
     * @return true if the mailbox changed
     * @throws NullPointerException if {@code c} or one of its elements is null (those before
     *         stay posted)
     * @throws IllegalArgumentException if {@code c} is this mailbox
     */
    @Override
    public final boolean addAll(Collection<? extends T> c) {
        return addEach(this, c);
    }

    /**
     * Removes every item that {@code c} contains (a snapshot; items posted meanwhile stay).
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
     * Removes every item that {@code c} does not contain (a snapshot; items posted meanwhile
     * stay).
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
