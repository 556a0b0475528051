package io.waitkit;

import io.waitkit.internal.WaitEngine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The send side of the bounded containers ({@link Channel}, {@link PriorityChannel}): a send
 * blocks while the buffer is full; with capacity 0 it completes only together with a receive.
 *
 * @param <T> the item type
 */
abstract class BoundedContainer<T> extends ItemContainer<T> {
    BoundedContainer(int capacity) {
        super(checkCapacity(capacity));
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        return capacity;
    }

    /**
     * Sends an item, waiting while the channel is full (for capacity 0: until a receiver takes
     * it).
     *
     * @param item the item
     * @throws InterruptedException if interrupted first (the item was not sent)
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public final void send(T item) throws InterruptedException {
        admit(item);
        if (capacity != 0) {
            io.waitkit.internal.Dispatch.checkCanBlock();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (offerBuffered(item, false) != null) {
                return;
            }
        }
        Blocking.await(this, 1, new SendOp<>(this, item));
    }

    /**
     * Sends an item, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param item the item
     * @param timeout the longest time to wait
     * @return true if sent, false on timeout (the item was not sent)
     * @throws InterruptedException if interrupted first (the item was not sent)
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public final boolean send(T item, Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, new SendOp<>(this, admit(item)), timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Sends an item unless {@code deadline} passes first.
     *
     * @param item the item
     * @param deadline when to give up
     * @return true if sent, false on timeout (the item was not sent)
     * @throws InterruptedException if interrupted first (the item was not sent)
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public final boolean send(T item, Deadline deadline) throws InterruptedException {
        return Blocking.await(this, 1, new SendOp<>(this, admit(item)), deadline) == WaitEngine.ACQUIRED;
    }

    /**
     * Sends an item if there is room now (for capacity 0: if a receiver waits); never blocks.
     *
     * @param item the item
     * @return true if sent
     * @throws NullPointerException if {@code item} is null
     */
    public final boolean trySend(T item) {
        admit(item);
        if (capacity != 0) {
            return offerBuffered(item, false) != null;
        }
        return Blocking.poll(this, 1, new SendOp<>(this, item)) == WaitEngine.ACQUIRED;
    }

    /**
     * Sends an item asynchronously. Cancelling a pending future withdraws the send (the item is
     * not sent); a {@code cancel} that returns {@code false} means it was sent.
     *
     * @param item the item
     * @return a future completed (with {@code null}) once the item is in the channel or, for
     *         capacity 0, with a receiver
     * @throws NullPointerException if {@code item} is null
     */
    public final CompletableFuture<Void> sendAsync(T item) {
        return WaitEngine.acquireAsync(this, 1, new SendOp<>(this, admit(item)));
    }

    /**
     * Returns a send operation for {@link Wait#any}.
     *
     * @param item the item to send
     * @return a new operation
     * @throws NullPointerException if {@code item} is null
     */
    public final SendOp<T> sendOp(T item) {
        return new SendOp<>(this, admit(item));
    }

    /**
     * Returns the capacity.
     *
     * @return the number of items the channel buffers (0: hand-off only)
     */
    public final int capacity() {
        return capacity;
    }
}
