package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A cyclic barrier, as the ao kernel's {@code barrier}: {@link #parties()} threads meet, and
 * the arrival that completes the group releases every waiting member at once; the barrier is
 * then empty again and ready for the next round.
 *
 * <p>A wait that times out, is interrupted or cancelled <b>takes its arrival back</b>: the
 * barrier again needs one more arrival (ao case T17). {@link #tryAwait()} succeeds only for the
 * arrival that completes the group; otherwise it leaves the count unchanged.
 *
 * <p>In {@link Wait#any}, waiting on a barrier is an arrival; if another object of the same
 * wait is acquired first, the arrival is taken back when the wait withdraws, unless the group
 * completed in between (the arrival then counted, and the barrier was passed without this
 * thread). A barrier cannot take part in {@link Wait#all}.
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
    private final int parties;

    // Guarded by the object lock.
    /** Arrivals queued now (members waiting for the group to complete). */
    private int arrived;
    /** Members still to be released by the completing arrival, during its hand-off pass. */
    private int releasing;
    private boolean tripped;

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
    protected long acquireFor(long value, Thread owner, long arg, Object op) {
        if (releasing > 0) {
            return value; // a queued member released by the group's last arrival
        }
        return arrived + 1 >= parties ? value : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, Object op, boolean wasQueued) {
        if (wasQueued) {
            releasing--;
        } else {
            releasing = arrived; // this arrival completes the group
            arrived = 0;
            tripped = true;
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long enqueued(long value, Thread owner, long arg, Object op) {
        arrived++;
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long withdrawn(long value, long arg, Object op) {
        if (releasing > 0) {
            // unlinked by the release pass of the group it belonged to (its waiter was claimed
            // elsewhere or cancelled before it could withdraw): the arrival counted for that
            // group, so there is nothing to take back
            releasing--;
        } else {
            arrived--; // the arrival is taken back
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean rescanAfter(Object op) {
        boolean t = tripped;
        tripped = false;
        return t;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return releasing > 0;
    }

    /** {@inheritDoc} */
    @Override
    protected long afterWake(long value) {
        releasing = 0; // members that left meanwhile were counted in the group; nobody else passes
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean supportsWaitAll(Object op) {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, Object op) {
        return CONTENDED; // every arrival needs the lock
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
     * Returns the number of members waiting now (a snapshot).
     *
     * @return arrivals of the current round
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
     * @return for example {@code Barrier[2/3 waiting]}
     */
    @Override
    public String toString() {
        return "Barrier[" + waiting() + "/" + parties + " waiting]";
    }
}
