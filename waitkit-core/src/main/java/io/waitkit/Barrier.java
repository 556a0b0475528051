package io.waitkit;

import io.waitkit.internal.Pairing;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cyclic barrier, as the ao kernel's {@code barrier}: {@link #parties()} threads meet, and
 * the arrival that completes the group releases every waiting member at once; the barrier is
 * then empty again and ready for the next round.
 *
 * <p>A wait that times out, is interrupted or cancelled <b>takes its arrival back</b>: the
 * barrier again needs one more arrival (ao case T17). {@link #tryAwait()} succeeds only for the
 * arrival that completes the group; otherwise it leaves the count unchanged.
 *
 * <p>A round is all or nothing: the completing arrival claims the waits of the other members
 * together with its own, as one step, before any of them is released. A wait that ended
 * meanwhile (timed out, interrupted, cancelled, or, in {@link Wait#any}, won through another
 * object) is therefore never counted in a round: either it passes with its round, or the
 * round is not complete without it. In {@link Wait#any}, waiting on a barrier is an arrival,
 * taken back when another object of the same wait is acquired first. A barrier cannot take
 * part in {@link Wait#all}.
 *
 * <p>Memory visibility: actions of every member before its arrival happen-before the actions
 * of every member after the barrier released it.
 *
 * <pre>{@code
 * Barrier round = new Barrier(workers);
 * // each worker:  for (;;) { computeSlice(); round.await(); }
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Barrier extends WaitObject implements Waitable {
    /** A round: any arrival with {@code parties - 1} queued ones. */
    private static final Pairing<Barrier> ROUND = new Pairing<>() {
        @Override
        protected int partnersNeeded(Barrier b, WaitOperation op) {
            return b.parties - 1;
        }

        @Override
        protected long paired(Barrier b, long value, Thread ownerA, WaitOperation opA, Thread ownerB, WaitOperation opB,
                boolean aWasQueued) {
            b.arrived -= aWasQueued ? 2 : 1; // the queued members of the round leave the queue
            return value;
        }
    };

    private final int parties;

    /** Arrivals queued now, members waiting for their round to complete (guarded by the object lock). */
    private int arrived;

    /**
     * Creates a barrier.
     *
     * @param parties the number of arrivals that complete a group
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public Barrier(int parties) {
        super(0L);
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be at least 1: " + parties);
        }
        this.parties = parties;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return parties == 1 ? value : NEEDS_PARTNER; // a round: this arrival and parties - 1 queued ones
    }

    /**
     * {@inheritDoc} A round, for every barrier: a barrier of one party never pairs, yet it
     * stays out of wait-alls like any other.
     */
    @Override
    protected Pairing<Barrier> pairing() {
        return ROUND;
    }

    /** {@inheritDoc} */
    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        arrived++;
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        arrived--; // the arrival is taken back
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        // a round can form among queued arrivals only when members skipped while claimed
        // elsewhere became waiting again (a tentative claim undone)
        return arrived >= parties;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return parties == 1 ? POLL_ACQUIRED : POLL_CONTENDED; // every other arrival needs the lock
    }

    /**
     * Arrives and waits until the group is complete.
     *
     * @throws InterruptedException if interrupted before the group completed; the arrival is
     *         taken back
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void await() throws InterruptedException {
        Blocking.await(this, 1, null);
    }

    /**
     * Arrives and waits at most {@code timeout} for the group to complete.
     *
     * @param timeout the longest time to wait; zero or negative behaves as {@link #tryAwait()}
     * @return true if the group completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted before the group completed; the arrival is
     *         taken back
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Arrives and waits at most the given time for the group to complete, as
     * {@link #await(Duration)}. Unlike {@link java.util.concurrent.CyclicBarrier#await(long,
     * TimeUnit)} a timeout neither throws nor breaks the barrier: the arrival is taken back and
     * the other members keep waiting. A zero or negative time behaves as {@link #tryAwait()}; a
     * time too large for nanoseconds waits without a limit.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if the group completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted before the group completed; the arrival is
     *         taken back
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return Blocking.awaitNanos(this, 1, null, Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED;
    }

    /**
     * Arrives and waits until the group completes or {@code deadline} passes.
     *
     * @param deadline when to give up
     * @return true if the group completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted before the group completed; the arrival is
     *         taken back
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        return Blocking.await(this, 1, null, deadline) == WaitEngine.ACQUIRED;
    }

    /**
     * Arrives only if this arrival completes the group (releasing the waiting members);
     * otherwise changes nothing. Never blocks.
     *
     * @return true if this arrival completed the group
     */
    public boolean tryAwait() {
        return Blocking.poll(this, 1, null) == WaitEngine.ACQUIRED;
    }

    /**
     * Arrives and returns a future that completes (with {@code null}) when the group is
     * complete. Cancelling it before then takes the arrival back.
     *
     * @return the future of the wait
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Returns the group size.
     *
     * @return the number of arrivals that complete a group
     */
    public int parties() {
        return parties;
    }

    /**
     * Returns the number of arrivals queued now (a snapshot): the members waiting for their
     * round and, transiently, arrivals whose waits are ending (timed out, interrupted,
     * cancelled, won through another object) and that are about to be taken back, which a
     * round does not count; so it may briefly reach {@link #parties()}. It is 0 while no wait
     * on the barrier is in progress.
     *
     * @return arrivals queued now
     */
    public int waiting() {
        long v = lockState();
        int n = arrived;
        unlockState(v);
        return n;
    }

    /**
     * Describes the barrier.
     *
     * @return for example {@code Barrier[2/3 arrived, waiters=2]}; never blocks
     */
    @Override
    public String toString() {
        return "Barrier[" + waiting() + "/" + parties + " arrived, waiters=" + queuedCount() + "]";
    }
}
