package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The signal operations {@link SignalContract} checks, so that every backend runs the same
 * contract. Each method has the meaning of the {@link io.waitkit.Signal} method of the same
 * name.
 */
public interface SignalUnderTest {
    /** @return the number of waiters released (0 or 1) */
    int signal();

    /** @return the number of waiters released */
    int signalAll();

    /** @throws InterruptedException if interrupted before a signal released the caller */
    void await() throws InterruptedException;

    /** Waits ignoring interrupts, re-asserting the interrupt status on return. */
    void awaitUninterruptibly();

    /**
     * @param timeout the longest wait; zero or negative returns false at once
     * @return true if a signal released the caller
     * @throws InterruptedException if interrupted first
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up
     * @return true if a signal released the caller
     * @throws InterruptedException if interrupted first
     */
    boolean await(Deadline deadline) throws InterruptedException;

    /** @return the future of an async wait for the next signal */
    CompletableFuture<Void> awaitAsync();

    /** @return whether threads (or async waits) are waiting */
    boolean hasWaiters();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();
}
