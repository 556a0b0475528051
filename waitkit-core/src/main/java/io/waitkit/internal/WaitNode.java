package io.waitkit.internal;

/**
 * One entry of an object's wait queue: waiter {@link #waiter} wants {@link #arg} units of
 * {@link #object} through operation {@link #op} (null for plain objects; a data-carrying
 * operation such as a channel receive otherwise), at {@link #index} of the waiter's list.
 *
 * <p>The links and {@link #queued} are guarded by the lock of {@link #object}. A node is linked
 * at most once; once unlinked (by a signaller that satisfied or skipped it, or by its waiter
 * withdrawing) it never returns to a queue.
 */
final class WaitNode {
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
}
