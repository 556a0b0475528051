package io.waitkit.segment;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.MutexContract;
import io.waitkit.contract.MutexUnderTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the mutex contract against {@link SegmentMutex}, the segment-backed proxy, with every
 * default hook: its owner threads live in this JVM, and its abandonment is reported with an
 * {@link io.waitkit.AbandonedMutexException} whose {@code object()} is the segment mutex.
 */
class SegmentMutexTest extends MutexContract {
    @Override
    protected MutexUnderTest newMutex() {
        return new Adapter(SegmentMutex.allocate());
    }

    @Override
    protected MutexUnderTest newMutexOwnedByCurrentThread() {
        return new Adapter(SegmentMutex.allocateOwnedByCurrentThread());
    }

    private record Adapter(SegmentMutex m) implements MutexUnderTest {
        @Override
        public void lock() {
            m.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            m.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return m.tryLock();
        }

        @Override
        public boolean tryLock(Duration timeout) throws InterruptedException {
            return m.tryLock(timeout);
        }

        @Override
        public boolean tryLock(Deadline deadline) throws InterruptedException {
            return m.tryLock(deadline);
        }

        @Override
        public int release() {
            return m.release();
        }

        @Override
        public void unlock() {
            m.unlock();
        }

        @Override
        public Thread owner() {
            return m.owner();
        }

        @Override
        public int holdCount() {
            return m.holdCount();
        }

        @Override
        public boolean isHeldByCurrentThread() {
            return m.isHeldByCurrentThread();
        }

        @Override
        public boolean isAbandoned() {
            return m.isAbandoned();
        }

        @Override
        public CompletableFuture<Void> lockAsync() {
            return m.lockAsync();
        }

        @Override
        public Waitable waitable() {
            return m;
        }
    }
}
