package io.waitkit.internal;

/**
 * One entry of an object's wait queue: waiter {@link #waiter} wants {@link #arg} units of
 * {@link #object} through operation {@link #op} (null for plain objects; a data-carrying
 * operation such as a channel receive otherwise), at {@link #index} of the waiter's list.
 *
 * <p>The links and {@link #queued} are guarded by the lock of {@link #object}. A node is linked
 * at most once; once unlinked (by a signaller that satisfied or skipped it, or by its waiter
 * withdrawing) it never returns to a queue.
 *
 * <p>A {@link Waiter} is itself the node at index 0 of its wait (see {@link Waiter#node}), so a
 * single-object wait is one object, like an AQS node; only the further objects of a wait-any
 * or wait-all get nodes of their own.
 */
sealed class WaitNode permits Waiter {
    final Waiter waiter;
    final WaitObject object;
    final int index;
    final long arg;
    final Object op;

    WaitNode prev;
    WaitNode next;
    boolean queued;

    WaitNode(Waiter waiter, WaitObject object, int index, long arg, Object op) {
        this.waiter = waiter;
        this.object = object;
        this.index = index;
        this.arg = arg;
        this.op = op;
    }

    /** The node at index 0 of a wait: the waiter itself ({@code object} is null for an empty list). */
    WaitNode(WaitObject object, long arg, Object op) {
        this.waiter = (Waiter) this;
        this.object = object;
        this.index = 0;
        this.arg = arg;
        this.op = op;
    }
}
