package io.waitkit.cli.demo;

import io.waitkit.Barrier;
import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Threshold;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rounds separated by a {@link Barrier}, with results batched by a {@link Threshold}: workers
 * compute a ring of cells in lock-step, each worker its own slice, every new cell from its
 * neighbours of the previous round (double-buffered, in plain arrays: the barrier's
 * happens-before is the only thing that makes the neighbours' cells visible). Every cell that
 * comes out with its low 5 bits zero is an "event", counted with {@code batch.increment()} on a
 * {@code Threshold(0, atLeast(64), v -> 0)}: every 64th event releases the committer waiting in
 * {@code batch.await()} and starts the count again.
 *
 * <p>Stopping is decided in the rounds themselves: worker 0 reads the stop flag before it arrives
 * and writes its decision into the round's slot, which every worker reads after the barrier, so
 * all leave after the same round.
 *
 * <p>Checks: after each barrier, every worker saw every other worker's mark of that round (all
 * passed each round together, none ran ahead); the ring equals a sequential replay of the same
 * rounds, and so does the number of events; the threshold's batches are exact (events = 64 x
 * batches + the value left, the batches being the increments that returned 0); and every
 * release the committer saw was the 64th event of a batch, {@code Change(63, 64)}.
 */
final class Rounds extends DemoPart {
    private static final int WORKERS = 4;
    private static final int SLICE = 64;
    private static final int CELLS = WORKERS * SLICE;
    private static final int BATCH = 64;

    Rounds() {
        super("barrier rounds", WORKERS + " workers in lock-step on a Barrier; a Threshold releases a batch every "
                + BATCH + " events");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        long[][] cells = new long[2][CELLS];
        initial(cells[0], seed);
        int[][] marks = new int[2][WORKERS];
        boolean[] finish = new boolean[2];
        int[] roundsOf = new int[WORKERS];
        Barrier barrier = new Barrier(WORKERS);
        Threshold batch = new Threshold(0, ChangeMatch.atLeast(BATCH), v -> 0);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong round = new AtomicLong();
        AtomicLong events = new AtomicLong();
        AtomicLong batches = new AtomicLong();                      // increments that completed a batch
        AtomicLong apart = new AtomicLong();                        // a mark of the wrong round seen after a barrier
        AtomicLong releases = new AtomicLong();
        AtomicLong inexact = new AtomicLong();
        out.line("  " + WORKERS + " workers x " + SLICE + " cells of a ring; round r computes every cell from its neighbours"
                + " of round r-1");
        out.line("  then Barrier(" + WORKERS + ").await(); events go to Threshold(0, atLeast(" + BATCH + "), v -> 0),"
                + " a committer waits in batch.await()");

        Workers committer = new Workers("committer");
        committer.start("0", () -> {
            for (;;) {
                Change c = batch.await();
                releases.incrementAndGet();
                if (c.oldValue() != BATCH - 1 || c.newValue() != BATCH) {
                    inexact.incrementAndGet();
                }
            }
        });
        Workers workers = new Workers("worker");
        long start = System.nanoTime();
        for (int w = 0; w < WORKERS; w++) {
            int me = w;
            workers.start(Integer.toString(w), () -> {
                long ownEvents = 0;
                long ownBatches = 0;
                for (int r = 0; ; r++) {
                    long[] src = cells[r & 1];
                    long[] dst = cells[(r + 1) & 1];
                    for (int i = me * SLICE; i < (me + 1) * SLICE; i++) {
                        long v = step(src, i, r);
                        dst[i] = v;
                        if (isEvent(v)) {
                            ownEvents++;
                            if (batch.increment() == 0) {
                                ownBatches++;                       // this increment completed a batch
                            }
                        }
                    }
                    marks[r & 1][me] = r;
                    if (me == 0) {
                        finish[r & 1] = stop.get();
                    }
                    barrier.await();
                    for (int o = 0; o < WORKERS; o++) {
                        if (marks[r & 1][o] != r) {
                            apart.incrementAndGet();
                        }
                    }
                    if (me == 0) {
                        round.set(r + 1);
                    }
                    if (finish[r & 1]) {
                        roundsOf[me] = r + 1;
                        events.addAndGet(ownEvents);
                        batches.addAndGet(ownBatches);
                        return;
                    }
                }
            });
        }

        runFor(out, start, settings.timed(), t -> Out.secs(t) + "  round " + Out.n(round.get()) + "  batches released "
                + Out.n(releases.get()) + "  threshold at " + batch.get() + "/" + BATCH);
        stop.set(true);
        boolean joined = workers.join(DemoSettings.GRACE);
        long elapsed = System.nanoTime() - start;
        committer.interruptAll();
        boolean committerJoined = committer.join(DemoSettings.GRACE);
        int rounds = roundsOf[0];
        out.progress("  " + Out.secs(elapsed) + "  stopped after round " + Out.n(rounds) + "; replaying it sequentially");

        result.checkWorkers(workers, joined);
        result.checkWorkers(committer, committerJoined);
        boolean sameRounds = rounds > 0;
        for (int r : roundsOf) {
            sameRounds &= r == rounds;
        }
        result.check(sameRounds && apart.get() == 0, "in lock-step: after each of " + Out.n(rounds) + " barriers every"
                + " worker saw all " + WORKERS + " marks of that round" + (apart.get() == 0 ? "" : " (" + Out.n(apart.get())
                + " marks of another round seen)"));

        long[] expected = new long[CELLS];
        initial(expected, seed);
        long replayEvents = replay(expected, rounds);
        long[] actual = cells[rounds & 1];
        boolean same = Arrays.equals(expected, actual);
        result.check(same && replayEvents == events.get(), "the ring after " + Out.n(rounds) + " rounds equals a"
                + " sequential replay (checksum " + String.format(Locale.ROOT, "%016x", checksum(actual)) + ", "
                + Out.n(events.get()) + " events" + (replayEvents == events.get() ? "" : " vs " + Out.n(replayEvents)
                + " replayed") + ")");
        long left = batch.get();
        result.check(events.get() == BATCH * batches.get() + left && left < BATCH,
                "batches exact: " + Out.n(events.get()) + " events = " + BATCH + " x " + Out.n(batches.get()) + " batches + "
                        + left + " left in the threshold");
        result.check(inexact.get() == 0 && releases.get() <= batches.get() && (batches.get() == 0 || releases.get() > 0),
                "every release of the committer was by a batch's " + BATCH + "th event, Change(" + (BATCH - 1) + ", "
                        + BATCH + "): " + Out.n(releases.get()) + " of " + Out.n(batches.get()) + " batches"
                        + (inexact.get() == 0 ? "" : " (" + Out.n(inexact.get()) + " other changes)"));
        result.info("a batch completed while the committer was still busy with the previous one resets the count too");
        result.summary(Out.n(rounds) + " rounds in " + Out.secs(elapsed) + " = sequential replay, " + Out.n(batches.get())
                + " batches of exactly " + BATCH);
    }

    private static void initial(long[] ring, long seed) {
        for (int i = 0; i < ring.length; i++) {
            ring[i] = mix(seed + i * 0x9E3779B97F4A7C15L);
        }
    }

    /** Round {@code r}'s value of cell {@code i} from the previous round's ring. */
    private static long step(long[] src, int i, int r) {
        long left = src[(i + CELLS - 1) % CELLS];
        long right = src[(i + 1) % CELLS];
        return mix(src[i] + Long.rotateLeft(left, 17) + (right ^ r));
    }

    private static boolean isEvent(long v) {
        return (v & 31) == 0;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    /** Runs {@code rounds} rounds sequentially on {@code ring}; returns the number of events. */
    private static long replay(long[] ring, int rounds) {
        long[] src = ring.clone();
        long[] dst = new long[CELLS];
        long events = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < CELLS; i++) {
                dst[i] = step(src, i, r);
                events += isEvent(dst[i]) ? 1 : 0;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        System.arraycopy(src, 0, ring, 0, CELLS);
        return events;
    }

    private static long checksum(long[] ring) {
        long h = 0;
        for (long v : ring) {
            h = mix(h + v);
        }
        return h;
    }
}
