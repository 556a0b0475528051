package io.waitkit.cli.demo;

import io.waitkit.Mutex;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Dining philosophers: each fork is a {@link Mutex}, and a philosopher takes both of its forks
 * at once with {@link Wait#all}, so the classic circular wait (everyone holding the left fork,
 * waiting for the right one) cannot happen.
 *
 * <p>Checks: mutual exclusion, verified independently of the mutexes by a per-fork "user" slot
 * that a philosopher claims with a CAS while eating; atomic pick-up, i.e. at every meal the
 * philosopher owns both forks exactly once (never one fork only); liveness, i.e. every
 * philosopher ate; and all forks free at the end. The waits are timed (so that the stop flag is
 * seen); timeouts are counted and shown, they are not errors.
 */
final class Philosophers extends DemoPart {
    private static final Duration PATIENCE = Duration.ofMillis(200);

    Philosophers() {
        super("dining philosophers", "forks are Mutexes, each pair taken at once with Wait.all");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        int n = settings.philosophers();
        Mutex[] forks = new Mutex[n];
        for (int i = 0; i < n; i++) {
            forks[i] = new Mutex();
        }
        AtomicIntegerArray user = new AtomicIntegerArray(n);
        for (int i = 0; i < n; i++) {
            user.set(i, -1);
        }
        AtomicLongArray meals = new AtomicLongArray(n);
        AtomicLong timeouts = new AtomicLong();
        AtomicLong shared = new AtomicLong();      // a fork seen in use by another philosopher
        AtomicLong oneFork = new AtomicLong();     // ate without owning both forks exactly once
        AtomicReference<String> firstProblem = new AtomicReference<>();
        long seed = ThreadLocalRandom.current().nextLong();
        out.line("  " + n + " philosophers, " + n + " forks, " + Out.secs(settings.timed().toNanos())
                + "; philosopher i uses forks i and (i+1) mod " + n);

        Workers workers = new Workers("philosopher");
        long start = System.nanoTime();
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < n; i++) {
            int me = i;
            int l = i;
            int r = (i + 1) % n;
            SplittableRandom random = new SplittableRandom(seed + i);
            workers.start(Integer.toString(i), () -> {
                Mutex left = forks[l];
                Mutex right = forks[r];
                while (!stop.get()) {
                    pause(random);                                  // think
                    if (!Wait.all(PATIENCE, left, right)) {
                        timeouts.incrementAndGet();
                        continue;
                    }
                    try {
                        if (left.holdCount() != 1 || right.holdCount() != 1
                                || !left.isHeldByCurrentThread() || !right.isHeldByCurrentThread()) {
                            oneFork.incrementAndGet();
                            firstProblem.compareAndSet(null, "philosopher " + me + " ate with left="
                                    + left + ", right=" + right);
                        }
                        claim(user, l, me, shared, firstProblem);
                        claim(user, r, me, shared, firstProblem);
                        pause(random);                              // eat
                        free(user, l, me, shared, firstProblem);
                        free(user, r, me, shared, firstProblem);
                        meals.incrementAndGet(me);
                    } finally {
                        right.unlock();
                        left.unlock();
                    }
                }
            });
        }

        runFor(out, start, settings.timed(), t -> Out.secs(t) + "  meals " + Out.n(total(meals))
                + "  " + perPhilosopher(meals) + "  timeouts " + Out.n(timeouts.get()));
        stop.set(true);
        boolean joined = workers.join(PATIENCE.plus(DemoSettings.GRACE));
        long elapsed = System.nanoTime() - start;

        long total = total(meals);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, meals.get(i));
            max = Math.max(max, meals.get(i));
        }
        result.checkWorkers(workers, joined);
        result.check(shared.get() == 0, "mutual exclusion: no fork was ever used by two philosophers at once"
                + (shared.get() == 0 ? "" : " (" + Out.n(shared.get()) + " times; first: " + firstProblem.get() + ")"));
        result.check(oneFork.get() == 0 && total > 0, "atomic pick-up: all " + Out.n(total)
                + " meals eaten holding both forks, never one only"
                + (oneFork.get() == 0 ? "" : " (" + Out.n(oneFork.get()) + " violations; first: " + firstProblem.get() + ")"));
        result.check(min > 0, "no deadlock, no starvation: every philosopher ate (min " + Out.n(min)
                + ", max " + Out.n(max) + ")");
        boolean free = true;
        for (Mutex f : forks) {
            free &= f.owner() == null && f.holdCount() == 0 && !f.isAbandoned();
        }
        result.check(free, "all forks free after the last meal");
        result.summary(Out.n(total) + " meals in " + Out.secs(elapsed) + ", " + Out.n(min) + ".." + Out.n(max)
                + " per philosopher, " + Out.n(timeouts.get()) + " timeouts");
    }

    /** Thinks or eats for a short random time (0-150 µs): only to vary the interleavings. */
    private static void pause(SplittableRandom random) {
        int micros = random.nextInt(150);
        if (micros < 20) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
        }
    }

    private static void claim(AtomicIntegerArray user, int fork, int me, AtomicLong shared,
            AtomicReference<String> firstProblem) {
        int other = user.compareAndExchange(fork, -1, me);
        if (other != -1) {
            shared.incrementAndGet();
            firstProblem.compareAndSet(null, "philosopher " + me + " picked up fork " + fork
                    + " while philosopher " + other + " was using it");
        }
    }

    private static void free(AtomicIntegerArray user, int fork, int me, AtomicLong shared,
            AtomicReference<String> firstProblem) {
        int other = user.compareAndExchange(fork, me, -1);
        if (other != me) {
            shared.incrementAndGet();
            firstProblem.compareAndSet(null, "fork " + fork + " was taken over by philosopher " + other
                    + " while philosopher " + me + " was eating");
        }
    }

    private static long total(AtomicLongArray meals) {
        long sum = 0;
        for (int i = 0; i < meals.length(); i++) {
            sum += meals.get(i);
        }
        return sum;
    }

    private static String perPhilosopher(AtomicLongArray meals) {
        if (meals.length() > 8) {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < meals.length(); i++) {
                min = Math.min(min, meals.get(i));
                max = Math.max(max, meals.get(i));
            }
            return Out.n(min) + ".." + Out.n(max);
        }
        StringJoiner j = new StringJoiner(" ", "[", "]");
        for (int i = 0; i < meals.length(); i++) {
            j.add(Out.n(meals.get(i)));
        }
        return j.toString();
    }
}
