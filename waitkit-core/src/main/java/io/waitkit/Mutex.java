package io.waitkit;

import io.waitkit.internal.Dispatch;
import io.waitkit.internal.Flight;
import io.waitkit.internal.OwnerBlocker;
import io.waitkit.internal.OwnerWatchdog;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * An owned, recursive mutex with abandonment detection, as NT's mutant and the ao kernel's
 * {@code mutex}; also a {@link Lock}.
 *
 * <p><b>Ownership.</b> The thread that acquires the mutex owns it; it may acquire it again
 * (the hold count grows) and must release it as many times. Only the owner may release it
 * ({@link IllegalMonitorStateException} otherwise). A mutex owned by the calling thread counts
 * as available in {@link Wait#any} and {@link Wait#all}. An async acquisition is made for the
 * thread that started it. A hold count past {@link Integer#MAX_VALUE} is refused with
 * {@link IllegalStateException}.
 *
 * <p><b>Fairness.</b> The mode is chosen when the mutex is built ({@link #Mutex(Fairness)};
 * {@link #Mutex()} uses {@link Fairness#HAND_OFF}) and decides what a final release does when
 * threads are queued:
 * <ul>
 *   <li>{@link Fairness#HAND_OFF hand-off}: the release gives the mutex to the first waiter
 *       (FIFO) before it returns; {@link #owner()} read right after it already names the
 *       waiter, and a woken waiter never competes again. Choose it when waiting must be
 *       bounded (a waiter gets the mutex after the ones queued before it) or when code relies
 *       on the state after a release.</li>
 *   <li>{@link Fairness#BARGING barging}: the release frees the mutex and wakes the first
 *       waiter, which takes it when it runs unless a running thread took it first; it then
 *       keeps its place at the head of the queue and waits for the next release. Choose it
 *       for throughput when many threads take the mutex for short critical sections: the
 *       mutex passes between running threads instead of waiting for a wake-up each time. A
 *       waiter can be overtaken by running threads (never by threads queued after it), and
 *       {@link #owner()} read right after a release may be {@code null}. A wait for several
 *       objects or an async lock that a release finds first is still handed the mutex.</li>
 * </ul>
 * Every other rule holds in both modes: recursion, abandonment, exactly-one wait-any,
 * all-or-nothing wait-all, "cancel decides" for {@link #lockAsync()}, no lost wake-up.
 * Uncontended lock and unlock are one CAS each and allocate nothing in both; a barging mutex
 * that a running thread finds free is taken with one CAS also while waiters are queued.
 *
 * <p><b>Abandonment.</b> If the owner thread terminates while holding the mutex, the mutex is
 * <i>abandoned</i>: {@link #owner()} becomes {@code null}, {@link #holdCount()} 0 and
 * {@link #isAbandoned()} true (reading does not clear it). The next acquisition, by any form
 * ({@code lock}, {@code tryLock}, {@code Wait.any/all}, async), takes ownership with hold count
 * 1, clears the mark, and then throws {@link AbandonedMutexException} (or completes the future
 * exceptionally with it). Detection needs no help from the application: a thread already
 * blocked on the mutex learns of the death within about 20 ms.
 *
 * <p><b>Memory visibility.</b> Actions before a release happen-before the actions after the
 * acquisition that follows it, as with {@code synchronized}.
 *
 * <pre>{@code
 * Mutex mutex = new Mutex();               // or new Mutex(Fairness.BARGING) for a hot lock
 * mutex.lock();
 * try {
 *     update();
 * } finally {
 *     mutex.unlock();
 * }
 *
 * // after a crash of the owner thread:
 * try {
 *     mutex.lock();
 * } catch (AbandonedMutexException e) {
 *     repairState();          // we own it now
 * }
 * try { update(); } finally { mutex.unlock(); }
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported; see package io.waitkit.internal
public final class Mutex extends WaitObject implements Waitable, Lock {
    private static final long HOLDS = 0x7FFF_FFFFL;
    private static final long ABANDONED = 1L << 31;

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Mutex.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The owner while the hold count is positive. Written with release semantics right after
     * the CAS that took the mutex, and cleared before the CAS that frees it, so a reader that
     * saw the hold count sees either {@code null} or the current owner, never a previous one.
     */
    @SuppressWarnings("unused") // accessed through OWNER
    private Thread owner;
    /** Registered with the owner watchdog (guarded by the object lock). */
    private boolean watched;
    /**
     * What a blocked platform thread parks on, so that the JVM's deadlock detection sees the
     * owner (see {@link OwnerBlocker}): made when the first waiter queues; its owner is written
     * under the object lock, except by the two barging paths OwnerBlocker describes.
     */
    private OwnerBlocker blocker;

    /** Creates an unowned mutex with {@link Fairness#HAND_OFF hand-off} release. */
    public Mutex() {
        this(Fairness.HAND_OFF);
    }

    /**
     * Creates an unowned mutex with the given fairness mode.
     *
     * @param fairness how a release passes the mutex to a queued waiter
     * @throws NullPointerException if {@code fairness} is null
     */
    public Mutex(Fairness fairness) {
        super(0L, SPINS_BEFORE_QUEUEING | traitOf(fairness)); // a lock is usually held briefly
    }

    private Mutex(Thread owner, int holds) {
        super(holds, SPINS_BEFORE_QUEUEING);
        OWNER.setRelease(this, owner);
    }

    /** The engine trait of a fairness mode; refuses null. */
    static int traitOf(Fairness fairness) {
        if (fairness == null) {
            throw new NullPointerException("fairness must not be null: pass Fairness.HAND_OFF or Fairness.BARGING");
        }
        return fairness == Fairness.BARGING ? BARGING : 0;
    }

    /**
     * Creates a mutex owned by the current thread with hold count 1 (NT's
     * {@code CreateMutex(initialOwner = TRUE)}).
     *
     * @return the mutex
     */
    public static Mutex ownedByCurrentThread() {
        return new Mutex(Thread.currentThread(), 1);
    }

    /** For tests of the recursion limit: a mutex owned by the current thread {@code holds} times. */
    static Mutex ownedByCurrentThread(int holds) {
        if (holds < 1) {
            throw new IllegalArgumentException("holds must be positive: " + holds);
        }
        return new Mutex(Thread.currentThread(), holds);
    }

    // ---- engine hooks

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread who, long arg, WaitOperation op) {
        long holds = value & HOLDS;
        if ((value & ABANDONED) != 0) {
            return 1L | MUST_REPORT;
        }
        if (holds == 0) {
            return 1L;
        }
        Thread o = (Thread) OWNER.getAcquire(this);
        if (o == who) {
            return holds == HOLDS ? OVERFLOW : value + 1;
        }
        if (o != null && !o.isAlive()) {
            return 1L | MUST_REPORT; // the owner died holding it
        }
        return UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread who, long arg, WaitOperation op, boolean wasQueued) {
        // Under the lock the owner field is null unless the mutex is held (a releaser clears it
        // before the CAS that frees it): another owner here is one that died holding it.
        Thread previous = (Thread) OWNER.get(this);
        OWNER.setRelease(this, who);
        if (blocker != null) {
            blocker.owner(who); // every engine acquisition runs under the object lock
        }
        if (previous != null && previous != who) {
            Flight.abandoned(this, previous, who);
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return (value & HOLDS) == 0;
    }

    /** {@inheritDoc} */
    @Override
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalStateException(overflowMessage());
    }

    private static String overflowMessage() {
        return "maximum hold count exceeded (" + Integer.MAX_VALUE + ")";
    }

    /** {@inheritDoc} The owner's id with the state: a quick re-lock by another owner shows. */
    @Override
    protected long spinSnapshot() {
        Thread o = (Thread) OWNER.getOpaque(this);
        return getStateVolatile() ^ (o == null ? 0L : o.threadId() << 32);
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread who, long arg, WaitOperation op) {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s) || (s & ABANDONED) != 0) {
                return POLL_CONTENDED;
            }
            long holds = s & HOLDS;
            if (holds == 0) {
                if (compareAndSetState(s, s + 1)) {
                    // a barging mutex taken free past queued waiters: the blocker is left alone,
                    // the woken head records this owner if it loses (recompeteLost, OwnerBlocker)
                    OWNER.setRelease(this, who);
                    return POLL_ACQUIRED;
                }
                continue;
            }
            Thread o = (Thread) OWNER.getAcquire(this);
            if (o == who) {
                if (holds == HOLDS) {
                    throw new IllegalStateException(overflowMessage());
                }
                if (compareAndSetState(s, s + 1)) {
                    return POLL_ACQUIRED;
                }
                continue;
            }
            return o != null && !o.isAlive() ? POLL_CONTENDED : POLL_FAILED;
        }
    }

    /** {@inheritDoc} */
    @Override
    protected long enqueued(long value, Thread who, long arg, WaitOperation op) {
        if (blocker == null) {
            blocker = new OwnerBlocker(this, null);
        }
        // null while a lock-free acquirer has yet to store itself: see parkBlocker
        blocker.owner((Thread) OWNER.getAcquire(this));
        if (!watched) {
            watched = true;
            OwnerWatchdog.watch(this);
        }
        return value;
    }

    /**
     * {@inheritDoc} Records the owner that took the mutex past the queue, which did not record
     * itself. An acquirer that has yet to store itself (right after its CAS) is not recorded:
     * the blocker then stays null, or names the previous owner until that one's release
     * returns, which clears it.
     */
    @Override
    protected void recompeteLost(long value) {
        Thread o = (Thread) OWNER.getAcquire(this);
        if (o != null && blocker != null) {
            blocker.owner(o);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected boolean checkOwner() {
        Thread o = (Thread) OWNER.getAcquire(this);
        if (o != null && !o.isAlive()) {
            long v = lockForSignal();
            boolean abandoned = false;
            Thread heir = null;
            if ((v & HOLDS) != 0 && OWNER.getAcquire(this) == o) {
                OWNER.setRelease(this, null);
                v = wake(ABANDONED);
                abandoned = true;
                heir = (Thread) OWNER.getAcquire(this); // null when nobody took it over
                if (heir == null && blocker != null) {
                    blocker.owner(null); // barging: the woken head takes it over when it competes
                }
            }
            unlockAfterSignalCompletingElsewhere(v); // never run user callbacks on the watchdog thread
            if (abandoned) {
                Flight.abandoned(this, o, heir); // JFR, after the lock: the heir is not held up
            }
        }
        long v = lockState();
        boolean keep = !queueEmpty();
        watched = keep;
        unlockState(v);
        return keep;
    }

    /** {@inheritDoc} */
    @Override
    protected RuntimeException reportException(int index, Object member) {
        return new AbandonedMutexException(index, this);
    }

    // ---- acquiring

    /**
     * Acquires the mutex, blocking as long as necessary; interrupts are ignored (an interrupt
     * received meanwhile is re-asserted on return).
     *
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL},
     *         or the hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public void lock() {
        Dispatch.checkCanBlock();
        if (barging()) {
            // under contention waiters are almost always queued, so a CAS from 0 would fail on
            // the queue bits: read the word, and if it is one of the three words of a free
            // mutex, CAS from that constant (a CAS from the word read waits for the read: about
            // 2 ns more; see docs/design.md, "Barging"); anything else takes the general path
            long s = getStateVolatile();
            if (s == WOKEN_HEAD_STATE ? compareAndSetState(WOKEN_HEAD_STATE, WOKEN_HEAD_STATE + 1L)
                    : s == 0L ? compareAndSetState(0L, 1L)
                    : s == QUEUED_STATE && compareAndSetState(QUEUED_STATE, QUEUED_STATE + 1L)) {
                OWNER.setRelease(this, Thread.currentThread()); // the blocker: see tryAcquireFast
                return;
            }
            if (tryAcquireFast(Thread.currentThread(), 1L, null) == POLL_ACQUIRED) {
                return;
            }
        } else if (compareAndSetState(0L, 1L)) { // free, nobody queued: the uncontended path is this CAS
            OWNER.setRelease(this, Thread.currentThread());
            return;
        }
        result(Blocking.awaitUninterruptibly(this, 1, null)); // the common entry for the rest
    }

    /**
     * Acquires the mutex unless interrupted.
     *
     * @throws InterruptedException if interrupted before the mutex was acquired (nothing held)
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL},
     *         or the hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        result(Blocking.await(this, 1, null));
    }

    /**
     * Acquires the mutex if it is free or already owned by the current thread; never blocks.
     *
     * @return true if acquired
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws IllegalStateException if the hold count would exceed {@link Integer#MAX_VALUE}
     */
    @Override
    public boolean tryLock() {
        return result(WaitEngine.poll(this, 1));
    }

    /**
     * Acquires the mutex, waiting at most {@code timeout}. A zero or negative timeout polls.
     *
     * @param timeout the longest time to wait
     * @return true if acquired, false on timeout (nothing held)
     * @throws InterruptedException if interrupted before the mutex was acquired
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}, or the hold count would exceed the maximum
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return result(Blocking.await(this, 1, null, timeout));
    }

    /**
     * Acquires the mutex, waiting at most the given time. A zero or negative time polls.
     *
     * @param time the longest time to wait
     * @param unit the unit of {@code time}
     * @return true if acquired, false on timeout (nothing held)
     * @throws InterruptedException if interrupted before the mutex was acquired
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}, or the hold count would exceed the maximum
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return result(Blocking.awaitNanos(this, 1, null, Timeouts.nanos(time, unit)));
    }

    /**
     * Acquires the mutex unless {@code deadline} passes first. A passed deadline polls.
     *
     * @param deadline when to give up
     * @return true if acquired, false on timeout (nothing held)
     * @throws InterruptedException if interrupted before the mutex was acquired
     * @throws AbandonedMutexException if the mutex was abandoned; the caller owns it anyway
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}, or the hold count would exceed the maximum
     */
    public boolean tryLock(Deadline deadline) throws InterruptedException {
        return result(Blocking.await(this, 1, null, deadline));
    }

    /**
     * Acquires asynchronously for the current thread. The future completes (with {@code null})
     * once the mutex is owned by the thread that called this method, or exceptionally with
     * {@link AbandonedMutexException} (ownership taken). Cancelling a pending future withdraws
     * the wait; a {@code cancel} that returns {@code false} means the mutex was already
     * acquired for the calling thread, which must release it.
     *
     * @return the future of the acquisition
     */
    public CompletableFuture<Void> lockAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    private boolean result(int r) {
        if (r == WaitEngine.REPORTED) {
            throw new AbandonedMutexException(-1, this);
        }
        return r == WaitEngine.ACQUIRED;
    }

    // ---- releasing

    /**
     * Releases one hold. With waiters queued, the final release hands the mutex to the first
     * of them before returning ({@link Fairness#HAND_OFF}), or frees it and wakes the first of
     * them to take it ({@link Fairness#BARGING}). Never blocks.
     *
     * @return the hold count before this release (1 means the mutex is now free or handed off)
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     *         (including a free or abandoned mutex); nothing changes
     */
    public int release() {
        Thread me = Thread.currentThread();
        if (OWNER.getAcquire(this) == me) {
            long s = getStateVolatile();
            if (s == 1L) {
                // held once, nobody queued: clear the owner, then one CAS frees it
                OWNER.setRelease(this, null);
                if (compareAndSetState(1L, 0L)) {
                    return 1;
                }
                OWNER.setRelease(this, me);
            } else if (s == WOKEN_HEAD_STATE + 1L) {
                // barging, held once, the head woken: the same from a constant (see lock())
                OWNER.setRelease(this, null);
                if (compareAndSetState(WOKEN_HEAD_STATE + 1L, WOKEN_HEAD_STATE)) {
                    clearBlocker(me);
                    return 1;
                }
                OWNER.setRelease(this, me);
            }
        }
        for (;;) {
            if (OWNER.getAcquire(this) != me) {
                throw notOwner(me);
            }
            long s = getStateVolatile();
            if (isLocked(s)) {
                stableValue(); // waits out the lock holder (see Backoff: no yielding loop here)
                continue;
            }
            long holds = s & HOLDS;
            if (holds > 1) {
                if (compareAndSetState(s, s - 1)) {
                    return (int) holds;
                }
                continue;
            }
            if (isQuiet(s) || releasesToWokenHead(s)) { // barging: the woken head will find it free
                OWNER.setRelease(this, null);
                if (compareAndSetState(s, s - 1)) {
                    if (!isQuiet(s)) {
                        clearBlocker(me);
                    }
                    return 1;
                }
                OWNER.setRelease(this, me);
                continue;
            }
            long v = lockForSignal();
            OWNER.setRelease(this, null);
            if (blocker != null) {
                blocker.owner(null); // a hand-off below records the next owner
            }
            v = wake(v - 1);
            unlockAfterSignal(v);
            return 1;
        }
    }

    /**
     * After a barging release that freed the mutex with one CAS while waiters stay queued:
     * without the object lock (see OwnerBlocker), a waiter that queued or lost a competition
     * since this thread took the mutex may have recorded it; nobody can record it after the CAS.
     */
    private void clearBlocker(Thread me) {
        OwnerBlocker b = blocker;
        if (b != null && b.owner() == me) {
            b.owner(null);
        }
    }

    private IllegalMonitorStateException notOwner(Thread me) {
        long v = stableValue();
        Thread o = (Thread) OWNER.getAcquire(this);
        String state = (v & ABANDONED) != 0 || (o != null && !o.isAlive()) ? "it is abandoned"
                : (v & HOLDS) == 0 ? "it is not owned" : "it is owned by " + (o == null ? "another thread" : o);
        return new IllegalMonitorStateException("the current thread " + me + " does not own this mutex: " + state);
    }

    /**
     * Releases one hold ({@link Lock#unlock()}); see {@link #release()}.
     *
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     */
    @Override
    public void unlock() {
        release();
    }

    /**
     * Returns a condition bound to this mutex, as {@link java.util.concurrent.locks.ReentrantLock}
     * does: {@code await} releases every hold, waits for a signal, then re-acquires the mutex
     * with the same hold count before returning (also on timeout and interrupt).
     *
     * @return a new condition
     */
    @Override
    public Condition newCondition() {
        return new MutexCondition(this);
    }

    // ---- queries

    /**
     * Returns the fairness mode chosen when the mutex was built.
     *
     * @return {@link Fairness#HAND_OFF} or {@link Fairness#BARGING}
     */
    public Fairness fairness() {
        return barging() ? Fairness.BARGING : Fairness.HAND_OFF; // kept as the engine's trait
    }

    /**
     * Returns the owner thread (a snapshot).
     *
     * @return the owner, or {@code null} if the mutex is free or abandoned
     */
    public Thread owner() {
        Snapshot s = snapshot();
        return (s.value & HOLDS) == 0 || !s.owner.isAlive() ? null : s.owner;
    }

    /**
     * Returns the owner's hold count (a snapshot), whichever thread owns it.
     *
     * @return the recursion count, or 0 if the mutex is free or abandoned
     */
    public int holdCount() {
        Snapshot s = snapshot();
        return (s.value & HOLDS) == 0 || !s.owner.isAlive() ? 0 : (int) (s.value & HOLDS);
    }

    /**
     * Returns whether the current thread owns the mutex.
     *
     * @return true if the current thread holds it at least once
     */
    public boolean isHeldByCurrentThread() {
        return OWNER.getAcquire(this) == Thread.currentThread();
    }

    /**
     * Returns whether the mutex is abandoned: its owner terminated while holding it and nobody
     * acquired it since. Reading does not clear the mark.
     *
     * @return true if abandoned
     */
    public boolean isAbandoned() {
        Snapshot s = snapshot();
        return (s.value & ABANDONED) != 0 || ((s.value & HOLDS) != 0 && !s.owner.isAlive());
    }

    /** The value and the owner read together; the owner is never null while held. */
    private record Snapshot(long value, Thread owner) {
    }

    /**
     * Reads the value and the owner together. The owner field trails the hold count by one
     * store on the lock-free paths (an acquirer writes itself right after its CAS; a releaser
     * clears it right before its CAS and restores it if the CAS fails), so a read that finds
     * the mutex held without an owner retries until that store lands: a held mutex is never
     * reported free, and a free one never reported held.
     */
    private Snapshot snapshot() {
        for (int spins = 0; ; spins++) {
            long v = lockState();
            Thread o = (Thread) OWNER.getAcquire(this);
            unlockState(v);
            if ((v & HOLDS) == 0 || o != null) {
                return new Snapshot(v, o);
            }
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(1_000L); // unmounts a virtual thread: the storer runs
            }
        }
    }

    /** Releases every hold of the current thread for a condition wait; returns the count. */
    int releaseFully() {
        int holds = holdCount();
        if (OWNER.getAcquire(this) != Thread.currentThread()) {
            throw notOwner(Thread.currentThread());
        }
        for (int i = 0; i < holds; i++) {
            release();
        }
        return holds;
    }

    /** Re-acquires after a condition wait with the saved hold count (uninterruptibly). */
    void reacquire(int holds) {
        RuntimeException abandoned = null;
        try {
            lock();
        } catch (AbandonedMutexException e) {
            abandoned = e;
        }
        for (int i = 1; i < holds; i++) {
            lock();
        }
        if (abandoned != null) {
            throw abandoned;
        }
    }

    /**
     * {@inheritDoc} The mutex's {@link OwnerBlocker}, with its owner filled in if it was still
     * missing when the waiter queued (a lock-free acquirer stores itself right after its CAS):
     * read again under the object lock until the store has landed, as {@link #snapshot()} does.
     */
    @Override
    protected Object parkBlocker() {
        OwnerBlocker b = blocker; // set when this thread's node was queued
        if (b == null) {
            return this;
        }
        for (int spins = 0; b.owner() == null; spins++) {
            long v = lockState();
            Thread o = (Thread) OWNER.getAcquire(this);
            if ((v & HOLDS) == 0 || o != null) {
                b.owner(o);
                unlockState(v);
                break;
            }
            unlockState(v);
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return b;
    }

    /**
     * Describes the mutex.
     *
     * @return for example {@code Mutex[owner=worker-1 (#23), holds=2, waiters=3]} or
     *         {@code Mutex[free, waiters=0]}; never blocks
     */
    @Override
    public String toString() {
        Snapshot s = snapshot();
        int waiters = queuedCount();
        if ((s.value & ABANDONED) != 0) {
            return "Mutex[abandoned, waiters=" + waiters + "]";
        }
        if ((s.value & HOLDS) == 0) {
            return "Mutex[free, waiters=" + waiters + "]";
        }
        if (!s.owner.isAlive()) {
            return "Mutex[abandoned by " + Describe.thread(s.owner) + ", waiters=" + waiters + "]";
        }
        return "Mutex[owner=" + Describe.thread(s.owner) + ", holds=" + (s.value & HOLDS)
                + ", waiters=" + waiters + "]";
    }
}
