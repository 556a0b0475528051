package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.MessageQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A process cut off from the whole ensemble (a relay between its client and the servers is
 * cut) for longer than its session timeout, while the servers and the other processes keep
 * running: its waits time out or carry on after the cut is mended, nothing in a queue is lost
 * or received twice, the mutex it held is reported abandoned to the next acquirer and lost to
 * its holder, and nothing hangs.
 */
class ZkPartitionFaultTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    /** Bound for anything that involves a session ending or a reconnection. */
    private static final long BOUND_S = 60;
    private static final int SESSION_MS = 4_000;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(MessageQueue.Message m) {
        return m == null ? null : new String(m.data(), StandardCharsets.UTF_8);
    }

    @Test
    public void aProcessCutOffLongerThanItsSessionLosesItsMutexToAnAbandonmentReportAndLosesNoMessage() throws Exception {
        String root = Ensemble.freshRoot("partition");
        int server = ensemble.cluster.getInstances().iterator().next().getPort();
        try (CutCable cable = new CutCable(server)) {
            CuratorFramework ca = CuratorFrameworkFactory.builder().connectString(cable.connectString())
                    .ensembleTracker(false) // else the client learns the servers' own addresses and goes round the cable
                    .sessionTimeoutMs(SESSION_MS).connectionTimeoutMs(500)
                    .retryPolicy(new ExponentialBackoffRetry(50, 3, 200)).build();
            ca.start();
            assertTrue(ca.blockUntilConnected(30, TimeUnit.SECONDS));
            ZkNamespace a = new ZkNamespace(ca, root);
            ZkNamespace b = ensemble.namespace(root);
            try {
                ZkMutex ma = a.mutex("job");
                ZkMutex mb = b.mutex("job");
                ZkMessageQueue qa = a.messageQueue("q", 4, 64);
                ZkMessageQueue qb = b.messageQueue("q", 4, 64);
                ma.lock();
                CompletableFuture<Void> lost = ma.lockLost();
                qa.send(b("from a before"), 0);

                cable.cut();

                // the cut-off process: its async waits stay pending, its timed waits time out
                CompletableFuture<MessageQueue.Message> pending = qa.receiveAsync();
                CompletableFuture<Void> sendLater = qa.sendAsync(b("from a during"), 0);
                // the other process carries on: it sends, and its lock attempt is told of the abandonment
                qb.send(b("from b during"), 0);
                AbandonedMutexException ae = assertThrows(AbandonedMutexException.class,
                        () -> mb.tryLock(Duration.ofSeconds(BOUND_S)));
                assertSame(mb, ae.object());
                assertTrue(mb.isHeldByCurrentThread(), "the abandoned mutex is owned by the one told");
                // the holder is told once Curator gives the session up
                lost.get(BOUND_S, TimeUnit.SECONDS);
                assertFalse(ma.isHeldByCurrentThread(), "ownership ended with the session");
                assertThrows(IllegalMonitorStateException.class, ma::unlock);
                assertFalse(pending.isDone(), "nothing can be received while cut off");
                assertFalse(sendLater.isDone());

                cable.mend();

                // the waits carry on on a new session: the oldest message first, each once
                assertEquals("from a before", s(pending.get(BOUND_S, TimeUnit.SECONDS)));
                sendLater.get(BOUND_S, TimeUnit.SECONDS);
                assertEquals("from b during", s(qb.receive(Duration.ofSeconds(BOUND_S))));
                assertEquals("from a during", s(qb.receive(Duration.ofSeconds(BOUND_S))));
                assertNull(qa.tryReceive(), "nothing twice");
                assertEquals(0, qb.size());
                mb.unlock();
                assertTrue(ma.tryLock(Duration.ofSeconds(BOUND_S)), "the mended process takes the mutex again");
                assertFalse(ma.isAbandoned(), "an orderly release is no abandonment");
                ma.unlock();
            } finally {
                a.close();
                ca.close();
            }
        }
    }

    @FunctionalInterface
    private interface TimedWait {
        boolean await() throws Exception;
    }

    /**
     * A timed wait of a cut-off process ends, within the bound, either by its timeout (false)
     * or, when it needs the servers on the calling thread first, by an
     * {@link IllegalStateException} saying ZooKeeper cannot be reached; it never succeeds.
     */
    private static void timesOutOrReports(TimedWait w) throws Exception {
        long t0 = System.nanoTime();
        try {
            assertFalse(w.await(), "nothing can be had while cut off");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("ZooKeeper"), e.getMessage());
        }
        long took = System.nanoTime() - t0;
        assertTrue(took < TimeUnit.SECONDS.toNanos(BOUND_S), "no hang: " + took / 1_000_000 + " ms");
    }

    @Test
    public void timedWaitsOfACutOffProcessEndByTheirTimeoutOrReportTheCutAndNeverHang() throws Exception {
        String root = Ensemble.freshRoot("partition-timeouts");
        int server = ensemble.cluster.getInstances().iterator().next().getPort();
        try (CutCable cable = new CutCable(server)) {
            CuratorFramework ca = CuratorFrameworkFactory.builder().connectString(cable.connectString())
                    .ensembleTracker(false) // else the client learns the servers' own addresses and goes round the cable
                    .sessionTimeoutMs(SESSION_MS).connectionTimeoutMs(500)
                    .retryPolicy(new RetryNTimes(0, 0)).build(); // a call fails after one connection wait (0.5 s) cut off
            ca.start();
            assertTrue(ca.blockUntilConnected(30, TimeUnit.SECONDS));
            ZkNamespace a = new ZkNamespace(ca, root);
            ZkNamespace b = ensemble.namespace(root);
            try {
                ZkMutex ma = a.mutex("m");
                ZkEvent ea = a.event("e", true, false);
                ZkSemaphore sa = a.semaphore("s", 0, 1);
                ZkMessageQueue qa = a.messageQueue("q", 1, 16);
                b.mutex("m").lock();

                cable.cut();

                Duration t = Duration.ofMillis(300);
                timesOutOrReports(() -> ma.tryLock(t));
                timesOutOrReports(() -> ea.await(t));
                timesOutOrReports(() -> sa.tryAcquire(t));
                timesOutOrReports(() -> qa.receive(t) != null);
                timesOutOrReports(() -> qa.send(b("x"), 0, t));
                cable.mend();
                // once mended the same handles work again
                assertTrue(ca.blockUntilConnected((int) BOUND_S, TimeUnit.SECONDS));
                b.event("e", true, false).set();
                assertTrue(ea.await(Duration.ofSeconds(BOUND_S)));
                ZkMessageQueue qb = b.messageQueue("q", 1, 16);
                MessageQueue.Message x = qb.receive(Duration.ZERO);
                assertNull(x, "the send that was told it failed sent nothing: " + s(x));
                assertTrue(qa.send(b("after"), 0, Duration.ofSeconds(BOUND_S)));
                assertEquals("after", s(qb.receive(Duration.ofSeconds(BOUND_S))));
                assertNull(qb.tryReceive());
            } finally {
                a.close();
                ca.close();
            }
        }
    }
}
