package io.waitkit.compat.bsd;

import io.waitkit.Deadline;
import io.waitkit.Semaphore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FreeBSD's kernel counting semaphore, {@code sema(9)}, over the core {@link Semaphore}.
 *
 * <p>A semaphore has a value that {@link #post()} increments (always; there is no upper bound
 * but {@code Integer.MAX_VALUE}) and that the waits decrement, waiting while it is 0. It has
 * no owner: any thread may post. Waiters are served first come, first served, and a post hands
 * its unit to the first waiter before it returns.
 *
 * <table class="striped">
 *   <caption>sema(9) and this class</caption>
 *   <thead><tr><th>C</th><th>Java</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code sema_init(s, value, description)}</td><td>{@link #init(int, String)}</td></tr>
 *     <tr><td>{@code sema_destroy(s)}</td><td>{@link #destroy()}</td></tr>
 *     <tr><td>{@code sema_post(s)}</td><td>{@link #post()}</td></tr>
 *     <tr><td>{@code sema_wait(s)}</td><td>{@link #await()} ({@code wait} is taken by
 *         {@link Object#wait()})</td></tr>
 *     <tr><td>{@code sema_timedwait(s, timo)}</td><td>{@link #timedwait(int)}</td></tr>
 *     <tr><td>{@code sema_trywait(s)}</td><td>{@link #trywait()}</td></tr>
 *     <tr><td>{@code sema_value(s)}</td><td>{@link #value()}</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li><b>Return convention of {@code timedwait}</b>: the seed's (old FreeBSD) one, as decided
 *       in docs/semantics.md#decisions: 0 on failure, non-zero (1) on success. Modern FreeBSD
 *       returns 0 on success and {@code EWOULDBLOCK} on failure. {@link #trywait()} returns 1 / 0
 *       in both.</li>
 *   <li><b>Ticks</b>: {@code timo} counts ticks of a configurable length, 1 ms by default
 *       ({@link #init(int, String, Duration)}). {@code timo} is a minimum, as in FreeBSD; the
 *       wait is measured against one deadline, so there are no spurious wake-ups that restart
 *       the interval (FreeBSD restarts the full {@code timo} after one). After the deadline a
 *       final check still succeeds if the value is positive at that moment, as FreeBSD's
 *       re-check under the mutex. {@code timo == 0} polls once; a negative {@code timo} is
 *       refused.</li>
 *   <li><b>Interrupts</b>: {@code sema_wait} and {@code sema_timedwait} sleep in
 *       {@code cv_wait}/{@code cv_timedwait}, which signals do not interrupt; likewise
 *       {@link #await()} and {@link #timedwait(int)} ignore Java interrupts and re-assert the
 *       interrupt status on return. {@link #awaitInterruptibly()} is the Java extra for code
 *       that must be cancellable.</li>
 *   <li><b>Assertions</b>: the {@code KASSERT}s of an {@code INVARIANTS} kernel are always on:
 *       {@code init} with a negative value throws {@link IllegalArgumentException} ("negative
 *       value"), {@code destroy} while threads wait throws {@link IllegalStateException}
 *       ("waiters") and changes nothing. Use after {@code destroy} (undefined in C) throws
 *       {@link IllegalStateException}.</li>
 *   <li><b>Waiters</b>: {@link #waiters()} exposes the struct's waiter count: the threads
 *       between entering a wait that found the value 0 and leaving it.</li>
 *   <li><b>Overflow</b>: a post at {@code Integer.MAX_VALUE} throws
 *       {@link io.waitkit.SemaphoreFullException} and changes nothing (C overflows).</li>
 *   <li><b>IRQL</b>: a blocking wait at {@link io.waitkit.Irql#DISPATCH_LEVEL} throws
 *       {@link IllegalStateException}, as every core wait.</li>
 * </ul>
 *
 * <p>Memory visibility: actions before a {@code post} happen-before the actions after the wait
 * that took its unit.
 *
 * <pre>{@code
 * Sema done = Sema.init(0, "io done");
 * startIo(() -> done.post());            // completion handler, any thread
 * if (done.timedwait(hz) == 0) {         // old convention: 0 = failed (timed out)
 *     abortIo();
 * }
 * }</pre>
 */
public final class Sema {
    private static final int DESTROYED = Integer.MIN_VALUE;
    private static final Duration DEFAULT_TICK = Duration.ofMillis(1);

    private final Semaphore semaphore;
    private final String description;
    private final Duration tick;
    /** Threads inside a wait that found the value 0; {@link #DESTROYED} once destroyed. */
    private final AtomicInteger waiters = new AtomicInteger();
    /** Test hook: runs between a timed-out wait and its final check (package-private). */
    volatile Runnable beforeFinalCheck;

    private Sema(int value, String description, Duration tick) {
        this.semaphore = new Semaphore(value, Integer.MAX_VALUE);
        this.description = description;
        this.tick = tick;
    }

    /**
     * {@code sema_init}: creates a semaphore with ticks of 1 ms.
     *
     * @param value the initial value
     * @param description what the semaphore is for (diagnostics only)
     * @return the semaphore
     * @throws IllegalArgumentException if {@code value} is negative ("negative value")
     * @throws NullPointerException if {@code description} is null
     */
    public static Sema init(int value, String description) {
        return init(value, description, DEFAULT_TICK);
    }

    /**
     * {@code sema_init} with a tick length for {@link #timedwait(int)}.
     *
     * @param value the initial value
     * @param description what the semaphore is for (diagnostics only)
     * @param tick the length of one tick; positive
     * @return the semaphore
     * @throws IllegalArgumentException if {@code value} is negative ("negative value") or
     *         {@code tick} is not positive
     * @throws NullPointerException if {@code description} or {@code tick} is null
     */
    public static Sema init(int value, String description, Duration tick) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(tick, "tick");
        if (value < 0) {
            throw new IllegalArgumentException("sema_init: negative value " + value + " (" + description + ")");
        }
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive: " + tick);
        }
        return new Sema(value, description, tick);
    }

    /**
     * {@code sema_destroy}: makes the semaphore unusable. Any value is fine; waiting threads
     * are not.
     *
     * @throws IllegalStateException if threads are waiting ("waiters"; nothing changes) or it
     *         was already destroyed
     */
    public void destroy() {
        if (!waiters.compareAndSet(0, DESTROYED)) {
            if (waiters.get() == DESTROYED) {
                throw destroyed();
            }
            throw new IllegalStateException("sema_destroy: waiters (" + description + ")");
        }
    }

    /**
     * {@code sema_post}: increments the value and, if a thread is waiting, hands the unit to
     * the first one before returning. Never blocks.
     *
     * @throws IllegalStateException if destroyed
     * @throws io.waitkit.SemaphoreFullException if the value is {@code Integer.MAX_VALUE}
     */
    public void post() {
        checkAlive();
        semaphore.release();
    }

    /**
     * {@code sema_wait}: decrements the value, waiting as long as it is 0. Interrupts do not
     * end the wait (as {@code cv_wait}); an interrupt received meanwhile is re-asserted on
     * return.
     *
     * @throws IllegalStateException if destroyed, or if the current thread runs at
     *         {@link io.waitkit.Irql#DISPATCH_LEVEL} and would have to wait
     */
    public void await() {
        checkAlive();
        if (semaphore.tryAcquire()) {
            return;
        }
        enterWait();
        try {
            semaphore.acquireUninterruptibly();
        } finally {
            waiters.decrementAndGet();
        }
    }

    /**
     * As {@link #await()}, but an interrupt ends the wait (a Java extra; {@code sema_wait}
     * cannot be interrupted).
     *
     * @throws InterruptedException if interrupted before a unit was taken (nothing taken)
     * @throws IllegalStateException if destroyed, or at {@link io.waitkit.Irql#DISPATCH_LEVEL}
     */
    public void awaitInterruptibly() throws InterruptedException {
        checkAlive();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (semaphore.tryAcquire()) {
            return;
        }
        enterWait();
        try {
            semaphore.acquire();
        } finally {
            waiters.decrementAndGet();
        }
    }

    /**
     * {@code sema_timedwait}: decrements the value, waiting at least {@code timo} ticks for it
     * to become positive. A unit available at the end still counts (the final check).
     * Interrupts do not end the wait and are re-asserted on return.
     *
     * @param timo the minimum wait in ticks; 0 polls
     * @return 1 (non-zero) if a unit was taken; 0 on failure (timeout), the seed's convention
     * @throws IllegalArgumentException if {@code timo} is negative
     * @throws IllegalStateException if destroyed, or at {@link io.waitkit.Irql#DISPATCH_LEVEL}
     *         with {@code timo > 0} and the value 0
     */
    public int timedwait(int timo) {
        if (timo < 0) {
            throw new IllegalArgumentException("timo must not be negative: " + timo);
        }
        checkAlive();
        if (semaphore.tryAcquire()) {
            return 1;
        }
        if (timo == 0) {
            return 0;
        }
        Deadline deadline = deadlineAfter(timo);
        boolean interrupted = false;
        enterWait();
        try {
            for (;;) {
                try {
                    if (semaphore.tryAcquire(1, deadline)) {
                        return 1;
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // cv_timedwait is not interruptible: wait on
                }
            }
            Runnable hook = beforeFinalCheck;
            if (hook != null) {
                hook.run();
            }
            return semaphore.tryAcquire() ? 1 : 0;
        } finally {
            waiters.decrementAndGet();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code sema_trywait}: decrements the value if it is positive; never blocks.
     *
     * @return 1 (non-zero) on success, 0 if the value was 0
     * @throws IllegalStateException if destroyed
     */
    public int trywait() {
        checkAlive();
        return semaphore.tryAcquire() ? 1 : 0;
    }

    /**
     * {@code sema_value}: the current value (a snapshot; reading changes nothing).
     *
     * @return the value
     * @throws IllegalStateException if destroyed
     */
    public int value() {
        checkAlive();
        return semaphore.availablePermits();
    }

    /**
     * The number of threads waiting (the struct's waiter count): those inside
     * {@link #await()}, {@link #awaitInterruptibly()} or {@link #timedwait(int)} after finding
     * the value 0. A woken thread leaves the count when it returns.
     *
     * @return the waiter count; 0 once destroyed
     */
    public int waiters() {
        int w = waiters.get();
        return w == DESTROYED ? 0 : w;
    }

    /**
     * The description given to {@code init}.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The length of one tick of {@link #timedwait(int)}.
     *
     * @return the tick length
     */
    public Duration tick() {
        return tick;
    }

    /**
     * Whether {@link #destroy()} was called.
     *
     * @return true once destroyed
     */
    public boolean isDestroyed() {
        return waiters.get() == DESTROYED;
    }

    private Deadline deadlineAfter(int ticks) {
        try {
            return Deadline.after(tick.multipliedBy(ticks));
        } catch (ArithmeticException tooLong) {
            return Deadline.never();
        }
    }

    private void enterWait() {
        for (;;) {
            int w = waiters.get();
            if (w == DESTROYED) {
                throw destroyed();
            }
            if (waiters.compareAndSet(w, w + 1)) {
                return;
            }
        }
    }

    private void checkAlive() {
        if (waiters.get() == DESTROYED) {
            throw destroyed();
        }
    }

    private IllegalStateException destroyed() {
        return new IllegalStateException("sema used after sema_destroy (" + description + ")");
    }

    /**
     * Describes the semaphore.
     *
     * @return for example {@code Sema[io done, value 0, waiters 1]}
     */
    @Override
    public String toString() {
        return "Sema[" + description + (isDestroyed() ? ", destroyed]"
                : ", value " + semaphore.availablePermits() + ", waiters " + waiters() + "]");
    }
}
