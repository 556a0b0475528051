package io.waitkit.bench;

import io.waitkit.Fairness;
import io.waitkit.Mutex;
import io.waitkit.Semaphore;
import io.waitkit.SpinLock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * B9a, B9b, B9c and B9s (BENCHMARKS.md): contended throughput. All benchmark threads share one
 * lock or semaphore and loop back to back over: acquire, increment a shared counter, release.
 * No work outside the critical section, so every thread competes all the time (the hardest
 * case for a hand-off lock). Throughput is the total over all threads, in operations per
 * microsecond.
 *
 * <p>The pairs, each waitkit object against the {@code java.util.concurrent} lock that follows
 * the same rule:
 * <ul>
 *   <li>hand-off (B9a): {@link #mutex} ({@code new Mutex()}) against {@link #fairReentrantLock}
 *       ({@code new ReentrantLock(true)}), {@link #semaphore} ({@code new Semaphore(2, 2)})
 *       against {@link #fairJucSemaphore} ({@code new Semaphore(2, true)}): a release gives
 *       the object to the longest waiter;</li>
 *   <li>barging (B9b): {@link #bargingMutex} ({@code new Mutex(Fairness.BARGING)}) against
 *       {@link #reentrantLock} ({@code new ReentrantLock()}), {@link #bargingSemaphore}
 *       ({@code new Semaphore(2, 2, Fairness.BARGING)}) against {@link #jucSemaphore}
 *       ({@code new Semaphore(2)}): a running thread may take a released object ahead of
 *       the queued ones;</li>
 *   <li>B9s: {@link #spinLock} ({@code new SpinLock()}) against {@link #reentrantLock}.</li>
 * </ul>
 * The semaphores have two permits, so two threads may be inside at once; the shared counter
 * is then a racy increment on purpose, it only feeds the blackhole.
 *
 * <p>B9c runs the same loop with 100 virtual threads: {@link B9Virtual}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class B9Contended {
    /** Permits of every semaphore. */
    public static final int PERMITS = 2;

    private final Mutex mutex = new Mutex();
    private final ReentrantLock fairReentrantLock = new ReentrantLock(true);
    private final Semaphore semaphore = new Semaphore(PERMITS, PERMITS);
    private final java.util.concurrent.Semaphore fairJucSemaphore = new java.util.concurrent.Semaphore(PERMITS, true);
    private final Mutex bargingMutex = new Mutex(Fairness.BARGING);
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final Semaphore bargingSemaphore = new Semaphore(PERMITS, PERMITS, Fairness.BARGING);
    private final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(PERMITS);
    private final SpinLock spinLock = new SpinLock();
    private long counter;

    /**
     * B9a: waitkit mutex, hand-off (the default).
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
     * B9a: peer of {@link #mutex}, a fair {@code ReentrantLock}.
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
     * B9a: waitkit semaphore, hand-off (the default).
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
     * B9a: peer of {@link #semaphore}, a fair {@code java.util.concurrent.Semaphore(2, true)}.
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

    /**
     * B9b: waitkit mutex with {@link Fairness#BARGING}.
     *
     * @return the counter (to the blackhole)
     */
    @Benchmark
    public long bargingMutex() {
        bargingMutex.lock();
        try {
            return ++counter;
        } finally {
            bargingMutex.unlock();
        }
    }

    /**
     * B9b and B9s: peer of {@link #bargingMutex} and {@link #spinLock}, a non-fair
     * {@code ReentrantLock}.
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
     * B9b: waitkit semaphore with {@link Fairness#BARGING}.
     *
     * @return the counter (to the blackhole)
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public long bargingSemaphore() throws InterruptedException {
        bargingSemaphore.acquire();
        try {
            return ++counter;
        } finally {
            bargingSemaphore.release();
        }
    }

    /**
     * B9b: peer of {@link #bargingSemaphore}, a non-fair {@code java.util.concurrent.Semaphore(2)}.
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
     * B9s: a {@link SpinLock}.
     *
     * @return the counter (to the blackhole)
     */
    @Benchmark
    public long spinLock() {
        spinLock.lock();
        try {
            return ++counter;
        } finally {
            spinLock.unlock();
        }
    }
}
