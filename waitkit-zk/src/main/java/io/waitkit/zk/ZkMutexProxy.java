package io.waitkit.zk;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitOperation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.RetryLoop;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;

/**
 * A mutex in ZooKeeper, with this JVM as one participant of the lock recipe.
 *
 * <pre>
 * {root}/{name}                                kind=mutex
 * {root}/{name}/[prefix-]s{session}-lock-NNNN  ephemeral sequential lock node, data = {session}
 *                                              (prefix: Curator's protection; names without
 *                                              s{session}, of earlier versions: data only)
 * {root}/{name}/owner                          persistent marker, data = the holder's session
 * </pre>
 *
 * <p><b>Recipe.</b> A JVM that has local waiters and no lock node creates one, then
 * <i>looks</i>: one request, a read-only multi (servers of ZooKeeper 3.6 and later), lists the
 * children and reads the owner marker. If its node is not the lowest it watches only its
 * predecessor (getData with a watcher: no herd effect; a vanished predecessor just means "look
 * again"). With the lowest node the JVM holds the lock in ZooKeeper, and the marker the same
 * look read tells it what to write:
 * naming this session, nothing (the releaser handed it over, see below); none, create it with
 * this session; naming a session with a node in the listing (a claim, below), take it over;
 * naming a session without a node, that session ended while it held the lock: the mutex was
 * abandoned (confirmed by reading the marker, then listing, again).
 *
 * <p><b>Hand-off.</b> The look that found this JVM's node first also lists the node after it,
 * the <i>successor</i>, and its session (in its name). The release is then one transaction:
 * check that the successor's node exists, set the marker to the successor's session, delete
 * this JVM's node (a check, not a write: the successor's successor watches the successor's
 * node's data, and a write there would wake it for nothing). Committed, the successor's
 * node is the lowest (no node can come between two sequence numbers later, and the listing
 * had none), and the marker already names it: the successor's look after its watch fires
 * finds it first and named, and it owns with no write of its own (granted from the watch's own
 * thread, see below). A contended lock + unlock
 * is then five requests, as the plain recipe: create, look, watch, look, release. Without a
 * successor in that listing (none queued when this JVM was granted) the release is the plain
 * one (check this node, delete marker and node), and the next holder creates the marker.
 *
 * <p><b>Invariants.</b> (1) The lowest lock node's JVM holds the lock in ZooKeeper. (2) While
 * a JVM holds it and has written or been handed the marker ({@code markerMine}), the marker
 * names its session, and only that JVM changes or deletes it. (3) A marker naming session S
 * while S has no lock node means S's session ended while its node was the lowest (or while
 * it claimed, or after a release whose transaction failed for another reason than a lost
 * connection: the safe sides below): every way a live session's node leaves the queue either
 * clears or hands on the marker in the same transaction (the releases) or makes sure the
 * marker does not name it (the withdrawal). A
 * session that ends while it holds the lock in ZooKeeper is therefore reported to the next
 * holder, also when no thread there had taken the grant yet (a granted JVM, or a handed
 * successor whose look had not run): its process could not record that without a write of
 * its own, and reporting is the safe side, never missing an abandonment.
 *
 * <p><b>Races of the hand-off.</b> The successor's session ends between the releaser's look
 * and its release: the check fails, the transaction changes nothing, and the plain release
 * follows (the successor's node is gone, the next one creates the marker): the marker never
 * names a session that had ended when it was set, so no false abandonment, and no lock held
 * by nobody. The successor ends after the commit: reported, as any holder (invariant 3).
 * The successor's JVM withdraws its node (its waiters timed out, were cancelled, or took
 * another object) while the releaser hands it the lock: see {@link #withdrawNode}, which never
 * deletes a node that the marker names as the holder. The release transaction reaches no
 * server: node and marker stay, and the release is retried in order ({@link #retryRelease});
 * an attempt that did commit shows as this node gone. A retried attempt of a committed
 * hand-off fails on this node's absence and changes nothing.
 *
 * <p><b>Claims.</b> While the mutex looks free here (the last request of this JVM found its
 * node first at once), a request starts with a <i>claim</i> instead: one transaction creates
 * the marker and the lock node together, and fails if a marker exists (held or abandoned:
 * then the plain request follows). An uncontended lock + unlock is then three requests, as
 * the plain recipe: the claim, the listing, the release. A claim can succeed while a waiter
 * ahead has just been granted and not written its marker yet; the claimer's node is then not
 * first, and it gives the marker up ({@link #dropClaim}), while the granted waiter, finding a
 * marker of a session that still has a node queued, rewrites it as its own (which raises the
 * version). The give-way reads the marker after the listing and deletes it only if it still
 * names the claimer's session at version 0 (its own, unchanged), in a transaction with a check
 * that the listing's first node still exists: a versioned delete alone could remove a holder's
 * marker, since a marker taken over, deleted by that holder's release and made anew by the
 * next holder has version 0 again. A claimer whose session ends in that window, or whose
 * give-way finds the first node gone, leaves a marker that the next holder takes over or
 * reports as an abandonment: the safe side.
 *
 * <p><b>Local value.</b> {@code NONE}: this JVM does not hold the ZooKeeper lock;
 * {@code GRANTED}: it does, and no thread here owns the mutex; {@code HELD}: a thread here owns
 * it ({@link #owner}, {@link #holds}). A grant is handed to the local queue by a signal; a
 * final release hands it to the next local waiter, or (nobody queued here) gives it back to
 * ZooKeeper: value {@code NONE} first, under the lock, then the hand-off or the plain release
 * (see {@link #releaseInOrder});
 * when no server answers, the same release again once one does (the session lives on, so the
 * node and the marker are still this JVM's; deleting the node alone would leave a live
 * session's marker that the next holder reports as an abandonment); failing otherwise, the
 * node alone with Curator's guaranteed delete (retried in the background until it succeeds,
 * so this JVM's node cannot stay blocking everyone).
 *
 * <p><b>Session loss.</b> Curator's LOST means the session is gone and with it the ephemeral
 * lock node: the value becomes {@code NONE}, the owning thread (if any) stops owning it and its
 * {@code lockLost} future completes; the marker still names the dead session, so whoever gets
 * the lock next, in any process (also here, on the new session), is told of the abandonment.
 * A JVM with waiters still queued queues again once Curator has a new session.
 *
 * <p><b>Protected creates.</b> A lock node is created with Curator's protection (a unique
 * prefix in its name): after a connection loss Curator retries the create, and finds the node
 * an attempt that did reach the server made instead of making a second one, which would be an
 * orphan that blocks every other process while this session lives.
 *
 * <p><b>Grant from the watch.</b> The watch on the predecessor fires on ZooKeeper's event
 * thread, which sends the look itself, asynchronously ({@link #lookFromWatch}); the answer comes
 * on the same thread. When it shows this JVM's node first and the marker naming its session
 * (the lock was handed over: the common contended case, which needs no request of its own)
 * and no step of the namespace is running or queued, the grant runs right there as the
 * namespace's step, and the waiting thread is woken from the event thread: one thread switch
 * (event thread to waiter), as in Curator's recipe (whose watch wakes the waiting thread, which
 * lists), where it was two (event thread, namespace's thread, waiter). Every other answer goes
 * to the namespace's thread with the look (no second look), so that a step that makes a
 * request never blocks the event thread, which delivers every watch and answer of the client.
 * A grant nobody here waits for any more is given back from the namespace's thread.
 *
 * <p><b>Races.</b> Every ZooKeeper step runs as one of the namespace's steps, one at a time and
 * in order (on its thread, or inline on a caller's or the event thread when no step is running
 * or queued: {@code runInlineIfIdle}), so a JVM never has two lock nodes: a request ({@link #enqueued}) and a give-back ({@link #giveBack}) are
 * ordered there, and each re-reads the local state under the lock before acting. A grant that
 * arrives when every local waiter left (timed out, cancelled, took another object of a
 * wait-any) finds the queue empty and is given back at once. A {@code lock()} that made its
 * request inline ({@link #requestInline}) counts as a waiter until it has polled or queued, so
 * that a give-back in between cannot take its node or grant away, and its queueing asks for no
 * step: a contended lock + unlock that is handed the lock wakes the namespace's thread not at
 * all (request and release inline, the grant from the watch). A poll ({@code tryLock()}) asks
 * the namespace's thread to try once, without queueing in ZooKeeper, then polls the engine.
 */
final class ZkMutexProxy extends ZkProxy {
    static final long NONE = 0;
    static final long GRANTED = 1;
    static final long HELD = 2;

    // guarded by the local lock
    private Thread owner;
    private int holds;
    private boolean reportAbandoned;
    /** A thread here took an abandoned grant and the marker does not name this session yet. */
    private boolean claimPending;
    /**
     * The thread of a {@code lock()} that made its request inline ({@link #requestInline}) and
     * has not acquired or queued in the engine yet: it counts as a waiter here ({@link #wanted},
     * {@link #giveBack}), so that nothing gives this JVM's node or grant back before it polls or
     * queues, and its queueing needs no request step ({@link #enqueued}).
     */
    private Thread inlineCaller;
    private CompletableFuture<Void> lost;

    // confined to the namespace's thread
    private String myNode;
    private boolean granted;
    /** Whether the owner marker names this JVM's session (written or handed for the current grant). */
    private boolean markerMine;
    private long generation;
    /**
     * Whether the next request tries the claim ({@link #createNode}): true until a claim fails
     * or this JVM's node had to wait, again after a node that was first at once. Keeps the
     * claim's one failed write off the steady contended path.
     */
    private boolean tryClaim = true;
    /** The current node came with the marker (a claim) that its position decides about. */
    private boolean claimed;
    /** The current node waited for a predecessor. */
    private boolean waited;
    /** A grant sets the value without waking the local queue; the step's caller signals (grantFromWatch). */
    private boolean deferWake;
    /**
     * The node after this JVM's in the listing that found this JVM's node first (null: none):
     * the release hands the lock and the marker to it ({@link #releaseInOrder}).
     */
    private String successor;

    ZkMutexProxy(ZkNamespace ns, String name, String path) {
        super(ns, name, path);
    }

    @Override
    String kind() {
        return "mutex";
    }

    // ---- engine hooks (local lock held)

    @Override
    protected long acquireFor(long value, Thread who, long arg, WaitOperation op) {
        if (value == HELD) {
            if (owner != who) {
                return UNAVAILABLE;
            }
            return holds == Integer.MAX_VALUE ? OVERFLOW : HELD;
        }
        if (value == GRANTED) {
            return reportAbandoned ? HELD | MUST_REPORT : HELD;
        }
        return UNAVAILABLE;
    }

    @Override
    protected long acquired(long value, Thread who, long arg, WaitOperation op, boolean wasQueued) {
        if (inlineCaller == who) {
            inlineCaller = null;
        }
        if (owner == who) {
            holds++;
        } else {
            if (lostBy == who) {
                lostBy = null;
                lostFuture = null;
            }
            owner = who;
            holds = 1;
            if (reportAbandoned) {
                reportAbandoned = false;
                claimPending = true;
                ns.onAgent(this::claimMarker);
            }
            lost = null;
        }
        return value;
    }

    @Override
    protected long enqueued(long value, Thread who, long arg, WaitOperation op) {
        if (inlineCaller == who) {
            // its own inline step made the request; whatever became of the node since, every
            // step that dropped it checks wanted(), which counted this thread: no step needed
            inlineCaller = null;
        } else if (value == NONE) {
            ns.onAgent(this::request);
        }
        return value;
    }

    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        ns.onAgent(this::giveBack);
        return value;
    }

    @Override
    protected boolean mayWake(long value) {
        return value != NONE;
    }

    @Override
    protected RuntimeException reportException(int index, Object member) {
        return new AbandonedMutexException(index, (Waitable) member);
    }

    @Override
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalStateException("hold count overflow");
    }

    // ---- operations of the handle

    int release() {
        Thread me = Thread.currentThread();
        long v = lockForSignal();
        int before;
        CompletableFuture<Void> ended = null;
        try {
            if (v != HELD || owner != me) {
                throw new IllegalMonitorStateException(lostBy == me && lostFuture != null
                        ? "the mutex " + ZkNames.quote(name) + " was lost with this thread's ZooKeeper session"
                        : "the current thread does not own the mutex " + ZkNames.quote(name));
            }
            before = holds--;
            if (holds == 0) {
                owner = null;
                ended = lost;
                lost = null;
                v = wake(GRANTED);
            }
        } finally {
            unlockAfterSignal(v);
        }
        if (ended != null) {
            ended.cancel(false);
        }
        if (before == 1) {
            // the give-back is waited for, so that other processes can take the mutex once
            // unlock returns (as Curator's release does), and runs where the queue state lives
            awaitOnAgent(this::giveBack);
        }
        return before;
    }

    /** The thread whose ownership the last session loss ended, and its completed future. */
    private Thread lostBy;
    private CompletableFuture<Void> lostFuture;

    boolean isHeldByCurrentThread() {
        long v = lockState();
        try {
            return v == HELD && owner == Thread.currentThread();
        } finally {
            unlockState(v);
        }
    }

    int holdCountOfCurrentThread() {
        long v = lockState();
        try {
            return v == HELD && owner == Thread.currentThread() ? holds : 0;
        } finally {
            unlockState(v);
        }
    }

    int holdsOfAnyThread() {
        long v = lockState();
        try {
            return v == HELD ? holds : 0;
        } finally {
            unlockState(v);
        }
    }

    Thread ownerThread() {
        long v = lockState();
        try {
            return v == HELD ? owner : null;
        } finally {
            unlockState(v);
        }
    }

    CompletableFuture<Void> lockLost() {
        Thread me = Thread.currentThread();
        long v = lockState();
        try {
            if (v != HELD || owner != me) {
                if (lostBy == me && lostFuture != null) {
                    return lostFuture;
                }
                throw new IllegalMonitorStateException("the current thread does not own the mutex " + ZkNames.quote(name));
            }
            if (lost == null) {
                lost = new CompletableFuture<>();
            }
            return lost;
        } finally {
            unlockState(v);
        }
    }

    /**
     * For a poll: asks the namespace's thread to take the ZooKeeper lock for this JVM if it is
     * free right now (no queueing there), and waits for the answer.
     */
    void tryGrantNow() {
        if (ns.onAgentThread()) {
            if (!granted && myNode == null) {
                tryOnce();
            }
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ns.onAgent(() -> {
            try {
                if (!granted && myNode == null) {
                    tryOnce();
                }
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(ZkNamespace.CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the poll then fails
        }
    }

    /**
     * Runs a step on the namespace's thread and waits for it (bounded; a closed namespace skips
     * it); on the calling thread instead when the namespace is idle, connected, and the caller
     * is not interrupted (its ZooKeeper calls would fail at once). Connected: a step that has to
     * wait for a connection is left to the namespace's thread, so that the caller's wait stays
     * bounded whatever the client's retry policy.
     */
    private void awaitOnAgent(Runnable step) {
        if (ns.onAgentThread()) {
            step.run();
            return;
        }
        if (!Thread.currentThread().isInterrupted() && ns.client.getZookeeperClient().isConnected()
                && ns.runInlineIfIdle(step)) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ns.onAgent(() -> {
            try {
                step.run();
            } finally {
                done.complete(null);
            }
        });
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    done.get(ZkNamespace.CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | TimeoutException e) {
                    break; // ZooKeeper unreachable: the step goes on, and its retries, on that thread
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the mutex is abandoned: the marker names a session that holds no lock node. */
    boolean isAbandoned() {
        long lv = lockState();
        boolean heldHere = lv == HELD;
        unlockState(lv);
        if (heldHere) {
            return false; // a thread here took it (the marker may not name this session yet: claimMarker)
        }
        try {
            ns.syncForRead(path);
            for (;;) {
                // the children first: an orderly release deletes the marker and the node at
                // once, so a marker read after a listing that had the releaser's node is gone;
                // a node that vanishes during the pass means a release or a loss: read again
                List<String> nodes = sortedLockNodes();
                String session;
                try {
                    session = new String(ns.client.getData().forPath(markerPath()), StandardCharsets.UTF_8);
                } catch (KeeperException.NoNodeException e) {
                    return false;
                }
                boolean vanished = false;
                for (String n : nodes) {
                    try {
                        if (sessionOf(n).equals(session)) {
                            return false;
                        }
                    } catch (KeeperException.NoNodeException e) {
                        vanished = true;
                    }
                }
                if (!vanished) {
                    return true;
                }
            }
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the mutex " + ZkNames.quote(name), e);
        }
    }

    /** The session id recorded in the owner marker, or null. */
    String ownerSession() {
        try {
            ns.syncForRead(path);
            return new String(ns.client.getData().forPath(markerPath()), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the mutex " + ZkNames.quote(name), e);
        }
    }

    /** The lock nodes of sessions other than the holder's: the processes queued for the mutex. */
    @Override
    java.util.OptionalInt waiters() {
        try {
            String owner = ownerSession(); // after a sync
            int n = 0;
            for (String c : sortedLockNodes()) {
                try {
                    if (!new String(ns.client.getData().forPath(ZKPaths.makePath(path, c)), StandardCharsets.UTF_8).equals(owner)) {
                        n++;
                    }
                } catch (KeeperException.NoNodeException gone) {
                    // left meanwhile
                }
            }
            return java.util.OptionalInt.of(n);
        } catch (KeeperException.NoNodeException e) {
            return java.util.OptionalInt.of(0);
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the mutex " + ZkNames.quote(name), e);
        }
    }

    String stateText() {
        long v = lockState();
        try {
            return v == HELD ? "held here, holds " + holds : v == GRANTED ? "granted here" : "not held here";
        } finally {
            unlockState(v);
        }
    }

    // ---- session events (Curator's event thread)

    @Override
    void sessionLost() {
        CompletableFuture<Void> ended = null;
        long v = lockForSignal();
        try {
            if (v == HELD) {
                ended = lost != null ? lost : new CompletableFuture<>();
                lost = null;
                lostBy = owner;
                lostFuture = ended;
                owner = null;
                holds = 0;
            }
            v = NONE;
        } finally {
            unlockAfterSignal(v);
        }
        if (ended != null) {
            ended.complete(null);
        }
        ns.onAgent(() -> {
            generation++;
            myNode = null;
            granted = false;
            markerMine = false;
            claimed = false;
            successor = null;
        });
    }

    @Override
    void reconnected() {
        ns.onAgent(this::request);
    }

    // ---- the namespace's thread

    private boolean wanted() {
        long v = lockState();
        try {
            return v == NONE && (!queueEmpty() || inlineCaller != null);
        } finally {
            unlockState(v);
        }
    }

    private String markerPath() {
        return ZKPaths.makePath(path, "owner");
    }

    private List<String> sortedLockNodes() throws Exception {
        return sorted(ns.client.getChildren().forPath(path));
    }

    private static List<String> sorted(List<String> children) {
        List<String> out = new ArrayList<>();
        for (String c : children) {
            if (c.contains("lock-")) { // protected names: a prefix, then s{session}-lock-NNNNNNNNNN
                out.add(c);
            }
        }
        out.sort(Comparator.comparing(c -> c.substring(c.length() - 10)));
        return out;
    }

    /** The name a lock node of a session is created with (ZooKeeper appends the sequence number). */
    private String nodePrefix(String session) {
        return ZKPaths.makePath(path, "s" + session + "-lock-");
    }

    /**
     * The session a lock node's name records ({@code ...s{session}-lock-NNNNNNNNNN}), or null
     * for a name without it (made by an earlier version of this class: its data has it).
     */
    static String sessionOfName(String node) {
        int l = node.lastIndexOf("-lock-");
        if (l <= 0) {
            return null;
        }
        int s = node.lastIndexOf('-', l - 1) + 1;
        if (node.charAt(s) != 's' || l - s < 2) {
            return null;
        }
        for (int i = s + 1; i < l; i++) {
            if (Character.digit(node.charAt(i), 16) < 0) {
                return null;
            }
        }
        return node.substring(s + 1, l);
    }

    /** The session of a listed lock node: from its name, else its data; NoNodeException if it left. */
    private String sessionOf(String node) throws Exception {
        String s = sessionOfName(node);
        return s != null ? s : new String(ns.client.getData().forPath(ZKPaths.makePath(path, node)), StandardCharsets.UTF_8);
    }

    /** The queue and the owner marker's session (null: no marker), as one read. */
    private record Look(List<String> nodes, String marker, int markerVersion) {
    }

    /**
     * Lists the queue and reads the owner marker in one request (a read-only multi, served by
     * the connected server as one request, the listing first), with Curator's retries.
     *
     * @throws KeeperException.NoNodeException if the mutex's node is gone (unlinked)
     */
    private Look look() throws Exception {
        String ns0 = ns.client.getNamespace();
        String folder = ZKPaths.fixForNamespace(ns0, path);
        String marker = ZKPaths.fixForNamespace(ns0, markerPath());
        org.apache.curator.drivers.OperationTrace trace = ns.client.getZookeeperClient().startAdvancedTracer(LOOK_TRACE);
        List<OpResult> r = RetryLoop.callWithRetry(ns.client.getZookeeperClient(),
                () -> ns.client.getZookeeperClient().getZooKeeper().multi(List.of(Op.getChildren(folder), Op.getData(marker))));
        trace.setPath(folder).setRequestTransactionCount(2).setReturnCode(KeeperException.Code.OK.intValue()).commit();
        return lookOf(r, folder);
    }

    /**
     * The name of a look made on the calling thread in the traces of the client's
     * {@code TracerDriver} (Curator's operations are traced under their builders' names).
     */
    static final String LOOK_TRACE = "ZkMutexLook-Foreground";

    /** The answer of a look's multi as a {@link Look}; the listing's error (the mutex's node gone) thrown. */
    private static Look lookOf(List<OpResult> r, String folder) throws KeeperException {
        if (!(r.get(0) instanceof OpResult.GetChildrenResult children)) {
            throw KeeperException.create(KeeperException.Code.get(((OpResult.ErrorResult) r.get(0)).getErr()), folder);
        }
        OpResult.GetDataResult d = r.get(1) instanceof OpResult.GetDataResult g && g.getData() != null ? g : null;
        return new Look(sorted(children.getChildren()), d == null ? null : new String(d.getData(), StandardCharsets.UTF_8),
                d == null ? -1 : ZkVersions.of(d.getStat()));
    }

    /**
     * The watch on the predecessor of this JVM's node {@code node} fired (on ZooKeeper's event
     * thread). The look that decides is sent from here, asynchronously (the same read-only
     * multi as {@link #look}), so that its answer, which comes on the same thread, can grant
     * at once: when it shows {@code node} first and the marker naming its session (the
     * releaser handed the lock here, the common contended case), the grant needs no request of
     * its own, and it runs right there as the namespace's step if the namespace is idle
     * ({@link #grantFromWatch}): the watch event, then the look's answer, then the waiting
     * thread, as in Curator's recipe (whose watch wakes the waiting thread, which lists).
     * Every other answer (a write to make, a new predecessor to watch, a failure) goes to the
     * namespace's thread with the look ({@link #checkPosition}), never blocking ZooKeeper's
     * event thread; a look that failed is made again there, with Curator's retries.
     */
    private void lookFromWatch(long gen, String node) {
        if (ns.isClosed()) {
            return;
        }
        try {
            String ns0 = ns.client.getNamespace();
            String folder = ZKPaths.fixForNamespace(ns0, path);
            String marker = ZKPaths.fixForNamespace(ns0, markerPath());
            ns.client.getZookeeperClient().getZooKeeper().multi(List.of(Op.getChildren(folder), Op.getData(marker)),
                    (rc, p, ctx, results) -> afterWatchLook(gen, node, rc, results, folder), null);
        } catch (Exception e) {
            ns.onAgent(() -> checkPosition(gen)); // no handle now: the look on the namespace's thread
        }
    }

    /** The answer of {@link #lookFromWatch}'s look (ZooKeeper's event thread). */
    private void afterWatchLook(long gen, String node, int rc, List<OpResult> results, String folder) {
        Look look = null;
        if (rc == KeeperException.Code.OK.intValue() && results != null && results.size() == 2) {
            try {
                look = lookOf(results, folder);
            } catch (KeeperException e) {
                // the mutex's node is gone: the namespace's thread looks again and finds out
            }
        }
        if (look == null) {
            ns.onAgent(() -> checkPosition(gen));
            return;
        }
        Look seen = look;
        String session = sessionOfName(node);
        boolean handed = session != null && session.equals(seen.marker())
                && !seen.nodes().isEmpty() && seen.nodes().get(0).equals(node);
        if (handed && ns.runInlineIfIdle(() -> grantFromWatch(gen, node, seen))) {
            signal(); // the step has ended: the woken thread's unlock finds the namespace idle
            return;
        }
        // a node made after the watch was set has its own watch or grant: the look is of no use to it
        ns.onAgent(() -> checkPosition(gen, true, node.equals(myNode) ? seen : null));
    }

    /**
     * The namespace's step of a watch whose look showed {@code node} first and handed the lock
     * (run inline on ZooKeeper's event thread): grants with no request, as
     * {@link #checkPosition} does with that look, except that the local queue is woken by the
     * caller once the step has ended. A grant nobody here waits for any more is given back on
     * the namespace's thread (that is a request).
     */
    private void grantFromWatch(long gen, String node, Look seen) {
        boolean current;
        try {
            current = node.equals(myNode) && sessionOfName(node).equals(ns.sessionId());
        } catch (RuntimeException e) {
            current = false; // no session now: the namespace's thread sorts it out
        }
        if (!current) {
            // not this node's look (see afterWatchLook), or the session changed meanwhile: the
            // namespace's thread looks again
            ns.onAgent(() -> checkPosition(gen));
            return;
        }
        // whether a thread here waits now: if so, the signal after this step serves it, or it
        // leaves later, and its withdrawal or inlineDone asks for the give-back
        long v = lockState();
        boolean waiting = !queueEmpty() || inlineCaller != null;
        unlockState(v);
        // the wake comes after the step (afterWatchLook), so that the woken thread's unlock,
        // microseconds later with an empty critical section, finds the namespace idle
        deferWake = true;
        try {
            checkPosition(gen, false, seen);
        } finally {
            deferWake = false;
        }
        if (granted && !waiting) {
            v = lockState();
            boolean unwanted = v == GRANTED && queueEmpty() && inlineCaller == null;
            unlockState(v);
            if (unwanted) {
                ns.onAgent(this::giveBack);
            }
        }
    }

    /** Queues this JVM in ZooKeeper if waiters here need the lock. */
    private void request() {
        if (ns.isClosed() || granted || myNode != null || !wanted()) {
            return;
        }
        try {
            createNode();
            checkPosition(generation);
        } catch (Exception e) {
            failed(e);
        }
    }

    /**
     * Creates this JVM's lock node. If {@link #tryClaim}, first the <i>claim</i>: one
     * transaction that creates the owner marker (this session) and the lock node together, and
     * fails if a marker exists (the mutex is held, or abandoned). A claim whose node then turns
     * out not to be first (a waiter ahead was about to be granted) gives the marker up again
     * ({@link #dropClaim}), and a holder that finds a marker of a session that still has a node
     * queued takes it over (see {@link #onGranted}). So the uncontended path costs what a plain
     * lock recipe costs: this transaction, the listing, the release transaction.
     */
    private void createNode() throws Exception {
        String session = ns.sessionId();
        byte[] data = session.getBytes(StandardCharsets.UTF_8);
        claimed = false;
        waited = false;
        if (tryClaim) {
            try {
                List<CuratorTransactionResult> r = ns.client.transaction().forOperations(
                        ns.client.transactionOp().create().forPath(markerPath(), data),
                        ns.client.transactionOp().create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                                .forPath(nodePrefix(session), data));
                myNode = ZKPaths.getNodeFromPath(r.get(1).getResultPath());
                claimed = true;
                return;
            } catch (KeeperException.NodeExistsException e) {
                tryClaim = false;
                // a retried transaction whose first attempt reached the server (the connection
                // was lost before its answer) fails on the marker it made: adopt that node
                String own = ownNode(session);
                if (own != null) {
                    myNode = own;
                    claimed = true;
                    return;
                }
            } catch (KeeperException.NoNodeException e) {
                // the mutex node is gone (unlinked): the create below makes the parents
            }
        }
        myNode = ZKPaths.getNodeFromPath(ns.client.create().creatingParentContainersIfNeeded().withProtection()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(nodePrefix(session), data));
    }

    /** The lock node of a session (its data), or null; a JVM has at most one. */
    private String sessionNode(String session) throws Exception {
        for (String n : sortedLockNodes()) {
            try {
                if (sessionOf(n).equals(session)) {
                    return n;
                }
            } catch (KeeperException.NoNodeException e) {
                // left meanwhile
            }
        }
        return null;
    }

    /** This session's lock node, when the marker names this session; else null. */
    private String ownNode(String session) throws Exception {
        try {
            if (!new String(ns.client.getData().forPath(markerPath()), StandardCharsets.UTF_8).equals(session)) {
                return null;
            }
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
        return sessionNode(session);
    }

    /**
     * A claim whose node is not first: gives the marker the claim made up again, unless a
     * holder took it over or it is gone. A versioned delete alone (version 0, the claim's) is
     * not enough: a marker deleted after a take-over and made anew by a later holder has
     * version 0 too. So the marker is read first, after the listing that found {@code first}
     * ahead of this JVM's node: if it still names this session at version 0 it is the claim's
     * own (only this JVM makes markers naming its session, and every other change of a marker
     * names another session or raises its version); it is then deleted in one transaction with
     * a check that {@code first} still exists. While {@code first} exists it is the lowest
     * node (none can come before it later), and the marker it finds naming a queued session it
     * takes over (version 1 and above, while its node exists: a holder deletes the marker only
     * with its node); so a marker at version 0 then is still the claim's, and the transaction
     * never deletes a holder's marker. One request more than the plain delete, on the rare path
     * of a claim that raced a grant.
     *
     * @param first the lowest lock node in the listing that found this JVM's node behind it
     */
    private void dropClaim(String first) throws Exception {
        claimed = false;
        ZkVersions.Versioned m;
        try {
            m = ZkVersions.read(ns.client, markerPath());
        } catch (KeeperException.NoNodeException e) {
            return; // already gone (the holder ahead released, or the object was unlinked)
        }
        if (m.version() != 0 || !ns.sessionId().equals(new String(m.data(), StandardCharsets.UTF_8))) {
            return; // taken over by the holder, or a marker made anew: not the claim's
        }
        try {
            ns.client.transaction().forOperations(
                    ns.client.transactionOp().check().forPath(ZKPaths.makePath(path, first)),
                    ns.client.transactionOp().delete().withVersion(0).forPath(markerPath()));
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
            // taken over meanwhile, or the node ahead left (its release or withdrawal dealt
            // with the marker, or the next holder will take it over)
        }
    }

    /**
     * The uncontended path of {@code lock()}: when nobody here holds or waits for the mutex and
     * the namespace is idle, the calling thread makes the request a queued waiter would cause
     * (create this JVM's lock node, list the queue, write the marker if it is first) as the
     * namespace's step, and then polls. If the node is not first, it watches its predecessor
     * as usual, and the caller queues in the engine. From the step until it has polled or
     * queued the caller counts as a waiter here ({@link #inlineCaller}): nothing gives the node
     * or a grant back in between, and its queueing asks for no step (the namespace's thread is
     * not woken for a request the caller already made); {@link #inlineDone} ends that if the
     * caller did neither. Not at DISPATCH_LEVEL, where the wait throws before it looks.
     *
     * @return true if the step ran on the calling thread
     */
    boolean requestInline() {
        if (Thread.currentThread().isInterrupted() || !io.waitkit.Irql.canBlock()) {
            // the ZooKeeper calls would fail, or must not be made (DISPATCH_LEVEL: the wait
            // throws before it looks at the mutex): the queued path serves it
            return false;
        }
        long v = lockState();
        boolean idle = v == NONE && queueEmpty();
        unlockState(v);
        Thread me = Thread.currentThread();
        return idle && ns.runInlineIfIdle(() -> {
            long lv = lockState();
            inlineCaller = me; // until it polls or queues (enqueued, acquired, inlineDone)
            unlockState(lv);
            if (ns.isClosed() || granted || myNode != null) {
                return;
            }
            try {
                createNode();
                checkPosition(generation, false);
            } catch (Exception e) {
                failed(e);
            }
        });
    }

    /**
     * The end of a {@code lock()} whose request ran inline: if it neither acquired nor queued
     * (it failed in between), it no longer counts as a waiter, and what it left is given back
     * if nobody here needs it. Nothing to do (no step) after an acquisition or a queueing.
     */
    void inlineDone() {
        Thread me = Thread.currentThread();
        long v = lockState();
        boolean left = inlineCaller == me;
        if (left) {
            inlineCaller = null;
        }
        unlockState(v);
        if (left) {
            ns.onAgent(this::giveBack);
        }
    }

    /** A poll's single try: takes the lock only if no node is queued. */
    private void tryOnce() {
        try {
            if (!sortedLockNodes().isEmpty()) {
                return;
            }
            String session = ns.sessionId();
            myNode = ZKPaths.getNodeFromPath(ns.client.create().creatingParentContainersIfNeeded().withProtection()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath(nodePrefix(session), session.getBytes(StandardCharsets.UTF_8)));
            List<String> nodes = sortedLockNodes();
            if (!nodes.isEmpty() && nodes.get(0).equals(myNode)) {
                successor = nodes.size() > 1 ? nodes.get(1) : null;
                onGranted(false, null); // the poller gives it back if its poll does not take it
            } else {
                withdrawNode();
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    private void checkPosition(long gen) {
        checkPosition(gen, true, null);
    }

    private void checkPosition(long gen, boolean giveBackIfUnwanted) {
        checkPosition(gen, giveBackIfUnwanted, null);
    }

    /**
     * Looks at this JVM's place in the queue: takes the lock if its node is first, else
     * watches the predecessor.
     *
     * @param gen the session generation the node belongs to
     * @param giveBackIfUnwanted whether a grant nobody here waits for is given back at once
     *        (false for {@link #requestInline}, whose caller polls next)
     * @param first a look made after this node was created and after its last watch fired, to
     *        start with instead of a new one (see {@link #lookFromWatch}); null: look now
     */
    private void checkPosition(long gen, boolean giveBackIfUnwanted, Look first) {
        if (gen != generation || myNode == null || granted || ns.isClosed()) {
            return;
        }
        try {
            // a claim knows the marker (its own): a plain listing; otherwise the listing comes
            // with the marker, which tells a node that is first whether it was handed the lock
            boolean plain = claimed && first == null;
            for (;;) {
                List<String> nodes;
                Look look = null;
                if (first != null) {
                    look = first;
                    nodes = look.nodes();
                    first = null;
                } else if (plain) {
                    nodes = sortedLockNodes();
                    plain = false;
                } else {
                    look = look();
                    nodes = look.nodes();
                }
                int i = nodes.indexOf(myNode);
                if (i < 0) { // gone with the session: sessionLost resets, reconnected queues again
                    myNode = null;
                    claimed = false;
                    return;
                }
                if (i == 0) {
                    tryClaim = !waited;
                    successor = nodes.size() > 1 ? nodes.get(1) : null;
                    onGranted(giveBackIfUnwanted, look);
                    return;
                }
                if (claimed) {
                    dropClaim(nodes.get(0));
                }
                tryClaim = false;
                waited = true;
                String mine = myNode;
                Watcher w = event -> lookFromWatch(gen, mine);
                try {
                    ns.client.getData().usingWatcher(w).forPath(ZKPaths.makePath(path, nodes.get(i - 1)));
                    return; // the watch calls again
                } catch (KeeperException.NoNodeException e) {
                    // the predecessor left between the listing and the watch: look again
                }
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    /**
     * This JVM's node is the lowest: it holds the lock in ZooKeeper. A marker naming another
     * session means an abandonment: the marker is left as it is until a thread here takes the
     * grant ({@link #claimMarker}), so that a grant given back untaken leaves the mutex
     * abandoned; otherwise the marker is written now.
     */
    private void onGranted(boolean giveBackIfUnwanted, Look look) throws Exception {
        granted = true;
        String session = ns.sessionId();
        boolean abandoned = false;
        if (claimed) {
            claimed = false; // the claim made the marker with the node
            markerMine = true;
        } else if (look != null && session.equals(look.marker())) {
            // the releaser handed the lock and the marker to this node (or the marker is this
            // session's own, left from a release whose transaction could not run): nothing to write
            markerMine = true;
        } else if (look != null && look.marker() != null && hasSessionNode(look.nodes(), look.marker())) {
            // a claim of a session queued behind this node: take it over (see below)
            writeMarker(session);
        } else {
            try {
                // the common case, no marker: one request writes it (not a read, then a write)
                // no marker seen (or one naming a session without a node: read it again below,
                // so that only a marker and a listing read in this order report an abandonment)
                if (look != null && look.marker() != null) {
                    throw new KeeperException.NodeExistsException(markerPath());
                }
                ns.client.create().forPath(markerPath(), session.getBytes(StandardCharsets.UTF_8));
                markerMine = true;
            } catch (KeeperException.NodeExistsException e) {
                byte[] m;
                try {
                    m = ns.client.getData().forPath(markerPath());
                } catch (KeeperException.NoNodeException gone) {
                    m = null; // dropped or unlinked meanwhile: write it anew
                }
                String named = m == null ? null : new String(m, StandardCharsets.UTF_8);
                if (named == null || named.equals(session)) {
                    // none, or this session's own, left from a release whose transaction could
                    // not run: not an abandonment
                    writeMarker(session);
                } else if (sessionNode(named) != null) {
                    // a claim of a session queued behind this node (its transaction ran while
                    // this node was about to be granted): not an abandonment; take it over (the
                    // rewrite makes the claimer's versioned delete fail)
                    writeMarker(session);
                } else {
                    abandoned = true; // that session ended while it held the mutex
                }
            }
        }
        if (deferWake) {
            // the caller signals once its step has ended (grantFromWatch)
            long v = lockState();
            if (v == NONE) {
                reportAbandoned = abandoned;
                v = GRANTED;
            }
            unlockState(v);
        } else {
            long v = lockForSignal();
            try {
                if (v == NONE) {
                    reportAbandoned = abandoned;
                    v = wake(GRANTED);
                }
            } finally {
                unlockAfterSignal(v);
            }
        }
        if (giveBackIfUnwanted) {
            giveBack();
        }
    }

    /** Whether a listing has a lock node of the session. */
    private boolean hasSessionNode(List<String> nodes, String session) throws Exception {
        for (String n : nodes) {
            try {
                if (sessionOf(n).equals(session)) {
                    return true;
                }
            } catch (KeeperException.NoNodeException e) {
                // left meanwhile
            }
        }
        return false;
    }

    private void writeMarker(String session) throws Exception {
        byte[] mine = session.getBytes(StandardCharsets.UTF_8);
        try {
            ns.client.setData().forPath(markerPath(), mine);
        } catch (KeeperException.NoNodeException e) {
            ns.client.create().forPath(markerPath(), mine);
        }
        markerMine = true;
    }

    /** A thread here took an abandoned grant: the marker now names this JVM's session. */
    private void claimMarker() {
        long v = lockState();
        claimPending = false;
        unlockState(v);
        if (!granted || markerMine) {
            return;
        }
        try {
            writeMarker(ns.sessionId());
        } catch (Exception e) {
            failed(e);
        }
    }

    /** For a poll that did not take the grant {@link #tryGrantNow} got: give it back. */
    void pollDone() {
        ns.onAgent(this::giveBack);
    }

    /** Gives the ZooKeeper lock (or this JVM's place in its queue) back if nobody here needs it. */
    private void giveBack() {
        if (myNode == null) {
            return;
        }
        long v = lockState();
        boolean give;
        if (inlineCaller != null) {
            give = false; // a lock() about to poll or queue (inlineDone gives back if it does not)
        } else if (granted) {
            give = v == GRANTED && queueEmpty();
        } else {
            give = v == NONE && queueEmpty();
        }
        if (give) {
            v = NONE;
        }
        boolean claim = give && claimPending;
        if (claim) {
            claimPending = false;
        }
        unlockState(v);
        if (!give) {
            return;
        }
        try {
            if (claim) {
                // the thread that took the abandoned grant released it before the marker was
                // claimed: claim it now, so the orderly release below clears it
                writeMarker(ns.sessionId());
            }
            if (granted && markerMine) {
                releaseInOrder();
            } else if (granted) {
                deleteMyNode(); // an abandoned grant given back untaken: the marker stays
            } else {
                withdrawNode();
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    /**
     * The orderly release, one transaction. With a successor in the listing that granted this
     * JVM the lock, the <i>hand-off</i>: the successor's node rewritten (its version raised, and
     * the transaction fails if it is gone), the marker set to the successor's session, this
     * JVM's node deleted; the successor, first now, finds the marker naming it and writes
     * nothing. Without one, or when the hand-off fails because the successor left (its
     * session ended or it withdrew after the listing), the plain release: a check that this
     * JVM's node still exists (so this JVM still holds the lock and the marker is its own), the
     * marker and the node deleted. When no server answers within Curator's retries (a lost
     * connection, the session alive), nothing is deleted and the release is tried again in order
     * once one answers ({@link #retryRelease}): deleting the node alone would leave the marker
     * of a live session, which the next holder reports as an abandonment. If the transaction
     * fails otherwise, the node alone is deleted with Curator's guaranteed delete; the marker may
     * then stay, and the next holder is told of an abandonment that was a release: the safe side
     * of the ambiguity.
     */
    private void releaseInOrder() throws Exception {
        String node = ZKPaths.makePath(path, myNode);
        String next = successor;
        successor = null;
        String nextSession = next == null ? null : sessionOfName(next);
        try {
            if (nextSession != null) {
                byte[] heir = nextSession.getBytes(StandardCharsets.UTF_8);
                try {
                    ns.client.transaction().forOperations(
                            ns.client.transactionOp().check().forPath(ZKPaths.makePath(path, next)),
                            ns.client.transactionOp().setData().forPath(markerPath(), heir),
                            ns.client.transactionOp().delete().forPath(node));
                    released();
                    return;
                } catch (KeeperException.NoNodeException e) {
                    // the successor left, or this node is gone (the session ended, the object
                    // was unlinked, or an attempt that reached the server handed it already):
                    // the plain release below tells which, and changes nothing in the last case
                }
            }
            ns.client.transaction().forOperations(
                    ns.client.transactionOp().check().forPath(node),
                    ns.client.transactionOp().delete().forPath(markerPath()),
                    ns.client.transactionOp().delete().forPath(node));
            released();
        } catch (KeeperException.NoNodeException e) {
            if (failedOp(e) == 1) {
                deleteMyNode(); // no marker (the object was unlinked and made anew): the node alone
            } else {
                released(); // the node went with the session, or the object was unlinked
            }
        } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
            // no server answered within Curator's retries (a server restarting), the session
            // may well live on: deleting the node alone would leave this live session's marker,
            // and the next holder would report an abandonment although no session ended. Keep
            // node and marker and release in order once a server answers (retryRelease).
            ns.onAgentLater(this::retryRelease);
        } catch (KeeperException e) {
            deleteMyNode();
        }
    }

    private void released() {
        myNode = null;
        granted = false;
        markerMine = false;
    }

    /**
     * Takes this JVM's node, not granted here, out of the queue, unless a releaser handed it
     * the lock meanwhile: a plain delete would then leave the marker naming this live session
     * without a node, an abandonment reported to the next holder although nobody here held the
     * mutex. A look (listing and marker in one request) comes first: naming this session with
     * this node first, the lock was handed here, and it is given back in order. Otherwise the
     * node is deleted in one transaction that also makes sure the state is still the one the
     * look saw: the marker at the version read (checked; deleted, if it names this session: a
     * claim's leftover or a release's that could not run, no holder's), or, with none read, a
     * create and a delete of the marker (which fail if one was made meanwhile); and, when
     * another node was first, a check that it still exists.
     *
     * <p>The version alone is not enough: a marker can be deleted and made anew with the same
     * version between the look and the transaction (a holder's plain release deletes it, the
     * next holder creates it at version 0, and a hand-off from that one to this node rewrites
     * it to name this session at version 1, say), and the transaction would then delete the
     * node the marker names as the holder. While the node that was first exists, though, it
     * is the lowest (no node can come before it later), so only its JVM holds the lock; the
     * marker is deleted or handed on only with that node, in one transaction, and otherwise
     * only rewritten (its version raised). So a commit that finds that node and the marker's
     * version unchanged deletes this node while the marker still is the one the look read; a
     * hand-off to this node meanwhile fails it, and the loop looks again. Two requests;
     * withdrawals are the rare path.
     * When no server answers, the exception goes to the caller's {@link #failed}, and
     * {@link #recover} tries again.
     */
    private void withdrawNode() throws Exception {
        String node = ZKPaths.makePath(path, myNode);
        String session = ns.sessionId();
        byte[] mine = session.getBytes(StandardCharsets.UTF_8);
        for (;;) {
            Look look = look();
            if (!look.nodes().contains(myNode)) {
                released(); // gone with the session
                return;
            }
            String marker = look.marker();
            String first = look.nodes().get(0);
            boolean ahead = !first.equals(myNode);
            if (session.equals(marker) && !ahead) {
                // handed the lock: give it back in order
                granted = true;
                markerMine = true;
                successor = look.nodes().size() > 1 ? look.nodes().get(1) : null;
                releaseInOrder();
                return;
            }
            // a marker naming this session that is not the holder's is a claim of this JVM's left
            // over (its give-way did not reach a server), or this session's own from a release
            // whose transaction could not run; the holder would take it over, or, this node
            // gone, report an abandonment: it goes with the node
            List<org.apache.curator.framework.api.transaction.CuratorOp> ops = new java.util.ArrayList<>();
            if (ahead) {
                ops.add(ns.client.transactionOp().check().forPath(ZKPaths.makePath(path, first)));
            }
            if (session.equals(marker)) {
                ops.add(ns.client.transactionOp().delete().withVersion(look.markerVersion()).forPath(markerPath()));
            } else if (marker == null) {
                ops.add(ns.client.transactionOp().create().forPath(markerPath(), mine));
                ops.add(ns.client.transactionOp().delete().forPath(markerPath()));
            } else {
                ops.add(ns.client.transactionOp().check().withVersion(look.markerVersion()).forPath(markerPath()));
            }
            int nodeOp = ops.size();
            ops.add(ns.client.transactionOp().delete().forPath(node));
            try {
                ns.client.transaction().forOperations(ops);
                released();
                return;
            } catch (KeeperException.NoNodeException e) {
                if (failedOp(e) == nodeOp) {
                    released(); // gone with the session
                    return;
                }
                // the node ahead left, or the marker went meanwhile: look again
            } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
                // the marker changed meanwhile (a hand-off to this node, maybe): look again
            }
        }
    }

    /** The index of the operation that failed a transaction, or -1. */
    private static int failedOp(KeeperException e) {
        List<OpResult> r = e.getResults();
        if (r != null) {
            for (int i = 0; i < r.size(); i++) {
                if (r.get(i) instanceof OpResult.ErrorResult err && err.getErr() != KeeperException.Code.OK.intValue()
                        && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * An orderly release that could not reach a server, tried again: this JVM's node, if still
     * first, is granted again (the marker is this session's own, so no abandonment), then
     * given back in order or handed to a thread here that waits now; a node gone meanwhile (the
     * transaction did run, or the session ended) means queueing again if a thread here waits.
     */
    private void retryRelease() {
        if (ns.isClosed() || myNode == null || !granted) {
            return;
        }
        granted = false;
        checkPosition(generation);
        if (myNode == null) {
            request();
        }
    }

    private void deleteMyNode() throws Exception {
        String node = ZKPaths.makePath(path, myNode);
        myNode = null;
        granted = false;
        markerMine = false;
        try {
            ns.client.delete().guaranteed().forPath(node);
        } catch (KeeperException.NoNodeException e) {
            // gone with the session
        }
    }

    /** A ZooKeeper call failed: a connection problem is retried when Curator reconnects. */
    private void failed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof KeeperException.NoNodeException && !granted) {
            // the object was unlinked: queue again (the create makes the parents)
            myNode = null;
            ns.onAgent(this::request);
            return;
        }
        // no server answered within Curator's retries: try again shortly (a session loss
        // meanwhile resets the state first, through sessionLost)
        ns.onAgentLater(this::recover);
    }

    /** Picks up after a failed step, from wherever the failure left this JVM's part. */
    private void recover() {
        if (ns.isClosed()) {
            return;
        }
        if (myNode == null) {
            request();
            return;
        }
        if (!granted) {
            if (wanted()) {
                checkPosition(generation);
            } else {
                giveBack(); // the withdrawal again
            }
            return;
        }
        long v = lockState();
        boolean handed = v != NONE;
        unlockState(v);
        if (handed) {
            giveBack();
        } else {
            granted = false; // the grant never reached the local queue: look at the position again
            checkPosition(generation);
        }
    }
}
