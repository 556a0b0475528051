package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ZkBarrier} and {@link ZkCounter} across processes (namespaces with sessions of their
 * own), under faults (a member's session ending while it waits, a server restarted while
 * processes wait), and their bad input.
 */
class ZkBarrierCounterTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    /** Bound for anything that involves a session ending, a leader election or a reconnection. */
    private static final long BOUND_S = 60;

    // ---------------------------------------------------------------- barrier

    @Test
    public void roundsAcrossThreeProcessesReleaseEveryMemberAndLeaveTheBarrierEmpty() throws Exception {
        String root = Ensemble.freshRoot("barrier-rounds");
        ZkBarrier a = ensemble.namespace(root).barrier("step", 3);
        ZkBarrier b = ensemble.namespace(root).barrier("step", 3);
        ZkBarrier c = ensemble.namespace(root).barrier("step", 3);
        for (int round = 0; round < 3; round++) {
            CompletableFuture<Void> fa = a.awaitAsync();
            CompletableFuture<Void> fb = b.awaitAsync();
            assertEquals(2, waitingAfterArrivalsOf(a, b, c));
            assertFalse(fa.isDone() || fb.isDone(), "two arrivals of three release nobody");
            assertTrue(c.await(Duration.ofSeconds(BOUND_S)), "the third arrival completes the round");
            fa.get(BOUND_S, TimeUnit.SECONDS);
            fb.get(BOUND_S, TimeUnit.SECONDS);
            assertEquals(0, c.waiting(), "round " + round);
        }
    }

    @Test
    public void memberWhoseProcessDiesWhileWaitingLeavesNoPhantomArrival() throws Exception {
        String root = Ensemble.freshRoot("barrier-death");
        CuratorFramework cd = ensemble.client(10_000);
        ZkNamespace dying = new ZkNamespace(cd, root);
        ZkBarrier d = dying.barrier("step", 2);
        ZkBarrier b = ensemble.namespace(root).barrier("step", 2);
        CompletableFuture<Void> dead = d.awaitAsync();
        assertEquals(1, waitingAfterArrivalsOf(d, b));
        dying.close(); // the process stops serving its waits...
        ensemble.expireSession(cd); // ...and its session ends on the servers, with its arrival node
        assertEquals(0, b.waiting(), "the dead member's arrival is gone");
        assertFalse(b.tryAwait(), "a dead member never completes a round");
        assertFalse(dead.isDone());
        // the barrier goes on with live members
        ZkBarrier c = ensemble.namespace(root).barrier("step", 2);
        CompletableFuture<Void> fb = b.awaitAsync();
        assertTrue(c.await(Duration.ofSeconds(BOUND_S)));
        fb.get(BOUND_S, TimeUnit.SECONDS);
    }

    @Test
    public void memberWhoseSessionEndsWhileWaitingArrivesAgainOnTheNewSessionAndIsReleased() throws Exception {
        String root = Ensemble.freshRoot("barrier-expiry");
        CuratorFramework ca = ensemble.client(10_000);
        ZkNamespace na = new ZkNamespace(ca, root);
        ZkBarrier a = na.barrier("step", 2);
        ZkBarrier b = ensemble.namespace(root).barrier("step", 2);
        CompletableFuture<Void> fa = a.awaitAsync();
        assertEquals(1, waitingAfterArrivalsOf(a, b));
        ensemble.expireSession(ca);
        assertTrue(b.await(Duration.ofSeconds(BOUND_S)), "the surviving wait arrives again and completes the round with b");
        fa.get(BOUND_S, TimeUnit.SECONDS);
        assertEquals(0, b.waiting(), "one arrival of a's wait was counted, not two");
        na.close();
    }

    @Test
    public void serverRestartedWhileMembersWaitLosesNoArrival() throws Exception {
        String root = Ensemble.freshRoot("barrier-restart");
        ZkBarrier a = ensemble.namespace(root).barrier("step", 3);
        ZkBarrier b = ensemble.namespace(root).barrier("step", 3);
        ZkBarrier c = ensemble.namespace(root).barrier("step", 3);
        CompletableFuture<Void> fa = a.awaitAsync();
        CompletableFuture<Void> fb = b.awaitAsync();
        assertEquals(2, waitingAfterArrivalsOf(a, b, c));
        InstanceSpec leader = ensemble.leader();
        assertTrue(ensemble.cluster.killServer(leader), "leader killed");
        try {
            assertTrue(c.await(Duration.ofSeconds(BOUND_S)), "two of three servers: the round completes");
            fa.get(BOUND_S, TimeUnit.SECONDS);
            fb.get(BOUND_S, TimeUnit.SECONDS);
        } finally {
            assertTrue(ensemble.cluster.restartServer(leader), "server restarted");
        }
        // all three servers again: the next round
        CompletableFuture<Void> na = a.awaitAsync();
        CompletableFuture<Void> nb = b.awaitAsync();
        assertTrue(c.await(Duration.ofSeconds(BOUND_S)));
        na.get(BOUND_S, TimeUnit.SECONDS);
        nb.get(BOUND_S, TimeUnit.SECONDS);
    }

    @Test
    public void timedOutArrivalOfOneProcessIsNotCountedByAnother() throws Exception {
        String root = Ensemble.freshRoot("barrier-timeout");
        ZkBarrier a = ensemble.namespace(root).barrier("step", 2);
        ZkBarrier b = ensemble.namespace(root).barrier("step", 2);
        assertFalse(a.await(Duration.ofMillis(200)), "alone: times out");
        assertEquals(0, b.waiting(), "the timed-out arrival was taken back");
        assertFalse(b.tryAwait());
    }

    // ---------------------------------------------------------------- counter

    @Test
    public void waiterOfAnotherProcessSeesEveryUpdateInOrderEvenWhenItReadsLate() throws Exception {
        String root = Ensemble.freshRoot("counter-log");
        ZkCounter a = ensemble.namespace(root).counter("n");
        ZkCounter b = ensemble.namespace(root).counter("n");
        CompletableFuture<Change> five = a.awaitAsync(ChangeMatch.equalTo(5));
        CompletableFuture<Change> fell = a.awaitAsync((o, n) -> n < o);
        for (long v = 1; v <= 8; v++) {
            b.set(v); // faster than a's watch: a sees several updates in one read
        }
        b.set(2);
        assertEquals(new Change(4, 5), five.get(BOUND_S, TimeUnit.SECONDS), "the transient 5 was not missed");
        assertEquals(new Change(8, 2), fell.get(BOUND_S, TimeUnit.SECONDS));
        assertEquals(2, a.get());
    }

    @Test
    public void updatesFromSeveralProcessesAndThreadsAreAtomic() throws Exception {
        String root = Ensemble.freshRoot("counter-atomic");
        List<ZkCounter> handles = List.of(ensemble.namespace(root).counter("n"), ensemble.namespace(root).counter("n"));
        int threads = 4;
        int each = 25;
        CompletableFuture<Change> all = handles.get(0).awaitAsync(ChangeMatch.equalTo(threads * each));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ZkCounter h = handles.get(t % 2);
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    h.increment();
                }
            }));
        }
        start.countDown();
        for (Thread t : ts) {
            t.join(TimeUnit.SECONDS.toMillis(BOUND_S));
        }
        assertEquals(threads * each, handles.get(1).get());
        assertEquals(threads * each, all.get(BOUND_S, TimeUnit.SECONDS).newValue());
    }

    @Test
    public void waiterWhoseSessionEndsIsStillReleasedByAnUpdateOfAnotherProcess() throws Exception {
        String root = Ensemble.freshRoot("counter-expiry");
        CuratorFramework ca = ensemble.client(10_000);
        ZkNamespace na = new ZkNamespace(ca, root);
        ZkCounter a = na.counter("n");
        ZkCounter b = ensemble.namespace(root).counter("n");
        CompletableFuture<Change> w = a.awaitAsync(ChangeMatch.atLeast(1));
        ensemble.expireSession(ca);
        b.increment();
        assertEquals(new Change(0, 1), w.get(BOUND_S, TimeUnit.SECONDS));
        na.close();
    }

    @Test
    public void serverRestartedWhileAProcessWaitsLosesNoUpdate() throws Exception {
        String root = Ensemble.freshRoot("counter-restart");
        ZkCounter a = ensemble.namespace(root).counter("n");
        ZkCounter b = ensemble.namespace(root).counter("n");
        CompletableFuture<Change> w = a.awaitAsync(ChangeMatch.atLeast(3));
        InstanceSpec leader = ensemble.leader();
        assertTrue(ensemble.cluster.killServer(leader), "leader killed");
        try {
            assertEquals(3, b.add(3));
            assertEquals(new Change(0, 3), w.get(BOUND_S, TimeUnit.SECONDS));
        } finally {
            assertTrue(ensemble.cluster.restartServer(leader), "server restarted");
        }
        assertEquals(4, a.increment());
        assertEquals(4, b.get());
    }

    // ---------------------------------------------------------------- bad input

    @Test
    public void badInputIsRejectedSayingWhyAndChangesNothing() throws Exception {
        ZkNamespace ns = ensemble.namespace(Ensemble.freshRoot("bad-input"));
        for (String bad : new String[] {"", "a/b", ".x", "\u0001"}) {
            assertThrows(IllegalArgumentException.class, () -> ns.barrier(bad, 2), bad);
            assertThrows(IllegalArgumentException.class, () -> ns.counter(bad), bad);
        }
        assertThrows(NullPointerException.class, () -> ns.barrier(null, 2));
        assertThrows(NullPointerException.class, () -> ns.counter(null));
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> ns.barrier("b", 0));
        assertTrue(p.getMessage().contains("parties"), p.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ns.barrier("b", -5));
        assertTrue(ns.list().isEmpty(), "nothing was created");

        ZkBarrier b = ns.barrier("b", 3);
        ZkNamespace elsewhere = ensemble.namespace(ns.rootPath());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> elsewhere.barrier("b", 4));
        assertTrue(other.getMessage().contains("3 parties"), other.getMessage());
        assertEquals(3, elsewhere.barrier("b", 3).parties());
        assertThrows(IllegalStateException.class, () -> ns.counter("b"));
        ZkCounter c = ns.counter("c", 7);
        assertThrows(IllegalStateException.class, () -> elsewhere.barrier("c", 2));
        assertThrows(IllegalStateException.class, () -> ns.mutex("c"));
        assertEquals(7, elsewhere.counter("c", 99).get(), "an existing counter keeps its value");

        assertThrows(ArithmeticException.class, () -> c.divide(0));
        assertThrows(ArithmeticException.class, () -> c.modulo(0));
        assertThrows(ArithmeticException.class, () -> c.update(v -> v / 0));
        assertEquals(7, c.get(), "a failed update changes nothing");
        assertThrows(NullPointerException.class, () -> c.update(null));
        assertThrows(NullPointerException.class, () -> c.await(null));
        assertThrows(NullPointerException.class, () -> c.when(null));
        assertThrows(NullPointerException.class, () -> b.await((Duration) null));
        assertEquals(0, b.waiting());
        assertEquals(List.of(new ZkObjectInfo("b", "barrier"), new ZkObjectInfo("c", "counter")), ns.list());

        ns.close();
        assertThrows(IllegalStateException.class, c::get);
        assertThrows(IllegalStateException.class, c::increment);
        assertThrows(IllegalStateException.class, b::tryAwait);
        assertThrows(IllegalStateException.class, () -> b.await(Duration.ofSeconds(1)));
    }

    /**
     * The arrivals of the current round as the last handle reads them, once every handle's
     * process made the arrivals of its waits queued so far (each handle's {@code waiting()}
     * runs after them on its namespace's thread).
     */
    private static int waitingAfterArrivalsOf(ZkBarrier... handles) {
        int n = -1;
        for (ZkBarrier h : handles) {
            n = h.waiting();
        }
        return n;
    }
}
