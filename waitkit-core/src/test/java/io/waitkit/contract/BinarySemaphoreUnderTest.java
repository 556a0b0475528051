package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The binary semaphore operations {@link BinarySemaphoreContract} checks, so that every backend
 * runs the same contract. Each method has the meaning of the {@link io.waitkit.BinarySemaphore}
 * method of the same name.
 */
public interface BinarySemaphoreUnderTest {
    /** @return true if it was taken (now handed off or available), false if already available */
    boolean give();

    /** @throws InterruptedException if interrupted (nothing taken) */
    void take() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return true if taken
     * @throws InterruptedException if interrupted (nothing taken)
     */
    boolean take(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up; a passed deadline polls
     * @return true if taken
     * @throws InterruptedException if interrupted (nothing taken)
     */
    boolean take(Deadline deadline) throws InterruptedException;

    /** @return true if taken */
    boolean tryTake();

    /** @return the future of an async take; completion means taken */
    CompletableFuture<Void> takeAsync();

    /** @return whether it is available (not taken) */
    boolean isAvailable();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();
}
