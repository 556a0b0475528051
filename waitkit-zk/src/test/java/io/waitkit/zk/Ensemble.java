package io.waitkit.zk;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An in-JVM ZooKeeper ensemble of three servers, started once per test class (a static
 * {@code @RegisterExtension} field) and closed after it, with helpers for clients, fresh
 * namespaces and ended sessions.
 */
final class Ensemble implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger SEQ = new AtomicInteger();
    TestingCluster cluster;
    private final java.util.List<AutoCloseable> toClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort
            }
        }
        cluster.close();
    }

    String connectString() {
        return cluster.getConnectString();
    }

    /** A started client with its own session (closed after the class). */
    CuratorFramework client(int sessionTimeoutMs) throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.builder().connectString(connectString())
                .sessionTimeoutMs(sessionTimeoutMs).connectionTimeoutMs(5_000)
                .retryPolicy(new ExponentialBackoffRetry(50, 20, 500)).build();
        c.start();
        if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
            c.close();
            throw new AssertionError("the in-JVM ensemble did not answer within 30 s");
        }
        toClose.add(c);
        return c;
    }

    /** A namespace on a client of its own, under a root path of its own. */
    ZkNamespace namespace(String root) throws InterruptedException {
        return namespace(root, 10_000);
    }

    /** A namespace on a client of its own with the given session timeout, under a root path of its own. */
    ZkNamespace namespace(String root, int sessionTimeoutMs) throws InterruptedException {
        ZkNamespace ns = new ZkNamespace(client(sessionTimeoutMs), root);
        toClose.add(ns);
        return ns;
    }

    /** A root path no other test uses. */
    static String freshRoot(String what) {
        return "/test-" + what + "-" + SEQ.incrementAndGet();
    }

    /**
     * Ends a client's session on the servers at once, as the servers would after the session
     * timeout of a client that died or was cut off: a second handle joins the session and
     * closes it. The servers delete the session's ephemeral nodes before this returns; the
     * client itself learns of it when it next talks to a server (Curator then reports LOST and
     * starts a new session).
     */
    void expireSession(CuratorFramework c) throws Exception {
        ZooKeeper zk = c.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper twin = new ZooKeeper(connectString(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, zk.getSessionId(), zk.getSessionPasswd());
        try {
            if (!connected.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the twin handle did not connect within 30 s");
            }
        } finally {
            twin.close();
        }
    }

    /** The server that leads the ensemble now, asked with the {@code srvr} command (allowed by default). */
    InstanceSpec leader() throws java.io.IOException {
        for (InstanceSpec spec : cluster.getInstances()) {
            try (java.net.Socket sock = new java.net.Socket("127.0.0.1", spec.getPort())) {
                sock.setSoTimeout(5_000);
                sock.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String reply = new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
                if (reply.contains("Mode: leader")) {
                    return spec;
                }
            } catch (java.net.ConnectException e) {
                // a server that is down
            }
        }
        throw new AssertionError("no server says it leads");
    }
}
