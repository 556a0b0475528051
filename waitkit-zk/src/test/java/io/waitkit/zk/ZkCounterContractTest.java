package io.waitkit.zk;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.contract.CounterContract;
import io.waitkit.contract.CounterUnderTest;
import io.waitkit.contract.OpUnderTest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the counter contract against {@link ZkCounter} on an in-JVM three-server ensemble,
 * through two handles of one object (waits through one, updates and reads through the other).
 */
class ZkCounterContractTest extends CounterContract {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    static ZkNamespace ns;
    private static final AtomicLong SEQ = new AtomicLong();

    @BeforeAll
    static void open() throws InterruptedException {
        ns = ensemble.namespace(Ensemble.freshRoot("counter-contract"));
    }

    /**
     * Every update is a replicated write to the ensemble, retried when another update came
     * first: 2,000 per thread took over 20 s on a loaded 2-core machine, 150 per thread took
     * 4 to 6 s at a load of 5 to 9. 100 per thread (300 writes, of three threads retrying
     * against each other all along) keep the check of lost updates (one update done as a read
     * and a separate write loses some) and finish well within the bound.
     */
    @Override
    protected int concurrentUpdatesPerThread() {
        return 100;
    }

    @Override
    protected CounterUnderTest newCounter(long initial) {
        String name = "c" + SEQ.incrementAndGet();
        ZkCounter a = ns.counter(name, initial);
        return new Adapter(a, ns.counter(name, initial + 1)); // the initial value only counts at creation
    }

    record Adapter(ZkCounter a, ZkCounter b) implements CounterUnderTest {
        @Override
        public Change await(ChangeMatch match) throws InterruptedException {
            return a.await(match);
        }

        @Override
        public Change await(ChangeMatch match, Duration timeout) throws InterruptedException {
            return a.await(match, timeout);
        }

        @Override
        public Change await(ChangeMatch match, Deadline deadline) throws InterruptedException {
            return a.await(match, deadline);
        }

        @Override
        public CompletableFuture<Change> awaitAsync(ChangeMatch match) {
            return a.awaitAsync(match);
        }

        @Override
        public OpUnderTest<Change> when(ChangeMatch match) {
            ZkCounter.Watch w = a.when(match);
            return new OpUnderTest<>() {
                @Override
                public Waitable waitable() {
                    return w;
                }

                @Override
                public Change result() {
                    return w.change();
                }
            };
        }

        @Override
        public long get() {
            return b.get();
        }

        @Override
        public long set(long x) {
            return b.set(x);
        }

        @Override
        public long add(long x) {
            return b.add(x);
        }

        @Override
        public long subtract(long x) {
            return b.subtract(x);
        }

        @Override
        public long subtractFrom(long x) {
            return b.subtractFrom(x);
        }

        @Override
        public long multiply(long x) {
            return b.multiply(x);
        }

        @Override
        public long divide(long x) {
            return b.divide(x);
        }

        @Override
        public long modulo(long x) {
            return b.modulo(x);
        }

        @Override
        public long and(long x) {
            return b.and(x);
        }

        @Override
        public long or(long x) {
            return b.or(x);
        }

        @Override
        public long xor(long x) {
            return b.xor(x);
        }

        @Override
        public long nand(long x) {
            return b.nand(x);
        }

        @Override
        public long nor(long x) {
            return b.nor(x);
        }

        @Override
        public long xnor(long x) {
            return b.xnor(x);
        }

        @Override
        public long not() {
            return b.not();
        }

        @Override
        public long increment() {
            return b.increment();
        }

        @Override
        public long decrement() {
            return b.decrement();
        }

        @Override
        public long update(LongUnaryOperator function) {
            return b.update(function);
        }
    }
}
