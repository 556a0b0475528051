package io.waitkit.bench;

import io.waitkit.Fairness;
import io.waitkit.Mutex;
import io.waitkit.Semaphore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * B9c (BENCHMARKS.md): the contended loop of {@link B9Contended} run by {@value #THREADS}
 * virtual threads, for each of its eight locks ({@link #lock}): acquire, increment a shared
 * counter, release, then {@link Thread#yield()}.
 *
 * <p>Why not JMH's own threads: JMH sums each thread's operations divided by that thread's own
 * measured time, which assumes every thread runs through the whole iteration. Virtual threads
 * do not: they are not time-sliced, so a few run in bursts while the others wait for a
 * carrier, and that sum then counts bursts as if they had lasted the whole iteration (a trial
 * run gave thousands of operations per microsecond). Here the virtual threads run for the whole
 * trial, each counting its operations, and the one JMH thread reads the total every
 * {@value #TICK_MICROS} µs into an operations counter ({@code ops}, the reported figure): all
 * operations done over the measured time, divided by it.
 *
 * <p>Why the yield: a virtual thread that never blocks keeps its carrier, so without it the
 * threads that hold a carrier would loop alone and most of the {@value #THREADS} would never
 * run. Yielding after the release (it unmounts the thread and queues it behind the other
 * runnable ones), as a virtual thread that blocks on something else between its critical
 * sections does, makes all of them take turns. A semaphore with two permits on a machine with
 * two carriers is then hardly ever contended (a thread that holds a permit is never unmounted
 * while it holds it), so on 2 cores its rows measure the path of a free permit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class B9Virtual {
    /** The virtual threads that contend. */
    public static final int THREADS = 100;
    /** How often the JMH thread reads the total. */
    public static final long TICK_MICROS = 5_000;
    /** Longs per counter slot: each thread's counter on a cache line (two) of its own. */
    private static final int STRIDE = 16;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    /** Which lock: a method name of {@link B9Contended} (not {@code spinLock}). */
    @Param({"mutex", "fairReentrantLock", "bargingMutex", "reentrantLock", "semaphore", "fairJucSemaphore",
            "bargingSemaphore", "jucSemaphore"})
    public String lock;

    private final long[] counts = new long[(THREADS + 1) * STRIDE];
    private volatile boolean stop;
    private Thread[] threads;
    private long counter;

    /** One operation: acquire, increment, release. */
    @FunctionalInterface
    private interface Op {
        void run() throws InterruptedException;
    }

    private Op op(String name) {
        switch (name) {
            case "mutex", "bargingMutex" -> {
                Mutex m = name.equals("mutex") ? new Mutex() : new Mutex(Fairness.BARGING);
                return () -> {
                    m.lock();
                    try {
                        ++counter;
                    } finally {
                        m.unlock();
                    }
                };
            }
            case "fairReentrantLock", "reentrantLock" -> {
                ReentrantLock l = new ReentrantLock(name.equals("fairReentrantLock"));
                return () -> {
                    l.lock();
                    try {
                        ++counter;
                    } finally {
                        l.unlock();
                    }
                };
            }
            case "semaphore", "bargingSemaphore" -> {
                int p = B9Contended.PERMITS;
                Semaphore s = name.equals("semaphore") ? new Semaphore(p, p) : new Semaphore(p, p, Fairness.BARGING);
                return () -> {
                    s.acquire();
                    try {
                        ++counter;
                    } finally {
                        s.release();
                    }
                };
            }
            case "fairJucSemaphore", "jucSemaphore" -> {
                var s = new java.util.concurrent.Semaphore(B9Contended.PERMITS, name.equals("fairJucSemaphore"));
                return () -> {
                    s.acquire();
                    try {
                        ++counter;
                    } finally {
                        s.release();
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown lock: " + name);
        }
    }

    /** Starts the virtual threads; they loop until {@link #stop()}. */
    @Setup(Level.Trial)
    public void start() {
        Op o = op(lock);
        threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            int slot = (i + 1) * STRIDE;
            threads[i] = Thread.ofVirtual().name("b9c-" + i).start(() -> {
                long n = 0;
                try {
                    while (!stop) {
                        o.run();
                        COUNT.setOpaque(counts, slot, ++n);
                        Thread.yield();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // never interrupted: stop() ends the loop
                }
            });
        }
    }

    /**
     * Ends the virtual threads.
     *
     * @throws IllegalStateException if one does not end within 30 s (a lost wake-up)
     * @throws InterruptedException never in practice
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            if (!t.join(java.time.Duration.ofSeconds(30))) {
                throw new IllegalStateException(t + " did not end: " + lock + " lost a wake-up?");
            }
        }
    }

    /** The operations of all virtual threads so far. */
    long total() {
        long sum = 0;
        for (int i = 1; i <= THREADS; i++) {
            sum += (long) COUNT.getOpaque(counts, i * STRIDE);
        }
        return sum;
    }

    /** The reported figure: the virtual threads' operations during the measured time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Ops {
        /** Operations of all virtual threads since the iteration started. */
        public long ops;
        private long seen;

        /**
         * Starts counting at the start of an iteration.
         *
         * @param b the benchmark, for its total
         */
        @Setup(Level.Iteration)
        public void reset(B9Virtual b) {
            ops = 0;
            seen = b.total();
        }
    }

    /**
     * One tick of the JMH thread: waits {@value #TICK_MICROS} µs, then adds the virtual threads'
     * operations since the last tick to {@code ops}.
     *
     * @param o the counter
     */
    @Benchmark
    public void tick(Ops o) {
        LockSupport.parkNanos(TICK_MICROS * 1_000L);
        long t = total();
        o.ops += t - o.seen;
        o.seen = t;
    }
}
