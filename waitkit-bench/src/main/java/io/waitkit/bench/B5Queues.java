package io.waitkit.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * B5 (BENCHMARKS.md): bounded-queue throughput, single producer/single consumer ({@code spsc}: 1 +
 * 1 threads) and multi-producer/multi-consumer ({@code mpmc}: 2 + 2 threads), for each
 * {@link BenchQueue} implementation ({@code impl}): {@code io.waitkit.Channel} (capacity 1024),
 * {@code ArrayBlockingQueue} (capacity 1024, non-fair) and {@code LinkedTransferQueue} (unbounded,
 * as it comes).
 *
 * <p>Every thread tries the non-blocking operation first and, when the queue is full (or
 * empty), the blocking one with a 10 ms timeout, checking after a timeout whether the
 * iteration has ended (so no thread stays blocked on a queue nobody serves any more). The
 * reported figure is the consumers' rate: the {@code take} operations per microsecond. The
 * element is one shared object, so only the queue itself allocates.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class B5Queues {
    /** Which queue: {@code waitkit}, {@code ArrayBlockingQueue} or {@code LinkedTransferQueue}. */
    @Param({"waitkit", "ArrayBlockingQueue", "LinkedTransferQueue"})
    public String impl;

    private static final Object ELEMENT = new Object();
    private BenchQueue<Object> queue;

    /** Creates the queue of this group. */
    @Setup(Level.Trial)
    public void create() {
        queue = BenchQueue.create(impl);
    }

    private void doPut(Control control) throws InterruptedException {
        if (queue.offer(ELEMENT)) {
            return;
        }
        while (!queue.offerWaiting(ELEMENT)) {
            if (control.stopMeasurement) {
                return;
            }
        }
    }

    private Object doTake(Control control) throws InterruptedException {
        Object x = queue.poll();
        while (x == null) {
            x = queue.pollWaiting();
            if (x == null && control.stopMeasurement) {
                return null;
            }
        }
        return x;
    }

    /**
     * SPSC producer.
     *
     * @param control JMH's iteration control
     * @throws InterruptedException never in practice
     */
    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public void spscPut(Control control) throws InterruptedException {
        doPut(control);
    }

    /**
     * SPSC consumer.
     *
     * @param control JMH's iteration control
     * @return the element taken (null only when the iteration ended while waiting)
     * @throws InterruptedException never in practice
     */
    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public Object spscTake(Control control) throws InterruptedException {
        return doTake(control);
    }

    /**
     * MPMC producers (2 threads).
     *
     * @param control JMH's iteration control
     * @throws InterruptedException never in practice
     */
    @Benchmark
    @Group("mpmc")
    @GroupThreads(2)
    public void mpmcPut(Control control) throws InterruptedException {
        doPut(control);
    }

    /**
     * MPMC consumers (2 threads).
     *
     * @param control JMH's iteration control
     * @return the element taken (null only when the iteration ended while waiting)
     * @throws InterruptedException never in practice
     */
    @Benchmark
    @Group("mpmc")
    @GroupThreads(2)
    public Object mpmcTake(Control control) throws InterruptedException {
        return doTake(control);
    }
}
