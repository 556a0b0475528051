package io.waitkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One wait in progress: a blocked thread or a pending future, queued on one or more objects.
 *
 * <p><b>Status protocol.</b> {@link #status} starts at {@link #WAITING}. Exactly one party
 * moves it away from there, with a compare-and-set:
 * <ul>
 *   <li>a signaller (or the waiter itself while registering) that found an object it can take
 *       on the waiter's behalf: {@code WAITING -> CLAIMING}, then, still under the object's
 *       lock, it performs the acquisition, writes the results ({@link #reported}) and
 *       publishes the winning index with a volatile write; nothing is ever rolled back;</li>
 *   <li>the waiter giving up (timeout, interrupt, future cancelled): {@code WAITING -> CANCELLED};
 *       it then withdraws its nodes and owns nothing.</li>
 * </ul>
 * {@code CLAIMING} is transient and short (it lasts while the claimer holds an object lock);
 * readers that see it pause until the final status appears. Because the claim is decided by one
 * CAS, a wait-any acquires exactly one object and "completion beats timeout" is resolved in one
 * place: a waiter whose cancel CAS fails owns what was acquired for it.
 *
 * <p><b>Tentative claims.</b> Pairing two waiters (a cap-0 channel's sender and receiver, a
 * rendezvous), or grouping several (a barrier's round), needs all of them claimed or none. The
 * completing thread claims them one after the other; if one cannot be claimed it undoes the
 * claims it made ({@code CLAIMING -> WAITING}, see {@link #unclaim()}). While a waiter is CLAIMING, signallers of its other objects skip it
 * without unlinking its node and cancellers wait; after an undo, every object of the waiter is
 * rescanned so that no lasting state it missed meanwhile is lost (a set event, a released
 * permit). A one-off signal that leaves no state behind (a pulse, a {@code Signal}, a counter
 * update tested on its old and new value) and that finds the waiter mid-way through such a
 * claim is not replayed: the same as if it had come just before the waiter queued. Only waits
 * that combine such objects with a pairing operation (a rendezvous, a capacity-0 channel, a
 * barrier) in one wait-any can see this.
 *
 * <p><b>Ownership identity.</b> {@link #owner} is the thread the acquisition is made for (the
 * mutex owner); for an async wait it is the thread that started it. {@link #thread()} is the
 * thread to unpark: the owner of a blocked wait, {@code null} for an async wait, whose
 * {@link #future} is completed instead, outside every engine lock.
 *
 * <p><b>Nodes and size.</b> The waiter is its own node for index 0 (the {@link WaitNode}
 * fields it inherits), so a single-object wait allocates one object; a wait on n > 1 objects
 * keeps an array of n nodes whose element 0 is the waiter. Fields that only some waits use
 * share storage or are derived: the node array and the {@link LockSpin} of a spinning wait
 * share {@link #aux} (only single-object waits spin), the thread to unpark is the owner of a
 * wait without a future; its three boolean flags and the inherited one fill the four bytes
 * after the object header. A parked wait is also its own diagnostics record
 * ({@link WaitRegistry}: a time and two links). With compressed references a waiter is 80
 * bytes, which it fills exactly (64 without the record, also exactly: any new field costs 8
 * bytes); B6 (100,000 parked virtual threads) counts them against one 32-byte AQS node per
 * thread.
 */
public final class Waiter extends WaitNode implements Proxy.PendingWait {
    static final int WAITING = -1;
    static final int CLAIMING = -2;
    static final int CANCELLED = -3;

    private static final VarHandle STATUS;

    static {
        try {
            STATUS = MethodHandles.lookup().findVarHandle(Waiter.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread owner;
    final WaitFuture<?> future;
    final boolean all;
    /**
     * The nodes of a wait on more than one object ({@code WaitNode[]}, element 0 is this
     * waiter), or the {@link LockSpin} of a spinning single-object wait, or null. The two
     * never meet (only single-object waits spin), so they share one field: see {@link #node}
     * and {@link #spinAgain}.
     */
    private final Object aux;

    private volatile int status = WAITING;
    /** Set once the blocked thread is about to park for the first time (see {@link #announcePark}). */
    private volatile boolean parked;
    /**
     * Set by a release of a barging object that woke this waiter to compete again, cleared
     * when it does (both under that object's lock; see {@link WaitObject#recompete}). With
     * {@link #parked} it forms the same Dekker pair as the status: the waker sets it before
     * it reads {@code parked}, the waiter re-reads it after announcing its park.
     */
    volatile boolean woken;

    /**
     * The (first) object whose acquisition for this wait must be reported (an abandoned mutex
     * taken over, a failed future), written before the status is published.
     */
    WaitObject reported;

    /**
     * Next claimed waiter in a signaller's completion chain (guarded by that object's lock until
     * the signaller unlocks; then the signaller's alone). A waiter is claimed once, so it is in
     * at most one chain.
     */
    Waiter nextCompletion;

    /**
     * For {@link WaitRegistry}: the {@link System#nanoTime()} of the first park of a blocked
     * wait, or of when an async wait stayed queued; written by the waiting (starting) thread
     * before it registers.
     */
    long regSince;
    /** For {@link WaitRegistry}: the links of a registered blocked wait in its stripe (guarded by the stripe's lock). */
    Waiter regPrev;
    /** See {@link #regPrev}. */
    Waiter regNext;

    /**
     * A wait for {@code arg} units of one object through {@code op} (null for a plain object).
     *
     * @param owner the thread the acquisition is made for
     * @param future the future to complete, or null for a blocked thread (then {@code owner})
     * @param spin the lock spinning of a blocked platform thread, or null
     */
    Waiter(Thread owner, WaitFuture<?> future, WaitObject object, long arg, WaitOperation op, LockSpin spin) {
        super(object, arg, op);
        this.owner = owner;
        this.future = future;
        this.all = false;
        this.aux = spin;
    }

    /**
     * A wait-any or wait-all on a checked list; the waiter is the node of element 0, the
     * others are made by {@link #addNode} as they are registered.
     */
    Waiter(Thread owner, WaitFuture<?> future, boolean all, Object[] objects) {
        super(objects.length > 0 ? WaitEngine.target(objects[0]) : null,
                objects.length > 0 ? WaitEngine.arg(objects[0]) : 0L,
                objects.length > 0 ? WaitEngine.op(objects[0]) : null);
        this.owner = owner;
        this.future = future;
        this.all = all;
        if (objects.length > 1) {
            WaitNode[] nodes = new WaitNode[objects.length];
            nodes[0] = this;
            this.aux = nodes;
        } else {
            this.aux = null;
        }
    }

    /** The thread to unpark: the owner of a blocked wait; null for an async one. */
    Thread thread() {
        return future == null ? owner : null;
    }

    /** Whether a spinning wait checks its status once more instead of parking ({@link LockSpin#spinAgain}). */
    boolean spinAgain(boolean timed, long deadline) {
        return aux instanceof LockSpin s && s.spinAgain(timed, deadline);
    }

    /** After a park returned: a spinning wait spins again before the next park. */
    void spinRestart() {
        if (aux instanceof LockSpin s) {
            s.restart();
        }
    }

    /** A woken waiter of a barging object that lost: a spinning wait stops spinning until its next park. */
    void spinStop() {
        if (aux instanceof LockSpin s) {
            s.stop();
        }
    }

    /** When the wait ends: a spinning wait gives up its spinner slot on the object. */
    void spinRelease() {
        if (aux instanceof LockSpin s) {
            s.release();
        }
    }

    /** How many positions the wait has (some may have no node: repeats in a wait-any). */
    int nodeCount() {
        return aux instanceof WaitNode[] nodes ? nodes.length : object != null ? 1 : 0;
    }

    /** The node at {@code i}, or null where none was registered (yet). */
    WaitNode node(int i) {
        return i == 0 ? this : ((WaitNode[]) aux)[i];
    }

    /**
     * The node for element {@code i} of the list this waiter was made with: itself for 0, a
     * new node (recorded in {@link #aux}) otherwise.
     */
    WaitNode addNode(int i, WaitObject object, long arg, WaitOperation op) {
        if (i == 0) {
            return this;
        }
        WaitNode n = new MemberNode(this, object, i, arg, op);
        ((WaitNode[]) aux)[i] = n;
        return n;
    }

    int status() {
        return status;
    }

    /**
     * {@inheritDoc} For {@link Proxy#parkOutside}: false also once a release of a barging
     * object woke this waiter to compete again, so that an outside sleep does not begin (or
     * go on spinning) while the wait loop has a {@link WaitObject#recompete} to run.
     */
    @Override
    public boolean pending() {
        return status == WAITING && !woken;
    }

    boolean isWaiting() {
        return status == WAITING;
    }

    boolean isClaiming() {
        return status == CLAIMING;
    }

    /** Claims this waiter for an acquisition; the caller must then {@link #publish} it. */
    boolean tryClaim() {
        return STATUS.compareAndSet(this, WAITING, CLAIMING);
    }

    /**
     * Undoes a tentative claim (pairing or grouping, when a partner could not be claimed). Signallers
     * that saw this waiter CLAIMING meanwhile skipped it without unlinking it; the caller must
     * have its objects rescanned (see {@link WaitObject#rescan()}).
     */
    void unclaim() {
        status = WAITING;
    }

    /**
     * Gives up this wait. Waits out a claim in progress, which may still be undone.
     *
     * @return true if nothing was or will be acquired for this wait
     */
    boolean tryCancel() {
        for (int round = 0; ; ) {
            int s = status;
            if (s == WAITING) {
                if (STATUS.compareAndSet(this, WAITING, CANCELLED)) {
                    Backoff.done(round);
                    return true;
                }
            } else if (s == CLAIMING) {
                round = Backoff.pause(round);
            } else {
                Backoff.done(round);
                return false;
            }
        }
    }

    /** Publishes a claimed waiter's result (the winning index; 0 for wait-all). */
    void publish(int index) {
        status = index;
    }

    /** Records that an acquisition of this wait must be reported by {@code object} (the first one wins). */
    void markReported(WaitObject object) {
        if (reported == null) {
            reported = object;
        }
    }

    /**
     * Waits out a claim in progress.
     *
     * @return the status once it is not CLAIMING: an index, WAITING (a tentative claim was
     *         undone) or CANCELLED
     */
    int awaitPublished() {
        int s;
        int round = 0;
        while ((s = status) == CLAIMING) {
            round = Backoff.pause(round);
        }
        Backoff.done(round);
        return s;
    }

    /**
     * Called by the blocked thread before its first park, after which it re-reads its status.
     * With {@link #unpark()}, which reads this flag after the status was published, it forms a
     * Dekker pair of volatile accesses: either the waker sees the flag and unparks, or the
     * waiter sees the published status and does not park.
     *
     * @return true the first time (the caller must re-read its status before parking)
     */
    boolean announcePark() {
        if (parked) {
            return false;
        }
        parked = true;
        return true;
    }

    /** Whether the blocked thread announced a park (it may be parked now). */
    boolean hasParked() {
        return parked;
    }

    /**
     * Wakes the blocked thread, unless it has not parked yet (it is still spinning and will
     * see its status without help); async waiters are completed by the caller instead.
     */
    void unpark() {
        Thread t = thread();
        if (t != null && parked) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Removes every node still queued (after a cancel). A node whose object fails to be
     * locked (a proxy whose outside state cannot be read) does not keep the others queued: the
     * first such failure is thrown after every other node was withdrawn.
     */
    void withdraw() {
        RuntimeException failure = null;
        for (int i = 0, count = nodeCount(); i < count; i++) {
            WaitNode n = node(i);
            if (n != null) {
                try {
                    n.object.withdraw(n);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** After a tentative claim was undone: lets every object of this waiter serve it again. */
    void rescanObjects() {
        for (int i = 0, count = nodeCount(); i < count; i++) {
            WaitNode n = node(i);
            if (n != null) {
                n.object.rescan();
            }
        }
    }
}
