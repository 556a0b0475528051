package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The mutex operations {@link MutexContract} checks, so that every backend (the in-process
 * {@link io.waitkit.Mutex}, later robust cross-process mutexes) runs the same contract. Each
 * method has the meaning of the {@code Mutex} method of the same name.
 */
public interface MutexUnderTest {
    /** Acquires, ignoring interrupts. */
    void lock();

    /** @throws InterruptedException if interrupted (nothing held) */
    void lockInterruptibly() throws InterruptedException;

    /** @return true if acquired */
    boolean tryLock();

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return true if acquired
     * @throws InterruptedException if interrupted (nothing held)
     */
    boolean tryLock(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up; a passed deadline polls
     * @return true if acquired
     * @throws InterruptedException if interrupted (nothing held)
     */
    boolean tryLock(Deadline deadline) throws InterruptedException;

    /** @return the hold count before the release */
    int release();

    /** Releases one hold. */
    void unlock();

    /** @return the owner thread, null when free or abandoned */
    Thread owner();

    /** @return the hold count, 0 when free or abandoned */
    int holdCount();

    /** @return whether the current thread owns it */
    boolean isHeldByCurrentThread();

    /** @return whether it is abandoned */
    boolean isAbandoned();

    /** @return the future of an async acquisition for the calling thread */
    CompletableFuture<Void> lockAsync();

    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();
}
