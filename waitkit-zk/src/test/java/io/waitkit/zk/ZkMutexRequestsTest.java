package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ZooKeeper requests of a {@link ZkMutex}: an uncontended lock + unlock costs three, as a
 * plain lock recipe (the claim: owner marker and lock node created in one transaction; the
 * listing; the release transaction), made on the calling thread when the namespace is idle;
 * a claim that races a waiter about to be granted gives way, and an abandonment is still seen.
 */
class ZkMutexRequestsTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();

    @Test
    void uncontendedLockAndUnlockMakeThreeRequestsOnTheCallingThread() throws Exception {
        CuratorFramework c = ensemble.client(10_000);
        ZkNamespace ns = new ZkNamespace(c, Ensemble.freshRoot("requests"));
        try {
            ZkMutex m = ns.mutex("m");
            m.lock(); // the first creates what the later ones find
            m.unlock();
            OperationRecorder r = new OperationRecorder();
            c.getZookeeperClient().setTracerDriver(r);
            String me = " @" + Thread.currentThread().getName();
            for (int i = 0; i < 3; i++) {
                m.lock();
                assertTrue(m.isHeldByCurrentThread());
                m.unlock();
                assertEquals(List.of("CuratorMultiTransactionImpl-Foreground" + me, "GetChildrenBuilderImpl-Foreground" + me,
                        "CuratorMultiTransactionImpl-Foreground" + me), r.drain());
            }
        } finally {
            ns.close();
        }
    }

    @Test
    void lockAtDispatchLevelThrowsWithoutARequestAlsoWhenTheMutexIsFree() throws Exception {
        CuratorFramework c = ensemble.client(10_000);
        ZkNamespace ns = new ZkNamespace(c, Ensemble.freshRoot("requests-dispatch"));
        try {
            ZkMutex m = ns.mutex("m");
            m.lock();
            m.unlock();
            OperationRecorder r = new OperationRecorder();
            c.getZookeeperClient().setTracerDriver(r);
            try (io.waitkit.Irql.Scope s = io.waitkit.Irql.raise(io.waitkit.Irql.DISPATCH_LEVEL)) {
                assertThrows(IllegalStateException.class, m::lock);
            }
            assertFalse(m.isHeldByCurrentThread());
            assertEquals(List.of(), r.drain(), "no ZooKeeper request at DISPATCH_LEVEL");
            m.lock(); // nothing was left queued or granted
            assertTrue(m.isHeldByCurrentThread());
            m.unlock();
        } finally {
            ns.close();
        }
    }

    @Test
    void aLockQueuedBehindAnotherProcessStillWaitsAndIsGrantedWhenItReleases() throws Exception {
        String root = Ensemble.freshRoot("requests-queued");
        ZkNamespace a = ensemble.namespace(root);
        ZkNamespace b = ensemble.namespace(root);
        ZkMutex ma = a.mutex("m");
        ZkMutex mb = b.mutex("m");
        ma.lock();
        CompletableFuture<Void> got = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            mb.lock(); // the calling thread queues b's node itself, then waits in the engine
            got.complete(null);
        });
        // b's node is queued behind a's before a releases: b's lock is blocked, not failed
        assertThrows(java.util.concurrent.TimeoutException.class, () -> got.get(300, TimeUnit.MILLISECONDS));
        ma.unlock();
        got.get(60, TimeUnit.SECONDS);
        assertTrue(t.join(java.time.Duration.ofSeconds(60)));
        assertFalse(ma.isHeldByCurrentThread());
        assertEquals(1, mb.ownerHoldCount());
    }

    private static byte[] session(CuratorFramework c) throws Exception {
        return Long.toHexString(c.getZookeeperClient().getZooKeeper().getSessionId())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The owner marker's session, read after a sync (the client may be on a server that lags). */
    private static String marker(CuratorFramework c, String mutexPath) throws Exception {
        c.sync().forPath(mutexPath);
        try {
            return new String(c.getData().forPath(mutexPath + "/owner"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
            return null;
        }
    }

    @Test
    void aClaimBehindAGrantedNodeGivesWayAndTheHolderTakesOverAClaimOfAQueuedSessionWithoutAbandonment()
            throws Exception {
        String root = Ensemble.freshRoot("requests-claims");
        ZkNamespace nb = ensemble.namespace(root);
        ZkMutex mb = nb.mutex("m");
        String mutexPath = root + "/m";
        CuratorFramework h = ensemble.client(10_000);
        CuratorFramework cc = ensemble.client(10_000);
        // h: a node that is first and granted, its marker not written yet (the window of a grant)
        String hNode = h.create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(mutexPath + "/lock-", session(h));
        CompletableFuture<Void> got = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                mb.lock(); // claims (no marker), is second, gives the claim up, waits for h
                got.complete(null);
            } catch (Throwable e) {
                got.completeExceptionally(e);
            }
        });
        // b's node queued behind h's, and b's claim dropped again
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (h.getChildren().forPath(mutexPath).stream().filter(n -> n.contains("lock-")).count() < 2
                || marker(h, mutexPath) != null) {
            assertTrue(System.nanoTime() < end, "b did not queue, or did not give its claim up");
            Thread.sleep(10);
        }
        assertFalse(got.isDone());
        // c claims now (marker and node in one transaction) behind b, then h leaves: b is granted
        cc.transaction().forOperations(
                cc.transactionOp().create().forPath(mutexPath + "/owner", session(cc)),
                cc.transactionOp().create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath(mutexPath + "/lock-", session(cc)));
        h.delete().forPath(hNode);
        got.get(60, TimeUnit.SECONDS); // no AbandonedMutexException: c's session still queues
        assertTrue(t.join(java.time.Duration.ofSeconds(60)));
        assertEquals(nb.sessionId(), marker(h, mutexPath), "b took the marker over");
        // c's own give-way (a versioned delete of the marker it made) now fails and changes nothing
        assertThrows(org.apache.zookeeper.KeeperException.BadVersionException.class,
                () -> cc.delete().withVersion(0).forPath(mutexPath + "/owner"));
        assertEquals(nb.sessionId(), marker(h, mutexPath));
        assertFalse(mb.isAbandoned());
    }

    @Test
    void aClaimsGiveWayLeavesTheMarkerALaterHolderMadeAnewAtTheSameVersion() throws Exception {
        String root = Ensemble.freshRoot("requests-claim-anew");
        String mutexPath = root + "/m";
        String owner = mutexPath + "/owner";
        CuratorFramework cb = ensemble.client(10_000);
        ZkNamespace nb = new ZkNamespace(cb, root);
        CuratorFramework h = ensemble.client(10_000);
        CuratorFramework f = ensemble.client(10_000);
        try {
            ZkMutex mb = nb.mutex("m");
            // h: first and granted, its marker not written yet; f queued behind it
            String hNode = h.create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath(mutexPath + "/s" + new String(session(h), java.nio.charset.StandardCharsets.UTF_8) + "-lock-", session(h));
            String fNode = f.create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath(mutexPath + "/s" + new String(session(f), java.nio.charset.StandardCharsets.UTF_8) + "-lock-", session(f));
            String fName = fNode.substring(fNode.lastIndexOf('/') + 1);
            // b's claim (its first request, on b's namespace thread) is held right after it
            // committed, before b lists the queue; b's watch on f is recorded
            CompletableFuture<Void> watchingF = new CompletableFuture<>();
            HoldAfterTrace claim = new HoldAfterTrace(t -> t.getName().equals("CuratorMultiTransactionImpl-Foreground"), t -> {
                if (t.isWithWatcher() && t.getPath() != null && t.getPath().endsWith(fName)) {
                    watchingF.complete(null);
                }
            });
            cb.getZookeeperClient().setTracerDriver(claim);
            CompletableFuture<Void> got = mb.lockAsync();
            assertTrue(claim.awaitHeld());
            assertEquals(nb.sessionId(), marker(h, mutexPath), "b's claim made the marker");
            // meanwhile h takes the claim over, releases in order, and f, first now, makes its
            // own marker anew: version 0, as the claim's was
            h.setData().forPath(owner, session(h));
            h.transaction().forOperations(
                    h.transactionOp().check().forPath(hNode),
                    h.transactionOp().delete().forPath(owner),
                    h.transactionOp().delete().forPath(hNode));
            f.create().forPath(owner, session(f));
            assertEquals(0, f.checkExists().forPath(owner).getVersion());
            claim.release();
            watchingF.get(60, TimeUnit.SECONDS); // b found f ahead, gave its claim up, watches f
            assertEquals(new String(session(f), java.nio.charset.StandardCharsets.UTF_8), marker(h, mutexPath),
                    "b's give-way left f's marker");
            assertFalse(got.isDone());
            // f releases in order: b is granted, and nobody abandoned anything
            f.transaction().forOperations(
                    f.transactionOp().check().forPath(fNode),
                    f.transactionOp().delete().forPath(owner),
                    f.transactionOp().delete().forPath(fNode));
            got.get(60, TimeUnit.SECONDS);
            assertTrue(mb.isHeldByCurrentThread());
            assertEquals(nb.sessionId(), marker(h, mutexPath));
            mb.unlock();
            assertFalse(mb.isAbandoned());
        } finally {
            nb.close();
        }
    }

    @Test
    void anAbandonmentIsReportedToAnUncontendedLock() throws Exception {
        String root = Ensemble.freshRoot("requests-abandoned");
        CuratorFramework ca = ensemble.client(10_000);
        ZkNamespace a = new ZkNamespace(ca, root);
        ZkNamespace b = ensemble.namespace(root);
        try {
            a.mutex("m").lock();
            ensemble.expireSession(ca);
            ZkMutex mb = b.mutex("m");
            assertThrows(AbandonedMutexException.class, mb::lock);
            assertTrue(mb.isHeldByCurrentThread());
            mb.unlock();
            mb.lock(); // released in order: no abandonment now
            mb.unlock();
        } finally {
            a.close();
        }
    }
}
