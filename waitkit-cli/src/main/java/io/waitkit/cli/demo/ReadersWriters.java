package io.waitkit.cli.demo;

import io.waitkit.Barrier;
import io.waitkit.Deadline;
import io.waitkit.RwLock;
import io.waitkit.Wait;
import io.waitkit.WaitableTimer;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Readers and writers on an {@link RwLock#preferWriters()}: writers move money between the
 * accounts of a ledger in two steps (debit, a pause, credit), readers add up all balances. The
 * ledger is a plain array: only the lock makes it safe. Readers wait with
 * {@code Wait.any(stop, rw.readLock())}, the lock's read side being a waitable object like any
 * other, and a manual-reset {@link WaitableTimer} ends the run; writers queue with
 * {@code rw.writeLock().lockAsync()} and then wait for the future.
 *
 * <p>Readers hold the lock for a moment (a short pause inside) and keep coming back, so that
 * there is nearly always one inside: a lock that preferred readers would keep a writer waiting
 * for a gap that never comes, while a writer-preferring lock holds new readers back as soon as a
 * writer is queued. That is checked without any timing: each writer counts an "episode" that is
 * odd from the moment its {@code lockAsync} returned (it is queued) until it got in. A reader
 * notes the episodes before it asks for the read lock; if one was odd and is still the same
 * once the reader is in, the reader overtook a queued writer. After the checks, the same load
 * runs briefly on {@link RwLock#preferReaders()}, where readers do overtake (information only).
 *
 * <p>Checks: no reader ever saw a half-done transfer (the total was always the same, and no
 * writer was inside); a writer was always alone and the total is intact; readers did share the
 * lock; no reader got in ahead of a queued writer, and every writer got in; on the
 * readers-preferring lock, exclusion held too.
 */
final class ReadersWriters extends DemoPart {
    private static final int READERS = 6;
    private static final int WRITERS = 2;
    private static final int ACCOUNTS = 16;
    private static final long BALANCE = 1_000;
    /** Average pauses, in microseconds: a reader inside, a writer between its two steps, a writer between transfers. */
    private static final int READ_MICROS = 50;
    private static final int WRITE_MICROS = 20;
    private static final int WRITER_THINK_MICROS = 300;
    /** How long the same load runs on a readers-preferring lock, for comparison. */
    private static final Duration CONTRAST = Duration.ofMillis(300);

    ReadersWriters() {
        super("readers/writers", "RwLock.preferWriters(): " + READERS + " readers check a ledger while "
                + WRITERS + " writers update it");
    }

    /** One run of the load on one lock, and what it saw. */
    private static final class Load {
        final RwLock rw;
        final long[] ledger = new long[ACCOUNTS];
        final long total = BALANCE * ACCOUNTS;
        final WaitableTimer stop = WaitableTimer.manualReset();
        final AtomicInteger readersInside = new AtomicInteger();
        final AtomicInteger writersInside = new AtomicInteger();
        final AtomicInteger maxReaders = new AtomicInteger();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong badReads = new AtomicLong();
        final AtomicLong badWrites = new AtomicLong();
        final AtomicLongArray writes = new AtomicLongArray(WRITERS);
        final AtomicLong writesBeforeStop = new AtomicLong();
        /** Per writer: odd while it is queued for the write lock (incremented right after lockAsync), even once in. */
        final AtomicLongArray episode = new AtomicLongArray(WRITERS);
        /** Reads that began while a writer was already queued, and those of them that got in before that writer. */
        final AtomicLong heldBack = new AtomicLong();
        final AtomicLong overtaking = new AtomicLong();
        final AtomicLongArray maxWait = new AtomicLongArray(WRITERS);
        /** Each writer's waits, in nanoseconds, published when it leaves (read after the join). */
        final long[][] waits = new long[WRITERS][];
        final Workers workers;

        Load(RwLock rw, String name) {
            this.rw = rw;
            this.workers = new Workers(name);
            Arrays.fill(ledger, BALANCE);
        }

        /**
         * Starts the readers and writers, lets them all go at once (a {@link Barrier} as the start
         * line) and arms the stop timer to end them {@code duration} later.
         *
         * @return when they went ({@link System#nanoTime()})
         */
        long start(Duration duration, long seed) throws InterruptedException {
            Barrier startLine = new Barrier(READERS + WRITERS + 1);
            for (int i = 0; i < READERS; i++) {
                SplittableRandom random = new SplittableRandom(seed + i);
                workers.start("reader-" + i, () -> {
                    startLine.await();
                    read(random);
                });
            }
            for (int i = 0; i < WRITERS; i++) {
                int me = i;
                SplittableRandom random = new SplittableRandom(seed + 100 + i);
                workers.start("writer-" + i, () -> {
                    startLine.await();
                    write(me, random);
                });
            }
            startLine.await();
            long start = System.nanoTime();
            stop.set(Deadline.ofNanoTime(start + duration.toNanos()), Duration.ZERO);
            return start;
        }

        private void read(SplittableRandom random) throws InterruptedException {
            long[] before = new long[WRITERS];
            for (;;) {
                for (int w = 0; w < WRITERS; w++) {
                    before[w] = episode.get(w);                     // odd: writer w is queued already
                }
                if (Wait.any(stop, rw.readLock()) == 0) {
                    return;
                }
                try {
                    maxReaders.accumulateAndGet(readersInside.incrementAndGet(), Math::max);
                    boolean writerWaited = false;
                    boolean overtook = false;
                    for (int w = 0; w < WRITERS; w++) {
                        if ((before[w] & 1) != 0) {
                            writerWaited = true;
                            overtook |= episode.get(w) == before[w];   // that writer still had not got in
                        }
                    }
                    long sum = 0;
                    for (long b : ledger) {
                        sum += b;
                    }
                    pause(random, READ_MICROS);
                    if (sum != total || writersInside.get() != 0) {
                        badReads.incrementAndGet();
                    }
                    reads.incrementAndGet();
                    heldBack.addAndGet(writerWaited ? 1 : 0);
                    overtaking.addAndGet(overtook ? 1 : 0);
                } finally {
                    readersInside.decrementAndGet();
                    rw.readLock().unlock();
                }
            }
        }

        private void write(int me, SplittableRandom random) throws Exception {
            long[] mine = new long[1024];
            int n = 0;
            try {
                do {
                    pause(random, WRITER_THINK_MICROS);
                    long asked = System.nanoTime();
                    CompletableFuture<Void> hold = rw.writeLock().lockAsync();   // queued (or acquired) on return
                    episode.incrementAndGet(me);                                  // odd: queued
                    hold.get();
                    long waited = System.nanoTime() - asked;
                    try {
                        episode.incrementAndGet(me);                              // even: got in
                        if (writersInside.incrementAndGet() != 1 || readersInside.get() != 0) {
                            badWrites.incrementAndGet();
                        }
                        int from = random.nextInt(ACCOUNTS);
                        int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long amount = 1 + random.nextInt(50);
                        ledger[from] -= amount;                     // half done: the total is off by amount
                        pause(random, WRITE_MICROS);
                        ledger[to] += amount;
                        writes.incrementAndGet(me);
                        if (!stop.isSignaled()) {
                            writesBeforeStop.incrementAndGet();
                        }
                        maxWait.accumulateAndGet(me, waited, Math::max);
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, 2 * n);
                        }
                        mine[n++] = waited;
                    } finally {
                        writersInside.decrementAndGet();
                        rw.writeLock().unlock();
                    }
                } while (!stop.isSignaled());
            } finally {
                waits[me] = Arrays.copyOf(mine, n);
            }
        }

        long writes() {
            long s = 0;
            for (int i = 0; i < WRITERS; i++) {
                s += writes.get(i);
            }
            return s;
        }

        long ledgerTotal() {
            long sum = 0;
            for (long b : ledger) {
                sum += b;
            }
            return sum;
        }

        /** The median of writer i's waits (all writers if i < 0), in nanoseconds; 0 if none. */
        long median(int i) {
            long[] all = i >= 0 ? waits[i] : concat(waits);
            if (all == null || all.length == 0) {
                return 0;
            }
            long[] sorted = all.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }

        private static long[] concat(long[][] parts) {
            return Arrays.stream(parts).filter(p -> p != null).flatMapToLong(Arrays::stream).toArray();
        }
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        Load load = new Load(RwLock.preferWriters(), "rw");
        out.line("  a ledger of " + ACCOUNTS + " accounts (total " + Out.n(load.total) + "), a plain array; writers debit one"
                + " account, pause, credit another");
        out.line("  readers: Wait.any(stop, rw.readLock()), add up the ledger; writers: rw.writeLock().lockAsync().get()");

        long start = load.start(settings.timed(), seed);
        runFor(out, start, settings.timed(), t -> Out.secs(t) + "  reads " + Out.n(load.reads.get()) + "  writes "
                + Out.n(load.writes()) + "  readers inside at once: up to " + load.maxReaders.get());
        boolean joined = load.workers.join(DemoSettings.GRACE);
        long elapsed = System.nanoTime() - start;

        result.checkWorkers(load.workers, joined);
        long reads = load.reads.get();
        long writes = load.writes();
        long sum = load.ledgerTotal();
        result.check(load.badReads.get() == 0 && reads > 0, "no reader saw a half-done transfer: all " + Out.n(reads)
                + " reads found the total " + Out.n(load.total) + " and no writer inside"
                + (load.badReads.get() == 0 ? "" : " (" + Out.n(load.badReads.get()) + " did not)"));
        result.check(load.badWrites.get() == 0 && sum == load.total, "every one of " + Out.n(writes) + " writes was alone"
                + " (no reader, no other writer inside); the total is still " + Out.n(sum)
                + (load.badWrites.get() == 0 ? "" : " (" + Out.n(load.badWrites.get()) + " were not)"));
        result.check(load.maxReaders.get() >= 2, "readers shared the lock: up to " + load.maxReaders.get() + " of "
                + READERS + " inside at once");
        long minWrites = Long.MAX_VALUE;
        for (int i = 0; i < WRITERS; i++) {
            minWrites = Math.min(minWrites, load.writes.get(i));
        }
        result.check(load.overtaking.get() == 0 && minWrites > 0, "writers first: of " + Out.n(load.heldBack.get())
                + " readers that came while a writer was queued, none got in before it; every writer got in"
                + (load.overtaking.get() == 0 ? "" : " (" + Out.n(load.overtaking.get()) + " overtook)"));
        for (int i = 0; i < WRITERS; i++) {
            result.info("writer " + i + ": " + Out.n(load.writes.get(i)) + " writes, waits median "
                    + Out.millis(load.median(i)) + ", max " + Out.millis(load.maxWait.get(i)));
        }

        Load contrast = new Load(RwLock.preferReaders(), "rw-contrast");
        contrast.start(CONTRAST, seed + 1000);
        boolean contrastJoined = contrast.workers.join(CONTRAST.plus(DemoSettings.GRACE));
        result.checkWorkers(contrast.workers, contrastJoined);
        result.check(contrast.badReads.get() + contrast.badWrites.get() == 0 && contrast.ledgerTotal() == contrast.total,
                "on RwLock.preferReaders() too: no half-done transfer seen, writers alone ("
                        + Out.n(contrast.reads.get()) + " reads, " + Out.n(contrast.writes()) + " writes)");
        result.info("there, in " + Out.secs(CONTRAST.toNanos()) + ", " + Out.n(contrast.overtaking.get()) + " of "
                + Out.n(contrast.heldBack.get()) + " readers got in ahead of a queued writer; writers got in "
                + Out.n(contrast.writesBeforeStop.get()) + " times before the stop");
        result.summary(Out.n(reads) + " reads, " + Out.n(writes) + " writes in " + Out.secs(elapsed) + ", no half-done"
                + " transfer; writer waits median " + Out.millis(load.median(-1)));
    }

    /** Sleeps about {@code micros} on average: pacing only, no synchronization. */
    private static void pause(SplittableRandom random, int micros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(2 * micros)));
    }
}
