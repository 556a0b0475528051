package io.waitkit.ipc;

import io.waitkit.SemaphoreFullException;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.SemaphoreProxy;
import io.waitkit.ipc.internal.Waits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore shared by the processes of one host, with a maximum fixed at creation
 * (the semantics of {@link io.waitkit.Semaphore}: a release beyond the maximum is refused).
 *
 * <pre>{@code
 * NamedSemaphore slots = Namespace.user().semaphore("gpu-slots", 2, 2);
 * if (slots.tryAcquire(Duration.ofSeconds(30))) {
 *     try { runJob(); } finally { slots.release(); }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> A release serves this JVM's queued waiters first, in FIFO order, before it
 * returns; permits left then wake the other processes, whose waiters race for them. Permits are
 * conserved when a process dies at any instruction; a permit held by a process that dies is not
 * given back (a semaphore has no owner), exactly as for a thread that ends holding one.
 *
 * <p><b>Blocking.</b> Every wait queues in this JVM's FIFO queue of the object. A platform
 * thread's single-object wait then sleeps in {@code futex} on the object's word itself (one
 * wake-up from another process); every other wait (virtual threads, async waits, waits on
 * several objects) parks, and a platform thread of the module's waiter pool sleeps in
 * {@code futex_waitv} for it, so a virtual thread never blocks in a system call.
 * Interrupts abort interruptible waits with nothing acquired. All methods throw
 * {@link IllegalStateException} once this handle is closed.
 */
public final class NamedSemaphore extends NamedHandle<SemaphoreProxy> implements NamedObject, Waitable {
    NamedSemaphore(HandleState<SemaphoreProxy> state) {
        super(state, "semaphore");
    }

    /**
     * Acquires a permit, waiting as long as needed.
     *
     * @throws InterruptedException if interrupted first (nothing acquired)
     */
    public void acquire() throws InterruptedException {
        Waits.await(proxy(), true);
    }

    /**
     * Acquires a permit if one is available now; never blocks.
     *
     * @return true if acquired
     */
    public boolean tryAcquire() {
        return Waits.poll(proxy()) == WaitEngine.ACQUIRED;
    }

    /**
     * Acquires a permit, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest wait
     * @return true if acquired
     * @throws InterruptedException if interrupted first (nothing acquired)
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return Waits.await(proxy(), timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Acquires a permit asynchronously; cancelling a pending future withdraws the wait.
     *
     * @return the future, completed once a permit is acquired
     */
    public CompletableFuture<Void> acquireAsync() {
        return WaitEngine.acquireAsync(proxy(), 1, this);
    }

    /**
     * Releases one permit.
     *
     * @return the count before the release
     * @throws SemaphoreFullException if the count is at the maximum (nothing changes)
     */
    public int release() {
        return proxy().release(1);
    }

    /**
     * Releases {@code n} permits at once.
     *
     * @param n the permits, at least 0 (0 changes nothing and returns the count)
     * @return the count before the release
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws SemaphoreFullException if the count would exceed the maximum (nothing changes)
     */
    public int release(int n) {
        return proxy().release(n);
    }

    /**
     * The count, a snapshot.
     *
     * @return the available permits
     */
    public int availablePermits() {
        return proxy().available();
    }

    /**
     * The maximum fixed at creation (reopening with another maximum keeps this one).
     *
     * @return the maximum
     */
    public int maxPermits() {
        return proxy().max();
    }

}
