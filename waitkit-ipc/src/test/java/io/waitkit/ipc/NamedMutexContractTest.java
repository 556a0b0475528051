package io.waitkit.ipc;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.MutexContract;
import io.waitkit.contract.MutexUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the mutex contract against {@link NamedMutex}, through two handles of one object in one
 * JVM (waits through one, releases through the other): ownership, recursion, hand-off,
 * abandonment by a thread that ends holding it, with {@code object()} of the reported exception
 * the handle the wait used.
 */
class NamedMutexContractTest extends MutexContract {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** {@inheritDoc} A platform thread's wait on a named object sleeps in futex (see {@link DirectSleep}). */
    @Override
    protected void awaitBlocked(Thread t) {
        DirectSleep.awaitBlocked(t);
    }

    @Override
    protected MutexUnderTest newMutex() {
        try {
            String name = TempNamespace.fresh("mutex");
            NamedMutex a = create(name);
            NamedMutex b = temp.ns.openExisting(name, NamedMutex.class);
            return new Adapter(a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates the mutex under test; the barging suite overrides it.
     *
     * @param name a fresh name
     * @return the first handle
     * @throws IOException if the namespace fails
     */
    protected NamedMutex create(String name) throws IOException {
        return temp.ns.mutex(name);
    }

    @Override
    protected MutexUnderTest newMutexOwnedByCurrentThread() {
        MutexUnderTest m = newMutex();
        m.lock();
        return m;
    }

    private record Adapter(NamedMutex a, NamedMutex b) implements MutexUnderTest {
        @Override
        public void lock() {
            a.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            a.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return a.tryLock();
        }

        @Override
        public boolean tryLock(Duration timeout) throws InterruptedException {
            return a.tryLock(timeout);
        }

        @Override
        public boolean tryLock(Deadline deadline) throws InterruptedException {
            return a.tryLock(deadline.remaining());
        }

        @Override
        public int release() {
            return b.release();
        }

        @Override
        public void unlock() {
            b.unlock();
        }

        @Override
        public Thread owner() {
            return b.ownerThread();
        }

        @Override
        public int holdCount() {
            Thread o = b.ownerThread();
            if (o == null) {
                return 0;
            }
            if (o == Thread.currentThread()) {
                return b.holdCount();
            }
            return b.info().state().startsWith("held (holds=") ? Integer.parseInt(b.info().state().replaceAll("\\D", "")) : 0;
        }

        @Override
        public boolean isHeldByCurrentThread() {
            return b.isHeldByCurrentThread();
        }

        @Override
        public boolean isAbandoned() {
            return b.isAbandoned();
        }

        @Override
        public CompletableFuture<Void> lockAsync() {
            return a.lockAsync();
        }

        @Override
        public Waitable waitable() {
            return a;
        }
    }
}
