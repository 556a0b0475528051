package io.waitkit.bench;

import io.waitkit.Event;
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
 * B4 (BENCHMARKS.md), non-blocking form: {@code Wait.any} over {@code n} auto-reset events of which
 * only the last one is signalled when the call starts. One thread.
 *
 * <p>One operation: {@code events[n - 1].set(); Wait.any(events)}. The wait never blocks: its
 * lock-free pass checks the first {@code n - 1} events, finds them unsignalled and takes the
 * last (resetting it). The peer of {@code n = 8} and {@code n = 64} is the same benchmark at
 * {@code n = 1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class B4WaitAnySignalled {
    /** How many objects the wait is over. */
    @Param({"1", "8", "64"})
    public int n;

    private Event[] events;

    /** Creates the events. */
    @Setup(Level.Trial)
    public void start() {
        events = new Event[n];
        for (int i = 0; i < n; i++) {
            events[i] = Event.autoReset(false);
        }
    }

    /**
     * One wait-any whose last object is already signalled.
     *
     * @return the index acquired (always {@code n - 1})
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public int waitAny() throws InterruptedException {
        events[n - 1].set();
        return Wait.any(events);
    }
}
