package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ZooKeeper requests of a {@link ZkMutex}: an uncontended lock + unlock costs four (create
 * the lock node, list the queue, create the owner marker; the release deletes both in one
 * transaction), made on the calling thread when the namespace is idle; an abandonment is still
 * seen through the single-create marker.
 */
class ZkMutexRequestsTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();

    /** Records every Curator operation with the thread that made it. */
    private static final class Recorder extends AdvancedTracerDriver {
        final ConcurrentLinkedQueue<String> ops = new ConcurrentLinkedQueue<>();

        @Override
        public void addTrace(OperationTrace trace) {
            ops.add(trace.getName() + " @" + Thread.currentThread().getName());
        }

        @Override
        public void addEvent(EventTrace trace) {
        }

        List<String> drain() {
            List<String> l = new ArrayList<>();
            for (String s; (s = ops.poll()) != null; ) {
                l.add(s);
            }
            return l;
        }
    }

    @Test
    void uncontendedLockAndUnlockMakeFourRequestsOnTheCallingThread() throws Exception {
        CuratorFramework c = ensemble.client(10_000);
        ZkNamespace ns = new ZkNamespace(c, Ensemble.freshRoot("requests"));
        try {
            ZkMutex m = ns.mutex("m");
            m.lock(); // the first creates what the later ones find
            m.unlock();
            Recorder r = new Recorder();
            c.getZookeeperClient().setTracerDriver(r);
            String me = " @" + Thread.currentThread().getName();
            for (int i = 0; i < 3; i++) {
                m.lock();
                assertTrue(m.isHeldByCurrentThread());
                m.unlock();
                assertEquals(List.of("CreateBuilderImpl-Foreground" + me, "GetChildrenBuilderImpl-Foreground" + me,
                        "CreateBuilderImpl-Foreground" + me, "CuratorMultiTransactionImpl-Foreground" + me), r.drain());
            }
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
