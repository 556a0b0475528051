package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;

/**
 * A 64-bit number with one shared predicate and an optional reaction, as the ao kernel's
 * {@code threshold}: an update that satisfies the predicate releases <b>every</b> waiter, then
 * the value is replaced by {@code adjust(new)}. The adjustment runs on every matching update,
 * even when nobody waits.
 *
 * <p>With {@code match = atLeast(k)} and {@code adjust = v -> 0} it is a batch release: every
 * k-th increment releases the waiting group and starts counting again (ao cases T24, T25). A
 * waiter that arrives while the predicate already holds for {@code (v, v)} succeeds at once and
 * the adjustment is applied.
 *
 * <p>Updates are those of {@link Counter}; arithmetic wraps. In {@link Wait#any} and
 * {@link Wait#all} a threshold is available when its predicate holds for the current value.
 *
 * <p>Memory visibility: actions before an update happen-before the actions after a wait that
 * the update released.
 *
 * <pre>{@code
 * Threshold batch = new Threshold(0, ChangeMatch.atLeast(100), v -> 0);
 * // producers: batch.increment();
 * // flusher:   for (;;) { batch.await(); flush(); }
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Threshold extends NumberObject implements Waitable {
    private final ChangeMatch match;
    private final LongUnaryOperator adjust;
    /** Whether the update being served matched (guarded by the object lock). */
    private boolean matched;
    private Change lastChange;

    /**
     * Creates a threshold.
     *
     * @param initial the initial value
     * @param match the predicate on {@code (old, new)}
     * @param adjust the reaction applied to the value after a match, or {@code null} for none
     * @throws NullPointerException if {@code match} is null
     */
    public Threshold(long initial, ChangeMatch match, LongUnaryOperator adjust) {
        super(initial);
        this.match = Objects.requireNonNull(match, "match");
        this.adjust = adjust;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (inUpdate) {
            return matched ? value : UNAVAILABLE;
        }
        return match.matches(number, number) ? value : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        Change change = inUpdate ? lastChange : new Change(number, number);
        if (op instanceof Holder h) {
            h.change = change;
        }
        if (!inUpdate && adjust != null) {
            number = adjust.applyAsLong(number); // an immediate success adjusts too (ao)
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return !inUpdate || matched;
    }

    @Override
    long afterUpdate(long oldValue, long newValue) {
        return matched && adjust != null ? adjust.applyAsLong(newValue) : newValue;
    }

    @Override
    void beforeServing(long oldValue, long newValue) {
        matched = match.matches(oldValue, newValue);
        lastChange = matched ? new Change(oldValue, newValue) : null;
    }

    /**
     * Waits until an update matches (or the predicate holds now, which applies the adjustment).
     *
     * @return the update that released the caller
     * @throws InterruptedException if interrupted first
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public Change await() throws InterruptedException {
        Holder h = new Holder();
        Blocking.await(this, 1, h);
        return h.change;
    }

    /**
     * Waits at most {@code timeout} until an update matches.
     *
     * @param timeout the longest time to wait; zero or negative tests the current value only
     * @return the update that released the caller, or {@code null} on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public Change await(Duration timeout) throws InterruptedException {
        Holder h = new Holder();
        return Blocking.await(this, 1, h, timeout) == WaitEngine.ACQUIRED ? h.change : null;
    }

    /**
     * Waits until an update matches or {@code deadline} passes.
     *
     * @param deadline when to give up
     * @return the update that released the caller, or {@code null} on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public Change await(Deadline deadline) throws InterruptedException {
        Holder h = new Holder();
        return Blocking.await(this, 1, h, deadline) == WaitEngine.ACQUIRED ? h.change : null;
    }

    /**
     * Tests the predicate on the current value without waiting (applying the adjustment on
     * success).
     *
     * @return true if it held
     */
    public boolean tryAwait() {
        return Blocking.poll(this, 1, null) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits asynchronously; the future completes (with {@code null}) when an update matches.
     *
     * @return the future of the wait
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Describes the threshold.
     *
     * @return for example {@code Threshold[value=7, waiters=1]}; never blocks
     */
    @Override
    public String toString() {
        return "Threshold[value=" + get() + ", waiters=" + queuedCount() + "]";
    }

    /** Receives the releasing change of a direct wait (engine payload; not a public operation). */
    private final class Holder extends WaitOperation {
        volatile Change change;

        @Override
        protected WaitObject target() {
            return Threshold.this;
        }
    }
}
