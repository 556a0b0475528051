package io.waitkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A monitor with Mesa semantics, as the ao kernel's {@code monitor}: a {@link Mutex} plus one
 * condition queue. Several monitors may share one mutex; each is then one condition of that
 * lock (the classic {@code notEmpty} / {@code notFull} pair of a bounded buffer).
 *
 * <p>{@link #await()} must be called inside the monitor (owning the mutex). It queues the
 * caller, releases the mutex (every hold), waits for a {@link #signal()} and re-acquires the
 * mutex with the same hold count before returning. The signaller keeps running inside the
 * monitor; the waiter returns only once it owns the mutex again, so it must re-check its
 * predicate in a loop. A signal with nobody waiting is lost.
 *
 * <p><b>Deviation from ao, by decision:</b> a timed-out or interrupted wait also re-acquires
 * the mutex before it returns (or throws), as {@code Object.wait} and
 * {@code java.util.concurrent.locks.Condition} do; in ao a failed wait returns outside the
 * monitor. If the mutex was abandoned meanwhile, the re-acquisition throws
 * {@link AbandonedMutexException} with the mutex owned.
 *
 * <p>To enter a monitor as one of the objects of {@link Wait#any}, wait on {@link #mutex()}.
 *
 * <pre>{@code
 * Mutex lock = new Mutex();
 * Monitor notEmpty = new Monitor(lock), notFull = new Monitor(lock);
 * // take:
 * notEmpty.enter();
 * try {
 *     while (queue.isEmpty()) notEmpty.await();
 *     T item = queue.remove();
 *     notFull.signal();
 *     return item;
 * } finally {
 *     notEmpty.exit();
 * }
 * }</pre>
 */
public final class Monitor {
    private final Mutex mutex;
    private final MutexCondition condition;

    /** Creates a monitor with a mutex of its own. */
    public Monitor() {
        this(new Mutex());
    }

    /**
     * Creates a monitor over a mutex that other monitors may share.
     *
     * @param mutex the monitor's lock
     * @throws NullPointerException if {@code mutex} is null
     */
    public Monitor(Mutex mutex) {
        this.mutex = Objects.requireNonNull(mutex, "mutex");
        this.condition = new MutexCondition(mutex, this);
    }

    /**
     * Returns the monitor's mutex.
     *
     * @return the mutex
     */
    public Mutex mutex() {
        return mutex;
    }

    /**
     * Enters the monitor (locks its mutex), waiting as long as necessary; see {@link Mutex#lock()}.
     *
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void enter() {
        mutex.lock();
    }

    /**
     * Enters the monitor unless interrupted.
     *
     * @throws InterruptedException if interrupted first
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void enterInterruptibly() throws InterruptedException {
        mutex.lockInterruptibly();
    }

    /**
     * Enters the monitor, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest time to wait
     * @return true if entered
     * @throws InterruptedException if interrupted first
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean enter(Duration timeout) throws InterruptedException {
        return mutex.tryLock(timeout);
    }

    /**
     * Enters the monitor, waiting at most the given time, as {@link #enter(Duration)} (and as
     * {@link java.util.concurrent.locks.Lock#tryLock(long, TimeUnit)}). A zero or negative time
     * polls; a time too large for nanoseconds waits without a limit.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if entered
     * @throws InterruptedException if interrupted first
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean enter(long timeout, TimeUnit unit) throws InterruptedException {
        return mutex.tryLock(timeout, unit);
    }

    /**
     * Enters the monitor if its mutex is free or owned by the caller; never blocks.
     *
     * @return true if entered
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     */
    public boolean tryEnter() {
        return mutex.tryLock();
    }

    /**
     * Leaves the monitor (releases one hold of its mutex).
     *
     * @throws IllegalMonitorStateException if the current thread is not inside
     */
    public void exit() {
        mutex.release();
    }

    /**
     * Returns whether the current thread is inside the monitor.
     *
     * @return true if it owns the mutex
     */
    public boolean isEntered() {
        return mutex.isHeldByCurrentThread();
    }

    /**
     * Waits for a signal, releasing the monitor meanwhile; returns inside it.
     *
     * @throws InterruptedException if interrupted before a signal (the monitor is re-entered
     *         first)
     * @throws IllegalMonitorStateException if the current thread is not inside
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void await() throws InterruptedException {
        condition.awaitNanos(false, 0L, true);
    }

    /**
     * Waits for a signal, ignoring interrupts (re-asserted on return); returns inside the
     * monitor.
     *
     * @throws IllegalMonitorStateException if the current thread is not inside
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void awaitUninterruptibly() {
        condition.awaitUninterruptibly();
    }

    /**
     * Waits at most {@code timeout} for a signal; returns inside the monitor either way.
     *
     * @param timeout the longest time to wait
     * @return true if signalled, false on timeout
     * @throws InterruptedException if interrupted before a signal (the monitor is re-entered
     *         first)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalMonitorStateException if the current thread is not inside
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        return condition.awaitNanos(!Timeouts.isForever(nanos), Timeouts.deadline(nanos), true);
    }

    /**
     * Waits at most the given time for a signal, as {@link #await(Duration)} (and as
     * {@link java.util.concurrent.locks.Condition#await(long, TimeUnit)}); returns inside the
     * monitor either way. A time too large for nanoseconds waits without a limit.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if signalled, false on timeout
     * @throws InterruptedException if interrupted before a signal (the monitor is re-entered
     *         first)
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalMonitorStateException if the current thread is not inside
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout, unit);
        return condition.awaitNanos(!Timeouts.isForever(nanos), Timeouts.deadline(nanos), true);
    }

    /**
     * Waits for a signal unless {@code deadline} passes first; returns inside the monitor
     * either way.
     *
     * @param deadline when to give up
     * @return true if signalled, false on timeout
     * @throws InterruptedException if interrupted before a signal (the monitor is re-entered
     *         first)
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalMonitorStateException if the current thread is not inside
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        return condition.awaitNanos(deadline.timed(), deadline.isNever() ? 0L : deadline.deadlineNanos(), true);
    }

    /**
     * Wakes the longest-waiting thread; it returns once it re-entered the monitor (after the
     * caller exits). Lost if nobody waits.
     *
     * @throws IllegalMonitorStateException if the current thread is not inside
     */
    public void signal() {
        condition.signal();
    }

    /**
     * Wakes every waiting thread; each returns once it re-entered the monitor.
     *
     * @throws IllegalMonitorStateException if the current thread is not inside
     */
    public void signalAll() {
        condition.signalAll();
    }

    /**
     * Describes the monitor.
     *
     * @return for example {@code Monitor[Mutex[free, waiters=0], condition waiters=0]}; never blocks
     */
    @Override
    public String toString() {
        return "Monitor[" + mutex + ", condition waiters=" + condition.waiterCount() + "]";
    }
}
