package io.waitkit.segment;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.EventContract;
import io.waitkit.contract.EventUnderTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Runs the event contract against {@link SegmentEvent}, the segment-backed proxy. */
class SegmentEventTest extends EventContract {
    @Override
    protected EventUnderTest newEvent(boolean manualReset, boolean signaled) {
        return adapt(manualReset ? SegmentEvent.manualReset(signaled) : SegmentEvent.autoReset(signaled));
    }

    /**
     * Adapts a segment event to the contract's interface.
     *
     * @param e the event
     * @return the adapter
     */
    static EventUnderTest adapt(SegmentEvent e) {
        return new Adapter(e);
    }

    private record Adapter(SegmentEvent e) implements EventUnderTest {
        @Override
        public boolean set() {
            return e.set();
        }

        @Override
        public boolean reset() {
            return e.reset();
        }

        @Override
        public boolean pulse() {
            return e.pulse();
        }

        @Override
        public boolean isSignaled() {
            return e.isSignaled();
        }

        @Override
        public boolean isManualReset() {
            return e.isManualReset();
        }

        @Override
        public void await() throws InterruptedException {
            e.await();
        }

        @Override
        public void awaitUninterruptibly() {
            e.awaitUninterruptibly();
        }

        @Override
        public boolean await(Duration timeout) throws InterruptedException {
            return e.await(timeout);
        }

        @Override
        public boolean await(Deadline deadline) throws InterruptedException {
            return e.await(deadline);
        }

        @Override
        public boolean tryAwait() {
            return e.tryAwait();
        }

        @Override
        public CompletableFuture<Void> awaitAsync() {
            return e.awaitAsync();
        }

        @Override
        public Waitable waitable() {
            return e;
        }
    }
}
