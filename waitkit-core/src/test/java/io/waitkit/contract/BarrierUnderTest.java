package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The barrier operations {@link BarrierContract} checks, so that every backend runs the same
 * contract. Each method has the meaning of the {@link io.waitkit.Barrier} method of the same
 * name.
 */
public interface BarrierUnderTest {
    /** @throws InterruptedException if interrupted first (the arrival is taken back) */
    void await() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative behaves as {@link #tryAwait()}
     * @return true if the group completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted first (the arrival is taken back)
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up
     * @return true if the group completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted first (the arrival is taken back)
     */
    boolean await(Deadline deadline) throws InterruptedException;

    /** @return true if this arrival completed the group; otherwise nothing changed */
    boolean tryAwait();

    /** @return the future of an arrival; cancelling it takes the arrival back */
    CompletableFuture<Void> awaitAsync();

    /** @return the group size */
    int parties();

    /** @return the arrivals of the current round */
    int waiting();

    /** @return the object to pass to {@code Wait.any} */
    Waitable waitable();
}
