package io.waitkit.contract;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Deadline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The counter operations {@link CounterContract} checks (a number whose waiters bring their
 * own predicate), so that every backend runs the same contract. Each method has the meaning of
 * the {@link io.waitkit.Counter} method of the same name.
 */
public interface CounterUnderTest extends NumberUnderTest {
    /**
     * @param match the predicate on (old, new)
     * @return the update that released the caller
     * @throws InterruptedException if interrupted first
     */
    Change await(ChangeMatch match) throws InterruptedException;

    /**
     * @param match the predicate on (old, new)
     * @param timeout the longest wait; zero or negative tests the current value only
     * @return the update that released the caller, or null on timeout
     * @throws InterruptedException if interrupted first
     */
    Change await(ChangeMatch match, Duration timeout) throws InterruptedException;

    /**
     * @param match the predicate on (old, new)
     * @param deadline when to give up
     * @return the update that released the caller, or null on timeout
     * @throws InterruptedException if interrupted first
     */
    Change await(ChangeMatch match, Deadline deadline) throws InterruptedException;

    /**
     * @param match the predicate on (old, new)
     * @return a future completed with the releasing update
     */
    CompletableFuture<Change> awaitAsync(ChangeMatch match);

    /**
     * @param match the predicate on (old, new)
     * @return an operation for {@code Wait.any} whose result is the releasing update
     */
    OpUnderTest<Change> when(ChangeMatch match);
}
