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
 * <p>The waitkit side is {@code io.waitkit.Channel} (capacity 1024), used through its own
 * {@code trySend}/{@code send(item, timeout)}/{@code tryReceive}/{@code receive(timeout)}.
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
            case "waitkit" -> new WaitkitChannel<>(new io.waitkit.Channel<>(CAPACITY));
            case "ArrayBlockingQueue" -> new Juc<>(new ArrayBlockingQueue<>(CAPACITY));
            case "LinkedTransferQueue" -> new Juc<>(new LinkedTransferQueue<>());
            default -> throw new IllegalArgumentException("unknown queue: " + name);
        };
    }

    /** The waitkit {@link io.waitkit.Channel}, used through its own methods. */
    record WaitkitChannel<T>(io.waitkit.Channel<T> channel) implements BenchQueue<T> {
        @Override
        public boolean offer(T x) {
            return channel.trySend(x);
        }

        @Override
        public boolean offerWaiting(T x) throws InterruptedException {
            return channel.send(x, WAIT);
        }

        @Override
        public T poll() {
            return channel.tryReceive();
        }

        @Override
        public T pollWaiting() throws InterruptedException {
            return channel.receive(WAIT);
        }
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
