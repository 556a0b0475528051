package io.waitkit.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded stress test of the wait engine: the rules of docs/semantics.md under random load.
 *
 * <p>Platform and virtual worker threads perform random operations on a random world of every
 * waitable kind of the catalogue: auto-reset and manual-reset {@code Event}s, {@code Mutex}es
 * and {@code Semaphore}s, and (see {@link StressKinds} and {@link KindOps}) binary semaphores,
 * signals, barriers, both readers/writer locks, counters, thresholds, event flags, channels of
 * capacity 0 and more, priority channels, mailboxes, priority mailboxes, message queues,
 * rendezvous, exchanges, byte streams, pipes, waitable timers, {@code Sleep.timer}s and the
 * workers' own post/wait slots. Operations: wait-any and wait-all over any mix of them
 * (operations such as receives, sends, offers, accepts and predicates as members), each
 * kind's own blocking, timed, polling and async forms and producing side (blocking, timed,
 * polls with {@code Duration.ZERO} or negative durations,
 * absolute, drift-free and expired {@code Deadline}s), single-object waits ({@code await},
 * {@code lock}, {@code tryLock}, {@code acquire(n)}, uninterruptible forms), async waits
 * ({@code Wait.anyAsync/allAsync}, {@code lockAsync}, {@code acquireAsync}, {@code awaitAsync})
 * ended by {@code cancel}, {@code complete}, {@code completeExceptionally}, {@code orTimeout}
 * or a timed {@code get}, signals ({@code set/reset/pulse}, {@code release(n)}, {@code unlock}),
 * refused input, polls and refused blocking waits at {@code DISPATCH_LEVEL}, and mutexes
 * abandoned by threads that end while holding them. A chaos thread interrupts random workers.
 * A shadow model and counters check, continuously, at a checkpoint about every second (with
 * the world paused) and at the end: no double ownership of a mutex, permit conservation,
 * every auto-reset signal consumed at most once and never lost, wait-all never partial,
 * wait-any acquiring exactly the reported object, and a liveness watchdog that prints every
 * worker's operation and stack with the seed; for the new kinds: at most one holder of a binary
 * semaphore and gives that never accumulate, every signal release matched by a notify, barrier
 * rounds released together, no reader beside a writer and the queued-writer preference, no
 * lost counter update, released predicates satisfied, flags consumed at most as often as set,
 * no container item lost or duplicated and FIFO/priority order kept, swapped rendezvous
 * offers, exchange replies reaching their clients exactly when reported, conserved bytes,
 * timers and sleep timers never early, post/wait posts consumed at most once. The summary
 * counts operations and acquisitions per kind. {@link StressRun}, {@link StressWorker} and
 * {@link StressKinds} describe the checks in detail.
 *
 * <h2>Running it</h2>
 * <ul>
 *   <li>In the normal suite it runs {@code waitkit.stress.seconds} seconds (30 by default, set
 *       by the parent pom) with a random seed, which it prints first.</li>
 *   <li>Long run: {@code ./mvnw -pl waitkit-core test -Dtest=EngineStressTest -Dwaitkit.stress.seconds=600}.</li>
 *   <li>Replay a failure: add {@code -Dwaitkit.stress.seed=<seed>} (the failure message prints
 *       the full command). The same seed gives the same world and the same operation plan for
 *       every worker; the thread interleaving, and so the outcomes, still differ from run to
 *       run.</li>
 *   <li>{@code waitkit.stress.stallSeconds} (default 20) is the liveness limit: a worker that
 *       completes no operation for that long fails the run with a thread dump.</li>
 * </ul>
 */
class EngineStressTest {
    private static long longProperty(String name, long fallback) {
        String v = System.getProperty(name, "").trim();
        return v.isEmpty() ? fallback : Long.decode(v);
    }

    /**
     * The seeded run. Its length comes from a system property, so JUnit's default timeout of the
     * suite (120 s) is lifted here; the run bounds itself with {@code assertTimeoutPreemptively}
     * at its length plus three liveness limits plus a minute.
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.DAYS)
    void randomMixOfWaitsSignalsCancelsAndInterruptsKeepsEveryInvariantAndStaysLive() {
        long seconds = longProperty("waitkit.stress.seconds", 30);
        long stall = longProperty("waitkit.stress.stallSeconds", 20);
        long seed = longProperty("waitkit.stress.seed", new SecureRandom().nextLong());
        StressRun run = new StressRun(StressPlan.generate(seed), seconds, stall);
        boolean passed = assertTimeoutPreemptively(Duration.ofSeconds(seconds + 3 * stall + 60), run::execute,
                run::failureReport);
        assertTrue(passed, run::failureReport);
    }

    @Test
    void everyWorldHasHandOffAndBargingMutexesAndSomeHaveBargingSemaphores() {
        boolean bargingSemaphore = false;
        for (long seed = 0; seed < 16; seed++) {
            StressPlan p = StressPlan.generate(seed);
            java.util.Set<Integer> mutexModes = new java.util.HashSet<>();
            for (StressPlan.ObjectSpec o : p.objects) {
                if (o.kind() == StressPlan.ObjKind.MUTEX) {
                    mutexModes.add(o.variant());
                }
                bargingSemaphore |= o.kind() == StressPlan.ObjKind.SEMAPHORE && o.variant() == 1;
            }
            assertEquals(java.util.Set.of(0, 1), mutexModes, "mutex fairness modes of seed " + seed);
        }
        assertTrue(bargingSemaphore, "no world of 16 seeds has a barging semaphore");
    }

    @Test
    void sameSeedGivesTheSameWorldAndOperationPlan() {
        for (long seed : new long[] {0L, 1L, -7L, 0x5EED_CAFE_F00DL, Long.MIN_VALUE}) {
            StressPlan a = StressPlan.generate(seed);
            StressPlan b = StressPlan.generate(seed);
            assertEquals(a.objects, b.objects, "objects of seed " + seed);
            assertEquals(a.workers, b.workers, "workers of seed " + seed);
            assertEquals(a.chaosSeed, b.chaosSeed, "chaos of seed " + seed);
            assertEquals(a.chaosMeanMicros, b.chaosMeanMicros, "chaos rate of seed " + seed);
            for (int w = 0; w < a.workers.size(); w++) {
                assertEquals(firstOps(a, w, 2_000), firstOps(b, w, 2_000), "operations of worker " + w + ", seed " + seed);
            }
        }
    }

    @Test
    void planDoesNotDependOnTheOrderInWhichWorkersDrawTheirOperations() {
        StressPlan plan = StressPlan.generate(42L);
        List<StressPlan.OpGenerator> forward = new ArrayList<>();
        List<StressPlan.OpGenerator> backward = new ArrayList<>();
        int n = plan.workers.size();
        for (int w = 0; w < n; w++) {
            forward.add(plan.ops(w));
            backward.add(plan.ops(w));
        }
        List<List<StressPlan.Op>> a = new ArrayList<>();
        List<List<StressPlan.Op>> b = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            a.add(new ArrayList<>());
            b.add(new ArrayList<>());
        }
        for (int round = 0; round < 500; round++) {
            for (int w = 0; w < n; w++) {
                a.get(w).add(forward.get(w).next());
            }
            for (int w = n - 1; w >= 0; w--) {
                b.get(w).add(backward.get(w).next());
            }
        }
        assertEquals(a, b);
    }

    @Test
    void differentSeedsGiveDifferentOperationPlans() {
        StressPlan a = StressPlan.generate(1L);
        StressPlan b = StressPlan.generate(2L);
        assertNotEquals(firstOps(a, 0, 200), firstOps(b, 0, 200));
    }

    @Test
    void everyOperationKindIsPlanned() {
        StressPlan plan = StressPlan.generate(3L);
        java.util.EnumSet<StressPlan.OpKind> seen = java.util.EnumSet.noneOf(StressPlan.OpKind.class);
        java.util.EnumSet<StressPlan.Timing> timings = java.util.EnumSet.noneOf(StressPlan.Timing.class);
        java.util.EnumSet<StressPlan.AsyncEnd> ends = java.util.EnumSet.noneOf(StressPlan.AsyncEnd.class);
        for (int w = 0; w < plan.workers.size(); w++) {
            for (StressPlan.Op op : firstOps(plan, w, 5_000)) {
                seen.add(op.kind());
                timings.add(op.timing());
                ends.add(op.end());
            }
        }
        assertEquals(java.util.EnumSet.allOf(StressPlan.OpKind.class), seen);
        assertEquals(java.util.EnumSet.allOf(StressPlan.Timing.class), timings);
        assertEquals(java.util.EnumSet.allOf(StressPlan.AsyncEnd.class), ends);
    }

    private static List<StressPlan.Op> firstOps(StressPlan plan, int worker, int count) {
        StressPlan.OpGenerator g = plan.ops(worker);
        List<StressPlan.Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ops.add(g.next());
        }
        return ops;
    }
}
