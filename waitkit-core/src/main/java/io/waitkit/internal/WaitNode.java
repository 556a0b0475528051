package io.waitkit.internal;

/**
 * One entry of an object's wait queue: waiter {@link #waiter} wants {@link #arg} units of
 * {@link #object}, which sits at {@link #index} of the waiter's list.
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

    WaitNode prev;
    WaitNode next;
    boolean queued;

    WaitNode(Waiter waiter, WaitObject object, int index, long arg) {
        this.waiter = waiter;
        this.object = object;
        this.index = index;
        this.arg = arg;
    }
}
