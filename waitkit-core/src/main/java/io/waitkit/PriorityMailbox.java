package io.waitkit;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An unbounded priority mailbox, as the ao kernel's {@code pmail}: a receive takes the
 * <b>least</b> item by the comparator (the most urgent); items that compare equal come out in
 * the order they were posted (ao case T27). A post never blocks and hands the item directly to
 * a waiting receiver. In {@link Wait#any}, wait on {@link #receiveOp()}.
 *
 * <p>A priority mailbox is an unbounded {@link java.util.concurrent.BlockingQueue} with the
 * mapping of {@link Mailbox}; its iterators, {@code toArray} and {@code toString} list the
 * items in the order they would be received (least first).
 *
 * <p>Memory visibility: actions before a post happen-before the actions after the receive that
 * took its item.
 *
 * <pre>{@code
 * PriorityMailbox<Alarm> alarms = new PriorityMailbox<>(Comparator.comparingInt(Alarm::severity).reversed());
 * alarms.post(alarm);
 * Alarm worst = alarms.receive();
 * }</pre>
 *
 * @param <T> the item type
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class PriorityMailbox<T> extends UnboundedContainer<T> {
    private final PriorityChannel.PriorityBuffer<T> items;

    /**
     * Creates an empty priority mailbox.
     *
     * @param comparator orders items: the least is received first
     * @throws NullPointerException if {@code comparator} is null
     */
    public PriorityMailbox(Comparator<? super T> comparator) {
        this.items = new PriorityChannel.PriorityBuffer<>(Objects.requireNonNull(comparator, "comparator"));
    }

    @Override
    int count() {
        return items.size();
    }

    @Override
    void push(T item) {
        items.add(item);
    }

    @Override
    T pop() {
        return items.poll();
    }

    // ---- BlockingQueue view

    @Override
    T first() {
        return items.first();
    }

    @Override
    Object[] copyBuffer() {
        return items.copy();
    }

    @Override
    Object[] inReceiveOrder(Object[] copy) {
        return items.inReceiveOrder(copy);
    }

    @Override
    boolean removeSame(Object item, int skip) {
        return items.removeSame(item, skip);
    }

    @Override
    void pushFront(List<T> back) {
        items.pushFront(back);
    }

    /**
     * Describes the mailbox and lists its items in receive order (a snapshot), as
     * {@code AbstractCollection.toString} does.
     *
     * @return for example {@code PriorityMailbox[2 items] [a, b]}
     */
    @Override
    public String toString() {
        Object[] items = snapshot();
        return "PriorityMailbox[" + items.length + " items" + (hasQueuedWaiters() ? ", waiters" : "") + "] " + listing(items);
    }
}
