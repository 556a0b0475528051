package io.waitkit.zk;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;

/**
 * A client's tracer ({@code getZookeeperClient().setTracerDriver}) that holds the thread of the
 * first traced operation matching a predicate right after that operation (traces are committed
 * once the answer is in), until the test lets it go: the test changes ZooKeeper's state in the
 * window between that operation and the next. Every other trace goes to an observer.
 */
final class HoldAfterTrace extends AdvancedTracerDriver {
    private static final long WAIT_S = 60;
    private final Predicate<OperationTrace> hold;
    private final Consumer<OperationTrace> others;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);

    /**
     * @param hold which operation to hold after (the first that matches)
     * @param others sees every other trace
     */
    HoldAfterTrace(Predicate<OperationTrace> hold, Consumer<OperationTrace> others) {
        this.hold = hold;
        this.others = others;
    }

    @Override
    public void addTrace(OperationTrace t) {
        if (reached.getCount() > 0 && hold.test(t)) {
            reached.countDown();
            try {
                resume.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            others.accept(t);
        }
    }

    @Override
    public void addEvent(EventTrace t) {
    }

    /**
     * Waits (at most 60 s) until a thread is held.
     *
     * @return true if one is
     * @throws InterruptedException if interrupted
     */
    boolean awaitHeld() throws InterruptedException {
        return reached.await(WAIT_S, TimeUnit.SECONDS);
    }

    /** Lets the held thread (and any later one) go on. */
    void release() {
        resume.countDown();
    }
}
