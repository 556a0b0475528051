package io.waitkit.bench;

import io.waitkit.Event;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B3 (BENCHMARKS.md): round trip of a ping-pong between two platform threads. One operation is one
 * full round trip: the benchmark thread signals the echo thread and blocks until the echo thread
 * has signalled back.
 *
 * <ul>
 *   <li>{@link #event}: two auto-reset {@link Event}s ({@code ping.set(); pong.await()} against
 *       {@code ping.await(); pong.set()}).</li>
 *   <li>{@link #parkUnpark}, the floor: a volatile turn flag with bare
 *       {@link LockSupport#park}/{@link LockSupport#unpark}, no spinning, no queue; the least a
 *       blocking hand-off between two threads can cost.</li>
 *   <li>{@link #synchronousQueue}: two {@link SynchronousQueue}s (default, non-fair),
 *       {@code put} then {@code take}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class B3PingPong {

    /** Two auto-reset events and an echo thread. */
    @State(Scope.Benchmark)
    public static class Events {
        final Event ping = Event.autoReset(false);
        final Event pong = Event.autoReset(false);
        Echo echo;

        /** Starts the echo thread. */
        @Setup(Level.Trial)
        public void start() {
            echo = Echo.start("b3-event-echo", e -> {
                for (;;) {
                    ping.await();
                    if (e.stopping()) {
                        return;
                    }
                    pong.set();
                }
            });
        }

        /** Stops the echo thread. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            echo.stop();
        }
    }

    /** A turn flag for the bare park/unpark floor. */
    @State(Scope.Benchmark)
    public static class Turn {
        static final int PINGER = 0;
        static final int ECHO = 1;
        volatile int turn = PINGER;
        /** The benchmark thread, written before each hand-off (published by the volatile turn). */
        Thread pinger;
        Echo echo;

        /** Starts the echo thread. */
        @Setup(Level.Trial)
        public void start() {
            echo = Echo.start("b3-park-echo", e -> {
                for (;;) {
                    while (turn != ECHO) {
                        if (e.stopping()) {
                            return;
                        }
                        LockSupport.park(this);
                    }
                    turn = PINGER;
                    LockSupport.unpark(pinger);
                }
            });
        }

        /** Stops the echo thread. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            echo.stop();
        }
    }

    /** Two synchronous queues and an echo thread. */
    @State(Scope.Benchmark)
    public static class Queues {
        final SynchronousQueue<Object> ping = new SynchronousQueue<>();
        final SynchronousQueue<Object> pong = new SynchronousQueue<>();
        final Object token = new Object();
        Echo echo;

        /** Starts the echo thread. */
        @Setup(Level.Trial)
        public void start() {
            echo = Echo.start("b3-sq-echo", e -> {
                for (;;) {
                    pong.put(ping.take());
                }
            });
        }

        /** Stops the echo thread. */
        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            echo.stop();
        }
    }

    /**
     * The waitkit side: one Event round trip.
     *
     * @param s the events
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public void event(Events s) throws InterruptedException {
        s.ping.set();
        s.pong.await();
    }

    /**
     * The floor: one bare park/unpark round trip.
     *
     * @param s the turn flag
     */
    @Benchmark
    public void parkUnpark(Turn s) {
        s.pinger = Thread.currentThread();
        s.turn = Turn.ECHO;
        LockSupport.unpark(s.echo.thread());
        while (s.turn != Turn.PINGER) {
            LockSupport.park(s);
        }
    }

    /**
     * The queue peer: one SynchronousQueue round trip.
     *
     * @param s the queues
     * @return the token that came back
     * @throws InterruptedException never in practice
     */
    @Benchmark
    public Object synchronousQueue(Queues s) throws InterruptedException {
        s.ping.put(s.token);
        return s.pong.take();
    }
}
