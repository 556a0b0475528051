package io.waitkit.bench;

import io.waitkit.Mutex;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * B1 (BENCHMARKS.md): uncontended lock + unlock of a {@link Mutex} against a {@link ReentrantLock}
 * (default, non-fair: the fastest configuration of the peer).
 *
 * <p>Both sides run the identical body: lock, increment a field, unlock, return the field (the
 * return value goes to JMH's blackhole, so nothing is dead code). One benchmark thread, so the
 * lock is never contended; the state object is per thread. The report runs them with JMH's gc
 * profiler to check the "0 B/op" half of the target.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class B1UncontendedLock {
    private final Mutex mutex = new Mutex();
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private long counter;

    /** The waitkit side: {@code Mutex.lock(); ++counter; Mutex.unlock()}. */
    @Benchmark
    public long mutex() {
        mutex.lock();
        try {
            return ++counter;
        } finally {
            mutex.unlock();
        }
    }

    /** The peer: {@code ReentrantLock.lock(); ++counter; ReentrantLock.unlock()}. */
    @Benchmark
    public long reentrantLock() {
        reentrantLock.lock();
        try {
            return ++counter;
        } finally {
            reentrantLock.unlock();
        }
    }
}
