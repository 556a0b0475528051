package io.waitkit.stress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.stress.StressPlan.ObjKind;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The stress test's checkers must be able to fail: each test injects one fault into a short
 * run (through {@link StressRun#beforeOp}, run by the workers between operations) and checks
 * that the run fails with the right report. The faults imitate what an engine bug would do to
 * the observable state: a permit that vanishes, a signal consumed twice, a second owner of a
 * mutex, a thread that never comes back, an item lost by a channel or mailbox, an update lost
 * by a counter, a barrier round passed without all its members.
 */
class StressCheckerSelfTest {
    private static final long SEED = 11L;

    private static String runWith(long seconds, long stallSeconds, Consumer<StressWorker> fault) {
        StressRun run = new StressRun(StressPlan.generate(SEED), seconds, stallSeconds);
        run.beforeOp = fault;
        run.label = "StressCheckerSelfTest (fault injected on purpose)";
        boolean passed = assertTimeoutPreemptively(Duration.ofSeconds(seconds + 3 * stallSeconds + 30), run::execute,
                run::failureReport);
        String report = run.failureReport();
        assertFalse(passed, "the run passed despite the injected fault:\n" + report);
        assertTrue(report.contains("seed " + SEED) && report.contains("-Dwaitkit.stress.seed=" + SEED),
                "the report must name the seed and the replay command:\n" + report);
        return report;
    }

    @Test
    void conservationCheckReportsAPermitThatDisappeared() {
        AtomicBoolean done = new AtomicBoolean();
        int sem = StressPlan.generate(SEED).indicesOf(ObjKind.SEMAPHORE)[0];
        String report = runWith(4, 5, w -> {
            if (w.opsDone > 200 && !done.get() && done.compareAndSet(false, true)
                    && !w.run.semaphore(sem).tryAcquire()) {
                done.set(false); // nothing to steal yet
            }
        });
        assertTrue(report.contains("semaphore #" + sem + " permits not conserved"), report);
    }

    @Test
    void signalBalanceReportsAnAutoResetSignalConsumedTwice() {
        AtomicBoolean done = new AtomicBoolean();
        // the first auto-reset event of a plan is never pulsed: its balance is exact
        int event = StressPlan.generate(SEED).indicesOf(ObjKind.AUTO_EVENT)[0];
        String report = runWith(4, 5, w -> {
            if (w.opsDone > 200 && done.compareAndSet(false, true)) {
                w.run.consumed.incrementAndGet(event);
            }
        });
        assertTrue(report.contains("auto-reset event #" + event), report);
    }

    @Test
    void shadowModelReportsASecondOwnerOfAMutex() {
        AtomicBoolean done = new AtomicBoolean();
        int mutex = StressPlan.generate(SEED).indicesOf(ObjKind.MUTEX)[0];
        String report = runWith(4, 5, w -> {
            if (w.opsDone > 200 && w.holds[mutex] == 0 && !done.get()) {
                // an impostor claims the mutex in the shadow model without owning it
                StressRun.Hold impostor = w.run.newHold("impostor", Thread.currentThread(), false);
                if (w.run.shadow.compareAndSet(mutex, null, impostor)) {
                    done.set(true);
                }
            }
        });
        assertTrue(report.contains("mutex #" + mutex), report);
    }

    @Test
    void conservationCheckReportsAnItemLostByAChannelOrMailbox() {
        AtomicBoolean done = new AtomicBoolean();
        StressPlan plan = StressPlan.generate(SEED);
        int[] containers = plan.indicesOf(ObjKind.MAILBOX, ObjKind.PMAILBOX, ObjKind.CHANNEL, ObjKind.PCHANNEL);
        java.util.concurrent.atomic.AtomicInteger lostFrom = new java.util.concurrent.atomic.AtomicInteger(-1);
        String report = runWith(4, 5, w -> {
            if (w.opsDone > 200 && !done.get()) {
                for (int i : containers) {
                    // an item vanishes from the container: nobody sees it received
                    if (stealItem(w.run.objects[i]) && done.compareAndSet(false, true)) {
                        lostFrom.set(i);
                        return;
                    }
                }
            }
        });
        int i = lostFrom.get();
        assertTrue(i >= 0, "no item could be stolen:\n" + report);
        assertTrue(report.contains("#" + i + " items not conserved"), report);
    }

    private static boolean stealItem(Object container) {
        if (container instanceof io.waitkit.Mailbox<?> m) {
            return m.tryReceive() != null;
        } else if (container instanceof io.waitkit.PriorityMailbox<?> m) {
            return m.tryReceive() != null;
        } else if (container instanceof io.waitkit.Channel<?> c) {
            return c.capacity() > 0 && c.tryReceive() != null;
        }
        io.waitkit.PriorityChannel<?> c = (io.waitkit.PriorityChannel<?>) container;
        return c.capacity() > 0 && c.tryReceive() != null;
    }

    @Test
    void replayCheckReportsACounterUpdateThatWasNotAccounted() {
        AtomicBoolean done = new AtomicBoolean();
        int counter = StressPlan.generate(SEED).indicesOf(ObjKind.COUNTER)[0];
        String report = runWith(4, 5, w -> {
            if (w.opsDone > 200 && done.compareAndSet(false, true)) {
                ((io.waitkit.Counter) w.run.objects[counter]).add(1); // as if an update had been lost by the replay
            }
        });
        assertTrue(report.contains("counter #" + counter + " lost an update"), report);
    }

    @Test
    void roundCheckReportsABarrierPassedWithoutAllItsMembers() {
        AtomicBoolean done = new AtomicBoolean();
        int barrier = StressPlan.generate(SEED).indicesOf(ObjKind.BARRIER)[0];
        String report = runWith(4, 5, w -> {
            if (w.opsDone > 200 && done.compareAndSet(false, true)) {
                // one more member reports that it passed, without a round
                ((StressKinds.BarrierState) w.run.kinds.st(barrier)).passes.incrementAndGet();
            }
        });
        assertTrue(report.contains("barrier #" + barrier) && report.contains("not a whole number of rounds"), report);
    }

    @Test
    void watchdogReportsAStalledWorkerWithTheSeedAndItsStack() throws InterruptedException {
        AtomicBoolean stalled = new AtomicBoolean();
        AtomicBoolean release = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Thread> victim = new java.util.concurrent.atomic.AtomicReference<>();
        String report;
        try {
            report = runWith(20, 2, w -> {
                if (w.opsDone > 200 && stalled.compareAndSet(false, true)) {
                    victim.set(Thread.currentThread());
                    stallUntilReleased(release);
                }
            });
        } finally {
            release.set(true);
        }
        assertTrue(report.contains("LIVENESS FAILURE"), report);
        assertTrue(report.contains("stallUntilReleased"), "the dump must show the stuck worker's stack:\n" + report);
        assertTrue(report.contains(victim.get().getName()), report);
        victim.get().join(10_000);
        assertFalse(victim.get().isAlive(), "the stalled worker must end once released");
    }

    /** Blocks, ignoring interrupts, until {@code release} is set: a worker that never comes back. */
    private static void stallUntilReleased(AtomicBoolean release) {
        while (!release.get()) {
            Thread.interrupted();
            LockSupport.parkNanos(1_000_000L);
        }
    }
}
