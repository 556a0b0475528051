package io.waitkit;

import io.waitkit.internal.Flight;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The program {@link FlightRecorderEventsTest} runs in a child JVM: every kind of wait that
 * reaches the JFR gate (a blocked wait handed off, a timeout, a pending async wait cancelled,
 * an abandoned mutex taken over by a blocked waiter and by a fresh acquirer), first checking
 * that the JVM has ({@code present}) or lacks ({@code absent}) the {@code jdk.jfr} module.
 * Prints {@code ok} and exits 0 when every wait behaved; any failure (a {@code jdk.jfr} class
 * the core could not load, say) ends it with a stack trace and a non-zero status.
 *
 * <p>No JUnit here: the child's class path or module path holds the core and its test classes
 * only. Synchronization is by latches and by polling the waiter's thread state, never sleeps.
 */
public final class FlightRecorderChild {
    private FlightRecorderChild() {
    }

    /**
     * Runs the waits.
     *
     * @param args {@code present} or {@code absent}: whether the JVM must have {@code jdk.jfr}
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        boolean expectJfr = switch (args.length == 1 ? args[0] : "") {
            case "present" -> true;
            case "absent" -> false;
            default -> throw new IllegalArgumentException("usage: FlightRecorderChild present|absent");
        };
        boolean inJvm = ModuleLayer.boot().findModule("jdk.jfr").isPresent();
        check(inJvm == expectJfr, "jdk.jfr in the boot layer: " + inJvm + ", expected " + expectJfr);
        check(Flight.available() == expectJfr, "Flight.available() is " + Flight.available());
        check(FlightRecorderChild.class.getModule().isNamed() == Boolean.getBoolean("child.named"),
                "ran in " + FlightRecorderChild.class.getModule());

        // a blocked wait handed off
        Mutex m = new Mutex();
        m.lock();
        Thread waiter = Thread.ofPlatform().name("child-waiter").start(() -> {
            m.lock();
            m.unlock();
        });
        awaitParked(waiter);
        m.unlock();
        waiter.join();

        // a timeout (a timed wait of 30 ms parks)
        Semaphore empty = new Semaphore(0, 1);
        check(!empty.tryAcquire(Duration.ofMillis(30)), "an empty semaphore gave a permit");

        // a pending async wait, cancelled
        CompletableFuture<Void> pending = empty.acquireAsync();
        check(pending.cancel(false), "a pending async wait could not be cancelled");

        // an abandoned mutex taken over by a thread blocked on it (found by the owner watchdog)
        Mutex watched = new Mutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().name("child-doomed-owner").start(() -> {
            watched.lock();
            locked.countDown();
            awaitQuietly(die);
        });
        locked.await();
        Throwable[] taken = new Throwable[1];
        Thread heir = Thread.ofPlatform().name("child-heir").start(() -> {
            try {
                watched.lock();
            } catch (AbandonedMutexException e) {
                taken[0] = e;
                watched.unlock();
            }
        });
        awaitParked(heir);
        die.countDown();
        owner.join();
        heir.join();
        check(taken[0] instanceof AbandonedMutexException, "the heir did not report the abandonment: " + taken[0]);

        // an abandoned mutex taken over by a fresh acquirer (nobody waited: no watchdog involved)
        Mutex left = new Mutex();
        Thread dead = Thread.ofPlatform().name("child-dead-owner").start(left::lock);
        dead.join();
        try {
            left.lock();
            throw new AssertionError("an abandoned mutex was taken without AbandonedMutexException");
        } catch (AbandonedMutexException e) {
            left.unlock();
        }
        System.out.println("ok");
    }

    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (t.getState() != Thread.State.WAITING || LockSupport.getBlocker(t) == null) {
            check(System.nanoTime() - deadline < 0, t + " did not park");
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
