package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The namespace: connecting, bad input (connect strings, root paths, names, kinds, a stored
 * maximum), listing and unlinking, a closed namespace; and a semaphore lease that comes back
 * when its holder's session ends; a call that keeps trying through a loss of quorum (an
 * ensemble of its own).
 */
class ZkNamespaceTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();

    @Test
    public void malformedConnectStringsAreRejectedSayingWhy() {
        for (String bad : new String[] {"", "   ", "zk1:2181,,zk2:2181", "zk1:port", "zk1:0", "zk1:70000", "zk1:2181/a//b",
                "zk 1:2181", ":2181"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZkNamespace.connect(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid connect string"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> ZkNamespace.connect(null));
    }

    @Test
    public void connectToAnEnsembleThatDoesNotAnswerFailsWithIOExceptionAfterTheWait() {
        // port 1 on the loopback: nothing listens there
        IOException e = assertThrows(IOException.class, () -> ZkNamespace.connect("127.0.0.1:1", Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }

    @Test
    public void connectOpensTheDefaultRootAndCloseEndsTheSessionReleasingWhatItHeld() throws Exception {
        ZkNamespace other = ensemble.namespace(ZkNamespace.DEFAULT_ROOT);
        ZkMutex theirs = other.mutex("connect-test");
        try (ZkNamespace ns = ZkNamespace.connect(ensemble.connectString())) {
            assertEquals(ZkNamespace.DEFAULT_ROOT, ns.rootPath());
            ZkMutex m = ns.mutex("connect-test");
            m.lock();
            assertFalse(theirs.tryLock());
        }
        // closing the namespace closed its client: the session ended while holding the mutex
        CompletableFuture<Void> f = theirs.lockAsync();
        Throwable t = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS)).getCause();
        assertTrue(t instanceof io.waitkit.AbandonedMutexException, String.valueOf(t));
        assertTrue(theirs.isHeldByCurrentThread());
        theirs.unlock();
    }

    @Test
    public void constructorRejectsAClientNotStartedAndABadRootPath() throws Exception {
        CuratorFramework idle = CuratorFrameworkFactory.newClient(ensemble.connectString(), new RetryOneTime(10));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ZkNamespace(idle, "/x"));
            assertTrue(e.getMessage().contains("LATENT"), e.getMessage());
        } finally {
            idle.close();
        }
        CuratorFramework c = ensemble.client(10_000);
        for (String bad : new String[] {"relative", "/trailing/", "/a//b", ""}) {
            assertThrows(IllegalArgumentException.class, () -> new ZkNamespace(c, bad), bad);
        }
        assertThrows(NullPointerException.class, () -> new ZkNamespace(null, "/x"));
        assertThrows(NullPointerException.class, () -> new ZkNamespace(c, null));
    }

    @Test
    public void invalidNamesAreRejectedSayingWhyAndTheNamespaceStaysUsable() throws Exception {
        ZkNamespace ns = ensemble.namespace(Ensemble.freshRoot("names"));
        for (String bad : new String[] {"", ".", "..", ".hidden", "a/b", "tab\there", "c1\u0085", "smile\uD83D\uDE00",
                "x".repeat(201)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ns.mutex(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid object name"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ns.semaphore(bad, 1, 1), bad);
            assertThrows(IllegalArgumentException.class, () -> ns.unlink(bad), bad);
        }
        assertThrows(NullPointerException.class, () -> ns.mutex(null));
        assertTrue(ns.mutex("ünïcode names are fine").tryLock());
    }

    @Test
    public void aNameTakenByAnotherKindIsRefusedAndAStoredMaximumIsChecked() throws Exception {
        String root = Ensemble.freshRoot("kinds");
        ZkNamespace ns = ensemble.namespace(root);
        ZkNamespace elsewhere = ensemble.namespace(root);
        ns.mutex("m");
        ns.semaphore("s", 1, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> elsewhere.semaphore("m", 1, 1));
        assertTrue(e.getMessage().contains("exists as a mutex"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ns.mutex("s"));
        IllegalArgumentException ie = assertThrows(IllegalArgumentException.class, () -> elsewhere.semaphore("s", 1, 4));
        assertTrue(ie.getMessage().contains("exists with max 3"), ie.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ns.semaphore("s", 1, 2));
        assertEquals(3, elsewhere.semaphore("s", 0, 3).maxPermits(), "the same max opens it; initial is ignored");
        assertEquals(1, elsewhere.semaphore("s", 0, 3).availablePermits());
        assertThrows(IllegalArgumentException.class, () -> ns.semaphore("t", 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ns.semaphore("t", -1, 1));
        assertThrows(IllegalArgumentException.class, () -> ns.semaphore("t", 0, 0));
    }

    @Test
    public void listShowsEachObjectWithItsKindAndUnlinkRemovesIt() throws Exception {
        ZkNamespace ns = ensemble.namespace(Ensemble.freshRoot("list"));
        ns.mutex("b-mutex");
        ns.semaphore("a-sem", 0, 1);
        assertEquals(List.of(new ZkObjectInfo("a-sem", "semaphore"), new ZkObjectInfo("b-mutex", "mutex")), ns.list());
        assertTrue(ns.unlink("a-sem"));
        assertFalse(ns.unlink("a-sem"));
        assertEquals(List.of(new ZkObjectInfo("b-mutex", "mutex")), ns.list());
    }

    /** Reads {@code waiters(name)} until it is {@code n}, for at most 60 s; the last count either way. */
    private static java.util.OptionalInt waitersOnceAt(ZkNamespace ns, String name, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        java.util.OptionalInt c = ns.waiters(name);
        while (!c.equals(java.util.OptionalInt.of(n)) && System.nanoTime() - deadline < 0) {
            // polling another namespace's nodes: nothing here can be told when they are written
            Thread.sleep(50);
            c = ns.waiters(name);
        }
        return c;
    }

    @Test
    public void waitersCountsTheWaitsEachKindLeavesInZooKeeperAndNoneForSemaphoresAndCounters() throws Exception {
        String root = Ensemble.freshRoot("waiters");
        ZkNamespace holder = ensemble.namespace(root);
        ZkNamespace waiter = ensemble.namespace(root);
        ZkNamespace observer = ensemble.namespace(root);
        ZkMutex m = holder.mutex("m");
        m.lock();
        ZkEvent e = holder.event("e", true, false);
        ZkMessageQueue q = holder.messageQueue("q", 4, 16);
        ZkBarrier b = holder.barrier("b", 2);
        holder.semaphore("s", 0, 1);
        holder.counter("c", 0);
        for (String n : List.of("m", "e", "q", "b")) {
            assertEquals(java.util.OptionalInt.of(0), observer.waiters(n), n + ": nobody waits (the mutex's holder is no waiter)");
        }
        assertEquals(java.util.OptionalInt.empty(), observer.waiters("s"), "a semaphore's waits leave no node");
        assertEquals(java.util.OptionalInt.empty(), observer.waiters("c"), "nor a counter's");
        assertThrows(java.util.NoSuchElementException.class, () -> observer.waiters("missing"));
        CompletableFuture<Void> locked = waiter.mutex("m").lockAsync();
        CompletableFuture<Void> signaled = waiter.event("e", true, false).awaitAsync();
        CompletableFuture<io.waitkit.MessageQueue.Message> received = waiter.messageQueue("q", 4, 16).receiveAsync();
        CompletableFuture<Void> tripped = waiter.barrier("b", 2).awaitAsync();
        CompletableFuture<Void> alsoSignaled = waiter.event("e", true, false).awaitAsync();
        for (String n : List.of("m", "e", "q", "b")) {
            assertEquals(java.util.OptionalInt.of(1), waitersOnceAt(observer, n, 1),
                    n + ": one process waits (two waits on the event count once)");
        }
        m.unlock();
        e.set(); // manual reset: both waits
        q.send(new byte[] {1}, 0);
        b.await(Duration.ofSeconds(60));
        locked.get(60, TimeUnit.SECONDS);
        signaled.get(60, TimeUnit.SECONDS);
        alsoSignaled.get(60, TimeUnit.SECONDS);
        received.get(60, TimeUnit.SECONDS);
        tripped.get(60, TimeUnit.SECONDS);
        for (String n : List.of("m", "e", "q", "b")) {
            assertEquals(java.util.OptionalInt.of(0), waitersOnceAt(observer, n, 0), n + ": the waits are over (the new holder is no waiter)");
        }
        waiter.close();
        holder.close();
    }

    @Test
    public void aClosedNamespaceRefusesEveryOperation() throws Exception {
        ZkNamespace ns = ensemble.namespace(Ensemble.freshRoot("closed"));
        ZkMutex m = ns.mutex("m");
        ns.close();
        ns.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> ns.mutex("m"));
        assertThrows(IllegalStateException.class, ns::list);
        assertThrows(IllegalStateException.class, m::lock);
        assertThrows(IllegalStateException.class, m::tryLock);
    }

    @Test
    public void aLeaseOfASessionThatEndsComesBackToTheSemaphore() throws Exception {
        String root = Ensemble.freshRoot("lease");
        CuratorFramework holderClient = ensemble.client(10_000);
        ZkNamespace holder = new ZkNamespace(holderClient, root);
        ZkNamespace waiter = ensemble.namespace(root);
        ZkSemaphore sh = holder.semaphore("slots", 1, 1);
        ZkSemaphore sw = waiter.semaphore("slots", 1, 1);
        assertTrue(sh.tryAcquire());
        assertEquals(0, sw.availablePermits());
        CompletableFuture<Void> next = sw.acquireAsync();
        assertFalse(next.isDone());
        ensemble.expireSession(holderClient); // the holder never releases
        next.get(60, TimeUnit.SECONDS);
        assertEquals(0, sw.availablePermits(), "the permit went to the waiter");
        sw.release();
        assertEquals(1, sw.availablePermits());
        holder.close();
    }

    @Test
    public void connectWithARootPathAndAWaitOpensThatRootAndRefusesBadArguments() throws Exception {
        String root = Ensemble.freshRoot("connect-root");
        try (ZkNamespace ns = ZkNamespace.connect(ensemble.connectString(), root, Duration.ofSeconds(30))) {
            assertEquals(root, ns.rootPath());
            ns.counter("c", 3);
            assertEquals(3, ensemble.namespace(root).counter("c").get(), "the objects live under that root");
        }
        assertThrows(IllegalArgumentException.class, () -> ZkNamespace.connect(ensemble.connectString(), "no-slash", Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> ZkNamespace.connect(ensemble.connectString(), root, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> ZkNamespace.connect(ensemble.connectString(), null, Duration.ofSeconds(1)));
    }

    @Test
    public void infoAndOpenExistingFindWhatIsStoredAndCreateNothing() throws Exception {
        ZkNamespace ns = ensemble.namespace(Ensemble.freshRoot("open-existing"));
        assertTrue(ns.info("e").isEmpty());
        assertThrows(java.util.NoSuchElementException.class, () -> ns.openExisting("e", ZkEvent.class));
        assertTrue(ns.info("e").isEmpty(), "openExisting created nothing");
        ns.event("e", true, true);
        ns.semaphore("s", 1, 5);
        ns.barrier("b", 3);
        assertEquals(new ZkObjectInfo("e", "event"), ns.info("e").orElseThrow());
        assertTrue(ns.openExisting("e", ZkEvent.class).isManualReset(), "the stored reset kind");
        assertEquals(5, ns.openExisting("s", ZkSemaphore.class).maxPermits(), "the stored maximum");
        assertEquals(3, ns.openExisting("b", ZkBarrier.class).parties(), "the stored parties");
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> ns.openExisting("s", ZkEvent.class));
        assertTrue(wrong.getMessage().contains("exists as a semaphore, not a event"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ns.openExisting("s", String.class));
    }

    @Test
    public void aDetachedPermitStaysTakenAfterItsSessionEnds() throws Exception {
        String root = Ensemble.freshRoot("detach");
        ZkSemaphore observer = ensemble.namespace(root).semaphore("s", 2, 2);
        try (ZkNamespace ns = ZkNamespace.connect(ensemble.connectString(), root, Duration.ofSeconds(30))) {
            ZkSemaphore s = ns.semaphore("s", 2, 2);
            assertThrows(IllegalStateException.class, s::detachPermit, "no permit held here");
            assertTrue(s.tryAcquire(Duration.ofSeconds(10)));
            assertTrue(s.tryAcquire(Duration.ofSeconds(10)));
            s.detachPermit();
            assertEquals(0, observer.availablePermits(), "detaching changes no count");
        }
        // the session ended: its remaining lease came back, the detached permit did not
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (observer.availablePermits() != 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // polling a ZooKeeper read: each read is a round trip
        }
        assertEquals(1, observer.availablePermits());
        assertEquals(1, observer.release(), "a release by anyone gives the detached permit back");
        assertEquals(2, observer.availablePermits());
    }

    @Test
    public void aCallOfAConnectedNamespaceKeepsTryingThroughALossOfQuorumShorterThanItsRetrying() throws Exception {
        // past the session (Curator starts a new one meanwhile) and past the 12-14 s that ten
        // short retries of Curator's lasted
        Duration outage = Duration.ofSeconds(17);
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            try (ZkNamespace ns = ZkNamespace.connect(cluster.getConnectString())) {
                ZkSemaphore sem = ns.semaphore("slots", 1, 1);
                assertTrue(sem.tryAcquire(Duration.ofSeconds(10)));
                List<InstanceSpec> down = new java.util.ArrayList<>(cluster.getInstances()).subList(0, 2);
                for (InstanceSpec s : down) {
                    assertTrue(cluster.killServer(s), "killed " + s);
                }
                long killed = System.nanoTime();
                // a release makes its ZooKeeper calls on the calling thread (it reads the count first)
                CompletableFuture<Integer> call = CompletableFuture.supplyAsync(sem::release,
                        r -> Thread.ofPlatform().name("caller").start(r));
                // the outage itself: no server answers for its whole length
                TimeUnit.NANOSECONDS.sleep(Math.max(0, outage.toNanos() - (System.nanoTime() - killed)));
                assertFalse(call.isDone(), () -> "the call stopped trying within " + outage.toSeconds() + " s: "
                        + call.handle((v, t) -> t == null ? "returned " + v : t.toString()).join());
                for (InstanceSpec s : down) {
                    assertTrue(cluster.restartServer(s), "restarted " + s);
                }
                call.get(60, TimeUnit.SECONDS);
                assertEquals(1, sem.availablePermits(), "the permit is back (released, or its lease ended with the session)");
            }
        }
    }
}
