package io.waitkit.compat.hpux;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@code struct timespec}: seconds and nanoseconds, as passed to
 * {@link PostWait#pw_wait(Timespec)}, which reads the timeout from it and writes the remaining
 * time back. Mutable and not thread-safe, like the C struct.
 *
 * <p>A timespec is valid when {@code tv_sec >= 0} and {@code 0 <= tv_nsec < 1_000_000_000};
 * {@code pw_wait} refuses others with {@link PostWait#EINVAL}. The constructor accepts any
 * values, so that invalid ones can be passed as in C.
 */
public final class Timespec {
    private long tvSec;
    private long tvNsec;

    /**
     * Creates a timespec; any values are accepted (validity is checked by {@code pw_wait}).
     *
     * @param tvSec the seconds
     * @param tvNsec the nanoseconds
     */
    public Timespec(long tvSec, long tvNsec) {
        this.tvSec = tvSec;
        this.tvNsec = tvNsec;
    }

    /**
     * Creates a valid timespec holding a duration.
     *
     * @param duration a duration, not negative
     * @return the timespec
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws NullPointerException if {@code duration} is null
     */
    public static Timespec of(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a timespec for a timeout cannot be negative: " + duration);
        }
        return new Timespec(duration.getSeconds(), duration.getNano());
    }

    /**
     * The seconds field.
     *
     * @return {@code tv_sec}
     */
    public long tv_sec() {
        return tvSec;
    }

    /**
     * The nanoseconds field.
     *
     * @return {@code tv_nsec}
     */
    public long tv_nsec() {
        return tvNsec;
    }

    /**
     * Sets both fields.
     *
     * @param tvSec the seconds
     * @param tvNsec the nanoseconds
     */
    public void set(long tvSec, long tvNsec) {
        this.tvSec = tvSec;
        this.tvNsec = tvNsec;
    }

    /**
     * Whether the value is a valid timeout: {@code tv_sec >= 0}, {@code 0 <= tv_nsec < 10^9}.
     *
     * @return true if valid
     */
    public boolean isValid() {
        return tvSec >= 0 && tvNsec >= 0 && tvNsec < 1_000_000_000L;
    }

    /**
     * Whether both fields are 0 (the polling timeout of {@code pw_wait}).
     *
     * @return true if zero
     */
    public boolean isZero() {
        return tvSec == 0 && tvNsec == 0;
    }

    /**
     * The value as a duration.
     *
     * @return the duration (may be negative for an invalid value)
     */
    public Duration toDuration() {
        return Duration.ofSeconds(tvSec, tvNsec);
    }

    /**
     * Describes the value.
     *
     * @return for example {@code {1, 500000000}}
     */
    @Override
    public String toString() {
        return "{" + tvSec + ", " + tvNsec + "}";
    }
}
