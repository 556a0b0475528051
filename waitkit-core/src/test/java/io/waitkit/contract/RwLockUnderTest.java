package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The readers/writer lock operations {@link RwLockContract} checks, so that every backend runs
 * the same contract. Each method has the meaning of the {@link io.waitkit.RwLock} method of the
 * same name; the two sides are {@link Side}s.
 */
public interface RwLockUnderTest {
    /** @return the read side */
    Side read();

    /** @return the write side */
    Side write();

    /** @return whether this lock prefers writers */
    boolean prefersWriters();

    /** @return the number of read holds */
    int readHolds();

    /** @return whether a writer holds the lock */
    boolean isWriteLocked();

    /** @return whether the current thread holds the write lock */
    boolean isWriteLockedByCurrentThread();

    /** One side of the lock; each method has the meaning of the {@code RwLock.Side} method. */
    interface Side {
        /** Acquires a hold, ignoring interrupts (re-asserted on return). */
        void lock();

        /** @throws InterruptedException if interrupted first (nothing held) */
        void lockInterruptibly() throws InterruptedException;

        /** @return true if a hold was acquired */
        boolean tryLock();

        /**
         * @param timeout the longest wait; zero or negative polls
         * @return true if a hold was acquired
         * @throws InterruptedException if interrupted first (nothing held)
         */
        boolean tryLock(Duration timeout) throws InterruptedException;

        /**
         * @param deadline when to give up; a passed deadline polls
         * @return true if a hold was acquired
         * @throws InterruptedException if interrupted first (nothing held)
         */
        boolean tryLock(Deadline deadline) throws InterruptedException;

        /** Releases one hold of this side. */
        void unlock();

        /** @return the future of an async acquisition of a hold, for the calling thread */
        CompletableFuture<Void> lockAsync();

        /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
        Waitable waitable();
    }
}
