package io.waitkit;

import io.waitkit.internal.WaitEngine;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Conversions from the public timeout forms to the engine's {@code (timed, deadline)} pair.
 * Durations saturate instead of overflowing; anything longer than {@link #FOREVER_NANOS}
 * (about 146 years) means no timeout.
 */
final class Timeouts {
    /** Timeouts at least this long are treated as infinite. */
    static final long FOREVER_NANOS = WaitEngine.FOREVER_NANOS;

    private Timeouts() {
    }

    /** The timeout in nanoseconds, saturated; negative becomes 0 (a poll). */
    static long nanos(Duration timeout) {
        return WaitEngine.nanos(timeout);
    }

    /** The timeout in nanoseconds for the TimeUnit forms; negative becomes 0. */
    static long nanos(long time, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return Math.max(0L, unit.toNanos(time));
    }

    /** Whether a timeout in nanoseconds means no timeout. */
    static boolean isForever(long nanos) {
        return nanos >= FOREVER_NANOS;
    }

    /** The deadline of a finite timeout that starts now. */
    static long deadline(long nanos) {
        return System.nanoTime() + nanos;
    }
}
