package io.waitkit.ipc;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.EventContract;
import io.waitkit.contract.EventUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the event contract against {@link NamedEvent}, through two handles of one object in one
 * JVM: one that signals and one that waits (they share one state and one proxy).
 */
class NamedEventContractTest extends EventContract {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** {@inheritDoc} A platform thread's wait on a named object sleeps in futex (see {@link DirectSleep}). */
    @Override
    protected void awaitBlocked(Thread t) {
        DirectSleep.awaitBlocked(t);
    }

    @Override
    protected EventUnderTest newEvent(boolean manualReset, boolean signaled) {
        try {
            String name = TempNamespace.fresh("event");
            NamedEvent signaller = temp.ns.event(name, manualReset, signaled);
            NamedEvent waiter = temp.ns.openExisting(name, NamedEvent.class);
            return new Adapter(signaller, waiter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Adapter(NamedEvent s, NamedEvent w) implements EventUnderTest {
        @Override
        public boolean set() {
            return s.set();
        }

        @Override
        public boolean reset() {
            return s.reset();
        }

        @Override
        public boolean pulse() {
            return s.pulse();
        }

        @Override
        public boolean isSignaled() {
            return w.isSignaled();
        }

        @Override
        public boolean isManualReset() {
            return w.isManualReset();
        }

        @Override
        public void await() throws InterruptedException {
            w.await();
        }

        @Override
        public void awaitUninterruptibly() {
            w.awaitUninterruptibly();
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            return w.await(timeout);
        }

        @Override
        public boolean await(Deadline deadline) throws InterruptedException {
            return w.await(deadline.remaining());
        }

        @Override
        public boolean tryAwait() {
            return w.tryAwait();
        }

        @Override
        public CompletableFuture<Void> awaitAsync() {
            return w.awaitAsync();
        }

        @Override
        public Waitable waitable() {
            return w;
        }
    }
}
