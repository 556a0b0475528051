package io.waitkit.zk;

import io.waitkit.internal.Proxy;
import java.util.Map;

/**
 * This JVM's half of a ZooKeeper object (see {@link Proxy}): the engine's lock and queue of this
 * JVM's waiters, and a value that says what this JVM holds of the object in ZooKeeper. The
 * "outside lock" is a plain field guarded by the local lock: every ZooKeeper call happens on
 * the namespace's thread or a caller's thread without any engine lock held, and its outcome
 * is folded into the value under the lock, followed by a {@link #signal()}.
 */
abstract class ZkProxy extends Proxy {
    final ZkNamespace ns;
    final String name;
    final String path;
    /** The outside value; guarded by the local lock. */
    private long value;

    ZkProxy(ZkNamespace ns, String name, String path) {
        this.ns = ns;
        this.name = name;
        this.path = path;
    }

    abstract String kind();

    /** Checks an existing object's stored parameters against this proxy (a reopen). */
    void checkReopen(Map<String, String> data) {
    }

    /**
     * The waits on this object in every process, as ZooKeeper records them (see
     * {@link ZkNamespace#waiters}), read after a sync; empty for a kind whose waiters leave no
     * node. Blocks for the ZooKeeper calls.
     */
    java.util.OptionalInt waiters() {
        return java.util.OptionalInt.empty();
    }

    /** Called by the namespace when Curator reports the session lost. */
    abstract void sessionLost();

    /** Called by the namespace when a connection (maybe a new session) is up again. */
    abstract void reconnected();

    /** Called by the namespace just before it closes, while it is still open. */
    void closing() {
    }

    @Override
    protected final long lockOutside() {
        return value;
    }

    @Override
    protected final void unlockOutside(long v) {
        value = v;
    }

    @Override
    protected final long spinSnapshot() {
        return value;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, io.waitkit.internal.WaitOperation op) {
        return POLL_CONTENDED;
    }
}
