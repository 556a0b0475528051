package io.waitkit;

import java.util.ArrayDeque;

/**
 * An unbounded FIFO mailbox, as the ao kernel's {@code mail}: {@link #post(Object)} never
 * blocks; a receive takes the oldest item or waits for one.
 *
 * <p>A post that finds receivers waiting hands the item to the first of them before it returns
 * (the mailbox stays empty; ao case T26). In {@link Wait#any}, wait on {@link #receiveOp()}.
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

    /**
     * Describes the mailbox.
     *
     * @return for example {@code Mailbox[3 items]}
     */
    @Override
    public String toString() {
        return "Mailbox[" + size() + " items" + (hasQueuedWaiters() ? ", waiters" : "") + "]";
    }
}
