package io.waitkit.bench;

import io.waitkit.Mutex;
import io.waitkit.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * B9 (BENCHMARKS.md): contended throughput. All benchmark threads (the runner sets 1, 2, 4, 8, 16)
 * share one lock or semaphore and loop back to back over: acquire, increment a shared counter,
 * release. No work outside the critical section, so every thread competes all the time (the hardest
 * case for a hand-off lock).
 *
 * <ul>
 *   <li>{@link #mutex} against {@link #reentrantLock} (default, non-fair);</li>
 *   <li>{@link #semaphore} ({@code new Semaphore(2, 2)}) against {@link #jucSemaphore}
 *       ({@code new Semaphore(2)}, non-fair): two permits, so two threads may be inside at
 *       once; the shared counter is then an atomic-free racy increment on purpose, it only
 *       feeds the blackhole.</li>
 * </ul>
 * Throughput is the total over all threads, in operations per microsecond.
 *
 * <p>{@link #fairReentrantLock} and {@link #fairJucSemaphore} are not peers of a target row:
 * they are the j.u.c. locks with the waitkit rule (a release hands the lock to the longest
 * waiter), measured for the explanation of the B9 rows in BENCHMARKS.md
 * ({@code java -cp waitkit-bench.jar org.openjdk.jmh.Main 'B9Contended.fair.*' -t 16}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class B9Contended {
    /** Permits of both semaphores. */
    public static final int PERMITS = 2;

    private final Mutex mutex = new Mutex();
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Semaphore semaphore = new Semaphore(PERMITS, PERMITS);
    private final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(PERMITS);
    private final ReentrantLock fairReentrantLock = new ReentrantLock(true);
    private final java.util.concurrent.Semaphore fairJucSemaphore = new java.util.concurrent.Semaphore(PERMITS, true);
    private long counter;

    /**
     * Waitkit mutex.
     *
     * @return the counter (to the blackhole)
     */
    @Benchmark
    public long mutex() {
        mutex.lock();
        try {
            return ++counter;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Peer of {@link #mutex}.
     *
     * @return the counter (to the blackhole)
     */
    @Benchmark
    public long reentrantLock() {
        reentrantLock.lock();
        try {
            return ++counter;
        } finally {
            reentrantLock.unlock();
        }
    }

    /**
     * Waitkit semaphore.
     *
     * @return the counter (to the blackhole)
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public long semaphore() throws InterruptedException {
        semaphore.acquire();
        try {
            return ++counter;
        } finally {
            semaphore.release();
        }
    }

    /**
     * Peer of {@link #semaphore}.
     *
     * @return the counter (to the blackhole)
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public long jucSemaphore() throws InterruptedException {
        jucSemaphore.acquire();
        try {
            return ++counter;
        } finally {
            jucSemaphore.release();
        }
    }

    /**
     * Context, not a peer of a target row: a fair {@code ReentrantLock}.
     *
     * @return the counter (to the blackhole)
     */
    @Benchmark
    public long fairReentrantLock() {
        fairReentrantLock.lock();
        try {
            return ++counter;
        } finally {
            fairReentrantLock.unlock();
        }
    }

    /**
     * Context, not a peer of a target row: a fair {@code java.util.concurrent.Semaphore(2, true)}.
     *
     * @return the counter (to the blackhole)
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public long fairJucSemaphore() throws InterruptedException {
        fairJucSemaphore.acquire();
        try {
            return ++counter;
        } finally {
            fairJucSemaphore.release();
        }
    }
}
