package io.waitkit.contract;

import io.waitkit.Change;
import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The threshold operations {@link ThresholdContract} checks (a number with one shared
 * predicate and an adjustment), so that every backend runs the same contract. Each method has
 * the meaning of the {@link io.waitkit.Threshold} method of the same name.
 */
public interface ThresholdUnderTest extends NumberUnderTest {
    /**
     * @return the update that released the caller
     * @throws InterruptedException if interrupted first
     */
    Change await() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative tests the current value only
     * @return the update that released the caller, or null on timeout
     * @throws InterruptedException if interrupted first
     */
    Change await(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up
     * @return the update that released the caller, or null on timeout
     * @throws InterruptedException if interrupted first
     */
    Change await(Deadline deadline) throws InterruptedException;

    /** @return true if the predicate held for the current value (the adjustment applied) */
    boolean tryAwait();

    /** @return the future of an async wait for a matching update */
    CompletableFuture<Void> awaitAsync();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();
}
