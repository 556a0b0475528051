package io.waitkit.internal;

import io.waitkit.Waitable;

/**
 * The smallest engine primitive, for the engine's own tests: a count of tokens; a wait takes
 * one, {@link #give(int)} adds some and hands them to queued waiters. No fast path for
 * signals and no spinning, so every signal goes through the hand-off under the object lock.
 */
final class Tokens extends WaitObject implements Waitable {
    Tokens(int initial) {
        super(initial);
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
            long s = getStateVolatile();
            if (isLocked(s)) {
                return POLL_CONTENDED;
            }
            if (valueOf(s) < arg) {
                return POLL_FAILED;
            }
            if (compareAndSetState(s, s - arg)) {
                return POLL_ACQUIRED;
            }
        }
    }

    /** Adds {@code n} tokens, handing them to queued waiters first come, first served. */
    void give(int n) {
        long v = lockForSignal();
        v = wake(v + n);
        unlockAfterSignal(v);
    }

    /** The tokens left (waits out a held lock). */
    long count() {
        return stableValue();
    }
}
