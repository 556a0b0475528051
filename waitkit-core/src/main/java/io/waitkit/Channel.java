package io.waitkit;

import io.waitkit.internal.WaitEngine;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A bounded FIFO channel, as the ao kernel's {@code stream4ptr}/{@code stream4obj}: senders
 * block while it is full, receivers while it is empty, and items come out in the order they
 * went in.
 *
 * <p>Capacity 0 makes it a synchronous hand-off (a rendezvous of producer and consumer): a
 * send completes only when a receiver takes its item, and {@code trySend} succeeds only if a
 * receiver is waiting (ao case T29). {@link #sendOverwriting} never blocks: on a full channel it
 * evicts the oldest item (ao's {@code push_override}, case T30).
 *
 * <p>Both sides are FIFO among waiters and hand off: a send that finds a receiver waiting
 * gives it the item before returning, and a receive from a full channel lets the first waiting
 * sender's item in before returning. Items are never null, lost or duplicated. In
 * {@link Wait#any}, wait on {@link #receiveOp()} or {@link #sendOp(Object)}; only channels with
 * a capacity may take part in {@link Wait#all}.
 *
 * <p>A channel is a {@link java.util.concurrent.BlockingQueue}: {@code put} is {@code send},
 * {@code offer} is {@code trySend}, {@code take} is {@code receive}, {@code poll} is
 * {@code tryReceive}, and the timed forms take {@code (long, TimeUnit)}; so it can be the work
 * queue of a {@link java.util.concurrent.ThreadPoolExecutor}. With capacity 0 it behaves under
 * that interface as a {@link java.util.concurrent.SynchronousQueue}. Iterators are weakly
 * consistent: they see the items buffered when they were made, in receive order, and never
 * throw {@code ConcurrentModificationException}.
 *
 * <p>Memory visibility: actions before a send happen-before the actions after the receive
 * that took its item.
 *
 * <pre>{@code
 * Channel<Job> jobs = new Channel<>(64);
 * // producer:  jobs.send(job);                 // blocks while 64 are pending
 * // consumer:  for (;;) run(jobs.receive());
 * }</pre>
 *
 * @param <T> the item type
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Channel<T> extends BoundedQueue<T> {
    private final ArrayDeque<T> buffer;

    /**
     * Creates a channel.
     *
     * @param capacity the number of items it buffers; 0 for a synchronous hand-off
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public Channel(int capacity) {
        super(capacity);
        this.buffer = new ArrayDeque<>(Math.min(Math.max(capacity, 1), 1024));
    }

    @Override
    int count() {
        return buffer.size();
    }

    @Override
    void push(T item) {
        buffer.addLast(item);
    }

    @Override
    T pop() {
        return buffer.pollFirst();
    }

    @Override
    T evict() {
        return buffer.pollFirst();
    }

    /**
     * Sends an item without ever blocking: if the channel is full, the item that would be
     * received first is evicted to make room (ao's {@code push_override}). Waiting senders are
     * neither woken nor overtaken otherwise. With capacity 0 the item is handed to a waiting
     * receiver, and refused when none waits.
     *
     * @param item the item
     * @return the evicted item, or {@code null} if nothing was evicted
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if the capacity is 0 and no receiver waits (not sent)
     */
    @SuppressWarnings("unchecked")
    public final T sendOverwriting(T item) {
        admit(item);
        if (capacity == 0) {
            if (Blocking.poll(this, 1, new SendOp<>(this, item)) != WaitEngine.ACQUIRED) {
                throw new IllegalStateException("a capacity-0 channel has nothing to overwrite and no receiver waits");
            }
            return null;
        }
        Object r = offerBuffered(item, true);
        return r == this ? null : (T) r;
    }

    // ---- BlockingQueue view

    @Override
    T first() {
        return buffer.peekFirst();
    }

    @Override
    Object[] copyBuffer() {
        return buffer.toArray();
    }

    @Override
    boolean removeSame(Object item, int skip) {
        return removeSame(buffer, item, skip);
    }

    @Override
    void pushFront(List<T> back) {
        pushFront(buffer, back);
    }

    /**
     * Describes the channel and lists its items in receive order (a snapshot), as
     * {@code AbstractCollection.toString} does.
     *
     * @return for example {@code Channel[2/64] [job-1, job-2]}
     */
    @Override
    public String toString() {
        Object[] items = snapshot();
        return "Channel[" + items.length + "/" + capacity + (hasQueuedWaiters() ? ", waiters" : "") + "] " + listing(items);
    }
}
