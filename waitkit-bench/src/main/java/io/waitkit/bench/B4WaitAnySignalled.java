package io.waitkit.bench;

import io.waitkit.Semaphore;
import io.waitkit.Wait;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B4 (BENCHMARKS.md), non-blocking form: take one of {@code n} semaphores of which only the
 * last one has a permit when the call starts. One thread.
 *
 * <p>{@link #waitAny}: {@code semaphores[n - 1].release(); Wait.any(semaphores)} over
 * {@code n} waitkit {@code Semaphore(0, 1)}s. The wait never blocks: its lock-free pass finds
 * the first {@code n - 1} without a permit and takes the last.
 *
 * <p>{@link #tryAcquireLoop}, the peer: what a program without a wait-any writes today, the same
 * release on the last of {@code n} {@code java.util.concurrent.Semaphore(0)}s, then
 * {@code tryAcquire()} on each in index order until one succeeds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class B4WaitAnySignalled {
    /** How many objects the wait is over. */
    @Param({"1", "8", "64"})
    public int n;

    private Semaphore[] semaphores;
    private java.util.concurrent.Semaphore[] jucSemaphores;

    /** Creates the semaphores, all without permits. */
    @Setup(Level.Trial)
    public void start() {
        semaphores = new Semaphore[n];
        jucSemaphores = new java.util.concurrent.Semaphore[n];
        for (int i = 0; i < n; i++) {
            semaphores[i] = new Semaphore(0, 1);
            jucSemaphores[i] = new java.util.concurrent.Semaphore(0);
        }
    }

    /**
     * One wait-any whose last object has a permit.
     *
     * @return the index acquired (always {@code n - 1})
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public int waitAny() throws InterruptedException {
        semaphores[n - 1].release();
        return Wait.any(semaphores);
    }

    /**
     * The peer: one {@code tryAcquire()} loop whose last semaphore has a permit.
     *
     * @return the index acquired (always {@code n - 1})
     * @throws IllegalStateException if no semaphore had a permit (never: the last one was just released)
     */
    @Benchmark
    public int tryAcquireLoop() {
        java.util.concurrent.Semaphore[] s = jucSemaphores;
        s[n - 1].release();
        for (int i = 0; i < s.length; i++) {
            if (s[i].tryAcquire()) {
                return i;
            }
        }
        throw new IllegalStateException("no permit in " + s.length + " semaphores");
    }
}
