package io.waitkit.segment;

import static io.waitkit.segment.SegmentLayout.ATTRIBUTE_OFFSET;
import static io.waitkit.segment.SegmentLayout.STATE_OFFSET;

import io.waitkit.Deadline;
import io.waitkit.SemaphoreFullException;
import io.waitkit.Waitable;
import io.waitkit.internal.Proxy;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitOperation;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore with a maximum (the semantics of {@link io.waitkit.Semaphore}) whose
 * count is the STATE word of a {@link MemorySegment} and whose maximum is its ATTRIBUTE word
 * (see {@link SegmentLayout}): a test-only proxy that proves the engine's {@link Proxy} seam.
 * Another thread (standing in for another process) may release permits through
 * {@link Remote}, which changes only the segment and then calls {@link #signal()}.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>The count lives only in the segment; this proxy's local state word holds only the
 *       engine's LOCKED and QUEUED bits. {@code 0 <= count <= max} whenever the outside lock
 *       is free.</li>
 *   <li>Every change of the count is made under the outside lock (the engine's locked paths,
 *       and {@link Remote}) or by one CAS from an observed word without the lock bit.</li>
 *   <li>A local waiter queues only after it found too few permits under both locks; whoever
 *       adds permits afterwards serves the local queue: the locked paths by {@code wake}, a
 *       remote releaser by {@code signal()}, the lock-free {@link #release(int)} as below.</li>
 * </ul>
 *
 * <p><b>Races.</b>
 * <ul>
 *   <li><i>Lock-free release against a registering waiter.</i> The heap semaphore's release
 *       CAS covers the QUEUED bit and the count in one word; here they are two words, and a
 *       waiter may check the count, queue and unlock between the releaser's read of the local
 *       word and its segment CAS (which succeeds: the count is unchanged). So after a
 *       successful lock-free release the releaser reads the local word again and calls
 *       {@code signal()} if it is not quiet (see {@link SegmentEvent} for why that read cannot
 *       miss the waiter).</li>
 *   <li><i>Remote release against local acquirers.</i> A lock-free acquirer may take the
 *       permit between the remote unlock and its {@code signal()}, as a new arrival may take a
 *       permit that queued waiters could not use on NT; the signal then serves nobody.</li>
 *   <li><i>Over-release.</i> The check against the maximum and the addition are one CAS (or
 *       happen under the outside lock), so concurrent releasers never push the count past the
 *       maximum, whichever process they run in.</li>
 * </ul>
 */
public final class SegmentSemaphore extends SegmentObject implements Waitable {
    /** A copy of the ATTRIBUTE word, which is written once before the object is published. */
    private final int max;
    /**
     * Test hook: run once, then cleared, between the lock-free release's check of the local
     * word and its CAS, so that a test can replay the first race of the class comment
     * deterministically (queue a waiter right there). Null in every other use.
     */
    volatile Runnable beforeLockFreeReleaseCas;

    /**
     * Creates a semaphore in {@code slice}, initializing its words: the slice must not be in
     * use by another object.
     *
     * @param slice {@link SegmentLayout#OBJECT_SIZE} bytes, 8-byte aligned
     * @param initial the initial count
     * @param max the maximum count
     * @throws IllegalArgumentException unless {@code 0 <= initial <= max} and {@code max >= 1}
     */
    public SegmentSemaphore(MemorySegment slice, int initial, int max) {
        super(slice, SPINS_BEFORE_QUEUEING); // as io.waitkit.Semaphore: permits usually come back soon
        checkCounts(initial, max);
        this.max = max;
        SegmentLayout.setVolatile(segment, ATTRIBUTE_OFFSET, max);
        SegmentLayout.setVolatile(segment, STATE_OFFSET, initial);
    }

    /**
     * Creates a semaphore in a new slice of the shared test arena.
     *
     * @param initial the initial count
     * @param max the maximum count
     * @return the semaphore
     * @throws IllegalArgumentException unless {@code 0 <= initial <= max} and {@code max >= 1}
     */
    public static SegmentSemaphore allocate(int initial, int max) {
        checkCounts(initial, max); // before allocating: the arena is never closed
        return new SegmentSemaphore(SegmentLayout.allocateObject(), initial, max);
    }

    private static void checkCounts(int initial, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        if (initial < 0 || initial > max) {
            throw new IllegalArgumentException("initial must be between 0 and max (" + max + "): " + initial);
        }
    }

    /**
     * A remote releaser of this semaphore: changes only the segment, then calls
     * {@link #signal()}.
     *
     * @return the writer
     */
    public Remote remote() {
        return new Remote(segment, this::signal);
    }

    // ---- engine hooks (the value is the segment's count)

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
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w)) {
                return POLL_CONTENDED;
            }
            if (w < arg) {
                return POLL_FAILED;
            }
            if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w - arg)) {
                return POLL_ACQUIRED;
            }
        }
    }


    // ---- releasing

    /**
     * Releases one permit; see {@link #release(int)}.
     *
     * @return the count before the release
     * @throws SemaphoreFullException if the count is at the maximum (nothing changes)
     */
    public int release() {
        return release(1);
    }

    /**
     * Raises the count by {@code n} and hands permits to local waiters before returning; see
     * {@link io.waitkit.Semaphore#release(int)}.
     *
     * @param n the permits to release; 0 changes nothing
     * @return the count before the release
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws SemaphoreFullException if the count would exceed the maximum (nothing changes)
     */
    public int release(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot release a negative number of permits: " + n);
        }
        if (n == 0) {
            return (int) SegmentLayout.stableValue(segment);
        }
        for (;;) {
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w) || !isQuiet(getStateVolatile())) {
                break; // held, or local waiters to hand off to: under the locks
            }
            if (w + n > max) {
                throw full(max, w, n);
            }
            Runnable probe = beforeLockFreeReleaseCas;
            if (probe != null) {
                beforeLockFreeReleaseCas = null;
                probe.run();
            }
            if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w + n)) {
                signalIfQueued();
                return (int) w;
            }
        }
        long v = lockForSignal();
        long previous = v;
        try {
            if (v + n > max) {
                throw full(max, v, n);
            }
            v = wake(v + n);
        } finally {
            unlockAfterSignal(v);
        }
        return (int) previous;
    }

    private static SemaphoreFullException full(long max, long count, int n) {
        return new SemaphoreFullException("releasing " + n + " permit(s) at count " + count
                + " would exceed the maximum of " + max);
    }

    // ---- acquiring

    /**
     * Takes one permit, waiting as long as necessary.
     *
     * @throws InterruptedException if interrupted first (nothing taken)
     */
    public void acquire() throws InterruptedException {
        waitOne(true);
    }

    /** Takes one permit, ignoring interrupts (re-asserted on return). */
    public void acquireUninterruptibly() {
        waitOneUninterruptibly();
    }

    /**
     * Takes one permit if one is available now; never blocks.
     *
     * @return true if taken
     */
    public boolean tryAcquire() {
        return WaitEngine.poll(this, 1) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes one permit, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest wait
     * @return true if taken
     * @throws InterruptedException if interrupted first (nothing taken)
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return waitOne(Timeouts.of(timeout)) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes one permit unless {@code deadline} passes first; a passed deadline polls.
     *
     * @param deadline when to give up
     * @return true if taken
     * @throws InterruptedException if interrupted first (nothing taken)
     */
    public boolean tryAcquire(Deadline deadline) throws InterruptedException {
        return waitOne(Timeouts.of(deadline)) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes one permit asynchronously; cancelling a pending future withdraws the wait.
     *
     * @return the future, completed once the permit was taken for it
     */
    public CompletableFuture<Void> acquireAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    // ---- queries

    /**
     * The count (a snapshot, never a lock holder's intermediate value).
     *
     * @return the available permits
     */
    public int availablePermits() {
        return (int) SegmentLayout.stableValue(segment);
    }

    /**
     * The maximum count.
     *
     * @return the maximum
     */
    public int maxPermits() {
        return max;
    }

    /**
     * Describes the semaphore.
     *
     * @return for example {@code SegmentSemaphore[2/4]}
     */
    @Override
    public String toString() {
        return "SegmentSemaphore[" + availablePermits() + "/" + max + (hasLocalWaiters() ? ", waiters" : "") + "]";
    }

    /**
     * What another process does to the semaphore: it changes only the segment's STATE word,
     * under the outside lock protocol of {@link SegmentLayout}, checking the maximum in the
     * ATTRIBUTE word, and then tells this JVM through a signal callback (here the proxy's
     * {@link Proxy#signal()}). It never calls the engine.
     */
    public static final class Remote {
        private final MemorySegment segment;
        private final Runnable signal;

        /**
         * Creates a releaser of the semaphore in {@code segment}.
         *
         * @param segment the semaphore's slice
         * @param signal what to call after permits were added
         */
        public Remote(MemorySegment segment, Runnable signal) {
            this.segment = SegmentLayout.checkSlice(Objects.requireNonNull(segment, "segment"));
            this.signal = Objects.requireNonNull(signal, "signal");
        }

        /**
         * Adds {@code n} permits in the segment, then signals.
         *
         * @param n the permits, at least 1
         * @return the count before the release
         * @throws IllegalArgumentException if {@code n} is below 1
         * @throws SemaphoreFullException if the count would exceed the maximum (nothing changes,
         *         nobody is signalled)
         */
        public int release(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("release at least one permit: " + n);
            }
            long max = SegmentLayout.getAcquire(segment, ATTRIBUTE_OFFSET);
            long v = SegmentLayout.lock(segment);
            if (v + n > max) {
                SegmentLayout.unlock(segment, v);
                throw full(max, v, n);
            }
            SegmentLayout.unlock(segment, v + n);
            signal.run();
            return (int) v;
        }

        /**
         * Adds one permit in the segment, then signals.
         *
         * @return the count before the release
         * @throws SemaphoreFullException if the count is at the maximum (nothing changes)
         */
        public int release() {
            return release(1);
        }
    }
}
