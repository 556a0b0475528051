package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A 64-bit number that threads wait on with predicates of their own, as the ao kernel's
 * {@code num}: each waiter supplies a {@link ChangeMatch} on {@code (old, new)} and is released
 * by the first update that satisfies it. The value is not consumed: one update may release
 * many waiters, each with the update's old and new value.
 *
 * <p>Updates ({@link #set}, {@link #add}, {@link #increment}, the bitwise operations,
 * {@link #update(java.util.function.LongUnaryOperator)} …) are atomic; every update, even one
 * that leaves the value unchanged, tests every waiter in FIFO order. A waiter whose predicate
 * already holds for {@code (v, v)} succeeds at once. Arithmetic wraps, as in ao.
 *
 * <p>In {@link Wait#any}, wait on {@link #when(ChangeMatch)}.
 *
 * <p>Memory visibility: actions before an update happen-before the actions after a wait that
 * the update released.
 *
 * <pre>{@code
 * Counter done = new Counter(0);
 * // workers: done.increment();
 * Change c = done.await(ChangeMatch.atLeast(total), Duration.ofMinutes(1));
 * if (c == null) throw new TimeoutException();
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Counter extends NumberObject {
    /**
     * Creates a counter.
     *
     * @param initial the initial value
     */
    public Counter(long initial) {
        super(initial);
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        ChangeMatch m = ((Watch) op).match;
        boolean ok = inUpdate ? m.matches(lastOld, lastNew) : m.matches(number, number);
        return ok ? value : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        ((Watch) op).change = inUpdate ? new Change(lastOld, lastNew) : new Change(number, number);
        return value;
    }

    /**
     * Returns an operation for {@link Wait#any}: completes when an update satisfies
     * {@code match}; {@link Watch#change()} then tells which.
     *
     * @param match the predicate
     * @return a new operation, for one wait at a time
     * @throws NullPointerException if {@code match} is null
     */
    public Watch when(ChangeMatch match) {
        return new Watch(match);
    }

    /**
     * Waits until an update satisfies {@code match} (or it holds now).
     *
     * @param match the predicate on {@code (old, new)}
     * @return the update that released the caller
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if {@code match} is null
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public Change await(ChangeMatch match) throws InterruptedException {
        Watch w = new Watch(match);
        Blocking.await(this, 1, w);
        return w.change;
    }

    /**
     * Waits at most {@code timeout} until an update satisfies {@code match}.
     *
     * @param match the predicate on {@code (old, new)}
     * @param timeout the longest time to wait; zero or negative tests the current value only
     * @return the update that released the caller, or {@code null} on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public Change await(ChangeMatch match, Duration timeout) throws InterruptedException {
        Watch w = new Watch(match);
        return Blocking.await(this, 1, w, timeout) == WaitEngine.ACQUIRED ? w.change : null;
    }

    /**
     * Waits until an update satisfies {@code match} or {@code deadline} passes.
     *
     * @param match the predicate on {@code (old, new)}
     * @param deadline when to give up
     * @return the update that released the caller, or {@code null} on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public Change await(ChangeMatch match, Deadline deadline) throws InterruptedException {
        Watch w = new Watch(match);
        return Blocking.await(this, 1, w, deadline) == WaitEngine.ACQUIRED ? w.change : null;
    }

    /**
     * Waits asynchronously until an update satisfies {@code match}.
     *
     * @param match the predicate on {@code (old, new)}
     * @return a future completed with the releasing update
     * @throws NullPointerException if {@code match} is null
     */
    public CompletableFuture<Change> awaitAsync(ChangeMatch match) {
        return WaitEngine.acquireAsync(this, 1, new Watch(match));
    }

    /**
     * Describes the counter.
     *
     * @return for example {@code Counter[value=3, waiters=1]}; never blocks
     */
    @Override
    public String toString() {
        return "Counter[value=" + get() + ", waiters=" + queuedCount() + "]";
    }

    /** A wait for an update that satisfies a predicate: a {@link Waitable} operation. */
    public final class Watch extends WaitOperation implements Waitable {
        private final ChangeMatch match;
        private volatile Change change;

        private Watch(ChangeMatch match) {
            this.match = Objects.requireNonNull(match, "match");
        }

        /** {@inheritDoc} */
        @Override
        protected WaitObject target() {
            return Counter.this;
        }

        /** {@inheritDoc} */
        @Override
        protected Object result() {
            return change;
        }

        /**
         * Returns the update that completed the last wait on this operation.
         *
         * @return the change, or {@code null} if no wait on it has completed
         */
        public Change change() {
            return change;
        }
    }
}
