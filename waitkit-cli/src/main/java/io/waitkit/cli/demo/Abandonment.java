package io.waitkit.cli.demo;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Event;
import io.waitkit.Mutex;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An abandoned mutex, detected and recovered: a writer thread dies in the middle of a transfer
 * while holding the ledger's {@link Mutex}, and an auditor already blocked on it in
 * {@code Wait.any(closed, ledger)} learns of the death by itself, as an
 * {@link AbandonedMutexException} for index 1 — owning the mutex, so it can repair the ledger
 * before anyone else sees it. A second waiter, queued behind the auditor, then gets the mutex
 * normally and finds the ledger consistent.
 *
 * <p>The order of events is forced without sleeps: the auditor and the reader are started only
 * once the writer holds the mutex, and the writer is told to die only once both are seen parked.
 * The detection latency (writer's last action to the auditor's exception) is printed; the
 * contract is 100 ms, it is not checked here because it depends on the machine's load. A last
 * case shows abandonment with nobody waiting: a thread that simply returns while holding a mutex
 * abandons it, {@link Mutex#isAbandoned()} says so, and the next {@code tryLock} takes it over.
 */
final class Abandonment extends DemoPart {
    private static final int ROUNDS = 3;
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final long TRANSFER = 250;

    /** The state the mutex protects: consistent when debit == credit. */
    private static final class Ledger {
        long debit;
        long credit;
    }

    /** What one round saw. */
    private record Round(boolean detected, boolean repaired, boolean nextWaiterOk, long latencyNanos,
            String problem) {
    }

    Abandonment() {
        super("abandoned mutex", "a writer dies holding a Mutex; the thread blocked on it is told and repairs");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        out.line("  a writer takes the ledger's Mutex, half-does a transfer and dies; meanwhile an auditor");
        out.line("  waits in Wait.any(closed, ledger) and a reader in ledger.tryLock(10 s) behind it");
        int detected = 0;
        int repaired = 0;
        int nextOk = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        for (int i = 1; i <= ROUNDS; i++) {
            Round r = round(i);
            if (r.detected()) {
                detected++;
                min = Math.min(min, r.latencyNanos());
                max = Math.max(max, r.latencyNanos());
                sum += r.latencyNanos();
            }
            repaired += r.repaired() ? 1 : 0;
            nextOk += r.nextWaiterOk() ? 1 : 0;
            out.progress("  round " + i + ": " + (r.problem() != null ? "PROBLEM: " + r.problem()
                    : "writer died; auditor told in " + Out.millis(r.latencyNanos())
                    + " (index 1), repaired the ledger; reader ok"));
        }
        result.check(detected == ROUNDS, "abandonment detected in " + detected + "/" + ROUNDS
                + " rounds: Wait.any threw AbandonedMutexException(index 1)");
        result.check(repaired == ROUNDS && nextOk == ROUNDS, "the auditor repaired the ledger in " + repaired + "/"
                + ROUNDS + " rounds, the reader then found it consistent in " + nextOk + "/" + ROUNDS);
        if (detected > 0) {
            result.info("detection latency: min " + Out.millis(min)
                    + ", avg " + Out.millis(sum / detected) + ", max " + Out.millis(max)
                    + " (contract: within 100 ms)");
        }
        noWaiter(result);
        result.summary(detected + "/" + ROUNDS + " detected by the blocked waiter, in "
                + (detected > 0 ? Out.millis(min) + ".." + Out.millis(max) : "n/a") + "; ledger repaired");
    }

    private static Round round(int round) throws InterruptedException {
        Mutex lock = new Mutex();
        Ledger ledger = new Ledger();
        ledger.debit = ledger.credit = 1000L * round;
        Event closed = Event.manualReset(false);
        CountDownLatch holding = new CountDownLatch(1);
        Event die = Event.manualReset(false);
        AtomicLong diedAt = new AtomicLong();
        AtomicLong detectedAt = new AtomicLong();
        AtomicBoolean ownedWhenTold = new AtomicBoolean();
        AtomicBoolean repaired = new AtomicBoolean();
        AtomicBoolean readerOk = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();

        // the writer dies with an exception while holding the mutex; its death is expected
        Thread writer = Thread.ofPlatform().daemon().name("abandon-writer-" + round).unstarted(() -> {
            lock.lock();
            ledger.debit += TRANSFER;                 // first half of a transfer ...
            holding.countDown();
            die.awaitUninterruptibly();
            diedAt.set(System.nanoTime());
            throw new IllegalStateException("simulated crash in the middle of a transfer"); // ... never finished
        });
        writer.setUncaughtExceptionHandler((t, e) -> crash.set(e));

        Workers workers = new Workers("abandon");
        writer.start();
        if (!holding.await(BOUND.toNanos(), TimeUnit.NANOSECONDS)) {
            die.set();
            return new Round(false, false, false, 0, "the writer did not get the mutex");
        }
        Thread auditor = workers.start("auditor-" + round, () -> {
            try {
                int index = Wait.any(BOUND, closed, lock);
                problem.compareAndSet(null, "the auditor's Wait.any returned " + index + " without reporting the abandonment");
                if (index == 1) {
                    lock.unlock();
                }
            } catch (AbandonedMutexException e) {
                detectedAt.set(System.nanoTime());
                ownedWhenTold.set(e.mutexIndex() == 1 && e.mutex() == lock && lock.isHeldByCurrentThread()
                        && lock.holdCount() == 1 && !lock.isAbandoned());
                try {
                    if (ledger.debit != ledger.credit) {
                        ledger.debit = ledger.credit;   // roll the half-done transfer back
                        repaired.set(true);
                    }
                } finally {
                    lock.unlock();
                }
            }
        });
        boolean queued = Workers.awaitBlocked(auditor, BOUND);
        Thread reader = workers.start("reader-" + round, () -> {
            if (!lock.tryLock(BOUND)) {
                problem.compareAndSet(null, "the reader timed out");
                return;
            }
            try {
                readerOk.set(ledger.debit == ledger.credit && ledger.debit == 1000L * round);
            } finally {
                lock.unlock();
            }
        });
        queued &= Workers.awaitBlocked(reader, BOUND);
        die.set();
        writer.join(BOUND);
        boolean joined = workers.join(BOUND);
        if (!joined) {
            workers.interruptAll();
        }
        if (!queued) {
            problem.compareAndSet(null, "the auditor and the reader were not seen blocked on the mutex");
        }
        if (!(crash.get() instanceof IllegalStateException)) {
            problem.compareAndSet(null, "the writer did not die as planned: " + crash.get());
        }
        if (!joined) {
            problem.compareAndSet(null, "threads still running: " + workers.alive());
        }
        if (!workers.failures().isEmpty()) {
            problem.compareAndSet(null, "worker failed: " + workers.failures());
        }
        boolean detected = detectedAt.get() != 0 && ownedWhenTold.get();
        if (!detected) {
            problem.compareAndSet(null, "the auditor was not told correctly (owned when told: " + ownedWhenTold.get() + ")");
        }
        return new Round(detected && problem.get() == null, repaired.get(), readerOk.get(),
                detectedAt.get() - diedAt.get(), problem.get());
    }

    /** A thread that returns while holding a mutex abandons it; nobody waits, the next tryLock takes over. */
    private static void noWaiter(PartResult result) throws InterruptedException {
        Mutex lock = new Mutex();
        Thread owner = Thread.ofPlatform().daemon().name("abandon-owner").start(lock::lock);
        boolean ended = owner.join(BOUND);
        boolean marked = ended && lock.isAbandoned() && lock.owner() == null && lock.holdCount() == 0;
        boolean takenOver = false;
        try {
            if (lock.tryLock()) {
                lock.unlock();
            }
        } catch (AbandonedMutexException e) {
            takenOver = e.mutexIndex() == -1 && lock.isHeldByCurrentThread() && !lock.isAbandoned();
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
        result.check(marked && takenOver, "nobody waiting: a thread that returned holding a mutex"
                + " abandoned it; tryLock() took it over");
    }
}
