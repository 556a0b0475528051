package io.waitkit.stress;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scenario of {@link VirtualSpinStarvationTest}, run in a child JVM whose virtual thread
 * scheduler has a single carrier thread: a virtual thread holding an object lock waits in the
 * engine's back-off for a second object lock (as wait-all does while locking its objects one
 * after the other); meanwhile interrupted virtual threads spin on the first lock. When the
 * second lock is freed, the holder must get the carrier back and finish. Exits 0 and prints
 * {@code OK} when every thread finished, 2 when they did not within ten seconds.
 */
public final class VirtualSpinStarvation {
    /** A bare engine object exposing its lock, for this scenario only. */
    static final class Probe extends WaitObject {
        Probe() {
            super(0L);
        }

        @Override
        protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
            return UNAVAILABLE;
        }

        @Override
        protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
            return POLL_FAILED;
        }

        long lock() {
            return lockState();
        }

        void unlock(long value) {
            unlockState(value);
        }

        long read() {
            return stableValue();
        }
    }

    private VirtualSpinStarvation() {
    }

    /**
     * Runs the scenario.
     *
     * @param args the number of spinning threads (default 3)
     * @throws InterruptedException never (the main thread is not interrupted)
     */
    public static void main(String[] args) throws InterruptedException {
        int spinners = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Probe held = new Probe();
        Probe gate = new Probe();
        long gateValue = gate.lock(); // the main (platform) thread holds the second lock
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(spinners + 1);
        AtomicInteger spinning = new AtomicInteger();
        AtomicInteger interruptsLost = new AtomicInteger();
        Thread.ofVirtual().name("holder").start(() -> {
            long v = held.lock();
            holding.countDown();
            long g = gate.lock(); // backs off while holding `held`
            gate.unlock(g);
            held.unlock(v);
            finished.countDown();
        });
        if (!holding.await(10, TimeUnit.SECONDS)) {
            System.out.println("SETUP POLL_FAILED");
            Runtime.getRuntime().halt(3);
        }
        // started from a virtual thread, the spinners are queued on its carrier's local queue
        Thread.ofVirtual().name("launcher").start(() -> {
            for (int i = 0; i < spinners; i++) {
                Thread.ofVirtual().name("spinner-" + i).start(() -> {
                    Thread.currentThread().interrupt(); // an interrupted thread cannot park
                    spinning.incrementAndGet();
                    held.read();
                    if (!Thread.currentThread().isInterrupted()) {
                        interruptsLost.incrementAndGet();
                    }
                    finished.countDown();
                });
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (spinning.get() < spinners && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        gate.unlock(gateValue);
        boolean done = finished.await(10, TimeUnit.SECONDS);
        if (done && interruptsLost.get() != 0) {
            System.out.println("INTERRUPT LOST by " + interruptsLost.get() + " spinner(s)");
            Runtime.getRuntime().halt(4);
        }
        System.out.println(done ? "OK" : "STARVED: " + finished.getCount() + " thread(s) never finished");
        Runtime.getRuntime().halt(done ? 0 : 2); // starved threads would keep the JVM alive
    }
}
