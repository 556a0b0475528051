package io.waitkit.cli.demo;

import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer/consumer pipeline: three bounded queues of different priority, one producer each,
 * and consumers that wait on all queues and a shutdown event at once with {@link Wait#any}.
 *
 * <p>Each queue is a lock-free queue guarded by two {@link Semaphore}s: {@code space} (free
 * slots, the producer takes one before adding) and {@code items} (queued items, the consumer
 * takes one before removing). A consumer waits with {@code Wait.any(items[0], items[1],
 * items[2], shutdown)}: the index says which queue has an item for it, and because wait-any takes
 * the lowest available index, queue 0 is served first and the shutdown event (last, manual-reset)
 * is seen only once every queue is empty. Producers wait with {@code Wait.any(stop, space[q])}.
 * Stopping is two-stage: {@code stop} ends the producers, then {@code shutdown} lets the consumers
 * drain the queues and leave.
 *
 * <p>Checks: items produced == consumed, per queue and by checksum (no loss, no duplicate); every
 * wake-up by a queue's semaphore found an item of that queue; the queues drained before shutdown
 * and all semaphores are back to their initial counts; each consumer left through the shutdown
 * index exactly once.
 */
final class Pipeline extends DemoPart {
    private static final String[] QUEUES = {"urgent", "normal", "bulk"};
    private static final int CAPACITY = 32;
    private static final int CONSUMERS = 3;
    /** Average pause between two items of each producer, in microseconds (bulk: as fast as space allows). */
    private static final int[] PACE_MICROS = {400, 120, 0};

    Pipeline() {
        super("producer/consumer pipeline", "consumers wait in Wait.any over 3 queues and a shutdown Event");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        int k = QUEUES.length;
        Semaphore[] space = new Semaphore[k];
        Semaphore[] items = new Semaphore[k];
        List<ConcurrentLinkedQueue<Long>> queues = new ArrayList<>();
        for (int q = 0; q < k; q++) {
            space[q] = new Semaphore(CAPACITY, CAPACITY);
            items[q] = new Semaphore(0, CAPACITY);
            queues.add(new ConcurrentLinkedQueue<>());
        }
        Event stop = Event.manualReset(false);
        Event shutdown = Event.manualReset(false);
        AtomicLongArray produced = new AtomicLongArray(k);
        AtomicLongArray consumed = new AtomicLongArray(k);
        AtomicLong producedSum = new AtomicLong();
        AtomicLong consumedSum = new AtomicLong();
        AtomicLong emptyWakeups = new AtomicLong();   // woken for queue q, found no item of q
        AtomicLongArray[] wokeBy = new AtomicLongArray[CONSUMERS];
        long seed = ThreadLocalRandom.current().nextLong();

        StringJoiner names = new StringJoiner(", ");
        StringJoiner waitList = new StringJoiner(", ", "Wait.any(", ", shutdown)");
        for (int q = 0; q < k; q++) {
            names.add(q + " " + QUEUES[q]);
            waitList.add("items[" + q + "]");
        }
        out.line("  " + k + " producers, " + CONSUMERS + " consumers, " + k + " queues of " + CAPACITY + " (" + names + ")");
        out.line("  a consumer runs " + waitList + ": the index says what woke it");

        Workers producers = new Workers("producer");
        Workers consumers = new Workers("consumer");
        long start = System.nanoTime();
        for (int c = 0; c < CONSUMERS; c++) {
            AtomicLongArray woke = wokeBy[c] = new AtomicLongArray(k + 1);
            SplittableRandom random = new SplittableRandom(seed + 100 + c);
            Waitable[] sources = new Waitable[k + 1];
            System.arraycopy(items, 0, sources, 0, k);
            sources[k] = shutdown;
            consumers.start(Integer.toString(c), () -> {
                for (;;) {
                    int w = Wait.any(sources);
                    woke.incrementAndGet(w);
                    if (w == k) {
                        return;
                    }
                    Long id = queues.get(w).poll();
                    if (id == null || (id >>> 48) != w) {
                        emptyWakeups.incrementAndGet();
                        continue;
                    }
                    consumed.incrementAndGet(w);
                    consumedSum.addAndGet(id);
                    space[w].release();
                    pause(random, 40);                              // process the item
                }
            });
        }
        for (int q = 0; q < k; q++) {
            int me = q;
            SplittableRandom random = new SplittableRandom(seed + q);
            Waitable[] sources = {stop, space[q]};
            producers.start(QUEUES[q], () -> {
                for (long seq = 0; ; seq++) {
                    if (Wait.any(sources) == 0) {
                        return;
                    }
                    long id = ((long) me << 48) | seq;
                    queues.get(me).add(id);
                    producedSum.addAndGet(id);
                    produced.incrementAndGet(me);
                    items[me].release();
                    pause(random, PACE_MICROS[me]);
                }
            });
        }

        runFor(out, start, settings.timed(), t -> {
            long c = sum(consumed);                         // first: then produced >= consumed in the line
            return Out.secs(t) + "  produced " + Out.n(sum(produced)) + "  consumed " + Out.n(c)
                    + "  by index " + byIndex(wokeBy, k, false, true);
        });
        stop.set();
        boolean producersJoined = producers.join(DemoSettings.GRACE);
        long inFlight = sum(produced) - sum(consumed);
        shutdown.set();
        boolean consumersJoined = consumers.join(DemoSettings.GRACE);
        long elapsed = System.nanoTime() - start;
        out.progress("  " + Out.secs(elapsed) + "  stop: producers left; shutdown: " + Out.n(Math.max(inFlight, 0))
                + " queued items drained, consumers left");

        result.checkWorkers(producers, producersJoined);
        result.checkWorkers(consumers, consumersJoined);
        StringJoiner perQueue = new StringJoiner(" + ");
        boolean balanced = producedSum.get() == consumedSum.get();
        for (int q = 0; q < k; q++) {
            balanced &= produced.get(q) == consumed.get(q);
            perQueue.add(Out.n(produced.get(q)) + (produced.get(q) == consumed.get(q) ? "" : "/" + Out.n(consumed.get(q))));
        }
        result.check(balanced && sum(produced) > 0, "no item lost or duplicated: " + Out.n(sum(consumed))
                + " produced = consumed (" + perQueue + ")");
        long queueWakeups = 0;
        for (AtomicLongArray w : wokeBy) {
            for (int q = 0; q < k; q++) {
                queueWakeups += w.get(q);
            }
        }
        result.check(emptyWakeups.get() == 0, "every wake-up by a queue's index (" + Out.n(queueWakeups)
                + ") found an item in that queue"
                + (emptyWakeups.get() == 0 ? "" : " (" + Out.n(emptyWakeups.get()) + " did not)"));
        boolean drained = true;
        for (int q = 0; q < k; q++) {
            drained &= queues.get(q).isEmpty() && items[q].availablePermits() == 0
                    && space[q].availablePermits() == CAPACITY;
        }
        boolean oneShutdownEach = true;
        for (AtomicLongArray w : wokeBy) {
            oneShutdownEach &= w.get(k) == 1;
        }
        result.check(drained && oneShutdownEach, "lowest index first: items still queued at shutdown ("
                + Out.n(Math.max(inFlight, 0)) + ") were consumed before index " + k + " woke each consumer");
        result.info("afterwards: queues empty, semaphores back to 0 items / " + CAPACITY + " free"
                + (drained ? "" : " - NOT SO"));
        for (int c = 0; c < CONSUMERS; c++) {
            result.info("consumer " + c + " woken by " + byIndex(new AtomicLongArray[] {wokeBy[c]}, k, true, false));
        }
        result.summary(Out.n(sum(consumed)) + " items in " + Out.secs(elapsed) + ", woken by index 0/1/2/3: "
                + byIndex(wokeBy, k, true, true));
    }

    /** Sleeps about {@code micros} on average (0: never): pacing only, no synchronization. */
    private static void pause(SplittableRandom random, int micros) {
        if (micros > 0) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(2 * micros)));
        }
    }

    private static long sum(AtomicLongArray a) {
        long s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }

    /**
     * Wake-ups by index: "0 urgent 1,234 | 1 normal 567 | 2 bulk 89" (and "| 3 shutdown 3" if asked),
     * or in short "1,234/567/89".
     */
    private static String byIndex(AtomicLongArray[] woke, int k, boolean withShutdown, boolean brief) {
        StringJoiner j = new StringJoiner(brief ? "/" : " | ");
        for (int i = 0; i <= k; i++) {
            if (i == k && !withShutdown) {
                break;
            }
            long s = 0;
            for (AtomicLongArray w : woke) {
                s += w == null ? 0 : w.get(i);
            }
            j.add(brief ? Out.n(s) : i + " " + (i < k ? QUEUES[i] : "shutdown") + " " + Out.n(s));
        }
        return j.toString();
    }
}
