package io.waitkit;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;

/**
 * The engine side shared by {@link Event} and {@link WaitableTimer}: one SIGNALED bit that a
 * wait consumes when the object auto-resets and leaves alone otherwise.
 */
abstract class SignalState extends WaitObject {
    static final long SIGNALED = 1L;

    private final boolean consumes;

    SignalState(boolean signaled, boolean consumes, int traits) {
        super(signaled ? SIGNALED : 0L, traits);
        this.consumes = consumes;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if ((value & SIGNALED) == 0) {
            return UNAVAILABLE;
        }
        return consumes ? value & ~SIGNALED : value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return (value & SIGNALED) != 0;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                return POLL_CONTENDED;
            }
            if ((s & SIGNALED) == 0) {
                return POLL_FAILED;
            }
            if (!consumes || compareAndSetState(s, s & ~SIGNALED)) {
                return POLL_ACQUIRED;
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected int peekFast(Thread owner, long arg, WaitOperation op) {
        long s = getStateVolatile();
        return isLocked(s) ? POLL_CONTENDED : (s & SIGNALED) != 0 ? POLL_ACQUIRED : POLL_FAILED;
    }

    /**
     * Whether the object is signalled (a snapshot, never an intermediate state).
     *
     * @return true if signalled
     */
    final boolean signaled() {
        return (stableValue() & SIGNALED) != 0;
    }

    /**
     * Makes the object non-signalled; wakes nobody.
     *
     * @return the previous state
     */
    final boolean clearSignal() {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                long v = lockState();
                unlockState(v & ~SIGNALED);
                return (v & SIGNALED) != 0;
            }
            if ((s & SIGNALED) == 0) {
                return false;
            }
            if (compareAndSetState(s, s & ~SIGNALED)) {
                return true;
            }
        }
    }
}
