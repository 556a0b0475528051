package io.waitkit;

import io.waitkit.internal.Dispatch;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Sleeping, after the ao kernel's {@code sleep}: plain and drift-free sleeps, and sleeps as
 * members of a wait.
 *
 * <p>{@link #from(Deadline, Duration)} sleeps until {@code beginning + period} and returns that
 * point, so a loop that feeds it back never drifts. {@link #timer(Duration)} returns a started
 * one-shot timer, a {@link Waitable} that becomes available when the time is up: in
 * {@code Wait.any(Duration.ofSeconds(5), Sleep.timer(Duration.ofMillis(10)), signal)} it acts as
 * a pure timer member (ao case T39).
 *
 * <pre>{@code
 * Deadline next = Deadline.now();
 * for (;;) {
 *     sample();
 *     next = Sleep.from(next, Duration.ofMillis(20));   // 50 Hz, no drift
 * }
 * }</pre>
 */
public final class Sleep {
    private Sleep() {
    }

    /**
     * Sleeps for {@code duration}; never returns early.
     *
     * @param duration how long; zero or negative returns at once
     * @throws InterruptedException if interrupted
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalStateException if the duration is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public static void sleep(Duration duration) throws InterruptedException {
        until(Deadline.after(duration));
    }

    /**
     * Sleeps until {@code deadline}; never returns early.
     *
     * @param deadline when to wake; a passed deadline returns at once
     * @throws InterruptedException if interrupted
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public static void until(Deadline deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isExpired()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return;
        }
        Dispatch.checkCanBlock();
        for (;;) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (deadline.isNever()) {
                LockSupport.park(Sleep.class);
                continue;
            }
            long left = deadline.nanoTime() - System.nanoTime();
            if (left <= 0L) {
                return;
            }
            LockSupport.parkNanos(Sleep.class, left);
        }
    }

    /**
     * Sleeps until {@code beginning + period} (ao's {@code sleep_from}) and returns that point:
     * feed it back as the next beginning for a loop without drift.
     *
     * @param beginning the point the period counts from
     * @param period the period
     * @return {@code beginning + period}
     * @throws InterruptedException if interrupted
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the point has not passed and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public static Deadline from(Deadline beginning, Duration period) throws InterruptedException {
        Deadline next = Deadline.from(beginning, period);
        until(next);
        return next;
    }

    /**
     * Returns a started one-shot manual-reset timer that becomes signalled after
     * {@code duration}: a sleep as a member of {@link Wait#any} or {@link Wait#all}.
     *
     * @param duration the time until it is signalled
     * @return the armed timer
     * @throws NullPointerException if {@code duration} is null
     */
    public static WaitableTimer timer(Duration duration) {
        WaitableTimer t = WaitableTimer.manualReset();
        t.set(duration);
        return t;
    }

    /**
     * Returns a started one-shot manual-reset timer signalled at {@code deadline}.
     *
     * @param deadline when it becomes signalled
     * @return the armed timer
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalArgumentException if {@code deadline} is {@link Deadline#never()}
     */
    public static WaitableTimer timer(Deadline deadline) {
        WaitableTimer t = WaitableTimer.manualReset();
        t.set(deadline, Duration.ZERO);
        return t;
    }
}
