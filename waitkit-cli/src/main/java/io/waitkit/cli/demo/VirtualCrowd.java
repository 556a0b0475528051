package io.waitkit.cli.demo;

import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Virtual threads: a crowd of virtual threads blocks in {@code Wait.all(gate, slots)} (a
 * manual-reset {@link Event} and a {@link Semaphore} of a few slots); opening the gate lets them
 * through, never more than the number of slots at a time. The blocked virtual threads unmount
 * (the engine parks with {@code LockSupport}), so thousands of them need only a few carrier
 * threads.
 *
 * <p>Checks: everyone passed; nobody passed before the gate opened (wait-all takes the gate and a
 * slot together or neither); never more threads inside than slots; afterwards the slots are all
 * free and the manual-reset gate is still signalled.
 */
final class VirtualCrowd extends DemoPart {
    private static final int THREADS = 5_000;
    private static final int SLOTS = 8;
    private static final Duration BOUND = DemoSettings.GRACE;

    VirtualCrowd() {
        super("virtual threads", Out.n(THREADS) + " virtual threads in Wait.all(gate, slots), " + SLOTS + " slots");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        Event gate = Event.manualReset(false);
        Semaphore slots = new Semaphore(SLOTS, SLOTS);
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        AtomicBoolean open = new AtomicBoolean();

        Workers workers = new Workers("crowd");
        long start = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            workers.startVirtual(Integer.toString(i), () -> {
                arrived.incrementAndGet();
                Wait.all(gate, slots);
                try {
                    if (!open.get()) {
                        early.incrementAndGet();
                    }
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    Thread.yield();                         // let others try to get in meanwhile
                    inside.decrementAndGet();
                } finally {
                    slots.release();
                }
                passed.incrementAndGet();
            });
        }
        long started = System.nanoTime();
        out.progress("  " + Out.secs(started - start) + "  " + Out.n(THREADS) + " virtual threads started, "
                + Out.n(arrived.get()) + " waiting; gate closed");
        open.set(true);
        gate.set();
        long deadline = System.nanoTime() + BOUND.toNanos();
        long next = System.nanoTime() + TICK.toNanos();
        while (passed.get() < THREADS && System.nanoTime() - deadline < 0 && workers.failures().isEmpty()) {
            Thread.sleep(5);                                 // paces the display only
            if (System.nanoTime() - next >= 0) {
                out.progress("  " + Out.secs(System.nanoTime() - start) + "  gate open: " + Out.n(passed.get())
                        + " of " + Out.n(THREADS) + " passed");
                next += TICK.toNanos();
            }
        }
        boolean joined = workers.join(BOUND);
        long elapsed = System.nanoTime() - start;
        out.progress("  " + Out.secs(elapsed) + "  gate open: " + Out.n(passed.get()) + " of " + Out.n(THREADS)
                + " passed, max " + maxInside.get() + " inside");

        result.checkWorkers(workers, joined);
        result.check(passed.get() == THREADS, "all " + Out.n(THREADS) + " virtual threads got through ("
                + Out.n(passed.get()) + ")");
        result.check(early.get() == 0, "nobody got through before the gate opened"
                + (early.get() == 0 ? "" : " (" + Out.n(early.get()) + " did)"));
        result.check(maxInside.get() <= SLOTS && maxInside.get() > 0, "never more than " + SLOTS
                + " inside at once (max seen: " + maxInside.get() + ")");
        result.check(slots.availablePermits() == SLOTS && gate.isSignaled(), "afterwards all " + SLOTS
                + " slots are free and the manual-reset gate is still signalled");
        result.summary(Out.n(passed.get()) + " through Wait.all(gate, slots) in " + Out.secs(elapsed)
                + ", max " + maxInside.get() + " of " + SLOTS + " inside");
    }
}
