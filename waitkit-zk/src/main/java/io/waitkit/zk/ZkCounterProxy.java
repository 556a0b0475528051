package io.waitkit.zk;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.internal.WaitOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongUnaryOperator;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * A 64-bit counter in ZooKeeper whose waiters bring predicates on {@code (old, new)}.
 *
 * <pre>
 * {root}/{name}   kind=counter, ver=V, value=N, log=V:old:new:token,... (the latest updates)
 * </pre>
 *
 * <p><b>Updates.</b> Each update takes the node's data (whose {@code ver} is the node's data
 * version: every write is a versioned write that stores the version it creates) as this JVM
 * last wrote it, or reads it, computes the new value, and writes it with that version; a
 * concurrent update (or a stale copy) makes the write fail and the update is read and computed
 * again on the new value (so a function passed to {@code update} may run more than once). The
 * updates of this JVM's threads take turns on a local lock, so they do not fail each other. The write appends {@code (V+1, old, new, token)} to the log, which keeps the
 * {@value #LOG} latest updates. The token settles a write that Curator retried after a lost
 * connection: a first attempt that reached the server makes the retry fail on the version, and
 * finding the token at {@code V+1} in the log says the update is done (applying it again would
 * count it twice).
 *
 * <p><b>Serving.</b> The local value is unused; {@link #number} and {@link #served} (the last
 * version whose updates this JVM's waiters were tested against) are guarded by the local lock.
 * Whoever learns of a newer version (the updater here, right after its write; the namespace's
 * thread when the node's data watch fires; a handle that reads the node before it waits) serves
 * the local queue once per update of the log newer than {@link #served}, oldest first, with
 * that update's {@code (old, new)}, exactly as the in-process counter serves one update; a
 * reader with an older version serves nothing. So every update is tested against this JVM's
 * waiters once, in order, whichever thread learns of it first, unless this JVM fell more than
 * {@value #LOG} updates behind (then the oldest missed ones are skipped). A waiter that
 * registers is tested against {@code (v, v)} of the value this JVM knows; the blocking and
 * async waits of the handle read the node first, so that is the value of that read.
 *
 * <p><b>Watching.</b> One data watch per JVM, set while threads here wait (re-armed when it
 * fires and waiters remain). After a session loss or a reconnection the node is read again.
 */
final class ZkCounterProxy extends ZkProxy {
    /** Updates kept in the node's log. */
    static final int LOG = 16;

    // guarded by the local lock
    private long number;
    private int served = -1;
    private boolean inUpdate;
    private long lastOld;
    private long lastNew;

    /**
     * Serializes this JVM's updates, so that its threads do not make each other's versioned
     * writes fail; guards {@link #lastWritten}, the node as this JVM last wrote it, which the
     * next update tries first (one write instead of a read and a write; a stale one fails on
     * the version and is read again).
     */
    private final ReentrantLock updating = new ReentrantLock();
    /** Serializes {@link #serve} (see there). */
    private final ReentrantLock serving = new ReentrantLock();
    private State lastWritten;

    /** Confined to the namespace's thread: a data watch is set and not yet fired. */
    private boolean watching;

    ZkCounterProxy(ZkNamespace ns, String name, String path) {
        super(ns, name, path);
    }

    @Override
    String kind() {
        return "counter";
    }

    // ---- engine hooks (local lock held)

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        ChangeMatch m = ((ZkCounter.Watch) op).match;
        boolean ok = inUpdate ? m.matches(lastOld, lastNew) : m.matches(number, number);
        return ok ? value : UNAVAILABLE;
    }

    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        ((ZkCounter.Watch) op).change = inUpdate ? new Change(lastOld, lastNew) : new Change(number, number);
        return value;
    }

    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        ns.onAgent(this::watch);
        return value;
    }

    // ---- the node

    /** One update of the log. */
    record Entry(int ver, long old, long now, long token) {
    }

    /** The node's data: its version, the value, the latest updates (oldest first). */
    record State(int ver, long value, List<Entry> log) {
    }

    static Map<String, String> initialData(long initial) {
        return Map.of("ver", "0", "value", Long.toString(initial), "log", "");
    }

    private State read() throws Exception {
        Map<String, String> d = ZkNamespace.decode(ns.client.getData().forPath(path));
        return parse(d);
    }

    static State parse(Map<String, String> d) {
        int ver = Integer.parseInt(d.getOrDefault("ver", "0"));
        long value = Long.parseLong(d.getOrDefault("value", "0"));
        List<Entry> log = new ArrayList<>();
        String l = d.getOrDefault("log", "");
        if (!l.isEmpty()) {
            for (String e : l.split(",")) {
                String[] f = e.split(":");
                log.add(new Entry(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3], 16)));
            }
        }
        return new State(ver, value, log);
    }

    private static byte[] data(State s) {
        StringBuilder log = new StringBuilder();
        for (Entry e : s.log()) {
            if (!log.isEmpty()) {
                log.append(',');
            }
            log.append(e.ver()).append(':').append(e.old()).append(':').append(e.now()).append(':').append(Long.toHexString(e.token()));
        }
        return ZkNamespace.encode(Map.of("kind", "counter", "ver", Integer.toString(s.ver()), "value", Long.toString(s.value()),
                "log", log.toString()));
    }

    /**
     * Tests the local waiters against every update of {@code s} newer than {@link #served}, in
     * order. Serves take turns on {@link #serving}, held until the completions of the async
     * waiters a serve released have run: an updater whose update another thread is serving
     * returns only once that serve is over, so its waiters are released before it returns.
     */
    private void serve(State s) {
        serving.lock();
        try {
            serveLocked(s);
        } finally {
            serving.unlock();
        }
    }

    private void serveLocked(State s) {
        long v = lockForSignal();
        try {
            if (served < 0) { // the first reading: nothing here waited on an older value
                served = s.ver();
                number = s.value();
                return;
            }
            if (s.ver() <= served) {
                return;
            }
            for (Entry e : s.log()) {
                if (e.ver() <= served || e.ver() > s.ver()) {
                    continue;
                }
                number = e.now();
                lastOld = e.old();
                lastNew = e.now();
                inUpdate = true;
                try {
                    v = wake(v);
                } finally {
                    inUpdate = false;
                }
            }
            number = s.value();
            served = s.ver();
        } finally {
            unlockAfterSignal(v);
        }
    }

    // ---- operations of the handle (calling thread)

    /** Reads the node and serves what this JVM had not seen; returns the value. */
    long refresh() {
        return refresh(false);
    }

    /**
     * Reads the node (after a sync with the leader if {@code synced}: see
     * {@link ZkNamespace#syncForRead}) and serves what this JVM had not seen; returns the value.
     */
    long refresh(boolean synced) {
        try {
            if (synced) {
                ns.syncForRead(path);
            }
            State s = read();
            serve(s);
            return s.value();
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the counter " + ZkNames.quote(name), e);
        }
    }

    /** One atomic update; serves the local waiters before it returns. */
    long update(LongUnaryOperator f) {
        long token = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        updating.lock();
        try {
            State s = lastWritten != null ? lastWritten : read();
            for (;;) {
                long old = s.value();
                long now = f.applyAsLong(old); // may throw: nothing written
                List<Entry> log = new ArrayList<>(s.log());
                log.add(new Entry(s.ver() + 1, old, now, token));
                while (log.size() > LOG) {
                    log.removeFirst();
                }
                State next = new State(s.ver() + 1, now, log);
                try {
                    ns.client.setData().withVersion(s.ver()).forPath(path, data(next));
                    lastWritten = next;
                    serve(next);
                    return now;
                } catch (KeeperException.BadVersionException e) {
                    State again = read();
                    for (Entry x : again.log()) {
                        if (x.ver() == s.ver() + 1 && x.token() == token) {
                            lastWritten = again;
                            serve(again); // a retried write whose first attempt got through
                            return x.now();
                        }
                    }
                    s = again; // another update came first: compute again on its value
                }
            }
        } catch (ArithmeticException e) {
            throw e;
        } catch (Exception e) {
            lastWritten = null;
            throw ZkNamespace.unreachable("update the counter " + ZkNames.quote(name), e);
        } finally {
            updating.unlock();
        }
    }

    String stateText() {
        long v = lockState();
        try {
            return "value " + number + " as last read here";
        } finally {
            unlockState(v);
        }
    }

    // ---- the namespace's thread

    /** Sets the data watch while threads here wait, and serves what the read shows. */
    private void watch() {
        if (ns.isClosed() || watching || !hasLocalWaiters()) {
            return;
        }
        try {
            watching = true;
            byte[] d = ns.client.getData().usingWatcher((Watcher) event -> ns.onAgent(() -> {
                watching = false;
                watch();
            })).forPath(path);
            serve(parse(ZkNamespace.decode(d)));
        } catch (Exception e) {
            watching = false;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // no server answered within Curator's retries, or the counter was unlinked: look again shortly
            ns.onAgentLater(this::watch);
        }
    }

    @Override
    void sessionLost() {
        ns.onAgent(() -> watching = false);
    }

    @Override
    void reconnected() {
        ns.onAgent(this::watch);
    }
}
