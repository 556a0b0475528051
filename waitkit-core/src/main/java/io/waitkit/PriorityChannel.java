package io.waitkit;

import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A bounded priority channel, as the ao kernel's {@code queue4ptr}/{@code queue4obj}: a heap of
 * at most {@code capacity} items from which a receive takes the <b>least</b> item by the
 * comparator (ao's "less first"); items that compare equal come out in the order they were
 * sent.
 *
 * <p>Senders block while it is full. When a receive makes room, the first waiting sender's item
 * enters the heap before the receive returns (ao case T28). Capacity 0 makes it a synchronous
 * hand-off, as for {@link Channel}. In {@link Wait#any}, wait on {@link #receiveOp()} or
 * {@link #sendOp(Object)}.
 *
 * <p>Memory visibility: actions before a send happen-before the actions after the receive
 * that took its item.
 *
 * <pre>{@code
 * PriorityChannel<Task> tasks = new PriorityChannel<>(100, Comparator.comparingInt(Task::deadline));
 * tasks.send(task);
 * Task next = tasks.receive();      // the earliest deadline first
 * }</pre>
 *
 * @param <T> the item type
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class PriorityChannel<T> extends BoundedContainer<T> {
    private final PriorityBuffer<T> heap;

    /**
     * Creates a priority channel.
     *
     * @param capacity the number of items it holds; 0 for a synchronous hand-off
     * @param comparator orders items: the least is received first
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws NullPointerException if {@code comparator} is null
     */
    public PriorityChannel(int capacity, Comparator<? super T> comparator) {
        super(capacity);
        this.heap = new PriorityBuffer<>(Objects.requireNonNull(comparator, "comparator"));
    }

    @Override
    int count() {
        return heap.size();
    }

    @Override
    void push(T item) {
        heap.add(item);
    }

    @Override
    T pop() {
        return heap.poll();
    }

    @Override
    T evict() {
        throw new UnsupportedOperationException();
    }

    /**
     * Describes the channel.
     *
     * @return for example {@code PriorityChannel[3/64]}
     */
    @Override
    public String toString() {
        return "PriorityChannel[" + size() + "/" + capacity + (hasQueuedWaiters() ? ", waiters" : "") + "]";
    }

    /** A heap ordered by a comparator, FIFO among equal items (by a sequence number). */
    static final class PriorityBuffer<T> {
        private record Entry<T>(T item, long seq) {
        }

        private final PriorityQueue<Entry<T>> queue;
        private long seq;

        PriorityBuffer(Comparator<? super T> comparator) {
            Comparator<Entry<T>> byItem = (a, b) -> comparator.compare(a.item(), b.item());
            this.queue = new PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
        }

        int size() {
            return queue.size();
        }

        void add(T item) {
            queue.add(new Entry<>(item, seq++));
        }

        T poll() {
            Entry<T> e = queue.poll();
            return e == null ? null : e.item();
        }
    }
}
