package io.waitkit.internal;

import java.util.ArrayList;

/**
 * Wait-all: acquiring every object of a list at one moment, or none of them.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>Several object locks are held at once only under the global {@link AllLock}; every
 *       other path holds at most one object lock and waits for nothing while it holds it, so
 *       object locks taken under the global lock cannot form a cycle within this JVM.</li>
 *   <li>An all-waiter is checked and committed with the lock of every one of its objects held:
 *       either every {@link WaitObject#acquireFor} answer is an acquisition and all of them are
 *       committed (the answers that were checked, never a second evaluation), or nothing
 *       changes. Nothing is reserved while it sleeps (as NT and ntsync).</li>
 *   <li>An all-waiter's nodes are all queued from its registration until it is claimed or it
 *       withdraws: {@link WaitObject#allWaiters} counts them per object, and a signaller that
 *       sees a non-zero count takes the global lock before the object lock.</li>
 *   <li>Outside locks ({@link Proxy}) are shared with other processes, which this JVM's global
 *       lock does not serialize. A thread that takes two or more of them takes them in
 *       ascending {@link Proxy#lockOrder()} and holds none before the first: registration locks
 *       the heap objects first, then the proxies in order ({@link #lockOrder}); a signaller
 *       holding one object's lock completes an all-waiter inline only if that takes at most
 *       one outside lock in all, and otherwise defers it to {@link #completeInOrder} after it
 *       has released its own locks.</li>
 * </ul>
 *
 * <p><b>Races.</b> A signaller and the registering thread cannot both decide an all-waiter:
 * registration holds every lock of the list while it checks and links, and the signaller holds
 * the global lock plus all of the waiter's object locks while it checks and claims. A deferred
 * completion re-checks from scratch, so a change between the signal and the deferred check
 * (another thread took the object) only means that a later signal decides it; every signal of
 * a member with all-waiters queued leads to such a check, so none is lost. The claim CAS
 * decides between a completion and the waiter's own timeout, interrupt or cancel.
 */
final class WaitAll {
    private WaitAll() {
    }

    /**
     * Under the global and all object locks: acquires everything for {@code me}, or queues
     * {@code w} (when not null) on every object. Operations that complete only with a partner
     * never complete here.
     *
     * @param objects a checked list of distinct targets
     * @return 0 if all were acquired, 1 + the index of the first member whose acquisition must
     *         be reported (an abandoned mutex taken over) if all were acquired, or -1 if not
     */
    static int acquireAllOrQueue(Object[] objects, Thread me, Waiter w) {
        int n = objects.length;
        if (n == 0) {
            return 0;
        }
        WaitObject[] targets = new WaitObject[n];
        for (int i = 0; i < n; i++) {
            targets[i] = WaitEngine.target(objects[i]);
        }
        int[] order = lockOrder(targets);
        long[] values = new long[n];
        int locked = 0;
        ArrayList<WaitObject> rescan = null;
        AllLock.lock();
        try {
            for (; locked < n; locked++) {
                int i = at(order, locked);
                values[i] = targets[i].lockState();
            }
            boolean ok = true;
            long[] acquisitions = new long[n];
            for (int i = 0; i < n && ok; i++) {
                long nv = targets[i].acquireFor(values[i], me, WaitEngine.arg(objects[i]), WaitEngine.op(objects[i]));
                if (nv == WaitObject.OVERFLOW || nv == WaitObject.REFUSED) {
                    throw targets[i].refused(nv, WaitEngine.op(objects[i]));
                }
                acquisitions[i] = nv;
                ok = nv >= 0;
            }
            if (ok) {
                int reported = 0;
                for (int i = 0; i < n; i++) {
                    Object o = objects[i];
                    long nv = acquisitions[i]; // what was checked: a second answer may differ
                    if ((nv & WaitObject.MUST_REPORT) != 0 && reported == 0) {
                        reported = i + 1;
                    }
                    values[i] = targets[i].acquired(nv & ~WaitObject.MUST_REPORT, me, WaitEngine.arg(o),
                            WaitEngine.op(o), false);
                    if (targets[i].rescanAfter(WaitEngine.op(o))) {
                        rescan = rescan == null ? new ArrayList<>() : rescan;
                        rescan.add(targets[i]);
                    }
                }
                return reported;
            }
            if (w != null) {
                for (int i = 0; i < n; i++) {
                    Object o = objects[i];
                    values[i] = targets[i].linkAll(w.addNode(i, targets[i], WaitEngine.arg(o), WaitEngine.op(o)),
                            values[i]);
                }
            }
            return -1;
        } finally {
            unlockInReverse(targets, values, order, locked);
            AllLock.unlock();
            rescan(rescan);
        }
    }

    /**
     * Tries every all-waiter queued on {@code o}, in queue order: the wait-all part of a
     * hand-off. Holds the global lock and {@code o}'s lock.
     *
     * @param value {@code o}'s value
     * @return {@code o}'s new value
     */
    static long serve(WaitObject o, long value) {
        for (WaitNode n = o.head; n != null && o.mayWake(value); ) {
            WaitNode next = n.next;
            Waiter w = n.waiter();
            if (w.all && w.isWaiting() && o.acquireFor(value, w.owner, n.arg, n.op) >= 0) {
                if (completesInline(w, o)) {
                    value = tryComplete(w, o, value);
                } else {
                    o.deferAllWaiter(w);
                }
            }
            n = next;
        }
        return value;
    }

    /**
     * Whether a signaller holding {@code locked}'s lock may lock the other objects of
     * all-waiter {@code w} now: only if it takes at most one outside lock in all (see the
     * class comment).
     */
    private static boolean completesInline(Waiter w, WaitObject locked) {
        int outside = locked.proxy() ? 1 : 0;
        for (int i = 0, count = w.nodeCount(); i < count; i++) {
            WaitObject o = w.node(i).object;
            if (o != locked && o.proxy() && ++outside > 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Acquires all objects of all-waiter {@code w} if every one allows it, all or nothing.
     * Holds the global lock and the lock of {@code locked} (whose value is {@code value}).
     *
     * @return the new value of {@code locked}
     */
    private static long tryComplete(Waiter w, WaitObject locked, long value) {
        int count = w.nodeCount();
        long[] values = new long[count];
        long[] acquisitions = new long[count];
        int lockedUpTo = 0;
        try {
            for (; lockedUpTo < count; lockedUpTo++) {
                WaitObject o = w.node(lockedUpTo).object;
                values[lockedUpTo] = o == locked ? value : o.lockState();
            }
            if (check(w, values, acquisitions) && w.tryClaim()) {
                for (int i = 0; i < count; i++) {
                    WaitNode n = w.node(i);
                    WaitObject o = n.object;
                    values[i] = commit(w, n, acquisitions[i]);
                    if (o == locked) {
                        value = values[i];
                    } else if (o.rescanAfter(n.op)) {
                        locked.rescanLater(o); // e.g. a receive from a full channel: its senders may move now
                    }
                }
                w.publish(0);
                locked.handOff(w);
            }
        } finally {
            for (int i = 0; i < lockedUpTo; i++) {
                WaitObject o = w.node(i).object;
                if (o != locked) {
                    o.unlockState(values[i]);
                }
            }
        }
        return value;
    }

    /**
     * Completes all-waiter {@code w} if every object allows it now, taking the global lock and
     * every object lock afresh in {@link #lockOrder}: for waits whose objects include more
     * than one {@link Proxy}, deferred by a signaller until it released its own locks. Called
     * with no engine lock held; wakes or completes the waiter itself.
     */
    static void completeInOrder(Waiter w) {
        if (!w.isWaiting()) {
            return;
        }
        int count = w.nodeCount();
        WaitObject[] targets = new WaitObject[count];
        for (int i = 0; i < count; i++) {
            targets[i] = w.node(i).object;
        }
        int[] order = lockOrder(targets);
        long[] values = new long[count];
        long[] acquisitions = new long[count];
        int locked = 0;
        boolean claimed = false;
        ArrayList<WaitObject> rescan = null;
        AllLock.lock();
        try {
            for (; locked < count; locked++) {
                int i = at(order, locked);
                values[i] = targets[i].lockState();
            }
            if (w.isWaiting() && check(w, values, acquisitions) && w.tryClaim()) {
                for (int i = 0; i < count; i++) {
                    WaitNode n = w.node(i);
                    values[i] = commit(w, n, acquisitions[i]);
                    if (targets[i].rescanAfter(n.op)) {
                        rescan = rescan == null ? new ArrayList<>() : rescan;
                        rescan.add(targets[i]);
                    }
                }
                w.publish(0);
                claimed = true;
            }
        } finally {
            unlockInReverse(targets, values, order, locked);
            AllLock.unlock();
        }
        if (claimed) {
            if (w.future == null) {
                w.unpark();
            } else {
                WaitEngine.completeAll(w);
            }
        }
        rescan(rescan);
    }

    /** Asks every object of {@code w} for its acquisition at {@code values}; true if all allow it. */
    private static boolean check(Waiter w, long[] values, long[] acquisitions) {
        for (int i = 0, count = w.nodeCount(); i < count; i++) {
            WaitNode n = w.node(i);
            acquisitions[i] = n.object.acquireFor(values[i], w.owner, n.arg, n.op);
            if (acquisitions[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Unlinks a claimed all-waiter's node and commits the acquisition that was checked. */
    private static long commit(Waiter w, WaitNode n, long checked) {
        n.object.unlinkAll(n);
        return n.object.commit(checked, w, n, true); // what was checked: a second answer may differ
    }

    /**
     * The order in which to lock {@code targets}: the heap objects in list order, then the
     * proxies by ascending {@link Proxy#lockOrder()}; null (list order) when there is no proxy.
     */
    static int[] lockOrder(WaitObject[] targets) {
        int proxies = 0;
        for (WaitObject t : targets) {
            if (t.proxy()) {
                proxies++;
            }
        }
        if (proxies == 0) {
            return null;
        }
        int n = targets.length;
        int[] order = new int[n];
        int h = 0;
        int p = n - proxies;
        for (int i = 0; i < n; i++) {
            if (targets[i].proxy()) {
                // insertion into the sorted proxy tail: wait-all lists are short
                int k = p++;
                long key = ((Proxy) targets[i]).lockOrder();
                while (k > n - proxies && ((Proxy) targets[order[k - 1]]).lockOrder() > key) {
                    order[k] = order[k - 1];
                    k--;
                }
                order[k] = i;
            } else {
                order[h++] = i;
            }
        }
        return order;
    }

    private static int at(int[] order, int k) {
        return order == null ? k : order[k];
    }

    private static void unlockInReverse(WaitObject[] targets, long[] values, int[] order, int locked) {
        for (int k = locked - 1; k >= 0; k--) {
            int i = at(order, k);
            targets[i].unlockState(values[i]);
        }
    }

    private static void rescan(ArrayList<WaitObject> objects) {
        if (objects != null) {
            for (WaitObject t : objects) {
                t.rescan(); // the acquisition let others move (a receive from a full channel)
            }
        }
    }
}
