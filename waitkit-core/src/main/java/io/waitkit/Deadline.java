package io.waitkit;

import java.time.Duration;
import java.util.Objects;

/**
 * An absolute point on the monotonic clock ({@link System#nanoTime()}) at which a wait gives up,
 * or {@link #never()}.
 *
 * <p>Relative timeouts drift when a loop waits again and again: each round adds the time spent
 * between waits. Absolute deadlines do not. The drift-free periodic loop of the ao kernel,
 * {@code X_from(timeout, beginning)}, is written with {@link #from(Deadline, Duration)}:
 * <pre>{@code
 * Deadline beginning = Deadline.now();
 * while (running) {
 *     int i = Wait.any(Deadline.from(beginning, period), stop, work);   // deadline = beginning + period
 *     if (i == 1) handleWork();
 *     if (i == Wait.TIMEOUT) tick();
 *     beginning = beginning.plus(period);                                // not "now": no drift
 * }
 * }</pre>
 *
 * <p>A deadline that has already passed makes a wait a poll: an object that is available is
 * still acquired, and the wait never sleeps. Deadlines more than about 146 years away are
 * treated as {@link #never()}.
 *
 * <p>Instances are immutable and thread-safe; they compare by their point in time, with
 * {@code never()} after every finite deadline.
 */
public final class Deadline implements Comparable<Deadline> {
    private static final Deadline NEVER = new Deadline(0L, true);

    private final long nanoTime;
    private final boolean never;

    private Deadline(long nanoTime, boolean never) {
        this.nanoTime = nanoTime;
        this.never = never;
    }

    /**
     * Returns the deadline that never passes: a wait with it has no timeout.
     *
     * @return the infinite deadline
     */
    public static Deadline never() {
        return NEVER;
    }

    /**
     * Returns the current point of the monotonic clock.
     *
     * @return a deadline that has just passed
     */
    public static Deadline now() {
        return new Deadline(System.nanoTime(), false);
    }

    /**
     * Returns the deadline at a value of {@link System#nanoTime()}.
     *
     * @param nanoTime a value of {@code System.nanoTime()} in this JVM
     * @return the deadline
     */
    public static Deadline ofNanoTime(long nanoTime) {
        return new Deadline(nanoTime, false);
    }

    /**
     * Returns the deadline {@code timeout} from now. A zero or negative timeout gives a
     * deadline that has passed (a poll).
     *
     * @param timeout the time from now
     * @return the deadline, or {@link #never()} for timeouts longer than about 146 years
     * @throws NullPointerException if {@code timeout} is null
     */
    public static Deadline after(Duration timeout) {
        long nanos = Timeouts.nanos(timeout);
        return Timeouts.isForever(nanos) ? NEVER : new Deadline(System.nanoTime() + nanos, false);
    }

    /**
     * Returns {@code beginning + timeout}: the ao kernel's {@code _from} form, for loops that
     * advance {@code beginning} by a fixed period and so never drift.
     *
     * @param beginning the point the timeout counts from; {@code never()} gives {@code never()}
     * @param timeout the time after {@code beginning}; may be negative
     * @return the deadline
     * @throws NullPointerException if an argument is null
     */
    public static Deadline from(Deadline beginning, Duration timeout) {
        Objects.requireNonNull(beginning, "beginning");
        Objects.requireNonNull(timeout, "timeout");
        return beginning.plus(timeout);
    }

    /**
     * Returns this deadline moved by {@code amount}.
     *
     * @param amount the time to add; may be negative
     * @return the moved deadline; {@code never()} stays {@code never()}
     * @throws NullPointerException if {@code amount} is null
     */
    public Deadline plus(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (never) {
            return this;
        }
        long nanos = java.util.concurrent.TimeUnit.NANOSECONDS.convert(amount);
        if (Timeouts.isForever(nanos)) {
            return NEVER;
        }
        if (nanos <= -Timeouts.FOREVER_NANOS) {
            nanos = -Timeouts.FOREVER_NANOS;
        }
        return new Deadline(nanoTime + nanos, false);
    }

    /**
     * Whether this is the infinite deadline.
     *
     * @return true for {@link #never()}
     */
    public boolean isNever() {
        return never;
    }

    /**
     * Returns the deadline as a value of {@link System#nanoTime()}.
     *
     * @return the point in time
     * @throws IllegalStateException for {@link #never()}
     */
    public long nanoTime() {
        if (never) {
            throw new IllegalStateException("Deadline.never() has no point in time");
        }
        return nanoTime;
    }

    /**
     * Whether the deadline has passed.
     *
     * @return true if the monotonic clock is at or past this deadline; false for {@code never()}
     */
    public boolean isExpired() {
        return !never && nanoTime - System.nanoTime() <= 0L;
    }

    /**
     * Returns the time left until the deadline.
     *
     * @return {@link Duration#ZERO} once passed; the largest {@code Duration} for {@code never()}
     */
    public Duration remaining() {
        if (never) {
            return Duration.ofSeconds(Long.MAX_VALUE, 999_999_999L);
        }
        long left = nanoTime - System.nanoTime();
        return left <= 0L ? Duration.ZERO : Duration.ofNanos(left);
    }

    boolean timed() {
        return !never;
    }

    long deadlineNanos() {
        return nanoTime;
    }

    /**
     * Orders deadlines by their point in time; {@code never()} comes last.
     *
     * @param other the deadline to compare with
     * @return a negative number, zero or a positive number as this deadline is earlier than,
     *         equal to or later than {@code other}
     */
    @Override
    public int compareTo(Deadline other) {
        if (never || other.never) {
            return Boolean.compare(never, other.never);
        }
        return Long.signum(nanoTime - other.nanoTime);
    }

    /**
     * Deadlines are equal when they denote the same point in time.
     *
     * @param o another object
     * @return whether {@code o} is an equal deadline
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Deadline d && d.never == never && d.nanoTime == nanoTime;
    }

    /**
     * A hash code consistent with {@link #equals}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return never ? -1 : Long.hashCode(nanoTime);
    }

    /**
     * Describes the deadline relative to now.
     *
     * @return for example {@code Deadline[in PT0.25S]} or {@code Deadline[never]}
     */
    @Override
    public String toString() {
        if (never) {
            return "Deadline[never]";
        }
        long left = nanoTime - System.nanoTime();
        return left > 0 ? "Deadline[in " + Duration.ofNanos(left) + "]" : "Deadline[passed " + Duration.ofNanos(-left) + " ago]";
    }
}
