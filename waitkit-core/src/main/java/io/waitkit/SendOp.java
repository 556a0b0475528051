package io.waitkit;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;

/**
 * A send of one item to a bounded {@link Channel} or {@link PriorityChannel}, as one object of
 * {@link Wait#any}: the item is in the channel (or in a receiver's hands, for capacity 0)
 * exactly when the wait reports this operation's index.
 *
 * @param <T> the item type
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class SendOp<T> extends WaitOperation implements Waitable {
    private final ItemContainer<T> to;
    private final T item;

    SendOp(ItemContainer<T> to, T item) {
        this.to = to;
        this.item = item;
    }

    /** {@inheritDoc} */
    @Override
    protected WaitObject target() {
        return to;
    }

    /**
     * Returns the item this operation sends.
     *
     * @return the item
     */
    public T item() {
        return item;
    }
}
