package io.waitkit.zk;

import io.waitkit.internal.Pairing;
import io.waitkit.internal.WaitOperation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * A cyclic barrier in ZooKeeper whose arrivals are ephemeral nodes of the arriving process's
 * session.
 *
 * <pre>
 * {root}/{name}            kind=barrier, parties=P (fixed at creation), gen=G,
 *                          trips=the member nodes of the latest rounds (G':token:a-G'-N a-G'-M ...;...)
 * {root}/{name}/a-G-NNNN   ephemeral sequential: one arrival of round G, data = session id and a token
 * </pre>
 *
 * <p><b>Rounds.</b> Every arrival is a transaction that rewrites the barrier node at the
 * version read (so it is of the round read: a concurrent trip makes it fail and it is tried
 * again in the next round) and creates its node; the arrival that finds {@code P - 1} nodes of
 * round {@code G} creates none and trips instead: one transaction rewrites the node at the
 * version read with {@code gen = G + 1} and the round's members recorded, and deletes every
 * member node. An arrival taken back (timeout, interrupt, cancel, another object of a
 * wait-any) deletes its node; a member whose session ends loses its node with it. Either makes
 * a trip that counted the node fail on its delete, and the tripper counts again: a round
 * never includes an arrival that is gone, so a dead member leaves no phantom arrival.
 * Whatever arrives or trips in between changes the version and makes the trip fail the same
 * way.
 *
 * <p><b>Release.</b> A member learns that its round tripped when its node is deleted (one
 * exists-watch per node) and the latest trips recorded in the barrier node name it; a node
 * gone without being named (session ended) is an arrival to make again. Tokens settle a
 * transaction that Curator retried after a lost connection (the first attempt may have gone
 * through: the retry then fails on the version, and the token in a node or in the trips
 * record tells what happened).
 *
 * <p><b>Local value.</b> The released arrivals not yet handed to a waiter; 0 outside a hand-off
 * (the leftover of a round whose local waiter left at that moment is dropped).
 * {@link #pending} counts this JVM's queued waiters (each one arrival), guarded by the local
 * lock; the namespace's thread keeps as many arrival nodes as there are pending waiters
 * ({@link #reconcile}), and a released node is handed to the oldest waiter: this JVM's arrivals
 * are interchangeable. A poll ({@code tryAwait}) runs on that thread too, after the arrivals of
 * the waiters queued before it, and trips only if it completes the round.
 */
final class ZkBarrierProxy extends ZkProxy {
    /** Rounds whose members the barrier node records. */
    static final int TRIPS = 8;

    /**
     * A barrier's round forms in ZooKeeper, never from this JVM's queue alone; answering a
     * pairing keeps the barrier out of wait-alls, as the in-process barrier. Never asked to pair.
     */
    private static final Pairing<ZkBarrierProxy> ROUNDS_IN_ZOOKEEPER = new Pairing<>() {
        @Override
        protected long paired(ZkBarrierProxy b, long value, Thread ownerA, WaitOperation opA, Thread ownerB,
                WaitOperation opB, boolean aWasQueued) {
            throw new AssertionError("a ZooKeeper barrier never pairs locally");
        }
    };

    final int parties;
    /** Waiters queued here; guarded by the local lock. */
    private int pending;
    /** Confined to the namespace's thread: this JVM's arrival nodes (name to round), oldest first. */
    private final Map<String, Integer> mine = new LinkedHashMap<>();

    ZkBarrierProxy(ZkNamespace ns, String name, String path, int parties) {
        super(ns, name, path);
        this.parties = parties;
    }

    @Override
    String kind() {
        return "barrier";
    }

    @Override
    void checkReopen(Map<String, String> data) {
        int stored = Integer.parseInt(data.getOrDefault("parties", "-1"));
        if (stored != parties) {
            throw new IllegalArgumentException("barrier " + ZkNames.quote(name) + " exists with " + stored + " parties, not " + parties);
        }
    }

    // ---- engine hooks (local lock held)

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (parties == 1) {
            return value; // every arrival completes its round alone
        }
        return value > 0 ? value - 1 : UNAVAILABLE;
    }

    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        if (wasQueued) {
            pending--;
        }
        return value;
    }

    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        pending++;
        ns.onAgent(this::reconcile);
        return value;
    }

    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        pending--;
        ns.onAgent(this::reconcile);
        return value;
    }

    @Override
    protected boolean mayWake(long value) {
        return value > 0;
    }

    @Override
    protected Pairing<?> pairing() {
        return ROUNDS_IN_ZOOKEEPER;
    }

    // ---- the barrier node

    /** The barrier node as read: its version, round, and the latest trips (round to token and members). */
    private record State(int version, int gen, Map<Integer, String> trips) {
        boolean tripped(String node, int round) {
            String t = trips.get(round);
            if (t == null) {
                return false;
            }
            for (String m : t.substring(t.indexOf(':') + 1).split(" ")) { // token:members
                if (m.equals(node)) {
                    return true;
                }
            }
            return false;
        }
    }

    private State read() throws Exception {
        for (;;) {
            int version = ZkVersions.current(ns.client, path);
            if (version < 0) {
                throw new KeeperException.NoNodeException(path);
            }
            Map<String, String> d = ZkNamespace.decode(ns.client.getData().forPath(path));
            if (ZkVersions.current(ns.client, path) != version) {
                continue; // changed between the two reads
            }
            Map<Integer, String> trips = new LinkedHashMap<>();
            String t = d.getOrDefault("trips", "");
            if (!t.isEmpty()) {
                for (String r : t.split(";")) {
                    int c = r.indexOf(':');
                    trips.put(Integer.parseInt(r.substring(0, c)), r.substring(c + 1));
                }
            }
            return new State(version, Integer.parseInt(d.getOrDefault("gen", "0")), trips);
        }
    }

    private byte[] data(int gen, Map<Integer, String> trips) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Integer, String> e : trips.entrySet()) {
            if (!b.isEmpty()) {
                b.append(';');
            }
            b.append(e.getKey()).append(':').append(e.getValue());
        }
        return ZkNamespace.encode(Map.of("kind", "barrier", "parties", Integer.toString(parties), "gen", Integer.toString(gen),
                "trips", b.toString()));
    }

    private static String prefix(int gen) {
        return "a-" + gen + "-";
    }

    /** The arrival nodes of round {@code gen}, of every process. */
    private List<String> arrivals(int gen) throws Exception {
        List<String> out = new ArrayList<>();
        for (String c : ns.client.getChildren().forPath(path)) {
            if (c.startsWith(prefix(gen))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * One arrival in ZooKeeper: trips the round if it completes it (then the released nodes of
     * this JVM are handed to its waiters), else creates a node (only if {@code createNode}).
     *
     * @return true if this arrival tripped a round; false if it created a node, or (a poll)
     *         did nothing
     */
    private boolean arrive(boolean createNode) throws Exception {
        for (;;) {
            State s = read();
            List<String> round = arrivals(s.gen());
            if (round.size() + 1 >= parties) {
                if (trip(s, round, createNode)) {
                    return true;
                }
                continue;
            }
            if (!createNode) {
                return false;
            }
            if (join(s)) {
                return false;
            }
        }
    }

    /**
     * The trip transaction; true if it went through. The tripping arrival is a waiter's here
     * ({@code forWaiter}: handed out with the released nodes) or a poll's (which returns true).
     */
    private boolean trip(State s, List<String> round, boolean forWaiter) throws Exception {
        String token = UUID.randomUUID().toString();
        Map<Integer, String> trips = new LinkedHashMap<>(s.trips());
        trips.put(s.gen(), token + ":" + String.join(" ", round));
        while (trips.size() > TRIPS) {
            trips.remove(trips.keySet().iterator().next());
        }
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(ns.client.transactionOp().setData().withVersion(s.version()).forPath(path, data(s.gen() + 1, trips)));
        for (String n : round) {
            ops.add(ns.client.transactionOp().delete().forPath(ZKPaths.makePath(path, n)));
        }
        try {
            ns.client.transaction().forOperations(ops);
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException | KeeperException.ConnectionLossException e) {
            String t = read().trips().get(s.gen());
            if (t != null && t.startsWith(token + ":")) {
                handOut(releasedNodes() + (forWaiter ? 1 : 0)); // a retried trip whose first attempt got through
                return true;
            }
            if (e instanceof KeeperException.ConnectionLossException) {
                throw e;
            }
            return false; // a member left, or someone arrived or tripped first: count again
        }
        handOut(releasedNodes() + (forWaiter ? 1 : 0));
        return true;
    }

    /** The arrival transaction; true if this JVM's node exists now. */
    private boolean join(State s) throws Exception {
        String token = UUID.randomUUID().toString();
        byte[] d = (ns.sessionId() + " " + token).getBytes(StandardCharsets.UTF_8);
        try {
            var r = ns.client.transaction().forOperations(
                    ns.client.transactionOp().setData().withVersion(s.version()).forPath(path, data(s.gen(), s.trips())),
                    ns.client.transactionOp().create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                            .forPath(ZKPaths.makePath(path, prefix(s.gen())), d));
            added(ZKPaths.getNodeFromPath(r.get(1).getResultPath()), s.gen());
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.ConnectionLossException e) {
            for (String c : arrivals(s.gen())) {
                try {
                    if (new String(ns.client.getData().forPath(ZKPaths.makePath(path, c)), StandardCharsets.UTF_8).endsWith(" " + token)) {
                        added(c, s.gen()); // a retried arrival whose first attempt got through
                        return true;
                    }
                } catch (KeeperException.NoNodeException gone) {
                    // tripped or taken back meanwhile
                }
            }
            if (e instanceof KeeperException.ConnectionLossException) {
                throw e;
            }
            return false;
        }
    }

    private void added(String node, int gen) throws Exception {
        mine.put(node, gen);
        Watcher w = event -> {
            if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                ns.onAgent(this::checkReleased);
            }
        };
        if (ns.client.checkExists().usingWatcher(w).forPath(ZKPaths.makePath(path, node)) == null) {
            ns.onAgent(this::checkReleased); // tripped already
        }
    }

    /** Hands this JVM's released nodes to its waiters; forgets nodes gone with a session. */
    private void checkReleased() {
        try {
            checkReleasedNow();
            reconcile();
        } catch (Exception e) {
            failed(e);
        }
    }

    private void checkReleasedNow() throws Exception {
        handOut(releasedNodes());
    }

    /**
     * Forgets this JVM's nodes that are gone.
     *
     * @return how many of them a trip took (the others went with a session)
     */
    private int releasedNodes() throws Exception {
        if (mine.isEmpty()) {
            return 0;
        }
        State s = null;
        int released = 0;
        for (Iterator<Map.Entry<String, Integer>> it = mine.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Integer> e = it.next();
            if (ns.client.checkExists().forPath(ZKPaths.makePath(path, e.getKey())) != null) {
                continue;
            }
            if (s == null) {
                s = read();
            }
            it.remove();
            if (s.tripped(e.getKey(), e.getValue())) {
                released++;
            }
            // otherwise gone with this JVM's session: reconcile arrives again
        }
        return released;
    }

    /** Hands {@code n} released arrivals to the oldest waiters here; what nobody takes is dropped. */
    private void handOut(int n) {
        if (n == 0) {
            return;
        }
        long v = lockForSignal();
        try {
            v = wake(v + n);
            v = 0;
        } finally {
            unlockAfterSignal(v);
        }
    }

    private int pendingNow() {
        long v = lockState();
        try {
            return pending;
        } finally {
            unlockState(v);
        }
    }

    // ---- the namespace's thread

    /** Keeps one arrival node per waiter queued here: arrives for new ones, takes back for those that left. */
    void reconcile() {
        if (ns.isClosed()) {
            return;
        }
        try {
            for (;;) {
                int want = pendingNow();
                if (mine.size() < want) {
                    arrive(true);
                } else if (mine.size() > want) {
                    takeBack();
                } else {
                    return;
                }
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    /** Deletes this JVM's newest arrival node; one that a trip took already counts as released. */
    private void takeBack() throws Exception {
        String node = null;
        for (String n : mine.keySet()) {
            node = n;
        }
        try {
            ns.client.delete().forPath(ZKPaths.makePath(path, node));
            mine.remove(node);
        } catch (KeeperException.NoNodeException e) {
            checkReleasedNow(); // tripped (handed to a later waiter, or dropped) or gone with the session
        }
    }

    /** A poll: completes the round if this arrival is the last one; after the arrivals queued before it. */
    boolean tryTrip() {
        return ns.callOnAgent(() -> {
            reconcile();
            return arrive(false);
        }, "arrive at the barrier " + ZkNames.quote(name));
    }

    /** After a wait ended without its round: returns once the namespace's thread took its arrival back. */
    void settle() {
        ns.callOnAgent(() -> {
            reconcile();
            return null;
        }, "take an arrival back from the barrier " + ZkNames.quote(name));
    }

    /** The arrivals of the current round, of every process, once this JVM's queued arrivals are made. */
    int waiting() {
        return ns.callOnAgent(() -> {
            reconcile();
            ns.syncForRead(path);
            return arrivals(read().gen()).size();
        }, "read the barrier " + ZkNames.quote(name));
    }

    /** The arrival nodes of the current round: one per waiting arrival. */
    @Override
    java.util.OptionalInt waiters() {
        return java.util.OptionalInt.of(waiting());
    }

    String stateText() {
        return parties + " parties";
    }

    private void failed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        // no server answered within Curator's retries: look again shortly
        ns.onAgentLater(this::checkReleased);
    }

    @Override
    void sessionLost() {
        // the nodes are gone, unless a trip took them first: checkReleased tells which
        ns.onAgent(this::checkReleased);
    }

    @Override
    void reconnected() {
        ns.onAgent(this::checkReleased);
    }
}
