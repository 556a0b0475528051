package io.waitkit.segment;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.MutexContract;
import io.waitkit.contract.MutexUnderTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the mutex contract against {@link SegmentMutex}, the segment-backed proxy. The one hook
 * overridden is how an abandoned mutex is reported: the core {@link AbandonedMutexException}
 * can name only an {@link io.waitkit.Mutex}, so a segment mutex reports an
 * {@link AbandonedSegmentMutexException} that names it.
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

    @Override
    protected void assertReportsMutex(MutexUnderTest m, AbandonedMutexException e) {
        AbandonedSegmentMutexException s = assertInstanceOf(AbandonedSegmentMutexException.class, e);
        assertSame(m.waitable(), s.segmentMutex(), "the exception must name the abandoned mutex");
        assertNull(e.mutex(), "the core accessor cannot name a segment mutex");
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
