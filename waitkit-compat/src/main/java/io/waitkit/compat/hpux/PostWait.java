package io.waitkit.compat.hpux;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import io.waitkit.ipc.NamedPostWait;
import io.waitkit.ipc.Namespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HP-UX {@code postwait(2)}, a light sleep/wake-up mechanism between threads, over the core
 * {@link io.waitkit.PostWait} slots.
 *
 * <p>Each thread has one pending-post flag. {@link #pw_post(long)} sets the flag of the thread
 * named by a ukid (waking it if it waits); a post to a thread whose flag is already set is
 * <b>discarded</b> and still succeeds. {@link #pw_wait(Timespec)} consumes the flag, returning
 * at once if it is set and otherwise waiting for a post, the timeout or an interrupt. A thread
 * learns its ukid with {@link #getukid()} and hands it to its posters by any means.
 *
 * <table class="striped">
 *   <caption>postwait(2) and this class</caption>
 *   <thead><tr><th>C</th><th>Java</th><th>errno on -1</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code pw_getukid(&ukid)}</td><td>{@link #pw_getukid(long[])}, or
 *         {@link #getukid()} returning it</td><td>{@link #EFAULT} (no place to store)</td></tr>
 *     <tr><td>{@code pw_wait(ts)}</td><td>{@link #pw_wait(Timespec)}</td><td>{@link #EAGAIN},
 *         {@link #ETIMEDOUT}, {@link #EINTR}, {@link #EINVAL}</td></tr>
 *     <tr><td>{@code pw_post(ukid)}</td><td>{@link #pw_post(long)}</td><td>{@link #EINVAL}</td></tr>
 *     <tr><td>{@code pw_postv(count, targets, errors)}</td><td>{@link #pw_postv(int, long[], int[])}</td>
 *         <td>{@link #EINVAL}, {@link #EFAULT}</td></tr>
 *     <tr><td>{@code pw_getvmax()}</td><td>{@link #pw_getvmax()}</td><td>-</td></tr>
 *     <tr><td>-</td><td>{@link #attach(Namespace)}, {@link #detach()}</td><td>-</td></tr>
 *   </tbody>
 * </table>
 * {@link #post(long)}, {@link #postv(long[], int[])} and {@link #getvmax()} are the same calls
 * under shorter Java names.
 *
 * <h2>Results and errno</h2>
 * The calls return 0 on success and -1 on failure, with the reason in the calling thread's
 * {@link #errno()}, which keeps its value on success (as C's {@code errno}). The numbers are
 * HP-UX's, not Linux's: {@link #EINTR} 4, {@link #EAGAIN} 11, {@link #EFAULT} 14,
 * {@link #EINVAL} 22, {@link #ETIMEDOUT} 238.
 *
 * <h2>Choices</h2>
 * <ul>
 *   <li><b>ukid</b>: the thread's {@link Thread#threadId()}, never reused in a JVM. The facade
 *       knows a thread by its ukid once the thread called {@code getukid}/{@code pw_getukid} or
 *       {@code pw_wait}; a post to any other number, or to a thread that has ended, fails with
 *       {@link #EINVAL} (the man page's "non-existent kernel thread", not {@code ESRCH}).</li>
 *   <li><b>Signals</b> are Java interrupts: an interrupt ends a waiting {@code pw_wait} with
 *       {@link #EINTR} and the remaining time written back, and is consumed (the interrupt
 *       status is cleared, as a delivered signal). A post already pending wins over a pending
 *       interrupt: {@code pw_wait} then returns 0 at once.</li>
 *   <li><b>errno of {@code pw_wait}</b>: a zero timeout with no post pending gives
 *       {@link #EAGAIN}, an expired timeout {@link #ETIMEDOUT} (with {@code *ts} set to 0), an
 *       invalid timespec (negative seconds, nanoseconds outside {@code [0, 10^9)})
 *       {@link #EINVAL}. The man page does not name the errno of the first two outcomes;
 *       the facade uses the POSIX names that say what happened ({@code EAGAIN}: nothing to take
 *       without waiting; {@code ETIMEDOUT}: the time ran out).</li>
 *   <li><b>{@code pw_postv}</b> checks, in order: {@code count < 0} or
 *       {@code count > pw_getvmax()} ({@link #EINVAL}); {@code targets} null or shorter than
 *       {@code count}, {@code errors} non-null and shorter ({@link #EFAULT}, nothing posted).
 *       It then posts every target, carrying on past a bad one, and stores each target's
 *       errno (0 or {@link #EINVAL}) in {@code errors} unless it is null. A discarded post
 *       counts as success. {@code count == 0} posts nothing and returns 0.</li>
 *   <li><b>{@code pw_getvmax}</b>: HP-UX does not document its value; Waitkit allows
 *       {@value #PW_VMAX} targets per call.</li>
 *   <li><b>IRQL</b>: a blocking {@code pw_wait} at {@link io.waitkit.Irql#DISPATCH_LEVEL}
 *       throws {@link IllegalStateException}, as every core wait; a zero timeout polls.</li>
 * </ul>
 *
 * <h2>Cross-process ukids</h2>
 * HP-UX posts between threads of different processes too. {@link #attach(Namespace)} joins
 * this JVM's facade to a {@link Namespace} of {@code io.waitkit.ipc}; from then on:
 * <ul>
 *   <li>{@code getukid}/{@code pw_getukid} return the calling thread's cross-process ukid, the
 *       {@link NamedPostWait#ukid()} of a registration the facade makes for the thread on its
 *       first call (at least 2<sup>32</sup>: the process id in the high half). Any process
 *       attached to the same namespace, or using {@link NamedPostWait#post} directly, posts
 *       to it; the ukid travels by any means (a shared section, a pipe, a file).</li>
 *   <li>{@code pw_wait} consumes a post made to either of the thread's ukids, the
 *       cross-process one or its {@link Thread#threadId()} (a post made to both before the wait
 *       is one pending post: the thread has one flag).</li>
 *   <li>{@code pw_post}/{@code pw_postv} post a thread of this JVM known by its thread id as
 *       before, and route every other ukid to {@link NamedPostWait#post}: a ukid whose thread,
 *       registration or process is gone (the pid reused by another process included) fails
 *       with {@link #EINVAL}, as a non-existent thread of this JVM; so does a ukid of another
 *       user's process that this process may not open.</li>
 *   <li>A registration lives until its thread ends: the facade closes the registrations of
 *       ended threads when it is next called (and {@link #detach()} closes all of them), and
 *       the registrations of a process that exits are gone for every poster at once.</li>
 * </ul>
 * Thread ids of this JVM stay below 2<sup>32</sup> (a JVM that started four billion threads
 * would make the two kinds of ukid ambiguous; thread ids win). Without {@code attach}, ukids are
 * thread ids of this JVM only.
 *
 * <p>Memory visibility: actions before a post happen-before the actions of the target after the
 * {@code pw_wait} that consumed it.
 *
 * <pre>{@code
 * long me = PostWait.getukid();          // published to the producer, e.g. in a shared field
 * ...
 * if (PostWait.pw_wait(null) == 0) {     // consumer: sleep until posted
 *     drainQueue();
 * }
 * ...
 * PostWait.pw_post(consumerUkid);        // producer, after enqueueing work
 * }</pre>
 */
public final class PostWait {
    /** Interrupted system call (HP-UX 4): a signal (interrupt) ended {@code pw_wait}. */
    public static final int EINTR = 4;
    /** Resource temporarily unavailable (HP-UX 11): zero timeout and no post pending. */
    public static final int EAGAIN = 11;
    /** Bad address (HP-UX 14): a missing or too short array. */
    public static final int EFAULT = 14;
    /** Invalid argument (HP-UX 22): bad timespec, bad count, or a non-existent thread. */
    public static final int EINVAL = 22;
    /** Timed out (HP-UX 238): the timeout of {@code pw_wait} expired. */
    public static final int ETIMEDOUT = 238;
    /** The most targets one {@link #pw_postv} call accepts. */
    public static final int PW_VMAX = 1024;

    private static final ThreadLocal<int[]> ERRNO = ThreadLocal.withInitial(() -> new int[1]);
    private static final ConcurrentHashMap<Long, ThreadRef> THREADS = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Thread> ENDED = new ReferenceQueue<>();
    /** The namespace of cross-process ukids, or null before {@link #attach}. Guarded by the class for writes. */
    private static volatile Namespace namespace;
    /** The cross-process registrations of this JVM's threads, by thread id. */
    private static final ConcurrentHashMap<Long, Registration> BY_THREAD = new ConcurrentHashMap<>();
    /** The same registrations by their ukid. */
    private static final ConcurrentHashMap<Long, Registration> BY_UKID = new ConcurrentHashMap<>();
    private static final long SWEEP_INTERVAL_NANOS = 100_000_000L;
    private static volatile long lastSweep = System.nanoTime();

    /** A thread's cross-process registration; the thread weakly referenced. */
    private record Registration(long threadId, WeakReference<Thread> thread, NamedPostWait handle) {
        boolean threadAlive() {
            Thread t = thread.get();
            return t != null && t.isAlive();
        }
    }

    /** A known thread, weakly referenced so that the registry does not keep it alive. */
    private static final class ThreadRef extends WeakReference<Thread> {
        final long ukid;

        ThreadRef(Thread t) {
            super(t, ENDED);
            this.ukid = t.threadId();
        }
    }

    private PostWait() {
    }

    /**
     * The calling thread's {@code errno}: the reason of its last failed call (0 before any).
     *
     * @return the HP-UX error number
     */
    public static int errno() {
        return ERRNO.get()[0];
    }

    private static int fail(int errno) {
        ERRNO.get()[0] = errno;
        return -1;
    }

    // ---- thread ids

    private static long register() {
        Thread me = Thread.currentThread();
        long ukid = me.threadId();
        ThreadRef known = THREADS.get(ukid);
        if (known == null || known.get() != me) {
            THREADS.put(ukid, new ThreadRef(me));
        }
        for (Object r; (r = ENDED.poll()) != null; ) {
            ThreadRef gone = (ThreadRef) r;
            THREADS.remove(gone.ukid, gone);
        }
        return ukid;
    }

    private static Thread lookup(long ukid) {
        ThreadRef r = THREADS.get(ukid);
        Thread t = r == null ? null : r.get();
        if (t == null || !t.isAlive()) {
            if (r != null) {
                THREADS.remove(ukid, r);
            }
            return null;
        }
        return t;
    }

    // ---- cross-process ukids

    /**
     * Makes ukids cross-process: from now on {@code getukid} returns the calling thread's
     * registration in {@code ns}, and posts to ukids that are not thread ids of this JVM go to
     * {@link NamedPostWait#post} (see the class comment). Attaching the namespace already
     * attached does nothing.
     *
     * @param ns the namespace shared with the other processes
     * @throws NullPointerException if {@code ns} is null
     * @throws IllegalStateException if another namespace is attached (call {@link #detach()}
     *         first)
     */
    public static synchronized void attach(Namespace ns) {
        Objects.requireNonNull(ns, "ns");
        Namespace current = namespace;
        if (current != null) {
            if (current.directory().equals(ns.directory())) {
                return;
            }
            throw new IllegalStateException("postwait is attached to " + current + "; detach() before attaching " + ns);
        }
        namespace = ns;
    }

    /**
     * Ends the cross-process ukids: closes every registration of this JVM's threads (posts to
     * their ukids fail with {@link #EINVAL} from now on); {@code getukid} returns thread ids
     * again. Posts pending on a registration are dropped; a {@code pw_wait} in progress keeps
     * waiting for a post to its thread id (and for its registration's post that raced with the
     * close). Does nothing if not attached.
     */
    public static synchronized void detach() {
        namespace = null;
        for (Registration r : BY_THREAD.values()) {
            r.handle().close();
        }
        BY_THREAD.clear();
        BY_UKID.clear();
    }

    /**
     * The attached namespace.
     *
     * @return the namespace of {@link #attach}, or empty if not attached
     */
    public static Optional<Namespace> attachedNamespace() {
        return Optional.ofNullable(namespace);
    }

    /** The calling thread's registration in {@code ns}, made on first use. */
    private static NamedPostWait registration(Namespace ns) {
        Thread me = Thread.currentThread();
        Registration r = BY_THREAD.get(me.threadId());
        if (r != null && r.thread().get() == me && !r.handle().isClosed() && r.handle().namespace() == ns) {
            return r.handle();
        }
        synchronized (PostWait.class) {
            if (namespace != ns) {
                throw new IllegalStateException("postwait was detached meanwhile");
            }
            sweepEnded();
            NamedPostWait h;
            try {
                h = NamedPostWait.register(ns);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot register " + me + " for cross-process postwait in " + ns, e);
            }
            Registration mine = new Registration(me.threadId(), new WeakReference<>(me), h);
            Registration old = BY_THREAD.put(me.threadId(), mine);
            if (old != null) {
                retire(old);
            }
            BY_UKID.put(h.ukid(), mine);
            return h;
        }
    }

    /** Closes a registration and forgets it. */
    private static void retire(Registration r) {
        BY_THREAD.remove(r.threadId(), r);
        BY_UKID.remove(r.handle().ukid(), r);
        r.handle().close();
    }

    /** Closes the registrations of ended threads (at most every 100 ms unless forced by a registration). */
    private static void sweepEnded() {
        lastSweep = System.nanoTime();
        for (Registration r : BY_THREAD.values()) {
            if (!r.threadAlive()) {
                retire(r);
            }
        }
    }

    private static void maybeSweepEnded() {
        if (System.nanoTime() - lastSweep > SWEEP_INTERVAL_NANOS && !BY_THREAD.isEmpty()) {
            sweepEnded();
        }
    }

    /** Posts a ukid that is no thread id of this JVM; false if it names no live registration. */
    private static boolean postNamed(Namespace ns, long ukid) {
        Registration local = BY_UKID.get(ukid);
        if (local != null && !local.threadAlive()) {
            retire(local);
            return false;
        }
        return NamedPostWait.post(ns, ukid) == NamedPostWait.Result.OK;
    }

    /**
     * Returns the calling thread's ukid (the Java form of {@code pw_getukid}, which cannot
     * fail). From now on other threads can post to it.
     *
     * @return the ukid: the thread's {@link Thread#threadId()}, or its cross-process ukid once
     *         {@link #attach attached}
     * @throws UncheckedIOException if attached and the registration file cannot be created
     */
    public static long getukid() {
        long tid = register();
        Namespace ns = namespace;
        if (ns == null) {
            return tid;
        }
        maybeSweepEnded();
        return registration(ns).ukid();
    }

    /**
     * {@code pw_getukid}: stores the calling thread's ukid in {@code ukid[0]} (see
     * {@link #getukid()}).
     *
     * @param ukid where to store it
     * @return 0; -1 with {@link #EFAULT} if {@code ukid} is null or empty
     * @throws UncheckedIOException if attached and the registration file cannot be created
     */
    public static int pw_getukid(long[] ukid) {
        if (ukid == null || ukid.length == 0) {
            return fail(EFAULT);
        }
        ukid[0] = getukid();
        return 0;
    }

    // ---- waiting

    /**
     * {@code pw_wait}: consumes the calling thread's pending post, waiting for one if none is
     * pending.
     *
     * <ul>
     *   <li>{@code ts == null}: waits until posted or interrupted.</li>
     *   <li>{@code ts} zero: never waits; -1 with {@link #EAGAIN} if no post is pending.</li>
     *   <li>{@code ts} positive: waits at most that long. When it returns because of a post or
     *       an interrupt, {@code ts} is updated with the time that was left; on expiry it is
     *       set to zero.</li>
     * </ul>
     *
     * @param ts the timeout, or null for none
     * @return 0 if a post was consumed; -1 with {@link #EAGAIN}, {@link #ETIMEDOUT},
     *         {@link #EINTR} (the interrupt is consumed) or {@link #EINVAL} (invalid
     *         {@code ts})
     * <p>Once {@link #attach attached}, a post to the thread's cross-process ukid counts as
     * well (see the class comment).
     *
     * @throws IllegalStateException if it would block and the calling thread runs at
     *         {@link io.waitkit.Irql#DISPATCH_LEVEL}
     * @throws UncheckedIOException if attached and the registration file cannot be created
     */
    public static int pw_wait(Timespec ts) {
        register();
        io.waitkit.PostWait slot = io.waitkit.PostWait.current();
        if (ts != null && !ts.isValid()) {
            return fail(EINVAL);
        }
        Namespace ns = namespace;
        if (ns != null) {
            maybeSweepEnded();
            NamedPostWait reg = null;
            try {
                reg = registration(ns);
                return waitBoth(slot, reg, ts);
            } catch (IllegalStateException e) {
                if (namespace != null && (reg == null || !reg.isClosed())) {
                    throw e; // not a detach() in between: the IRQL rule
                }
                // detached meanwhile: wait as an unattached thread
            }
        }
        if (slot.tryAwait()) {
            return 0; // a pending post returns at once; ts keeps the full time left
        }
        if (ts == null) {
            try {
                slot.await();
                return 0;
            } catch (InterruptedException e) {
                return fail(EINTR);
            }
        }
        if (ts.isZero()) {
            return fail(EAGAIN);
        }
        Duration timeout = ts.toDuration();
        long start = System.nanoTime();
        try {
            if (slot.await(Deadline.after(timeout))) {
                writeRemaining(ts, timeout, start);
                return 0;
            }
            ts.set(0, 0);
            return fail(ETIMEDOUT);
        } catch (InterruptedException e) {
            writeRemaining(ts, timeout, start);
            return fail(EINTR);
        }
    }

    /**
     * {@code pw_wait} of an attached thread: the in-process slot and the registration are one
     * flag, so a wait consumes whatever of them is pending.
     */
    private static int waitBoth(io.waitkit.PostWait slot, NamedPostWait reg, Timespec ts) {
        if (slot.tryAwait() | reg.tryAwait()) { // both: posts to both ukids collapse into one
            return 0;
        }
        if (ts == null) {
            try {
                drainOther(Wait.any(slot, reg), slot, reg);
                return 0;
            } catch (InterruptedException e) {
                return fail(EINTR);
            }
        }
        if (ts.isZero()) {
            return fail(EAGAIN);
        }
        Duration timeout = ts.toDuration();
        long start = System.nanoTime();
        try {
            int i = Wait.any(Deadline.after(timeout), slot, reg);
            if (i == Wait.TIMEOUT) {
                ts.set(0, 0);
                return fail(ETIMEDOUT);
            }
            drainOther(i, slot, reg);
            writeRemaining(ts, timeout, start);
            return 0;
        } catch (InterruptedException e) {
            writeRemaining(ts, timeout, start);
            return fail(EINTR);
        }
    }

    private static void drainOther(int consumed, io.waitkit.PostWait slot, NamedPostWait reg) {
        if (consumed == 0) {
            reg.tryAwait();
        } else {
            slot.tryAwait();
        }
    }

    private static void writeRemaining(Timespec ts, Duration timeout, long start) {
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        if (left.isNegative()) {
            left = Duration.ZERO;
        }
        ts.set(left.getSeconds(), left.getNano());
    }

    // ---- posting

    /**
     * {@code pw_post}: posts the thread named by {@code ukid}: wakes its {@code pw_wait}, or
     * leaves the post pending; a post to a thread that has one pending is discarded (and
     * succeeds). Never blocks.
     *
     * <p>Once {@link #attach attached}, a ukid that is no thread id of this JVM is posted with
     * {@link NamedPostWait#post}, in this process or another.
     *
     * @param ukid the target's ukid
     * @return 0; -1 with {@link #EINVAL} if no such thread exists (never known to the facade,
     *         or ended; for a cross-process ukid: no live registration, or its process is gone)
     */
    public static int pw_post(long ukid) {
        Thread t = lookup(ukid);
        if (t == null) {
            Namespace ns = namespace;
            if (ns == null) {
                return fail(EINVAL);
            }
            maybeSweepEnded();
            return postNamed(ns, ukid) ? 0 : fail(EINVAL);
        }
        try {
            io.waitkit.PostWait.of(t).post();
            return 0;
        } catch (IllegalStateException ended) {
            return fail(EINVAL);
        }
    }

    /**
     * {@code pw_postv} with {@code count = targets.length}; see
     * {@link #pw_postv(int, long[], int[])}.
     *
     * @param targets the ukids to post
     * @param errors where to store each target's errno, or null
     * @return 0 if every post succeeded; -1 otherwise
     */
    public static int pw_postv(long[] targets, int[] errors) {
        if (targets == null) {
            return fail(EFAULT);
        }
        return pw_postv(targets.length, targets, errors);
    }

    /**
     * {@code pw_postv}: posts the first {@code count} targets, as {@link #pw_post(long)} each,
     * carrying on past a failed one. Never blocks.
     *
     * @param count the number of targets, 0 to {@link #pw_getvmax()}
     * @param targets the ukids to post
     * @param errors receives each target's errno (0 on success, {@link #EINVAL} for a
     *        non-existent thread or cross-process target) unless null
     * @return 0 if every post succeeded; -1 with {@link #EINVAL} if {@code count} is negative or
     *         above {@link #pw_getvmax()} (nothing posted) or some target does not exist (the
     *         others are posted); -1 with {@link #EFAULT} if {@code targets} is null or shorter
     *         than {@code count}, or {@code errors} is shorter (nothing posted)
     */
    public static int pw_postv(int count, long[] targets, int[] errors) {
        if (count < 0 || count > PW_VMAX) {
            return fail(EINVAL);
        }
        if (targets == null || targets.length < count || (errors != null && errors.length < count)) {
            return fail(EFAULT);
        }
        Thread[] threads = new Thread[count];
        int[] slotOf = new int[count];
        int known = 0;
        boolean allOk = true;
        Namespace ns = namespace;
        if (ns != null) {
            maybeSweepEnded();
        }
        for (int i = 0; i < count; i++) {
            Thread t = lookup(targets[i]);
            if (t == null) {
                slotOf[i] = ns != null && postNamed(ns, targets[i]) ? -2 : -1; // -2: posted across processes
                allOk &= slotOf[i] == -2;
            } else {
                slotOf[i] = known;
                threads[known++] = t;
            }
        }
        io.waitkit.PostWait.Result[] results = io.waitkit.PostWait.postAll(java.util.Arrays.copyOf(threads, known));
        for (int i = 0; i < count; i++) {
            boolean ok = slotOf[i] == -2 || (slotOf[i] >= 0 && results[slotOf[i]] != io.waitkit.PostWait.Result.NO_SUCH_THREAD);
            allOk &= ok;
            if (errors != null) {
                errors[i] = ok ? 0 : EINVAL;
            }
        }
        return allOk ? 0 : fail(EINVAL);
    }

    /**
     * {@code pw_getvmax}: the most targets one {@link #pw_postv} call accepts.
     *
     * @return {@value #PW_VMAX}
     */
    public static int pw_getvmax() {
        return PW_VMAX;
    }

    /**
     * {@link #pw_post(long)} under a shorter name.
     *
     * @param ukid the target's ukid
     * @return 0; -1 with {@link #EINVAL}
     */
    public static int post(long ukid) {
        return pw_post(ukid);
    }

    /**
     * {@link #pw_postv(long[], int[])} under a shorter name.
     *
     * @param targets the ukids to post
     * @param errors where to store each target's errno, or null
     * @return 0 if every post succeeded; -1 otherwise
     */
    public static int postv(long[] targets, int[] errors) {
        return pw_postv(targets, errors);
    }

    /**
     * {@link #pw_getvmax()} under a shorter name.
     *
     * @return {@value #PW_VMAX}
     */
    public static int getvmax() {
        return pw_getvmax();
    }
}
