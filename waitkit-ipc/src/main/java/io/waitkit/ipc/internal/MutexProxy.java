package io.waitkit.ipc.internal;

import io.waitkit.Diagnostics;
import io.waitkit.internal.OwnerWatchdog;
import io.waitkit.internal.RecordedOwner;
import io.waitkit.internal.WaitOperation;

/**
 * The proxy of a named robust mutex: owned by a thread of a process, recursive, abandoned when
 * its owner thread ends or its owner process dies holding it (the semantics of
 * {@code io.waitkit.Mutex}, with the owner identity in shared memory).
 *
 * <pre>
 *   STATE value:  bit 31 ABANDONED (the owner died holding it, nobody took it since)
 *                 bits 30..0 hold count (0: free)
 *   OWNER_PID, OWNER_START, OWNER_TID: the owner while the hold count is above 0 (else 0)
 * </pre>
 *
 * <p><b>Owner identity.</b> A process is its pid and its start time (field 22 of
 * {@code /proc/PID/stat}), which together survive pid reuse; a thread is its
 * {@link Thread#threadId()} within that process. No pthread robust mutex and no robust futex
 * list are used: those follow OS threads, while a virtual thread moves between carriers.
 *
 * <p><b>Invariants.</b> Every change of the value and of the owner words is made under the
 * outside lock (no lock-free path: the owner words must change together with the hold count),
 * and the value is published last, by the unlocking store, so a process killed at any
 * instruction leaves either the old state or the new one: an owner written without its hold
 * count is never read as an owner, and a hold count without an owner (pid 0) can only be a
 * release that died between its two stores, which counts as abandoned.
 *
 * <p><b>Death.</b> An owner is dead if its process is gone (no such pid, or a pid now used by a
 * process with another start time), or, for an owner in this process, if its thread ended. The
 * next acquirer takes a mutex with a dead owner over: it gets hold count 1 and the wait reports
 * the abandonment ({@code AbandonedMutexException}). Waiters already blocked learn of a dead
 * process within {@link WaiterPool#CHECK_PERIOD_NANOS} (the pool checks the owner of every
 * mutex it watches), and of a dead thread of this process through the engine's owner watchdog
 * (this JVM watches every mutex one of its threads owns, so that other processes' waiters
 * learn of it too; the watch holds a reference to the mapping, so closing every handle of a
 * held mutex never unmaps it under the watchdog). Liveness of another process is read from {@code /proc} at most every
 * {@link #LIVENESS_CACHE_NANOS} per mutex on the paths that retry often.
 */
public final class MutexProxy extends NamedProxy implements RecordedOwner {
    private static final long HOLDS = 0x7FFF_FFFFL;
    /** The ABANDONED bit of the stored value. */
    public static final long ABANDONED = 1L << 31;
    static final long LIVENESS_CACHE_NANOS = 10_000_000L;

    private final ProcessIdentity self = ProcessIdentity.self();
    /** Registered with the owner watchdog; guarded by the local lock. */
    private boolean dogWatching;
    /** Cache of the last liveness check of another process's owner; guarded by the local lock. */
    private long checkedPid;
    private long checkedStart;
    private long checkedAt;

    /**
     * Creates the proxy of a mapped mutex file.
     *
     * @param mapping the file
     */
    public MutexProxy(Mapping mapping) {
        super(mapping, mapping.header().barging() ? BARGING : 0);
    }

    /**
     * Whether the mutex was created with {@code Fairness.BARGING} (header PARAM1).
     *
     * @return true if barging
     */
    public boolean isBarging() {
        return barging();
    }

    /** The owner words, read together under the lock. */
    private record Owner(long pid, long start, long tid) {
    }

    private Owner owner() {
        return new Owner(SyncLayout.getLongAcquire(body, SyncLayout.OWNER_PID),
                SyncLayout.getLongAcquire(body, SyncLayout.OWNER_START),
                SyncLayout.getLongAcquire(body, SyncLayout.OWNER_TID));
    }

    private void setOwner(long pid, long start, long tid) {
        SyncLayout.setLongOpaque(body, SyncLayout.OWNER_TID, tid);
        SyncLayout.setLongOpaque(body, SyncLayout.OWNER_START, start);
        SyncLayout.setLongOpaque(body, SyncLayout.OWNER_PID, pid);
    }

    private boolean inThisProcess(Owner o) {
        return o.pid == self.pid() && o.start == self.startTime();
    }

    private boolean isMine(Owner o, Thread t) {
        return inThisProcess(o) && o.tid == t.threadId();
    }

    /**
     * Whether the owner recorded in the owner words is dead: no owner (pid 0), a thread of this
     * process that ended, or a process that is gone (or whose pid now names a process started
     * later). Reads {@code /proc} for another process. Listings use it on words read from the
     * file without mapping it.
     *
     * @param pid the OWNER_PID word
     * @param start the OWNER_START word
     * @param tid the OWNER_TID word
     * @return true if dead
     */
    static boolean ownerDead(long pid, long start, long tid) {
        if (pid == 0) {
            return true;
        }
        ProcessIdentity me = ProcessIdentity.self();
        if (pid == me.pid() && start == me.startTime()) {
            return !LocalThreads.isAlive(tid);
        }
        return !ProcessIdentity.isAlive(pid, start);
    }

    /**
     * The state text of a mutex (see {@code NamedObjectInfo.state()}): {@code abandoned} when
     * marked so or held by a dead owner, else {@code free} or {@code held (holds=N)}.
     *
     * @param value the STATE value
     * @param pid the OWNER_PID word
     * @param start the OWNER_START word
     * @param tid the OWNER_TID word
     * @return the text
     */
    static String stateText(long value, long pid, long start, long tid) {
        if (abandoned(value, pid, start, tid)) {
            return "abandoned";
        }
        return (value & HOLDS) == 0 ? "free" : "held (holds=" + (value & HOLDS) + ")";
    }

    /** Whether a value and owner words say abandoned: marked so, or held by a dead owner. */
    static boolean abandoned(long value, long pid, long start, long tid) {
        return (value & ABANDONED) != 0 || ((value & HOLDS) != 0 && ownerDead(pid, start, tid));
    }

    private static boolean abandoned(Snapshot s) {
        return abandoned(s.value, s.owner.pid, s.owner.start, s.owner.tid);
    }

    /**
     * Whether owner {@code o} is dead ({@link #ownerDead}); for another process, a positive
     * answer of the last {@link #LIVENESS_CACHE_NANOS} is reused (local lock held: the cache is
     * guarded by it).
     */
    private boolean isDeadCached(Owner o) {
        if (o.pid == 0 || inThisProcess(o)) {
            return ownerDead(o.pid, o.start, o.tid);
        }
        long now = System.nanoTime();
        if (o.pid == checkedPid && o.start == checkedStart && now - checkedAt < LIVENESS_CACHE_NANOS) {
            return false;
        }
        boolean alive = ProcessIdentity.isAlive(o.pid, o.start);
        if (alive) {
            checkedPid = o.pid;
            checkedStart = o.start;
            checkedAt = now;
        }
        return !alive;
    }

    // ---- engine hooks (under both locks)

    @Override
    protected long acquireFor(long value, Thread who, long arg, WaitOperation op) {
        if ((value & ABANDONED) != 0) {
            return 1L | MUST_REPORT;
        }
        long holds = value & HOLDS;
        if (holds == 0) {
            return 1L;
        }
        Owner o = owner();
        if (isMine(o, who)) {
            return holds == HOLDS ? OVERFLOW : value + 1;
        }
        if (isDeadCached(o)) {
            return 1L | MUST_REPORT;
        }
        return UNAVAILABLE;
    }

    @Override
    protected long acquired(long value, Thread who, long arg, WaitOperation op, boolean wasQueued) {
        super.acquired(value, who, arg, op, wasQueued);
        if ((value & HOLDS) == 1) {
            LocalThreads.register(who);
            setOwner(self.pid(), self.startTime(), who.threadId());
            if (!dogWatching && mapping.retain()) { // the watchdog's reference: the mapping outlives the handles
                dogWatching = true;
                OwnerWatchdog.watch(this);
            }
        }
        return value;
    }

    @Override
    protected boolean mayWake(long value) {
        return (value & HOLDS) == 0;
    }

    @Override
    protected int tryAcquireFast(Thread who, long arg, WaitOperation op) {
        return POLL_CONTENDED; // every acquisition writes the owner words under the lock
    }

    @Override
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalStateException("maximum hold count exceeded (" + HOLDS + ") on named mutex " + mapping.name());
    }

    @Override
    protected boolean checkOwner() {
        long v = lockForSignal();
        boolean keep;
        boolean freed = false;
        try {
            Owner o = owner();
            boolean ours = (v & HOLDS) != 0 && inThisProcess(o);
            if (ours && !LocalThreads.isAlive(o.tid)) {
                setOwner(0L, 0L, 0L);
                v = wake(ABANDONED);
                freed = mayWake(v);
                ours = false;
            }
            keep = ours;
            dogWatching = keep;
        } finally {
            unlockAfterSignalCompletingElsewhere(v);
        }
        if (freed || hasDirectSleepers()) {
            wakeOthers();
        }
        if (!keep) {
            mapping.release(); // the watchdog drops this proxy: its reference goes
        }
        return keep;
    }

    @Override
    protected RuntimeException reportException(int index, Object member) {
        return new io.waitkit.AbandonedMutexException(index, (io.waitkit.Waitable) member);
    }

    @Override
    protected boolean needsPeriodicCheck() {
        return true;
    }

    /**
     * {@inheritDoc} If the owner is a process that died, marks the mutex abandoned under both
     * locks (owner words cleared, hold count 0, ABANDONED set, exactly as the owner watchdog
     * does for a thread of this JVM) and serves the queue: the first waiter takes it over and is
     * told. The hand-off loop would not try a waiter while the stored hold count says "held", so
     * the mark must come first. Other processes are woken if it is still free afterwards.
     */
    @Override
    protected void periodicCheck() {
        long peek = SyncLayout.peekValue(body);
        if ((peek & HOLDS) == 0 || (peek & ABANDONED) != 0) {
            return;
        }
        Owner o = owner();
        if (inThisProcess(o) || !ownerDead(o.pid, o.start, o.tid)) {
            return; // alive, or a thread of this JVM (the owner watchdog's business)
        }
        boolean freed = false;
        long v = lockForSignal();
        try {
            noteServed();
            if ((v & HOLDS) != 0 && (v & ABANDONED) == 0 && owner().equals(o)) {
                setOwner(0L, 0L, 0L);
                v = wake(ABANDONED);
                freed = mayWake(v);
            }
        } finally {
            unlockAfterSignalCompletingElsewhere(v);
        }
        if (freed || hasDirectSleepers()) {
            wakeOthers();
        }
    }

    // ---- operations of the handles

    /**
     * Releases one hold of the current thread; the final release serves this JVM's queue first
     * and then wakes other processes if the mutex is still free.
     *
     * @return the hold count before the release
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     */
    public int release() {
        Thread me = Thread.currentThread();
        long v = lockForSignal();
        long holds;
        boolean free = false;
        try {
            holds = v & HOLDS;
            Owner o = owner();
            if (holds == 0 || (v & ABANDONED) != 0 || !isMine(o, me)) {
                throw new IllegalMonitorStateException("the current thread #" + me.threadId()
                        + " does not own named mutex " + mapping.name() + ": " + describe(v, o));
            }
            if (holds > 1) {
                v = v - 1;
            } else {
                setOwner(0L, 0L, 0L);
                v = wake(0L);
                free = mayWake(v);
            }
        } finally {
            unlockAfterSignal(v);
        }
        if (free || (holds == 1 && hasDirectSleepers())) {
            wakeOthers();
        }
        return (int) holds;
    }

    private String describe(long v, Owner o) {
        if (abandoned(v, o.pid, o.start, o.tid)) {
            return "it is abandoned";
        }
        if ((v & HOLDS) == 0) {
            return "it is not owned";
        }
        return o.pid == self.pid() ? "it is owned by thread #" + o.tid + " of this process"
                : "it is owned by process " + o.pid;
    }

    /** A consistent snapshot of the value and the owner. */
    private record Snapshot(long value, Owner owner) {
    }

    private Snapshot snapshot() {
        long v = lockState();
        try {
            return new Snapshot(v, owner());
        } finally {
            unlockState(v);
        }
    }

    /**
     * The current thread's hold count.
     *
     * @return the count, 0 if it does not own the mutex
     */
    public int holdCountOfCurrentThread() {
        Snapshot s = snapshot();
        return (s.value & HOLDS) != 0 && (s.value & ABANDONED) == 0 && isMine(s.owner, Thread.currentThread())
                ? (int) (s.value & HOLDS) : 0;
    }

    /**
     * Whether the current thread owns the mutex.
     *
     * @return true if it holds it
     */
    public boolean isHeldByCurrentThread() {
        return holdCountOfCurrentThread() > 0;
    }

    /**
     * Whether the mutex is abandoned: its owner died holding it and nobody took it since.
     *
     * @return true if abandoned
     */
    public boolean isAbandoned() {
        return abandoned(snapshot());
    }

    /**
     * The owner's pid.
     *
     * @return the pid, or -1 when free or abandoned
     */
    public long ownerPid() {
        Snapshot s = snapshot();
        if ((s.value & HOLDS) == 0 || abandoned(s)) {
            return -1L;
        }
        return s.owner.pid;
    }

    /**
     * The owner thread when it is a live thread of this process.
     *
     * @return the thread, or null when free, abandoned or owned by another process
     */
    public Thread ownerThreadInThisProcess() {
        Snapshot s = snapshot();
        if ((s.value & HOLDS) == 0 || (s.value & ABANDONED) != 0 || !inThisProcess(s.owner)) {
            return null;
        }
        return LocalThreads.resolve(s.owner.tid);
    }

    /**
     * {@inheritDoc} Read under the object's locks, as {@link #ownerPid()}: the owner's pid and
     * Java thread id as the owner words hold them, and for a thread of this process the thread
     * itself when it is alive; null when free or abandoned (marked so, or held by a dead owner).
     */
    @Override
    public Diagnostics.Owner recordedOwner() {
        Snapshot s = snapshot();
        if ((s.value & HOLDS) == 0 || abandoned(s)) {
            return null;
        }
        Thread t = inThisProcess(s.owner) ? LocalThreads.resolve(s.owner.tid) : null;
        return new Diagnostics.Owner(s.owner.pid, s.owner.tid, t);
    }

    /**
     * Describes the named mutex, for {@code Diagnostics} (waits on a named mutex name this
     * proxy, which every handle of it in this JVM shares).
     *
     * @return for example {@code NamedMutex[config-writer, held (holds=1)]}
     */
    @Override
    public String toString() {
        String state;
        try {
            state = stateText();
        } catch (IllegalStateException e) {
            state = "closed";
        }
        return "NamedMutex[" + mapping.name() + ", " + state + "]";
    }

    @Override
    public long ownerPidForInfo() {
        return ownerPid();
    }

    @Override
    public String stateText() {
        Snapshot s = snapshot();
        return stateText(s.value, s.owner.pid, s.owner.start, s.owner.tid);
    }
}
