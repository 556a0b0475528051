package io.waitkit.bench;

import io.waitkit.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * B5's stand-in for {@code io.waitkit.Channel} (not built yet): a bounded multi-producer,
 * multi-consumer FIFO whose blocking is done entirely by the wait engine.
 *
 * <p>Two waitkit {@link Semaphore}s count the free slots and the filled slots; all blocking,
 * timeouts and hand-off happen in them. The elements sit in a power-of-two ring of
 * {@link #capacity} slots, each with a sequence number (the classic bounded MPMC ring): a
 * producer holding a free-slot permit takes a ticket {@code t} from {@link #tail}, waits until
 * slot {@code t mod capacity} shows sequence {@code t} (the consumer of ticket
 * {@code t - capacity} has finished with it), stores the element and publishes sequence
 * {@code t + 1}; a consumer holding a filled-slot permit takes a ticket {@code h} from
 * {@link #head}, waits for sequence {@code h + 1}, takes the element and publishes
 * {@code h + capacity}. Because a ticket is taken only after a permit, those waits last only as
 * long as the other party needs to finish the one slot it is copying (a few instructions, or a
 * preemption: the wait spins, then yields).
 *
 * @param <T> the element type
 */
final class SemaphoreRing<T> implements BenchQueue<T> {
    private final int capacity;
    private final int mask;
    private final Object[] elements;
    private final AtomicLongArray sequences;
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong head = new AtomicLong();
    private final Semaphore free;
    private final Semaphore filled;

    SemaphoreRing(int capacity) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.elements = new Object[capacity];
        this.sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
        this.free = new Semaphore(capacity, capacity);
        this.filled = new Semaphore(0, capacity);
    }

    int capacity() {
        return capacity;
    }

    /** Inserts, blocking while full. */
    void put(T x) throws InterruptedException {
        free.acquire();
        insert(x);
    }

    /** Removes, blocking while empty. */
    T take() throws InterruptedException {
        filled.acquire();
        return extract();
    }

    @Override
    public boolean offer(T x) {
        if (!free.tryAcquire()) {
            return false;
        }
        insert(x);
        return true;
    }

    @Override
    public boolean offerWaiting(T x) throws InterruptedException {
        if (!free.tryAcquire(WAIT)) {
            return false;
        }
        insert(x);
        return true;
    }

    @Override
    public T poll() {
        return filled.tryAcquire() ? extract() : null;
    }

    @Override
    public T pollWaiting() throws InterruptedException {
        return filled.tryAcquire(WAIT) ? extract() : null;
    }

    /** The number of filled slots (a snapshot). */
    int size() {
        return filled.availablePermits();
    }

    private void insert(T x) {
        long t = tail.getAndIncrement();
        int i = (int) t & mask;
        for (int round = 0; sequences.get(i) != t; ) {
            round = pause(round);
        }
        elements[i] = x;
        sequences.set(i, t + 1); // publishes the element
        filled.release();
    }

    @SuppressWarnings("unchecked")
    private T extract() {
        long h = head.getAndIncrement();
        int i = (int) h & mask;
        for (int round = 0; sequences.get(i) != h + 1; ) {
            round = pause(round);
        }
        T x = (T) elements[i];
        elements[i] = null;
        sequences.set(i, h + capacity); // frees the slot for ticket h + capacity
        free.release();
        return x;
    }

    private static int pause(int round) {
        if (round < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return round + 1;
    }
}
