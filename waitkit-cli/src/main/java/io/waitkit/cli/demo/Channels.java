package io.waitkit.cli.demo;

import io.waitkit.Barrier;
import io.waitkit.Change;
import io.waitkit.Channel;
import io.waitkit.Counter;
import io.waitkit.ChangeMatch;
import io.waitkit.Deadline;
import io.waitkit.PriorityChannel;
import io.waitkit.ReceiveOp;
import io.waitkit.Wait;
import io.waitkit.WaitableTimer;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A pipeline built from channels: producers send jobs into a bounded FIFO {@link Channel},
 * workers take them, and send their results into a {@link PriorityChannel} that a coordinator
 * (the demo's own thread) drains, most urgent first. The coordinator is one {@link Wait#any}
 * loop over a one-shot stop {@link WaitableTimer}, a periodic tick timer (which prints the
 * progress lines) and the results channel's {@link ReceiveOp}; once the producers stopped, it
 * waits for the last result with a {@link Counter#when} operation on the count of processed jobs.
 *
 * <p>The coordinator "publishes" each result (a short pause), so it is the slowest stage: the
 * results channel stays full and the priorities decide what comes out. Producers send with
 * {@code Wait.any(stop, jobs.sendOp(job))}, so the stop timer ends every producer, also one
 * blocked on a full channel, and a job is sent exactly when that wait reports the send. Workers
 * leave on a poison pill that the coordinator sends once every result is in. All threads wait
 * at a {@link Barrier} used as a start line, so that the timers are armed only once everyone
 * runs.
 *
 * <p>Checks: every job sent came out exactly once, per producer and sequence number; each
 * worker received each producer's jobs in the order they were sent (FIFO); no result was
 * received while a more urgent one had been waiting in the results channel (the coordinator
 * stamps the start of each wait and each worker stamps the end of each send on one shared
 * clock: a result whose send ended before the coordinator began a wait was in the channel
 * during it); the counter operation fired at the total, after the last result; and the timers
 * never fired early.
 */
final class Channels extends DemoPart {
    private static final int PRODUCERS = 3;
    private static final int WORKERS = 3;
    private static final int JOBS = 16;
    private static final int RESULTS = 32;
    private static final String[] LEVELS = {"high", "normal", "low"};
    /** Of every 10 jobs, this many are high, normal (the rest low). */
    private static final int HIGH = 2;
    private static final int NORMAL = 3;
    /** Average pauses, in microseconds: a producer between jobs, a worker per job, the coordinator per result. */
    private static final int PRODUCE_MICROS = 30;
    private static final int WORK_MICROS = 60;
    private static final int PUBLISH_MICROS = 40;

    /** A job: producer {@code producer}'s {@code seq}-th, of priority level {@code level} (0 = most urgent). */
    private record Job(int producer, long seq, int level) {
        static final Job PILL = new Job(-1, -1, 0);
    }

    /** A worker's result; the stamps are written by the worker, read by the coordinator after the join. */
    private static final class Result {
        final Job job;
        final long sentNanos;
        long sentStamp;     // the shared clock just after the send returned (written after the send)

        Result(Job job, long sentNanos) {
            this.job = job;
            this.sentNanos = sentNanos;
        }
    }

    /** A received result, with the coordinator's clock stamp from before the wait that took it. */
    private record Receipt(Result result, long waitStamp, long receivedNanos) {
    }

    Channels() {
        super("channel pipeline", "Channel -> workers -> PriorityChannel; Wait.any over timers, a receive, a Counter");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        Channel<Job> jobs = new Channel<>(JOBS);
        PriorityChannel<Result> results = new PriorityChannel<>(RESULTS, Comparator.comparingInt(r -> r.job.level()));
        Counter processed = new Counter(0);
        WaitableTimer stop = WaitableTimer.manualReset();
        WaitableTimer tick = WaitableTimer.autoReset();
        AtomicLong clock = new AtomicLong();
        AtomicLongArray sent = new AtomicLongArray(PRODUCERS);
        AtomicLong fifoViolations = new AtomicLong();
        AtomicLong workerReceives = new AtomicLong();
        long seed = ThreadLocalRandom.current().nextLong();

        out.line("  " + PRODUCERS + " producers -> jobs Channel(" + JOBS + ") -> " + WORKERS + " workers -> results PriorityChannel("
                + RESULTS + ", high first) -> coordinator");
        out.line("  coordinator: Wait.any(stopTimer, tickTimer, results.receiveOp()) until the stop, then");
        out.line("  Wait.any(results.receiveOp(), processed.when(atLeast(total))) until every result is in");

        Workers producers = new Workers("producer");
        Workers workers = new Workers("worker");
        Barrier startLine = new Barrier(PRODUCERS + WORKERS + 1);    // everyone running before the clock starts
        for (int p = 0; p < PRODUCERS; p++) {
            int me = p;
            SplittableRandom random = new SplittableRandom(seed + p);
            producers.start(Integer.toString(p), () -> {
                startLine.await();
                for (long seq = 0; ; seq++) {
                    int roll = random.nextInt(10);
                    Job job = new Job(me, seq, roll < HIGH ? 0 : roll < HIGH + NORMAL ? 1 : 2);
                    if (Wait.any(stop, jobs.sendOp(job)) == 0) {
                        return;                                     // the stop timer fired: job not sent
                    }
                    sent.set(me, seq + 1);
                    pause(random, PRODUCE_MICROS);
                }
            });
        }
        for (int w = 0; w < WORKERS; w++) {
            SplittableRandom random = new SplittableRandom(seed + 100 + w);
            workers.start(Integer.toString(w), () -> {
                long[] last = new long[PRODUCERS];
                Arrays.fill(last, -1);
                startLine.await();
                for (;;) {
                    Job job = jobs.receive();
                    if (job == Job.PILL) {
                        return;
                    }
                    workerReceives.incrementAndGet();
                    if (job.seq() <= last[job.producer()]) {
                        fifoViolations.incrementAndGet();
                    }
                    last[job.producer()] = job.seq();
                    pause(random, WORK_MICROS);                     // the work
                    Result r = new Result(job, System.nanoTime());
                    results.send(r);
                    r.sentStamp = clock.incrementAndGet();
                    processed.increment();                          // after the send: the count never runs ahead
                }
            });
        }

        startLine.await();
        long start = System.nanoTime();
        long end = start + settings.timed().toNanos();
        stop.set(Deadline.ofNanoTime(end), Duration.ZERO);
        tick.set(Deadline.ofNanoTime(start + TICK.toNanos()), TICK);

        // the coordinator: phase 1, while the producers run
        List<Receipt> received = new ArrayList<>();
        List<Long> tickTimes = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed + 200);
        ReceiveOp<Result> fromResults = results.receiveOp();
        Waitable[] running = {stop, tick, fromResults};
        for (boolean stopped = false; !stopped; ) {
            long stamp = clock.incrementAndGet();
            switch (Wait.any(running)) {
                case 0 -> stopped = true;
                case 1 -> {
                    long now = System.nanoTime();
                    tickTimes.add(now - start);
                    if (now - end < 0) {                            // a tick due with the stop prints nothing
                        out.progress("  " + status(now - start, sent, processed, received.size(), jobs, results));
                    }
                }
                default -> {
                    received.add(new Receipt(fromResults.item(), stamp, System.nanoTime()));
                    pause(random, PUBLISH_MICROS);                  // publish it
                }
            }
        }
        long stoppedAt = System.nanoTime() - start;
        boolean producersJoined = producers.join(DemoSettings.GRACE);
        long total = sum(sent);
        out.progress("  " + status(stoppedAt, sent, processed, received.size(), jobs, results) + "  <- stop");

        // phase 2: drain until the processed count reaches the total sent
        Counter.Watch allDone = processed.when(ChangeMatch.atLeast(total));
        Waitable[] draining = {fromResults, allDone};
        long drained = 0;
        boolean done = false;
        int receivedAtDone = -1;
        for (;;) {
            long stamp = clock.incrementAndGet();
            int w = Wait.any(DemoSettings.GRACE, draining);
            if (w == 0) {
                received.add(new Receipt(fromResults.item(), stamp, System.nanoTime()));
                drained++;
            } else {
                done = w == 1;
                receivedAtDone = received.size();
                break;
            }
        }
        // Wait.any checks its members one at a time (docs/semantics.md, "Lowest index"): a result
        // sent just after its check of fromResults, whose count then satisfied allDone when that
        // was checked, is still in the channel. Its send came before that count: polls find it.
        long afterDone = 0;
        for (Result late; done && (late = results.tryReceive()) != null; afterDone++) {
            received.add(new Receipt(late, clock.incrementAndGet(), System.nanoTime()));
        }
        for (int w = 0; w < WORKERS; w++) {
            jobs.send(Job.PILL, DemoSettings.GRACE);
        }
        boolean workersJoined = workers.join(DemoSettings.GRACE);
        tick.cancel();
        long elapsed = System.nanoTime() - start;
        out.progress("  " + Out.secs(elapsed) + "  producers left; " + Out.n(drained) + " results drained until processed.when(atLeast("
                + Out.n(total) + ")) fired");

        result.checkWorkers(producers, producersJoined);
        result.checkWorkers(workers, workersJoined);
        checkNoLoss(result, sent, received, workerReceives.get());
        result.check(fifoViolations.get() == 0, "FIFO: every worker got each producer's jobs in the order they were sent"
                + (fifoViolations.get() == 0 ? "" : " (" + Out.n(fifoViolations.get()) + " out of order)"));
        checkPriorities(result, received);
        Change change = allDone.change();
        result.check(done && change != null && change.newValue() == total && received.size() == total
                        && processed.get() == total,
                "processed.when(atLeast(" + Out.n(total) + ")) fired at " + (change == null ? "-" : Out.n(change.newValue()))
                        + ", with " + Out.n(receivedAtDone) + " results received"
                        + (afterDone == 0 ? " (lowest index first)" : " and " + Out.n(afterDone)
                        + " sent just after Wait.any checked the receive (it checks one member at a time), taken by polls after it"));
        checkTimers(result, tickTimes, stoppedAt, settings.timed().toNanos());
        result.summary(Out.n(total) + " jobs in " + Out.secs(elapsed) + ", none lost, FIFO per producer, most urgent first");
    }

    private static String status(long t, AtomicLongArray sent, Counter processed, int received, Channel<Job> jobs,
            PriorityChannel<Result> results) {
        long r = received;                                          // counts later in the pipeline first
        long p = processed.get();
        return Out.secs(t) + "  sent " + Out.n(sum(sent)) + "  processed " + Out.n(p) + "  received " + Out.n(r)
                + "  queued: jobs " + jobs.size() + "/" + JOBS + ", results " + results.size() + "/" + RESULTS;
    }

    private static void checkNoLoss(PartResult result, AtomicLongArray sent, List<Receipt> received, long workerReceives) {
        BitSet[] seen = new BitSet[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            seen[p] = new BitSet();
        }
        long duplicates = 0;
        long unknown = 0;
        for (Receipt rc : received) {
            Job j = rc.result().job;
            if (j.seq() >= sent.get(j.producer())) {
                unknown++;
            } else if (seen[j.producer()].get((int) j.seq())) {
                duplicates++;
            } else {
                seen[j.producer()].set((int) j.seq());
            }
        }
        boolean complete = true;
        StringBuilder perProducer = new StringBuilder();
        for (int p = 0; p < PRODUCERS; p++) {
            complete &= seen[p].cardinality() == sent.get(p);
            perProducer.append(p == 0 ? "" : " + ").append(Out.n(sent.get(p)));
        }
        long total = sum(sent);
        result.check(complete && duplicates == 0 && unknown == 0 && workerReceives == total && total > 0,
                "no job lost or duplicated: " + Out.n(total) + " sent (" + perProducer + ") = taken by workers"
                        + (workerReceives == total ? "" : " (" + Out.n(workerReceives) + ")") + " = results received"
                        + (received.size() == total ? "" : " (" + Out.n(received.size()) + ")")
                        + (duplicates + unknown == 0 ? "" : " (" + duplicates + " duplicates, " + unknown + " never sent)"));
    }

    /**
     * No result came out while a more urgent one had been in the channel: for receipts i before
     * j, if j's send ended before the wait of i began, j must not be more urgent than i. Also
     * counts the results overtaken by a more urgent one sent after them.
     */
    private static void checkPriorities(PartResult result, List<Receipt> received) {
        int levels = LEVELS.length;
        long[] lastWaitStamp = new long[levels];                    // latest wait stamp of a receipt at each level
        long[] maxSentStamp = new long[levels];                     // latest send stamp received at each level
        Arrays.fill(lastWaitStamp, Long.MIN_VALUE);
        Arrays.fill(maxSentStamp, Long.MIN_VALUE);
        long inversions = 0;
        long overtaken = 0;
        long[] latencySum = new long[levels];
        long[] count = new long[levels];
        for (Receipt rc : received) {
            int level = rc.result().job.level();
            long sentStamp = rc.result().sentStamp;
            for (int less = level + 1; less < levels; less++) {
                if (lastWaitStamp[less] > sentStamp) {
                    inversions++;                                   // a less urgent one came out while this one waited
                    break;
                }
            }
            for (int more = 0; more < level; more++) {
                if (maxSentStamp[more] > sentStamp) {
                    overtaken++;                                    // a more urgent one, sent later, came out first
                    break;
                }
            }
            lastWaitStamp[level] = Math.max(lastWaitStamp[level], rc.waitStamp());
            maxSentStamp[level] = Math.max(maxSentStamp[level], sentStamp);
            latencySum[level] += rc.receivedNanos() - rc.result().sentNanos;
            count[level]++;
        }
        result.check(inversions == 0, "priorities: no result came out while a more urgent one was waiting in the channel"
                + (inversions == 0 ? "" : " (" + Out.n(inversions) + " times)"));
        StringBuilder latency = new StringBuilder();
        for (int l = 0; l < levels; l++) {
            latency.append(l == 0 ? "" : ", ").append(LEVELS[l]).append(' ')
                    .append(count[l] == 0 ? "-" : Out.millis(latencySum[l] / count[l]));
        }
        result.info(Out.n(overtaken) + " results were overtaken by more urgent ones sent after them");
        result.info("average time from send to receive: " + latency);
    }

    private static void checkTimers(PartResult result, List<Long> tickTimes, long stoppedAt, long duration) {
        boolean early = stoppedAt < duration;
        StringBuilder ticks = new StringBuilder();
        for (int k = 0; k < tickTimes.size(); k++) {
            early |= tickTimes.get(k) < (k + 1) * TICK.toNanos();
            ticks.append(k == 0 ? "" : " ").append(Out.secs(tickTimes.get(k)));
        }
        result.check(!early && (!tickTimes.isEmpty() || duration <= TICK.toNanos()),
                "timers never fired early: ticks at " + (tickTimes.isEmpty() ? "-" : ticks) + " (every "
                        + Out.secs(TICK.toNanos()) + "), stop at " + Out.secs(stoppedAt) + " (due " + Out.secs(duration) + ")");
    }

    /** Sleeps about {@code micros} on average: pacing only, no synchronization. */
    private static void pause(SplittableRandom random, int micros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(2 * micros)));
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }
}
