package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One thread's post/wait slot, with the operations {@link PostWaitContract} checks, so that
 * every backend runs the same contract. Each method has the meaning of the
 * {@link io.waitkit.PostWait} method of the same name.
 */
public interface PostWaitUnderTest {
    /** The result of a post to one target of a multi-post. */
    enum Result {
        /** Posted (pending, or handed to the target's wait). */
        POSTED,
        /** A post was already pending; this one was discarded. */
        DISCARDED,
        /** The target has ended or never started; nothing posted. */
        NO_SUCH_THREAD
    }

    /** @return true if posted, false if a post was pending (this one discarded) */
    boolean post();

    /** @return whether a post is pending */
    boolean isPosted();

    /** @throws InterruptedException if interrupted first (the post stays pending) */
    void await() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return true if a post was consumed
     * @throws InterruptedException if interrupted first (the post stays pending)
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up
     * @return true if a post was consumed
     * @throws InterruptedException if interrupted first (the post stays pending)
     */
    boolean await(Deadline deadline) throws InterruptedException;

    /** @return true if a pending post was consumed */
    boolean tryAwait();

    /** @return the future of an async wait for a post, for the calling thread */
    CompletableFuture<Void> awaitAsync();

    /** @return the thread the slot belongs to */
    Thread thread();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} (the owner only) */
    Waitable waitable();
}
