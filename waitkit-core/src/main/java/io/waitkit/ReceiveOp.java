package io.waitkit;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;

/**
 * A receive from a {@link Mailbox}, {@link PriorityMailbox}, {@link Channel} or
 * {@link PriorityChannel}, as one object of {@link Wait#any}: when the wait reports this
 * operation's index, {@link #item()} holds the item it took. Nothing is taken unless the wait
 * reports this index.
 *
 * <pre>{@code
 * ReceiveOp<Job> fromHigh = high.receiveOp(), fromLow = low.receiveOp();
 * switch (Wait.any(Duration.ofSeconds(1), stop, fromHigh, fromLow)) {
 *     case 1 -> run(fromHigh.item());
 *     case 2 -> run(fromLow.item());
 *     default -> { }
 * }
 * }</pre>
 *
 * <p>An operation may be reused for later waits (the item is replaced), but not used by two
 * waits at once.
 *
 * @param <T> the item type
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class ReceiveOp<T> extends WaitOperation implements Waitable {
    private final ItemContainer<T> from;
    private volatile T item;

    ReceiveOp(ItemContainer<T> from) {
        this.from = from;
    }

    /** {@inheritDoc} */
    @Override
    protected WaitObject target() {
        return from;
    }

    /** {@inheritDoc} */
    @Override
    protected Object result() {
        return item;
    }

    void deliver(T item) {
        this.item = item;
    }

    /**
     * Returns the item taken by the last wait that reported this operation.
     *
     * @return the item, or {@code null} if no wait on this operation completed yet
     */
    public T item() {
        return item;
    }
}
