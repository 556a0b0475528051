package io.waitkit.internal;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait algorithms: single-object acquisition, wait-any and wait-all, blocking, timed,
 * polling and async. The per-object hand-off lives in {@link WaitObject}, the claim protocol
 * in {@link Waiter}.
 *
 * <p><b>Wait-any.</b> First a lock-free pass acquires the lowest-index object that is available
 * now (a mutex owned by the caller counts). If none
 * is, and the wait may block, a {@link Waiter} is queued on every object in index order; on
 * each object the registration re-checks availability under the object lock and claims itself
 * if it can, so an object that became available during registration is not missed. From then
 * on signallers claim the waiter through the first object they can hand off; the one CAS on
 * the waiter's status guarantees exactly one acquisition. The waiter then withdraws its other
 * nodes. An object that appears more than once is reported at its lowest index: the positions
 * are checked at different moments, so the acquisition may happen through a later copy (an
 * object that became available, or whose owner died, between two checks); the reported index
 * is mapped back to the first copy only after the losing nodes were withdrawn.
 *
 * <p><b>Wait-all.</b> Under the global wait-all lock and all object locks, either every object
 * is acquired at once, or (when the wait may block) the waiter is queued on all of them.
 * Signallers of those objects re-evaluate it, again under all its object locks, and acquire
 * everything in one step; nothing is reserved while it sleeps (as on NT and ntsync).
 *
 * <p><b>Blocking.</b> A blocked thread spins briefly, then parks with {@link LockSupport}, so a
 * virtual thread unmounts. It leaves only when its status says claimed, or when it wins the
 * cancel CAS on timeout or interrupt. A deadline is checked only after a park returns, never
 * early, and an object that is available is taken even when the deadline has passed.
 */
public final class WaitEngine {
    /** Returned by wait-any and single acquisitions when the timeout elapsed. */
    public static final int TIMEOUT = -1;
    /** Single acquisition result: acquired. */
    public static final int ACQUIRED = 0;
    /** Single acquisition result: acquired an abandoned mutex (ownership taken). */
    public static final int ABANDONED = 1;

    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 64 : 0;

    private WaitEngine() {
    }

    // -------------------------------------------------------------------------------------
    // Validation shared by the front ends.

    /**
     * Checks a wait list and returns it as engine objects.
     *
     * @param objects the objects passed to {@code Wait}
     * @param all whether duplicates are an error (wait-all)
     * @return the objects
     * @throws NullPointerException if the array or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object, or on a duplicate
     *         in wait-all
     */
    public static WaitObject[] check(Object[] objects, boolean all) {
        Objects.requireNonNull(objects, "objects");
        WaitObject[] result = new WaitObject[objects.length];
        for (int i = 0; i < objects.length; i++) {
            Object o = objects[i];
            if (o == null) {
                throw new NullPointerException("objects[" + i + "] is null");
            }
            if (!(o instanceof WaitObject wo)) {
                throw new IllegalArgumentException("objects[" + i + "] (" + o.getClass().getName()
                        + ") is not a waitable Waitkit object");
            }
            result[i] = wo;
        }
        if (all) {
            checkDistinct(result);
        }
        return result;
    }

    private static void checkDistinct(WaitObject[] objects) {
        int n = objects.length;
        if (n <= 32) {
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    if (objects[i] == objects[j]) {
                        throw duplicate(j, i);
                    }
                }
            }
        } else {
            java.util.IdentityHashMap<WaitObject, Integer> seen = new java.util.IdentityHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                Integer j = seen.putIfAbsent(objects[i], i);
                if (j != null) {
                    throw duplicate(j, i);
                }
            }
        }
    }

    private static IllegalArgumentException duplicate(int first, int second) {
        return new IllegalArgumentException("wait-all objects must be distinct: objects[" + first
                + "] and objects[" + second + "] are the same object");
    }

    // -------------------------------------------------------------------------------------
    // Single object.

    /**
     * Acquires {@code arg} units of one object for the current thread, blocking as allowed,
     * after the primitive's own fast path failed. The caller has checked the IRQL and the
     * interrupt status.
     *
     * @param o the object
     * @param arg the amount
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline when timed
     * @param interruptible whether an interrupt aborts the wait
     * @return {@link #ACQUIRED}, {@link #ABANDONED} or {@link #TIMEOUT}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static int acquire(WaitObject o, long arg, boolean timed, long deadline, boolean interruptible)
            throws InterruptedException {
        Thread me = Thread.currentThread();
        if (timed && deadline - System.nanoTime() <= 0L) {
            return single(o.tryAcquireNow(me, arg));
        }
        Waiter w = new Waiter(me, me, null, false, 1);
        WaitNode n = new WaitNode(w, o, 0, arg);
        w.nodes[0] = n;
        o.enqueueOrAcquire(n);
        if (await(w, o, timed, deadline, interruptible) == TIMEOUT) {
            return TIMEOUT;
        }
        return w.abandonedObject != null ? ABANDONED : ACQUIRED;
    }

    /**
     * Polls one object for the current thread.
     *
     * @param o the object
     * @param arg the amount
     * @return {@link #ACQUIRED}, {@link #ABANDONED} or {@link #TIMEOUT}
     */
    public static int poll(WaitObject o, long arg) {
        return single(o.tryAcquireNow(Thread.currentThread(), arg));
    }

    private static int single(int fast) {
        return switch (fast) {
            case WaitObject.ACQUIRED -> ACQUIRED;
            case WaitObject.ACQUIRED_ABANDONED_MUTEX -> ABANDONED;
            default -> TIMEOUT;
        };
    }

    /**
     * Starts an async acquisition of {@code arg} units of one object for the current thread.
     *
     * @param o the object
     * @param arg the amount
     * @return a future completed with {@code null} on acquisition
     */
    public static WaitFuture<Void> acquireAsync(WaitObject o, long arg) {
        Thread me = Thread.currentThread();
        int r = o.tryAcquireNow(me, arg);
        if (r != WaitObject.FAILED) {
            return completed(false, 0, r == WaitObject.ACQUIRED_ABANDONED_MUTEX ? o.abandonedException(-1) : null);
        }
        WaitFuture<Void> f = new WaitFuture<>(me, false, 1, false);
        Waiter w = f.waiter();
        WaitNode n = new WaitNode(w, o, 0, arg);
        w.nodes[0] = n;
        if (o.enqueueOrAcquire(n) == WaitObject.SELF_CLAIMED) {
            complete(w);
        }
        return f;
    }

    // -------------------------------------------------------------------------------------
    // Wait-any.

    /**
     * Waits until one of the objects is acquired, the lowest-index available one.
     *
     * @param objects checked objects (see {@link #check})
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline when timed
     * @param interruptible whether an interrupt aborts the wait
     * @return the index acquired, or {@link #TIMEOUT}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static int any(WaitObject[] objects, boolean timed, long deadline, boolean interruptible)
            throws InterruptedException {
        boolean poll = timed && deadline - System.nanoTime() <= 0L;
        if (!poll) {
            Dispatch.checkCanBlock();
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        int n = objects.length;
        for (int i = 0; i < n; i++) {
            int r = objects[i].tryAcquireNow(me, 1);
            if (r == WaitObject.ACQUIRED) {
                return firstIndexOf(objects, i);
            }
            if (r == WaitObject.ACQUIRED_ABANDONED_MUTEX) {
                throw objects[i].abandonedException(firstIndexOf(objects, i));
            }
        }
        if (poll) {
            return TIMEOUT;
        }
        Waiter w = new Waiter(me, me, null, false, n);
        register(w, objects);
        int st = await(w, n > 0 ? objects[0] : null, timed, deadline, interruptible);
        if (st == TIMEOUT) {
            return TIMEOUT;
        }
        st = firstIndexOf(objects, st);
        if (w.abandonedObject != null) {
            throw w.abandonedObject.abandonedException(st);
        }
        return st;
    }

    /**
     * The lowest index at which {@code objects[index]} appears: a wait-any reports an object
     * listed more than once at its first position, whichever copy the acquisition went through.
     */
    private static int firstIndexOf(WaitObject[] objects, int index) {
        WaitObject o = objects[index];
        for (int j = 0; j < index; j++) {
            if (objects[j] == o) {
                return j;
            }
        }
        return index;
    }

    /** As {@link #firstIndexOf(WaitObject[], int)} for a registered waiter (nodes 0..index are set). */
    private static int firstIndexOf(WaitNode[] nodes, int index) {
        WaitObject o = nodes[index].object;
        for (int j = 0; j < index; j++) {
            if (nodes[j].object == o) {
                return j;
            }
        }
        return index;
    }

    /**
     * Starts an async wait-any for the current thread.
     *
     * @param objects checked objects
     * @return a future completed with the index acquired
     */
    public static WaitFuture<Integer> anyAsync(WaitObject[] objects) {
        Thread me = Thread.currentThread();
        int n = objects.length;
        for (int i = 0; i < n; i++) {
            int r = objects[i].tryAcquireNow(me, 1);
            if (r != WaitObject.FAILED) {
                int first = firstIndexOf(objects, i);
                return completed(true, first, r == WaitObject.ACQUIRED_ABANDONED_MUTEX
                        ? objects[i].abandonedException(first) : null);
            }
        }
        WaitFuture<Integer> f = new WaitFuture<>(me, false, n, true);
        if (register(f.waiter(), objects)) {
            complete(f.waiter());
        }
        return f;
    }

    /**
     * Queues a wait-any waiter on every object, stopping early once it is claimed.
     *
     * @return true if the registering thread claimed the waiter itself
     */
    private static boolean register(Waiter w, WaitObject[] objects) {
        try {
            for (int i = 0; i < objects.length; i++) {
                WaitNode node = new WaitNode(w, objects[i], i, 1);
                w.nodes[i] = node;
                int r = objects[i].enqueueOrAcquire(node);
                if (r != WaitObject.LINKED) {
                    return r == WaitObject.SELF_CLAIMED;
                }
            }
            return false;
        } catch (RuntimeException | Error e) {
            if (w.tryCancel()) {
                w.withdraw();
            }
            throw e;
        }
    }

    // -------------------------------------------------------------------------------------
    // Wait-all.

    /**
     * Waits until all objects are acquired at once.
     *
     * @param objects checked, distinct objects
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline when timed
     * @param interruptible whether an interrupt aborts the wait
     * @return true if all were acquired, false on timeout (nothing acquired)
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static boolean all(WaitObject[] objects, boolean timed, long deadline, boolean interruptible)
            throws InterruptedException {
        boolean poll = timed && deadline - System.nanoTime() <= 0L;
        if (!poll) {
            Dispatch.checkCanBlock();
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        Waiter w = poll ? null : new Waiter(me, me, null, true, objects.length);
        int r = acquireAllOrQueue(objects, me, w);
        if (r >= 0) {
            if (r > 0) {
                throw objects[r - 1].abandonedException(-1);
            }
            return true;
        }
        if (w == null) {
            return false;
        }
        if (await(w, objects[0], timed, deadline, interruptible) == TIMEOUT) {
            return false;
        }
        if (w.abandonedObject != null) {
            throw w.abandonedObject.abandonedException(-1);
        }
        return true;
    }

    /**
     * Starts an async wait-all for the current thread.
     *
     * @param objects checked, distinct objects
     * @return a future completed with {@code null} once all are acquired
     */
    public static WaitFuture<Void> allAsync(WaitObject[] objects) {
        Thread me = Thread.currentThread();
        WaitFuture<Void> f = new WaitFuture<>(me, true, objects.length, false);
        int r = acquireAllOrQueue(objects, me, f.waiter());
        if (r >= 0) {
            return completed(false, 0, r > 0 ? objects[r - 1].abandonedException(-1) : null);
        }
        return f;
    }

    /**
     * Under the global and all object locks: acquires everything, or queues {@code w} (when not
     * null) on every object.
     *
     * @return 0 if all were acquired, 1 + the index of the first abandoned mutex if all were
     *         acquired taking over an abandoned one, or -1 if not acquired
     */
    private static int acquireAllOrQueue(WaitObject[] objects, Thread me, Waiter w) {
        int n = objects.length;
        if (n == 0) {
            return 0;
        }
        long[] values = new long[n];
        int locked = 0;
        AllLock.lock();
        try {
            for (; locked < n; locked++) {
                values[locked] = objects[locked].lockState();
            }
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                long nv = objects[i].acquireFor(values[i], me, 1);
                if (nv == WaitObject.OVERFLOW) {
                    throw new IllegalStateException(objects[i].overflowMessage());
                }
                ok = nv >= 0;
            }
            if (ok) {
                int abandoned = 0;
                for (int i = 0; i < n; i++) {
                    long nv = objects[i].acquireFor(values[i], me, 1);
                    if ((nv & WaitObject.ACQUIRED_ABANDONED) != 0 && abandoned == 0) {
                        abandoned = i + 1;
                    }
                    values[i] = nv & ~WaitObject.ACQUIRED_ABANDONED;
                    objects[i].acquiredBy(me);
                }
                return abandoned;
            }
            if (w != null) {
                for (int i = 0; i < n; i++) {
                    WaitNode node = new WaitNode(w, objects[i], i, 1);
                    w.nodes[i] = node;
                    objects[i].linkAll(node);
                }
            }
            return -1;
        } finally {
            for (int i = 0; i < locked; i++) {
                objects[i].unlockState(values[i]);
            }
            AllLock.unlock();
        }
    }

    // -------------------------------------------------------------------------------------
    // Blocking and completion.

    /**
     * Blocks until the waiter is claimed, or withdraws it on timeout or interrupt.
     *
     * @return the published status (the winning index; 0 for wait-all) or {@link #TIMEOUT}
     */
    private static int await(Waiter w, Object blocker, boolean timed, long deadline, boolean interruptible)
            throws InterruptedException {
        boolean interrupted = false;
        int spins = SPINS;
        int st;
        while ((st = w.status()) == Waiter.WAITING) {
            if (spins > 0) {
                --spins;
                Thread.onSpinWait();
                continue;
            }
            if (Thread.interrupted()) {
                if (interruptible && w.tryCancel()) {
                    w.withdraw();
                    throw new InterruptedException();
                }
                interrupted = true;
                continue;
            }
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0L) {
                    if (w.tryCancel()) {
                        w.withdraw();
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                        return TIMEOUT;
                    }
                    continue;
                }
                LockSupport.parkNanos(blocker, remaining);
            } else {
                LockSupport.park(blocker);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // the acquisition won; keep the interrupt for the caller
        }
        st = w.awaitPublished();
        withdrawLosers(w, st);
        return st;
    }

    /** After a claim: removes the nodes that did not win (wait-any only). */
    private static void withdrawLosers(Waiter w, int winner) {
        if (w.all) {
            return;
        }
        WaitNode[] nodes = w.nodes;
        for (int i = 0; i < nodes.length; i++) {
            WaitNode n = nodes[i];
            if (n != null && i != winner) {
                n.object.withdraw(n);
            }
        }
    }

    private static <T> WaitFuture<T> completed(boolean indexResult, int index, RuntimeException abandoned) {
        WaitFuture<T> f = new WaitFuture<>(indexResult);
        f.engineComplete(index, abandoned);
        return f;
    }

    /** Completes a chain of claimed async waiters; called with no engine lock held. */
    static void completeAll(Waiter chain) {
        for (Waiter w = chain; w != null; ) {
            Waiter next = w.nextCompletion;
            w.nextCompletion = null;
            complete(w);
            w = next;
        }
    }

    /** Withdraws the losers of a claimed async waiter and completes its future at DISPATCH_LEVEL. */
    private static void complete(Waiter w) {
        int st = w.awaitPublished();
        withdrawLosers(w, st);
        if (w.future.indexResult()) {
            st = firstIndexOf(w.nodes, st);
        }
        RuntimeException abandoned = w.abandonedObject == null ? null
                : w.abandonedObject.abandonedException(w.future.indexResult() ? st : -1);
        int previous = Dispatch.level();
        if (previous < Dispatch.DISPATCH_LEVEL) {
            Dispatch.set(Dispatch.DISPATCH_LEVEL);
        }
        try {
            w.future.engineComplete(st, abandoned);
        } finally {
            if (previous < Dispatch.DISPATCH_LEVEL) {
                Dispatch.set(previous);
            }
        }
    }
}
