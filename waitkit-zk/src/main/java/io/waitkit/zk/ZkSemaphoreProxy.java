package io.waitkit.zk;

import io.waitkit.SemaphoreFullException;
import io.waitkit.internal.WaitOperation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * A counting semaphore in ZooKeeper whose taken permits are ephemeral leases of the taking
 * process's session.
 *
 * <pre>
 * {root}/{name}                   kind=semaphore, max=M (fixed at creation), base=B
 * {root}/{name}/leases/lease-T-N  ephemeral sequential, T = the token of the attempt that made it,
 *                                 data = session id of the holder and the token
 * </pre>
 *
 * <p><b>Count.</b> The permits available in ZooKeeper are {@code min(M, B - leases)}. Taking
 * one creates a lease in a transaction with a versioned rewrite of the semaphore node (so two
 * takers that read the same count cannot both succeed: the loser retries on the new version);
 * a process returns a permit by deleting one of its leases; a release by a process that holds
 * no lease adds to {@code B}, checked against {@code M}. A lease whose session ends vanishes
 * with it: its permit comes back without anyone releasing it, so permits never leak.
 *
 * <p><b>Local value.</b> The leases this JVM holds for no thread ("spare"); {@code inUse}
 * counts those taken by threads here. A queued waiter with no spare lease makes the
 * namespace's thread take leases one at a time, each handed to the local queue by a signal;
 * with none available it watches the semaphore node's data and the lease list (one watch of
 * each per process, left by the reading that found no permit: the processes waiting on one
 * semaphore all look again after a release).
 * A release by a thread here hands its lease to the next local waiter before it returns;
 * spare leases nobody here waits for are given back on the namespace's thread.
 *
 * <p><b>Session loss.</b> The leases are gone: spare and in use drop to zero (a later release
 * by a thread that held one then adds a permit, up to the maximum).
 */
final class ZkSemaphoreProxy extends ZkProxy {
    final int max;
    /** This JVM's lease nodes, newest last; spare and in use alike. */
    private final ConcurrentLinkedDeque<String> leases = new ConcurrentLinkedDeque<>();
    /** Leases taken by threads here; guarded by the local lock. */
    private int inUse;
    /** Confined to the namespace's thread: a watch is set and not yet fired. */
    private boolean watching;

    ZkSemaphoreProxy(ZkNamespace ns, String name, String path, int max) {
        super(ns, name, path);
        this.max = max;
    }

    @Override
    String kind() {
        return "semaphore";
    }

    @Override
    void checkReopen(Map<String, String> data) {
        int stored = Integer.parseInt(data.getOrDefault("max", "-1"));
        if (stored != max) {
            throw new IllegalArgumentException("semaphore " + ZkNames.quote(name) + " exists with max " + stored + ", not " + max);
        }
    }

    // ---- engine hooks

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return value >= arg ? value - arg : UNAVAILABLE;
    }

    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        inUse += (int) arg;
        return value;
    }

    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        if (value == 0) {
            ns.onAgent(this::fill);
        }
        return value;
    }

    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        ns.onAgent(this::returnSpare);
        return value;
    }

    @Override
    protected boolean mayWake(long value) {
        return value > 0;
    }

    // ---- ZooKeeper reads

    private String leasesPath() {
        return ZKPaths.makePath(path, "leases");
    }

    /** The permits available in ZooKeeper now, and the node's version and base. */
    private record Snapshot(int version, int base, int leases) {
        int available(int max) {
            return Math.max(0, Math.min(max, base - leases));
        }
    }

    private Snapshot snapshot() throws Exception {
        return snapshot(false);
    }

    /**
     * Reads the count: the node's data and version (one request) and the lease list.
     *
     * @param watch whether the reads also leave this process's watches, one on the node's data
     *        and one on the lease list (unless they are set and have not fired): so a reading
     *        that finds no permit is already watched, and either watch firing calls
     *        {@link #fill} again (namespace's thread only)
     */
    private Snapshot snapshot(boolean watch) throws Exception {
        Watcher w = null;
        if (watch && !watching) {
            w = event -> ns.onAgent(() -> {
                watching = false;
                fill();
            });
        }
        ZkVersions.Versioned node = ZkVersions.read(ns.client, path, w); // data and version in one request
        if (w != null) {
            watching = true;
        }
        int version = node.version();
        Map<String, String> d = ZkNamespace.decode(node.data());
        int base = Integer.parseInt(d.getOrDefault("base", "0"));
        List<String> ls;
        try {
            ls = w == null ? ns.client.getChildren().forPath(leasesPath())
                    : ns.client.getChildren().usingWatcher(w).forPath(leasesPath());
        } catch (KeeperException.NoNodeException e) {
            ls = List.of(); // no lease yet: the data watch covers a release
        }
        return new Snapshot(version, base, ls.size());
    }

    private byte[] data(int base) {
        return ZkNamespace.encode(Map.of("kind", "semaphore", "max", Integer.toString(max), "base", Integer.toString(base)));
    }

    /** Takes one lease if a permit is available: true if taken (added to {@link #leases}). */
    private boolean takeLease() throws Exception {
        return takeLease(false);
    }

    /**
     * Takes one lease if a permit is available.
     *
     * @param watch whether the readings leave the watches (see {@link #snapshot(boolean)}), so
     *        that a false answer is watched
     * @return true if taken (added to {@link #leases})
     */
    private boolean takeLease(boolean watch) throws Exception {
        for (;;) {
            Snapshot s = snapshot(watch);
            if (s.available(max) <= 0) {
                return false;
            }
            if (leaseTxn(s, s.base())) {
                return true;
            }
        }
    }

    /**
     * One transaction: the semaphore node rewritten with {@code base} at the version read, and
     * a lease created. The lease's name (and data) carries a token of this attempt: Curator
     * retries a transaction after a connection loss, and a first attempt that did reach the
     * server makes the retry fail on the version; the token finds the lease that attempt made
     * (one listing, no reads of the leases), which would otherwise be an orphan holding a
     * permit for as long as this session lives.
     *
     * @return true if the lease exists now; false if the version changed (read again)
     */
    private boolean leaseTxn(Snapshot s, int base) throws Exception {
        String token = UUID.randomUUID().toString();
        byte[] mine = (ns.sessionId() + " " + token).getBytes(StandardCharsets.UTF_8);
        try {
            List<CuratorTransactionResult> r = ns.client.transaction().forOperations(
                    ns.client.transactionOp().setData().withVersion(s.version()).forPath(path, data(base)),
                    ns.client.transactionOp().create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                            .forPath(ZKPaths.makePath(leasesPath(), "lease-" + token + "-"), mine));
            leases.addLast(r.get(1).getResultPath());
            return true;
        } catch (KeeperException.NoNodeException e) {
            // no lease folder (the first lease, or the server removed the empty container): make
            // it and read again; only then, so a lease costs no existence checks
            ns.client.createContainers(leasesPath());
            return false;
        } catch (KeeperException.BadVersionException | KeeperException.ConnectionLossException e) {
            String found = findLease(token);
            if (found != null) {
                leases.addLast(found);
                return true;
            }
            if (e instanceof KeeperException.BadVersionException) {
                return false;
            }
            throw e;
        }
    }

    private String findLease(String token) throws Exception {
        List<String> ls;
        try {
            ls = ns.client.getChildren().forPath(leasesPath());
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
        for (String l : ls) {
            if (l.contains(token)) { // the token is in the lease's name (and its data): one listing finds it
                return ZKPaths.makePath(leasesPath(), l);
            }
        }
        return null;
    }

    /** The permits available: ZooKeeper's count plus this JVM's spare leases. */
    int availablePermits() {
        try {
            ns.syncForRead(path);
            int zk = snapshot().available(max);
            long v = lockState();
            unlockState(v);
            return (int) Math.min(max, zk + v);
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the semaphore " + ZkNames.quote(name), e);
        }
    }

    // ---- operations of the handle

    int release(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("release count is negative: " + n);
        }
        int before = availablePermits();
        if (n == 0) {
            return before;
        }
        if ((long) before + n > max) {
            throw new SemaphoreFullException("releasing " + n + " permit(s) would raise the count of semaphore "
                    + ZkNames.quote(name) + " from " + before + " above its maximum " + max);
        }
        int own;
        long v = lockForSignal();
        try {
            own = Math.min(n, inUse);
            inUse -= own;
            v = wake(v + own);
        } finally {
            unlockAfterSignal(v);
        }
        if (own > 0) {
            returnSpare(); // on this thread: other processes see the permits once release returns
        }
        int rest = n - own;
        // a permit this JVM adds goes to a thread queued here before release returns: raised
        // and leased in one transaction, then handed over (the namespace's thread, which may
        // be taking a lease for the same waiter, gives back what is left spare)
        boolean leased = false;
        while (rest > 0 && localWaiterNeedsPermit()) {
            addToBaseAndLease();
            leased = true;
            rest--;
            v = lockForSignal();
            try {
                v = wake(v + 1);
            } finally {
                unlockAfterSignal(v);
            }
        }
        if (rest > 0) {
            addToBase(rest);
        }
        if (leased) {
            ns.onAgent(this::returnSpare);
        }
        return before;
    }

    /**
     * Turns one permit a thread here holds into a permit taken for good: one transaction
     * deletes one of this JVM's leases and lowers the base by one at the version read, so the
     * count stays the same and no longer depends on this session. A connection loss during the
     * transaction leaves it unknown whether it was applied: the lease is then read back; an
     * ephemeral lease of a session that is still the same one vanishes only by a delete, so
     * its absence means the transaction was applied; a new session means the lease went with
     * the old one (the permit came back) and this fails.
     */
    void detach() {
        long v = lockState();
        boolean held = inUse > 0;
        if (held) {
            inUse--;
        }
        unlockState(v);
        if (!held) {
            throw new IllegalStateException("no thread of this process holds a permit of semaphore " + ZkNames.quote(name));
        }
        String lease = leases.pollFirst();
        boolean done = false;
        try {
            if (lease == null) {
                throw new IllegalStateException("the permit of semaphore " + ZkNames.quote(name) + " was lost with the session");
            }
            String session = ns.sessionId();
            for (;;) {
                Snapshot s = snapshot();
                try {
                    ns.client.transaction().forOperations(
                            ns.client.transactionOp().delete().forPath(lease),
                            ns.client.transactionOp().setData().withVersion(s.version()).forPath(path, data(s.base() - 1)));
                    done = true;
                    return;
                } catch (KeeperException.BadVersionException e) {
                    // changed meanwhile: read again
                } catch (KeeperException.NoNodeException e) {
                    if (!session.equals(ns.sessionId())) {
                        throw new IllegalStateException("the permit of semaphore " + ZkNames.quote(name) + " was lost with the session");
                    }
                    done = true; // a retry after the first attempt was applied
                    return;
                }
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw ZkNamespace.unreachable("keep a permit of the semaphore " + ZkNames.quote(name), e);
        } finally {
            if (!done && lease != null) {
                leases.addFirst(lease);
                v = lockState();
                inUse++;
                unlockState(v);
            }
        }
    }

    private boolean localWaiterNeedsPermit() {
        long v = lockState();
        try {
            return v == 0 && !queueEmpty();
        } finally {
            unlockState(v);
        }
    }

    /** Raises the base by one and takes that permit as a lease of this JVM, atomically. */
    private void addToBaseAndLease() {
        try {
            for (;;) {
                Snapshot s = snapshot();
                if (s.available(max) + 1 > max) {
                    throw new SemaphoreFullException("releasing a permit would raise the count of semaphore "
                            + ZkNames.quote(name) + " above its maximum " + max);
                }
                if (leaseTxn(s, s.base() + 1)) {
                    return;
                }
            }
        } catch (SemaphoreFullException e) {
            throw e;
        } catch (Exception e) {
            throw ZkNamespace.unreachable("release the semaphore " + ZkNames.quote(name), e);
        }
    }

    /** A release beyond this JVM's leases: raises the base, checked against the maximum. */
    private void addToBase(int n) {
        try {
            for (;;) {
                Snapshot s = snapshot();
                if ((long) s.available(max) + n > max) {
                    throw new SemaphoreFullException("releasing " + n + " permit(s) would raise the count of semaphore "
                            + ZkNames.quote(name) + " from " + s.available(max) + " above its maximum " + max);
                }
                // a base above what the leases can use would make later leases' expiry overfill it
                int base = Math.min(s.base() + n, max + s.leases());
                try {
                    ns.client.setData().withVersion(s.version()).forPath(path, data(base));
                    return;
                } catch (KeeperException.BadVersionException e) {
                    // changed meanwhile: read again
                }
            }
        } catch (SemaphoreFullException e) {
            throw e;
        } catch (Exception e) {
            throw ZkNamespace.unreachable("release the semaphore " + ZkNames.quote(name), e);
        }
    }

    /** For a poll: one try to take a lease on the namespace's thread, waited for. */
    void tryLeaseNow() {
        if (ns.onAgentThread()) {
            leaseNow();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ns.onAgent(() -> {
            try {
                if (takeLease()) {
                    long v = lockForSignal();
                    try {
                        v = wake(v + 1);
                    } finally {
                        unlockAfterSignal(v);
                    }
                }
            } catch (Exception e) {
                failed(e);
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

    private void leaseNow() {
        try {
            if (takeLease()) {
                long v = lockForSignal();
                try {
                    v = wake(v + 1);
                } finally {
                    unlockAfterSignal(v);
                }
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    void pollDone() {
        ns.onAgent(this::returnSpare);
    }

    String stateText() {
        long v = lockState();
        try {
            return "max " + max + ", " + inUse + " taken here, " + v + " spare here";
        } finally {
            unlockState(v);
        }
    }

    // ---- the namespace's thread

    /** Takes leases while threads here wait and none is spare; watches when none is available. */
    private void fill() {
        if (ns.isClosed()) {
            return;
        }
        try {
            for (;;) {
                long v = lockState();
                boolean want = v == 0 && !queueEmpty();
                unlockState(v);
                if (!want) {
                    return;
                }
                if (!takeLease(true)) {
                    return; // the reading that found no permit left the watches
                }
                v = lockForSignal();
                try {
                    v = wake(v + 1);
                } finally {
                    unlockAfterSignal(v);
                }
            }
        } catch (Exception e) {
            failed(e);
        } finally {
            returnSpare();
        }
    }

    /** Gives back the spare leases nobody here waits for. */
    private void returnSpare() {
        long v = lockState();
        int give = 0;
        if (v > 0 && queueEmpty()) {
            give = (int) v;
            v = 0;
        }
        unlockState(v);
        for (int i = 0; i < give; i++) {
            String lease = leases.pollLast();
            if (lease == null) {
                break;
            }
            try {
                ns.client.delete().guaranteed().forPath(lease);
            } catch (KeeperException.NoNodeException e) {
                // gone with the session
            } catch (Exception e) {
                failed(e);
            }
        }
    }

    private void failed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        // no server answered within Curator's retries: look again shortly
        ns.onAgentLater(this::fill);
    }

    @Override
    void sessionLost() {
        long v = lockForSignal();
        try {
            inUse = 0;
            v = 0;
        } finally {
            unlockAfterSignal(v);
        }
        leases.clear();
        ns.onAgent(() -> watching = false);
    }

    @Override
    void reconnected() {
        ns.onAgent(this::fill);
    }
}
