package io.waitkit.ipc.internal;

import io.waitkit.SemaphoreFullException;
import io.waitkit.internal.WaitOperation;

/**
 * The proxy of a named semaphore: a count between 0 and a maximum fixed at creation (header
 * PARAM0), the semantics of {@code io.waitkit.Semaphore}.
 *
 * <pre>
 *   STATE value: the count (0 .. max, max at most Integer.MAX_VALUE)
 * </pre>
 *
 * <p>Acquisitions take one permit; a lock-free poll takes it with one CAS from an unlocked
 * word with a positive count. A release checks the maximum, serves this JVM's queue under both
 * locks, and wakes other processes if permits are left after that. Permits are conserved when
 * a process dies at any instruction: a count changes only in one CAS or in the release store of
 * the outside lock, and a waiter that was handed a permit owns it (the engine's claim) even if
 * it is killed right after, as a thread that acquired and then died would.
 */
public final class SemaphoreProxy extends NamedProxy {
    private final int max;

    /**
     * Creates the proxy of a mapped semaphore file.
     *
     * @param mapping the file
     */
    public SemaphoreProxy(Mapping mapping) {
        super(mapping, mapping.header().barging() ? BARGING : 0);
        this.max = (int) Math.min(Integer.MAX_VALUE, Math.max(1L, mapping.header().param0()));
    }

    /**
     * Whether the semaphore was created with {@code Fairness.BARGING} (header PARAM1).
     *
     * @return true if barging
     */
    public boolean isBarging() {
        return barging();
    }

    /**
     * The maximum count.
     *
     * @return the maximum
     */
    public int max() {
        return max;
    }

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return value >= arg ? value - arg : UNAVAILABLE;
    }

    @Override
    protected boolean mayWake(long value) {
        return value > 0;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        for (;;) {
            long w = SyncLayout.getLongVolatile(body, SyncLayout.STATE);
            if (SyncLayout.isLocked(w)) {
                return POLL_CONTENDED;
            }
            if (w < arg) {
                return POLL_FAILED;
            }
            if (SyncLayout.compareAndSetLong(body, SyncLayout.STATE, w, w - arg)) {
                return POLL_ACQUIRED;
            }
        }
    }

    /**
     * Releases {@code n} permits.
     *
     * @param n the permits, at least 0 (0 changes nothing and returns the count)
     * @return the count before the release
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws SemaphoreFullException if the count would exceed the maximum (nothing changes)
     */
    public int release(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("release count must not be negative: " + n);
        }
        if (n == 0) {
            return available();
        }
        long v = lockForSignal();
        long previous = v;
        try {
            if (v + n > max) {
                throw new SemaphoreFullException("releasing " + n + " permit(s) at count " + v + " would exceed the maximum "
                        + max + " of named semaphore " + mapping.name());
            }
            v = wake(v + n);
        } finally {
            unlockAfterSignal(v);
        }
        if (v > 0 || hasDirectSleepers()) {
            wakeOthers();
        }
        return (int) previous;
    }

    /**
     * The count, a snapshot.
     *
     * @return the available permits
     */
    public int available() {
        return (int) settledValue();
    }

    /** {@inheritDoc} Yes: an unavailable semaphore is one read of STATE. */
    @Override
    protected boolean lockFreePoll() {
        return true;
    }

    @Override
    public String stateText() {
        return available() + "/" + max;
    }

    /**
     * Describes the named semaphore, for {@code Diagnostics} (waits on it name this proxy, which
     * every handle of it in this JVM shares).
     *
     * @return for example {@code NamedSemaphore[workers, 0/4]}
     */
    @Override
    public String toString() {
        String state;
        try {
            state = stateText();
        } catch (IllegalStateException e) {
            state = "closed";
        }
        return "NamedSemaphore[" + mapping.name() + ", " + state + "]";
    }
}
