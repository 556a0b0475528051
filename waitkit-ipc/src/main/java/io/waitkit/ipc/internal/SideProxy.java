package io.waitkit.ipc.internal;

import io.waitkit.internal.WaitOperation;

/**
 * One side of an object with two kinds of waiter (a queue's receivers and senders, a pipe's
 * readers and writers): the two sides share the outside lock and the value in the first
 * synchronization block and wait on blocks of their own (see {@link NamedProxy}'s constructor
 * with a wait block).
 *
 * <p><b>Telling the other side.</b> A side is never locked while the other side of the same
 * object is held (their local locks would otherwise be taken in both orders). A critical
 * section of one side that makes the other side available calls
 * {@link #wakeOtherSideAfterUnlock()}; one that may have changed both (a repair) calls
 * {@link #wakeBothSidesAfterUnlock()}. The flags are fields of the side that holds the lock,
 * set and cleared under it ({@link #beforeUnlockOutside()}); after the lock's release the
 * flagged sides' futex words are bumped and their sleepers in every process woken. This JVM's
 * waiters of the other side are then served by the operation's caller with no lock held
 * ({@link NamedProxy#serveLocalQueue()}).
 *
 * <p><b>Polls.</b> Whether a side is available is one read of the value
 * ({@link #available(long)}), so a failed poll takes no lock; an operation that completes at
 * once whatever the value ({@link #completesAtOnce}: a transfer of a closed pipe end) is taken
 * to the locked path.
 *
 * <p><b>Kicks.</b> {@link #kickQueue()} serves this side's queue of this JVM once as if the
 * side were available, so that operations that complete at once whatever the value leave it.
 */
public abstract class SideProxy extends NamedProxy {
    private static final int WAKE_SELF = 1;
    private static final int WAKE_OTHER = 2;

    private SideProxy other;
    /** Set under the outside lock by this side's holder; cleared before the release. */
    private boolean wakeSelf;
    private boolean wakeOther;
    /** Serving the queue once whatever the value; guarded by the local lock. */
    private boolean kicking;

    /**
     * Creates a side of a mapped file.
     *
     * @param mapping the file
     * @param waitBlock the offset in the body of this side's synchronization block
     */
    protected SideProxy(Mapping mapping, long waitBlock) {
        super(mapping, 0, waitBlock);
    }

    /**
     * Pairs the two sides (once, before either is used).
     *
     * @param a one side
     * @param b the other
     */
    static void pair(SideProxy a, SideProxy b) {
        a.other = b;
        b.other = a;
    }

    /**
     * The other side.
     *
     * @return the side paired with this one
     */
    protected final SideProxy otherSide() {
        return other;
    }

    /**
     * Whether the value lets this side's operations proceed.
     *
     * @param value the value bits
     * @return true if available
     */
    protected abstract boolean available(long value);

    /**
     * Whether an operation completes under the lock whatever the value (and so must not be
     * failed by a lock-free poll).
     *
     * @param op the operation, or null
     * @return false by default
     */
    protected boolean completesAtOnce(WaitOperation op) {
        return false;
    }

    /** Called under the outside lock: the other side's sleepers are woken after the release. */
    protected final void wakeOtherSideAfterUnlock() {
        wakeOther = true;
    }

    /** Called under the outside lock: both sides' sleepers are woken after the release. */
    protected final void wakeBothSidesAfterUnlock() {
        wakeSelf = true;
        wakeOther = true;
    }

    @Override
    protected final boolean mayWake(long value) {
        return kicking || available(value);
    }

    @Override
    protected final int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        long w = SyncLayout.getLongVolatile(lockBody, SyncLayout.STATE);
        return !SyncLayout.isLocked(w) && !available(w & SyncLayout.VALUE_BITS) && !completesAtOnce(op) ? POLL_FAILED
                : POLL_CONTENDED;
    }

    /** {@inheritDoc} Yes: an unavailable side is one read of STATE. */
    @Override
    protected final boolean lockFreePoll() {
        return true;
    }

    @Override
    protected final int beforeUnlockOutside() {
        int flags = (wakeSelf ? WAKE_SELF : 0) | (wakeOther ? WAKE_OTHER : 0);
        wakeSelf = false;
        wakeOther = false;
        return flags;
    }

    @Override
    protected final void afterUnlockOutside(int flags) {
        if ((flags & WAKE_OTHER) != 0) {
            other.wakeOthers();
        }
        if ((flags & WAKE_SELF) != 0) {
            wakeOthers();
        }
    }

    /**
     * Serves this JVM's queue of this side once as if it were available (see the class
     * comment).
     */
    final void kickQueue() {
        long v = lockForSignal();
        try {
            kicking = true;
            v = wake(v);
        } finally {
            kicking = false;
            unlockAfterSignal(v);
        }
    }

    /**
     * Under both locks of this side: replaces the value with {@code recompute}'s result and
     * serves this JVM's queue at it (a recheck of what other processes' deaths changed).
     *
     * @param recompute the new value from the old, called under the locks
     */
    final void recheck(java.util.function.LongUnaryOperator recompute) {
        long v = lockForSignal();
        try {
            v = wake(recompute.applyAsLong(v));
        } finally {
            unlockAfterSignal(v);
        }
    }
}
