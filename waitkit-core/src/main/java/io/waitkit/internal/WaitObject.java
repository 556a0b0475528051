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
 * </pre>
 *
 * <p><b>Fast paths.</b> A primitive acquires without the lock by a single CAS of the value bits
 * from an observed state that has no LOCKED bit (QUEUED may be set: a new acquirer may take
 * what queued waiters cannot use, as on NT). It releases or signals without the lock by a
 * single CAS only from a state with neither bit: with nobody queued there is nobody to hand
 * off to. Every other change takes the lock. Since any CAS expects a state without LOCKED,
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
 * unlinked on the way.
 *
 * <p><b>Wait-all.</b> Wait-all waiters register on all their objects while holding the global
 * {@link AllLock} and every object lock, and count themselves in {@link #allWaiters}. A
 * signaller reads that count before locking; if it is non-zero it takes the global lock first
 * (lock order: global lock, then object locks), so that it may lock the other objects of an
 * all-waiter and acquire them all at once. The count only rises under the object lock, so a
 * signaller that finds it zero while holding the object lock can safely proceed without the
 * global lock. Object locks are taken several at a time only under the global lock; every
 * other path holds at most one object lock and never waits for anything while holding it, so
 * there is no lock-order cycle.
 *
 * <p><b>Async completion.</b> Claimed async waiters are chained on the object while the lock
 * is held and completed by {@link #unlockAfterSignal(long)} after every engine lock is
 * released, at DISPATCH_LEVEL, so user callbacks never run under an engine lock.
 */
public abstract class WaitObject {
    /** The object lock bit. */
    static final long LOCKED = 1L << 62;
    /** The queue-not-empty bit. */
    static final long QUEUED = 1L << 61;
    static final long FLAGS = LOCKED | QUEUED;

    /** Returned by {@link #acquireFor} when the value does not allow the acquisition. */
    protected static final long UNAVAILABLE = -1L;
    /** Returned by {@link #acquireFor} when the acquisition would overflow a counter. */
    protected static final long OVERFLOW = -2L;
    /** Or-ed into the result of {@link #acquireFor} when it took over an abandoned mutex. */
    protected static final long ACQUIRED_ABANDONED = 1L << 59;
    /** The bits a primitive may use for its value. */
    protected static final long VALUE_MASK = ACQUIRED_ABANDONED - 1;

    /** {@link #tryAcquireFast} result: acquired. */
    protected static final int ACQUIRED = 0;
    /** {@link #tryAcquireFast} result: acquired, taking over an abandoned mutex. */
    protected static final int ACQUIRED_ABANDONED_MUTEX = 1;
    /** {@link #tryAcquireFast} result: not available at the moment of the read. */
    protected static final int FAILED = 2;
    /** {@link #tryAcquireFast} result: cannot decide without the lock. */
    protected static final int CONTENDED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WaitObject.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long state;

    // Guarded by the lock bit.
    private WaitNode head;
    private WaitNode tail;
    private Waiter completions;
    private boolean holdsAllLock;
    /** All-waiters queued here; written under the lock, read before locking as a hint. */
    private volatile int allWaiters;

    /**
     * Creates an object with the given initial value.
     *
     * @param initialValue the value bits, within {@link #VALUE_MASK}
     */
    protected WaitObject(long initialValue) {
        if ((initialValue & ~VALUE_MASK) != 0) {
            throw new IllegalArgumentException("value out of range: " + initialValue);
        }
        this.state = initialValue;
    }

    // ---------------------------------------------------------------------------------------
    // Hooks implemented by each primitive.

    /**
     * Computes the value after {@code owner} acquires {@code arg} units. Called with the lock
     * held; must not change anything (the acquisition may still be abandoned).
     *
     * @param value the current value
     * @param owner the thread the acquisition is for
     * @param arg the amount to acquire (1 for waits through {@code Wait})
     * @return the new value, possibly or-ed with {@link #ACQUIRED_ABANDONED}; or
     *         {@link #UNAVAILABLE} or {@link #OVERFLOW}
     */
    protected abstract long acquireFor(long value, Thread owner, long arg);

    /**
     * Called with the lock held after an acquisition computed by {@link #acquireFor} was
     * committed, to update fields outside the value (a mutex's owner).
     *
     * @param owner the new holder
     */
    protected void acquiredBy(Thread owner) {
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
     * @return {@link #ACQUIRED}, {@link #ACQUIRED_ABANDONED_MUTEX}, {@link #FAILED} or
     *         {@link #CONTENDED} when the lock is held and the answer needs it
     */
    protected abstract int tryAcquireFast(Thread owner, long arg);

    /**
     * Returns a short description of the failure when {@link #acquireFor} answered
     * {@link #OVERFLOW}.
     *
     * @return the message for the {@link IllegalStateException}
     */
    protected String overflowMessage() {
        return "counter overflow";
    }

    /**
     * Called with the lock held when a node is queued on this object.
     */
    protected void onEnqueue() {
    }

    /**
     * Called about every {@link OwnerWatchdog#PERIOD_MILLIS} ms by the owner watchdog for an
     * object that registered itself with {@link OwnerWatchdog#watch}: abandons the object and
     * hands it off if its owner died.
     *
     * @return whether the object should stay registered
     */
    protected boolean checkOwner() {
        return false;
    }

    /**
     * Creates the exception reported to a wait that took over this object while it was
     * abandoned. Only objects whose {@link #acquireFor} can answer {@link #ACQUIRED_ABANDONED}
     * (mutexes) override it.
     *
     * @param index the object's index in a wait-any, or -1 for wait-all and single waits
     * @return the exception to throw (ownership is already taken when it is thrown)
     */
    protected RuntimeException abandonedException(int index) {
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
     * Takes the object lock.
     *
     * @return the value at the time the lock was taken
     */
    protected final long lockState() {
        for (int round = 0; ; ) {
            long s = state;
            if ((s & LOCKED) == 0) {
                if (STATE.compareAndSet(this, s, s | LOCKED)) {
                    Backoff.done(round);
                    return s & VALUE_MASK;
                }
            } else {
                round = Backoff.pause(round);
            }
        }
    }

    /**
     * Stores a new value and releases the object lock (release semantics). The queued bit is
     * recomputed from the queue.
     *
     * @param value the new value
     */
    protected final void unlockState(long value) {
        STATE.setRelease(this, value | (head != null ? QUEUED : 0L));
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
        long v = lockState();
        if (!all && allWaiters != 0) {
            // an all-waiter registered between the hint and the lock: retake in order
            unlockState(v);
            AllLock.lock();
            all = true;
            v = lockState();
        }
        holdsAllLock = all;
        return v;
    }

    /**
     * Stores the value, releases the locks taken by {@link #lockForSignal()}, then completes
     * the async waiters claimed meanwhile (outside every lock, at DISPATCH_LEVEL).
     *
     * @param value the new value
     */
    protected final void unlockAfterSignal(long value) {
        boolean all = holdsAllLock;
        holdsAllLock = false;
        Waiter done = completions;
        completions = null;
        unlockState(value);
        if (all) {
            AllLock.unlock();
        }
        if (done != null) {
            WaitEngine.completeAll(done);
        }
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
        if (allWaiters != 0 && holdsAllLock) {
            value = wakeAllWaiters(value);
        }
        WaitNode n = head;
        while (n != null && mayWake(value)) {
            WaitNode next = n.next;
            Waiter w = n.waiter;
            if (!w.all) {
                if (!w.isWaiting()) {
                    unlink(n); // claimed elsewhere or cancelled: its withdraw will find it gone
                } else {
                    long nv = acquireFor(value, w.owner, n.arg);
                    if (nv >= 0) {
                        if (w.tryClaim()) {
                            unlink(n);
                            value = commit(nv, w, n.index);
                            w.publish(n.index);
                            handOff(w);
                        } else {
                            unlink(n);
                        }
                    }
                }
            }
            n = next;
        }
        return value;
    }

    /** Applies an acquisition computed by acquireFor for waiter w (lock held). */
    final long commit(long nv, Waiter w, int index) {
        if ((nv & ACQUIRED_ABANDONED) != 0) {
            nv &= ~ACQUIRED_ABANDONED;
            w.markAbandoned(this, index);
        }
        acquiredBy(w.owner);
        return nv;
    }

    /** Wakes a claimed waiter, or chains an async one for completion after unlocking. */
    private void handOff(Waiter w) {
        if (w.future == null) {
            w.unpark();
        } else {
            w.nextCompletion = completions;
            completions = w;
        }
    }

    /**
     * Tries every all-waiter queued here, in queue order. Holds the global lock and this
     * object's lock; locks the other objects of each candidate.
     */
    private long wakeAllWaiters(long value) {
        for (WaitNode n = head; n != null; ) {
            WaitNode next = n.next;
            Waiter w = n.waiter;
            if (w.all && w.isWaiting() && acquireFor(value, w.owner, n.arg) >= 0) {
                value = tryCompleteAll(w, this, value);
            }
            n = next;
        }
        return value;
    }

    /**
     * Acquires all objects of all-waiter {@code w} if every one allows it, all or nothing.
     * Holds the global lock and the lock of {@code locked} (whose value is {@code value}).
     *
     * @return the new value of {@code locked}
     */
    static long tryCompleteAll(Waiter w, WaitObject locked, long value) {
        WaitNode[] nodes = w.nodes;
        int count = nodes.length;
        long[] values = new long[count];
        int lockedUpTo = 0;
        boolean ok = true;
        try {
            for (; lockedUpTo < count; lockedUpTo++) {
                WaitObject o = nodes[lockedUpTo].object;
                values[lockedUpTo] = o == locked ? value : o.lockState();
            }
            for (int i = 0; i < count && ok; i++) {
                long nv = nodes[i].object.acquireFor(values[i], w.owner, nodes[i].arg);
                ok = nv >= 0;
            }
            if (ok && w.tryClaim()) {
                for (int i = 0; i < count; i++) {
                    WaitNode n = nodes[i];
                    WaitObject o = n.object;
                    long nv = o.acquireFor(values[i], w.owner, n.arg);
                    values[i] = o.commit(nv, w, n.index);
                    if (o == locked) {
                        value = values[i];
                    }
                    o.unlinkAll(n);
                }
                w.publish(0);
                locked.handOff(w);
            }
        } finally {
            for (int i = 0; i < lockedUpTo; i++) {
                WaitObject o = nodes[i].object;
                if (o != locked) {
                    o.unlockState(values[i]);
                }
            }
        }
        return value;
    }

    /** {@link #enqueueOrAcquire} result: the node is queued. */
    static final int LINKED = 0;
    /** {@link #enqueueOrAcquire} result: the caller claimed its own waiter and acquired. */
    static final int SELF_CLAIMED = 1;
    /** {@link #enqueueOrAcquire} result: the waiter was already claimed elsewhere or cancelled. */
    static final int NOT_WAITING = 2;

    /**
     * For the registering thread: acquires now if the value allows, claiming the waiter itself;
     * else queues the node. Does nothing if the waiter was claimed or cancelled meanwhile.
     *
     * @return {@link #LINKED}, {@link #SELF_CLAIMED} or {@link #NOT_WAITING}
     * @throws IllegalStateException if a blocking acquisition would overflow a counter (the
     *         waiter is then cancelled)
     */
    final int enqueueOrAcquire(WaitNode n) {
        Waiter w = n.waiter;
        long v = lockState();
        if (!w.isWaiting()) {
            unlockState(v);
            return NOT_WAITING;
        }
        long nv = acquireFor(v, w.owner, n.arg);
        if (nv == OVERFLOW && w.future == null) {
            unlockState(v);
            if (w.tryCancel()) {
                throw new IllegalStateException(overflowMessage());
            }
            return NOT_WAITING; // claimed through another object meanwhile: that acquisition stands
        }
        if (nv >= 0 && w.tryClaim()) {
            v = commit(nv, w, n.index);
            w.publish(n.index);
            unlockState(v);
            return SELF_CLAIMED;
        }
        link(n);
        onEnqueue();
        unlockState(v);
        return LINKED;
    }

    /**
     * Acquires for the current thread now if possible, never queueing: the poll used by
     * wait-any and by every {@code tryX()}.
     *
     * @return {@link #ACQUIRED}, {@link #ACQUIRED_ABANDONED_MUTEX} or {@link #FAILED}
     */
    final int tryAcquireNow(Thread owner, long arg) {
        int r = tryAcquireFast(owner, arg);
        if (r != CONTENDED) {
            return r;
        }
        long v = lockState();
        long nv = acquireFor(v, owner, arg);
        if (nv == OVERFLOW) {
            unlockState(v);
            throw new IllegalStateException(overflowMessage());
        }
        if (nv < 0) {
            unlockState(v);
            return FAILED;
        }
        boolean abandoned = (nv & ACQUIRED_ABANDONED) != 0;
        nv &= ~ACQUIRED_ABANDONED;
        acquiredBy(owner);
        unlockState(nv);
        return abandoned ? ACQUIRED_ABANDONED_MUTEX : ACQUIRED;
    }

    /** Removes a node if it is still queued (lock taken here). */
    final void withdraw(WaitNode n) {
        long v = lockState();
        if (n.queued) {
            if (n.waiter.all) {
                unlinkAll(n);
            } else {
                unlink(n);
            }
        }
        unlockState(v);
    }

    // Wait-all registration, under the global lock and this object's lock.

    final void linkAll(WaitNode n) {
        link(n);
        allWaiters++;
        onEnqueue();
    }

    private void unlinkAll(WaitNode n) {
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

    private void unlink(WaitNode n) {
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
}
