package io.waitkit.cli.demo;

import java.time.Duration;
import java.util.function.LongFunction;

/**
 * One part of the demo: a self-contained scenario that exercises the engine, prints progress
 * and checks its own invariants.
 */
abstract class DemoPart {
    /** Progress lines come this often in timed parts. */
    static final Duration TICK = Duration.ofMillis(500);

    private final String name;
    private final String headline;

    DemoPart(String name, String headline) {
        this.name = name;
        this.headline = headline;
    }

    /** Short name for the summary table, e.g. {@code dining philosophers}. */
    final String name() {
        return name;
    }

    /** One line saying what the part shows. */
    final String headline() {
        return headline;
    }

    /**
     * Runs the scenario, printing progress through {@code out} and recording checks in
     * {@code result}. Must return (its threads stopped) within the part's duration plus
     * {@link DemoSettings#GRACE}.
     */
    abstract void run(DemoSettings settings, Out out, PartResult result) throws Exception;

    /**
     * Lets a timed part run: the calling thread sleeps until {@code duration} has passed since
     * {@code start}, printing {@code status} (given the elapsed nanoseconds) at every {@link #TICK}
     * before the end, and once more at the end: always the same number of lines for a given
     * duration, however late the thread wakes up. Sleeping here paces the display only; no
     * thread synchronizes on it.
     */
    static void runFor(Out out, long start, Duration duration, LongFunction<String> status)
            throws InterruptedException {
        long end = start + duration.toNanos();
        for (long next = start + TICK.toNanos(); next - end < 0; next += TICK.toNanos()) {
            sleepUntil(next);
            out.progress("  " + status.apply(System.nanoTime() - start));
        }
        sleepUntil(end);
        out.progress("  " + status.apply(System.nanoTime() - start));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
