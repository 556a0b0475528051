package io.waitkit.bench;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded-FIFO operations B5 measures, so that the waitkit side and the j.u.c. peers run
 * the very same benchmark code. A benchmark first tries the non-blocking form and falls back
 * to the timed blocking form only when the queue is full (or empty); the timeout merely lets a
 * benchmark thread notice the end of an iteration.
 *
 * <p>To measure {@code io.waitkit.Channel} once it exists, add an implementation here and a
 * name to {@link #create}; nothing else changes.
 *
 * @param <T> the element type
 */
interface BenchQueue<T> {
    /** Capacity of the bounded implementations. */
    int CAPACITY = 1024;

    /** How long the blocking forms wait before giving the caller a chance to stop. */
    Duration WAIT = Duration.ofMillis(10);

    /** Inserts without blocking; false if full. */
    boolean offer(T x);

    /** Inserts, waiting at most {@link #WAIT} for room; false on timeout. */
    boolean offerWaiting(T x) throws InterruptedException;

    /** Removes without blocking; null if empty. */
    T poll();

    /** Removes, waiting at most {@link #WAIT} for an element; null on timeout. */
    T pollWaiting() throws InterruptedException;

    /** The implementations by name, as B5's {@code impl} parameter spells them. */
    static BenchQueue<Object> create(String name) {
        return switch (name) {
            case "waitkit" -> new SemaphoreRing<>(CAPACITY);
            case "ArrayBlockingQueue" -> new Juc<>(new ArrayBlockingQueue<>(CAPACITY));
            case "LinkedTransferQueue" -> new Juc<>(new LinkedTransferQueue<>());
            default -> throw new IllegalArgumentException("unknown queue: " + name);
        };
    }

    /** A {@link java.util.concurrent.BlockingQueue} peer, used through its own methods. */
    record Juc<T>(java.util.concurrent.BlockingQueue<T> queue) implements BenchQueue<T> {
        @Override
        public boolean offer(T x) {
            return queue.offer(x);
        }

        @Override
        public boolean offerWaiting(T x) throws InterruptedException {
            return queue.offer(x, WAIT.toNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public T poll() {
            return queue.poll();
        }

        @Override
        public T pollWaiting() throws InterruptedException {
            return queue.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
