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
 * Uncontended, lock is one CAS and unlock one store (as {@code ReentrantLock}'s), and neither
 * allocates; a barging mutex that a running thread finds free is taken with one CAS also while
 * waiters are queued.
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
/*
 * Algorithm: a lock word of its own, freed with a store.
 *
 *   word   null (free) | the thread that took it | RESERVED (the object-lock holder decides)
 *   owner  the thread the word names, once it keeps the mutex (null while taking, backing out
 *          or freeing); holds: the count, written by the owner or by whoever hands it over
 *   state  the engine's word: LOCKED, QUEUED, WOKEN and, as its only value bit, ABANDONED
 *
 * The engine sees the value through the OWN_VALUE seam: lockOwnValue() runs right after the
 * object lock is taken and reserves a free word (CAS null -> RESERVED), so no lock-free CAS
 * takes the mutex while the hooks decide; a word owned by a thread reads as held; a word
 * being taken, backed out of or freed (word names T, owner is not T) is waited out, a few
 * stores. unlockOwnValue() frees a reservation nobody used. Hand-offs and every acquisition
 * under the lock store the new owner, then the word (acquired()).
 *
 * Lock-free take: CAS word null -> me, then read state. Keep it (store holds, then owner)
 * unless the state has ABANDONED, or QUEUED for hand-off (queued waiters come first);
 * otherwise back out: store null into the word and do the check after a free, below.
 * Final release: clear the owner, store null into the word (volatile: the StoreLoad fence),
 * read state; if it has LOCKED, or QUEUED (barging: QUEUED without a woken head, which will
 * find the mutex free when it competes), serve: take the object lock and walk the queue if
 * the word is still free. A hand-off mutex whose state is not 0 before the release hands off
 * under the lock instead (word: me -> RESERVED -> first waiter), so a waiter queued before a
 * release began is never overtaken.
 *
 * Invariants. (1) Only a CAS from null takes a free word, and only the thread a word names,
 * or the object-lock holder of a reserved or dead owner's word, stores into it. (2) Nobody
 * keeps the mutex unless it read, after its CAS, a state that allows it. (3) A free word with
 * a waiter queued that could take it always has a thread on its way to serve: the last one
 * that stored null.
 *
 * Races. No lost wake-up (Dekker): a waiter takes the object lock (a CAS of state) before
 * lockOwnValue reads the word; a releaser stores the word before it reads state. Either the
 * waiter sees null and reserves the mutex for itself, or the releaser sees LOCKED (or, later,
 * QUEUED) and serves after the waiter unlocks. A taker whose CAS follows a free while a waiter
 * is queued reads QUEUED (hand-off) and backs out, and serves in turn. No spurious failure: a
 * poll (tryAcquireFast) or a lock holder that finds the word taken but the owner not stored
 * waits for the store or the back-out, so it fails only on a mutex somebody keeps. Abandoned:
 * the watchdog, under the object lock, moves a dead owner's word to RESERVED, marks
 * ABANDONED and walks; a lock-free taker that then reads ABANDONED backs out to the engine,
 * which reports the take-over.
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported; see package io.waitkit.internal
public final class Mutex extends WaitObject implements Waitable, Lock {
    private static final long HOLDS = 0x7FFF_FFFFL;
    private static final long ABANDONED = 1L << 31;

    private static final VarHandle OWNER;
    private static final VarHandle WORD;
    /** The lock word of a free mutex that the holder of the object lock is deciding on. */
    private static final Object RESERVED = new Object();

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(Mutex.class, "owner", Thread.class);
            WORD = MethodHandles.lookup().findVarHandle(Mutex.class, "word", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The lock word: {@code null} when free, the thread that took it, or {@link #RESERVED}.
     * Only CASed from {@code null} by a taker; stored by the thread it names (the free, a
     * back-out) and, under the object lock, by the holder of the reservation or over a dead
     * owner. Accessed through WORD with volatile semantics.
     */
    @SuppressWarnings("unused") // accessed through WORD
    private Object word;
    /**
     * The owner: the thread the lock word names, stored (release) once it keeps the mutex and
     * cleared (release) before the store that frees it. A word that names a thread whose owner
     * field is not that thread is being taken, backed out of or freed: readers wait for it.
     */
    @SuppressWarnings("unused") // accessed through OWNER
    private Thread owner;
    /**
     * The hold count, written by the owner (before it stores itself as the owner, and for its
     * recursion) or by the object-lock holder that hands the mutex over; others read it only
     * after reading the owner field, as a snapshot.
     */
    private int holds;
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
        super(0L, SPINS_BEFORE_QUEUEING | OWN_VALUE | traitOf(fairness)); // a lock is usually held briefly
    }

    private Mutex(Thread owner, int holds) {
        super(0L, SPINS_BEFORE_QUEUEING | OWN_VALUE);
        this.holds = holds;
        OWNER.setRelease(this, owner);
        WORD.setVolatile(this, owner);
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

    /** Waits a moment for a take, back-out or free of another thread to land (a few stores). */
    private static void pause(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield(); // unmounts a virtual thread: the storer runs
        }
    }

    /**
     * {@inheritDoc} Reserves a free lock word for this lock hold, so that no lock-free CAS
     * takes the mutex while the hooks decide; a word held by a thread that has stored itself
     * as the owner reads as held (hold count at least 1: the owner may be releasing, and its
     * check after the free finds the lock bit); a word being taken, backed out of or freed is
     * waited out.
     */
    @Override
    protected long lockOwnValue() {
        long abandoned = getStateVolatile() & ABANDONED;
        for (int spins = 0; ; spins++) {
            Object w = WORD.getVolatile(this);
            if (w == null) {
                if (WORD.compareAndSet(this, null, RESERVED)) {
                    return abandoned;
                }
                continue;
            }
            if (OWNER.getAcquire(this) == w) {
                return abandoned | Math.max(1, holds);
            }
            pause(spins);
        }
    }

    /** {@inheritDoc} Frees a reservation that no acquisition used; keeps the abandonment mark. */
    @Override
    protected long unlockOwnValue(long value) {
        if (WORD.getVolatile(this) == RESERVED) {
            WORD.setVolatile(this, null);
        }
        return value & ABANDONED;
    }

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
        // Under the lock the word is reserved (free), names a dead owner, or names who
        // (recursion): nobody else writes it, and a lock-free taker finds it taken.
        Thread previous = (Thread) OWNER.get(this);
        holds = (int) (value & HOLDS);
        OWNER.setRelease(this, who);
        WORD.setVolatile(this, who);
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
        return getStateVolatile() ^ (o == null ? 0L : o.threadId() << 32 | 1L);
    }

    /**
     * Whether a taker whose CAS of the lock word succeeded keeps the mutex, from the state word
     * read after that CAS: not if it is abandoned (the engine reports the take-over), nor, for
     * hand-off, if waiters are queued (they come first).
     */
    private boolean keeps(long s) {
        return barging() ? (s & ABANDONED) == 0 : (s & (QUEUED_STATE | ABANDONED)) == 0;
    }

    /** A taker that may not keep the mutex frees the word again, then checks like a releaser. */
    private void backOut(Thread me) {
        WORD.setVolatile(this, null);
        long s = getStateVolatile();
        if (s != 0L) {
            afterFree(me, s);
        }
    }

    /**
     * The check after a store that freed the word, with the state word read after it: the
     * holder of the object lock may have read the word before the store (a waiter about to
     * queue), and queued waiters need serving, unless a barging head already woken will find
     * the mutex free when it competes.
     */
    private void afterFree(Thread me, long s) {
        if (isLocked(s) || (s & QUEUED_STATE) != 0 && !(barging() && releasesToWokenHead(s))) {
            serve();
        } else if ((s & QUEUED_STATE) != 0) {
            clearBlocker(me); // barging, the head woken: it takes the mutex when it competes
        }
    }

    /** Serves the queue if the mutex is free, under the object lock (whose hook reserves it). */
    private void serve() {
        long v = lockForSignal();
        if ((v & HOLDS) == 0) {
            if (blocker != null) {
                blocker.owner(null); // a hand-off below records the next owner
            }
            v = wake(v);
        }
        unlockAfterSignal(v);
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread who, long arg, WaitOperation op) {
        for (int spins = 0; ; spins++) {
            Object w = WORD.getVolatile(this);
            if (w == null) {
                if (WORD.compareAndSet(this, null, who)) {
                    if (keeps(getStateVolatile())) {
                        holds = 1;
                        OWNER.setRelease(this, who);
                        return POLL_ACQUIRED;
                    }
                    backOut(who);
                    return POLL_CONTENDED;
                }
                continue;
            }
            if (w == who) { // only this thread stores itself, and it has kept the mutex
                int h = holds;
                if (h == HOLDS) {
                    throw new IllegalStateException(overflowMessage());
                }
                holds = h + 1;
                return POLL_ACQUIRED;
            }
            if (w == RESERVED) {
                return POLL_CONTENDED;
            }
            Thread o = (Thread) OWNER.getAcquire(this);
            if (o == w) {
                return o.isAlive() ? POLL_FAILED : POLL_CONTENDED;
            }
            pause(spins); // being taken, backed out of or freed: never fail on a taker that may not keep it
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
                // a dead owner writes nothing: this thread takes its word over, reserved
                holds = 0;
                OWNER.setRelease(this, null);
                WORD.setVolatile(this, RESERVED); // freed at unlock unless handed to a waiter
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
        Thread me = Thread.currentThread();
        if (WORD.compareAndSet(this, null, me)) { // the uncontended path: this CAS and one read
            long s = getStateVolatile();
            if (s == 0L || keeps(s)) {
                holds = 1;
                OWNER.setRelease(this, me);
                return;
            }
            backOut(me);
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
        if (OWNER.getAcquire(this) != me) {
            throw notOwner(me);
        }
        int h = holds;
        if (h > 1) {
            holds = h - 1;
            return h;
        }
        // the final release: a store frees the word (as ReentrantLock's), then one read; a
        // hand-off mutex with waiters queued (or its object lock held) hands off under the lock
        if (!barging() && getStateVolatile() != 0L) {
            handOff();
            return 1;
        }
        holds = 0;
        OWNER.setRelease(this, null);
        WORD.setVolatile(this, null);
        long s = getStateVolatile();
        if (s != 0L) {
            afterFree(me, s);
        }
        return 1;
    }

    /**
     * The final release of a hand-off mutex that found waiters queued: under the object lock
     * the word goes from this thread to the reservation and, by the walk, to the first waiter
     * that can take the mutex, so no thread can take it in between (as before the store
     * release: a waiter queued before the release began is never overtaken).
     */
    private void handOff() {
        long v = lockForSignal(); // the word names this thread, which stored itself: held
        holds = 0;
        OWNER.setRelease(this, null);
        WORD.setVolatile(this, RESERVED); // freed at unlock unless handed to a waiter
        if (blocker != null) {
            blocker.owner(null); // a hand-off below records the next owner
        }
        v = wake(v & ABANDONED);
        unlockAfterSignal(v);
    }

    /**
     * After a barging release that freed the mutex with one store while waiters stay queued:
     * without the object lock (see OwnerBlocker), a waiter that queued or lost a competition
     * since this thread took the mutex may have recorded it; nobody records it after the store.
     */
    private void clearBlocker(Thread me) {
        OwnerBlocker b = blocker;
        if (b != null && b.owner() == me) {
            b.owner(null);
        }
    }

    private IllegalMonitorStateException notOwner(Thread me) {
        Snapshot sn = snapshot();
        long v = sn.value;
        Thread o = sn.owner;
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
     * Reads the value and the owner together, under the object lock, whose hook waits out a
     * take, back-out or free in progress; a read that still finds the mutex held without an
     * owner retries: a held mutex is never reported free, and a free one never reported held.
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
