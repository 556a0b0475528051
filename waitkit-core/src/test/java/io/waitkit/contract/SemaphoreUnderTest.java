package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The semaphore operations {@link SemaphoreContract} checks, so that every backend runs the
 * same contract. Each method has the meaning of the {@link io.waitkit.Semaphore} method of the
 * same name.
 */
public interface SemaphoreUnderTest {
    /** @return the count before the release */
    int release();

    /**
     * @param n the permits to release
     * @return the count before the release
     */
    int release(int n);

    /** @throws InterruptedException if interrupted (nothing taken) */
    void acquire() throws InterruptedException;

    /** Takes a permit ignoring interrupts, re-asserting the interrupt status on return. */
    void acquireUninterruptibly();

    /** @return true if a permit was taken */
    boolean tryAcquire();

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return true if a permit was taken
     * @throws InterruptedException if interrupted (nothing taken)
     */
    boolean tryAcquire(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up; a passed deadline polls
     * @return true if a permit was taken
     * @throws InterruptedException if interrupted (nothing taken)
     */
    boolean tryAcquire(Deadline deadline) throws InterruptedException;

    /** @return the count */
    int availablePermits();

    /** @return the maximum count */
    int maxPermits();

    /** @return the future of an async acquisition of one permit */
    CompletableFuture<Void> acquireAsync();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();
}
