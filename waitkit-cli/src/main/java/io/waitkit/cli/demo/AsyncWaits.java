package io.waitkit.cli.demo;

import io.waitkit.Event;
import io.waitkit.Irql;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Async waits and cancellation racing against signals: many pending {@link Wait#anyAsync}
 * futures on a job {@link Semaphore} (and a "closed" event), one thread releasing permits while
 * another cancels the futures in random order.
 *
 * <p>Completion means acquisition, and "the end decides": a {@code cancel} that returns
 * {@code true} withdrew the waiter (it will never take a permit); one that returns {@code false}
 * came too late, the future completed with the permit, and its owner keeps it. Checks: every
 * future ended exactly one of the two ways; permits are conserved (taken by completed futures
 * plus still available equals released: none lost, none taken by a withdrawn waiter); the
 * engine ran every completion callback at {@link Irql#DISPATCH_LEVEL} (callbacks cannot block by
 * mistake); and an {@code orTimeout} that fired withdrew its waiter, so an event set afterwards
 * stays signalled.
 */
final class AsyncWaits extends DemoPart {
    private static final int FUTURES = 4000;
    private static final int PERMITS = 3000;
    private static final Duration BOUND = Duration.ofSeconds(10);

    AsyncWaits() {
        super("async waits", "Wait.anyAsync futures race cancel(); completion = acquisition");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        Semaphore jobs = new Semaphore(0, PERMITS);
        Event closed = Event.manualReset(false);
        List<CompletableFuture<Integer>> futures = new ArrayList<>(FUTURES);
        AtomicInteger completedByEngine = new AtomicInteger();
        AtomicInteger atDispatch = new AtomicInteger();
        for (int i = 0; i < FUTURES; i++) {
            CompletableFuture<Integer> f = Wait.anyAsync(jobs, closed);
            f.whenComplete((index, error) -> {
                if (error == null) {
                    completedByEngine.incrementAndGet();
                    if (Irql.current() >= Irql.DISPATCH_LEVEL) {
                        atDispatch.incrementAndGet();
                    }
                }
            });
            futures.add(f);
        }
        out.line("  " + Out.n(FUTURES) + " futures pending in Wait.anyAsync(jobs, closed); one thread releases "
                + Out.n(PERMITS) + " permits");
        out.line("  while another cancels every future, in random order");

        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger tooLate = new AtomicInteger();
        long seed = ThreadLocalRandom.current().nextLong();
        Workers workers = new Workers("async");
        long start = System.nanoTime();
        workers.start("releaser", () -> {
            go.await();
            for (int p = 0; p < PERMITS; p++) {
                jobs.release();
                if ((p & 15) == 0) {
                    Thread.yield();
                }
            }
        });
        workers.start("canceller", () -> {
            go.await();
            int[] order = shuffled(FUTURES, new SplittableRandom(seed));
            for (int i : order) {
                if (futures.get(i).cancel(false)) {
                    cancelled.incrementAndGet();
                } else {
                    tooLate.incrementAndGet();
                }
                if ((i & 7) == 0) {
                    Thread.yield();                         // let the releaser keep up: a closer race
                }
            }
        });
        go.countDown();
        boolean joined = workers.join(BOUND);
        long elapsed = System.nanoTime() - start;
        result.checkWorkers(workers, joined);

        int completed = 0;
        int done = 0;
        for (CompletableFuture<Integer> f : futures) {
            if (f.isDone()) {
                done++;
                if (!f.isCancelled() && !f.isCompletedExceptionally() && f.getNow(-1) == 0) {
                    completed++;
                }
            }
        }
        out.progress("  " + Out.millis(elapsed) + "  " + Out.n(completed) + " acquired, " + Out.n(cancelled.get())
                + " withdrawn, " + Out.n(jobs.availablePermits()) + " permits unclaimed");

        result.check(done == FUTURES && completed + cancelled.get() == FUTURES, "every future ended one way: "
                + Out.n(completed) + " acquired + " + Out.n(cancelled.get()) + " withdrawn = " + Out.n(FUTURES)
                + (done == FUTURES ? "" : " (" + Out.n(FUTURES - done) + " still pending)"));
        result.check(completed + jobs.availablePermits() == PERMITS, "permits conserved: " + Out.n(completed)
                + " taken + " + Out.n(jobs.availablePermits()) + " available = " + Out.n(PERMITS) + " released");
        // each future was cancelled once: a cancel that came too late must have left it completed with a permit
        result.check(tooLate.get() == completed,
                "the end decides: cancel() returned false " + Out.n(tooLate.get())
                + " times, each time with the permit acquired");
        result.check(atDispatch.get() == completedByEngine.get() && completedByEngine.get() == completed,
                "all " + Out.n(completedByEngine.get()) + " completion callbacks ran at DISPATCH_LEVEL");
        timeoutWithdraws(result);
        result.summary(Out.n(FUTURES) + " futures: " + Out.n(completed) + " acquired, " + Out.n(cancelled.get())
                + " withdrawn, permits conserved (" + Out.millis(elapsed) + ")");
    }

    /** An orTimeout that fires withdraws the waiter: an auto-reset event set afterwards stays signalled. */
    private static void timeoutWithdraws(PartResult result) throws InterruptedException {
        Event ready = Event.autoReset(false);
        CompletableFuture<Integer> f = Wait.anyAsync(ready).orTimeout(30, TimeUnit.MILLISECONDS);
        boolean timedOut = false;
        try {
            f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            timedOut = e.getCause() instanceof TimeoutException;
        } catch (TimeoutException e) {
            timedOut = false;
        }
        ready.set();
        result.check(timedOut && ready.isSignaled(), "orTimeout(30 ms) failed the future with TimeoutException"
                + " and withdrew its waiter");
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
