package io.waitkit;

import io.waitkit.internal.WaitEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A timer that becomes signalled when it expires, as NT's waitable timer and AxisOS's
 * {@code createTimer}/{@code setTimer}: one-shot or periodic, waitable like an {@link Event}.
 *
 * <ul>
 *   <li>{@link #manualReset()}: on expiry the timer is signalled and stays so (releasing every
 *       waiter) until {@link #reset()} or the next {@code set}.</li>
 *   <li>{@link #autoReset()}: each expiry releases one waiter, or stays signalled until one wait
 *       consumes it.</li>
 *   <li>{@link #pulsing()} (AxisOS): a one-shot expiry signals and stays signalled; a periodic
 *       expiry releases the waiters waiting at that moment and leaves the timer non-signalled,
 *       so later waits wait for the next period.</li>
 * </ul>
 * {@link #set(Duration, Duration) set} arms the timer and makes it non-signalled; periods are
 * drift-free (the n-th expiry is due at {@code due + n * period}, however late the previous one
 * ran). {@link #cancel()} disarms it without changing its state. Expiries run on one shared
 * daemon thread, which performs the hand-off to the waiters.
 *
 * <p>Memory visibility: actions before {@code set} happen-before the actions after a wait that
 * an expiry of that setting released.
 *
 * <pre>{@code
 * WaitableTimer tick = WaitableTimer.autoReset();
 * tick.set(Duration.ZERO, Duration.ofMillis(100));      // every 100 ms
 * while (Wait.any(stop, tick) == 1) poll();
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class WaitableTimer extends SignalState implements Waitable {
    private static final int MANUAL = 0;
    private static final int AUTO = 1;
    private static final int PULSE = 2;

    private static final ScheduledThreadPoolExecutor SCHEDULER;

    static {
        SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("waitkit-timer").unstarted(r));
        SCHEDULER.setRemoveOnCancelPolicy(true);
    }

    private final int mode;
    private final ReentrantLock config = new ReentrantLock();
    // Guarded by config.
    private long generation;
    private ScheduledFuture<?> pending;
    private long due;
    private long period;

    private WaitableTimer(int mode) {
        super(false, mode == AUTO, 0);
        this.mode = mode;
    }

    /**
     * Creates a manual-reset timer, disarmed and non-signalled.
     *
     * @return the timer
     */
    public static WaitableTimer manualReset() {
        return new WaitableTimer(MANUAL);
    }

    /**
     * Creates an auto-reset (synchronization) timer, disarmed and non-signalled.
     *
     * @return the timer
     */
    public static WaitableTimer autoReset() {
        return new WaitableTimer(AUTO);
    }

    /**
     * Creates a timer with AxisOS semantics: a periodic expiry pulses, a one-shot expiry stays
     * signalled.
     *
     * @return the timer
     */
    public static WaitableTimer pulsing() {
        return new WaitableTimer(PULSE);
    }

    // ---- arming

    /**
     * Arms a one-shot timer due {@code dueIn} from now; see {@link #set(Deadline, Duration)}.
     *
     * @param dueIn the time until expiry; zero or negative expires at once
     * @throws NullPointerException if {@code dueIn} is null
     */
    public void set(Duration dueIn) {
        set(Deadline.after(dueIn), Duration.ZERO);
    }

    /**
     * Arms the timer due {@code dueIn} from now, repeating every {@code period}; see
     * {@link #set(Deadline, Duration)}.
     *
     * @param dueIn the time until the first expiry; zero or negative expires at once
     * @param period the period, or {@link Duration#ZERO} for a one-shot timer
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code period} is negative
     */
    public void set(Duration dueIn, Duration period) {
        set(Deadline.after(dueIn), period);
    }

    /**
     * Arms the timer: makes it non-signalled, cancels the previous setting, and schedules the
     * first expiry at {@code due}, then one every {@code period} (drift-free) unless the period
     * is zero. Never blocks.
     *
     * @param due the first expiry; a passed deadline expires at once
     * @param period the period, or {@link Duration#ZERO} for a one-shot timer
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code due} is {@link Deadline#never()} or
     *         {@code period} is negative
     */
    public void set(Deadline due, Duration period) {
        Objects.requireNonNull(due, "due");
        Objects.requireNonNull(period, "period");
        if (due.isNever()) {
            throw new IllegalArgumentException("a timer cannot be due never; use cancel()");
        }
        if (period.isNegative()) {
            throw new IllegalArgumentException("period must not be negative: " + period);
        }
        config.lock();
        try {
            disarm();
            clearSignal();
            this.due = due.nanoTime();
            this.period = Timeouts.nanos(period);
            schedule(++generation);
        } finally {
            config.unlock();
        }
    }

    private void schedule(long gen) {
        long delay = Math.max(0L, due - System.nanoTime());
        pending = SCHEDULER.schedule(() -> expire(gen), delay, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
        generation++;
    }

    private void expire(long gen) {
        config.lock(); // held while signalling, so that a concurrent set() or cancel() orders with it
        try {
            if (gen != generation) {
                return; // re-set or cancelled meanwhile
            }
            boolean periodic = period > 0;
            if (periodic) {
                due += period;
                schedule(gen);
            } else {
                pending = null;
            }
            long v = lockForSignal();
            v = wake(v | SIGNALED);
            if (mode == PULSE && periodic) {
                v &= ~SIGNALED;
            }
            unlockAfterSignal(v);
        } finally {
            config.unlock();
        }
    }

    /**
     * Disarms the timer without changing its state (a signalled timer stays signalled).
     *
     * @return true if it was armed
     */
    public boolean cancel() {
        config.lock();
        try {
            boolean armed = pending != null;
            disarm();
            return armed;
        } finally {
            config.unlock();
        }
    }

    /**
     * Returns whether the timer is armed (a snapshot).
     *
     * @return true if an expiry is scheduled
     */
    public boolean isArmed() {
        config.lock();
        try {
            return pending != null;
        } finally {
            config.unlock();
        }
    }

    /**
     * Makes the timer non-signalled without disarming it.
     *
     * @return the previous state
     */
    public boolean reset() {
        return clearSignal();
    }

    /**
     * Returns whether the timer is signalled (a snapshot).
     *
     * @return true if signalled
     */
    public boolean isSignaled() {
        return signaled();
    }

    // ---- waiting

    /**
     * Waits until the timer is signalled (consuming the signal of an auto-reset timer).
     *
     * @throws InterruptedException if interrupted first
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void await() throws InterruptedException {
        Blocking.await(this, 1, null);
    }

    /**
     * Waits at most {@code timeout} for the timer; zero or negative polls.
     *
     * @param timeout the longest time to wait
     * @return true if signalled, false on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits for the timer unless {@code deadline} passes first.
     *
     * @param deadline when to give up
     * @return true if signalled, false on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        return Blocking.await(this, 1, null, deadline) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the signal if the timer is signalled now; never blocks.
     *
     * @return true if signalled
     */
    public boolean tryAwait() {
        return Blocking.poll(this, 1, null) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits asynchronously for the timer.
     *
     * @return a future completed with {@code null} when the timer released the caller
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Describes the timer.
     *
     * @return for example {@code WaitableTimer[auto-reset, armed, non-signaled, waiters=1]}
     */
    @Override
    public String toString() {
        String kind = mode == MANUAL ? "manual-reset" : mode == AUTO ? "auto-reset" : "pulsing";
        return "WaitableTimer[" + kind + ", " + (isArmed() ? "armed" : "disarmed") + ", "
                + (isSignaled() ? "signaled" : "non-signaled") + ", waiters=" + queuedCount() + "]";
    }
}
