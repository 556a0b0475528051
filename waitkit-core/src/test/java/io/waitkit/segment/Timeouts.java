package io.waitkit.segment;

import io.waitkit.Deadline;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The public timeout forms as the engine's {@code (timed, deadline, poll)} triple, with the
 * meaning the core primitives give them: a zero or negative timeout polls, a timeout of about
 * 146 years or more (or {@link Deadline#never()}) never expires, a passed deadline polls.
 *
 * @param timed whether {@code deadline} applies
 * @param deadline the {@link System#nanoTime()} deadline when timed
 * @param poll whether the wait must not block at all
 */
record Timeouts(boolean timed, long deadline, boolean poll) {
    private static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

    /** The triple of a timeout that starts now. */
    static Timeouts of(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos = Math.max(0L, TimeUnit.NANOSECONDS.convert(timeout));
        return new Timeouts(nanos < FOREVER_NANOS, System.nanoTime() + nanos, nanos == 0L);
    }

    /** The triple of a deadline. */
    static Timeouts of(Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        return deadline.isNever() ? new Timeouts(false, 0L, false)
                : new Timeouts(true, deadline.nanoTime(), deadline.isExpired());
    }
}
