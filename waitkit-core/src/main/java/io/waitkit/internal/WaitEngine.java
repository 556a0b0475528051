package io.waitkit.internal;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait algorithms: single-object acquisition, wait-any and wait-all, blocking, timed,
 * polling and async. The per-object hand-off lives in {@link WaitObject}, the claim protocol
 * in {@link Waiter}.
 *
 * <p><b>Wait-any.</b> First one pass over the list, from the last element down, checks each
 * element and asks the object of each element but the first whether it could be taken now,
 * from one read and without taking it ({@link WaitObject#peekFast}); it keeps the lowest index
 * that could, and an element identical to the kept one counts at its lower index without being
 * asked again. Nothing is acquired before the whole list has passed the check and the
 * interrupt and IRQL checks. Then the first element is tried (it is the answer whenever it is
 * available, so it is tried rather than asked), and if that fails, the kept index once (at
 * index 0 if it is the first element again). Two cases fall back to the lock-free scan that
 * tries each object in index order ({@code pollAny}, which also maps an acquisition to the
 * element's first index): an object below the kept index could not tell without trying (the
 * default answer; a mutex owned by the caller counts as available, a channel's buffer needs
 * its lock), or the attempt on the kept index lost a race. So the common call reads each
 * object once and makes one CAS, as a {@code tryAcquire()} loop over as many
 * {@code java.util.concurrent} semaphores does; each object is still checked at one moment,
 * and the one acquired was the lowest-index one available when it was checked. If none
 * is, and the wait may block, a {@link Waiter} is queued on every object in index order (a
 * repeated object only at its lowest index: one wait is one registration); on
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
 * early, and an object that is available is taken even when the deadline has passed. Just
 * before its first park a wait asks {@link Flight} whether a recording wants the JFR wait event;
 * only then is it timed, and recorded when it ends.
 *
 * <p><b>Spinning.</b> A platform thread waiting for an object that
 * {@linkplain WaitObject#SPINS_BEFORE_QUEUEING spins before queueing} (mutex, semaphores) first
 * retries the lock-free path; once queued on such an object, or on one that
 * {@linkplain WaitObject#SPINS_BEFORE_PARKING spins before parking} (events), it checks its
 * status a while before each park: see {@link LockSpin}. Virtual threads never spin (they would hold a carrier).
 */
public final class WaitEngine {
    // Result codes. Wait-any returns an index or TIMEOUT; single-object waits return one of
    // ACQUIRED, REPORTED or NOT_ACQUIRED (the poll families of the objects themselves are
    // WaitObject.POLL_*, the acquireFor answers WaitObject.UNAVAILABLE and its siblings).

    /** Wait-any result: the timeout elapsed (or a poll found nothing available); as {@code Wait.TIMEOUT}. */
    public static final int TIMEOUT = -1;
    /** Single-object result: acquired. */
    public static final int ACQUIRED = 0;
    /**
     * Single-object result: acquired, and the acquisition must be reported to the caller with
     * the object's {@link WaitObject#reportException} (an abandoned mutex taken over, a failed
     * future).
     */
    public static final int REPORTED = 1;
    /** Single-object result: not acquired, because the timeout elapsed or a poll found it unavailable. */
    public static final int NOT_ACQUIRED = -1;

    private static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 64 : 0;

    private WaitEngine() {
    }

    // -------------------------------------------------------------------------------------
    // Validation shared by the front ends.

    /**
     * Checks a wait list: every element is a Waitkit object or operation; for wait-all, no
     * object is the target of two elements.
     *
     * @param objects the objects passed to {@code Wait}
     * @param all whether duplicates are an error (wait-all)
     * @return {@code objects}, checked
     * @throws NullPointerException if the array or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object, or on a duplicate
     *         in wait-all
     */
    public static Object[] check(Object[] objects, boolean all) {
        Objects.requireNonNull(objects, "objects");
        for (int i = 0; i < objects.length; i++) {
            Object o = objects[i];
            if (o == null) {
                throw new NullPointerException("objects[" + i + "] is null");
            }
            if (!(o instanceof WaitObject) && !(o instanceof WaitOperation)) {
                throw new IllegalArgumentException("objects[" + i + "] (" + o.getClass().getName()
                        + ") is not a waitable Waitkit object");
            }
        }
        if (all) {
            for (int i = 0; i < objects.length; i++) {
                Object o = objects[i];
                if (target(o).pairing() != null) { // a wait-all cannot wait for a partner
                    throw new IllegalArgumentException("objects[" + i + "] (" + o.getClass().getSimpleName()
                            + ") cannot take part in a wait-all");
                }
            }
            checkDistinct(objects);
        }
        return objects;
    }

    /** The object whose queue element {@code o} of a checked list waits in. */
    static WaitObject target(Object o) {
        return o instanceof WaitObject wo ? wo : ((WaitOperation) o).target();
    }

    /** The amount element {@code o} acquires. */
    static long arg(Object o) {
        return o instanceof WaitOperation op ? op.arg() : 1L;
    }

    /** The operation payload of element {@code o}, or null for a plain object. */
    static WaitOperation op(Object o) {
        return o instanceof WaitOperation op ? op : null;
    }

    /** What a wait-all's duplicate check compares: the target, or a proxy's outside object. */
    private static Object identity(Object o) {
        WaitObject t = target(o);
        return t.proxy() ? ((Proxy) t).outsideIdentity() : t;
    }

    private static void checkDistinct(Object[] objects) {
        int n = objects.length;
        if (n <= 32) {
            for (int i = 1; i < n; i++) {
                Object t = identity(objects[i]);
                for (int j = 0; j < i; j++) {
                    if (t == identity(objects[j])) {
                        throw duplicate(j, i);
                    }
                }
            }
        } else {
            java.util.IdentityHashMap<Object, Integer> seen = new java.util.IdentityHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                Integer j = seen.putIfAbsent(identity(objects[i]), i);
                if (j != null) {
                    throw duplicate(j, i);
                }
            }
        }
    }

    private static IllegalArgumentException duplicate(int first, int second) {
        return new IllegalArgumentException("wait-all objects must be distinct: objects[" + first
                + "] and objects[" + second + "] wait on the same object");
    }

    // -------------------------------------------------------------------------------------
    // Single object.

    /**
     * Relative timeouts at least this long (about 146 years) have no deadline: the current
     * {@link System#nanoTime()} plus the timeout could overflow.
     */
    public static final long FOREVER_NANOS = Long.MAX_VALUE / 2;

    /**
     * A relative timeout in nanoseconds for {@link #awaitNanos}: saturated at
     * {@code Long.MAX_VALUE}, a negative one is 0.
     *
     * @param timeout the timeout
     * @return the nanoseconds, at least 0
     * @throws NullPointerException if {@code timeout} is null
     */
    public static long nanos(java.time.Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return Math.max(0L, java.util.concurrent.TimeUnit.NANOSECONDS.convert(timeout));
    }

    /**
     * An interruptible wait for {@code arg} units of one object with a relative timeout, as
     * every blocking method that takes one does it, in-process, named or on ZooKeeper: a
     * timeout of 0 is a poll (it never blocks and is legal at DISPATCH_LEVEL), one of
     * {@link #FOREVER_NANOS} or more has no deadline, and otherwise the deadline is the current
     * time plus the timeout once the fast path ({@link #enter}) failed.
     *
     * @param o the object
     * @param arg the amount
     * @param op the operation, or null
     * @param nanos the timeout, at least 0 (see {@link #nanos})
     * @return {@link #ACQUIRED}, {@link #REPORTED} or {@link #NOT_ACQUIRED}
     * @throws InterruptedException if interrupted (nothing acquired)
     * @throws IllegalStateException if it may block and the thread runs at DISPATCH_LEVEL or
     *         above
     */
    public static int awaitNanos(WaitObject o, long arg, WaitOperation op, long nanos) throws InterruptedException {
        boolean poll = nanos <= 0L;
        int r = enter(o, arg, op, poll, true);
        return r != NOT_ACQUIRED || poll ? r : acquireNanos(o, arg, op, nanos);
    }

    /**
     * The blocking part of {@link #awaitNanos}, for a caller that tried more than {@link #enter}
     * first: waits at most {@code nanos} from now, or without a deadline from
     * {@link #FOREVER_NANOS} on.
     *
     * @param o the object
     * @param arg the amount
     * @param op the operation, or null
     * @param nanos the timeout, above 0
     * @return {@link #ACQUIRED}, {@link #REPORTED} or {@link #NOT_ACQUIRED}
     * @throws InterruptedException if interrupted (nothing acquired)
     */
    public static int acquireNanos(WaitObject o, long arg, WaitOperation op, long nanos) throws InterruptedException {
        return nanos >= FOREVER_NANOS ? acquire(o, arg, op, false, 0L, true)
                : acquire(o, arg, op, true, System.nanoTime() + nanos, true);
    }

    /**
     * Acquires {@code arg} units of one object (through {@code op}) for the current thread,
     * blocking as allowed, after the primitive's own fast path failed. The caller has checked
     * the IRQL and the interrupt status.
     *
     * @param o the object
     * @param arg the amount
     * @param op the operation, or null
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline when timed
     * @param interruptible whether an interrupt aborts the wait
     * @return {@link #ACQUIRED}, {@link #REPORTED} or {@link #NOT_ACQUIRED}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static int acquire(WaitObject o, long arg, WaitOperation op, boolean timed, long deadline,
            boolean interruptible) throws InterruptedException {
        Thread me = Thread.currentThread();
        if (timed && deadline - System.nanoTime() <= 0L) {
            return single(o.tryAcquireNow(me, arg, op));
        }
        if (LockSpin.appliesTo(o, op, me)) {
            return acquireSpinning(o, arg, timed, deadline, interruptible, me);
        }
        // virtual threads and non-lock objects: nothing else in this frame, which a parked
        // virtual thread keeps in its heap stack chunk (B6 counts those bytes). The waiter is
        // queued by await, not here: a compiled frame is as large as the most any code compiled
        // into it needs, so queueing here made this frame (into which the JIT inlines this method
        // in the primitive's) 128-144 bytes instead of 80: 160-216 more stack bytes per thread in B6.
        Waiter w = new Waiter(me, null, o, arg, op, null);
        if (await(w, o, true, timed, deadline, interruptible) == TIMEOUT) {
            return NOT_ACQUIRED;
        }
        return w.reported != null ? REPORTED : ACQUIRED;
    }

    /**
     * The one entry sequence of a primitive's blocking, timed and polling single-object waits,
     * up to the point where the caller must wait in the engine: a wait that may block refuses
     * at DISPATCH_LEVEL; an interruptible wait throws if the thread is interrupted on entry
     * (nothing acquired); the primitive's lock-free path is tried once, and, when it cannot
     * decide, the check under the object lock for a poll and for objects that do not spin
     * (containers, counters: before a waiter is allocated). On {@link #NOT_ACQUIRED} a wait
     * that may block goes on with {@link #acquire}. Kept apart from
     * {@code acquire} so that a parked thread's stack holds no frame of it: a parked virtual
     * thread keeps its frames on the heap (B6 counts those bytes).
     *
     * @param o the object
     * @param arg the amount
     * @param op the operation, or null
     * @param poll whether the wait must not block (a zero timeout, a passed deadline): it is
     *        then legal at DISPATCH_LEVEL, and {@link #NOT_ACQUIRED} is its answer
     * @param interruptible whether an interrupt aborts the wait
     * @return {@link #ACQUIRED}, {@link #REPORTED} or {@link #NOT_ACQUIRED}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     * @throws IllegalStateException if it may block and the thread runs at DISPATCH_LEVEL or
     *         above
     */
    public static int enter(WaitObject o, long arg, WaitOperation op, boolean poll, boolean interruptible)
            throws InterruptedException {
        if (!poll) {
            Dispatch.checkCanBlock();
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        int r = o.tryAcquireFast(me, arg, op);
        if (r == WaitObject.POLL_CONTENDED && (poll || !o.spinsBeforeParking())) {
            r = o.tryAcquireLocked(me, arg, op);
        }
        return single(r);
    }

    /**
     * A wait without a timeout that ignores interrupts ({@link #enter}, then {@link #acquire});
     * an interrupt received meanwhile is re-asserted on return.
     *
     * @param o the object
     * @param arg the amount
     * @param op the operation, or null
     * @return {@link #ACQUIRED} or {@link #REPORTED}
     * @throws IllegalStateException if the thread runs at DISPATCH_LEVEL or above
     */
    public static int awaitUninterruptibly(WaitObject o, long arg, WaitOperation op) {
        try {
            int r = enter(o, arg, op, false, false);
            return r != NOT_ACQUIRED ? r : acquire(o, arg, op, false, 0L, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible: never thrown
        }
    }

    /** {@link #acquire} for a platform thread and an object that spins (see {@link LockSpin}). */
    private static int acquireSpinning(WaitObject o, long arg, boolean timed, long deadline, boolean interruptible,
            Thread me) throws InterruptedException {
        LockSpin spin = new LockSpin(o);
        if (LockSpin.spinsBeforeQueueing(o)) {
            int r = spin.acquire(me, arg, timed, deadline);
            if (r != NOT_ACQUIRED) {
                return r;
            }
        }
        spin.queued();
        Waiter w = new Waiter(me, null, o, arg, null, spin);
        o.enqueueOrAcquire(w);
        if (await(w, o, false, timed, deadline, interruptible) == TIMEOUT) {
            return NOT_ACQUIRED;
        }
        return w.reported != null ? REPORTED : ACQUIRED;
    }

    /**
     * Acquires {@code arg} units of one object for the current thread; see
     * {@link #acquire(WaitObject, long, WaitOperation, boolean, long, boolean)}.
     *
     * @param o the object
     * @param arg the amount
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline when timed
     * @param interruptible whether an interrupt aborts the wait
     * @return {@link #ACQUIRED}, {@link #REPORTED} or {@link #NOT_ACQUIRED}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static int acquire(WaitObject o, long arg, boolean timed, long deadline, boolean interruptible)
            throws InterruptedException {
        return acquire(o, arg, null, timed, deadline, interruptible);
    }

    /**
     * Polls one object for the current thread.
     *
     * @param o the object
     * @param arg the amount
     * @param op the operation, or null
     * @return {@link #ACQUIRED}, {@link #REPORTED} or {@link #NOT_ACQUIRED}
     */
    public static int poll(WaitObject o, long arg, WaitOperation op) {
        return single(o.tryAcquireNow(Thread.currentThread(), arg, op));
    }

    /**
     * Polls one object for the current thread.
     *
     * @param o the object
     * @param arg the amount
     * @return {@link #ACQUIRED}, {@link #REPORTED} or {@link #NOT_ACQUIRED}
     */
    public static int poll(WaitObject o, long arg) {
        return poll(o, arg, null);
    }

    private static int single(int fast) {
        return switch (fast) {
            case WaitObject.POLL_ACQUIRED -> ACQUIRED;
            case WaitObject.POLL_REPORTED -> REPORTED;
            default -> NOT_ACQUIRED;
        };
    }

    /**
     * Starts an async acquisition of {@code arg} units of one object for the current thread.
     *
     * @param o the object
     * @param arg the amount
     * @param op the operation, or null
     * @param <T> the result type: the operation's {@link WaitOperation#result()}, or Void
     * @return a future completed on acquisition with the operation's result ({@code null} for
     *         a plain object)
     */
    public static <T> WaitFuture<T> acquireAsync(WaitObject o, long arg, WaitOperation op) {
        Thread me = Thread.currentThread();
        int r = o.tryAcquireNow(me, arg, op);
        if (r != WaitObject.POLL_FAILED) {
            return completed(false, op, 0, r == WaitObject.POLL_REPORTED ? o.reportException(-1, op == null ? o : op) : null);
        }
        WaitFuture<T> f = new WaitFuture<>(me, o, arg, op, op);
        Waiter w = f.waiter();
        int outcome = o.enqueueOrAcquire(w);
        if (outcome == WaitObject.SELF_CLAIMED) {
            complete(w);
        } else if (outcome == WaitObject.LINKED) {
            f.leftPending();
        }
        return f;
    }

    /**
     * Starts an async acquisition of {@code arg} units of one object for the current thread.
     *
     * @param o the object
     * @param arg the amount
     * @return a future completed with {@code null} on acquisition
     */
    public static WaitFuture<Void> acquireAsync(WaitObject o, long arg) {
        return acquireAsync(o, arg, null);
    }

    // -------------------------------------------------------------------------------------
    // Wait-any.

    /**
     * Waits until one of the objects is acquired, the lowest-index available one.
     *
     * @param objects the list as the caller gave it: checked here, in the same pass that
     *        looks for an available object, and entirely before anything is acquired
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline when timed
     * @param interruptible whether an interrupt aborts the wait
     * @return the index acquired, or {@link #TIMEOUT}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     * @throws NullPointerException if the array or an element is null (nothing acquired)
     * @throws IllegalArgumentException if an element is not a Waitkit object (nothing acquired)
     */
    public static int any(Object[] objects, boolean timed, long deadline, boolean interruptible)
            throws InterruptedException {
        Thread me = Thread.currentThread();
        long scan = scanAny(objects, me); // first: a bad list fails before anything else is decided
        boolean poll = timed && deadline - System.nanoTime() <= 0L;
        if (!poll) {
            Dispatch.checkCanBlock();
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        int n = objects.length;
        int first = takeAny(objects, me, scan);
        if (first >= 0 || poll) {
            return first;
        }
        if (LockSpin.appliesToAll(objects, me)) {
            // objects whose signals usually come soon: poll a while before registering on all
            first = LockSpin.pollAny(objects, me, timed, deadline);
            if (first >= 0) {
                return first;
            }
        }
        Waiter w = new Waiter(me, null, false, objects);
        register(w, objects);
        int st = await(w, n > 0 ? target(objects[0]) : null, false, timed, deadline, interruptible);
        if (st == TIMEOUT) {
            return TIMEOUT;
        }
        st = firstIndexOf(objects, st);
        if (w.reported != null) {
            throw report(w.reported, objects, st);
        }
        return st;
    }

    /**
     * The one pass of a wait-any over its list before anything is acquired: from the last
     * element down to the first, it checks the element (as {@link #check}; a bad list throws
     * the exception of its lowest bad index) and, except for the first element, asks its object
     * {@link WaitObject#peekFast} whether it could be taken now, keeping the lowest index whose
     * object answered yes. An element identical to the one kept is not asked: it is the same
     * element again, kept at this lower index instead (an element listed twice is reported at
     * its first index). The first element is not asked because {@link #takeAny} tries it
     * first anyway: it is the answer whenever it is available. Nothing is acquired and nothing
     * is written.
     *
     * @return {@code found << 32 | unknown}: the lowest index above 0 that looked available
     *         and the lowest index above 0 whose object could not tell without trying
     *         ({@code objects.length} for none), for {@link #takeAny}
     * @throws NullPointerException if the array or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object
     */
    static long scanAny(Object[] objects, Thread me) {
        int n = Objects.requireNonNull(objects, "objects").length;
        int found = n;
        int unknown = n;
        Object kept = null;
        for (int i = n - 1; i > 0; i--) {
            Object o = objects[i];
            WaitObject t;
            WaitOperation op;
            if (o instanceof WaitObject wo) {
                t = wo;
                op = null;
            } else if (o instanceof WaitOperation wop) {
                t = wop.target();
                op = wop;
            } else {
                throw badElement(objects, i);
            }
            if (o == kept) {
                found = i;
                continue;
            }
            int r = t.peekFast(me, op == null ? 1L : op.arg(), op);
            if (r == WaitObject.POLL_ACQUIRED) {
                found = i;
                kept = o;
            } else if (r != WaitObject.POLL_FAILED) {
                unknown = i;
            }
        }
        if (n > 0 && !(objects[0] instanceof WaitObject) && !(objects[0] instanceof WaitOperation)) {
            throw badElement(objects, 0);
        }
        return (long) found << 32 | unknown;
    }

    /** The exception for a list whose element {@code i} is bad: that of its lowest bad index ({@link #check}). */
    private static AssertionError badElement(Object[] objects, int i) {
        check(objects, false);
        return new AssertionError("objects[" + i + "] passed the check");
    }

    /**
     * The acquisition after {@link #scanAny}: an attempt on the first element; if that fails
     * and every element below the one that looked available answered that it is not, one
     * attempt on that element (reported at index 0 if it is the first element again); when
     * that attempt loses a race, or an element below it could not tell without trying, the
     * lock-free scan ({@link #pollAny}) from the lowest such index, which tries each element in
     * index order.
     *
     * @param scan what {@link #scanAny} answered
     * @return the index acquired (its first occurrence), or {@link #TIMEOUT}
     * @throws RuntimeException the object's abandonment exception if it took over an abandoned mutex
     */
    static int takeAny(Object[] objects, Thread me, long scan) {
        int n = objects.length;
        if (n == 0) {
            return TIMEOUT;
        }
        Object head = objects[0];
        WaitObject t = target(head);
        int r = poll(t, 0, head, me);
        if (r == WaitObject.POLL_ACQUIRED) {
            return 0;
        }
        if (r == WaitObject.POLL_REPORTED) {
            throw t.reportException(0, head);
        }
        int found = (int) (scan >>> 32);
        int unknown = (int) scan;
        if (unknown < found) {
            return pollAny(objects, unknown, me);
        }
        if (found == n) {
            return TIMEOUT; // the first element was not available, and every other one said so
        }
        Object o = objects[found];
        int index = o == head ? 0 : found; // every copy above 0 was noted by the pass
        t = target(o);
        r = poll(t, found, o, me);
        if (r == WaitObject.POLL_ACQUIRED) {
            return index;
        }
        if (r == WaitObject.POLL_REPORTED) {
            throw t.reportException(index, objects[index]);
        }
        return pollAny(objects, 1, me); // taken by someone else since the read: look again, in order
    }

    /**
     * The exception for a wait whose acquisition of {@code t} must be reported, naming the
     * member the wait was given for it (the object itself, or an operation or handle on it):
     * {@code objects[index]} for a wait-any, the first member on {@code t} for a wait-all.
     */
    private static RuntimeException report(WaitObject t, Object[] objects, int index) {
        Object member = index >= 0 ? objects[index] : t;
        for (int i = 0; index < 0 && i < objects.length; i++) {
            if (target(objects[i]) == t) {
                member = objects[i];
                break;
            }
        }
        return t.reportException(index, member);
    }

    /** As {@link #report} for a registered waiter: the member of the first node queued on {@code t}. */
    private static Object memberOf(Waiter w, WaitObject t) {
        for (int i = 0, count = w.nodeCount(); i < count; i++) {
            WaitNode n = w.node(i);
            if (n != null && n.object == t) {
                return n.op != null ? n.op : t;
            }
        }
        return t;
    }

    /**
     * The lowest index at which {@code objects[index]} appears: a wait-any reports an object
     * listed more than once at its first position, whichever copy the acquisition went through.
     */
    private static int firstIndexOf(Object[] objects, int index) {
        Object o = objects[index];
        for (int j = 0; j < index; j++) {
            if (objects[j] == o) {
                return j;
            }
        }
        return index;
    }

    /**
     * As {@link #firstIndexOf(Object[], int)} for a registered waiter (nodes 0..index are set):
     * the same element is the same object waited on plainly, or the same operation.
     */
    private static int firstIndexOf(Waiter w, int index) {
        WaitNode n = w.node(index);
        for (int j = 0; j < index; j++) {
            WaitNode m = w.node(j);
            if (m != null && m.object == n.object && m.op == n.op) {
                return j;
            }
        }
        return index;
    }

    /**
     * Starts an async wait-any for the current thread.
     *
     * @param objects a checked list
     * @return a future completed with the index acquired
     */
    public static WaitFuture<Integer> anyAsync(Object[] objects) {
        Thread me = Thread.currentThread();
        int n = objects.length;
        for (int i = 0; i < n; i++) {
            Object o = objects[i];
            WaitObject t = target(o);
            int r = poll(t, i, o, me);
            if (r != WaitObject.POLL_FAILED) {
                int first = firstIndexOf(objects, i);
                return completed(true, null, first, r == WaitObject.POLL_REPORTED
                        ? t.reportException(first, objects[first]) : null);
            }
        }
        WaitFuture<Integer> f = new WaitFuture<>(me, false, objects, true);
        if (register(f.waiter(), objects)) {
            complete(f.waiter());
        } else {
            f.leftPending(); // queued (or claimed through one object meanwhile: leftPending sees it)
        }
        return f;
    }

    /**
     * Queues a wait-any waiter on every object, stopping early once it is claimed.
     *
     * @return true if the registering thread claimed the waiter itself
     */
    private static boolean register(Waiter w, Object[] objects) {
        java.util.IdentityHashMap<Object, Boolean> seen =
                objects.length > 32 ? new java.util.IdentityHashMap<>(objects.length * 2) : null;
        try {
            for (int i = 0; i < objects.length; i++) {
                Object o = objects[i];
                if (seen != null ? seen.put(o, Boolean.TRUE) != null : repeats(objects, i)) {
                    // The same object (or operation) again: one wait, represented by its lowest
                    // index. A second node would be a second registration, which is not neutral
                    // for every object (it would be a second arrival at a barrier) and could
                    // claim the waiter under the higher index.
                    continue;
                }
                WaitObject t = target(o);
                int r = t.enqueueOrAcquire(w.addNode(i, t, arg(o), op(o)));
                if (r != WaitObject.LINKED) {
                    return r == WaitObject.SELF_CLAIMED;
                }
            }
            return false;
        } catch (RuntimeException | Error e) {
            // A refusal (a second pending reader, a hold-count overflow) has already cancelled
            // the waiter; any other failure cancels it here. Either way nothing it queued may
            // stay behind. If a signaller claimed it first, the acquisition stands and only
            // the losing nodes go.
            int st = w.tryCancel() ? Waiter.CANCELLED : w.awaitPublished();
            try {
                if (st == Waiter.CANCELLED) {
                    w.withdraw();
                } else {
                    withdrawLosers(w, st);
                }
            } catch (RuntimeException | Error again) {
                e.addSuppressed(again); // a proxy that failed once may fail to withdraw too
            }
            throw e;
        }
    }

    /**
     * Polls element {@code i} of a wait list. A proxy whose poll fails (its outside state cannot
     * be read) fails the wait with an exception that names the element; nothing was acquired
     * through it, and the elements polled before it acquired nothing either.
     */
    private static int poll(WaitObject t, int i, Object o, Thread me) {
        try {
            return t.tryAcquireNow(me, arg(o), op(o));
        } catch (RuntimeException e) {
            if (!t.proxy()) {
                throw e; // a refusal of an engine object: its own exception, as for a single wait
            }
            throw new IllegalStateException("objects[" + i + "] (" + o + ") failed to be polled: " + e, e);
        }
    }

    /** Whether {@code objects[i]} already appears at a lower index. */
    private static boolean repeats(Object[] objects, int i) {
        Object o = objects[i];
        for (int j = 0; j < i; j++) {
            if (objects[j] == o) {
                return true;
            }
        }
        return false;
    }

    /**
     * One lock-free pass of wait-any: acquires the lowest-index object that is available now.
     *
     * @return the index acquired (its first occurrence), or {@link #TIMEOUT}
     * @throws RuntimeException the object's abandonment exception if it took over an abandoned mutex
     */
    static int pollAny(Object[] objects, Thread me) {
        return pollAny(objects, 0, me);
    }

    /**
     * As {@link #pollAny(Object[], Thread)}, starting at index {@code from}: the elements below
     * it were found unavailable when they were checked.
     */
    private static int pollAny(Object[] objects, int from, Thread me) {
        for (int i = from; i < objects.length; i++) {
            Object o = objects[i];
            WaitObject t = target(o);
            int r = poll(t, i, o, me);
            if (r == WaitObject.POLL_ACQUIRED) {
                return firstIndexOf(objects, i);
            }
            if (r == WaitObject.POLL_REPORTED) {
                int first = firstIndexOf(objects, i);
                throw t.reportException(first, objects[first]);
            }
        }
        return TIMEOUT;
    }

    // -------------------------------------------------------------------------------------
    // Wait-all.

    /**
     * Waits until all objects are acquired at once.
     *
     * @param objects a checked list of distinct targets
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline when timed
     * @param interruptible whether an interrupt aborts the wait
     * @return true if all were acquired, false on timeout (nothing acquired)
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static boolean all(Object[] objects, boolean timed, long deadline, boolean interruptible)
            throws InterruptedException {
        boolean poll = timed && deadline - System.nanoTime() <= 0L;
        if (!poll) {
            Dispatch.checkCanBlock();
        }
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        Waiter w = poll ? null : new Waiter(me, null, true, objects);
        int r = WaitAll.acquireAllOrQueue(objects, me, w);
        if (r >= 0) {
            if (r > 0) {
                throw target(objects[r - 1]).reportException(-1, objects[r - 1]);
            }
            return true;
        }
        if (w == null) {
            return false;
        }
        if (await(w, target(objects[0]), false, timed, deadline, interruptible) == TIMEOUT) {
            return false;
        }
        if (w.reported != null) {
            throw report(w.reported, objects, -1);
        }
        return true;
    }

    /**
     * Starts an async wait-all for the current thread.
     *
     * @param objects a checked list of distinct targets
     * @return a future completed with {@code null} once all are acquired
     */
    public static WaitFuture<Void> allAsync(Object[] objects) {
        Thread me = Thread.currentThread();
        WaitFuture<Void> f = new WaitFuture<>(me, true, objects, false);
        int r = WaitAll.acquireAllOrQueue(objects, me, f.waiter());
        if (r >= 0) {
            return completed(false, null, 0, r > 0 ? target(objects[r - 1]).reportException(-1, objects[r - 1]) : null);
        }
        f.leftPending();
        return f;
    }

    // -------------------------------------------------------------------------------------
    // Blocking and completion.

    /**
     * Blocks until the waiter is claimed, or withdraws it on timeout or interrupt.
     *
     * @param enqueue whether a single-object waiter must first be queued on its object
     *        ({@link WaitObject#enqueueOrAcquire}); wait-any and wait-all register beforehand
     * @return the published status (the winning index; 0 for wait-all) or {@link #TIMEOUT}
     */
    private static int await(Waiter w, Object blocker, boolean enqueue, boolean timed, long deadline,
            boolean interruptible) throws InterruptedException {
        if (enqueue) {
            w.object.enqueueOrAcquire(w);
        }
        boolean interrupted = false;
        // a short spin helps platform threads answer a quick signal without a park/unpark
        // round trip; virtual threads park cheaply and spinning would only steal the carrier
        int spins = w.owner.isVirtual() ? 0 : SPINS; // never async here: the owner is the blocked thread
        // a single-object wait on a proxy that can wake it directly (or watch its source) parks there
        Proxy outside = blocker instanceof Proxy p && w.op == null && w.nodeCount() == 1 && p.parksOutside() ? p : null;
        int st;
        int round = 0;
        Object flight = null; // a JFR wait event being timed (Flight): set only when a recording wants it
        try {
            for (;;) {
                st = w.status();
                if (st >= 0) {
                    break;
                }
                if (st == Waiter.CLAIMING) {
                    round = Backoff.pause(round); // a claim in progress: published (or undone) shortly
                    continue;
                }
                if (round != 0) {
                    Backoff.done(round); // a tentative claim was undone: restore a cleared interrupt
                    round = 0;
                }
                if (w.woken) {
                    // woken by a release of a barging object: compete again; a loser parks at once
                    if (!w.object.recompete(w)) {
                        spins = 0;
                        w.spinStop();
                    }
                    continue;
                }
                if (spins > 0) {
                    --spins;
                    Thread.onSpinWait();
                    continue;
                }
                if (w.spinAgain(timed, deadline)) {
                    spins = 16; // a lock waiter spins longer while the lock changes hands (LockSpin)
                    continue;
                }
                if (w.announcePark()) {
                    blocker = firstPark(w, blocker); // once, before the first park only
                    if (flight == null) {
                        flight = Flight.waitBegin(); // once per wait, only for a wait that is about to park
                    }
                    continue; // re-read the status after announcing the park (see Waiter.announcePark)
                }
                if (Thread.interrupted()) {
                    if (interruptible && w.tryCancel()) {
                        WaitRegistry.done(w);
                        w.withdraw();
                        if (flight != null) {
                            Flight.waitEnded(flight, w, Flight.INTERRUPTED);
                        }
                        throw new InterruptedException();
                    }
                    interrupted = true;
                    continue;
                }
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0L) {
                        if (w.tryCancel()) {
                            WaitRegistry.done(w);
                            w.withdraw();
                            if (interrupted) {
                                Thread.currentThread().interrupt();
                            }
                            if (flight != null) {
                                Flight.waitEnded(flight, w, Flight.TIMED_OUT);
                            }
                            return TIMEOUT;
                        }
                        continue;
                    }
                    if (outside != null) {
                        outside.parkOutside(w, remaining);
                    } else {
                        LockSupport.parkNanos(blocker, remaining);
                    }
                } else if (outside != null) {
                    outside.parkOutside(w, -1L);
                } else {
                    LockSupport.park(blocker);
                }
                // leaving after a park is a test of its own, not the one at the top of the loop: that
                // one runs before every first park, so when a crowd of waits all park (B6: 100,000
                // virtual threads) its profile says "never leaves", the JIT compiles an uncommon
                // trap there, and each woken thread deoptimized on it (44,569 traps in one run of
                // six rounds); this test has no profile until a park has returned, and is compiled
                // both ways
                if ((st = w.status()) >= 0) {
                    break;
                }
                w.spinRestart(); // woken ahead of its turn (or spuriously): spin again first
            }
        } catch (RuntimeException | Error e) {
            WaitRegistry.done(w); // an unexpected failure (a proxy's) leaves no record behind
            throw e;
        }
        w.spinRelease();
        WaitRegistry.done(w);
        Backoff.done(round);
        if (interrupted) {
            Thread.currentThread().interrupt(); // the acquisition won; keep the interrupt for the caller
        }
        withdrawLosers(w, st);
        if (flight != null) {
            Flight.waitEnded(flight, w, Flight.ACQUIRED);
        }
        return st;
    }

    /**
     * Before the first park of a wait: registers it for diagnostics ({@link WaitRegistry}) and
     * answers what the thread parks on: for a wait on one object, what the object offers the
     * JVM's tools ({@link WaitObject#parkBlocker()}: an owned lock gives its owner); otherwise
     * the first object. A method of its own so that {@link #await}'s frame, which a parked
     * virtual thread keeps on the heap, gains no local for it.
     */
    private static Object firstPark(Waiter w, Object first) {
        WaitRegistry.parking(w);
        return w.nodeCount() == 1 && first instanceof WaitObject wo ? wo.parkBlocker() : first;
    }

    /** After a claim: removes the nodes that did not win (wait-any only). */
    private static void withdrawLosers(Waiter w, int winner) {
        if (w.all) {
            return;
        }
        for (int i = 0, count = w.nodeCount(); i < count; i++) {
            WaitNode n = w.node(i);
            if (n != null && i != winner) {
                n.object.withdraw(n);
            }
        }
    }

    private static <T> WaitFuture<T> completed(boolean indexResult, WaitOperation resultOf, int index,
            RuntimeException abandoned) {
        WaitFuture<T> f = new WaitFuture<>(indexResult, resultOf);
        f.engineComplete(index, abandoned);
        return f;
    }

    /**
     * Completes a chain of claimed async waiters; called with no engine lock held. The chain is
     * built newest first (a push per hand-off), so it is reversed to complete the futures in
     * the order the hand-offs happened (FIFO).
     */
    static void completeAll(Waiter chain) {
        Waiter ordered = null;
        for (Waiter w = chain; w != null; ) {
            Waiter next = w.nextCompletion;
            w.nextCompletion = ordered;
            ordered = w;
            w = next;
        }
        for (Waiter w = ordered; w != null; ) {
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
            st = firstIndexOf(w, st);
        }
        RuntimeException abandoned = w.reported == null ? null
                : w.reported.reportException(w.future.indexResult() ? st : -1, memberOf(w, w.reported));
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
