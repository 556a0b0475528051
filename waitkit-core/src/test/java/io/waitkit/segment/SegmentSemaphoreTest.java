package io.waitkit.segment;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.SemaphoreContract;
import io.waitkit.contract.SemaphoreUnderTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Runs the semaphore contract against {@link SegmentSemaphore}, the segment-backed proxy. */
class SegmentSemaphoreTest extends SemaphoreContract {
    @Override
    protected SemaphoreUnderTest newSemaphore(int initial, int max) {
        return new Adapter(SegmentSemaphore.allocate(initial, max));
    }

    private record Adapter(SegmentSemaphore s) implements SemaphoreUnderTest {
        @Override
        public int release() {
            return s.release();
        }

        @Override
        public int release(int n) {
            return s.release(n);
        }

        @Override
        public void acquire() throws InterruptedException {
            s.acquire();
        }

        @Override
        public void acquireUninterruptibly() {
            s.acquireUninterruptibly();
        }

        @Override
        public boolean tryAcquire() {
            return s.tryAcquire();
        }

        @Override
        public boolean tryAcquire(Duration timeout) throws InterruptedException {
            return s.tryAcquire(timeout);
        }

        @Override
        public boolean tryAcquire(Deadline deadline) throws InterruptedException {
            return s.tryAcquire(deadline);
        }

        @Override
        public int availablePermits() {
            return s.availablePermits();
        }

        @Override
        public int maxPermits() {
            return s.maxPermits();
        }

        @Override
        public CompletableFuture<Void> acquireAsync() {
            return s.acquireAsync();
        }

        @Override
        public Waitable waitable() {
            return s;
        }
    }
}
