package io.waitkit;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
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
 * <p>A priority channel is a {@link java.util.concurrent.BlockingQueue} with the mapping of
 * {@link Channel} (and, with capacity 0, a {@link java.util.concurrent.SynchronousQueue}'s
 * behaviour); its iterators, {@code toArray} and {@code toString} list the items in the order
 * they would be received (least first), unlike {@link java.util.PriorityQueue}'s.
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
public final class PriorityChannel<T> extends BoundedQueue<T> {
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

        // ---- BlockingQueue view (lock held, except inReceiveOrder)

        /** Seq numbers below every other, for items put back ahead of the rest. */
        private long headSeq;

        T first() {
            Entry<T> e = queue.peek();
            return e == null ? null : e.item();
        }

        Object[] copy() {
            return queue.toArray();
        }

        /** Sorts a {@link #copy()} by the buffer's order and returns its items (lock not held). */
        @SuppressWarnings("unchecked")
        Object[] inReceiveOrder(Object[] copy) {
            Comparator<? super Entry<T>> order = queue.comparator();
            Arrays.sort(copy, (a, b) -> order.compare((Entry<T>) a, (Entry<T>) b));
            for (int i = 0; i < copy.length; i++) {
                copy[i] = ((Entry<T>) copy[i]).item();
            }
            return copy;
        }

        /** Removes by identity the occurrence of {@code item} after {@code skip} others (by seq), or the last. */
        boolean removeSame(Object item, int skip) {
            long[] seqs = new long[0];
            int n = 0;
            for (Entry<T> e : queue) {
                if (e.item() == item) {
                    if (n == seqs.length) {
                        seqs = Arrays.copyOf(seqs, Math.max(4, n * 2));
                    }
                    seqs[n++] = e.seq();
                }
            }
            if (n == 0) {
                return false;
            }
            Arrays.sort(seqs, 0, n);
            long target = seqs[Math.min(skip, n - 1)];
            for (Iterator<Entry<T>> it = queue.iterator(); it.hasNext(); ) {
                Entry<T> e = it.next();
                if (e.item() == item && e.seq() == target) {
                    it.remove();
                    return true;
                }
            }
            throw new AssertionError("an occurrence counted but not found");
        }

        void pushFront(List<T> items) {
            for (int i = items.size() - 1; i >= 0; i--) {
                queue.add(new Entry<>(items.get(i), --headSeq));
            }
        }
    }

    // ---- BlockingQueue view

    @Override
    T first() {
        return heap.first();
    }

    @Override
    Object[] copyBuffer() {
        return heap.copy();
    }

    @Override
    Object[] inReceiveOrder(Object[] copy) {
        return heap.inReceiveOrder(copy);
    }

    @Override
    boolean removeSame(Object item, int skip) {
        return heap.removeSame(item, skip);
    }

    @Override
    void pushFront(List<T> back) {
        heap.pushFront(back);
    }

    /**
     * Describes the channel and lists its items in receive order (a snapshot), as
     * {@code AbstractCollection.toString} does.
     *
     * @return for example {@code PriorityChannel[2/64] [a, b]}
     */
    @Override
    public String toString() {
        Object[] items = snapshot();
        return "PriorityChannel[" + items.length + "/" + capacity + (hasQueuedWaiters() ? ", waiters" : "") + "] " + listing(items);
    }
}
