package io.waitkit.segment;

import static io.waitkit.segment.SegmentLayout.ATTRIBUTE_OFFSET;
import static io.waitkit.segment.SegmentLayout.STATE_OFFSET;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.internal.OwnerWatchdog;
import io.waitkit.internal.Proxy;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitOperation;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * An owned, recursive mutex with abandonment (the semantics of {@link io.waitkit.Mutex}) whose
 * state is in a {@link MemorySegment}: the hold count and the ABANDONED mark in the STATE word,
 * the owner's {@link Thread#threadId()} in the ATTRIBUTE word (see {@link SegmentLayout}). A
 * test-only proxy that proves the engine's {@link Proxy} seam; ids are resolved to threads
 * through {@link ThreadRegistry}.
 *
 * <pre>
 *   STATE value:  bit 31 ABANDONED (owner died holding it, nobody took it since)
 *                 bits 30..0 hold count (0: free)
 *   ATTRIBUTE:    owner thread id while the hold count is positive; 0 otherwise
 * </pre>
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>Every change of the STATE value is made under the outside lock (the engine's locked
 *       paths) or by one CAS from an observed word without the lock bit.</li>
 *   <li>The owner word trails the hold count by one store on the lock-free paths: an
 *       acquirer stores its id right after its CAS from hold count 0, a final releaser clears
 *       it right before its CAS to 0 (and restores it if the CAS fails). On the locked paths
 *       it is written by {@link #acquired} and cleared before a hand-off, under both locks.
 *       So a reader that finds the mutex held sees either 0 (the store is about to land) or
 *       the current owner, never a previous one; and a thread that finds its own id there
 *       owns the mutex: its id is stored only by an acquisition for it (its own, or a
 *       hand-off made on its behalf) and cleared by itself before it lets go (or by the
 *       watchdog once it has died).</li>
 *   <li>A thread is registered in {@link ThreadRegistry} before its id is stored.</li>
 *   <li>{@code watched} (guarded by the local lock) is true while this mutex is registered
 *       with the {@link OwnerWatchdog}: from the first local waiter of a contention episode
 *       until a check finds the local queue empty.</li>
 * </ul>
 *
 * <p><b>Races.</b>
 * <ul>
 *   <li><i>Lock-free final release against a registering waiter.</i> As for
 *       {@link SegmentEvent}: the local QUEUED bit and the hold count are two words, so after
 *       a successful lock-free final release the releaser reads the local word again and calls
 *       {@link #signal()} if a waiter may have queued meanwhile.</li>
 *   <li><i>Owner death.</i> A dead owner is noticed by the next acquirer (its {@code acquireFor}
 *       under the locks takes the mutex over) or, while local waiters are queued, by the
 *       watchdog's {@link #checkOwner()}, which re-reads the owner word under the locks before
 *       it clears it and hands the mutex off with the ABANDONED mark, exactly as the heap
 *       mutex does; the claim that takes it reports {@link AbandonedMutexException}.</li>
 *   <li><i>Snapshots.</i> A query that finds the mutex held without an owner id retries until
 *       the acquirer's store lands, so a held mutex is never reported free.</li>
 * </ul>
 */
public final class SegmentMutex extends SegmentObject implements Waitable {
    private static final long HOLDS = 0x7FFF_FFFFL;
    private static final long ABANDONED = 1L << 31;
    /** The owner word of a free mutex: thread ids are positive. */
    private static final long NO_OWNER = 0L;

    /** Registered with the owner watchdog (guarded by the local object lock). */
    private boolean watched;

    /**
     * Creates a free mutex in {@code slice}, initializing its words: the slice must not be in
     * use by another object.
     *
     * @param slice {@link SegmentLayout#OBJECT_SIZE} bytes, 8-byte aligned
     */
    public SegmentMutex(MemorySegment slice) {
        this(slice, null);
    }

    private SegmentMutex(MemorySegment slice, Thread owner) {
        super(slice, SPINS_BEFORE_QUEUEING); // as io.waitkit.Mutex: a lock is usually held briefly
        SegmentLayout.setVolatile(segment, ATTRIBUTE_OFFSET, owner == null ? NO_OWNER : ThreadRegistry.register(owner));
        SegmentLayout.setVolatile(segment, STATE_OFFSET, owner == null ? 0L : 1L);
    }

    /**
     * Creates a free mutex in a new slice of the shared test arena.
     *
     * @return the mutex
     */
    public static SegmentMutex allocate() {
        return new SegmentMutex(SegmentLayout.allocateObject());
    }

    /**
     * Creates a mutex owned by the current thread with hold count 1, in a new slice of the
     * shared test arena.
     *
     * @return the mutex
     */
    public static SegmentMutex allocateOwnedByCurrentThread() {
        return new SegmentMutex(SegmentLayout.allocateObject(), Thread.currentThread());
    }

    private long ownerId() {
        return SegmentLayout.getAcquire(segment, ATTRIBUTE_OFFSET);
    }

    private void setOwnerId(long id) {
        SegmentLayout.setRelease(segment, ATTRIBUTE_OFFSET, id);
    }

    // ---- engine hooks (the value is the segment's STATE value)

    @Override
    protected long acquireFor(long value, Thread who, long arg, WaitOperation op) {
        if ((value & ABANDONED) != 0) {
            return 1L | MUST_REPORT;
        }
        long holds = value & HOLDS;
        if (holds == 0) {
            return 1L;
        }
        long o = ownerId();
        if (o == who.threadId()) {
            return holds == HOLDS ? OVERFLOW : value + 1;
        }
        if (o != NO_OWNER && ThreadRegistry.isDead(o)) {
            return 1L | MUST_REPORT; // the owner died holding it
        }
        return UNAVAILABLE;
    }

    @Override
    protected long acquired(long value, Thread who, long arg, WaitOperation op, boolean wasQueued) {
        setOwnerId(ThreadRegistry.register(who));
        return value;
    }

    @Override
    protected boolean mayWake(long value) {
        return (value & HOLDS) == 0;
    }

    @Override
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalStateException(overflowMessage());
    }

    private static String overflowMessage() {
        return "maximum hold count exceeded (" + HOLDS + ")";
    }

    /** {@inheritDoc} The segment's words: a quick re-lock by another owner shows. */
    @Override
    protected long spinSnapshot() {
        return SegmentLayout.getVolatile(segment, STATE_OFFSET) ^ (ownerId() << 32);
    }

    @Override
    protected int tryAcquireFast(Thread who, long arg, WaitOperation op) {
        long me = ThreadRegistry.register(who); // before the id can be stored
        for (;;) {
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w) || (w & ABANDONED) != 0) {
                return POLL_CONTENDED;
            }
            long holds = w & HOLDS;
            if (holds == 0) {
                if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w + 1)) {
                    setOwnerId(me);
                    return POLL_ACQUIRED;
                }
                continue;
            }
            long o = ownerId();
            if (o == me) {
                if (holds == HOLDS) {
                    throw new IllegalStateException(overflowMessage());
                }
                if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w + 1)) {
                    return POLL_ACQUIRED;
                }
                continue;
            }
            return o != NO_OWNER && ThreadRegistry.isDead(o) ? POLL_CONTENDED : POLL_FAILED;
        }
    }

    @Override
    protected long enqueued(long value, Thread who, long arg, WaitOperation op) {
        if (!watched) {
            watched = true;
            OwnerWatchdog.watch(this);
        }
        return value;
    }

    @Override
    protected boolean checkOwner() {
        long o = ownerId();
        if (o != NO_OWNER && ThreadRegistry.isDead(o)) {
            long v = lockForSignal();
            try {
                if ((v & HOLDS) != 0 && ownerId() == o) {
                    setOwnerId(NO_OWNER);
                    v = wake(ABANDONED);
                }
            } finally {
                unlockAfterSignalCompletingElsewhere(v); // never run user callbacks on the watchdog thread
            }
        }
        long v = lockState();
        boolean keep = !queueEmpty();
        watched = keep;
        unlockState(v);
        return keep;
    }

    @Override
    protected RuntimeException reportException(int index, Object member) {
        return new AbandonedMutexException(index, this);
    }


    // ---- acquiring

    /**
     * Acquires the mutex, ignoring interrupts (re-asserted on return).
     *
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     * @throws IllegalStateException if the hold count would overflow
     */
    public void lock() {
        result(waitOneUninterruptibly());
    }

    /**
     * Acquires the mutex unless interrupted.
     *
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    public void lockInterruptibly() throws InterruptedException {
        result(waitOne(true));
    }

    /**
     * Acquires the mutex if it is free or owned by the current thread; never blocks.
     *
     * @return true if acquired
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    public boolean tryLock() {
        return result(WaitEngine.poll(this, 1));
    }

    /**
     * Acquires the mutex, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest wait
     * @return true if acquired
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return result(waitOne(Timeouts.of(timeout)));
    }

    /**
     * Acquires the mutex unless {@code deadline} passes first; a passed deadline polls.
     *
     * @param deadline when to give up
     * @return true if acquired
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    public boolean tryLock(Deadline deadline) throws InterruptedException {
        return result(waitOne(Timeouts.of(deadline)));
    }

    /**
     * Acquires asynchronously for the current thread; cancelling a pending future withdraws
     * the wait.
     *
     * @return the future, completed once the mutex is owned by the calling thread, or
     *         exceptionally with {@link AbandonedMutexException} (ownership taken)
     */
    public CompletableFuture<Void> lockAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    private boolean result(int r) {
        if (r == WaitEngine.REPORTED) {
            throw reportException(-1, this);
        }
        return r == WaitEngine.ACQUIRED;
    }

    // ---- releasing

    /**
     * Releases one hold; the final release hands the mutex to the first local waiter before
     * returning.
     *
     * @return the hold count before this release
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     *         (nothing changes)
     */
    public int release() {
        long me = Thread.currentThread().threadId();
        for (;;) {
            if (ownerId() != me) {
                throw notOwner(me);
            }
            long w = SegmentLayout.getVolatile(segment, STATE_OFFSET);
            if (SegmentLayout.isLocked(w)) {
                SegmentLayout.stableValue(segment); // waits out the lock holder
                continue;
            }
            long holds = w & HOLDS;
            if (holds == 0) {
                throw notOwner(me); // cannot happen while the id is ours (class comment)
            }
            if (holds > 1) {
                if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w - 1)) {
                    return (int) holds;
                }
                continue;
            }
            if (isQuiet(getStateVolatile())) {
                setOwnerId(NO_OWNER);
                if (SegmentLayout.compareAndSet(segment, STATE_OFFSET, w, w - 1)) {
                    signalIfQueued();
                    return 1;
                }
                setOwnerId(me);
                continue;
            }
            long v = lockForSignal();
            try {
                setOwnerId(NO_OWNER);
                v = wake(v - 1);
            } finally {
                unlockAfterSignal(v);
            }
            return 1;
        }
    }

    /**
     * Releases one hold; see {@link #release()}.
     *
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     */
    public void unlock() {
        release();
    }

    private IllegalMonitorStateException notOwner(long me) {
        long v = SegmentLayout.stableValue(segment);
        long o = ownerId();
        String state = (v & ABANDONED) != 0 || (o != NO_OWNER && ThreadRegistry.isDead(o)) ? "it is abandoned"
                : (v & HOLDS) == 0 ? "it is not owned" : "it is owned by thread #" + o;
        return new IllegalMonitorStateException("the current thread #" + me + " does not own this mutex: " + state);
    }

    // ---- queries

    /**
     * The owner (a snapshot).
     *
     * @return the owner, or null if the mutex is free or abandoned
     */
    public Thread owner() {
        Snapshot s = snapshot();
        Thread t = ThreadRegistry.resolve(s.ownerId);
        return (s.value & HOLDS) == 0 || t == null || !t.isAlive() ? null : t;
    }

    /**
     * The owner's hold count (a snapshot).
     *
     * @return the hold count, or 0 if the mutex is free or abandoned
     */
    public int holdCount() {
        Snapshot s = snapshot();
        return (s.value & HOLDS) == 0 || ThreadRegistry.isDead(s.ownerId) ? 0 : (int) (s.value & HOLDS);
    }

    /**
     * Whether the current thread owns the mutex.
     *
     * @return true if it holds it at least once
     */
    public boolean isHeldByCurrentThread() {
        return ownerId() == Thread.currentThread().threadId();
    }

    /**
     * Whether the mutex is abandoned: its owner terminated holding it and nobody took it
     * since. Reading does not clear the mark.
     *
     * @return true if abandoned
     */
    public boolean isAbandoned() {
        Snapshot s = snapshot();
        return (s.value & ABANDONED) != 0 || ((s.value & HOLDS) != 0 && ThreadRegistry.isDead(s.ownerId));
    }

    /** The value and the owner id read together; the id is never 0 while held. */
    private record Snapshot(long value, long ownerId) {
    }

    /**
     * Reads the value and the owner id together, under both locks; retries while the mutex is
     * held but its acquirer's id store has not landed (see the class comment).
     */
    private Snapshot snapshot() {
        for (int spins = 0; ; spins++) {
            long v = lockState();
            long o = ownerId();
            unlockState(v);
            if ((v & HOLDS) == 0 || o != NO_OWNER) {
                return new Snapshot(v, o);
            }
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(1_000L); // unmounts a virtual thread: the storer runs
            }
        }
    }

    /**
     * Describes the mutex.
     *
     * @return for example {@code SegmentMutex[owned by Thread[#1,main], holds=2]}
     */
    @Override
    public String toString() {
        if (isAbandoned()) {
            return "SegmentMutex[abandoned]";
        }
        Thread o = owner();
        return o == null ? "SegmentMutex[free]" : "SegmentMutex[owned by " + o + ", holds=" + holdCount() + "]";
    }
}
