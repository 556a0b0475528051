package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore with a maximum, as NT's and AxisOS's: a count between 0 and
 * {@link #maxPermits()} that acquisitions decrement and releases increment.
 *
 * <ul>
 *   <li>{@link #release(int) release(n)} raises the count by {@code n} and hands up to
 *       {@code n} permits to queued waiters, first come first served, before returning (with
 *       hand-off; a barging semaphore wakes them instead, see <i>Fairness</i> below); it
 *       returns the previous count. Raising the count past the maximum is refused with
 *       {@link SemaphoreFullException} and changes nothing; {@code release(0)} changes
 *       nothing.</li>
 *   <li>{@link #acquire(int) acquire(n)} takes {@code n} permits at once. Following the ao
 *       kernel, a release serves waiters first-fit: a waiter needing more permits than are
 *       available is skipped (it stays queued) and a later one needing fewer is served, and a
 *       new acquirer may take permits that the queued waiters cannot use. Large requests can
 *       therefore starve under a steady stream of small ones.</li>
 *   <li>In {@link Wait#any} and {@link Wait#all} a semaphore counts as available while its
 *       count is positive, and an acquisition takes one permit.</li>
 * </ul>
 *
 * <p><b>Fairness.</b> The mode is chosen when the semaphore is built
 * ({@link #Semaphore(int, int, Fairness)}; {@link #Semaphore(int, int)} uses
 * {@link Fairness#HAND_OFF}) and decides what a release does when threads are queued:
 * <ul>
 *   <li>{@link Fairness#HAND_OFF hand-off} (as described above): the release takes the permits
 *       for the queued waiters before it returns, in queue order; {@link #availablePermits()}
 *       read right after it already shows them taken, and a woken waiter never competes
 *       again. Choose it when every waiter must get its turn in arrival order or when code
 *       relies on the count after a release.</li>
 *   <li>{@link Fairness#BARGING barging}: the release adds the permits to the count and wakes
 *       as many queued waiters, in queue order, as they can serve; each takes its permits when
 *       it runs unless running threads took them first, and then keeps its place at the head
 *       of the queue. Choose it for throughput when many threads take permits for short
 *       periods: permits pass between running threads instead of waiting for wake-ups. A
 *       waiter can be overtaken by running threads (never by threads queued after it). A wait
 *       for several objects or an async acquisition that a release finds first is still
 *       handed its permit.</li>
 * </ul>
 * Every other rule holds in both modes: permits are conserved, wait-any takes exactly one
 * object, wait-all all or none, "cancel decides" for {@link #acquireAsync()}, no lost wake-up.
 *
 * <p>Uncontended acquire and release are one CAS each and allocate nothing. Permits are not
 * owned: any thread may release.
 *
 * <p>Memory visibility: actions before a {@code release} happen-before the actions after an
 * acquisition that took one of its permits.
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(4, 4);      // at most 4 jobs at once, served in arrival order
 * slots.acquire();
 * try {
 *     runJob();
 * } finally {
 *     slots.release();
 * }
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported; see package io.waitkit.internal
public final class Semaphore extends WaitObject implements Waitable {
    private final int max;

    /**
     * Creates a semaphore with {@link Fairness#HAND_OFF hand-off} release.
     *
     * @param initial the initial count
     * @param max the maximum count
     * @throws IllegalArgumentException unless {@code 0 <= initial <= max} and {@code max >= 1}
     */
    public Semaphore(int initial, int max) {
        this(initial, max, Fairness.HAND_OFF);
    }

    /**
     * Creates a semaphore with the given fairness mode.
     *
     * @param initial the initial count
     * @param max the maximum count
     * @param fairness how a release passes permits to queued waiters
     * @throws IllegalArgumentException unless {@code 0 <= initial <= max} and {@code max >= 1}
     * @throws NullPointerException if {@code fairness} is null
     */
    public Semaphore(int initial, int max, Fairness fairness) {
        super(checkCounts(initial, max), SPINS_BEFORE_QUEUEING | Mutex.traitOf(fairness)); // a permit is usually given back soon
        this.max = max;
    }

    private static long checkCounts(int initial, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        if (initial < 0 || initial > max) {
            throw new IllegalArgumentException("initial must be between 0 and max (" + max + "): " + initial);
        }
        return initial;
    }

    // ---- engine hooks

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return value >= arg ? value - arg : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return value > 0;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                return POLL_CONTENDED;
            }
            if (valueOf(s) < arg) {
                return POLL_FAILED;
            }
            if (compareAndSetState(s, s - arg)) {
                return POLL_ACQUIRED;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected int peekFast(Thread owner, long arg, WaitOperation op) {
        long s = getStateVolatile();
        return isLocked(s) ? POLL_CONTENDED : valueOf(s) >= arg ? POLL_ACQUIRED : POLL_FAILED;
    }

    // ---- releasing

    /**
     * Releases one permit; see {@link #release(int)}.
     *
     * @return the count before the release
     * @throws SemaphoreFullException if the count is already at the maximum (nothing changes)
     */
    public int release() {
        long s = getStateVolatile();
        if ((isQuiet(s) || releasesToWokenHead(s)) && valueOf(s) < max && compareAndSetState(s, s + 1)) {
            // nobody queued, or (barging) the head of the queue was woken and will find the
            // permit: either way the release is this CAS, as in release(n) without its loop
            return (int) valueOf(s);
        }
        return release(1);
    }

    /**
     * Raises the count by {@code n} and hands permits to queued waiters before returning
     * ({@link Fairness#HAND_OFF}), or wakes as many queued waiters as the new permits can serve
     * to take them ({@link Fairness#BARGING}). Never blocks.
     *
     * @param n the number of permits to release; 0 changes nothing
     * @return the count before the release
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws SemaphoreFullException if {@code count + n} would exceed the maximum; nothing
     *         changes
     */
    public int release(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot release a negative number of permits: " + n);
        }
        if (n == 0) {
            return (int) stableValue();
        }
        for (;;) {
            long s = getStateVolatile();
            if (!isQuiet(s) && !releasesToWokenHead(s)) { // barging: the woken head will find the permits
                break;
            }
            long c = valueOf(s);
            if (c + n > max) {
                throw full(c, n);
            }
            if (compareAndSetState(s, s + n)) {
                return (int) c;
            }
        }
        long v = lockForSignal();
        if (v + n > max) {
            unlockAfterSignal(v);
            throw full(v, n);
        }
        long previous = v;
        v = wake(v + n);
        unlockAfterSignal(v);
        return (int) previous;
    }

    private SemaphoreFullException full(long count, int n) {
        return new SemaphoreFullException("releasing " + n + " permit(s) at count " + count
                + " would exceed the maximum of " + max);
    }

    // ---- acquiring

    /**
     * Takes one permit, waiting as long as necessary.
     *
     * @throws InterruptedException if interrupted before the permit was taken (nothing taken)
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void acquire() throws InterruptedException {
        if (WaitEngine.enter(this, 1, null, false, true) == WaitEngine.NOT_ACQUIRED) {
            WaitEngine.acquire(this, 1, null, false, 0L, true); // no frame of the entry while parked
        }
    }

    /**
     * Takes {@code n} permits at once, waiting as long as necessary.
     *
     * @param n the number of permits; 0 returns at once
     * @throws InterruptedException if interrupted before the permits were taken (nothing taken)
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void acquire(int n) throws InterruptedException {
        checkPermits(n);
        Blocking.await(this, n, null);
    }

    /**
     * Takes one permit, ignoring interrupts; an interrupt received meanwhile is re-asserted on
     * return.
     *
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void acquireUninterruptibly() {
        Blocking.awaitUninterruptibly(this, 1, null);
    }

    /**
     * Takes one permit if one is available now; never blocks.
     *
     * @return true if a permit was taken
     */
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    /**
     * Takes {@code n} permits if they are available now; never blocks.
     *
     * @param n the number of permits; 0 succeeds at once
     * @return true if the permits were taken
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     */
    public boolean tryAcquire(int n) {
        checkPermits(n);
        return WaitEngine.poll(this, n) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes one permit, waiting at most {@code timeout}. A zero or negative timeout polls.
     *
     * @param timeout the longest time to wait
     * @return true if a permit was taken, false on timeout (nothing taken)
     * @throws InterruptedException if interrupted before the permit was taken
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquire(1, timeout);
    }

    /**
     * Takes one permit, waiting at most the given time, as
     * {@link java.util.concurrent.Semaphore#tryAcquire(long, TimeUnit)} and
     * {@link #tryAcquire(Duration)}. A zero or negative time polls; a time too large for
     * nanoseconds waits without a limit.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if a permit was taken, false on timeout (nothing taken)
     * @throws InterruptedException if interrupted before the permit was taken
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquire(1, timeout, unit);
    }

    /**
     * Takes {@code n} permits at once, waiting at most {@code timeout}. A zero or negative
     * timeout polls.
     *
     * @param n the number of permits; 0 succeeds at once
     * @param timeout the longest time to wait
     * @return true if the permits were taken, false on timeout (nothing taken)
     * @throws InterruptedException if interrupted before the permits were taken
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean tryAcquire(int n, Duration timeout) throws InterruptedException {
        checkPermits(n);
        return Blocking.await(this, n, null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes {@code n} permits at once, waiting at most the given time, as
     * {@link java.util.concurrent.Semaphore#tryAcquire(int, long, TimeUnit)} and
     * {@link #tryAcquire(int, Duration)}. A zero or negative time polls; a time too large for
     * nanoseconds waits without a limit.
     *
     * @param n the number of permits; 0 succeeds at once
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if the permits were taken, false on timeout (nothing taken)
     * @throws InterruptedException if interrupted before the permits were taken
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean tryAcquire(int n, long timeout, TimeUnit unit) throws InterruptedException {
        checkPermits(n);
        return Blocking.awaitNanos(this, n, null, Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes {@code n} permits at once unless {@code deadline} passes first. A passed deadline
     * polls.
     *
     * @param n the number of permits; 0 succeeds at once
     * @param deadline when to give up
     * @return true if the permits were taken, false on timeout (nothing taken)
     * @throws InterruptedException if interrupted before the permits were taken
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean tryAcquire(int n, Deadline deadline) throws InterruptedException {
        checkPermits(n);
        return Blocking.await(this, n, null, deadline) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes one permit asynchronously; see {@link #acquireAsync(int)}.
     *
     * @return the future of the acquisition
     */
    public CompletableFuture<Void> acquireAsync() {
        return acquireAsync(1);
    }

    /**
     * Takes {@code n} permits asynchronously. The future completes (with {@code null}) once the
     * permits were taken for it; cancelling a pending future withdraws the wait, and a
     * {@code cancel} that returns {@code false} means the permits were already taken (the
     * caller must release them).
     *
     * @param n the number of permits
     * @return the future of the acquisition
     * @throws IllegalArgumentException if {@code n} is negative or above the maximum
     */
    public CompletableFuture<Void> acquireAsync(int n) {
        checkPermits(n);
        return WaitEngine.acquireAsync(this, n);
    }

    private void checkPermits(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot acquire a negative number of permits: " + n);
        }
        if (n > max) {
            throw new IllegalArgumentException("cannot acquire " + n + " permits from a semaphore whose maximum is "
                    + max + ": the request could never be satisfied");
        }
    }

    // ---- queries

    /**
     * Returns the current count (a snapshot).
     *
     * @return the number of available permits
     */
    public int availablePermits() {
        return (int) stableValue();
    }

    /**
     * Returns the maximum count.
     *
     * @return the maximum
     */
    public int maxPermits() {
        return max;
    }

    /**
     * Returns the fairness mode chosen when the semaphore was built.
     *
     * @return {@link Fairness#HAND_OFF} or {@link Fairness#BARGING}
     */
    public Fairness fairness() {
        return barging() ? Fairness.BARGING : Fairness.HAND_OFF; // kept as the engine's trait
    }

    /**
     * Describes the semaphore.
     *
     * @return for example {@code Semaphore[permits=2/5, waiters=0]}; never blocks
     */
    @Override
    public String toString() {
        return "Semaphore[permits=" + availablePermits() + "/" + max + ", waiters=" + queuedCount() + "]";
    }
}
