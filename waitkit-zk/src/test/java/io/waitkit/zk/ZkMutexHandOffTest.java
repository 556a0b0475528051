package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-off of a {@link ZkMutex}: a release hands the lock and the owner marker to the
 * successor it saw queued, in its own release transaction, so that the successor owns without
 * a write of its own; a successor that left before the release, or withdraws after it, leaves
 * no marker of a live session without a node (no false abandonment) and no lock held by
 * nobody; a session that ends after it was handed the lock is reported as an abandonment.
 * Other sessions' nodes are made here with plain Curator calls, named as {@link ZkMutexProxy}
 * names them ({@code s{session}-lock-}).
 */
class ZkMutexHandOffTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();

    private static final long WAIT_S = 60;

    private static String session(CuratorFramework c) throws Exception {
        return Long.toHexString(c.getZookeeperClient().getZooKeeper().getSessionId());
    }

    /** A lock node of another session, queued with a plain create. */
    private static String queue(CuratorFramework c, String mutexPath) throws Exception {
        String s = session(c);
        return c.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(mutexPath + "/s" + s + "-lock-",
                s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> lockNodes(CuratorFramework c, String mutexPath) throws Exception {
        c.sync().forPath(mutexPath);
        return c.getChildren().forPath(mutexPath).stream().filter(n -> n.contains("lock-")).toList();
    }

    private static String marker(CuratorFramework c, String mutexPath) throws Exception {
        c.sync().forPath(mutexPath);
        try {
            return new String(c.getData().forPath(mutexPath + "/owner"), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls a condition of the ZooKeeper state (another process's progress) until it holds, bounded. */
    private static void until(String what, Check c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!c.holds()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(10);
        }
    }

    /** A thread that locks, reports, and unlocks when told. */
    private static final class Holder {
        final CompletableFuture<Void> locked = new CompletableFuture<>();
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Void> unlocked = new CompletableFuture<>();
        final Thread thread;

        Holder(ZkMutex m) {
            thread = Thread.ofPlatform().start(() -> {
                try {
                    m.lock();
                    locked.complete(null);
                    if (!release.await(WAIT_S, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not told to unlock");
                    }
                    m.unlock();
                    unlocked.complete(null);
                } catch (Throwable e) {
                    locked.completeExceptionally(e);
                    unlocked.completeExceptionally(e);
                }
            });
        }

        void unlock() throws Exception {
            release.countDown();
            unlocked.get(WAIT_S, TimeUnit.SECONDS);
            assertTrue(thread.join(java.time.Duration.ofSeconds(WAIT_S)));
        }
    }

    /**
     * The current thread owns {@code mb} through namespace {@code b}, the marker naming b's
     * session; its unlock leaves no lock node and no marker, and no abandonment.
     */
    private static void ownsThenLeavesNothing(CuratorFramework h, String mutexPath, ZkNamespace b, ZkMutex mb)
            throws Exception {
        assertEquals(b.sessionId(), marker(h, mutexPath), "the marker names b");
        assertTrue(mb.isHeldByCurrentThread());
        mb.unlock();
        assertNull(marker(h, mutexPath));
        assertEquals(List.of(), lockNodes(h, mutexPath));
        assertFalse(mb.isAbandoned());
    }

    /** h's node, first in the queue, and a holder of {@code m} queued behind it. */
    private record Queued(String hNode, Holder holder) {
    }

    /**
     * Queues a node of client {@code h} first, then starts a {@link Holder} of {@code m}
     * and waits until its node is queued behind h's (no marker yet: nobody owns the mutex).
     */
    private static Queued holderBehindH(CuratorFramework h, String mutexPath, ZkMutex m) throws Exception {
        String hNode = queue(h, mutexPath);
        Holder holder = new Holder(m);
        until("a did not queue behind h", () -> lockNodes(h, mutexPath).size() == 2 && marker(h, mutexPath) == null);
        return new Queued(hNode, holder);
    }

    @Test
    void aReleaseHandsTheLockAndTheMarkerToTheQueuedSuccessorWhichOwnsWithoutAWriteOfItsOwn() throws Exception {
        String root = Ensemble.freshRoot("handoff");
        String mutexPath = root + "/m";
        CuratorFramework ca = ensemble.client(10_000);
        CuratorFramework cb = ensemble.client(10_000);
        ZkNamespace a = new ZkNamespace(ca, root);
        ZkNamespace b = new ZkNamespace(cb, root);
        CuratorFramework h = ensemble.client(10_000);
        try {
            ZkMutex ma = a.mutex("m");
            ZkMutex mb = b.mutex("m");
            Queued q = holderBehindH(h, mutexPath, ma);
            String hNode = q.hNode();
            Holder ha = q.holder();
            CompletableFuture<Void> gb = mb.lockAsync();
            until("b did not queue behind a", () -> lockNodes(h, mutexPath).size() == 3 && marker(h, mutexPath) == null);
            h.delete().forPath(hNode); // a is granted, and its listing has b after it
            ha.locked.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(a.sessionId(), marker(h, mutexPath));
            OperationRecorder ra = new OperationRecorder();
            OperationRecorder rb = new OperationRecorder();
            ca.getZookeeperClient().setTracerDriver(ra);
            cb.getZookeeperClient().setTracerDriver(rb);
            ha.unlock();
            gb.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(List.of("CuratorMultiTransactionImpl-Foreground"), ra.drainNames(), "a's release: one transaction");
            for (String op : rb.drainNames()) {
                assertFalse(op.startsWith("Create") || op.startsWith("SetData") || op.startsWith("Delete")
                        || op.startsWith("CuratorMultiTransaction"), "b wrote before it owned: " + op);
            }
            ownsThenLeavesNothing(h, mutexPath, b, mb);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aHandedSuccessorIsGrantedOnTheWatchEventsThreadWithoutAHopThroughTheNamespacesThread() throws Exception {
        String root = Ensemble.freshRoot("handoff-direct");
        String mutexPath = root + "/m";
        ZkNamespace a = ensemble.namespace(root);
        CuratorFramework cb = ensemble.client(10_000);
        ZkNamespace b = new ZkNamespace(cb, root);
        CuratorFramework h = ensemble.client(10_000);
        try {
            // the thread b's client delivers watch events on
            CompletableFuture<Thread> eventThread = new CompletableFuture<>();
            cb.checkExists().usingWatcher((org.apache.zookeeper.Watcher) e -> eventThread.complete(Thread.currentThread()))
                    .forPath(root + "/probe");
            h.create().forPath(root + "/probe");
            Thread bEvents = eventThread.get(WAIT_S, TimeUnit.SECONDS);
            ZkMutex ma = a.mutex("m");
            ZkMutex mb = b.mutex("m");
            Queued q = holderBehindH(h, mutexPath, ma);
            String hNode = q.hNode();
            Holder ha = q.holder();
            CompletableFuture<Void> gb = mb.lockAsync();
            CompletableFuture<Thread> grantedOn = new CompletableFuture<>();
            gb.whenComplete((v, e) -> grantedOn.complete(Thread.currentThread()));
            b.callOnAgent(() -> null, "wait for b's queueing step"); // b's node queued and its watch set
            until("b did not queue behind a", () -> lockNodes(h, mutexPath).size() == 3 && marker(h, mutexPath) == null);
            h.delete().forPath(hNode); // a is granted, and its listing has b after it
            ha.locked.get(WAIT_S, TimeUnit.SECONDS);
            assertFalse(gb.isDone());
            ha.unlock(); // hands the lock to b: b's watch fires, its look shows b first and named
            // (not gb.get(): a thread waiting in it may run gb's dependents itself once gb is done)
            assertEquals(bEvents, grantedOn.get(WAIT_S, TimeUnit.SECONDS),
                    "the grant reached b's waiter from the watch event's thread, not through the namespace's thread");
            gb.get(WAIT_S, TimeUnit.SECONDS);
            ownsThenLeavesNothing(h, mutexPath, b, mb);
        } finally {
            b.close();
        }
    }

    @Test
    void aContendedLockThatIsHandedTheLockRunsNoStepOnTheNamespacesThread() throws Exception {
        String root = Ensemble.freshRoot("handoff-steps");
        String mutexPath = root + "/m";
        ZkNamespace a = ensemble.namespace(root);
        ZkNamespace b = ensemble.namespace(root);
        CuratorFramework h = ensemble.client(10_000);
        ZkMutex ma = a.mutex("m");
        ZkMutex mb = b.mutex("m");
        Queued q = holderBehindH(h, mutexPath, ma);
        String hNode = q.hNode();
        Holder ha = q.holder();
        long before = b.stepsOnThread();
        // b's lock() queues b's node itself (inline), then waits in the engine
        Holder hb = new Holder(mb);
        until("b did not queue behind a", () -> lockNodes(h, mutexPath).size() == 3);
        h.delete().forPath(hNode); // a is granted, and its listing has b after it
        ha.locked.get(WAIT_S, TimeUnit.SECONDS);
        ha.unlock(); // hands the lock to b: granted from b's watch, on b's event thread
        hb.locked.get(WAIT_S, TimeUnit.SECONDS);
        hb.unlock(); // b's release, inline
        assertEquals(before, b.stepsOnThread(),
                "b's queueing, grant and release ran as inline steps, none on the namespace's thread");
        assertNull(marker(h, mutexPath));
        assertEquals(List.of(), lockNodes(h, mutexPath));
    }

    @Test
    void aSuccessorWhoseSessionEndedBeforeTheReleaseGetsNothingAndTheNextLockSeesNoAbandonment() throws Exception {
        String root = Ensemble.freshRoot("handoff-gone");
        String mutexPath = root + "/m";
        ZkNamespace a = ensemble.namespace(root);
        ZkNamespace b = ensemble.namespace(root);
        CuratorFramework h = ensemble.client(10_000);
        CuratorFramework x = ensemble.client(10_000);
        ZkMutex ma = a.mutex("m");
        ZkMutex mb = b.mutex("m");
        Queued q = holderBehindH(h, mutexPath, ma);
        String hNode = q.hNode();
        Holder ha = q.holder();
        queue(x, mutexPath);
        h.delete().forPath(hNode); // a is granted, and its listing has x after it
        ha.locked.get(WAIT_S, TimeUnit.SECONDS);
        x.close(); // x's session ends between a's listing and a's release
        until("x's node did not go with its session", () -> lockNodes(h, mutexPath).size() == 1);
        ha.unlock(); // the hand-off fails on x's node: the plain release
        assertNull(marker(h, mutexPath), "no marker naming x's ended session");
        assertEquals(List.of(), lockNodes(h, mutexPath));
        assertFalse(mb.isAbandoned());
        mb.lock(); // not AbandonedMutexException
        assertTrue(mb.isHeldByCurrentThread());
        mb.unlock();
    }

    @Test
    void aSuccessorThatWithdrawsAfterItWasHandedTheLockGivesItBackInOrderWithoutAbandonment() throws Exception {
        String root = Ensemble.freshRoot("handoff-withdrawn");
        String mutexPath = root + "/m";
        ZkNamespace b = ensemble.namespace(root);
        ZkNamespace c = ensemble.namespace(root);
        CuratorFramework h = ensemble.client(10_000);
        ZkMutex mb = b.mutex("m");
        ZkMutex mc = c.mutex("m");
        String hNode = queue(h, mutexPath);
        CompletableFuture<Void> gb = mb.lockAsync();
        until("b did not queue behind h", () -> lockNodes(h, mutexPath).size() == 2 && marker(h, mutexPath) == null);
        String bNode = mutexPath + "/" + lockNodes(h, mutexPath).stream().filter(n -> !hNode.endsWith(n)).findFirst().orElseThrow();
        // hold b's namespace thread, so that its withdrawal runs before it sees the hand-off
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        b.onAgent(() -> {
            entered.countDown();
            try {
                gate.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(entered.await(WAIT_S, TimeUnit.SECONDS));
        assertTrue(gb.cancel(false)); // b's waiter leaves: b withdraws its node (queued behind the gate)
        // h releases as a ZkMutex does, handing the lock and the marker to b's node
        byte[] bs = b.sessionId().getBytes(StandardCharsets.UTF_8);
        h.transaction().forOperations(
                h.transactionOp().check().forPath(bNode),
                h.transactionOp().create().forPath(mutexPath + "/owner", bs),
                h.transactionOp().delete().forPath(hNode));
        gate.countDown();
        // b's withdrawal finds the marker naming it and its node first: b releases the lock in order
        until("b did not give the lock back", () -> lockNodes(h, mutexPath).isEmpty() && marker(h, mutexPath) == null);
        assertFalse(mc.isAbandoned());
        mc.lock(); // not AbandonedMutexException: nobody held the mutex
        assertTrue(mc.isHeldByCurrentThread());
        mc.unlock();
    }

    @Test
    void aWithdrawalRacingAMarkerMadeAnewAndHandedToItGivesTheLockBackInOrderWithoutAbandonment() throws Exception {
        String root = Ensemble.freshRoot("handoff-withdrawn-anew");
        String mutexPath = root + "/m";
        String owner = mutexPath + "/owner";
        CuratorFramework cb = ensemble.client(10_000);
        ZkNamespace b = new ZkNamespace(cb, root);
        ZkNamespace c = ensemble.namespace(root);
        CuratorFramework h = ensemble.client(10_000);
        CuratorFramework g = ensemble.client(10_000);
        try {
            ZkMutex mb = b.mutex("m");
            ZkMutex mc = c.mutex("m");
            // h holds, its marker at version 1 (handed to it); g is queued behind it
            String hNode = queue(h, mutexPath);
            h.create().forPath(owner, session(h).getBytes(StandardCharsets.UTF_8));
            h.setData().forPath(owner, session(h).getBytes(StandardCharsets.UTF_8));
            String gNode = queue(g, mutexPath);
            CompletableFuture<Void> gb = mb.lockAsync();
            until("b did not queue behind g", () -> lockNodes(h, mutexPath).size() == 3);
            b.callOnAgent(() -> null, "wait for b's queueing step");
            String bNode = mutexPath + "/" + lockNodes(h, mutexPath).stream()
                    .filter(n -> !hNode.endsWith(n) && !gNode.endsWith(n)).findFirst().orElseThrow();
            // b's withdrawal is held right after its read of the queue and the marker
            HoldAfterTrace read = new HoldAfterTrace(
                    t -> t.getName().equals(ZkMutexProxy.LOOK_TRACE) || t.getName().startsWith("GetData"), t -> { });
            cb.getZookeeperClient().setTracerDriver(read);
            assertTrue(gb.cancel(false)); // b's waiter leaves: b withdraws its node
            assertTrue(read.awaitHeld());
            assertEquals(1, h.checkExists().forPath(owner).getVersion());
            // meanwhile h releases plainly, g, first now, makes the marker anew (version 0) and
            // hands it to b: the marker names b at version 1, as h's did when b read it
            h.transaction().forOperations(
                    h.transactionOp().check().forPath(hNode),
                    h.transactionOp().delete().forPath(owner),
                    h.transactionOp().delete().forPath(hNode));
            g.create().forPath(owner, session(g).getBytes(StandardCharsets.UTF_8));
            g.transaction().forOperations(
                    g.transactionOp().check().forPath(bNode),
                    g.transactionOp().setData().forPath(owner, b.sessionId().getBytes(StandardCharsets.UTF_8)),
                    g.transactionOp().delete().forPath(gNode));
            assertEquals(1, h.checkExists().forPath(owner).getVersion());
            read.release();
            // b's node was handed the lock: its withdrawal gives it back in order, marker and all
            until("b did not withdraw", () -> lockNodes(h, mutexPath).isEmpty());
            assertNull(marker(h, mutexPath), "the marker went with b's node");
            assertFalse(mc.isAbandoned());
            mc.lock(); // not AbandonedMutexException: nobody's session ended
            assertTrue(mc.isHeldByCurrentThread());
            mc.unlock();
        } finally {
            b.close();
        }
    }

    @Test
    void aSessionThatEndsAfterItWasHandedTheLockIsReportedAsAnAbandonment() throws Exception {
        String root = Ensemble.freshRoot("handoff-lost");
        String mutexPath = root + "/m";
        ZkNamespace c = ensemble.namespace(root);
        CuratorFramework h = ensemble.client(10_000);
        CuratorFramework x = ensemble.client(10_000);
        ZkMutex mc = c.mutex("m");
        String hNode = queue(h, mutexPath);
        String xNode = queue(x, mutexPath);
        byte[] xs = session(x).getBytes(StandardCharsets.UTF_8);
        h.transaction().forOperations(
                h.transactionOp().check().forPath(xNode),
                h.transactionOp().create().forPath(mutexPath + "/owner", xs),
                h.transactionOp().delete().forPath(hNode));
        x.close(); // x held the lock in ZooKeeper: whether a thread there took it, nobody can tell
        until("x's node did not go with its session", () -> lockNodes(h, mutexPath).isEmpty());
        assertTrue(mc.isAbandoned());
        assertThrows(AbandonedMutexException.class, mc::lock);
        assertTrue(mc.isHeldByCurrentThread());
        mc.unlock();
        assertFalse(mc.isAbandoned());
    }
}
