package io.waitkit.bench;

import io.waitkit.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * B2 (BENCHMARKS.md): uncontended acquire + release of a waitkit {@link Semaphore} against a
 * {@link java.util.concurrent.Semaphore} (default, non-fair).
 *
 * <p>Both hold one permit ({@code new Semaphore(1, 1)} and {@code new Semaphore(1)}) and run
 * the identical body: interruptible {@code acquire()}, increment a field, {@code release()},
 * return the field (to JMH's blackhole). One benchmark thread; per-thread state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class B2UncontendedSemaphore {
    private final Semaphore semaphore = new Semaphore(1, 1);
    private final java.util.concurrent.Semaphore jucSemaphore = new java.util.concurrent.Semaphore(1);
    private long counter;

    /** The waitkit side. */
    @Benchmark
    public long semaphore() throws InterruptedException {
        semaphore.acquire();
        try {
            return ++counter;
        } finally {
            semaphore.release();
        }
    }

    /** The peer. */
    @Benchmark
    public long jucSemaphore() throws InterruptedException {
        jucSemaphore.acquire();
        try {
            return ++counter;
        } finally {
            jucSemaphore.release();
        }
    }
}
