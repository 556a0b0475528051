package io.waitkit.zk;

import io.waitkit.SemaphoreFullException;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore shared by every process connected to one ZooKeeper ensemble. Its maximum
 * is stored with it when it is created (an open with another maximum is refused), and every
 * permit a process takes is a lease of that process's ZooKeeper session: when the session ends
 * (the process died or was cut off), its permits come back by themselves, so they never leak.
 *
 * <pre>{@code
 * ZkSemaphore gpus = ns.semaphore("gpu-slots", 4, 4);
 * gpus.acquire();
 * try { train(); } finally { gpus.release(); }
 * }</pre>
 *
 * <p><b>Releases.</b> A process returns its own leases first (a permit a thread here took,
 * released by any thread here); a release by a process that holds no lease adds permits, up to
 * the maximum. So the semaphore is for sharing a limited resource among processes; a permit
 * one process takes and another "returns" is counted again once the taker's session ends.
 *
 * <p><b>Blocking.</b> Waits park the calling thread (async waits hold no thread); the
 * ZooKeeper calls behind them run on the namespace's thread. {@link #acquire()} and the timed
 * waits abort on interrupt with nothing taken. {@link #tryAcquire()}, {@link #release(int)}
 * and {@link #availablePermits()} make their ZooKeeper calls on the calling thread's behalf
 * and wait for them. A release happens-before the acquisition it enables within the process;
 * across processes ZooKeeper orders them.
 */
public final class ZkSemaphore extends WaitOperation implements Waitable {
    private final ZkSemaphoreProxy proxy;

    ZkSemaphore(ZkSemaphoreProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    protected WaitObject target() {
        proxy.ns.checkOpen();
        return proxy;
    }

    /**
     * The semaphore's name in its namespace.
     *
     * @return the name
     */
    public String name() {
        return proxy.name;
    }

    /**
     * Takes a permit, waiting as long as needed.
     *
     * @throws InterruptedException if interrupted first (nothing taken)
     */
    public void acquire() throws InterruptedException {
        ZkWaits.await(target(), null, true);
    }

    /** Takes a permit ignoring interrupts (re-asserted on return). */
    public void acquireUninterruptibly() {
        try {
            ZkWaits.await(target(), null, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible
        }
    }

    /**
     * Takes a permit if one is available; waits for the ZooKeeper calls of one try.
     *
     * @return true if taken
     */
    public boolean tryAcquire() {
        WaitObject o = target();
        if (ZkWaits.poll(o, null) == WaitEngine.ACQUIRED) {
            return true;
        }
        proxy.tryLeaseNow();
        try {
            return ZkWaits.poll(o, null) == WaitEngine.ACQUIRED;
        } finally {
            proxy.pollDone();
        }
    }

    /**
     * Takes a permit, waiting at most {@code timeout}; zero or negative is {@link #tryAcquire()}.
     *
     * @param timeout the longest wait
     * @return true if taken
     * @throws InterruptedException if interrupted first (nothing taken)
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        if (timeout.isNegative() || timeout.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return tryAcquire();
        }
        return ZkWaits.await(target(), null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes a permit asynchronously; cancelling a pending future withdraws the wait. Holds no
     * thread while pending.
     *
     * @return the future, completed once a permit is taken
     */
    public CompletableFuture<Void> acquireAsync() {
        return WaitEngine.acquireAsync(target(), 1, this);
    }

    /**
     * Returns one permit; see {@link #release(int)}.
     *
     * @return the count before the release
     * @throws SemaphoreFullException if the count is at the maximum (nothing changes)
     */
    public int release() {
        return release(1);
    }

    /**
     * Returns {@code n} permits: this process's leases first (handed to its queued waiters
     * before this returns), the rest added to the semaphore.
     *
     * @param n the permits to return
     * @return the count before the release
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws SemaphoreFullException if the count would exceed the maximum (nothing changes;
     *         checked against a reading of the count, which other processes may change at
     *         the same time)
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public int release(int n) {
        target();
        return proxy.release(n);
    }

    /**
     * Turns one permit that a thread of this process took into a permit taken for good: it
     * stops being a lease of this process's session, so it stays taken after the session ends
     * (the process exits or is cut off) until some process releases a permit, as with a named
     * semaphore of one host. For a short-lived process whose permit must outlive it, such as
     * the {@code waitkit sem wait} command. The count does not change. Makes its ZooKeeper
     * calls on the calling thread and waits for them.
     *
     * @throws IllegalStateException if no thread of this process holds a permit, the session
     *         that held it ended (the permit came back), or ZooKeeper cannot be reached (the
     *         permit then stays a lease of this process)
     */
    public void detachPermit() {
        target();
        proxy.detach();
    }

    /**
     * The permits available now: reads ZooKeeper on the calling thread, after syncing the
     * server this process is connected to with the ensemble's leader, so that the count
     * reflects every acquire and release that had completed in any process when this was
     * called (also through a server that lags behind, such as one that has just restarted).
     *
     * @return the count
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public int availablePermits() {
        target();
        return proxy.availablePermits();
    }

    /**
     * The maximum, as stored with the semaphore.
     *
     * @return the maximum count
     */
    public int maxPermits() {
        return proxy.max;
    }

    /**
     * Describes the handle.
     *
     * @return the class, the name and this process's view of it
     */
    @Override
    public String toString() {
        return "ZkSemaphore[" + proxy.name + ", " + (proxy.ns.isClosed() ? "closed" : proxy.stateText()) + "]";
    }
}
