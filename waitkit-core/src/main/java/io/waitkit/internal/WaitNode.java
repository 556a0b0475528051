package io.waitkit.internal;

/**
 * One entry of an object's wait queue: the {@linkplain #waiter() waiter} wants {@link #arg}
 * units of {@link #object} through operation {@link #op} (null for plain objects; a
 * data-carrying operation such as a channel receive otherwise), at {@linkplain #index() index}
 * of the waiter's list.
 *
 * <p>The links and {@link #queued} are guarded by the lock of {@link #object}. A node is linked
 * at most once; once unlinked (by a signaller that satisfied or skipped it, or by its waiter
 * withdrawing) it never returns to a queue.
 *
 * <p>A {@link Waiter} is itself the node at index 0 of its wait, so a single-object wait is one
 * object, as an AQS node is; only the further objects of a wait-any or wait-all get nodes of
 * their own ({@link MemberNode}), which name their waiter and index. The node at index 0 keeps
 * neither field: B6 (100,000 parked virtual threads) counts every byte of it.
 */
sealed class WaitNode permits Waiter, WaitNode.MemberNode {
    final WaitObject object;
    final long arg;
    final WaitOperation op;

    WaitNode prev;
    WaitNode next;
    boolean queued;

    WaitNode(WaitObject object, long arg, WaitOperation op) {
        this.object = object;
        this.arg = arg;
        this.op = op;
    }

    /** The wait this node belongs to. */
    final Waiter waiter() {
        return this instanceof MemberNode m ? m.waiter : (Waiter) this;
    }

    /** The position of this node's object in its waiter's list. */
    final int index() {
        return this instanceof MemberNode m ? m.index : 0;
    }

    /** The node of element {@code index} > 0 of a wait on several objects. */
    static final class MemberNode extends WaitNode {
        final Waiter waiter;
        final int index;

        MemberNode(Waiter waiter, WaitObject object, int index, long arg, WaitOperation op) {
            super(object, arg, op);
            this.waiter = waiter;
            this.index = index;
        }
    }
}
