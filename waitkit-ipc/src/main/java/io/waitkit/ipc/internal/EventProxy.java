package io.waitkit.ipc.internal;

import io.waitkit.internal.WaitOperation;

/**
 * The proxy of a named event (auto- or manual-reset): the semantics of {@code io.waitkit.Event}
 * with the state in a mapped file.
 *
 * <pre>
 *   STATE value: bit 0 SIGNALED
 *   engine value (local only, never stored): bit 1 PULSED, a pulse of another process being
 *                served to this JVM's queue
 *   header PARAM0: 1 for a manual-reset event
 * </pre>
 *
 * <p><b>Set</b> serves this JVM's queue under both locks (an auto-reset signal goes to the
 * first local waiter), and wakes other processes only if the event is still signalled after
 * that; while no waiter of this JVM is queued it is one CAS from an unlocked word, followed by
 * {@link #signalIfQueued()} and the wake-up of the other processes. A platform thread's wait
 * retries the lock-free poll briefly before it queues ({@code SPINS_BEFORE_QUEUEING}), so a
 * signal from a process running on another core is taken with one CAS. <b>Reset</b> clears the bit. Auto-reset waits consume the bit; a lock-free poll takes it
 * with one CAS from an unlocked word.
 *
 * <p><b>Pulses across processes.</b> A pulse releases the waiters blocked at that moment
 * (manual-reset: all; auto-reset: one) and leaves the event non-signalled, so a sleeper of
 * another process that wakes later would find nothing. A pulse therefore first serves this
 * JVM's queue with the bit set (as the in-process event does); then, if some waiter may remain
 * in another process (SLEEPERS is not 0) and the pulse was not consumed here, it increments
 * PULSE_GEN (and, for auto-reset, sets PULSE_TOKEN to 1) under the outside lock before waking
 * the others. A process whose pool is woken and finds PULSE_GEN changed since it last looked
 * serves its queue with the virtual PULSED bit: all its queued waiters for a manual-reset event;
 * for auto-reset, one, and only if it wins the token (a CAS from 1 to 0 under the outside lock;
 * an unused token is put back). So a pulse releases the waiters that were queued in each
 * process when the pulse reached that process's pool; a waiter that queued between the pulse
 * and that moment is released too (documented: cross-process pulses are as imprecise as
 * NT's own, which may miss a waiter that is momentarily not waiting).
 */
public final class EventProxy extends NamedProxy {
    /** The SIGNALED bit of the stored value. */
    public static final long SIGNALED = 1L;
    private static final long PULSED = 2L;

    private final boolean manualReset;
    /** The PULSE_GEN value this JVM last served; guarded by the local lock. */
    private int lastPulse;

    /**
     * Creates the proxy of a mapped event file.
     *
     * @param mapping the file
     */
    public EventProxy(Mapping mapping) {
        super(mapping, SPINS_BEFORE_QUEUEING); // a platform waiter retries the lock-free poll briefly before it queues
        this.manualReset = mapping.header().param0() == 1L;
        this.lastPulse = SyncLayout.getIntVolatile(body, SyncLayout.PULSE_GEN);
    }

    /**
     * Whether the event is manual-reset.
     *
     * @return true for manual-reset
     */
    public boolean isManualReset() {
        return manualReset;
    }

    // ---- engine hooks

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if ((value & (SIGNALED | PULSED)) == 0) {
            return UNAVAILABLE;
        }
        if (manualReset) {
            return value;
        }
        return (value & PULSED) != 0 ? value & ~PULSED : value & ~SIGNALED;
    }

    @Override
    protected boolean mayWake(long value) {
        return (value & (SIGNALED | PULSED)) != 0;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        for (;;) {
            long w = SyncLayout.getLongVolatile(body, SyncLayout.STATE);
            if (SyncLayout.isLocked(w)) {
                return POLL_CONTENDED;
            }
            if ((w & SIGNALED) == 0) {
                return POLL_FAILED;
            }
            if (manualReset) {
                return POLL_ACQUIRED;
            }
            if (compareAndSetStateWord(w, w & ~SIGNALED)) {
                return POLL_ACQUIRED;
            }
        }
    }

    private boolean compareAndSetStateWord(long expected, long update) {
        return SyncLayout.compareAndSetLong(body, SyncLayout.STATE, expected, update);
    }

    // ---- operations

    /**
     * Signals the event (see the class comment).
     *
     * @return the previous state
     */
    public boolean set() {
        for (;;) { // lock-free while no waiter of this JVM is queued: one CAS, then the wake-ups
            long w = SyncLayout.getLongVolatile(body, SyncLayout.STATE);
            if (SyncLayout.isLocked(w) || !isQuiet(getStateVolatile())) {
                break;
            }
            if ((w & SIGNALED) != 0) {
                return true; // already set: the set that set it wakes the sleepers
            }
            if (compareAndSetStateWord(w, w | SIGNALED)) {
                signalIfQueued(); // a waiter of this JVM that queued meanwhile (see Proxy)
                wakeOthers();
                return false;
            }
        }
        long v = lockForSignal();
        boolean previous = (v & SIGNALED) != 0;
        try {
            v = wake(v | SIGNALED);
        } finally {
            unlockAfterSignal(v);
        }
        if ((v & SIGNALED) != 0 || hasDirectSleepers()) {
            wakeOthers();
        }
        return previous;
    }

    /**
     * Makes the event non-signalled.
     *
     * @return the previous state
     */
    public boolean reset() {
        long v = lockState();
        unlockState(v & ~SIGNALED);
        return (v & SIGNALED) != 0;
    }

    /**
     * Releases the waiters blocked now (manual-reset: all, auto-reset: one) and leaves the event
     * non-signalled (see the class comment).
     *
     * @return the previous state
     */
    public boolean pulse() {
        long v = lockForSignal();
        boolean previous = (v & SIGNALED) != 0;
        boolean others = false;
        try {
            long after = wake(v | SIGNALED);
            boolean consumedHere = !manualReset && (after & SIGNALED) == 0;
            if (!consumedHere && SyncLayout.getIntVolatile(body, SyncLayout.SLEEPERS) != 0) {
                lastPulse = SyncLayout.getAndAddInt(body, SyncLayout.PULSE_GEN, 1) + 1;
                if (!manualReset) {
                    SyncLayout.setIntVolatile(body, SyncLayout.PULSE_TOKEN, 1);
                }
                others = true;
            }
            v = after & ~SIGNALED;
        } finally {
            unlockAfterSignal(v);
        }
        if (others || hasDirectSleepers()) {
            wakeOthers();
        }
        return previous;
    }

    /**
     * The current state, a snapshot.
     *
     * @return true if signalled
     */
    public boolean isSignaled() {
        return (settledValue() & SIGNALED) != 0;
    }

    @Override
    protected void remoteChange() {
        long v = lockForSignal();
        try {
            noteServed();
            int gen = SyncLayout.getIntVolatile(body, SyncLayout.PULSE_GEN);
            if (gen != lastPulse) {
                lastPulse = gen;
                if (!queueEmpty() && (manualReset
                        || SyncLayout.compareAndSetInt(body, SyncLayout.PULSE_TOKEN, 1, 0))) {
                    v |= PULSED;
                }
            }
            v = wake(v);
            if ((v & PULSED) != 0) {
                v &= ~PULSED;
                if (!manualReset) {
                    SyncLayout.setIntVolatile(body, SyncLayout.PULSE_TOKEN, 1); // unused: another process may take it
                }
            }
        } finally {
            unlockAfterSignalCompletingElsewhere(v);
        }
    }

    /** {@inheritDoc} Yes: an unavailable event is one read of STATE. */
    @Override
    protected boolean lockFreePoll() {
        return true;
    }

    @Override
    public String stateText() {
        return isSignaled() ? "signaled" : "not signaled";
    }

    /**
     * Describes the named event, for {@code Diagnostics} (waits on it name this proxy, which
     * every handle of it in this JVM shares), as its handles describe it.
     *
     * @return for example {@code NamedEvent[stop, manual-reset, not signaled]}
     */
    @Override
    public String toString() {
        String state;
        try {
            state = (isManualReset() ? "manual-reset, " : "auto-reset, ") + stateText();
        } catch (IllegalStateException e) {
            state = "closed";
        }
        return "NamedEvent[" + mapping.name() + ", " + state + "]";
    }
}
