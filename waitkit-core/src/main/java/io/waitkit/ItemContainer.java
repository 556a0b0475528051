package io.waitkit;

import io.waitkit.internal.Pairing;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * The engine side of every item container (mailboxes and channels): a buffer guarded by the
 * object lock, a queue of receivers and, when bounded, of senders.
 *
 * <p>Hand-off follows from the hooks: a send that finds room stores its item and, if receivers
 * wait, serves them before returning (the first receiver gets the item); a receive that takes
 * an item lets the first waiting sender in. With capacity 0 nothing is ever buffered: a send and
 * a receive complete only together, by pairing (see {@link WaitObject}'s tentative claims), so
 * a sender returns only once a receiver has its item. Counts of queued senders and receivers
 * (kept by the enqueue/withdraw hooks) let a pass of the hand-off loop stop as soon as nobody
 * can move.
 *
 * <p>Items are never null, never lost and never duplicated: an item leaves a sender only in
 * the step that puts it into the buffer or into a receiver's operation, under the lock.
 *
 * @param <T> the item type
 */
abstract class ItemContainer<T> extends WaitObject {
    /** Capacity 0: a send and a receive complete together. */
    private static final Pairing<ItemContainer<?>> HAND_OFF = new Pairing<>() {
        @Override
        protected boolean isPartner(ItemContainer<?> c, WaitOperation op, WaitOperation candidate) {
            return (op instanceof ReceiveOp) != (candidate instanceof ReceiveOp);
        }

        @Override
        protected long paired(ItemContainer<?> c, long value, Thread ownerA, WaitOperation opA, Thread ownerB,
                WaitOperation opB, boolean aWasQueued) {
            c.transfer(opA, opB, aWasQueued);
            return value;
        }
    };

    final int capacity;

    // Guarded by the object lock.
    private int queuedReceivers;
    private int queuedSenders;

    ItemContainer(int capacity) {
        super(0L, BUSY_LOCK); // containers take the lock for every operation
        this.capacity = capacity;
    }

    // ---- the buffer, lock held

    abstract int count();

    abstract void push(T item);

    abstract T pop();

    /** Removes the element that would leave last-in-line for eviction (the oldest). */
    abstract T evict();

    // ---- engine hooks

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (op instanceof ReceiveOp) {
            return count() > 0 ? value : capacity == 0 ? NEEDS_PARTNER : UNAVAILABLE;
        }
        return count() < capacity ? value : capacity == 0 ? NEEDS_PARTNER : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        if (op instanceof ReceiveOp) {
            ((ReceiveOp<T>) op).deliver(pop());
            if (wasQueued) {
                queuedReceivers--;
            }
        } else {
            push(((SendOp<T>) op).item());
            if (wasQueued) {
                queuedSenders--;
            }
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        if (op instanceof ReceiveOp) {
            queuedReceivers++;
        } else {
            queuedSenders++;
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        if (op instanceof ReceiveOp) {
            queuedReceivers--;
        } else {
            queuedSenders--;
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean rescanAfter(WaitOperation op) {
        return op instanceof ReceiveOp ? queuedSenders > 0 : queuedReceivers > 0;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        int n = count();
        return (n > 0 && queuedReceivers > 0) || (n < capacity && queuedSenders > 0)
                || (capacity == 0 && queuedReceivers > 0 && queuedSenders > 0);
    }

    /**
     * {@inheritDoc} Only with capacity 0, where a send and a receive complete only together; a
     * buffered container never answers {@code NEEDS_PARTNER} and takes part in wait-alls.
     */
    @Override
    protected Pairing<ItemContainer<?>> pairing() {
        return capacity == 0 ? HAND_OFF : null;
    }

    /** Moves the item of a paired send to its receive (lock held, both waiters claimed). */
    @SuppressWarnings("unchecked")
    private void transfer(WaitOperation opA, WaitOperation opB, boolean aWasQueued) {
        ReceiveOp<T> receive = (ReceiveOp<T>) (opA instanceof ReceiveOp ? opA : opB);
        SendOp<T> send = (SendOp<T>) (opA instanceof ReceiveOp ? opB : opA);
        receive.deliver(send.item());
        if (opB instanceof ReceiveOp) {
            queuedReceivers--; // the partner was always queued
        } else {
            queuedSenders--;
        }
        if (aWasQueued) {
            if (opA instanceof ReceiveOp) {
                queuedReceivers--;
            } else {
                queuedSenders--;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_CONTENDED; // the buffer is guarded by the lock
    }

    // ---- direct paths that need no operation object

    /** Takes an item if one is buffered, letting a waiting sender in; null if empty. */
    final T takeBuffered() {
        long v = lockForSignal();
        try {
            if (count() == 0) {
                return null;
            }
            T item = pop();
            if (queuedSenders > 0) {
                v = wake(v);
            }
            return item;
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Stores an item if there is room (serving waiting receivers), or, when {@code overwrite},
     * evicts the oldest to make room. Capacity 0 is not handled here.
     *
     * @return {@code this} if stored without eviction, the evicted item, or null if full
     */
    final Object offerBuffered(T item, boolean overwrite) {
        long v = lockForSignal();
        try {
            Object result = this;
            if (count() >= capacity) {
                if (!overwrite) {
                    return null;
                }
                result = evict();
            }
            push(item);
            if (queuedReceivers > 0) {
                v = wake(v);
            }
            return result;
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Checks an item about to be sent or posted.
     *
     * @return the item
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException if a subclass rejects it (a message too large)
     */
    T admit(T item) {
        return Objects.requireNonNull(item, "item");
    }

    // ---- the receive side, public in every container

    /**
     * Takes the next item, waiting as long as necessary.
     *
     * @return the item
     * @throws InterruptedException if interrupted first (nothing taken)
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public final T receive() throws InterruptedException {
        if (capacity != 0) {
            io.waitkit.internal.Dispatch.checkCanBlock();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            T item = takeBuffered();
            if (item != null) {
                return item;
            }
        }
        ReceiveOp<T> op = new ReceiveOp<>(this);
        Blocking.await(this, 1, op);
        return op.item();
    }

    /**
     * Takes the next item, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest time to wait
     * @return the item, or {@code null} on timeout
     * @throws InterruptedException if interrupted first (nothing taken)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public final T receive(Duration timeout) throws InterruptedException {
        ReceiveOp<T> op = new ReceiveOp<>(this);
        return Blocking.await(this, 1, op, timeout) == WaitEngine.ACQUIRED ? op.item() : null;
    }

    /**
     * Takes the next item unless {@code deadline} passes first.
     *
     * @param deadline when to give up
     * @return the item, or {@code null} on timeout
     * @throws InterruptedException if interrupted first (nothing taken)
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public final T receive(Deadline deadline) throws InterruptedException {
        ReceiveOp<T> op = new ReceiveOp<>(this);
        return Blocking.await(this, 1, op, deadline) == WaitEngine.ACQUIRED ? op.item() : null;
    }

    /**
     * Takes the next item if one is available now (for capacity 0: if a sender waits); never
     * blocks.
     *
     * @return the item, or {@code null} if none
     */
    public final T tryReceive() {
        if (capacity != 0) {
            return takeBuffered();
        }
        ReceiveOp<T> op = new ReceiveOp<>(this);
        return Blocking.poll(this, 1, op) == WaitEngine.ACQUIRED ? op.item() : null;
    }

    /**
     * Takes the next item asynchronously. Cancelling a pending future withdraws the receive;
     * a {@code cancel} that returns {@code false} means the item was taken (read it with
     * {@code join()}).
     *
     * @return a future completed with the item
     */
    public final CompletableFuture<T> receiveAsync() {
        return WaitEngine.acquireAsync(this, 1, new ReceiveOp<>(this));
    }

    /**
     * Returns a receive operation for {@link Wait#any}.
     *
     * @return a new operation
     */
    public final ReceiveOp<T> receiveOp() {
        return new ReceiveOp<>(this);
    }

    /**
     * Returns the number of buffered items (a snapshot).
     *
     * @return the number of items waiting to be received
     */
    public final int size() {
        long v = lockState();
        int n = count();
        unlockState(v);
        return n;
    }

    /**
     * Returns whether no item is buffered (a snapshot).
     *
     * @return true if empty
     */
    public final boolean isEmpty() {
        return size() == 0;
    }

    // ---- BlockingQueue view

    // What Channel, PriorityChannel, Mailbox and PriorityMailbox share as BlockingQueues: the
    // public methods are in BoundedQueue and UnboundedContainer, which delegate here
    // (MessageQueue is not a BlockingQueue and never calls these).
    //
    // The buffer is read and changed only under the object lock. Code of the caller's (equals,
    // toString, a drain's target collection) runs only outside it, on a copy taken under it:
    // the object lock is not reentrant, so a callback that touched this container while the
    // lock was held would wait for itself forever. Hence the copies: peek and size read under
    // the lock, everything that compares or prints elements works on a snapshot, and a removal
    // found in a snapshot is then made by identity under the lock, where it may find that the
    // element has left meanwhile (taken by a receive): then nothing is removed.
    //
    // Every removal from the buffer (remove(Object), an iterator's remove, clear, drainTo) makes
    // room, so it lets queued senders in before it unlocks, as a receive does (hand-off).

    /** The item that would be received next, without taking it; null if none (lock held). */
    abstract T first();

    /** A copy of the buffer (lock held); {@link #inReceiveOrder} turns it into items. */
    abstract Object[] copyBuffer();

    /**
     * The items of a {@link #copyBuffer()} copy, in the order they would be received (lock not
     * held: a priority container sorts with its comparator here). FIFO buffers copy in order.
     */
    Object[] inReceiveOrder(Object[] copy) {
        return copy;
    }

    /**
     * Removes one buffered occurrence of exactly {@code item} (identity, never equals): the
     * one after {@code skip} others in receive order, or the last one if there are no longer
     * that many (receives take from the front, so earlier occurrences are the ones that left).
     * Lock held.
     *
     * @return false if {@code item} is not buffered
     */
    abstract boolean removeSame(Object item, int skip);

    /** Puts items back ahead of every buffered item, in their order (lock held). */
    abstract void pushFront(List<T> items);

    /** {@link #removeSame} for a FIFO buffer. */
    static boolean removeSame(ArrayDeque<?> buffer, Object item, int skip) {
        int seen = 0;
        for (Iterator<?> it = buffer.iterator(); it.hasNext(); ) {
            if (it.next() == item && seen++ == skip) {
                it.remove();
                return true;
            }
        }
        if (seen == 0) {
            return false;
        }
        for (Iterator<?> it = buffer.descendingIterator(); it.hasNext(); ) {
            if (it.next() == item) {
                it.remove();
                return true;
            }
        }
        throw new AssertionError("an occurrence counted but not found");
    }

    /** {@link #pushFront} for a FIFO buffer. */
    static <T> void pushFront(ArrayDeque<T> buffer, List<T> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            buffer.addFirst(items.get(i));
        }
    }

    /** The next item without taking it, or null (a snapshot). */
    final T peekItem() {
        long v = lockState();
        try {
            return first();
        } finally {
            unlockState(v);
        }
    }

    /** The room left: capacity minus buffered items, never negative (a snapshot). */
    final int roomLeft() {
        long v = lockState();
        try {
            return Math.max(0, capacity - count());
        } finally {
            unlockState(v);
        }
    }

    /** The buffered items in receive order: a new array, taken at one instant. */
    final Object[] snapshot() {
        Object[] copy;
        long v = lockState();
        try {
            copy = copyBuffer();
        } finally {
            unlockState(v);
        }
        return inReceiveOrder(copy);
    }

    /** Whether some buffered item equals {@code o} (a snapshot). */
    final boolean containsItem(Object o) {
        return o != null && indexOf(snapshot(), o) >= 0;
    }

    private static int indexOf(Object[] items, Object o) {
        for (int i = 0; i < items.length; i++) {
            if (o.equals(items[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Removes one buffered item equal to {@code o}, the first in receive order. When the one
     * found leaves before it can be removed, looks again.
     */
    final boolean removeItem(Object o) {
        if (o == null) {
            return false;
        }
        for (;;) {
            Object[] items = snapshot();
            int i = indexOf(items, o);
            if (i < 0) {
                return false;
            }
            if (removeAt(items, i)) {
                return true;
            }
        }
    }

    /**
     * Removes the buffered element that a snapshot holds at index {@code i}, if it is still
     * buffered, letting waiting senders into the room it leaves.
     */
    final boolean removeAt(Object[] items, int i) {
        Object item = items[i];
        int skip = 0;
        for (int j = 0; j < i; j++) {
            if (items[j] == item) {
                skip++;
            }
        }
        long v = lockForSignal();
        try {
            if (!removeSame(item, skip)) {
                return false;
            }
            if (queuedSenders > 0) {
                v = wake(v);
            }
            return true;
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * {@code removeAll} ({@code retain} false) or {@code retainAll} (true): removes every item of
     * a snapshot that {@code c} contains, or does not contain.
     */
    final boolean removeEach(Collection<?> c, boolean retain) {
        Objects.requireNonNull(c, "c");
        Object[] items = snapshot();
        boolean changed = false;
        for (int i = 0; i < items.length; i++) {
            if (c.contains(items[i]) != retain && removeAt(items, i)) {
                changed = true;
            }
        }
        return changed;
    }

    /** Whether every element of {@code c} equals some buffered item (one snapshot). */
    final boolean containsEach(Collection<?> c) {
        Objects.requireNonNull(c, "c");
        Object[] items = snapshot();
        for (Object o : c) {
            if (o == null || indexOf(items, o) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Discards every buffered item, letting waiting senders into the room. */
    final void clearItems() {
        long v = lockForSignal();
        try {
            int n = count();
            for (int i = 0; i < n; i++) {
                pop();
            }
            if (n > 0 && queuedSenders > 0) {
                v = wake(v);
            }
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Moves up to {@code max} items, in receive order, into {@code c}. The buffered ones are
     * taken in one step under the lock and added to {@code c} outside it; with capacity 0 the
     * items of waiting senders are taken one at a time. If {@code c.add} throws, the items not
     * yet added are put back ahead of the others (for that moment the buffer may hold more than
     * its capacity; senders then wait until receives bring it below) and the exception is
     * thrown on.
     */
    final int drainItems(Collection<? super T> c, int max) {
        Objects.requireNonNull(c, "c");
        if (c == this) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        if (max <= 0) {
            return 0;
        }
        if (capacity == 0) {
            int n = 0;
            for (T item; n < max && (item = tryReceive()) != null; n++) {
                handOn(c, List.of(item));
            }
            return n;
        }
        List<T> taken;
        long v = lockForSignal();
        try {
            int n = Math.min(max, count());
            taken = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                taken.add(pop());
            }
            if (n > 0 && queuedSenders > 0) {
                v = wake(v);
            }
        } finally {
            unlockAfterSignal(v);
        }
        handOn(c, taken);
        return taken.size();
    }

    private void handOn(Collection<? super T> c, List<T> items) {
        int i = 0;
        try {
            for (; i < items.size(); i++) {
                c.add(items.get(i));
            }
        } catch (RuntimeException | Error e) {
            giveBack(items.subList(i, items.size()));
            throw e;
        }
    }

    private void giveBack(List<T> items) {
        long v = lockForSignal();
        try {
            pushFront(items);
            if (queuedReceivers > 0) {
                v = wake(v);
            }
        } finally {
            unlockAfterSignal(v);
        }
    }

    /** {@code addAll} of the queue classes: {@code add} of each element of {@code c} (AbstractQueue's rules). */
    static <T> boolean addEach(Collection<T> queue, Collection<? extends T> c) {
        Objects.requireNonNull(c, "c");
        if (c == queue) {
            throw new IllegalArgumentException("cannot add a queue to itself");
        }
        boolean changed = false;
        for (T item : c) {
            if (queue.add(item)) {
                changed = true;
            }
        }
        return changed;
    }

    /** {@code toArray(a)}: the snapshot into {@code a} if it fits (null after the last), else a new array of its type. */
    @SuppressWarnings("unchecked")
    final <E> E[] toArrayItems(E[] a) {
        Objects.requireNonNull(a, "a");
        Object[] items = snapshot();
        if (a.length < items.length) {
            return (E[]) Arrays.copyOf(items, items.length, a.getClass());
        }
        System.arraycopy(items, 0, a, 0, items.length);
        if (a.length > items.length) {
            a[items.length] = null;
        }
        return a;
    }

    /** The items of a snapshot as {@code [a, b, c]}, as {@code AbstractCollection.toString}. */
    final String listing(Object[] items) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (Object e : items) {
            j.add(e == this ? "(this Collection)" : String.valueOf(e));
        }
        return j.toString();
    }

    /**
     * A spliterator over a snapshot, in receive order: as {@code CopyOnWriteArrayList}'s, it
     * reports {@code IMMUTABLE} (the copy never changes) and {@code SIZED} (its exact size).
     */
    final Spliterator<T> snapshotSpliterator() {
        return Spliterators.spliterator(snapshot(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE);
    }

    /** A weakly consistent iterator: over a snapshot, removing by identity. */
    final Iterator<T> snapshotIterator() {
        return new SnapshotIterator(snapshot());
    }

    /**
     * Iterates over the items buffered when it was made, in receive order; never throws
     * {@code ConcurrentModificationException}, and sees no later change. {@code remove()}
     * removes the element last returned if it is still buffered (nothing if a receive took it
     * meanwhile).
     */
    private final class SnapshotIterator implements Iterator<T> {
        private final Object[] items;
        private int next;
        private int last = -1;

        SnapshotIterator(Object[] items) {
            this.items = items;
        }

        @Override
        public boolean hasNext() {
            return next < items.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next >= items.length) {
                throw new NoSuchElementException();
            }
            last = next++;
            return (T) items[last];
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException("remove() without a next() since the last remove()");
            }
            removeAt(items, last);
            last = -1;
        }
    }
}
