package io.waitkit.ipc;

import io.waitkit.Fairness;
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
 * <p><b>Order.</b> The mode is chosen at creation and kept in the object's file
 * ({@link #fairness()}, {@link Namespace#semaphore(String, int, int, Fairness)}). With
 * {@link Fairness#HAND_OFF} (the default) a release serves this JVM's queued waiters first, in
 * FIFO order, before it returns; permits left then wake the other processes, whose waiters race
 * for them. With {@link Fairness#BARGING} a release adds its permits to the count, wakes as many
 * of this JVM's queued waiters (in queue order) as they can serve and the waiters of other
 * processes, and returns: whichever thread of any process asks first takes them, and a woken
 * waiter that loses keeps its place at the head of this JVM's queue. A wait on several objects
 * or an async wait is still served by hand-off. Permits are
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
     * The count, a snapshot: never a value that a change in progress in any process is about to
     * replace (it waits that change out, briefly, taking the object's locks if it is slow), so a
     * permit that a wait of this JVM returned with is not counted. Does not block beyond that.
     *
     * @return the available permits
     */
    public int availablePermits() {
        return proxy().available();
    }

    /**
     * The mode the semaphore was created with, read from its file: every process that opens
     * it sees the same.
     *
     * @return {@link Fairness#HAND_OFF} or {@link Fairness#BARGING}
     */
    public Fairness fairness() {
        return proxy().isBarging() ? Fairness.BARGING : Fairness.HAND_OFF;
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
