package io.waitkit.zk;

import io.waitkit.internal.WaitOperation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * An auto- or manual-reset event in ZooKeeper, with pulse: a recipe of its own (Curator has
 * none).
 *
 * <pre>
 * {root}/{name}                  kind=event, manual=0|1, state=0|1
 * {root}/{name}/waiters/w-NNNN   ephemeral sequential: a process with threads waiting on it
 * </pre>
 *
 * <p><b>State.</b> Every change of {@code state} is a versioned rewrite of the event node
 * (read the version, then the data, then write with that version; a concurrent change makes
 * the write fail and the change is tried again on the new state). An auto-reset event's signal
 * is consumed by rewriting 1 to 0 the same way, so exactly one consumer wins it.
 *
 * <p><b>Waiting processes.</b> A process whose threads wait registers one waiter node and
 * watches the event node's data and its own waiter node, then reads the state: signalled
 * means its queue is served (manual: every waiter; auto: the signal is consumed in ZooKeeper
 * first, then handed to one waiter, and put back if the waiter left meanwhile). The local
 * value is 1 only during such a hand-off, so a thread that comes later always reads ZooKeeper
 * again (no stale copy). When no thread here waits any more, the waiter node is deleted.
 *
 * <p><b>Set and pulse from here.</b> {@code set()} of an auto-reset event with a thread waiting
 * here hands the signal to it before returning, without storing it; otherwise it stores the
 * signal, and the waiting processes' watches race to consume it (one wins). {@code pulse()}
 * leaves the state 0 and releases the threads waiting now: those of this process before it
 * returns, and for other processes it rewrites their waiter nodes (manual: every one; auto:
 * the first that still exists, only when no thread here waited), whose watches release the
 * threads queued there. A pulse reaches another process's threads when its watch fires, so a
 * thread that queued there in between may be released too.
 */
final class ZkEventProxy extends ZkProxy {
    final boolean manual;

    // confined to the namespace's thread
    private String myWaiterNode;
    private boolean watchingData;

    ZkEventProxy(ZkNamespace ns, String name, String path, boolean manual) {
        super(ns, name, path);
        this.manual = manual;
    }

    @Override
    String kind() {
        return "event";
    }

    @Override
    void checkReopen(Map<String, String> data) {
        boolean stored = "1".equals(data.get("manual"));
        if (stored != manual) {
            throw new IllegalArgumentException("event " + ZkNames.quote(name) + " exists as a "
                    + (stored ? "manual" : "auto") + "-reset event");
        }
    }

    // ---- engine hooks

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return value == 1 ? (manual ? 1 : 0) : UNAVAILABLE;
    }

    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        ns.onAgent(this::startWaiting);
        return value;
    }

    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        ns.onAgent(this::stopWaitingIfIdle);
        return value;
    }

    @Override
    protected boolean mayWake(long value) {
        return value == 1;
    }

    // ---- state in ZooKeeper

    private record State(int version, boolean signaled) {
    }

    private State read() throws Exception {
        int version = ZkVersions.current(ns.client, path);
        if (version < 0) {
            throw new KeeperException.NoNodeException(path);
        }
        Map<String, String> d = ZkNamespace.decode(ns.client.getData().forPath(path));
        return new State(version, "1".equals(d.get("state")));
    }

    private byte[] data(boolean signaled) {
        return ZkNamespace.encode(Map.of("kind", "event", "manual", manual ? "1" : "0", "state", signaled ? "1" : "0"));
    }

    /** Writes the state; returns the previous one. */
    private boolean write(boolean signaled) throws Exception {
        for (;;) {
            State s = read();
            if (s.signaled() == signaled) {
                return s.signaled();
            }
            try {
                ns.client.setData().withVersion(s.version()).forPath(path, data(signaled));
                return s.signaled();
            } catch (KeeperException.BadVersionException e) {
                // changed meanwhile: read again
            }
        }
    }

    /** Consumes a stored auto-reset signal: true if this call took it. */
    private boolean consume() throws Exception {
        for (;;) {
            State s = read();
            if (!s.signaled()) {
                return false;
            }
            try {
                ns.client.setData().withVersion(s.version()).forPath(path, data(false));
                return true;
            } catch (KeeperException.BadVersionException e) {
                // changed meanwhile: read again
            }
        }
    }

    /**
     * Serves the local queue with a signal: manual, every waiter; auto, one.
     *
     * @return whether a waiter took it
     */
    private boolean serveLocal() {
        long v = lockForSignal();
        boolean taken;
        try {
            boolean any = !queueEmpty();
            v = wake(1);
            taken = any && (manual || v == 0);
            v = 0;
        } finally {
            unlockAfterSignal(v);
        }
        return taken;
    }

    private boolean localWaiters() {
        long v = lockState();
        try {
            return !queueEmpty();
        } finally {
            unlockState(v);
        }
    }

    // ---- operations of the handle (calling thread)

    boolean set() {
        try {
            if (manual) {
                boolean prev = write(true);
                serveLocal();
                return prev;
            }
            State s = read();
            if (s.signaled()) {
                return true;
            }
            if (localWaiters() && serveLocal()) {
                return false; // handed to a thread here, never stored
            }
            write(true);
            return false;
        } catch (Exception e) {
            throw ZkNamespace.unreachable("set the event " + ZkNames.quote(name), e);
        }
    }

    boolean reset() {
        try {
            return write(false);
        } catch (Exception e) {
            throw ZkNamespace.unreachable("reset the event " + ZkNames.quote(name), e);
        }
    }

    boolean pulse() {
        try {
            boolean prev = write(false);
            boolean servedHere = localWaiters() && serveLocal();
            if (manual || !servedHere) {
                for (String w : waiterNodes()) {
                    if (w.equals(myWaiterNodeSnapshot)) {
                        continue;
                    }
                    try {
                        ns.client.setData().forPath(ZKPaths.makePath(waitersPath(), w), new byte[] {'p'});
                        if (!manual) {
                            break;
                        }
                    } catch (KeeperException.NoNodeException e) {
                        // that process stopped waiting
                    }
                }
            }
            return prev;
        } catch (Exception e) {
            throw ZkNamespace.unreachable("pulse the event " + ZkNames.quote(name), e);
        }
    }

    /** This JVM's waiter node as last published by the namespace's thread (pulse skips it). */
    private volatile String myWaiterNodeSnapshot;

    boolean isSignaled() {
        try {
            ns.syncForRead(path);
            return read().signaled();
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the event " + ZkNames.quote(name), e);
        }
    }

    /** The waiter nodes: the processes with threads waiting on the event. */
    @Override
    java.util.OptionalInt waiters() {
        try {
            ns.syncForRead(path);
            return java.util.OptionalInt.of(ns.client.getChildren().forPath(waitersPath()).size());
        } catch (KeeperException.NoNodeException e) {
            return java.util.OptionalInt.of(0);
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the event " + ZkNames.quote(name), e);
        }
    }

    /** A poll in ZooKeeper: a manual event's state, or an auto event's signal consumed. */
    boolean tryTake() {
        try {
            return manual ? read().signaled() : consume();
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the event " + ZkNames.quote(name), e);
        }
    }

    String stateText() {
        return (manual ? "manual" : "auto") + "-reset";
    }

    // ---- the namespace's thread

    private String waitersPath() {
        return ZKPaths.makePath(path, "waiters");
    }

    private List<String> waiterNodes() throws Exception {
        List<String> ws;
        try {
            ws = new ArrayList<>(ns.client.getChildren().forPath(waitersPath()));
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
        ws.sort(Comparator.comparing(w -> w.substring(w.length() - 10)));
        return ws;
    }

    private void startWaiting() {
        if (ns.isClosed() || !localWaiters()) {
            return;
        }
        try {
            if (myWaiterNode == null) {
                String p = ns.client.create().creatingParentContainersIfNeeded().withProtection().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath(ZKPaths.makePath(waitersPath(), "w-"), new byte[] {'w'});
                myWaiterNode = ZKPaths.getNodeFromPath(p);
                myWaiterNodeSnapshot = myWaiterNode;
                watchOwnNode();
            }
            check();
        } catch (Exception e) {
            failed(e);
        }
    }

    private void watchOwnNode() throws Exception {
        String node = myWaiterNode;
        Watcher w = event -> {
            // only a rewrite is a pulse: the node's deletion, or the end of the session, fires
            // this watch too, and must release nobody
            if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
                ns.onAgent(() -> pulsed(node));
            }
        };
        try {
            ns.client.getData().usingWatcher(w).forPath(ZKPaths.makePath(waitersPath(), node));
        } catch (KeeperException.NoNodeException e) {
            myWaiterNode = null; // gone with the session
            myWaiterNodeSnapshot = null;
        }
    }

    /** This JVM's waiter node was rewritten by a pulse: release the threads waiting here. */
    private void pulsed(String node) {
        if (!node.equals(myWaiterNode)) {
            return;
        }
        serveLocal();
        try {
            watchOwnNode();
        } catch (Exception e) {
            failed(e);
        }
        stopWaitingIfIdle();
    }

    /** Reads the state (watching it) and serves the local queue if signalled. */
    private void check() {
        if (ns.isClosed()) {
            return;
        }
        try {
            if (!watchingData) {
                watchingData = true;
                ns.client.getData().usingWatcher((Watcher) event -> ns.onAgent(() -> {
                    watchingData = false;
                    check();
                })).forPath(path);
            }
            if (localWaiters()) {
                if (manual) {
                    if (read().signaled()) {
                        serveLocal();
                    }
                } else {
                    while (localWaiters() && consume()) {
                        if (!serveLocal()) {
                            write(true); // the waiter left meanwhile: put the signal back
                            break;
                        }
                    }
                }
            }
            stopWaitingIfIdle();
        } catch (Exception e) {
            failed(e);
        }
    }

    private void stopWaitingIfIdle() {
        if (myWaiterNode == null || localWaiters()) {
            return;
        }
        String node = ZKPaths.makePath(waitersPath(), myWaiterNode);
        myWaiterNode = null;
        myWaiterNodeSnapshot = null;
        try {
            ns.client.delete().guaranteed().forPath(node);
        } catch (KeeperException.NoNodeException e) {
            // gone with the session
        } catch (Exception e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        // no server answered within Curator's retries: look again shortly
        watchingData = false;
        ns.onAgentLater(this::startWaiting);
    }

    @Override
    void sessionLost() {
        ns.onAgent(() -> {
            myWaiterNode = null;
            myWaiterNodeSnapshot = null;
            watchingData = false;
        });
    }

    @Override
    void reconnected() {
        ns.onAgent(this::startWaiting);
    }
}
