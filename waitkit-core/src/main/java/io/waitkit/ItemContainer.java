package io.waitkit;

import io.waitkit.internal.Pairing;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
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
}
