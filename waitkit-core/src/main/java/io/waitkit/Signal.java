package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A stateless notification, as the ao kernel's {@code signal}: {@link #signal()} releases the
 * first waiter, {@link #signalAll()} every current waiter, and a signal with nobody waiting is
 * lost (no memory, unlike an {@link Event}). A wait therefore always blocks until the next
 * signal; there is no {@code tryAwait}, and a poll in {@link Wait#any} never finds it
 * available.
 *
 * <p>Waiters are released in FIFO order; in a wait-all, a signal completes waiters whose other
 * objects are available at that moment (as a pulsed event would).
 *
 * <p>Memory visibility: actions before {@code signal} or {@code signalAll} happen-before the
 * actions after a wait that it released.
 *
 * <pre>{@code
 * Signal tick = new Signal();
 * // workers:      while (running) { tick.await(); doRound(); }
 * // coordinator:  tick.signalAll();    // wakes the workers waiting right now; later ones wait
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Signal extends WaitObject implements Waitable {
    private static final long ONE = 1L;
    private static final long ALL = 2L;

    /** Waiters released by the signal in progress (guarded by the object lock). */
    private int released;

    /** Creates a signal. */
    public Signal() {
        super(0L);
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if ((value & ALL) != 0) {
            return value;
        }
        return (value & ONE) != 0 ? value & ~ONE : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        released++;
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return value != 0;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_FAILED; // a signal is never pending
    }

    /**
     * Releases the first waiter, if any. Never blocks.
     *
     * @return the number of waiters released (0 or 1); with none waiting the signal is lost
     */
    public int signal() {
        return pulse(ONE);
    }

    /**
     * Releases every waiter waiting now. Never blocks.
     *
     * @return the number of waiters released
     */
    public int signalAll() {
        return pulse(ALL);
    }

    private int pulse(long mode) {
        if (!hasQueuedWaiters()) {
            return 0;
        }
        long v = lockForSignal();
        released = 0;
        v = wake(v | mode);
        int n = released;
        unlockAfterSignal(v & ~(ONE | ALL));
        return n;
    }

    /**
     * Waits for the next signal.
     *
     * @throws InterruptedException if interrupted before a signal released it
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void await() throws InterruptedException {
        Blocking.await(this, 1, null);
    }

    /**
     * Waits for the next signal, ignoring interrupts (re-asserted on return).
     *
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void awaitUninterruptibly() {
        Blocking.awaitUninterruptibly(this, 1, null);
    }

    /**
     * Waits at most {@code timeout} for the next signal.
     *
     * @param timeout the longest time to wait; zero or negative returns false at once
     * @return true if a signal released the caller, false on timeout
     * @throws InterruptedException if interrupted before a signal released it
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits at most the given time for the next signal, as {@link #await(Duration)} (and as
     * {@link java.util.concurrent.locks.Condition#await(long, TimeUnit)}, without a lock). A
     * zero or negative time returns false at once; a time too large for nanoseconds waits
     * without a limit.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if a signal released the caller, false on timeout
     * @throws InterruptedException if interrupted before a signal released it
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return Blocking.awaitNanos(this, 1, null, Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits for the next signal unless {@code deadline} passes first.
     *
     * @param deadline when to give up
     * @return true if a signal released the caller, false on timeout
     * @throws InterruptedException if interrupted before a signal released it
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        return Blocking.await(this, 1, null, deadline) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits asynchronously for the next signal; the future completes with {@code null} when a
     * signal releases it.
     *
     * @return the future of the wait
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Returns whether threads are waiting (a snapshot).
     *
     * @return true if a signal would release someone now
     */
    public boolean hasWaiters() {
        return hasQueuedWaiters();
    }

    /**
     * Describes the signal.
     *
     * @return for example {@code Signal[waiters=2]}; never blocks
     */
    @Override
    public String toString() {
        return "Signal[waiters=" + queuedCount() + "]";
    }
}
