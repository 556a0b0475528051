package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The event operations {@link EventContract} checks, so that every backend (the in-process
 * {@link io.waitkit.Event}, later cross-process and distributed events, which are different
 * classes) runs the same contract. Each method has the meaning of the {@code Event} method of
 * the same name.
 */
public interface EventUnderTest {
    /** @return the previous state */
    boolean set();

    /** @return the previous state */
    boolean reset();

    /** @return the previous state */
    boolean pulse();

    /** @return whether the event is signalled */
    boolean isSignaled();

    /** @return whether this is a manual-reset event */
    boolean isManualReset();

    /** @throws InterruptedException if interrupted (nothing consumed) */
    void await() throws InterruptedException;

    /** Waits ignoring interrupts, re-asserting the interrupt status on return. */
    void awaitUninterruptibly();

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return true if signalled (and consumed for auto-reset)
     * @throws InterruptedException if interrupted (nothing consumed)
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up; a passed deadline polls
     * @return true if signalled (and consumed for auto-reset)
     * @throws InterruptedException if interrupted (nothing consumed)
     */
    boolean await(Deadline deadline) throws InterruptedException;

    /** @return true if the signal was taken */
    boolean tryAwait();

    /** @return the future of an async wait; completion means the signal was taken */
    CompletableFuture<Void> awaitAsync();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();
}
