package io.waitkit.ipc;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.SemaphoreContract;
import io.waitkit.contract.SemaphoreUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the semaphore contract against {@link NamedSemaphore}, through two handles of one object
 * in one JVM: one that releases and one that acquires.
 */
class NamedSemaphoreContractTest extends SemaphoreContract {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** {@inheritDoc} A platform thread's wait on a named object sleeps in futex (see {@link DirectSleep}). */
    @Override
    protected void awaitBlocked(Thread t) {
        DirectSleep.awaitBlocked(t);
    }

    @Override
    protected SemaphoreUnderTest newSemaphore(int initial, int max) {
        try {
            String name = TempNamespace.fresh("sem");
            NamedSemaphore releaser = create(name, initial, max);
            NamedSemaphore acquirer = temp.ns.openExisting(name, NamedSemaphore.class);
            return new Adapter(releaser, acquirer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates the semaphore under test; the barging suite overrides it.
     *
     * @param name a fresh name
     * @param initial the initial count
     * @param max the maximum
     * @return the releasing handle
     * @throws IOException if the namespace fails
     */
    protected NamedSemaphore create(String name, int initial, int max) throws IOException {
        return temp.ns.semaphore(name, initial, max);
    }

    private record Adapter(NamedSemaphore r, NamedSemaphore a) implements SemaphoreUnderTest {
        @Override
        public int release() {
            return r.release();
        }

        @Override
        public int release(int n) {
            return r.release(n);
        }

        @Override
        public void acquire() throws InterruptedException {
            a.acquire();
        }

        @Override
        public void acquireUninterruptibly() {
            boolean interrupted = false;
            for (;;) {
                try {
                    a.acquire();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean tryAcquire() {
            return a.tryAcquire();
        }

        @Override
        public boolean tryAcquire(Duration timeout) throws InterruptedException {
            return a.tryAcquire(timeout);
        }

        @Override
        public boolean tryAcquire(Deadline deadline) throws InterruptedException {
            return a.tryAcquire(deadline.remaining());
        }

        @Override
        public int availablePermits() {
            return a.availablePermits();
        }

        @Override
        public int maxPermits() {
            return a.maxPermits();
        }

        @Override
        public CompletableFuture<Void> acquireAsync() {
            return a.acquireAsync();
        }

        @Override
        public Waitable waitable() {
            return a;
        }
    }
}
