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
import org.openjdk.jmh.annotations.TearDown;

/**
 * B4 (BENCHMARKS.md), blocking form: {@code Wait.any} over {@code n} auto-reset events where
 * another thread signals the last one while the caller waits.
 *
 * <p>One operation: the benchmark thread sets a private {@code go} event and calls
 * {@code Wait.any(events)}; the echo thread, woken by {@code go}, sets {@code events[n - 1]}.
 * The caller usually finds nothing signalled, queues itself on all {@code n} events, blocks,
 * is handed the last one and withdraws from the other {@code n - 1}; when the echo thread is
 * quicker, the first lock-free pass finds the last event already signalled. The peer of
 * {@code n = 8} and {@code n = 64} is the same benchmark at {@code n = 1} (the target: 64
 * objects cost at most twice one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class B4WaitAnyBlocking {
    /** How many objects the wait is over. */
    @Param({"1", "8", "64"})
    public int n;

    private Event[] events;
    private final Event go = Event.autoReset(false);
    private Echo echo;

    /** Creates the events and starts the signalling thread. */
    @Setup(Level.Trial)
    public void start() {
        events = new Event[n];
        for (int i = 0; i < n; i++) {
            events[i] = Event.autoReset(false);
        }
        Event last = events[n - 1];
        echo = Echo.start("b4-echo", e -> {
            for (;;) {
                go.await();
                if (e.stopping()) {
                    return;
                }
                last.set();
            }
        });
    }

    /** Stops the signalling thread. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        echo.stop();
    }

    /**
     * One wait-any that the other thread completes by signalling the last object.
     *
     * @return the index acquired (always {@code n - 1})
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public int waitAny() throws InterruptedException {
        go.set();
        return Wait.any(events);
    }
}
