package io.waitkit;

import java.util.ArrayDeque;
import java.util.List;

/**
 * An unbounded FIFO mailbox, as the ao kernel's {@code mail}: {@link #post(Object)} never
 * blocks; a receive takes the oldest item or waits for one.
 *
 * <p>A post that finds receivers waiting hands the item to the first of them before it returns
 * (the mailbox stays empty; ao case T26). In {@link Wait#any}, wait on {@link #receiveOp()}.
 *
 * <p>A mailbox is an unbounded {@link java.util.concurrent.BlockingQueue}: {@code offer},
 * {@code add} and {@code put} post, {@code take} is {@code receive}, {@code poll} is
 * {@code tryReceive}; iterators are weakly consistent.
 *
 * <p>Memory visibility: actions before a post happen-before the actions after the receive that
 * took its item.
 *
 * <pre>{@code
 * Mailbox<Event> inbox = new Mailbox<>();
 * inbox.post(event);                 // from any thread, never blocks
 * Event next = inbox.receive();      // oldest first
 * }</pre>
 *
 * @param <T> the item type
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Mailbox<T> extends UnboundedContainer<T> {
    private final ArrayDeque<T> items = new ArrayDeque<>();

    /** Creates an empty mailbox. */
    public Mailbox() {
    }

    @Override
    int count() {
        return items.size();
    }

    @Override
    void push(T item) {
        items.addLast(item);
    }

    @Override
    T pop() {
        return items.pollFirst();
    }

    // ---- BlockingQueue view

    @Override
    T first() {
        return items.peekFirst();
    }

    @Override
    Object[] copyBuffer() {
        return items.toArray();
    }

    @Override
    boolean removeSame(Object item, int skip) {
        return removeSame(items, item, skip);
    }

    @Override
    void pushFront(List<T> back) {
        pushFront(items, back);
    }

    /**
     * Describes the mailbox and lists its items in receive order (a snapshot), as
     * {@code AbstractCollection.toString} does.
     *
     * @return for example {@code Mailbox[2 items] [a, b]}
     */
    @Override
    public String toString() {
        Object[] items = snapshot();
        return "Mailbox[" + items.length + " items" + (hasQueuedWaiters() ? ", waiters" : "") + "] " + listing(items);
    }
}
