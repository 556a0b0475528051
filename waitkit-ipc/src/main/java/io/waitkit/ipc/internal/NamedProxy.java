package io.waitkit.ipc.internal;

import io.waitkit.internal.Proxy;
import io.waitkit.internal.WaitOperation;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This JVM's engine proxy of one named object: the engine's object lock and the queue of this
 * JVM's waiters on the heap, the value in the mapped {@link SyncLayout synchronization block}
 * under its outside lock. One proxy per object file per JVM ({@link Mapping}), shared by every
 * handle.
 *
 * <p><b>How waiters of this JVM learn of other processes' changes.</b> A waiter of this JVM
 * queues in the engine, as on any object. A platform thread's single-object wait then sleeps
 * on the SEQ word itself ({@link #parkOutside}) and serves the queue when SEQ moves. Every
 * other waiter parks (a virtual thread unmounts; it never blocks in a system call); the first
 * of a contention episode registers the proxy with the {@link WaiterPool} ({@link #enqueued}),
 * and a platform thread of the pool sleeps on the SEQ word
 * of every registered object and, when SEQ changes, calls {@link #remoteChange()}, which serves
 * the queue at the new value exactly as a local release would (claim by claim, under both
 * locks). The pool drops the proxy once its queue is empty ({@link #unwatchIfIdle()}, under the
 * local lock, so a waiter that queues concurrently either finds the proxy still registered or
 * registers it again).
 *
 * <p><b>How other processes learn of this JVM's changes.</b> A change made through this proxy
 * that can make the object available serves this JVM's queue first (local waiters are served
 * in FIFO order before any other process's, as the hand-off rule wants), and then, if the
 * object is still available, increments SEQ and wakes the sleepers of every process
 * ({@link #wakeOthers()}).
 *
 * <p><b>Barging objects.</b> A mutex or semaphore whose header says barging is made with the
 * engine's {@code BARGING} trait, so every walk of this JVM's queue (a release, a
 * {@link #remoteChange()}, an abandonment mark, a withdrawal) wakes this JVM's first waiter to
 * compete again instead of acquiring for it, and leaves the value available; waits on several
 * objects and async waits are still claimed, as on a heap object. Since the value is left
 * available, the change that woke the waiter also increments SEQ and wakes the sleepers of
 * every process (the rule above), so the woken waiter, the running threads of this JVM and the
 * waiters of other processes compete for it. A woken waiter that sleeps on the futex word is
 * not reached by the engine's unpark: that increment of SEQ wakes it (or it reads the new SEQ
 * before it sleeps), and {@code PendingWait.pending()} is false from the moment it is woken,
 * so it neither begins nor goes on with a sleep it would not need; the engine's wait loop then
 * makes it compete. A walk that is not followed by an increment (a withdrawal, a
 * {@link #remoteChange()} racing a sleeper's SEQ read) reaches a sleeper at the end of its
 * slice ({@link #SLICE_NANOS}), as a hand-off by such a walk does. No process's waiter is
 * lost: every change that leaves the object available increments SEQ, whoever is woken
 * locally; a change whose maker was killed between its store and the increment is found by the
 * look after every sleep slice ({@link #serveIfStillAvailable()}).
 *
 * <p><b>Invariants.</b> {@code watched} is guarded by the local lock and true from the
 * registration with the pool until the pool drops the proxy. The WAITERS word is incremented
 * for every node this JVM queues and decremented when it leaves the queue (served or
 * withdrawn), so across processes it counts blocked waits, up to the contributions of processes
 * that died while waiting.
 */
public abstract class NamedProxy extends Proxy {
    /** The object's file. */
    protected final Mapping mapping;
    /**
     * The synchronization block this proxy's waiters block on (SEQ, SLEEPERS, WAITERS); for
     * the one-block kinds also the block of the outside lock.
     */
    protected final MemorySegment body;
    /** The block whose STATE word is the outside lock and holds the value: the body's first. */
    protected final MemorySegment lockBody;
    private final MemorySegment seqWord;
    private final long order;
    /** Registered with the waiter pool; guarded by the local lock. */
    private boolean watched;
    /** The SEQ value the pool last served this proxy at; used by the pool's thread only. */
    int lastSeq;
    /**
     * The SEQ value at which this JVM's queue last matched the object: read under the local
     * lock when a waiter queues (it found the object unavailable at that SEQ or later) and when
     * the queue is served after an outside change. A direct sleeper whose fresh SEQ differs
     * serves the queue instead of sleeping: a change made between a waiter's queueing and its
     * sleep bumped SEQ without seeing it counted in SLEEPERS.
     */
    private volatile int servedSeq;
    /** Waits of this JVM in the queue (changed under the local lock, read without it). */
    private final AtomicInteger localQueued = new AtomicInteger();
    /** Threads of this JVM sleeping in {@link #parkOutside} (or about to). */
    private final AtomicInteger directSleepers = new AtomicInteger();

    /**
     * Whether platform threads sleep on the futex word themselves (not with the polling
     * backend); decided when a wait first queues, so that a process that never waits neither
     * links the futex binding nor probes the backend.
     */
    private static final class Direct {
        static final boolean VALUE = WaiterPool.backend() != Futex.Backend.POLLING;

        private Direct() {
        }
    }
    /**
     * The longest single sleep of a direct sleeper: an interrupt does not end a futex sleep,
     * and a hand-off made by a path that does not wake outside sleepers (another waiter's
     * withdrawal) is noticed within this.
     */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Spin rounds of a direct sleeper before it sleeps (a few microseconds). */
    private static final int SPINS = 512;
    /** Spin rounds of a virtual thread before it parks: it holds its carrier meanwhile. */
    private static final int VIRTUAL_SPINS = 512;

    /**
     * Creates the proxy of a mapped file.
     *
     * @param mapping the file
     */
    protected NamedProxy(Mapping mapping) {
        this(mapping, 0);
    }

    /**
     * Creates the proxy of a mapped file that spins as a heap object of its kind does.
     *
     * @param mapping the file
     * @param traits the engine traits ({@code SPINS_BEFORE_QUEUEING} ...), or 0
     */
    protected NamedProxy(Mapping mapping, int traits) {
        this(mapping, traits, 0);
    }

    /**
     * Creates the proxy of one side of a mapped file with several synchronization blocks: the
     * outside lock and the value are in the first block's STATE word (shared by every side),
     * the waiters of this side block on the block at {@code waitBlock}.
     *
     * @param mapping the file
     * @param traits the engine traits, or 0
     * @param waitBlock the offset in the body of this side's block (a multiple of
     *        {@link SyncLayout#SIZE})
     */
    protected NamedProxy(Mapping mapping, int traits, long waitBlock) {
        super(traits);
        this.mapping = mapping;
        this.lockBody = mapping.body();
        this.body = mapping.body().asSlice(waitBlock, SyncLayout.SIZE);
        this.seqWord = body.asSlice(SyncLayout.SEQ, 4);
        this.order = mapping.lockOrder();
        this.lastSeq = SyncLayout.getIntVolatile(body, SyncLayout.SEQ);
    }

    /**
     * The value for a snapshot read ({@code isSignaled()}, {@code availablePermits()}, a queue's
     * {@code size()}): the STATE word's value once no critical section holds the outside lock.
     * A held lock means a change in progress whose new value is not stored yet, and that change
     * may already have handed the object to a waiter of this JVM, which can return from its
     * wait before the store: read then, the old value would show that waiter an event still
     * signalled after its own wait consumed the signal, or a permit it holds as free. So a
     * snapshot waits the critical section out: it spins briefly, and if the lock is still held
     * takes both locks itself (the outside lock's stale check then takes over a lock left by a
     * holder that died). Wait-free when the lock is free: one volatile read.
     *
     * @return the value bits
     */
    protected final long settledValue() {
        for (int i = 0; i < SETTLE_SPINS; i++) {
            long w = SyncLayout.getLongVolatile(lockBody, SyncLayout.STATE);
            if (!SyncLayout.isLocked(w)) {
                return w & SyncLayout.VALUE_BITS;
            }
            Thread.onSpinWait();
        }
        long v = lockState();
        unlockState(v);
        return v & SyncLayout.VALUE_BITS;
    }

    /** Spin rounds of {@link #settledValue()} before it takes the locks: a critical section is a few stores. */
    private static final int SETTLE_SPINS = 256;

    /**
     * The object's file.
     *
     * @return the mapping
     */
    public final Mapping mapping() {
        return mapping;
    }

    final MemorySegment seqWord() {
        return seqWord;
    }

    /**
     * {@inheritDoc} A lock taken over from a process that died holding it is repaired first
     * ({@link #repairAfterDeadLocker}).
     */
    @Override
    protected final long lockOutside() {
        long v = SyncLayout.lockReportingTakeover(lockBody);
        if ((v & SyncLayout.TAKEN_OVER) != 0) {
            v = repairAfterDeadLocker(v & SyncLayout.VALUE_BITS);
        }
        return v;
    }

    @Override
    protected final void unlockOutside(long value) {
        if (replacement >= 0) {
            value = replacement;
            replacement = -1;
        }
        int notify = beforeUnlockOutside();
        SyncLayout.unlock(lockBody, value & SyncLayout.VALUE_BITS);
        if (notify != 0) {
            afterUnlockOutside(notify);
        }
    }

    /** See {@link #replaceValueAtUnlock}; guarded by the outside lock. */
    private long replacement = -1;

    /**
     * Called with the outside lock held by a hook that found the value wrong and rebuilt it
     * while answering that nothing can be acquired (the engine then keeps the value it had):
     * the release of the lock stores {@code value} instead.
     *
     * @param value the value bits to store
     */
    protected final void replaceValueAtUnlock(long value) {
        replacement = value & SyncLayout.VALUE_BITS;
    }

    /**
     * Called with the outside lock held, when it was taken over from a process that died
     * holding it: objects whose critical sections change more than the value (a queue's slots
     * and order, a pipe's positions) rebuild what a critical section cut short may have left
     * torn, and return the value that matches it.
     *
     * @param value the value bits the dead holder left
     * @return the value to continue with
     */
    protected long repairAfterDeadLocker(long value) {
        return value;
    }

    /**
     * Called by the holder of the outside lock right before it releases it: what
     * {@link #afterUnlockOutside(int)} must do after the release (another side of the object
     * has to be told of a change made in this critical section). Fields the critical section
     * set are read and cleared here, under the lock.
     *
     * @return 0 (nothing, the default) or flags of the subclass's choosing
     */
    protected int beforeUnlockOutside() {
        return 0;
    }

    /**
     * Called after the outside lock's release when {@link #beforeUnlockOutside()} returned
     * flags.
     *
     * @param flags what it returned
     */
    protected void afterUnlockOutside(int flags) {
    }

    /**
     * Clears SLEEPERS and WAITERS of every block of the file under the outside lock: called by
     * an opener that found itself the only one (its flock upgraded to exclusive without
     * waiting), so no thread of any other process can be counted; a process killed while it
     * was counted left them too high. A lock left by a dead holder is repaired on the way.
     */
    final void clearCountsOfTheDead() {
        long v = lockOutside();
        for (int b = 0; b < mapping.header().kind().syncBlocks(); b++) {
            long base = b * SyncLayout.SIZE;
            SyncLayout.setIntVolatile(lockBody, base + SyncLayout.SLEEPERS, 0);
            SyncLayout.setIntVolatile(lockBody, base + SyncLayout.WAITERS, 0);
        }
        unlockOutside(v);
    }

    @Override
    protected final long lockOrder() {
        return order;
    }

    /** {@inheritDoc} The STATE word of the mapping. */
    @Override
    protected long spinSnapshot() {
        return SyncLayout.getLongVolatile(lockBody, SyncLayout.STATE);
    }

    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        SyncLayout.getAndAddInt(body, SyncLayout.WAITERS, 1);
        localQueued.incrementAndGet();
        servedSeq = SyncLayout.getIntVolatile(body, SyncLayout.SEQ);
        if (Direct.VALUE && op == null && !owner.isVirtual()) {
            return value; // a single-object wait of a platform thread: it sleeps on SEQ itself (parkOutside)
        }
        if (!watched) {
            watched = true;
            WaiterPool.watch(this);
        }
        return value;
    }

    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        SyncLayout.getAndAddInt(body, SyncLayout.WAITERS, -1);
        localQueued.decrementAndGet();
        return value;
    }

    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        if (wasQueued) {
            SyncLayout.getAndAddInt(body, SyncLayout.WAITERS, -1);
            localQueued.decrementAndGet();
        }
        return value;
    }

    /**
     * {@inheritDoc} Yes, unless the polling backend runs: a platform thread sleeps on SEQ
     * itself, a virtual thread watches it briefly and parks.
     */
    @Override
    protected boolean parksOutside() {
        return Direct.VALUE;
    }

    /**
     * {@inheritDoc} Spins briefly on SEQ first, then, counted in SLEEPERS (so that other
     * processes wake it) and in this JVM's direct sleepers (so that a local hand-off wakes it: {@link #wakeOthers()} is called after
     * one whenever a direct sleeper may exist), it reads SEQ, re-checks the wait, sleeps on
     * SEQ at most {@link #SLICE_NANOS}, and serves the queue itself when SEQ moved, exactly as
     * the pool would. Owner checks of a mutex run on a timed-out slice.
     */
    @Override
    protected void parkOutside(PendingWait waiter, long nanos) {
        if (Thread.currentThread().isVirtual()) {
            parkVirtual(waiter, nanos);
            return;
        }
        directSleepers.incrementAndGet();
        // spin first, uncounted (a waker then spares the system call): a signal from a process
        // running on another core arrives within a few microseconds
        for (int i = 0; i < SPINS && waiter.pending() && SyncLayout.getIntVolatile(body, SyncLayout.SEQ) == servedSeq; i++) {
            Thread.onSpinWait();
        }
        if (!mapping.retain()) { // the JVM's last handle closed during the wait: nothing to sleep on
            directSleepers.decrementAndGet();
            throw new IllegalStateException("named object " + mapping.name() + " was closed during a wait on it");
        }
        SyncLayout.getAndAddInt(body, SyncLayout.SLEEPERS, 1);
        int seq = SyncLayout.getIntVolatile(body, SyncLayout.SEQ);
        int r = Futex.CHANGED;
        try {
            if (seq == servedSeq && waiter.pending()) {
                r = Futex.wait(seqWord, seq, nanos < 0 ? SLICE_NANOS : Math.min(nanos, SLICE_NANOS));
            }
        } finally {
            SyncLayout.getAndAddInt(body, SyncLayout.SLEEPERS, -1);
            directSleepers.decrementAndGet();
            mapping.release(); // a futex sleep holds the mapping (a close meanwhile cannot unmap it under the call)
        }
        if (!waiter.pending()) {
            return;
        }
        if (SyncLayout.getIntVolatile(body, SyncLayout.SEQ) != servedSeq) {
            remoteChange();
        } else if (r == Futex.TIMED_OUT) {
            if (needsPeriodicCheck()) {
                periodicCheck();
            }
            serveIfStillAvailable();
        }
    }

    /**
     * A virtual thread's park: it watches SEQ for a few microseconds (a signal from a process
     * running on another core is served at once, without the hop through the pool and a carrier
     * wake-up), then parks; the pool watches the object for it from its queueing on (see
     * {@link #enqueued}). It never blocks in a system call.
     */
    private void parkVirtual(PendingWait waiter, long nanos) {
        for (int i = 0; i < VIRTUAL_SPINS && waiter.pending(); i++) {
            if (SyncLayout.getIntVolatile(body, SyncLayout.SEQ) != servedSeq) {
                remoteChange();
                return;
            }
            Thread.onSpinWait();
        }
        if (!waiter.pending()) {
            return;
        }
        if (nanos < 0) {
            java.util.concurrent.locks.LockSupport.park(this);
        } else {
            java.util.concurrent.locks.LockSupport.parkNanos(this, nanos);
        }
    }

    /**
     * Records that this JVM's queue is being served at the current SEQ (local lock held); every
     * {@link #remoteChange()} calls it first.
     */
    protected final void noteServed() {
        servedSeq = SyncLayout.getIntVolatile(body, SyncLayout.SEQ);
    }

    /**
     * Whether a thread of this JVM may be sleeping in {@link #parkOutside}: a local hand-off
     * must then wake the futex word, since an unpark does not reach it.
     *
     * @return true if one is counted
     */
    protected final boolean hasDirectSleepers() {
        return directSleepers.get() != 0;
    }

    /**
     * Called by the waiter pool after SEQ changed: serves this JVM's queue at the new value, as
     * {@link #signal()} does, but completes async waits elsewhere (a slow callback must not hold
     * up the pool's thread). Objects with state that only other processes' changes carry (an
     * event's pulses) override it.
     */
    protected void remoteChange() {
        long v = lockForSignal();
        try {
            noteServed();
            v = wake(v);
        } finally {
            unlockAfterSignalCompletingElsewhere(v);
        }
    }

    /**
     * After a sleep slice that saw SEQ unchanged (a direct sleeper's, the waiter pool's
     * periodic look): serves this JVM's queue if the value lets a waiter go on. Every change
     * that makes the object available stores the value and then increments SEQ; a process
     * killed between the two (SIGKILL lands at any instruction) leaves the object available with
     * SEQ unchanged, and nothing else might ever move SEQ again: without this look, the
     * sleepers of every other process would sleep on. One volatile read when nothing of this JVM
     * waits or the object is not available; a look that races an ordinary change only serves
     * the queue a moment early (a pass that finds nothing to do changes nothing).
     */
    final void serveIfStillAvailable() {
        if (localQueued.get() > 0 && mayWake(SyncLayout.peekValue(lockBody))) {
            remoteChange();
        }
    }

    /**
     * Serves this JVM's queue now if a wait of this JVM is queued: called, with no lock held,
     * by an operation on another side of the object that made this side available (a pipe's
     * write for its readers), so that a waiter of this JVM is served before that operation
     * returns, as a heap object's hand-off does, instead of after the wake-up through the
     * futex word.
     */
    public final void serveLocalQueue() {
        if (localQueued.get() > 0) {
            remoteChange();
        }
    }

    /**
     * Called by the waiter pool about every {@link WaiterPool#CHECK_PERIOD_NANOS} while it
     * watches this proxy: objects whose availability can change without SEQ changing (a mutex
     * whose owner process died) check that here.
     */
    protected void periodicCheck() {
    }

    /**
     * Whether the pool must check this proxy periodically ({@link #periodicCheck()}).
     *
     * @return true for objects with owners
     */
    protected boolean needsPeriodicCheck() {
        return false;
    }

    /**
     * Drops the registration with the pool if no waiter of this JVM is queued (under the local
     * lock, see the class comment).
     *
     * @return true if dropped
     */
    final boolean unwatchIfIdle() {
        long v = lockState();
        try {
            if (queueEmpty()) {
                watched = false;
                return true;
            }
            return false;
        } finally {
            unlockState(v);
        }
    }

    /**
     * After a change through this proxy that left the object available, or that handed it to
     * a waiter of this JVM that may sleep on the futex word ({@link #hasDirectSleepers()}):
     * tells the sleepers of every process (see {@link SyncLayout#bumpAndWake}).
     */
    protected final void wakeOthers() {
        SyncLayout.bumpAndWake(body, seqWord);
    }

    /**
     * The blocked waits of every process on this object (the WAITERS word; see the class
     * comment).
     *
     * @return the count, at least 0
     */
    public int waiters() {
        return Math.max(0, SyncLayout.getIntVolatile(body, SyncLayout.WAITERS));
    }

    /**
     * Whether {@link #tryAcquireFast} answers without the locks when the object is not
     * available (a read of STATE), so that retrying it is cheap.
     *
     * @return false by default (a mutex polls under the locks)
     */
    protected boolean lockFreePoll() {
        return false;
    }

    /**
     * The state for listings (see {@code NamedObjectInfo.state()}).
     *
     * @return a short text
     */
    public abstract String stateText();

    /**
     * The owner's pid for listings: only a held mutex has one.
     *
     * @return the pid, or -1
     */
    public long ownerPidForInfo() {
        return -1;
    }
}
