package io.waitkit.zk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.RetryUntilElapsed;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.common.PathUtils;

/**
 * A directory of objects shared by every process that connects to one ZooKeeper ensemble: the
 * children of a root path, one znode per object. A name opened in several processes (or several
 * times) is one object; its state lives in ZooKeeper, and a process's waits on it take part in
 * {@code Wait.any}, {@code Wait.all} and the async waits together with in-process and named
 * objects.
 *
 * <pre>{@code
 * try (ZkNamespace ns = ZkNamespace.connect("zk1:2181,zk2:2181,zk3:2181")) {
 *     ZkMutex m = ns.mutex("nightly-import");
 *     try {
 *         m.lock();
 *     } catch (AbandonedMutexException e) {
 *         cleanUpHalfDoneImport();   // the previous holder's session ended while it held the mutex
 *     }
 *     CompletableFuture<Void> lost = m.lockLost();   // completes if our own session ends
 *     try { runImport(lost); } finally { if (m.isHeldByCurrentThread()) m.unlock(); }
 * }
 * }</pre>
 *
 * <p><b>Sessions.</b> Ownership and leases belong to this namespace's ZooKeeper session. When
 * the session ends (it expired while the client was cut off, or Curator reports the connection
 * {@linkplain ConnectionState#LOST lost}), every mutex this process held is released by
 * ZooKeeper: its holding thread no longer owns it ({@code isHeldByCurrentThread()} turns false,
 * {@code unlock} throws {@link IllegalMonitorStateException}, {@link ZkMutex#lockLost()}
 * completes), and the next acquirer, in any process, gets
 * {@link io.waitkit.AbandonedMutexException}. Blocked waits continue on the new session once
 * Curator has one.
 *
 * <p><b>Threads.</b> The ZooKeeper calls a blocked wait needs (queueing, watching the
 * predecessor, returning what nobody here waits for any more) run as the namespace's steps, one
 * at a time and in order, on one platform thread per namespace; blocked waits themselves park,
 * and async waits hold no thread. A mutex's uncontended {@code lock()} and its final
 * {@code unlock()} make their step on the calling thread when no step is running or queued (one
 * thread switch less each way; the step is the same, and steps queued meanwhile run after it on
 * the namespace's thread). A mutex waiter whose predecessor's release handed it the lock is
 * granted from ZooKeeper's event thread: the watch sends its look from there and, when the answer
 * needs no request and no step is running or queued, grants as the namespace's step right there
 * (one thread switch less; an async waiter's completion then runs on that thread, at
 * {@code DISPATCH_LEVEL} as every engine completion). Calls that read
 * or change the state directly ({@code tryLock()}, {@code release} of a semaphore,
 * {@code list()}) make their ZooKeeper calls on the calling thread.
 *
 * <p><b>What a read sees.</b> ZooKeeper promises a session its own writes in order; the
 * server a process talks to may lag behind the ensemble's leader (it has just restarted, say)
 * and answer with a state older than a write another process has already seen complete. The
 * state reads of the objects ({@link ZkCounter#get()}, {@link ZkSemaphore#availablePermits()},
 * {@link ZkEvent#isSignaled()}, {@link ZkBarrier#waiting()}, {@link ZkMessageQueue#size()},
 * {@link ZkMutex#isAbandoned()}, {@link ZkMutex#ownerSession()}) therefore first sync that
 * server with the leader: each sees every update that had completed in any process when it
 * was called, such as the one that released a wait of this process, or one another process
 * reported done. Waits and updates need no sync: updates are versioned writes, and waits are
 * released by watches, which ZooKeeper delivers in order.
 *
 * <p>All methods throw {@link IllegalStateException} once the namespace is closed.
 */
public final class ZkNamespace implements AutoCloseable {
    /** The root path {@link #connect(String)} uses. */
    public static final String DEFAULT_ROOT = "/waitkit";
    /** How long {@link #connect(String)} waits for a first connection. */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(10);
    /**
     * How long a ZooKeeper call of a namespace made by {@code connect} keeps trying while no
     * server answers (Curator's retries, a quarter of a second apart), before it throws.
     */
    static final Duration RETRYING = Duration.ofSeconds(30);

    final CuratorFramework client;
    private final String root;
    private final boolean ownsClient;
    /** The thread of this namespace's waits' ZooKeeper calls (see the class comment). */
    final ExecutorService agent;
    /** One proxy per object and namespace, so that every handle of a name is one engine object. */
    private final Map<String, ZkProxy> proxies = new ConcurrentHashMap<>();
    private final ConnectionStateListener listener = this::stateChanged;
    private volatile boolean closed;
    /**
     * The steps, run one at a time in order (see {@link #onAgent}): queued here, drained on
     * {@link #agent}'s thread, or run inline by {@link #runInlineIfIdle}. Guarded by itself.
     */
    private final java.util.ArrayDeque<Runnable> steps = new java.util.ArrayDeque<>();
    /** The thread running steps now (the namespace's thread or an inline caller), or null; guarded by {@link #steps}. */
    private volatile Thread stepRunner;
    /** Whether a drain is submitted to {@link #agent} and not started; guarded by {@link #steps}. */
    private boolean drainScheduled;
    /** Steps the namespace's own thread has run (not inline ones); written by that thread only. */
    private volatile long stepsOnThread;

    /**
     * Connects to a ZooKeeper ensemble with a client of its own (closed with the namespace),
     * and opens the namespace at {@link #DEFAULT_ROOT}. Waits up to 10 seconds for a first
     * connection; the session timeout is 10 seconds. A ZooKeeper call made while no server
     * answers is tried again for up to 30 seconds (long enough for a leader election, also one
     * whose first round fails) before it throws
     * {@link IllegalStateException}; for another session timeout or retry policy, build the
     * {@code CuratorFramework} yourself and use {@link #ZkNamespace(CuratorFramework, String)}.
     *
     * @param connectString the servers, {@code host:port[,host:port...]}, optionally followed
     *        by a chroot path ({@code zk1:2181,zk2:2181/apps})
     * @return the namespace
     * @throws IllegalArgumentException if the connect string is malformed (says where)
     * @throws NullPointerException if it is null
     * @throws IOException if no server answered within the wait (the client is closed)
     * @throws InterruptedException if interrupted while connecting (the client is closed)
     */
    public static ZkNamespace connect(String connectString) throws IOException, InterruptedException {
        return connect(connectString, CONNECT_WAIT);
    }

    /** {@link #connect(String)} with another wait for the first connection (tests). */
    static ZkNamespace connect(String connectString, Duration wait) throws IOException, InterruptedException {
        return connect(connectString, DEFAULT_ROOT, wait);
    }

    /**
     * Connects to a ZooKeeper ensemble with a client of its own (closed with the namespace),
     * as {@link #connect(String)} does, and opens the namespace at {@code rootPath} (under the
     * connect string's chroot, if it has one), waiting at most {@code wait} for a first
     * connection. The session timeout is 10 seconds; calls made while no server answers are
     * tried again for up to 30 seconds.
     *
     * @param connectString the servers, {@code host:port[,host:port...]}, optionally followed
     *        by a chroot path
     * @param rootPath an absolute ZooKeeper path, for example {@link #DEFAULT_ROOT}
     * @param wait the longest wait for a first connection (at least 1 ms)
     * @return the namespace
     * @throws IllegalArgumentException if the connect string or the root path is malformed
     *         (says where), or {@code wait} is shorter than 1 ms
     * @throws NullPointerException if an argument is null
     * @throws IOException if no server answered within the wait (the client is closed)
     * @throws InterruptedException if interrupted while connecting (the client is closed)
     */
    public static ZkNamespace connect(String connectString, String rootPath, Duration wait)
            throws IOException, InterruptedException {
        checkConnectString(connectString);
        if (rootPath == null || wait == null) {
            throw new NullPointerException(rootPath == null ? "rootPath is null" : "wait is null");
        }
        if (wait.toMillis() < 1) {
            throw new IllegalArgumentException("the wait for a first connection is shorter than 1 ms: " + wait);
        }
        try {
            PathUtils.validatePath(rootPath);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid root path \"" + rootPath + "\": " + e.getMessage(), e);
        }
        CuratorFramework c = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(10_000)
                .connectionTimeoutMs(5_000)
                .retryPolicy(new RetryUntilElapsed((int) RETRYING.toMillis(), 250))
                .build();
        boolean ok = false;
        try {
            c.start();
            if (!c.blockUntilConnected((int) wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("no ZooKeeper server of \"" + connectString + "\" answered within "
                        + wait.toMillis() + " ms");
            }
            ZkNamespace ns = new ZkNamespace(c, rootPath, true);
            ok = true;
            return ns;
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    /** Checks a connect string's syntax: hosts with optional ports, an optional chroot. */
    static void checkConnectString(String cs) {
        if (cs == null) {
            throw new NullPointerException("connectString is null");
        }
        String hosts = cs;
        int slash = cs.indexOf('/');
        if (slash >= 0) {
            hosts = cs.substring(0, slash);
            String chroot = cs.substring(slash);
            if (!chroot.equals("/")) {
                try {
                    PathUtils.validatePath(chroot);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid connect string \"" + cs + "\": bad chroot path "
                            + chroot + ": " + e.getMessage(), e);
                }
            }
        }
        if (hosts.isBlank()) {
            throw new IllegalArgumentException("invalid connect string \"" + cs + "\": no server (expected host:port[,host:port...])");
        }
        for (String h : hosts.split(",", -1)) {
            String s = h.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("invalid connect string \"" + cs + "\": an empty server between commas");
            }
            String host = s;
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(']') < colon) {
                host = s.substring(0, colon);
                String port = s.substring(colon + 1);
                int p;
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    p = -1;
                }
                if (p < 1 || p > 65535) {
                    throw new IllegalArgumentException("invalid connect string \"" + cs + "\": port \"" + port + "\" of server \""
                            + s + "\" is not a number from 1 to 65535");
                }
            }
            if (host.isEmpty() || host.chars().anyMatch(ch -> Character.isWhitespace(ch) || ch < 0x20)) {
                throw new IllegalArgumentException("invalid connect string \"" + cs + "\": bad host name in \"" + s + "\"");
            }
        }
    }

    /**
     * Opens a namespace over a started client; the client stays the caller's (closing the
     * namespace does not close it). The root path is created if absent.
     *
     * @param client a started Curator client
     * @param rootPath an absolute ZooKeeper path, for example {@code /myapp/sync}
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the client is not started, or the path is not a
     *         valid absolute ZooKeeper path
     * @throws IllegalStateException if ZooKeeper could not be reached to create the root
     */
    public ZkNamespace(CuratorFramework client, String rootPath) {
        this(client, rootPath, false);
    }

    private ZkNamespace(CuratorFramework client, String rootPath, boolean ownsClient) {
        if (client == null) {
            throw new NullPointerException("client is null");
        }
        if (rootPath == null) {
            throw new NullPointerException("rootPath is null");
        }
        if (client.getState() != CuratorFrameworkState.STARTED) {
            throw new IllegalArgumentException("the Curator client is " + client.getState() + ", not STARTED: start it first");
        }
        try {
            PathUtils.validatePath(rootPath);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid root path \"" + rootPath + "\": " + e.getMessage(), e);
        }
        this.client = client;
        this.root = rootPath;
        this.ownsClient = ownsClient;
        try {
            client.createContainers(rootPath);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the root path " + rootPath + ": " + e, e);
        }
        this.agent = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "waitkit-zk " + rootPath);
            t.setDaemon(true);
            return t;
        });
        client.getConnectionStateListenable().addListener(listener);
    }

    /**
     * The root path.
     *
     * @return the path the objects are children of
     */
    public String rootPath() {
        return root;
    }

    /**
     * The Curator client.
     *
     * @return the client
     */
    public CuratorFramework client() {
        return client;
    }

    /**
     * Opens or creates a mutex. Blocks for the ZooKeeper calls that create or read its node.
     *
     * @param name the name (see the rules of the named objects of one host)
     * @return a handle
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if the name is taken by another kind of object, or
     *         ZooKeeper cannot be reached
     */
    public ZkMutex mutex(String name) {
        ZkMutexProxy p = (ZkMutexProxy) open(name, "mutex", Map.of(), (path, data) -> new ZkMutexProxy(this, name, path));
        return new ZkMutex(p);
    }

    /**
     * Opens or creates a semaphore; {@code max} is stored with it when it is created and
     * checked by every later open.
     *
     * @param name the name
     * @param initial the count when created
     * @param max the largest count
     * @return a handle
     * @throws IllegalArgumentException if the name is invalid, {@code initial} is negative,
     *         {@code max} is not positive, {@code initial > max}, or the semaphore exists with
     *         another {@code max}
     * @throws IllegalStateException if the name is taken by another kind of object, or
     *         ZooKeeper cannot be reached
     */
    public ZkSemaphore semaphore(String name, int initial, int max) {
        if (initial < 0 || max <= 0 || initial > max) {
            throw new IllegalArgumentException("semaphore counts out of range: initial " + initial + ", max " + max
                    + " (need 0 <= initial <= max, max >= 1)");
        }
        Map<String, String> params = Map.of("max", Integer.toString(max), "base", Integer.toString(initial));
        ZkSemaphoreProxy p = (ZkSemaphoreProxy) open(name, "semaphore", params, (path, data) -> {
            int stored = Integer.parseInt(data.get("max"));
            if (stored != max) {
                throw new IllegalArgumentException("semaphore " + ZkNames.quote(name) + " exists with max " + stored
                        + ", not " + max);
            }
            return new ZkSemaphoreProxy(this, name, path, stored);
        });
        if (p.max != max) {
            throw new IllegalArgumentException("semaphore " + ZkNames.quote(name) + " exists with max " + p.max + ", not " + max);
        }
        return new ZkSemaphore(p);
    }

    /**
     * Opens or creates an event; its kind (manual or auto reset) is stored with it when it is
     * created and checked by every later open.
     *
     * @param name the name
     * @param manualReset true for a manual-reset event
     * @param initiallySignaled the state when created
     * @return a handle
     * @throws IllegalArgumentException if the name is invalid, or the event exists with the
     *         other reset kind
     * @throws IllegalStateException if the name is taken by another kind of object, or
     *         ZooKeeper cannot be reached
     */
    public ZkEvent event(String name, boolean manualReset, boolean initiallySignaled) {
        Map<String, String> params = Map.of("manual", manualReset ? "1" : "0", "state", initiallySignaled ? "1" : "0");
        ZkEventProxy p = (ZkEventProxy) open(name, "event", params, (path, data) -> {
            boolean stored = "1".equals(data.get("manual"));
            return new ZkEventProxy(this, name, path, stored);
        });
        if (p.manual != manualReset) {
            throw new IllegalArgumentException("event " + ZkNames.quote(name) + " exists as a "
                    + (p.manual ? "manual" : "auto") + "-reset event");
        }
        return new ZkEvent(p);
    }

    /**
     * Opens or creates a cyclic barrier; {@code parties} is stored with it when it is created
     * and checked by every later open. Blocks for the ZooKeeper calls that create or read its
     * node.
     *
     * @param name the name
     * @param parties the number of arrivals, in all processes together, that complete a round
     * @return a handle
     * @throws IllegalArgumentException if the name is invalid, {@code parties < 1}, or the
     *         barrier exists with another number of parties
     * @throws IllegalStateException if the name is taken by another kind of object, or
     *         ZooKeeper cannot be reached
     */
    public ZkBarrier barrier(String name, int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be at least 1: " + parties);
        }
        Map<String, String> params = Map.of("parties", Integer.toString(parties), "gen", "0", "trips", "");
        ZkBarrierProxy p = (ZkBarrierProxy) open(name, "barrier", params, (path, data) -> {
            int stored = Integer.parseInt(data.getOrDefault("parties", "-1"));
            return new ZkBarrierProxy(this, name, path, stored);
        });
        if (p.parties != parties) {
            throw new IllegalArgumentException("barrier " + ZkNames.quote(name) + " exists with " + p.parties
                    + " parties, not " + parties);
        }
        return new ZkBarrier(p);
    }

    /**
     * Opens or creates a bounded message queue; {@code capacity} and {@code maxMessageSize}
     * are stored with it when it is created, and an existing queue opens as it is (its
     * {@link ZkMessageQueue#capacity()} and {@link ZkMessageQueue#maxMessageSize()} say what
     * it has), as the named message queues of one host do. Blocks for the ZooKeeper calls that
     * create or read its nodes.
     *
     * @param name the name
     * @param capacity the most messages it holds, 1 to 65535
     * @param maxMessageSize the largest message in bytes, 0 to 524288 (ZooKeeper refuses
     *        requests above 1 MiB by default)
     * @return a handle
     * @throws IllegalArgumentException if the name is invalid or a size is out of range
     * @throws IllegalStateException if the name is taken by another kind of object, or
     *         ZooKeeper cannot be reached
     */
    public ZkMessageQueue messageQueue(String name, int capacity, int maxMessageSize) {
        if (capacity < 1 || capacity > ZkMessageQueueProxy.MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1 to " + ZkMessageQueueProxy.MAX_CAPACITY + ": " + capacity);
        }
        if (maxMessageSize < 0 || maxMessageSize > ZkMessageQueueProxy.MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("maxMessageSize must be 0 to " + ZkMessageQueueProxy.MAX_MESSAGE_SIZE
                    + " bytes (512 KiB; ZooKeeper refuses requests above 1 MiB by default): " + maxMessageSize);
        }
        ZkMessageQueueProxy p = (ZkMessageQueueProxy) open(name, "message-queue",
                ZkMessageQueueProxy.params(capacity, maxMessageSize), (path, data) -> {
                    int c = Integer.parseInt(data.getOrDefault("capacity", "-1"));
                    int m = Integer.parseInt(data.getOrDefault("maxsize", "-1"));
                    if (c < 1 || m < 0) {
                        throw new IllegalStateException("queue " + ZkNames.quote(name) + " has no valid capacity and message size: "
                                + data);
                    }
                    return new ZkMessageQueueProxy(this, name, path, c, m);
                });
        try {
            p.ensure();
        } catch (Exception e) {
            throw unreachable("open " + ZkNames.quote(name), e);
        }
        return new ZkMessageQueue(p);
    }

    /**
     * Opens or creates a counter with the value 0 when created; see
     * {@link #counter(String, long)}.
     *
     * @param name the name
     * @return a handle
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if the name is taken by another kind of object, or
     *         ZooKeeper cannot be reached
     */
    public ZkCounter counter(String name) {
        return counter(name, 0L);
    }

    /**
     * Opens or creates a counter. Blocks for the ZooKeeper calls that create or read its node.
     *
     * @param name the name
     * @param initial the value when created (an existing counter keeps its value)
     * @return a handle
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if the name is taken by another kind of object, or
     *         ZooKeeper cannot be reached
     */
    public ZkCounter counter(String name, long initial) {
        ZkCounterProxy p = (ZkCounterProxy) open(name, "counter", ZkCounterProxy.initialData(initial),
                (path, data) -> new ZkCounterProxy(this, name, path));
        p.refresh();
        return new ZkCounter(p);
    }

    /** Makes a proxy for an existing node of the right kind, from its stored parameters. */
    @FunctionalInterface
    interface ProxyFactory {
        ZkProxy make(String path, Map<String, String> data);
    }

    private ZkProxy open(String name, String kind, Map<String, String> params, ProxyFactory factory) {
        ZkNames.check(name);
        checkOpen();
        String path = ZKPaths.makePath(root, name);
        Map<String, String> wanted = new HashMap<>(params);
        wanted.put("kind", kind);
        Map<String, String> found;
        try {
            try {
                client.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, encode(wanted));
                found = wanted;
            } catch (KeeperException.NodeExistsException e) {
                found = decode(client.getData().forPath(path));
            }
        } catch (Exception e) {
            throw unreachable("open " + ZkNames.quote(name), e);
        }
        String k = found.get("kind");
        if (!kind.equals(k)) {
            throw new IllegalStateException(ZkNames.quote(name) + " exists as " + (k == null ? "a node Waitkit did not make" : "a " + k)
                    + ", not a " + kind);
        }
        Map<String, String> data = found;
        ZkProxy p = proxies.computeIfAbsent(name, n -> factory.make(path, data));
        if (!p.kind().equals(kind)) {
            throw new IllegalStateException(ZkNames.quote(name) + " is open here as a " + p.kind() + ", not a " + kind);
        }
        p.checkReopen(data);
        return p;
    }

    /**
     * The objects of this namespace.
     *
     * @return one entry per object, sorted by name
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public List<ZkObjectInfo> list() {
        checkOpen();
        List<ZkObjectInfo> out = new ArrayList<>();
        try {
            List<String> names = new ArrayList<>(client.getChildren().forPath(root));
            Collections.sort(names);
            for (String n : names) {
                try {
                    Map<String, String> d = decode(client.getData().forPath(ZKPaths.makePath(root, n)));
                    out.add(new ZkObjectInfo(n, d.getOrDefault("kind", "unknown")));
                } catch (KeeperException.NoNodeException gone) {
                    // unlinked meanwhile
                }
            }
        } catch (Exception e) {
            throw unreachable("list " + root, e);
        }
        return out;
    }

    /**
     * The kind of an existing object, read from ZooKeeper.
     *
     * @param name the name
     * @return the object's entry, or empty if no object has that name; the kind is
     *         {@code unknown} for a node Waitkit did not make
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public java.util.Optional<ZkObjectInfo> info(String name) {
        ZkNames.check(name);
        checkOpen();
        try {
            Map<String, String> d = decode(client.getData().forPath(ZKPaths.makePath(root, name)));
            return java.util.Optional.of(new ZkObjectInfo(name, d.getOrDefault("kind", "unknown")));
        } catch (KeeperException.NoNodeException e) {
            return java.util.Optional.empty();
        } catch (Exception e) {
            throw unreachable("read " + ZkNames.quote(name), e);
        }
    }

    /**
     * Opens an existing object with the parameters stored with it (reset kind, maximum,
     * parties), creating nothing: the counterpart of the named objects' {@code openExisting}.
     * Blocks for the ZooKeeper calls that read its node.
     *
     * @param name the name
     * @param kind {@link ZkEvent}, {@link ZkMutex}, {@link ZkSemaphore}, {@link ZkBarrier},
     *        {@link ZkCounter} or {@link ZkMessageQueue}
     * @param <T> the handle type
     * @return a handle
     * @throws java.util.NoSuchElementException if no object has that name
     * @throws IllegalArgumentException if the name is invalid, or {@code kind} is not one of
     *         the classes above
     * @throws IllegalStateException if the name holds another kind of object (the message
     *         says which), or ZooKeeper cannot be reached
     */
    public <T> T openExisting(String name, Class<T> kind) {
        String want = kind == ZkEvent.class ? "event" : kind == ZkMutex.class ? "mutex" : kind == ZkSemaphore.class ? "semaphore"
                : kind == ZkBarrier.class ? "barrier" : kind == ZkCounter.class ? "counter"
                : kind == ZkMessageQueue.class ? "message-queue" : null;
        if (want == null) {
            throw new IllegalArgumentException("not a kind of ZooKeeper object: " + kind.getName());
        }
        ZkNames.check(name);
        checkOpen();
        Map<String, String> d;
        try {
            d = decode(client.getData().forPath(ZKPaths.makePath(root, name)));
        } catch (KeeperException.NoNodeException e) {
            throw new java.util.NoSuchElementException("no object " + ZkNames.quote(name) + " in " + root);
        } catch (Exception e) {
            throw unreachable("open " + ZkNames.quote(name), e);
        }
        String k = d.get("kind");
        if (!want.equals(k)) {
            throw new IllegalStateException(ZkNames.quote(name) + " exists as " + (k == null ? "a node Waitkit did not make" : "a " + k)
                    + ", not a " + want);
        }
        Object o = switch (want) {
            case "event" -> event(name, "1".equals(d.get("manual")), false);
            case "mutex" -> mutex(name);
            case "semaphore" -> semaphore(name, 0, Integer.parseInt(d.getOrDefault("max", "1")));
            case "barrier" -> barrier(name, Integer.parseInt(d.getOrDefault("parties", "1")));
            // the stored capacity and size are kept by messageQueue; these only pass its checks
            case "message-queue" -> messageQueue(name, Integer.parseInt(d.getOrDefault("capacity", "1")),
                    Integer.parseInt(d.getOrDefault("maxsize", "0")));
            default -> counter(name);
        };
        return kind.cast(o);
    }

    /**
     * How many waits on an object ZooKeeper records, in every process: a diagnostic, like
     * {@code ls} on one host, read after a sync (as the state reads are). Waits leave nodes in
     * ZooKeeper only where a recipe queues them, so what is counted depends on the kind:
     * <ul>
     * <li>mutex: the processes queued for it (their lock nodes, the holder's not counted);
     * <li>event: the processes with threads waiting on it (one waiter node each);
     * <li>message queue: the processes waiting to receive or for room (one node each in the
     *     queue's two lines);
     * <li>barrier: the arrivals waiting for the round to complete (one node each, so one per
     *     waiting thread);
     * <li>semaphore, counter: none is recorded (waiting processes watch the node's data, which
     *     leaves no trace), so the result is empty.
     * </ul>
     * A process counts once however many of its threads wait (barriers aside). Which processes
     * have an object open is not recorded at all: opening reads the node and writes nothing.
     * Blocks for the ZooKeeper calls; the count may be stale by the time it returns.
     *
     * @param name the name
     * @return the count, or empty for a kind that records no waits
     * @throws java.util.NoSuchElementException if no object has that name
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if ZooKeeper cannot be reached, or the node is not one
     *         Waitkit made
     */
    public java.util.OptionalInt waiters(String name) {
        ZkObjectInfo i = info(name).orElseThrow(() -> new java.util.NoSuchElementException("no object "
                + ZkNames.quote(name) + " in " + root));
        Class<?> type = switch (i.kind()) {
            case "event" -> ZkEvent.class;
            case "mutex" -> ZkMutex.class;
            case "semaphore" -> ZkSemaphore.class;
            case "barrier" -> ZkBarrier.class;
            case "counter" -> ZkCounter.class;
            case "message-queue" -> ZkMessageQueue.class;
            default -> throw new IllegalStateException(ZkNames.quote(name) + " exists as a node Waitkit did not make");
        };
        openExisting(name, type);
        ZkProxy p = proxies.get(name);
        if (p == null) {
            throw new java.util.NoSuchElementException("no object " + ZkNames.quote(name) + " in " + root);
        }
        return p.waiters();
    }

    /**
     * Removes an object's node and everything under it. Handles open elsewhere keep working on
     * a node of the same name created again by their next operation that needs it; a mutex
     * held now is released with its lock nodes.
     *
     * @param name the name
     * @return true if it existed
     * @throws IllegalArgumentException if the name is invalid
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean unlink(String name) {
        ZkNames.check(name);
        checkOpen();
        try {
            client.delete().deletingChildrenIfNeeded().forPath(ZKPaths.makePath(root, name));
            proxies.remove(name);
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw unreachable("unlink " + ZkNames.quote(name), e);
        }
    }

    /**
     * Closes the namespace: stops its thread, and closes the client if {@link #connect} made
     * it (which ends the session: held mutexes are released and other processes' next
     * acquirers are told they were abandoned). Idempotent. Waits of this process that are
     * blocked on its objects at that moment are no longer served: they end only by their
     * timeout, an interrupt or a cancel, so close a namespace after its waiters are done.
     * Before closing, each message queue puts back the messages this process took for
     * receivers that did not get them, leaves its waiting lines, and ends its sends still
     * waiting for room before this method returns: a send whose last commit got no answer is
     * looked up by its token and completes as sent if its message is there; every other one
     * fails with {@link IllegalStateException} ("not sent", or "may or may not have been
     * sent" when the lookup itself could not reach a server). Those ZooKeeper calls are
     * bounded by Curator's retries.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (ZkProxy p : proxies.values()) {
            p.closing();
        }
        closed = true;
        client.getConnectionStateListenable().removeListener(listener);
        agent.shutdownNow();
        if (ownsClient) {
            client.close();
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the ZooKeeper namespace " + root + " is closed");
        }
    }

    /**
     * Makes the next reads of this session see every write the ensemble had committed when
     * this is called, also the writes of other sessions. ZooKeeper promises a session only its
     * own writes in order: the server it is connected to may lag behind the leader (a server
     * that has just restarted, for one), and a read there can miss a write that another
     * process has already seen complete. A sync makes that server catch up with the leader
     * first; it is asynchronous, and the session's requests are handled in order, so a read
     * that follows on this thread sees at least the state the sync brought. A sync lost with
     * the connection leaves the read as ZooKeeper alone promises it.
     *
     * @param path the node about to be read
     */
    void syncForRead(String path) throws Exception {
        client.sync().forPath(path);
    }

    /** How many steps the namespace's own thread has run (each one a thread switch there), for tests. */
    long stepsOnThread() {
        return stepsOnThread;
    }

    /** Whether the calling thread is running the namespace's steps now (its thread, or an inline caller). */
    boolean onAgentThread() {
        return Thread.currentThread() == stepRunner;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Runs a task as the namespace's next step, after those queued before it: on the
     * namespace's thread, or, when a caller is running steps inline, after its step on the
     * namespace's thread. Dropped once closed.
     */
    void onAgent(Runnable task) {
        if (closed) {
            return;
        }
        synchronized (steps) {
            steps.add(task);
            if (stepRunner != null || drainScheduled) {
                return;
            }
            drainScheduled = true;
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        try {
            agent.execute(this::drainSteps);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** The namespace's thread: runs the queued steps until none is left. */
    private void drainSteps() {
        synchronized (steps) {
            drainScheduled = false;
            if (stepRunner != null) {
                return; // an inline caller runs; it schedules a drain when it ends
            }
            stepRunner = Thread.currentThread();
        }
        for (;;) {
            Runnable step;
            synchronized (steps) {
                step = closed ? null : steps.poll();
                if (step == null) {
                    stepRunner = null;
                    return;
                }
            }
            try {
                stepsOnThread++;
                step.run();
            } catch (Throwable t) {
                // a step's failure ends that step only, as on a fresh thread of a single-thread executor
                Thread me = Thread.currentThread();
                me.getUncaughtExceptionHandler().uncaughtException(me, t);
            }
        }
    }

    /**
     * Runs a step on the calling thread, as the namespace's step, if no step is running or
     * queued; steps queued while it runs go to the namespace's thread afterwards.
     *
     * @param step the step
     * @return true if it ran (its exceptions propagate), false if the namespace is busy or closed
     */
    boolean runInlineIfIdle(Runnable step) {
        if (closed) {
            return false;
        }
        synchronized (steps) {
            if (stepRunner != null || drainScheduled || !steps.isEmpty()) {
                return false;
            }
            stepRunner = Thread.currentThread();
        }
        try {
            step.run();
        } finally {
            boolean drain;
            synchronized (steps) {
                stepRunner = null;
                drain = !steps.isEmpty() && !drainScheduled;
                if (drain) {
                    drainScheduled = true;
                }
            }
            if (drain) {
                scheduleDrain();
            }
        }
        return true;
    }

    /** How long {@link #callOnAgent} waits for its step (which ends by Curator's retries first). */
    static final Duration AGENT_CALL_WAIT = Duration.ofSeconds(60);

    /**
     * Runs a step on the namespace's thread, after the steps queued before it, and waits for
     * its result (directly when called there). An interrupt meanwhile is re-asserted on return.
     *
     * @throws IllegalStateException if the step failed (ZooKeeper unreachable), did not end
     *         within {@link #AGENT_CALL_WAIT}, or the namespace closed
     */
    <T> T callOnAgent(java.util.concurrent.Callable<T> step, String what) {
        checkOpen();
        if (onAgentThread()) {
            try {
                return step.call();
            } catch (Exception e) {
                throw unreachable(what, e);
            }
        }
        java.util.concurrent.FutureTask<T> f = new java.util.concurrent.FutureTask<>(step);
        onAgent(f);
        if (closed) {
            throw new IllegalStateException("the ZooKeeper namespace " + root + " is closed");
        }
        boolean interrupted = false;
        try {
            long end = System.nanoTime() + AGENT_CALL_WAIT.toNanos();
            for (;;) {
                try {
                    return f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw unreachable(what, e.getCause() instanceof Exception x ? x : e);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("cannot " + what + " in ZooKeeper: no answer within "
                            + AGENT_CALL_WAIT.toSeconds() + " s", e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long a step that failed for want of a connection waits before it is tried again. */
    static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    /**
     * Runs a task on the namespace's thread after {@link #RETRY_PAUSE}: a step whose ZooKeeper
     * call failed (Curator's retries ran out while no server answered) tries again, so that a
     * wait never depends on a connection event that came before the failure.
     */
    void onAgentLater(Runnable task) {
        if (!closed) {
            java.util.concurrent.CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> onAgent(task));
        }
    }

    /** The current session's id, as a hex string: what the lock nodes and markers record. */
    String sessionId() {
        try {
            return Long.toHexString(client.getZookeeperClient().getZooKeeper().getSessionId());
        } catch (Exception e) {
            throw unreachable("read the session id", e);
        }
    }

    private void stateChanged(CuratorFramework c, ConnectionState s) {
        if (s == ConnectionState.LOST) {
            for (ZkProxy p : proxies.values()) {
                p.sessionLost();
            }
        } else if (s == ConnectionState.RECONNECTED || s == ConnectionState.CONNECTED) {
            for (ZkProxy p : proxies.values()) {
                p.reconnected();
            }
        }
    }

    static IllegalStateException unreachable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        if (e instanceof IllegalStateException ise) {
            return ise;
        }
        return new IllegalStateException("cannot " + what + " in ZooKeeper: " + e, e);
    }

    static byte[] encode(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> decode(byte[] data) {
        Map<String, String> m = new HashMap<>();
        if (data == null) {
            return m;
        }
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return m;
    }
}
