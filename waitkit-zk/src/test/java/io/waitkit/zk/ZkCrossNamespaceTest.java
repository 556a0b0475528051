package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Objects shared by several namespaces, each on a client and session of its own (as separate
 * processes would be): an auto-reset signal is taken exactly once, pulses reach the waiters of
 * other processes, wait-all over ZooKeeper and in-process objects is all or nothing.
 */
class ZkCrossNamespaceTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    private static final long BOUND_S = 60;

    private static List<ZkNamespace> namespaces(String root, int n) throws InterruptedException {
        List<ZkNamespace> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ensemble.namespace(root));
        }
        return out;
    }

    @Test
    public void autoResetSetWithWaitersInOtherProcessesReleasesExactlyOne() throws Exception {
        List<ZkNamespace> ns = namespaces(Ensemble.freshRoot("auto-set"), 4);
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (int i = 1; i < 4; i++) {
            waits.add(ns.get(i).event("go", false, false).awaitAsync());
        }
        ZkEvent setter = ns.get(0).event("go", false, false);
        awaitRegistered(ns.get(0), "go", 3);
        assertFalse(setter.set());
        CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new)).get(BOUND_S, TimeUnit.SECONDS);
        // the winner consumed it; the others stay pending (a second set releases exactly one more)
        assertFalse(setter.isSignaled());
        assertEquals(1, waits.stream().filter(CompletableFuture::isDone).count());
        setter.set();
        waitUntil(() -> waits.stream().filter(CompletableFuture::isDone).count() == 2);
        assertFalse(setter.isSignaled());
        waits.forEach(f -> f.cancel(false));
    }

    @Test
    public void manualPulseReleasesTheWaitersOfOtherProcessesAndLeavesItNonSignaled() throws Exception {
        List<ZkNamespace> ns = namespaces(Ensemble.freshRoot("manual-pulse"), 3);
        CompletableFuture<Void> a = ns.get(1).event("tick", true, false).awaitAsync();
        CompletableFuture<Void> b = ns.get(2).event("tick", true, false).awaitAsync();
        ZkEvent e = ns.get(0).event("tick", true, false);
        awaitRegistered(ns.get(0), "tick", 2);
        assertFalse(e.pulse());
        CompletableFuture.allOf(a, b).get(BOUND_S, TimeUnit.SECONDS);
        assertFalse(e.isSignaled());
    }

    @Test
    public void autoPulseReleasesOneWaiterOfAnotherProcess() throws Exception {
        List<ZkNamespace> ns = namespaces(Ensemble.freshRoot("auto-pulse"), 3);
        CompletableFuture<Void> a = ns.get(1).event("tick", false, false).awaitAsync();
        CompletableFuture<Void> b = ns.get(2).event("tick", false, false).awaitAsync();
        ZkEvent e = ns.get(0).event("tick", false, false);
        awaitRegistered(ns.get(0), "tick", 2);
        assertFalse(e.pulse());
        CompletableFuture.anyOf(a, b).get(BOUND_S, TimeUnit.SECONDS);
        assertFalse(e.isSignaled());
        assertEquals(1, (a.isDone() ? 1 : 0) + (b.isDone() ? 1 : 0));
        a.cancel(false);
        b.cancel(false);
    }

    @Test
    public void waitAllOverZooKeeperAndInProcessObjectsTakesAllOrNothing() throws Exception {
        List<ZkNamespace> ns = namespaces(Ensemble.freshRoot("wait-all"), 2);
        ZkMutex m = ns.get(0).mutex("m");
        ZkSemaphore s = ns.get(0).semaphore("s", 0, 1);
        Semaphore local = new Semaphore(1, 1);
        Event ev = Event.autoReset(false);
        CompletableFuture<Void> all = Wait.allAsync(m, s, local, ev);
        ev.set();
        // the ZooKeeper semaphore has no permit: nothing is taken
        assertFalse(all.isDone());
        assertEquals(1, local.availablePermits());
        ZkSemaphore other = ns.get(1).semaphore("s", 0, 1);
        other.release();
        all.get(BOUND_S, TimeUnit.SECONDS);
        assertTrue(m.isHeldByCurrentThread(), "async ownership goes to the thread that started the wait");
        assertEquals(0, local.availablePermits());
        assertFalse(ev.isSignaled());
        assertEquals(0, s.availablePermits());
        m.unlock();
        s.release();
        assertEquals(1, other.availablePermits());
    }

    /** Waits until {@code n} processes registered as waiters of the event (read through its namespace). */
    private static void awaitRegistered(ZkNamespace ns, String name, int n) throws Exception {
        String waiters = ns.rootPath() + "/" + name + "/waiters";
        waitUntil(() -> {
            try {
                return ns.client().getChildren().forPath(waiters).size() == n;
            } catch (org.apache.zookeeper.KeeperException.NoNodeException x) {
                return false;
            }
        }, n + " waiting processes under " + waiters);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(Check c) throws Exception {
        waitUntil(c, "condition");
    }

    private static void waitUntil(Check c, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_S);
        while (!c.ok()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError(what + " not reached within " + BOUND_S + " s");
            }
            // the state of other sessions in ZooKeeper, read again after a short pause (no thread of
            // this test signals it; a watch would need the same loop for children that come later)
            Thread.sleep(5);
        }
    }
}
