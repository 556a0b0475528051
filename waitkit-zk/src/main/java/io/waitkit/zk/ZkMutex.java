package io.waitkit.zk;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A recursive mutex shared by every process connected to one ZooKeeper ensemble, owned by one
 * thread of one process, and <b>abandoned when that process's ZooKeeper session ends</b> while
 * it holds it (the process died, or was cut off from the ensemble longer than the session
 * timeout). The holder is told ({@link #isHeldByCurrentThread()} turns false, {@link #unlock()}
 * throws {@link IllegalMonitorStateException}, {@link #lockLost()} completes), and the next
 * acquirer in any process owns the mutex and gets {@link AbandonedMutexException}.
 *
 * <pre>{@code
 * ZkMutex m = ns.mutex("ledger");
 * try {
 *     m.lock();
 * } catch (AbandonedMutexException e) {
 *     reconcileLedger();        // the last holder's session ended while it held the mutex
 * }
 * CompletableFuture<Void> lost = m.lockLost();
 * try {
 *     for (Batch b : batches) {
 *         if (lost.isDone()) throw new CancellationException("lock lost");   // stop writing
 *         write(b);
 *     }
 * } finally {
 *     if (m.isHeldByCurrentThread()) m.unlock();
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Processes queue in ZooKeeper's lock recipe (each watches only its
 * predecessor); within a process the threads queue first come, first served, and the final
 * release hands the mutex to this process's first queued waiter before it is offered to
 * other processes.
 *
 * <p><b>Blocking.</b> Waits park the calling thread (async waits hold no thread); the
 * ZooKeeper calls behind them run on the namespace's thread, except that an uncontended
 * {@link #lock()} (nobody in this process holds or waits for the mutex) and a final
 * {@link #unlock()} make them on the calling thread when the namespace has no call running or
 * queued (the same calls, without a thread switch each way). {@link #lock()} ignores
 * interrupts (re-asserted on return); the other waits abort on interrupt with nothing held.
 * {@link #tryLock()} makes its ZooKeeper calls on the calling thread's behalf and waits for
 * them (up to 10 s while the ensemble cannot be reached, then answers false). An acquisition
 * happens-before the release that ends it, within the process; across processes ZooKeeper
 * orders them. {@link #newCondition()} is not supported.
 */
public final class ZkMutex extends WaitOperation implements Waitable, Lock {
    private final ZkMutexProxy proxy;

    ZkMutex(ZkMutexProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    protected WaitObject target() {
        proxy.ns.checkOpen();
        return proxy;
    }

    private boolean result(int r) {
        if (r == WaitEngine.REPORTED) {
            throw new AbandonedMutexException(-1, this);
        }
        return r == WaitEngine.ACQUIRED;
    }

    /**
     * The mutex's name in its namespace.
     *
     * @return the name
     */
    public String name() {
        return proxy.name;
    }

    /**
     * Acquires the mutex, ignoring interrupts (re-asserted on return).
     *
     * @throws AbandonedMutexException if the last holder's session ended while it held the
     *         mutex; the caller owns it anyway
     * @throws IllegalStateException if the namespace is closed or the hold count would overflow
     */
    @Override
    public void lock() {
        WaitObject o = target();
        if (!proxy.requestInline()) {
            lockQueued(o);
            return;
        }
        // this thread queued the JVM in ZooKeeper itself; a grant (uncontended) is taken by a
        // poll, anything else (another process holds it) queues below as usual, without a
        // request step of its own
        try {
            int r = ZkWaits.poll(o, null);
            if (r != WaitEngine.NOT_ACQUIRED) {
                result(r);
                return;
            }
            lockQueued(o);
        } finally {
            proxy.inlineDone();
        }
    }

    private void lockQueued(WaitObject o) {
        try {
            result(ZkWaits.await(o, null, false));
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible
        }
    }

    /**
     * Acquires the mutex unless interrupted.
     *
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        result(ZkWaits.await(target(), null, true));
    }

    /**
     * Acquires the mutex if it is free or already owned by the current thread. Does not queue
     * in ZooKeeper; waits for the ZooKeeper calls of one try.
     *
     * @return true if acquired
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    @Override
    public boolean tryLock() {
        WaitObject o = target();
        int r = ZkWaits.poll(o, null);
        if (r == WaitEngine.NOT_ACQUIRED) {
            proxy.tryGrantNow();
            try {
                r = ZkWaits.poll(o, null);
            } finally {
                proxy.pollDone();
            }
        }
        return result(r);
    }

    /**
     * Acquires the mutex, waiting at most {@code timeout}; zero or negative is
     * {@link #tryLock()}.
     *
     * @param timeout the longest wait
     * @return true if acquired
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        if (timeout.isNegative() || timeout.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return tryLock();
        }
        return result(ZkWaits.await(target(), null, timeout));
    }

    /**
     * Acquires the mutex, waiting at most {@code time}; see {@link #tryLock(Duration)}.
     *
     * @param time the longest wait
     * @param unit its unit
     * @return true if acquired
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLock(Duration.of(time, unit.toChronoUnit()));
    }

    /**
     * Acquires asynchronously: ownership goes to the thread that called this method, once the
     * future completes; cancelling a pending future withdraws the wait. Holds no thread while
     * pending (ZooKeeper watches drive it).
     *
     * @return the future, completed once the mutex is owned, or exceptionally with
     *         {@link AbandonedMutexException} (ownership taken)
     */
    public CompletableFuture<Void> lockAsync() {
        return WaitEngine.acquireAsync(target(), 1, this);
    }

    /**
     * Releases one hold of the current thread; the final one hands the mutex to the next
     * waiter of this process, or gives it back to ZooKeeper.
     *
     * @return the hold count before this release
     * @throws IllegalMonitorStateException if the current thread does not own the mutex, also
     *         when its ownership ended with its session (nothing changes)
     */
    public int release() {
        target();
        return proxy.release();
    }

    /**
     * Releases one hold; see {@link #release()}.
     *
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     */
    @Override
    public void unlock() {
        release();
    }

    /**
     * A future that completes when the calling thread's ownership ends with its process's
     * ZooKeeper session. It is cancelled when the thread releases the mutex in order, and
     * stays complete after a loss (a later call by the thread that lost the mutex returns it
     * again until the thread owns the mutex anew).
     *
     * @return the future of the current ownership
     * @throws IllegalMonitorStateException if the current thread does not own the mutex and
     *         did not lose it with a session
     */
    public CompletableFuture<Void> lockLost() {
        target();
        return proxy.lockLost();
    }

    /**
     * Not supported: use a {@code ZkEvent} or a semaphore.
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("ZooKeeper mutexes have no conditions");
    }

    /**
     * Whether the current thread owns the mutex; false once its ownership ended with its
     * session. Reads local state only.
     *
     * @return true if it holds it
     */
    public boolean isHeldByCurrentThread() {
        return proxy.isHeldByCurrentThread();
    }

    /**
     * The current thread's hold count.
     *
     * @return the count, 0 if the current thread does not own the mutex
     */
    public int holdCount() {
        return proxy.holdCountOfCurrentThread();
    }

    /**
     * Whether the mutex is abandoned: its last holder's session ended while holding it and
     * nobody took it since. Reads ZooKeeper on the calling thread, after syncing the server
     * this process is connected to with the ensemble's leader (so it reflects every lock,
     * release and session end that had completed when this was called).
     *
     * @return true if abandoned
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean isAbandoned() {
        target();
        return proxy.isAbandoned();
    }

    /**
     * The ZooKeeper session (hex) of the process that holds the mutex, or held it when its
     * session ended. Reads ZooKeeper on the calling thread, after syncing the server this
     * process is connected to with the ensemble's leader.
     *
     * @return the session id, or null when free
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public String ownerSession() {
        target();
        return proxy.ownerSession();
    }

    /** The owner's hold count when the owner is a thread of this process (for tests). */
    int ownerHoldCount() {
        return proxy.holdsOfAnyThread();
    }

    /**
     * The owner thread when it is a thread of this process (for tests and diagnostics).
     *
     * @return the thread, or null when free here or owned by another process
     */
    Thread ownerThread() {
        return proxy.ownerThread();
    }

    /**
     * Describes the handle.
     *
     * @return the class, the name and this process's view of it
     */
    @Override
    public String toString() {
        return "ZkMutex[" + proxy.name + ", " + (proxy.ns.isClosed() ? "closed" : proxy.stateText()) + "]";
    }
}
