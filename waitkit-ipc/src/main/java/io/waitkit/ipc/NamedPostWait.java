package io.waitkit.ipc;

import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import io.waitkit.ipc.internal.EventProxy;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.HeaderLayout;
import io.waitkit.ipc.internal.Kind;
import io.waitkit.ipc.internal.Mapping;
import io.waitkit.ipc.internal.ProcessIdentity;
import io.waitkit.ipc.internal.SectionLayout;
import io.waitkit.ipc.internal.SectionProxy;
import io.waitkit.ipc.internal.SyncLayout;
import io.waitkit.ipc.internal.Waits;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Post/wait between threads of different processes, after HP-UX {@code postwait(2)}: a
 * registration in a {@link Namespace} is a slot with <b>one pending-post flag</b> that any
 * thread of any process posts to by its number, the <b>ukid</b>, and that its owner waits on.
 *
 * <pre>{@code
 * Namespace ns = Namespace.user();
 * try (NamedPostWait me = ns.postWait()) {           // consumer
 *     publish(me.ukid());                            // e.g. in a SharedSection
 *     while (me.await(Duration.ofSeconds(5))) {
 *         drainQueue();
 *     }
 * }
 * ...
 * NamedPostWait.post(ns, consumerUkid);              // producer, in any process, registered or not
 * }</pre>
 *
 * <p><b>Rules.</b> A post sets the flag (waking a waiter); a post to a registration whose flag
 * is already set is <b>discarded</b> and still reported {@link Result#OK}. A wait consumes the
 * flag, or waits for a post. {@link #postv} posts many targets with a result per target and
 * carries on past a failed one. A post to a ukid that names no live registration (never issued,
 * closed, its process gone, 0 or negative) is {@link Result#NO_SUCH_TARGET}, never an exception.
 * Posts never block and need no registration of the poster. Actions of a poster before a post
 * happen-before the actions of the waiter after the wait that consumed it.
 *
 * <p><b>Ownership.</b> A registration is made for the calling thread ({@link #register}), which
 * is meant to be its only waiter (the HP-UX model: one flag per thread). The handle itself is
 * thread-safe: another thread may wait on it (a post then releases one waiter), and a
 * registration is a {@link Waitable}, so {@code Wait.any(timeout, me, shutdown)} waits for a
 * post together with in-process and other named objects. Close it when its thread is done
 * ({@link #close()}: posts fail from then on); a thread that ends without closing leaves the
 * registration alive, and posts to it succeed, until its process exits.
 *
 * <p><b>Waits</b> follow the named objects' rules (see {@link NamedEvent}): interruptible waits
 * throw {@link InterruptedException} with nothing consumed; zero or negative timeouts poll; a
 * platform thread sleeps in {@code futex} on the registration's word, a virtual thread parks
 * (this JVM's waiter pool blocks for it, it never blocks in a system call).
 *
 * <h2>Representation</h2>
 * A registration is an auto-reset named event in a hidden file of the namespace,
 * <code>.pw-<i>pid</i>-<i>seq</i></code>, whose synchronization block also holds its owner: the
 * pid, the process start time ({@code ProcessIdentity}, which survives pid reuse) and the Java
 * thread id of the registering thread (OWNER_PID, OWNER_START and OWNER_TID, unused by events
 * otherwise). The ukid is {@code pid << 32 | seq}: {@code seq} is a 32-bit number drawn from
 * the namespace-wide counter in the hidden section {@code .pw-seq} (starting at a random value
 * when the counter is created), so a ukid is not issued again in a namespace before 2<sup>32</sup>
 * further registrations, also when its pid is reused by a later process. Every ukid is positive
 * and at least 2<sup>32</sup>. Files whose names start with {@code .} are not listed by
 * {@link Namespace#list()} and cannot be opened through the public factories.
 *
 * <p><b>Posting</b> opens the file of the ukid's name (a registration of this JVM is posted
 * through its handle without any file operation; the mappings of the last 256 targets in other
 * processes are kept, so a repeated post costs no file operation either, only the owner's
 * liveness check, a read of {@code /proc/<pid>/stat}), checks that the recorded owner pid is the
 * ukid's and that the owner process (pid and start time) is alive, and sets the event. A closed
 * registration has its owner pid cleared before its file is unlinked, so a poster that opened it
 * just before sees it closed; a post that raced with the close and won is consumed by nobody
 * (as a post to a thread that exits). A file whose owner is dead is unlinked by the poster that
 * finds it so; {@link #register} sweeps the namespace's registrations of dead processes (the
 * first registration of this JVM in a namespace, then at most once a second), and
 * {@link #removeDead} does so on demand. Registrations are files with the namespace's
 * permissions: a process of another user may post only where a group-shared namespace lets it
 * open the file ({@link Result#FAILED} otherwise).
 */
public final class NamedPostWait extends WaitOperation implements Waitable, AutoCloseable {
    /** The result of a post to one target. */
    public enum Result {
        /** Posted, or discarded because a post was already pending. */
        OK,
        /**
         * No live registration has this ukid: never issued in this namespace, closed, its
         * process gone (a pid reused by another process included), or 0 or negative. HP-UX
         * reports this {@code EINVAL} ("non-existent kernel thread"), POSIX calls it
         * {@code ESRCH}.
         */
        NO_SUCH_TARGET,
        /**
         * The target's file exists but this process cannot open it: permission denied (another
         * user's registration), the descriptor limit, or another I/O error.
         */
        FAILED
    }

    /** The prefix of registration files. */
    static final String PREFIX = ".pw-";
    /** The namespace-wide counter of registration numbers. */
    static final String COUNTER = ".pw-seq";
    private static final long MIN_UKID = 1L << 32;
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /** This JVM's open registrations, by namespace directory and ukid: posted without file operations. */
    private record Key(Path directory, long ukid) {
    }

    private static final Map<Key, NamedPostWait> LOCAL = new ConcurrentHashMap<>();
    /** The counter mapping of each namespace this JVM registered in, kept for the JVM's life. */
    private static final Map<Path, Mapping> COUNTERS = new ConcurrentHashMap<>();
    /** When this JVM last swept each namespace ({@link System#nanoTime()}). */
    private static final Map<Path, Long> SWEPT = new ConcurrentHashMap<>();

    private final Namespace namespace;
    private final long ukid;
    private final Path file;
    private final HandleState<EventProxy> state;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NamedPostWait(Namespace namespace, long ukid, Path file, HandleState<EventProxy> state) {
        this.namespace = namespace;
        this.ukid = ukid;
        this.file = file;
        this.state = state;
    }

    // ---- registration

    /**
     * Registers the calling thread in a namespace: creates its registration, with no post
     * pending, and sweeps registrations of dead processes now and then (see the class comment).
     * Equivalent to {@link Namespace#postWait()}.
     *
     * @param namespace the namespace whose processes may post to it
     * @return the registration; close it when the thread is done with it
     * @throws IOException if the registration file cannot be created
     * @throws IllegalStateException if this process's start time cannot be read from
     *         {@code /proc}
     */
    public static NamedPostWait register(Namespace namespace) throws IOException {
        Objects.requireNonNull(namespace, "namespace");
        ProcessIdentity self = ProcessIdentity.self();
        Path dir = namespace.directory();
        maybeSweep(namespace);
        long tid = Thread.currentThread().threadId();
        for (int attempt = 0; ; attempt++) {
            long seq = nextSeq(namespace);
            long ukid = self.pid() << 32 | seq;
            String name = fileName(ukid);
            Mapping.Opened o;
            try {
                o = Mapping.open(dir, name, Kind.EVENT, 0L, 0L, body -> {
                    body.putLong((int) SyncLayout.OWNER_PID, self.pid());
                    body.putLong((int) SyncLayout.OWNER_START, self.startTime());
                    body.putLong((int) SyncLayout.OWNER_TID, tid);
                }, namespace.groupShared(), EventProxy::new);
            } catch (Mapping.WrongKind | HeaderLayout.CorruptException taken) {
                o = null; // a stray file under this name: take the next number
            }
            if (o != null && o.created()) {
                NamedPostWait r = new NamedPostWait(namespace, ukid, dir.resolve(name), new HandleState<>(o, EventProxy.class));
                LOCAL.put(new Key(dir, ukid), r);
                return r;
            }
            if (o != null) {
                o.mapping().release(); // the name existed (a stale file of a dead process with this pid)
            }
            if (attempt >= 64) {
                throw new IOException("cannot create a post/wait registration in " + dir + ": every number tried is taken");
            }
        }
    }

    private static long nextSeq(Namespace namespace) throws IOException {
        Mapping m = COUNTERS.get(namespace.directory());
        if (m == null) {
            Mapping.Opened o;
            try {
                o = Mapping.open(namespace.directory(), COUNTER, Kind.SECTION, 8L, 0L, body -> { }, namespace.groupShared(),
                        SectionProxy::new);
            } catch (Mapping.WrongKind | HeaderLayout.CorruptException e) {
                throw new CorruptObjectException(namespace.directory().resolve(COUNTER) + ": not the post/wait counter: "
                        + e.getMessage());
            }
            Mapping raced = COUNTERS.putIfAbsent(namespace.directory(), o.mapping());
            if (raced != null) {
                o.mapping().release();
                m = raced;
            } else {
                m = o.mapping();
            }
        }
        MemorySegment word = m.body().asSlice(SectionLayout.DATA, 8);
        if ((long) LONG.getVolatile(word, 0L) == 0L) { // a new counter starts at a random number
            long start = ThreadLocalRandom.current().nextLong(1L, 1L << 32);
            LONG.compareAndSet(word, 0L, 0L, start);
        }
        for (;;) {
            long seq = (long) LONG.getAndAdd(word, 0L, 1L) & 0xFFFF_FFFFL;
            if (seq != 0) {
                return seq;
            }
        }
    }

    // ---- the handle

    /**
     * The ukid other threads post to.
     *
     * @return a positive number, at least 2<sup>32</sup>: the owner's pid in the high half
     */
    public long ukid() {
        return ukid;
    }

    /**
     * The namespace of this registration.
     *
     * @return the namespace
     */
    public Namespace namespace() {
        return namespace;
    }

    /** {@inheritDoc} The registration's event proxy; throws once the registration is closed. */
    @Override
    protected WaitObject target() {
        return proxy();
    }

    private EventProxy proxy() {
        if (closed.get()) {
            throw new IllegalStateException("post/wait registration " + ukid + " is closed");
        }
        return state.proxy();
    }

    /**
     * Waits until posted, consuming the post.
     *
     * @throws InterruptedException if interrupted first (nothing consumed)
     * @throws IllegalStateException if closed, or it would block at
     *         {@link io.waitkit.Irql#DISPATCH_LEVEL}
     */
    public void await() throws InterruptedException {
        HandleState<EventProxy> ref = reference();
        try {
            Waits.await(ref.proxy(), true);
        } finally {
            ref.close();
        }
    }

    /**
     * Waits until posted, ignoring interrupts (re-asserted on return).
     *
     * @throws IllegalStateException if closed, or it would block at
     *         {@link io.waitkit.Irql#DISPATCH_LEVEL}
     */
    public void awaitUninterruptibly() {
        HandleState<EventProxy> ref = reference();
        try {
            Waits.await(ref.proxy(), false);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible
        } finally {
            ref.close();
        }
    }

    /**
     * Waits at most {@code timeout} for a post; zero or negative polls.
     *
     * @param timeout the longest wait
     * @return true if a post was consumed, false on timeout
     * @throws InterruptedException if interrupted first (nothing consumed)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if closed, or it would block at
     *         {@link io.waitkit.Irql#DISPATCH_LEVEL}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            return tryAwait();
        }
        HandleState<EventProxy> ref = reference();
        try {
            return Waits.await(ref.proxy(), timeout) == WaitEngine.ACQUIRED;
        } finally {
            ref.close();
        }
    }

    /**
     * Consumes a pending post; never blocks.
     *
     * @return true if a post was pending (now consumed)
     * @throws IllegalStateException if closed
     */
    public boolean tryAwait() {
        return Waits.poll(proxy()) == WaitEngine.ACQUIRED;
    }

    /**
     * A reference to the mapping for one blocking wait, so that a {@link #close()} meanwhile
     * leaves the mapping to the wait (a thread asleep in {@code futex} holds the memory).
     */
    private HandleState<EventProxy> reference() {
        proxy(); // throws once closed
        return state.duplicate();
    }

    /** Blocked waits of every process on this registration (for tests). */
    int waiters() {
        return proxy().waiters();
    }

    /**
     * Waits asynchronously: the future completes once a post is consumed for it; cancelling a
     * pending future withdraws the wait.
     *
     * @return the future
     * @throws IllegalStateException if closed
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(proxy(), 1, this);
    }

    /**
     * Whether a post is pending, a snapshot.
     *
     * @return true if posted and not yet consumed
     * @throws IllegalStateException if closed
     */
    public boolean isPosted() {
        return proxy().isSignaled();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true if closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Ends the registration: posts to its ukid fail with {@link Result#NO_SUCH_TARGET} from now
     * on, and its file is unlinked. A wait in progress is not woken (it ends by its timeout, an
     * interrupt or a post that raced with the close). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOCAL.remove(new Key(namespace.directory(), ukid), this);
        try {
            SyncLayout.setLongRelease(state.mapping().body(), SyncLayout.OWNER_PID, 0L); // closed, for posters that opened it
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the owner pid is cleared: posters see it closed; a sweep removes the file once this process is gone
        } finally {
            state.close();
        }
    }

    /**
     * Describes the registration.
     *
     * @return for example {@code NamedPostWait[ukid=0x3039000001a4, posted]}
     */
    @Override
    public String toString() {
        String st;
        try {
            st = closed.get() ? "closed" : state.proxy().isSignaled() ? "posted" : "not posted";
        } catch (IllegalStateException closedMeanwhile) {
            st = "closed";
        }
        return "NamedPostWait[ukid=0x" + Long.toHexString(ukid) + ", " + st + "]";
    }

    // ---- posting

    /**
     * Posts the registration named by {@code ukid}: wakes its waiter or leaves the post
     * pending; discarded (still {@link Result#OK}) if a post is pending already. Never blocks;
     * the caller needs no registration.
     *
     * @param namespace the namespace the target registered in
     * @param ukid the target
     * @return {@link Result#OK}, {@link Result#NO_SUCH_TARGET} or {@link Result#FAILED}
     * @throws NullPointerException if {@code namespace} is null
     */
    public static Result post(Namespace namespace, long ukid) {
        Objects.requireNonNull(namespace, "namespace");
        if (ukid < MIN_UKID || (ukid & 0xFFFF_FFFFL) == 0) {
            return Result.NO_SUCH_TARGET;
        }
        Path dir = namespace.directory();
        NamedPostWait local = LOCAL.get(new Key(dir, ukid));
        if (local != null) {
            try {
                local.proxy().set();
                return Result.OK;
            } catch (IllegalStateException closedMeanwhile) {
                return Result.NO_SUCH_TARGET;
            }
        }
        Key key = new Key(dir, ukid);
        HandleState<EventProxy> ref = cachedTarget(key);
        boolean fresh = ref == null;
        if (fresh) {
            Mapping.Opened o;
            try {
                o = Mapping.open(dir, fileName(ukid), Kind.EVENT, 0L, 0L, null, namespace.groupShared(), EventProxy::new);
            } catch (NoSuchFileException | Mapping.WrongKind | HeaderLayout.CorruptException none) {
                return Result.NO_SUCH_TARGET;
            } catch (IOException | RuntimeException e) {
                return Result.FAILED;
            }
            ref = new HandleState<>(o, EventProxy.class);
        }
        try {
            Mapping m = ref.mapping();
            MemorySegment body = m.body();
            long pid = SyncLayout.getLongAcquire(body, SyncLayout.OWNER_PID);
            long start = SyncLayout.getLongAcquire(body, SyncLayout.OWNER_START);
            if (pid != ukid >>> 32) {
                forget(key);
                return Result.NO_SUCH_TARGET; // closed (owner cleared), or not a registration of this pid
            }
            if (!ProcessIdentity.isAlive(pid, start)) {
                forget(key);
                removeIfSame(m.path(), pid, start);
                return Result.NO_SUCH_TARGET;
            }
            if (fresh) {
                remember(key, ref.duplicate());
            }
            ref.proxy().set();
            return Result.OK;
        } finally {
            ref.close();
        }
    }

    // ---- the targets this JVM posted to: mapped once, not per post

    /** The most targets whose mappings this JVM keeps for its next posts. */
    private static final int TARGET_CACHE_SIZE = 256;
    /** Mappings of recent targets in other processes, least recently posted first; guarded by itself. */
    private static final LinkedHashMap<Key, HandleState<EventProxy>> TARGETS = new LinkedHashMap<>(16, 0.75f, true);

    /** A reference of its own to the cached mapping of a target, or null. */
    private static HandleState<EventProxy> cachedTarget(Key key) {
        synchronized (TARGETS) {
            HandleState<EventProxy> s = TARGETS.get(key);
            return s == null ? null : s.duplicate();
        }
    }

    /** Caches a reference (owned by the cache from now on), evicting the least recent target beyond the bound. */
    private static void remember(Key key, HandleState<EventProxy> s) {
        HandleState<EventProxy> replaced;
        HandleState<EventProxy> evicted = null;
        synchronized (TARGETS) {
            replaced = TARGETS.put(key, s);
            if (TARGETS.size() > TARGET_CACHE_SIZE) {
                Iterator<HandleState<EventProxy>> eldest = TARGETS.values().iterator();
                evicted = eldest.next();
                eldest.remove();
            }
        }
        if (replaced != null) {
            replaced.close();
        }
        if (evicted != null) {
            evicted.close();
        }
    }

    /** Drops a target that is closed or dead from the cache. */
    private static void forget(Key key) {
        HandleState<EventProxy> s;
        synchronized (TARGETS) {
            s = TARGETS.remove(key);
        }
        if (s != null) {
            s.close();
        }
    }

    /**
     * Posts every target, as {@link #post(Namespace, long)} each, carrying on past a failed
     * one. Never blocks.
     *
     * @param namespace the namespace the targets registered in
     * @param ukids the targets (may repeat one: the second post is discarded, and OK)
     * @return a result per target, in order
     * @throws NullPointerException if {@code namespace} or {@code ukids} is null
     */
    public static Result[] postv(Namespace namespace, long[] ukids) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(ukids, "ukids");
        Result[] results = new Result[ukids.length];
        for (int i = 0; i < ukids.length; i++) {
            results[i] = post(namespace, ukids[i]);
        }
        return results;
    }

    // ---- the dead

    /**
     * Removes the registration files of processes that are gone (also of a process whose pid is
     * now another process's). Registrations of live processes, and files that are not
     * registrations, are left alone. {@link #register} and {@link #post} do this by themselves
     * (see the class comment); this is for tools and tests.
     *
     * @param namespace the namespace
     * @return how many files were removed
     * @throws IOException if the directory cannot be read
     */
    public static int removeDead(Namespace namespace) throws IOException {
        Objects.requireNonNull(namespace, "namespace");
        ProcessIdentity self = ProcessIdentity.self();
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(namespace.directory(), PREFIX + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.equals(COUNTER) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long[] owner = readOwner(p);
                if (owner == null || (owner[0] == self.pid() && owner[1] == self.startTime())) {
                    continue; // not a registration, or this process's (live, or closing)
                }
                if (owner[0] == 0 || !ProcessIdentity.isAlive(owner[0], owner[1])) {
                    removed += removeIfSame(p, owner[0], owner[1]) ? 1 : 0;
                }
            }
        }
        return removed;
    }

    private static void maybeSweep(Namespace namespace) {
        long now = System.nanoTime();
        Long last = SWEPT.get(namespace.directory());
        if (last != null && now - last < SWEEP_INTERVAL_NANOS) {
            return;
        }
        SWEPT.put(namespace.directory(), now);
        try {
            removeDead(namespace);
        } catch (IOException | RuntimeException e) {
            // best effort: the registration itself reports real failures
        }
    }

    /**
     * The owner words of a registration file (pid, start time), read with plain file reads, or
     * null if the file is not a well-formed event file (or is gone).
     */
    private static long[] readOwner(Path p) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.allocate(HeaderLayout.SIZE + (int) SyncLayout.SIZE);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read the header and the synchronization block
            }
            b.flip();
            HeaderLayout.Fields h = HeaderLayout.read(b.slice(0, Math.min(b.limit(), HeaderLayout.SIZE)), ch.size());
            if (h.kind() != Kind.EVENT || b.limit() < b.capacity()) {
                return null;
            }
            b.order(ByteOrder.LITTLE_ENDIAN);
            return new long[] {b.getLong(HeaderLayout.SIZE + (int) SyncLayout.OWNER_PID),
                    b.getLong(HeaderLayout.SIZE + (int) SyncLayout.OWNER_START)};
        } catch (IOException | HeaderLayout.CorruptException | RuntimeException e) {
            return null;
        }
    }

    /** Unlinks a dead registration if the name still holds a file with that owner (not a newer file). */
    private static boolean removeIfSame(Path p, long pid, long start) {
        long[] now = readOwner(p);
        if (now == null || now[0] != pid || now[1] != start) {
            return false;
        }
        try {
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            return false;
        }
    }

    static String fileName(long ukid) {
        return PREFIX + (ukid >>> 32) + "-" + (ukid & 0xFFFF_FFFFL);
    }
}
