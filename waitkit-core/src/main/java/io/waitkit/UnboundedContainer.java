package io.waitkit;

/**
 * The post side of the unbounded containers ({@link Mailbox}, {@link PriorityMailbox}): a post
 * never blocks.
 *
 * @param <T> the item type
 */
abstract class UnboundedContainer<T> extends ItemContainer<T> {
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
}
