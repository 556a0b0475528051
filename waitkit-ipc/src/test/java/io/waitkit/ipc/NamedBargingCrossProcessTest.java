package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Fairness;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Fairness#BARGING} named objects between processes: contention with a holder killed
 * (SIGKILL) in the middle of an update, and the wake-up of waiters blocked in other processes.
 * Every wait is bounded; the children are killed when a test ends.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NamedBargingCrossProcessTest {
    /** The bound of every acquisition that must happen ("never hangs"; the expectation is milliseconds). */
    private static final Duration NEVER_HANGS = Duration.ofSeconds(20);
    private static final Duration BOUND = Duration.ofSeconds(60);

    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static String dir() {
        return temp.dir.toString();
    }

    /**
     * Two processes take one barging mutex flat out (see {@link BargingChild}); then one takes it,
     * sets the protected data to "mid-update" and is SIGKILLed while the other process and a
     * thread of this JVM are blocked on it. Exactly one of the two is told of the abandonment
     * and repairs, the other gets the mutex after it, nobody hangs, mutual exclusion held
     * throughout, and the surviving process goes on taking the mutex.
     */
    @Test
    void aHolderKilledAmidContentionOnABargingMutexIsReportedAbandonedExactlyOnceAndNobodyHangs() throws Exception {
        String name = TempNamespace.fresh("barging-m");
        String words = "." + TempNamespace.fresh("barging-words");
        try (NamedMutex m = temp.ns.mutex(name, Fairness.BARGING);
                SharedWords w = SharedWords.open(temp.dir.resolve(words));
                ChildJvm victim = ChildJvm.start("barging-loop", dir(), name, words);
                ChildJvm survivor = ChildJvm.start("barging-loop", dir(), name, words)) {
            victim.awaitLine("RUNNING", ChildJvm.START_TIMEOUT);
            survivor.awaitLine("RUNNING", ChildJvm.START_TIMEOUT);
            long before = w.getVolatile(BargingChild.ROUNDS);
            ChildJvm.until(() -> w.getVolatile(BargingChild.ROUNDS) >= before + 200, BOUND,
                    () -> "both processes keep taking the mutex; " + victim.describe() + "\n" + survivor.describe());

            victim.send("hold");
            victim.awaitLine("HOLDING", NEVER_HANGS);
            AtomicReference<String> parent = new AtomicReference<>("not done");
            Thread waiter = Thread.ofPlatform().name("parent-waiter").start(() -> {
                boolean abandoned = false;
                try {
                    if (!m.tryLock(NEVER_HANGS)) {
                        parent.set("timed out");
                        return;
                    }
                } catch (AbandonedMutexException e) {
                    abandoned = true;
                    w.set(BargingChild.BUSY, 0); // the repair
                } catch (InterruptedException e) {
                    parent.set("interrupted");
                    return;
                }
                try {
                    parent.set(w.get(BargingChild.BUSY) != 0 ? "BUSY set after a normal acquisition"
                            : abandoned ? "abandoned" : "locked");
                } finally {
                    m.unlock();
                }
            });
            ChildJvm.until(() -> m.info().waiters() >= 2, BOUND, () -> "the survivor and this JVM blocked: " + m.info());

            long k0 = System.nanoTime();
            victim.kill();
            assertEquals(137, victim.exitCode(), () -> "the victim ended before the kill: " + victim.describe());
            waiter.join(NEVER_HANGS.toMillis());
            assertFalse(waiter.isAlive(), "this JVM's waiter still blocked " + NEVER_HANGS + " after the kill");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - k0);

            survivor.send("stop");
            String stopped = survivor.awaitLine("STOPPED", NEVER_HANGS);
            survivor.awaitSuccess(BOUND);
            long survivorReports = Long.parseLong(stopped.split(" ")[2]);
            String p = parent.get();
            assertTrue(p.equals("abandoned") || p.equals("locked"), "this JVM's waiter: " + p);
            assertEquals(1, survivorReports + (p.equals("abandoned") ? 1 : 0),
                    () -> "abandonment reports (survivor " + survivorReports + ", this JVM " + p + "); " + survivor.describe());
            System.out.printf("[NamedBargingCrossProcessTest] %d rounds; the abandonment went to %s; this JVM's waiter "
                    + "done %d ms after the kill%n", w.getVolatile(BargingChild.ROUNDS),
                    p.equals("abandoned") ? "this JVM" : "the survivor", millis);

            assertTrue(m.tryLock(), "free at the end");
            try {
                assertEquals(0, w.get(BargingChild.BUSY));
                assertEquals(1, m.holdCount());
            } finally {
                m.unlock();
            }
            assertFalse(m.isAbandoned());
        }
    }

    /**
     * A release of a barging mutex with waiters blocked in two other processes frees it and
     * wakes them: one takes it, and its release wakes the other (no lost wake-up when the
     * waiters are not in the releasing JVM).
     */
    @Test
    void releasesOfABargingMutexWakeTheWaitersOfOtherProcessesOneAfterTheOther() throws Exception {
        String name = TempNamespace.fresh("barging-m");
        try (NamedMutex m = temp.ns.mutex(name, Fairness.BARGING);
                ChildJvm c1 = ChildJvm.start("hold-mutex", dir(), name);
                ChildJvm c2 = ChildJvm.start("hold-mutex", dir(), name)) {
            m.lock();
            ChildJvm.until(() -> m.info().waiters() == 2, ChildJvm.START_TIMEOUT,
                    () -> "both children blocked: " + m.info() + "\n" + c1.describe() + "\n" + c2.describe());
            m.unlock();
            ChildJvm first = awaitOneLocked(c1, c2);
            ChildJvm second = first == c1 ? c2 : c1;
            assertFalse(second.output().contains("LOCKED"), () -> "both hold it: " + second.describe());
            first.send("release");
            first.awaitLine("RELEASED", NEVER_HANGS);
            second.awaitLine("LOCKED", NEVER_HANGS);
            second.send("release");
            second.awaitLine("RELEASED", NEVER_HANGS);
            first.awaitSuccess(BOUND);
            second.awaitSuccess(BOUND);
            assertTrue(m.tryLock(), "free at the end");
            m.unlock();
        }
    }

    private static ChildJvm awaitOneLocked(ChildJvm c1, ChildJvm c2) {
        ChildJvm.until(() -> c1.output().contains("LOCKED") || c2.output().contains("LOCKED"), NEVER_HANGS,
                () -> "neither child took the released mutex: " + c1.describe() + "\n" + c2.describe());
        return c1.output().contains("LOCKED") ? c1 : c2;
    }

    /**
     * A {@code release(2)} of a barging semaphore with a waiter blocked in each of two other
     * processes wakes both, and both take a permit; the permits come back in full.
     */
    @Test
    void aReleaseOfTwoPermitsOfABargingSemaphoreWakesWaitersInTwoOtherProcesses() throws Exception {
        String name = TempNamespace.fresh("barging-s");
        try (NamedSemaphore s = temp.ns.semaphore(name, 0, 2, Fairness.BARGING);
                ChildJvm c1 = ChildJvm.start("await-any", dir(), name);
                ChildJvm c2 = ChildJvm.start("await-any", dir(), name)) {
            c1.awaitLine("WAITING", ChildJvm.START_TIMEOUT);
            c2.awaitLine("WAITING", ChildJvm.START_TIMEOUT);
            ChildJvm.until(() -> s.info().waiters() == 2, BOUND, () -> "both children blocked: " + s.info());
            assertEquals(0, s.release(2));
            c1.awaitLine("ACQUIRED 0", NEVER_HANGS);
            c2.awaitLine("ACQUIRED 0", NEVER_HANGS);
            assertEquals(0, s.availablePermits());
            c1.send("release");
            c2.send("release");
            c1.awaitSuccess(BOUND);
            c2.awaitSuccess(BOUND);
            assertEquals(2, s.availablePermits(), "no permit lost or made");
        }
    }
}
