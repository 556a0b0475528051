package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A binary semaphore, as the ao kernel's {@code bsem}: available or taken, without an owner.
 *
 * <p>{@link #give()} on a taken semaphore hands it to the first waiter (FIFO), which then holds
 * it, or makes it available when nobody waits. Giving an available semaphore does nothing:
 * gives do not accumulate (unlike a {@link Semaphore} with maximum 1, which refuses the
 * over-release). Any thread may give. In {@link Wait#any} and {@link Wait#all} it is available
 * while not taken; the acquisition takes it.
 *
 * <p>Uncontended take and give are one CAS. Memory visibility: actions before a
 * {@code give} happen-before the actions after the {@code take} that it released.
 *
 * <pre>{@code
 * BinarySemaphore dataReady = new BinarySemaphore(false);   // taken: nothing to read yet
 * // interrupt-like producer:   buffer.fill(); dataReady.give();
 * // consumer:                  dataReady.take(); buffer.drain();
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class BinarySemaphore extends WaitObject implements Waitable {
    private static final long TAKEN = 1L;

    /**
     * Creates a binary semaphore.
     *
     * @param available whether it starts available (true) or taken (false)
     */
    public BinarySemaphore(boolean available) {
        super(available ? 0L : TAKEN, SPINS_BEFORE_QUEUEING); // a lock is usually held briefly
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return (value & TAKEN) != 0 ? UNAVAILABLE : value | TAKEN;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return (value & TAKEN) == 0;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                return POLL_CONTENDED;
            }
            if ((s & TAKEN) != 0) {
                return POLL_FAILED;
            }
            if (compareAndSetState(s, s | TAKEN)) {
                return POLL_ACQUIRED;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected int peekFast(Thread owner, long arg, WaitOperation op) {
        long s = getStateVolatile();
        return isLocked(s) ? POLL_CONTENDED : (s & TAKEN) != 0 ? POLL_FAILED : POLL_ACQUIRED;
    }

    /**
     * Gives the semaphore: hands it to the first waiter, or makes it available. Never blocks.
     *
     * @return true if it was taken (it is now handed off or available); false if it was already
     *         available, in which case nothing changed
     */
    public boolean give() {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                break;
            }
            if ((s & TAKEN) == 0) {
                return false;
            }
            if (!isQuiet(s)) {
                break;
            }
            if (compareAndSetState(s, s & ~TAKEN)) {
                return true;
            }
        }
        long v = lockForSignal();
        boolean wasTaken = (v & TAKEN) != 0;
        if (wasTaken) {
            v = wake(v & ~TAKEN);
        }
        unlockAfterSignal(v);
        return wasTaken;
    }

    /**
     * Takes the semaphore, waiting as long as necessary.
     *
     * @throws InterruptedException if interrupted before it was taken (nothing taken)
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void take() throws InterruptedException {
        Blocking.await(this, 1, null);
    }

    /**
     * Takes the semaphore, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest time to wait
     * @return true if taken, false on timeout
     * @throws InterruptedException if interrupted before it was taken (nothing taken)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean take(Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the semaphore, waiting at most the given time, as {@link #take(Duration)} (and as
     * {@link java.util.concurrent.Semaphore#tryAcquire(long, TimeUnit)} on a one-permit
     * semaphore). A zero or negative time polls; a time too large for nanoseconds waits without
     * a limit.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if taken, false on timeout
     * @throws InterruptedException if interrupted before it was taken (nothing taken)
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean take(long timeout, TimeUnit unit) throws InterruptedException {
        return Blocking.awaitNanos(this, 1, null, Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the semaphore unless {@code deadline} passes first; a passed deadline polls.
     *
     * @param deadline when to give up
     * @return true if taken, false on timeout
     * @throws InterruptedException if interrupted before it was taken (nothing taken)
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean take(Deadline deadline) throws InterruptedException {
        return Blocking.await(this, 1, null, deadline) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the semaphore if it is available now; never blocks.
     *
     * @return true if taken
     */
    public boolean tryTake() {
        return Blocking.poll(this, 1, null) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the semaphore asynchronously; the future completes (with {@code null}) once it is
     * taken for the caller. A {@code cancel} that returns {@code false} means it was taken.
     *
     * @return the future of the take
     */
    public CompletableFuture<Void> takeAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Returns whether the semaphore is available (a snapshot).
     *
     * @return true if not taken
     */
    public boolean isAvailable() {
        return (stableValue() & TAKEN) == 0;
    }

    /**
     * Describes the semaphore.
     *
     * @return for example {@code BinarySemaphore[taken, waiters=1]}; never blocks
     */
    @Override
    public String toString() {
        return "BinarySemaphore[" + (isAvailable() ? "available" : "taken") + ", waiters=" + queuedCount() + "]";
    }
}
