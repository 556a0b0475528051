package io.waitkit.bench;

import io.waitkit.Event;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * B6 (BENCHMARKS.md): 100,000 virtual threads wait on one gate, the gate opens, until all are done.
 * The gate is a manual-reset {@link Event} ({@code await()} / {@code set()}) or the peer, a
 * {@link CountDownLatch}{@code (1)} ({@code await()} / {@code countDown()}).
 *
 * <p>This is a plain main, not JMH: a run is a single shot of a large scenario, and it also
 * measures memory. The report runner starts it in fresh JVMs with the same flags for both
 * gates, alternating them. One run:
 * <ol>
 *   <li>full GC; the used heap is the baseline;</li>
 *   <li><b>park</b> phase: start {@code threads} virtual threads that each call
 *       {@code gate.await()}, and wait until every one of them is parked ({@code WAITING});</li>
 *   <li>full GC (not timed); the used heap minus the baseline is the <b>live heap</b> of the
 *       waiting crowd (threads, their stacks and the gate's wait queue): the peak of live
 *       memory in this scenario;</li>
 *   <li><b>wake</b> phase: open the gate and join every thread.</li>
 * </ol>
 * Reported per run: {@code wake_ms}, {@code total_ms} (park + wake) and {@code heap_mb}. Each
 * measured run prints one line {@code B6-RESULT {json}} on standard output.
 *
 * <p>Warm-up runs matter for memory: a parked virtual thread keeps its frames in a heap stack
 * chunk whose size depends on how far the JIT has compiled them, so the first runs of a JVM
 * (interpreted and tier-3 frames, deoptimized frames of threads that woke into code compiled
 * while all were parked) hold up to twice the bytes of the settled ones. Both gates settle
 * within four runs; the report measures after that, the same for both.
 *
 * <p>Usage: {@code B6ManyWaiters <event|latch> <threads> <warmups> <runs>}
 */
public final class B6ManyWaiters {
    private B6ManyWaiters() {
    }

    /** The gate under test. */
    private interface Gate {
        void await() throws InterruptedException;

        void open();
    }

    private static Gate gate(String impl) {
        return switch (impl) {
            case "event" -> {
                Event e = Event.manualReset(false);
                yield new Gate() {
                    @Override
                    public void await() throws InterruptedException {
                        e.await();
                    }

                    @Override
                    public void open() {
                        e.set();
                    }
                };
            }
            case "latch" -> {
                CountDownLatch l = new CountDownLatch(1);
                yield new Gate() {
                    @Override
                    public void await() throws InterruptedException {
                        l.await();
                    }

                    @Override
                    public void open() {
                        l.countDown();
                    }
                };
            }
            default -> throw new IllegalArgumentException("unknown gate: " + impl + " (event or latch)");
        };
    }

    /**
     * Runs the scenario.
     *
     * @param args gate, threads, warm-up runs, measured runs
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: B6ManyWaiters <event|latch> <threads> <warmups> <runs>");
            System.exit(2);
        }
        String impl = args[0];
        int threads = Integer.parseInt(args[1]);
        int warmups = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        for (int i = 0; i < warmups; i++) {
            once(impl, threads);
        }
        for (int i = 0; i < runs; i++) {
            Map<String, Object> r = once(impl, threads);
            System.out.println("B6-RESULT " + Json.write(r).strip());
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static Map<String, Object> once(String impl, int n) throws InterruptedException {
        long baseline = usedHeapAfterGc();
        Gate gate = gate(impl);
        Thread[] crowd = new Thread[n];
        Throwable[] failure = new Throwable[1];
        Runnable waiter = () -> {
            try {
                gate.await();
            } catch (InterruptedException | RuntimeException e) {
                synchronized (failure) {
                    failure[0] = e;
                }
            }
        };

        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            crowd[i] = Thread.ofVirtual().start(waiter);
        }
        long giveUp = t0 + TimeUnit.SECONDS.toNanos(120);
        for (Thread t : crowd) {
            while (t.getState() != Thread.State.WAITING) {
                if (System.nanoTime() - giveUp > 0) {
                    throw new IllegalStateException("virtual threads did not all park within 120 s: " + t + " is " + t.getState());
                }
                LockSupport.parkNanos(20_000);
            }
        }
        long t1 = System.nanoTime();

        long live = usedHeapAfterGc() - baseline;

        long t2 = System.nanoTime();
        gate.open();
        for (Thread t : crowd) {
            if (!t.join(java.time.Duration.ofSeconds(120))) {
                throw new IllegalStateException("a virtual thread did not finish within 120 s after the gate opened: " + t);
            }
        }
        long t3 = System.nanoTime();
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("a waiter failed", failure[0]);
            }
        }

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("gate", impl);
        r.put("threads", n);
        r.put("park_ms", (t1 - t0) / 1e6);
        r.put("wake_ms", (t3 - t2) / 1e6);
        r.put("total_ms", (t1 - t0 + t3 - t2) / 1e6);
        r.put("heap_mb", live / (1024.0 * 1024.0));
        return r;
    }
}
