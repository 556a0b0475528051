package io.waitkit.segment;

import static io.waitkit.segment.SegmentLayout.ATTRIBUTE_OFFSET;
import static io.waitkit.segment.SegmentLayout.STATE_OFFSET;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.internal.Proxy;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitOperation;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An event (auto-reset or manual-reset, the semantics of {@link io.waitkit.Event}) whose state
 * is a word of a {@link MemorySegment} (see {@link SegmentLayout}): a test-only proxy that
 * proves the engine's {@link Proxy} seam. Another thread (standing in for another process)
 * may change the word through {@link Remote} and then call {@link #signal()}.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>The value (bit 0, SIGNALED) lives only in the segment's STATE word; this proxy's
 *       local state word holds only the engine's LOCKED and QUEUED bits.</li>
 *   <li>Every change of the value is made either under the outside lock (the engine's locked
 *       paths, through {@link #lockOutside()} and {@link #unlockOutside(long)}, and
 *       {@link Remote}), or by one CAS from an observed word without the lock bit, which
 *       therefore never lands inside a locked section.</li>
 *   <li>A local waiter queues only after it found the event non-signalled under both locks
 *       (the engine's registration), and whoever makes the event signalled afterwards serves
 *       the local queue: the locked paths by {@code wake}, a remote writer by {@code signal()},
 *       the lock-free {@link #set()} as described below.</li>
 * </ul>
 *
 * <p><b>Races.</b>
 * <ul>
 *   <li><i>Lock-free set against a registering waiter.</i> On the heap, the fast path's CAS
 *       covers the QUEUED bit and the value in one word. Here they are two words: a waiter
 *       can check the value, queue and unlock between the setter's read of the local word
 *       (no waiter) and its CAS of the segment (which then succeeds, the value being
 *       unchanged), and would sleep through the signal. So after a successful lock-free set
 *       the setter reads the local word again and calls {@code signal()} if it is not quiet.
 *       That read cannot miss the waiter: the CAS is ordered after the waiter's outside
 *       unlock, which follows its local lock, which is cleared only with QUEUED set (or with
 *       an empty queue: then nobody is left to wake).</li>
 *   <li><i>Remote set against a local consumer.</i> A lock-free wait (CAS) may consume the
 *       signal between the remote unlock and its {@code signal()}; the signal then serves
 *       nobody, which is right: the signal was taken once.</li>
 *   <li><i>Lock-free pulse and reset</i> only clear the bit, which makes nothing available,
 *       so they need no signal; a pulse takes the lock-free path only when no local waiter
 *       is queued, and a waiter registering concurrently is ordered after the pulse.</li>
 * </ul>
 *
 * <p><b>Memory visibility.</b> The outside unlock is a release store and every lock, CAS and
 * value read is volatile, so what a setter did before {@code set()} (local or remote)
 * happens-before a wait that took its signal.
 */
public final class SegmentEvent extends SegmentObject implements Waitable {
    /** The value bit of a signalled event. */
    static final long SIGNALED = 1L;

    private final boolean manualReset;

    /**
     * Creates an event in {@code slice}, initializing its words: the slice must not be in use
     * by another object.
     *
     * @param slice {@link SegmentLayout#OBJECT_SIZE} bytes, 8-byte aligned
     * @param manualReset true for a manual-reset event
     * @param signaled the initial state
     */
    public SegmentEvent(MemorySegment slice, boolean manualReset, boolean signaled) {
        super(slice, SPINS_BEFORE_PARKING); // as io.waitkit.Event: events often pass a turn quickly
        this.manualReset = manualReset;
        SegmentLayout.setVolatile(segment, ATTRIBUTE_OFFSET, manualReset ? SegmentLayout.EVENT_MANUAL_RESET : 0L);
        SegmentLayout.setVolatile(segment, STATE_OFFSET, signaled ? SIGNALED : 0L);
    }

    /**
     * Creates an auto-reset event in a new slice of the shared test arena.
     *
     * @param signaled the initial state
     * @return the event
     */
    public static SegmentEvent autoReset(boolean signaled) {
        return new SegmentEvent(SegmentLayout.allocateObject(), false, signaled);
    }

    /**
     * Creates a manual-reset event in a new slice of the shared test arena.
     *
     * @param signaled the initial state
     * @return the event
     */
    public static SegmentEvent manualReset(boolean signaled) {
        return new SegmentEvent(SegmentLayout.allocateObject(), true, signaled);
    }

    /**
     * A remote writer of this event: changes only the segment and then calls {@link #signal()}.
     *
     * @return the writer
     */
    public Remote remote() {
        return new Remote(segment, this::signal);
    }

    // ---- engine hooks (the value is the segment's)

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if ((value & SIGNALED) == 0) {
            return UNAVAILABLE;
        }
        return manualReset ? value : value & ~SIGNALED;
    }

    @Override
    protected boolean mayWake(long value) {
        return (value & SIGNALED) != 0;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        for (;;) {
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w)) {
                return POLL_CONTENDED;
            }
            if ((w & SIGNALED) == 0) {
                return POLL_FAILED;
            }
            if (manualReset || SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w & ~SIGNALED)) {
                return POLL_ACQUIRED;
            }
        }
    }

    // ---- signalling

    /**
     * Signals the event; see {@link io.waitkit.Event#set()}. Hands the signal off to local
     * waiters before returning. Never blocks beyond the object locks.
     *
     * @return the previous state
     */
    public boolean set() {
        for (;;) {
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w)) {
                break;
            }
            if ((w & SIGNALED) != 0) {
                return true;
            }
            if (!isQuiet(getStateVolatile())) {
                break; // local waiters: hand off under the locks
            }
            if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w | SIGNALED)) {
                signalIfQueued();
                return false;
            }
        }
        long v = lockForSignal();
        boolean previous = (v & SIGNALED) != 0;
        try {
            if (!previous) {
                v = wake(v | SIGNALED);
            }
        } finally {
            unlockAfterSignal(v);
        }
        return previous;
    }

    /**
     * Makes the event non-signalled; wakes nobody.
     *
     * @return the previous state
     */
    public boolean reset() {
        for (;;) {
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w)) {
                long v = lockState();
                unlockState(v & ~SIGNALED);
                return (v & SIGNALED) != 0;
            }
            if ((w & SIGNALED) == 0) {
                return false;
            }
            if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w & ~SIGNALED)) {
                return true;
            }
        }
    }

    /**
     * Sets, releases the local waiters a set would release, and resets, as one step; see
     * {@link io.waitkit.Event#pulse()}.
     *
     * @return the previous state
     */
    public boolean pulse() {
        for (;;) {
            if (!isQuiet(getStateVolatile())) {
                break;
            }
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w)) {
                break;
            }
            if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w & ~SIGNALED)) {
                return (w & SIGNALED) != 0;
            }
        }
        long v = lockForSignal();
        boolean previous = (v & SIGNALED) != 0;
        try {
            v = wake(v | SIGNALED) & ~SIGNALED;
        } finally {
            unlockAfterSignal(v);
        }
        return previous;
    }

    // ---- queries

    /**
     * Whether the event is signalled (a snapshot, never a lock holder's intermediate value).
     *
     * @return true if signalled
     */
    public boolean isSignaled() {
        return (SegmentLayout.stableValue(segment) & SIGNALED) != 0;
    }

    /**
     * Whether this is a manual-reset event.
     *
     * @return true for manual-reset
     */
    public boolean isManualReset() {
        return manualReset;
    }

    // ---- waiting

    /**
     * Waits until signalled, consuming the signal of an auto-reset event.
     *
     * @throws InterruptedException if interrupted first (nothing consumed)
     */
    public void await() throws InterruptedException {
        waitOne(true);
    }

    /** Waits until signalled, ignoring interrupts (re-asserted on return). */
    public void awaitUninterruptibly() {
        waitOneUninterruptibly();
    }

    /**
     * Waits at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest wait
     * @return true if the signal was taken
     * @throws InterruptedException if interrupted first (nothing consumed)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return waitOne(Timeouts.of(timeout)) != WaitEngine.NOT_ACQUIRED;
    }

    /**
     * Waits until {@code deadline}; a passed deadline polls.
     *
     * @param deadline when to give up
     * @return true if the signal was taken
     * @throws InterruptedException if interrupted first (nothing consumed)
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        return waitOne(Timeouts.of(deadline)) != WaitEngine.NOT_ACQUIRED;
    }

    /**
     * Takes the signal if signalled now; never blocks.
     *
     * @return true if taken
     */
    public boolean tryAwait() {
        return WaitEngine.poll(this, 1) != WaitEngine.NOT_ACQUIRED;
    }

    /**
     * Waits asynchronously; cancelling a pending future withdraws the wait.
     *
     * @return the future, completed once the signal was taken for it
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Describes the event.
     *
     * @return for example {@code SegmentEvent[auto-reset, signaled]}
     */
    @Override
    public String toString() {
        return "SegmentEvent[" + (manualReset ? "manual-reset" : "auto-reset") + ", "
                + (isSignaled() ? "signaled" : "non-signaled") + (hasLocalWaiters() ? ", waiters" : "") + "]";
    }

    /**
     * What another process does to the event: it changes only the segment's STATE word, under
     * the outside lock protocol of {@link SegmentLayout}, and then tells this JVM through a
     * signal callback (here the proxy's {@link Proxy#signal()}; across processes, a futex wake
     * or a message that a thread of this JVM turns into that call). It never calls the engine.
     */
    public static final class Remote {
        private final MemorySegment segment;
        private final Runnable signal;

        /**
         * Creates a writer of the event in {@code segment}.
         *
         * @param segment the event's slice
         * @param signal what to call after a change that may make the event available
         */
        public Remote(MemorySegment segment, Runnable signal) {
            this.segment = SegmentLayout.checkSlice(Objects.requireNonNull(segment, "segment"));
            this.signal = Objects.requireNonNull(signal, "signal");
        }

        /**
         * Sets the event in the segment, then signals if that changed it.
         *
         * @return the previous state
         */
        public boolean set() {
            long v = SegmentLayout.lock(segment);
            SegmentLayout.unlock(segment, v | SIGNALED);
            boolean previous = (v & SIGNALED) != 0;
            if (!previous) {
                signal.run();
            }
            return previous;
        }

        /**
         * Resets the event in the segment; makes nothing available, so signals nobody.
         *
         * @return the previous state
         */
        public boolean reset() {
            long v = SegmentLayout.lock(segment);
            SegmentLayout.unlock(segment, v & ~SIGNALED);
            return (v & SIGNALED) != 0;
        }
    }
}
