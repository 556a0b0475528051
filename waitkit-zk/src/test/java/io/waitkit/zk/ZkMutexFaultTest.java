package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Event;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults of the ensemble and of sessions while a {@link ZkMutex} is held or waited for: a
 * holder whose session ends loses the mutex (and is told), the next acquirer in another
 * process is told of the abandonment; a killed leader or a restarted server delays waits but
 * loses nothing and reports no abandonment.
 */
class ZkMutexFaultTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    /** Bound for anything that involves a session ending, a leader election or a reconnection. */
    private static final long BOUND_S = 60;

    @Test
    public void holderWhoseSessionEndsLosesTheMutexIsToldAndTheNextAcquirerGetsAbandonment() throws Exception {
        String root = Ensemble.freshRoot("expiry");
        CuratorFramework ca = ensemble.client(10_000);
        ZkNamespace a = new ZkNamespace(ca, root);
        ZkNamespace b = ensemble.namespace(root);
        ZkMutex ma = a.mutex("job");
        ZkMutex mb = b.mutex("job");

        ma.lock();
        ma.lock(); // recursion is discarded with the session too
        CompletableFuture<Void> lost = ma.lockLost();
        assertFalse(lost.isDone());
        // another process's lock, blocked; its thread then releases when told
        CompletableFuture<Void> next = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().name("other-process").start(() -> {
            try {
                mb.lock();
                next.complete(null);
            } catch (AbandonedMutexException ex) {
                next.completeExceptionally(ex);
            }
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            mb.unlock();
        });

        ensemble.expireSession(ca);

        lost.get(BOUND_S, TimeUnit.SECONDS);
        assertFalse(ma.isHeldByCurrentThread(), "ownership ends with the session");
        assertEquals(0, ma.holdCount());
        IllegalMonitorStateException ime = assertThrows(IllegalMonitorStateException.class, ma::unlock);
        assertTrue(ime.getMessage().contains("session"), ime.getMessage());
        assertSame(lost, ma.lockLost(), "the thread that lost it gets the completed future again");

        ExecutionException e = assertThrows(ExecutionException.class, () -> next.get(BOUND_S, TimeUnit.SECONDS));
        AbandonedMutexException ae = assertInstanceOf(AbandonedMutexException.class, e.getCause());
        assertSame(mb, ae.object());

        // the other process owns it now: it releases in order, and the first process takes it
        // again on its new session without any report
        assertFalse(mb.isAbandoned());
        release.countDown();
        other.join(TimeUnit.SECONDS.toMillis(BOUND_S));
        assertTrue(ma.tryLock(Duration.ofSeconds(BOUND_S)));
        assertTrue(ma.isHeldByCurrentThread());
        ma.unlock();
        a.close();
    }

    @Test
    public void orderlyReleaseAfterAnotherProcessTookOverIsNotReportedAsAbandonment() throws Exception {
        String root = Ensemble.freshRoot("orderly");
        ZkNamespace a = ensemble.namespace(root);
        ZkNamespace b = ensemble.namespace(root);
        ZkMutex ma = a.mutex("job");
        ZkMutex mb = b.mutex("job");
        ma.lock();
        CompletableFuture<Void> next = mb.lockAsync();
        assertFalse(next.isDone());
        CompletableFuture<Void> lost = ma.lockLost();
        ma.unlock();
        next.get(BOUND_S, TimeUnit.SECONDS); // normal completion: no abandonment
        assertTrue(mb.isHeldByCurrentThread(), "async ownership goes to the thread that called lockAsync");
        assertTrue(lost.isCancelled(), "an orderly release cancels the lockLost future");
        mb.unlock();
        assertTrue(ma.tryLock(Duration.ofSeconds(BOUND_S)));
        ma.unlock();
    }

    @Test
    public void killedLeaderDelaysAWaiterButTheReleaseReachesItWithoutAbandonment() throws Exception {
        String root = Ensemble.freshRoot("leader");
        ZkNamespace a = ensemble.namespace(root);
        ZkNamespace b = ensemble.namespace(root);
        ZkMutex ma = a.mutex("job");
        ZkMutex mb = b.mutex("job");
        ma.lock();
        CompletableFuture<Void> next = mb.lockAsync();
        InstanceSpec leader = ensemble.leader();
        assertTrue(ensemble.cluster.killServer(leader), "leader killed");
        try {
            ma.unlock();
            next.get(BOUND_S, TimeUnit.SECONDS);
            assertTrue(mb.isHeldByCurrentThread());
            assertFalse(mb.isAbandoned());
            mb.unlock();
        } finally {
            assertTrue(ensemble.cluster.restartServer(leader), "server restarted");
        }
        // all three servers again: both processes still take turns
        assertTrue(ma.tryLock(Duration.ofSeconds(BOUND_S)));
        ma.unlock();
        assertTrue(mb.tryLock(Duration.ofSeconds(BOUND_S)));
        mb.unlock();
    }

    @Test
    public void releaseThatReachesNoServerIsMadeInOrderLaterAndReportsNoAbandonment() throws Exception {
        String root = Ensemble.freshRoot("release-offline");
        // few, short retries: the release gives up while every server is down, well within the
        // session timeout, so the session lives on and nothing was abandoned
        CuratorFramework ca = CuratorFrameworkFactory.builder().connectString(ensemble.connectString())
                .sessionTimeoutMs(30_000).connectionTimeoutMs(1_000).retryPolicy(new RetryNTimes(1, 100)).build();
        ca.start();
        assertTrue(ca.blockUntilConnected(30, TimeUnit.SECONDS));
        ZkNamespace a = new ZkNamespace(ca, root);
        try {
            ZkMutex ma = a.mutex("job");
            ZkBarrier probe = a.barrier("probe", 2);
            ZkMutex mb = ensemble.namespace(root).mutex("job");
            ma.lock();
            List<InstanceSpec> servers = new ArrayList<>(ensemble.cluster.getInstances());
            for (InstanceSpec s : servers) {
                assertTrue(ensemble.cluster.killServer(s), "killed " + s);
            }
            try {
                ma.unlock(); // the release runs on a's namespace thread and reaches no server
                // a step queued behind the release on that thread: once it fails, the release did too
                assertThrows(IllegalStateException.class, probe::waiting);
            } finally {
                for (InstanceSpec s : servers) {
                    assertTrue(ensemble.cluster.restartServer(s), "restarted " + s);
                }
            }
            assertTrue(mb.tryLock(Duration.ofSeconds(BOUND_S)), "the release reached the servers");
            assertFalse(mb.isAbandoned(), "a's session never ended: no abandonment");
            mb.unlock();
            assertTrue(ma.tryLock(Duration.ofSeconds(BOUND_S)));
            ma.unlock();
        } finally {
            a.close();
            ca.close();
        }
    }

    @Test
    public void waitAnyOverAZooKeeperMutexAndAnInProcessEventTakesExactlyOne() throws Exception {
        String root = Ensemble.freshRoot("mixed");
        ZkNamespace a = ensemble.namespace(root);
        ZkNamespace b = ensemble.namespace(root);
        ZkMutex ma = a.mutex("job");
        ZkMutex mb = b.mutex("job");
        ma.lock();
        Event e = Event.autoReset(false);
        CompletableFuture<Integer> any = Wait.anyAsync(mb, e);
        e.set();
        assertEquals(1, any.get(BOUND_S, TimeUnit.SECONDS));
        assertFalse(mb.isHeldByCurrentThread(), "the mutex was not taken");
        ma.unlock();
        // the withdrawn wait left nothing queued in ZooKeeper: the first process takes it again at once
        assertTrue(ma.tryLock());
        ma.unlock();
        CompletableFuture<Integer> any2 = Wait.anyAsync(mb, e);
        assertEquals(0, any2.get(BOUND_S, TimeUnit.SECONDS));
        assertTrue(mb.isHeldByCurrentThread());
        assertFalse(e.isSignaled());
        mb.unlock();
    }

    @Test
    public void waitersWhoseOwnSessionEndsQueueAgainOnTheNewSessionAndAreServed() throws Exception {
        String root = Ensemble.freshRoot("waiter-expiry");
        ZkNamespace holder = ensemble.namespace(root);
        CuratorFramework cw = ensemble.client(10_000);
        ZkNamespace waiter = new ZkNamespace(cw, root);
        ZkMutex mh = holder.mutex("m");
        ZkSemaphore sh = holder.semaphore("s", 0, 1);
        ZkEvent eh = holder.event("e", false, false);
        mh.lock();
        CompletableFuture<Void> lockWait = waiter.mutex("m").lockAsync();
        CompletableFuture<Void> permitWait = waiter.semaphore("s", 0, 1).acquireAsync();
        CompletableFuture<Void> eventWait = waiter.event("e", false, false).awaitAsync();

        ensemble.expireSession(cw); // the waiting process's lock node and waiter node go with it

        // the waits survive the loss: once Curator has a new session they queue again
        mh.unlock();
        lockWait.get(BOUND_S, TimeUnit.SECONDS);
        sh.release();
        permitWait.get(BOUND_S, TimeUnit.SECONDS);
        assertEquals(0, sh.availablePermits(), "the permit is the waiter's lease");
        eh.set();
        eventWait.get(BOUND_S, TimeUnit.SECONDS);
        assertFalse(eh.isSignaled(), "the waiter consumed the signal");
        waiter.close();
    }
}
