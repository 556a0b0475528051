package io.waitkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The base of every object the wait engine can wait on: one state word, one FIFO wait queue,
 * and the hand-off algorithm that serves the queue when the object is signalled.
 *
 * <pre>
 *  state (64 bits)
 *  +--------+--------+--------+---------------------------------------------------+
 *  | 63: 0  | LOCKED | QUEUED |  60..0: value, defined by the primitive           |
 *  +--------+--------+--------+---------------------------------------------------+
 *  LOCKED  the object lock is held: the queue and the value belong to the holder
 *  QUEUED  the queue is not empty: signals must take the slow path and hand off
 *  WOKEN   (bit 60, {@link #BARGING} objects only, always with QUEUED) the head of the queue
 *          is a waiter a release woke and that has not competed yet
 * </pre>
 *
 * <p><b>Fast paths.</b> A primitive acquires without the lock by a single CAS of the value bits
 * from an observed state that has no LOCKED bit (QUEUED may be set: a new acquirer may take
 * what queued waiters cannot use, as on NT). It releases or signals without the lock by a
 * single CAS only from a state with neither bit: with nobody queued there is nobody to hand
 * off to (a {@link #BARGING} object also from a state whose head is a woken waiter, see
 * {@link #releasesToWokenHead}). Every other change takes the lock. Since any CAS expects a state without LOCKED,
 * nothing changes the word while the lock is held except the holder, and the holder can read,
 * test and update the value in several steps (check-then-acquire for wait-all, set-wake-reset
 * for pulse) that others observe as one atomic step. Readers of a value wait out a held lock
 * ({@link #stableValue()}), so they never see an intermediate value either.
 *
 * <p><b>Hand-off.</b> A signaller, holding the lock, walks the queue from the head
 * ({@link #wake(long)}): for each waiter that the value now satisfies, it claims the waiter
 * (see {@link Waiter}), performs the acquisition on its behalf, unlinks the node and wakes it.
 * A woken waiter never re-competes, and a read right after the signalling call already shows
 * the acquisition. Nodes of waiters that were claimed through another object or cancelled are
 * unlinked on the way, with {@link #withdrawn} as if their waiter had withdrawn them (its own
 * withdrawal then finds them gone), so the primitive's bookkeeping for queued nodes is undone
 * exactly once whoever unlinks them; nodes passed over before such a node are served again.
 *
 * <p><b>Barging.</b> An object made with the trait {@link #BARGING} serves its queue with
 * {@link #wakeBarging} instead: a thread blocked on it alone is woken without being claimed and
 * competes for the object again ({@link #recompete}), so a running thread may take it first;
 * the rules of that walk, and why no wake-up is lost, are in its comment.
 *
 * <p><b>Wait-all.</b> Wait-all waiters register on all their objects while holding the global
 * {@link AllLock} and every object lock, and count themselves in {@link #allWaiters}. A
 * signaller reads that count before locking; if it is non-zero it takes the global lock first
 * (lock order: global lock, then object locks), so that it may lock the other objects of an
 * all-waiter and acquire them all at once. The count only rises under the object lock, so a
 * signaller that finds it zero while holding the object lock can safely proceed without the
 * global lock. Object locks are taken several at a time only under the global lock; every
 * other path holds at most one object lock and never waits for anything while holding it, so
 * there is no lock-order cycle. The algorithm is in {@link WaitAll}; pairing and groups
 * (operations that complete only with partners) are in {@link Groups}.
 *
 * <p><b>Proxies.</b> For a {@link Proxy} the value lives outside the heap: {@link #lockState()}
 * takes the local lock bit and then the outside lock and returns the outside value, and
 * {@link #unlockState(long)} stores it back; the state word keeps only the flag bits. Every
 * algorithm above then runs unchanged on the outside value.
 *
 * <p><b>Wake-ups and async completion.</b> Claimed waiters are chained on the object while the
 * lock is held; {@link #unlockAfterSignal(long)} unparks the blocked ones and completes the
 * async ones after every engine lock is released (the latter at DISPATCH_LEVEL), so neither a
 * system call nor a user callback runs under an engine lock. A claimed waiter already owns
 * what it acquired before it is unparked, so the delay changes no outcome.
 *
 * <p><b>Spinning.</b> Objects whose holders usually release soon (locks, semaphores) are made
 * with the trait {@link #SPINS_BEFORE_QUEUEING}: a platform thread that finds them taken
 * retries the lock-free path for a short while before it queues (see {@link LockSpin}). Only
 * queued waiters are served by hand-off, so a thread that is still spinning may take the
 * object from a releaser that found nobody queued, as a new arrival may on NT. A queued waiter
 * of such an object (or of one made with {@link #SPINS_BEFORE_PARKING}, as an event) also
 * spins a while before it parks, and on a machine with enough cores a hand-off unparks the
 * next waiter in line ahead of its turn ("wake-ahead"), so that a busy lock passes from one
 * running thread to the next instead of waiting for a wake-up each time.
 *
 * <p><b>Traits and hooks.</b> What is constant for an object (whether it spins, whether its
 * lock is busy) is a trait given to the constructor and kept in a final field, so the hot
 * paths that ask make no virtual call. What depends on the value or the operation is a hook,
 * a protected method the primitive overrides; objects whose operations pair with queued
 * partners say how in one of them, {@link #pairing()}.
 */
public abstract class WaitObject {
    /** The object lock bit. */
    static final long LOCKED = 1L << 62;
    /** The queue-not-empty bit. */
    static final long QUEUED = 1L << 61;
    static final long FLAGS = LOCKED | QUEUED;
    /**
     * The woken-head bit of a {@link #BARGING} object: written by {@link #unlockState} from the
     * queue, like QUEUED (so it only changes under the lock), and set only together with it.
     */
    static final long WOKEN = 1L << 60;
    /**
     * The whole state word of an unlocked {@link #BARGING} object with value 0 whose queue's
     * head is a woken waiter ({@code QUEUED | WOKEN}): with 0 (nobody queued) and
     * {@link #QUEUED_STATE} (the head parked) one of the three words in which a mutex is free
     * under contention. A primitive's hot path compares the word it read with these constants
     * and CASes from the constant, not from the word read: a CAS whose expected value waits
     * for a load of the same word costs about 2 ns more per operation (measured on a 2-core
     * AMD EPYC VM, where it was a third of a contended lock and unlock; docs/design.md,
     * "Barging").
     */
    protected static final long WOKEN_HEAD_STATE = QUEUED | WOKEN;
    /** The whole state word of an unlocked object with value 0 and waiters queued ({@code QUEUED}). */
    protected static final long QUEUED_STATE = QUEUED;

    /**
     * Trait: a platform thread that finds the object unavailable retries the lock-free path
     * ({@link #tryAcquireFast}) for a short while before it queues, and once queued spins
     * before it parks as with {@link #SPINS_BEFORE_PARKING} (see {@link LockSpin}): for objects
     * that are usually released within microseconds (locks, semaphores), where a queued waiter
     * would cost a park and an unpark per acquisition.
     */
    protected static final int SPINS_BEFORE_QUEUEING = 1;
    /**
     * Trait: a platform thread queued here checks its status for a short while before it
     * parks (see {@link LockSpin}), so that a signal that comes soon finds it running and a
     * park/unpark round trip is saved: for events, which a thread cannot take by retrying.
     * Implied by {@link #SPINS_BEFORE_QUEUEING}.
     */
    protected static final int SPINS_BEFORE_PARKING = 2;
    /**
     * Trait: every operation takes the object lock (a channel's producer and consumer), so a
     * thread that finds it held pauses between two reads of the state word, up to
     * {@link #BUSY_LOCK_BACKOFF} {@link Thread#onSpinWait()} hints growing by one per failed
     * read: reading a held lock's word pulls its cache line away from the holder, and staying
     * off it lets the holder finish several operations in a row. Without it a thread re-reads
     * at once.
     */
    protected static final int BUSY_LOCK = 4;
    /**
     * Trait: a release with queued waiters frees the object and wakes the first waiter it
     * satisfies instead of acquiring for it; the algorithm and its rules are in
     * {@link #wakeBarging}. Only for objects whose {@link #withdrawn} changes nothing, that
     * have no {@link #pairing()} and never ask for a {@link #rescanAfter} (a mutex, a
     * semaphore).
     */
    protected static final int BARGING = 16;
    private static final int TRAITS = SPINS_BEFORE_QUEUEING | SPINS_BEFORE_PARKING | BUSY_LOCK | BARGING;
    /** The engine's own trait, set by the {@link Proxy} constructor only: see {@link #proxy()}. */
    private static final int PROXY = 8;

    /**
     * The longest pause of a thread that finds the lock of a {@link #BUSY_LOCK} object held: 32
     * spin-wait hints (a channel's producer and consumer then move about twice as many items
     * per second as when they re-read the word at once; B5 in BENCHMARKS.md); 0 on one CPU.
     * Tunable with the system property {@code io.waitkit.lockBackoff}.
     */
    static final int BUSY_LOCK_BACKOFF = (int) Math.min(1024L, LockSpin.setting("io.waitkit.lockBackoff", 32L));

    /** Returned by {@link #acquireFor} when the value does not allow the acquisition. */
    protected static final long UNAVAILABLE = -1L;
    /** Returned by {@link #acquireFor} when the acquisition would overflow a counter. */
    protected static final long OVERFLOW = -2L;
    /**
     * Returned by {@link #acquireFor} when the operation completes only with a partner; only
     * objects with a {@link #pairing()} answer it.
     */
    protected static final long NEEDS_PARTNER = -3L;
    /**
     * Returned by {@link #acquireFor} when the operation is not allowed now (a second pending
     * reader of a single-reader stream, a wait on another thread's post/wait slot): the caller
     * gets the exception of {@link #refused}, nothing is queued.
     */
    protected static final long REFUSED = -4L;
    /**
     * Or-ed into the new value returned by {@link #acquireFor} when the acquisition happens but
     * must be reported to the waiter with {@link #reportException} (an abandoned mutex taken
     * over, a future member that failed).
     */
    protected static final long MUST_REPORT = 1L << 59;
    /** The bits a primitive may use for its value. */
    protected static final long VALUE_MASK = MUST_REPORT - 1;

    /** {@link #tryAcquireFast} result: acquired. */
    protected static final int POLL_ACQUIRED = 0;
    /** {@link #tryAcquireFast} result: acquired, and to be reported ({@link #MUST_REPORT}). */
    protected static final int POLL_REPORTED = 1;
    /** {@link #tryAcquireFast} result: not available at the moment of the read. */
    protected static final int POLL_FAILED = 2;
    /** {@link #tryAcquireFast} result: cannot decide without the lock. */
    protected static final int POLL_CONTENDED = 3;

    private static final VarHandle STATE;
    private static final VarHandle SPINNERS;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WaitObject.class, "state", long.class);
            SPINNERS = MethodHandles.lookup().findVarHandle(WaitObject.class, "spinners", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long state;

    // Guarded by the lock bit.
    WaitNode head;
    private WaitNode tail;
    private Waiter completions;
    /** A parked waiter to unpark after unlocking, so that it spins for its turn (see wake). */
    private Waiter aheadToWake;
    /** Rare work to do after unlocking (see {@link Later}); null almost always. */
    private Later later;
    private boolean holdsAllLock;
    /**
     * The constructor's traits ({@link #SPINS_BEFORE_PARKING} added when
     * {@link #SPINS_BEFORE_QUEUEING} is set) and {@link #PROXY}: one final byte, which fits in
     * the padding beside {@link #holdsAllLock}, so that no primitive is larger for it, and
     * which the paths that ask read without a virtual call.
     */
    private final byte traits;
    /** All-waiters queued here; written under the lock, read before locking as a hint. */
    private volatile int allWaiters;
    /** Threads spinning on this object now (see {@link #tryStartSpin}). */
    private volatile int spinners;

    /**
     * Creates an object with the given initial value and no traits.
     *
     * @param initialValue the value bits, within {@link #VALUE_MASK}
     */
    protected WaitObject(long initialValue) {
        this(initialValue, 0);
    }

    /**
     * Creates an object with the given initial value and traits.
     *
     * @param initialValue the value bits, within {@link #VALUE_MASK}
     * @param traits {@link #SPINS_BEFORE_QUEUEING}, {@link #SPINS_BEFORE_PARKING},
     *        {@link #BUSY_LOCK} and {@link #BARGING} or-ed together, or 0
     */
    protected WaitObject(long initialValue, int traits) {
        this(initialValue, traits, false);
    }

    /** The constructor of heap objects (above) and of {@link Proxy proxies}. */
    WaitObject(long initialValue, int traits, boolean proxy) {
        if ((initialValue & ~VALUE_MASK) != 0) {
            throw new IllegalArgumentException("value out of range: " + initialValue);
        }
        if ((traits & ~TRAITS) != 0) {
            throw new IllegalArgumentException("unknown traits: " + traits);
        }
        if ((traits & SPINS_BEFORE_QUEUEING) != 0) {
            traits |= SPINS_BEFORE_PARKING;
        }
        this.state = initialValue;
        this.traits = (byte) (proxy ? traits | PROXY : traits);
    }

    /**
     * Whether this is a {@link Proxy}: its value lives outside the heap and its state word
     * holds only the flag bits. A bit of a final field, so the branch in {@link #lockState()}
     * and {@link #unlockState(long)} costs heap objects nothing measurable.
     */
    final boolean proxy() {
        return (traits & PROXY) != 0;
    }

    /**
     * Whether the object was made with {@link #BARGING}.
     *
     * @return true if a release wakes the first waiter to compete again instead of handing off
     */
    protected final boolean barging() {
        return (traits & BARGING) != 0;
    }

    /**
     * Whether the object was made with {@link #SPINS_BEFORE_QUEUEING}.
     *
     * @return true if a platform thread retries the lock-free path before it queues
     */
    final boolean spinsBeforeQueueing() {
        return (traits & SPINS_BEFORE_QUEUEING) != 0;
    }

    /**
     * Whether the object was made with {@link #SPINS_BEFORE_PARKING} or
     * {@link #SPINS_BEFORE_QUEUEING}.
     *
     * @return true if a queued platform thread spins before it parks
     */
    final boolean spinsBeforeParking() {
        return (traits & SPINS_BEFORE_PARKING) != 0;
    }

    /**
     * The longest pause, in spin-wait hints, between two reads of the state word by a thread
     * that found the object lock held: {@link #BUSY_LOCK_BACKOFF} for a {@link #BUSY_LOCK}
     * object, else 0 (re-read at once).
     */
    final int lockBackoff() {
        return (traits & BUSY_LOCK) != 0 ? BUSY_LOCK_BACKOFF : 0;
    }

    // ---------------------------------------------------------------------------------------
    // Hooks implemented by each primitive. All but tryAcquireFast, spinSnapshot and checkOwner
    // run with the lock held; pairing answers a constant and may be asked either way.

    /**
     * Computes the value after {@code owner} acquires {@code arg} units through {@code op}.
     * Must not change anything: the acquisition may still be abandoned (its waiter claimed
     * elsewhere); side effects belong in {@link #acquired}. The answer may depend on more than
     * the value (pending requests whose clients give up under their own lock, a user
     * predicate): the engine commits the answer it checked and never evaluates it twice for
     * one acquisition.
     *
     * @param value the current value
     * @param owner the thread the acquisition is for
     * @param arg the amount to acquire (1 for waits through {@code Wait})
     * @param op the operation (null when the object itself is waited on)
     * @return the new value, possibly or-ed with {@link #MUST_REPORT}; or
     *         {@link #UNAVAILABLE}, {@link #OVERFLOW}, or {@link #NEEDS_PARTNER} when the
     *         operation completes only by pairing with a queued partner (see {@link #pairing()})
     */
    protected abstract long acquireFor(long value, Thread owner, long arg, WaitOperation op);

    /**
     * Applies an acquisition computed by {@link #acquireFor}: moves data into or out of the
     * operation, records an owner, adjusts bookkeeping kept for queued nodes.
     *
     * @param value the value returned by {@code acquireFor} (flag bits removed)
     * @param owner the thread the acquisition is for
     * @param arg the amount
     * @param op the operation, or null
     * @param wasQueued whether the acquiring node was queued here (and has now left the queue)
     * @return the final value
     */
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        return value;
    }

    /**
     * Called when a node is queued here (it could not acquire at once).
     *
     * @param value the current value
     * @param owner the waiting thread
     * @param arg the amount it waits for
     * @param op its operation, or null
     * @return the new value (a barrier counts an arrival here)
     */
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        return value;
    }

    /**
     * Called when a queued node leaves without acquiring (timeout, interrupt, cancel, or its
     * waiter acquired another object). If the returned value differs, the queue is served
     * again: the withdrawal may have enabled others (a reader/writer lock's queued writer
     * giving up lets readers in).
     *
     * @param value the current value
     * @param arg the amount it waited for
     * @param op its operation, or null
     * @return the new value
     */
    protected long withdrawn(long value, long arg, WaitOperation op) {
        return value;
    }

    /**
     * Called when a woken waiter of a {@link #BARGING} object competed again and lost: the
     * object was taken by a running thread meanwhile, and the waiter stays queued and parks
     * again ({@link #recompete}). A mutex records its current owner for the JVM's deadlock
     * detection here, since its lock-free acquisitions past queued waiters do not (see
     * {@link OwnerBlocker}). Lock held; must not change the value.
     *
     * @param value the current value
     */
    protected void recompeteLost(long value) {
    }

    /**
     * Whether an acquisition through {@code op} may let other queued waiters acquire (a
     * channel receive frees space for a blocked sender): the hand-off loop then restarts from
     * the head of the queue.
     *
     * @param op the operation that acquired, or null
     * @return true to rescan the queue
     */
    protected boolean rescanAfter(WaitOperation op) {
        return false;
    }

    /**
     * A snapshot that changes when the object changes hands, for a spinning thread to tell a
     * busy object (keep spinning: it will come free) from a stuck one (queue and park). Called
     * without the lock; by default the state word.
     *
     * @return a value that differs after a release or an acquisition, most of the time
     */
    protected long spinSnapshot() {
        return state;
    }

    /**
     * Takes one of this object's spinner slots (see {@link LockSpin#MAX_SPINNERS}); a thread
     * that gets one must give it back with {@link #endSpin()}.
     *
     * @param max the number of slots
     * @return true if a slot was free and is now taken
     */
    final boolean tryStartSpin(int max) {
        for (;;) {
            int n = spinners;
            if (n >= max) {
                return false;
            }
            if (SPINNERS.compareAndSet(this, n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryStartSpin(int)}. */
    final void endSpin() {
        SPINNERS.getAndAdd(this, -1);
    }

    /**
     * Whether waiters are queued at the moment of the read (a hint, without waiting out a
     * held lock).
     *
     * @return true if the queued bit was set
     */
    final boolean hasQueuedHint() {
        return (state & QUEUED) != 0;
    }

    /** The number of all-waiters queued here (a hint, for {@link EngineProbe}). */
    final int allWaiterCount() {
        return allWaiters;
    }

    /** Whether a signaller holds the wait-all lock through this object (racy, for {@link EngineProbe}). */
    final boolean holdsAllLockHint() {
        return holdsAllLock;
    }

    /**
     * Whether the object lock is held at the moment of the read (a hint).
     *
     * @return true if the lock bit was set
     */
    final boolean isLockHeld() {
        return (state & LOCKED) != 0;
    }

    /**
     * How this object's operations complete together with queued partners, for objects whose
     * {@link #acquireFor} can answer {@link #NEEDS_PARTNER} (a rendezvous, a barrier, a
     * capacity-0 channel): a constant, usually one instance per class (see {@link Pairing}).
     * An object that has one cannot take part in a wait-all, which cannot wait for a partner.
     * Asked with or without the lock, on the pairing paths and when a wait-all is checked.
     *
     * @return the pairing, or null (the default) for objects whose operations never pair
     */
    protected Pairing<?> pairing() {
        return null;
    }

    /**
     * Whether another queued waiter could still be served at this value; lets the hand-off
     * loop stop early (an unsignalled event, a semaphore at zero).
     *
     * @param value the current value
     * @return false if no waiter can acquire at this value
     */
    protected boolean mayWake(long value) {
        return true;
    }

    /**
     * Tries to acquire for the current thread without the lock.
     *
     * @param owner the current thread
     * @param arg the amount to acquire
     * @param op the operation, or null
     * @return {@link #POLL_ACQUIRED}, {@link #POLL_REPORTED}, {@link #POLL_FAILED} or
     *         {@link #POLL_CONTENDED} when the answer needs the lock
     */
    protected abstract int tryAcquireFast(Thread owner, long arg, WaitOperation op);

    /**
     * Whether {@link #tryAcquireFast} would acquire now, from one read and without changing
     * anything: the question wait-any's single pass over its list asks every object before it
     * tries to take one (see {@link WaitEngine}). Called without the lock. A
     * {@link #POLL_FAILED} answer must be as sure as that of {@code tryAcquireFast} (the
     * object was not available at the moment of the read); a {@link #POLL_ACQUIRED} answer is
     * a hint, the acquisition that follows decides. The default cannot tell: the wait then
     * tries the object itself, in index order, as it tries every object whose answer is
     * {@link #POLL_CONTENDED}.
     *
     * @param owner the current thread
     * @param arg the amount to acquire
     * @param op the operation, or null
     * @return {@link #POLL_ACQUIRED} if it looked available, {@link #POLL_FAILED} if it was
     *         not, {@link #POLL_CONTENDED} if only an attempt can tell (the lock is held, the
     *         answer depends on more than the state word)
     */
    protected int peekFast(Thread owner, long arg, WaitOperation op) {
        return POLL_CONTENDED;
    }

    /**
     * Creates the exception for an acquisition that {@link #acquireFor} answered with
     * {@link #OVERFLOW} or {@link #REFUSED}.
     *
     * @param code {@code OVERFLOW} or {@code REFUSED}
     * @param op the operation, or null
     * @return the exception to throw to the caller
     */
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalStateException(code == OVERFLOW ? "counter overflow" : "operation refused");
    }

    /**
     * Called about every {@link OwnerWatchdog#PERIOD_MILLIS} ms by the owner watchdog for an
     * object that registered itself with {@link OwnerWatchdog#watch}: abandons the object and
     * hands it off if its owner died. Called without the lock.
     *
     * @return whether the object should stay registered
     */
    protected boolean checkOwner() {
        return false;
    }

    /**
     * Creates the exception reported to a wait whose acquisition of this object must be
     * reported: it took over an abandoned mutex, or a future member that failed. Only objects
     * whose {@link #acquireFor} can answer with {@link #MUST_REPORT} override it.
     *
     * @param index the object's index in a wait-any, or -1 for wait-all and single waits
     * @param member what the wait was given for this object: the object itself, or an operation
     *        or a handle whose target it is (an exception that names the object names this)
     * @return the exception to throw (ownership is already taken when it is thrown)
     */
    protected RuntimeException reportException(int index, Object member) {
        throw new AssertionError(getClass().getName() + " cannot be abandoned");
    }

    // ---------------------------------------------------------------------------------------
    // State access for primitives.

    /**
     * Reads the raw state word (value plus flag bits) with volatile semantics.
     *
     * @return the state
     */
    protected final long getStateVolatile() {
        return state;
    }

    /**
     * Compare-and-sets the raw state word (volatile semantics).
     *
     * @param expected the expected state
     * @param update the new state
     * @return whether the state was updated
     */
    protected final boolean compareAndSetState(long expected, long update) {
        return STATE.compareAndSet(this, expected, update);
    }

    /**
     * Whether a state word has the lock bit.
     *
     * @param state a state word
     * @return true if locked
     */
    protected static boolean isLocked(long state) {
        return (state & LOCKED) != 0;
    }

    /**
     * Whether a state word has neither the lock nor the queued bit, the condition for a
     * lock-free release or signal.
     *
     * @param state a state word
     * @return true if no flag is set
     */
    protected static boolean isQuiet(long state) {
        return (state & FLAGS) == 0;
    }

    /**
     * Whether a state word of a {@link #BARGING} object allows a release without the lock: the
     * lock is free and the head of the queue is a waiter that a release already woke and that
     * has not competed yet. That waiter will take the object lock and find whatever a release
     * made available meanwhile (and pass on what it cannot use), so the release need not walk
     * the queue: it may change the value with one CAS from this word, which fails if the waiter
     * competed in between (the lock bit came and went, and the woken bit went with it unless
     * another woken waiter is at the head, which will find the release just as well).
     *
     * @param state a state word
     * @return true if a release may be a CAS of the value from {@code state}
     */
    protected static boolean releasesToWokenHead(long state) {
        return (state & (LOCKED | WOKEN)) == WOKEN;
    }

    /**
     * The value bits of a state word.
     *
     * @param state a state word
     * @return its value
     */
    protected static long valueOf(long state) {
        return state & VALUE_MASK;
    }

    /**
     * Reads the value, waiting out a held lock so that an intermediate value is never seen.
     * For a {@link Proxy} the local word holds no value (always 0): read the outside state.
     *
     * @return the value
     */
    protected final long stableValue() {
        long s;
        int round = 0;
        while (((s = state) & LOCKED) != 0) {
            round = Backoff.pause(round);
        }
        Backoff.done(round);
        return s & VALUE_MASK;
    }

    /**
     * Whether any waiter is queued on this object (a snapshot).
     *
     * @return true if the queue was not empty
     */
    protected final boolean hasQueuedWaiters() {
        long s;
        int round = 0;
        while (((s = state) & LOCKED) != 0) {
            round = Backoff.pause(round);
        }
        Backoff.done(round);
        return (s & QUEUED) != 0;
    }

    // ---------------------------------------------------------------------------------------
    // The object lock.

    /**
     * Takes the object lock; for a {@link Proxy}, its outside lock too, and the value is the
     * outside value.
     *
     * @return the value at the time the lock was taken
     */
    protected final long lockState() {
        int backoff = lockBackoff(); // read once: in the loop it would touch the contended line on every pause
        for (int round = 0; ; ) {
            long s = state;
            if ((s & LOCKED) == 0) {
                if (STATE.compareAndSet(this, s, s | LOCKED)) {
                    Backoff.done(round);
                    return proxy() ? lockOutside(s) : s & VALUE_MASK;
                }
            } else {
                round = Backoff.pause(round);
                for (int k = Math.min(round & 0xFFFF, backoff); k > 0; k--) {
                    Thread.onSpinWait(); // stay off the state word: let the holder keep its cache line
                }
            }
        }
    }

    /** A proxy's outside lock, after its local lock; a failure to take it gives the local lock back. */
    private long lockOutside(long unlocked) {
        try {
            return ((Proxy) this).lockOutside();
        } catch (RuntimeException | Error e) {
            STATE.setRelease(this, unlocked);
            throw e;
        }
    }

    /**
     * Stores a new value and releases the object lock (release semantics). The queued bit is
     * recomputed from the queue.
     *
     * @param value the new value
     */
    protected final void unlockState(long value) {
        if (proxy()) {
            ((Proxy) this).unlockOutside(value);
            value = 0L;
        }
        WaitNode h = head;
        STATE.setRelease(this, value | (h == null ? 0L : barging() && h.waiter().woken ? QUEUED | WOKEN : QUEUED));
    }

    /**
     * Takes the object lock for an operation that may wake waiters, and the global wait-all
     * lock first when wait-all waiters are queued here.
     *
     * @return the value at the time the lock was taken
     */
    protected final long lockForSignal() {
        boolean all = allWaiters != 0;
        if (all) {
            AllLock.lock();
        }
        try {
            long v = lockState();
            if (!all && allWaiters != 0) {
                // an all-waiter registered between the hint and the lock: retake in order
                unlockState(v);
                AllLock.lock();
                all = true;
                v = lockState();
            }
            if (all) {
                holdsAllLock = true; // false whenever the lock is free: no store on the common path
            }
            return v;
        } catch (RuntimeException | Error e) {
            if (all) {
                AllLock.unlock(); // only a proxy's outside lock can fail to be taken
            }
            throw e;
        }
    }

    /**
     * Stores the value, releases the locks taken by {@link #lockForSignal()}, then completes
     * the async waiters claimed meanwhile (outside every lock, at DISPATCH_LEVEL) and rescans
     * the objects of waiters whose tentative claim was undone.
     *
     * @param value the new value
     */
    protected final void unlockAfterSignal(long value) {
        unlockAfterSignal(value, false);
    }

    /**
     * As {@link #unlockAfterSignal(long)}, but completes the claimed async waiters on a new
     * virtual thread instead of the calling one: for the owner watchdog, whose thread must not
     * run user callbacks (a slow one would delay the detection of every other dead owner).
     *
     * @param value the new value
     */
    protected final void unlockAfterSignalCompletingElsewhere(long value) {
        unlockAfterSignal(value, true);
    }

    private void unlockAfterSignal(long value, boolean elsewhere) {
        // Each field is cleared only when it was set: a store to this object's line while
        // another thread reads the state word on it would pull the line back from that reader
        // (a channel's producer and consumer signal on every operation; B5 in BENCHMARKS.md).
        boolean all = holdsAllLock;
        Waiter done = completions;
        Waiter ahead = aheadToWake;
        Later rare = later;
        if (all) {
            holdsAllLock = false;
        }
        if (done != null) {
            completions = null;
        }
        if (ahead != null) {
            aheadToWake = null;
        }
        if (rare != null) {
            later = null;
        }
        unlockState(value);
        if (all) {
            AllLock.unlock();
        }
        Waiter async = unparkBlocked(done);
        if (ahead != null) {
            ahead.unpark();
        }
        if (async != null) {
            if (elsewhere) {
                Thread.ofVirtual().name("waitkit-completion").start(() -> WaitEngine.completeAll(async));
            } else {
                WaitEngine.completeAll(async);
            }
        }
        if (rare != null) {
            rare.run();
        }
    }

    /**
     * The rare work a signal leaves for after unlocking, gathered in one object so that the
     * common unlock reads and clears one field: objects whose queues a wait-all acquisition
     * may have unblocked (rescanned), all-waiters with several proxies (completed with every
     * lock taken in order, see {@link WaitAll}), and waiters whose tentative claim this object
     * undid (their objects rescanned, see {@link Groups}). Guarded by the object lock until
     * the unlock hands it to the unlocking thread.
     */
    private static final class Later {
        private java.util.ArrayList<WaitObject> rescans;
        private java.util.ArrayList<Waiter> allWaiters;
        /** A list of this object's, not a link in the waiter: once unclaimed, the waiter may be
         *  claimed and reverted again through another object before this one is unlocked. */
        private java.util.ArrayList<Waiter> reverted;
        /** Waiters of a barging object woken beyond the first (see {@link #nudge}). */
        private java.util.ArrayList<Waiter> nudged;

        /** Appends to a list made on first use. */
        static <T> java.util.ArrayList<T> append(java.util.ArrayList<T> list, T item) {
            java.util.ArrayList<T> l = list != null ? list : new java.util.ArrayList<>(2);
            l.add(item);
            return l;
        }

        void run() {
            if (rescans != null) {
                for (WaitObject o : rescans) {
                    o.rescan();
                }
            }
            if (allWaiters != null) {
                for (Waiter w : allWaiters) {
                    WaitAll.completeInOrder(w);
                }
            }
            if (reverted != null) {
                for (Waiter w : reverted) {
                    w.rescanObjects();
                }
            }
            if (nudged != null) {
                for (Waiter w : nudged) {
                    w.unpark();
                }
            }
        }
    }

    private Later later() {
        if (later == null) {
            later = new Later();
        }
        return later;
    }

    /**
     * Unparks the blocked waiters of a chain of claimed waiters (lock released).
     *
     * @return the async waiters of the chain, in the chain's order, to complete
     */
    private static Waiter unparkBlocked(Waiter chain) {
        Waiter async = null;
        Waiter last = null;
        for (Waiter w = chain; w != null; ) {
            Waiter next = w.nextCompletion;
            if (w.future == null) {
                w.nextCompletion = null;
                w.unpark();
            } else if (last == null) {
                async = last = w;
            } else {
                last.nextCompletion = w;
                last = w;
            }
            w = next;
        }
        if (last != null) {
            last.nextCompletion = null;
        }
        return async;
    }

    // ---------------------------------------------------------------------------------------
    // Engine internals (called with the lock held unless stated).

    /**
     * Serves the queue at the given value: the hand-off. Requires the lock taken by
     * {@link #lockForSignal()}.
     *
     * @param value the value after the signalling change
     * @return the value after the hand-offs
     */
    protected final long wake(long value) {
        if (barging()) {
            return wakeBarging(value);
        }
        if (allWaiters != 0 && holdsAllLock) {
            value = WaitAll.serve(this, value);
        }
        WaitNode n = head;
        boolean passedOver = false; // a node before n stays queued
        boolean handedOff = false;
        while (n != null && mayWake(value)) {
            WaitNode next = n.next;
            Waiter w = n.waiter();
            int st = w.status();
            if (w.all || st == Waiter.CLAIMING) {
                passedOver = true;
                n = next; // all-waiters are served above; a tentative claim may still be undone
                continue;
            }
            if (st != Waiter.WAITING) {
                // claimed elsewhere or cancelled: it leaves without acquiring
                value = unlinkStale(value, n);
                if (passedOver) {
                    next = head; // its bookkeeping may have held back a node before it
                    passedOver = false;
                }
                n = next;
                continue;
            }
            long nv = acquireFor(value, w.owner, n.arg, n.op);
            if (nv >= 0) {
                long after = claimAndHandOff(nv, w, n);
                if (after != NOT_CLAIMED) {
                    value = after;
                    handedOff = true;
                    if (rescanAfter(n.op)) {
                        next = head;
                        passedOver = false;
                    }
                } else if (!w.isClaiming()) {
                    value = unlinkStale(value, n);
                    if (passedOver) {
                        next = head;
                        passedOver = false;
                    }
                } else {
                    passedOver = true;
                }
            } else if (nv == NEEDS_PARTNER) {
                WaitNode[] ms = Groups.findPartners(this, n);
                if (ms != null) {
                    value = Groups.complete(this, value, n, ms, true);
                    next = head; // all of them left the queue; start over
                    passedOver = false;
                } else {
                    passedOver = true;
                }
            } else {
                passedOver = true;
            }
            n = next;
        }
        if (handedOff && head != null && LockSpin.WAKE_AHEAD && spinsBeforeQueueing()) {
            Waiter w = head.waiter();
            if (w.isWaiting() && w.hasParked()) {
                aheadToWake = w; // the next in line: running by the time its turn comes
            }
        }
        return value;
    }

    /**
     * Serves the queue of a {@link #BARGING} object at the given value (lock held).
     *
     * <p><b>Algorithm.</b> The walk is the hand-off walk with one difference: a thread blocked
     * on this object alone (not async, not a wait on several objects) is not claimed. It is
     * <i>woken</i> instead ({@link Waiter#woken} set, unparked after unlocking) and the value
     * stays as it is, so that a running thread may take the object first (that thread then
     * never queues: no convoy). A woken waiter {@linkplain #recompete competes again} under
     * the lock; if it loses it stays where it is, at the head of the queue, and parks again.
     * The walk charges what a woken waiter would take to a <i>budget</i>, a copy of the value,
     * so that one release wakes as many waiters as it can satisfy (one for a mutex, up to
     * {@code n} for {@code release(n)}) and no more; a waiter already woken and not yet back
     * is charged but not woken twice. All-waiters, async waiters and waits on several objects
     * are served by hand-off as in {@link #wake}: they have no thread of their own running on
     * this object, and their claim is what keeps wait-all atomic and wait-any exactly-one;
     * the budget is charged for them too.
     *
     * <p><b>No lost wake-up.</b> Whenever the object lock is released with a value that a
     * queued waiter could use, a waiter that can use it is woken and not yet back, or the walk
     * was run: a release and a withdrawal run it ({@link #withdraw}); a woken waiter that wins
     * or loses runs it again if something is left ({@link #recompete}); a woken waiter that
     * times out, is interrupted or cancelled withdraws, which passes the wake-up on; a running
     * thread that takes the object first will release it, which walks again (a semaphore's
     * permit taken for good leaves nothing to pass on).
     *
     * @param value the value after the signalling change
     * @return the value after the hand-offs (a woken waiter leaves it unchanged)
     */
    private long wakeBarging(long value) {
        if (allWaiters != 0 && holdsAllLock) {
            value = WaitAll.serve(this, value);
        }
        long budget = value;
        for (WaitNode n = head; n != null && mayWake(budget); ) {
            WaitNode next = n.next;
            Waiter w = n.waiter();
            int st = w.status();
            if (w.all || st == Waiter.CLAIMING) {
                n = next; // all-waiters were served above; a tentative claim may still be undone
                continue;
            }
            if (st != Waiter.WAITING) {
                value = unlinkStale(value, n); // claimed elsewhere or cancelled
                n = next;
                continue;
            }
            long nb = acquireFor(budget, w.owner, n.arg, n.op);
            if (nb < 0) {
                n = next; // first fit, as the hand-off walk: a later waiter may need less
                continue;
            }
            if (w.future == null && w.nodeCount() == 1) {
                budget = nb & ~MUST_REPORT;
                nudge(w);
            } else {
                long nv = acquireFor(value, w.owner, n.arg, n.op);
                long after = nv >= 0 ? claimAndHandOff(nv, w, n) : NOT_CLAIMED;
                if (after != NOT_CLAIMED) {
                    value = after;
                    budget = nb & ~MUST_REPORT;
                } else if (nv >= 0 && !w.isClaiming()) {
                    value = unlinkStale(value, n);
                }
            }
            n = next;
        }
        return value;
    }

    /** {@link #claimAndHandOff} result: the waiter could not be claimed (a value is never negative). */
    private static final long NOT_CLAIMED = -1L;

    /**
     * The hand-off step of both walks ({@link #wake} and {@link #wakeBarging}), lock held:
     * claims the waiter of queued node {@code n}, unlinks the node, applies the acquisition
     * computed by {@link #acquireFor} ({@code nv}) on its behalf, publishes its result and
     * chains it to be unparked or completed after unlocking, recording the JFR hand-off event.
     *
     * @return the value after the acquisition, or {@link #NOT_CLAIMED} if the waiter was
     *         claimed elsewhere, cancelled or mid-way through a tentative claim (nothing done)
     */
    private long claimAndHandOff(long nv, Waiter w, WaitNode n) {
        if (!w.tryClaim()) {
            return NOT_CLAIMED;
        }
        unlink(n);
        long value = commit(nv, w, n, true);
        w.publish(n.index());
        handOff(w);
        Flight.handOff(this, w); // JFR, off by default
        return value;
    }

    /** Wakes a waiter of a barging object to compete again, unless it is woken already (lock held). */
    private void nudge(Waiter w) {
        if (w.woken) {
            return; // not back yet: it will compete with what it finds
        }
        w.woken = true;
        if (aheadToWake == null) {
            aheadToWake = w; // unparked by unlockAfterSignal
        } else {
            Later l = later();
            l.nudged = Later.append(l.nudged, w);
        }
    }

    /**
     * For a woken waiter of a {@link #BARGING} object, on its own thread: acquires for it if
     * the value allows, claiming itself; else it stays queued where it is (at the head, unless
     * a waiter ahead of it was woken too) and parks again. Either way, if the value still lets
     * a queued waiter in afterwards, the queue is walked again, so that a wake-up this waiter
     * could not use is passed on.
     *
     * @param w the waiter, queued on this object alone
     * @return true if the waiter acquired (its status is published)
     */
    final boolean recompete(Waiter w) {
        long v = lockForSignal();
        boolean won = false;
        try {
            w.woken = false;
            if (w.queued && w.isWaiting()) {
                long nv = acquireFor(v, w.owner, w.arg, w.op);
                if (nv >= 0 && w.tryClaim()) {
                    unlink(w);
                    v = commit(nv, w, w, true);
                    w.publish(0);
                    won = true;
                } else if (nv < 0) {
                    recompeteLost(v);
                }
            }
            if (head != null && mayWake(v)) {
                v = wakeBarging(v); // also when it won: a release may have found it woken and left more
            }
        } finally {
            unlockAfterSignal(v);
        }
        return won;
    }

    /**
     * Unlinks the node of a waiter that was claimed through another object or cancelled, and
     * undoes its bookkeeping as its own withdrawal would have (which now finds it gone).
     */
    private long unlinkStale(long value, WaitNode n) {
        unlink(n);
        return withdrawn(value, n.arg, n.op);
    }

    /** Records a waiter whose tentative claim this object undid, to rescan after unlocking (lock held). */
    void revertedLater(Waiter w) {
        Later l = later();
        l.reverted = Later.append(l.reverted, w);
    }

    /** Has {@code o}'s queue served again after this object is unlocked (lock held). */
    void rescanLater(WaitObject o) {
        Later l = later();
        l.rescans = Later.append(l.rescans, o);
    }

    /** Has all-waiter {@code w} completed after this object is unlocked, see WaitAll (lock held). */
    void deferAllWaiter(Waiter w) {
        Later l = later();
        l.allWaiters = Later.append(l.allWaiters, w);
    }

    /** Applies an acquisition computed by acquireFor for the node's waiter (lock held). */
    final long commit(long nv, Waiter w, WaitNode n, boolean wasQueued) {
        if ((nv & MUST_REPORT) != 0) {
            nv &= ~MUST_REPORT;
            w.markReported(this);
        }
        return acquired(nv, w.owner, n.arg, n.op, wasQueued);
    }

    /**
     * Chains a claimed waiter for {@link #unlockAfterSignal}, which unparks a blocked one or
     * completes an async one once the object lock is free: an unpark of a parked thread is a
     * system call, and making it under the lock would keep every other acquirer of this object
     * waiting for it.
     */
    void handOff(Waiter w) {
        w.nextCompletion = completions;
        completions = w;
    }

    /** {@link #enqueueOrAcquire} result: the node is queued. */
    static final int LINKED = 0;
    /** {@link #enqueueOrAcquire} result: the caller claimed its own waiter and acquired. */
    static final int SELF_CLAIMED = 1;
    /** {@link #enqueueOrAcquire} result: the waiter was already claimed elsewhere or cancelled. */
    static final int NOT_WAITING = 2;

    /**
     * For the registering thread: acquires now if the value allows (or pairs with a queued
     * partner), claiming the waiter itself; else queues the node. Does nothing if the waiter was
     * claimed or cancelled meanwhile. Registration may change the value (bookkeeping of queued
     * nodes), so it runs as a signal.
     *
     * @return {@link #LINKED} (possibly served right away by the wake it triggered: it then
     *         completes like any signalled waiter), {@link #SELF_CLAIMED} or {@link #NOT_WAITING}
     * @throws IllegalStateException if a blocking acquisition would overflow a counter (the
     *         waiter is then cancelled)
     */
    final int enqueueOrAcquire(WaitNode n) {
        Waiter w = n.waiter();
        long v = lockForSignal();
        try {
            if (!w.isWaiting()) {
                return NOT_WAITING;
            }
            long nv = acquireFor(v, w.owner, n.arg, n.op);
            if (nv == REFUSED || (nv == OVERFLOW && w.future == null)) {
                if (w.tryCancel()) {
                    throw refused(nv, n.op);
                }
                return NOT_WAITING; // claimed through another object meanwhile: that stands
            }
            if (nv == OVERFLOW) {
                nv = UNAVAILABLE; // an async wait waits like any other
            }
            if (nv >= 0) {
                if (!w.tryClaim()) {
                    return NOT_WAITING;
                }
                v = commit(nv, w, n, false);
                w.publish(n.index());
                if (rescanAfter(n.op)) {
                    v = wake(v);
                }
                return SELF_CLAIMED;
            }
            if (nv == NEEDS_PARTNER) {
                WaitNode[] ms = Groups.findPartners(this, n);
                if (ms != null) {
                    v = Groups.complete(this, v, n, ms, false);
                    return SELF_CLAIMED;
                }
                if (!w.isWaiting()) {
                    return NOT_WAITING;
                }
            }
            link(n);
            long v2 = enqueued(v, w.owner, n.arg, n.op);
            v = v2 != v ? wake(v2) : v2;
            return LINKED;
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Acquires for the current thread now if possible, never queueing: the poll used by
     * wait-any and by every {@code tryX()}.
     *
     * @return {@link #POLL_ACQUIRED}, {@link #POLL_REPORTED} or {@link #POLL_FAILED}
     */
    final int tryAcquireNow(Thread owner, long arg, WaitOperation op) {
        int r = tryAcquireFast(owner, arg, op);
        return r != POLL_CONTENDED ? r : tryAcquireLocked(owner, arg, op);
    }

    /**
     * The slow path of {@link #tryAcquireNow}, under the object lock; a method of its own so
     * that the fast path inlines into the callers' loops (the wait-any scan).
     */
    final int tryAcquireLocked(Thread owner, long arg, WaitOperation op) {
        long v = lockForSignal();
        try {
            long nv = acquireFor(v, owner, arg, op);
            if (nv == OVERFLOW || nv == REFUSED) {
                throw refused(nv, op);
            }
            if (nv == NEEDS_PARTNER) {
                Waiter n = new Waiter(owner, null, this, arg, op, null);
                WaitNode[] ms = Groups.findPartners(this, n);
                if (ms == null) {
                    return POLL_FAILED;
                }
                v = Groups.complete(this, v, n, ms, false);
                return POLL_ACQUIRED;
            }
            if (nv < 0) {
                return POLL_FAILED;
            }
            boolean abandoned = (nv & MUST_REPORT) != 0;
            v = acquired(nv & ~MUST_REPORT, owner, arg, op, false);
            if (rescanAfter(op)) {
                v = wake(v);
            }
            return abandoned ? POLL_REPORTED : POLL_ACQUIRED;
        } finally {
            unlockAfterSignal(v);
        }
    }

    /** Serves the queue again; called without the lock (after a tentative claim was undone). */
    final void rescan() {
        long v = lockForSignal();
        try {
            v = wake(v);
        } finally {
            unlockAfterSignal(v);
        }
    }

    /** Removes a node if it is still queued; the withdrawal may let others acquire. */
    final void withdraw(WaitNode n) {
        long v = lockForSignal();
        try {
            if (n.queued) {
                if (n.waiter().all) {
                    unlinkAll(n);
                } else {
                    unlink(n);
                }
                v = withdrawn(v, n.arg, n.op);
                if (mayWake(v)) {
                    v = wake(v); // the withdrawal may let others in (a writer giving up)
                }
            }
        } finally {
            unlockAfterSignal(v);
        }
    }

    // Wait-all registration, under the global lock and this object's lock.

    final long linkAll(WaitNode n, long value) {
        link(n);
        allWaiters++;
        return enqueued(value, n.waiter().owner, n.arg, n.op);
    }

    void unlinkAll(WaitNode n) {
        if (n.queued) {
            unlink(n);
            allWaiters--;
        }
    }

    private void link(WaitNode n) {
        WaitNode t = tail;
        n.prev = t;
        n.next = null;
        if (t == null) {
            head = n;
        } else {
            t.next = n;
        }
        tail = n;
        n.queued = true;
    }

    void unlink(WaitNode n) {
        WaitNode p = n.prev;
        WaitNode s = n.next;
        if (p == null) {
            head = s;
        } else {
            p.next = s;
        }
        if (s == null) {
            tail = p;
        } else {
            s.prev = p;
        }
        n.prev = null;
        n.next = null;
        n.queued = false;
    }

    /**
     * Whether the queue is empty; lock held.
     *
     * @return true if no node is queued
     */
    protected final boolean queueEmpty() {
        return head == null;
    }

    /**
     * What a thread blocked on this object alone parks on ({@code LockSupport.park(blocker)}):
     * the object itself, unless the primitive gives the JVM's tools something to read there
     * (an owned lock gives an {@link OwnerBlocker}). Called by the waiting thread after its
     * node was queued.
     *
     * @return the park blocker
     */
    protected Object parkBlocker() {
        return this;
    }

    /**
     * Counts the nodes queued now, without the object lock: a snapshot for descriptions and
     * diagnostics, exact when the queue is not changing. Never blocks; the queue's links only
     * ever point to nodes queued later, so the walk ends even while the queue changes.
     *
     * @return the number of queued nodes (waits in progress on this object)
     */
    protected final int queuedCount() {
        int count = 0;
        for (WaitNode n = head; n != null && count < Integer.MAX_VALUE; n = n.next) {
            count++;
        }
        return count;
    }
}
