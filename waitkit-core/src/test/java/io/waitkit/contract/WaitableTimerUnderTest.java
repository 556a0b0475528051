package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The waitable timer operations {@link WaitableTimerContract} checks, so that every backend
 * runs the same contract. Each method has the meaning of the {@link io.waitkit.WaitableTimer}
 * method of the same name.
 */
public interface WaitableTimerUnderTest {
    /** The three kinds of timer. */
    enum Mode {
        /** Signalled on expiry until reset or set again; releases every waiter. */
        MANUAL_RESET,
        /** Each expiry releases one waiter, or stays signalled until one wait consumes it. */
        AUTO_RESET,
        /** A one-shot expiry stays signalled; a periodic one releases the current waiters only. */
        PULSING
    }

    /** @param dueIn the time until the expiry; zero or negative expires at once */
    void set(Duration dueIn);

    /**
     * @param dueIn the time until the first expiry
     * @param period the period, or zero for a one-shot timer
     */
    void set(Duration dueIn, Duration period);

    /**
     * @param due the first expiry
     * @param period the period, or zero for a one-shot timer
     */
    void set(Deadline due, Duration period);

    /** @return true if it was armed */
    boolean cancel();

    /** @return whether an expiry is scheduled */
    boolean isArmed();

    /** @return the previous state */
    boolean reset();

    /** @return whether the timer is signalled */
    boolean isSignaled();

    /** @throws InterruptedException if interrupted first */
    void await() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return true if signalled
     * @throws InterruptedException if interrupted first
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up
     * @return true if signalled
     * @throws InterruptedException if interrupted first
     */
    boolean await(Deadline deadline) throws InterruptedException;

    /** @return true if the timer was signalled (the signal taken for an auto-reset timer) */
    boolean tryAwait();

    /** @return the future of an async wait for the timer */
    CompletableFuture<Void> awaitAsync();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();
}
