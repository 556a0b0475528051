package io.waitkit.contract;

import java.util.SplittableRandom;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs two actions against each other many times: a fresh fixture per round, then the
 * {@code left} action on the calling thread and the {@code right} action on one persistent
 * helper thread, released together, each after a small seeded random spin so that every
 * interleaving shows up; then a check on the calling thread once both are done. Failures
 * report the seed and the round.
 *
 * <p>The rounds are separated by a {@link Phaser}, whose waits are not interruptible, so the
 * actions may interrupt each other's threads (an interrupt delivered during a round stays
 * pending until the helper looks at it).
 *
 * @param <F> the fixture type
 */
public final class Race<F> {
    /** Creates the fixture of one round (on the calling thread). */
    @FunctionalInterface
    public interface Setup<F> {
        /**
         * Creates the fixture.
         *
         * @param round the round number
         * @return the fixture
         * @throws Exception anything, failing the test
         */
        F create(int round) throws Exception;
    }

    /** One side of the race, or the check after it. */
    @FunctionalInterface
    public interface Action<F> {
        /**
         * Runs.
         *
         * @param fixture the round's fixture
         * @throws Exception anything, failing the test
         */
        void run(F fixture) throws Exception;
    }

    private final long seed;
    private final SplittableRandom random;

    private Race(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Starts a race with a seed from the system property {@code waitkit.race.seed} if set,
     * else a fresh one.
     *
     * @return the race
     * @param <F> the fixture type
     */
    public static <F> Race<F> seeded() {
        String s = System.getProperty("waitkit.race.seed", "");
        return new Race<>(s.isBlank() ? System.nanoTime() : Long.parseLong(s.trim()));
    }

    /**
     * The seed of this race (also in every failure message).
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Runs the race.
     *
     * @param rounds how many rounds
     * @param setup creates each round's fixture
     * @param left the action on the calling thread
     * @param right the action on the helper thread
     * @param check the check after both actions, on the calling thread
     */
    public void run(int rounds, Setup<F> setup, Action<F> left, Action<F> right, Action<F> check) {
        Phaser phaser = new Phaser(2);
        Object[] fixture = new Object[1];
        int[] spins = new int[2];
        Throwable[] helperFailure = new Throwable[1];
        Thread helper = Thread.ofPlatform().name("race-helper").daemon(true).start(() -> {
            try {
                for (int r = 0; r < rounds; r++) {
                    if (phaser.arriveAndAwaitAdvance() < 0) { // fixture ready
                        return; // the calling thread gave up
                    }
                    @SuppressWarnings("unchecked")
                    F f = (F) fixture[0];
                    spin(spins[1]);
                    try {
                        right.run(f);
                    } catch (Throwable t) {
                        helperFailure[0] = t;
                    }
                    if (phaser.arriveAndAwaitAdvance() < 0 // both actions done
                            || phaser.arriveAndAwaitAdvance() < 0) { // checked
                        return;
                    }
                }
            } finally {
                Thread.interrupted();
            }
        });
        int round = 0;
        try {
            for (; round < rounds; round++) {
                F f = setup.create(round);
                fixture[0] = f;
                spins[0] = random.nextInt(64);
                spins[1] = random.nextInt(64);
                awaitPhase(phaser);
                spin(spins[0]);
                left.run(f);
                awaitPhase(phaser);
                if (helperFailure[0] != null) {
                    throw helperFailure[0];
                }
                check.run(f);
                awaitPhase(phaser);
            }
        } catch (Throwable t) {
            phaser.forceTermination();
            throw new AssertionError("race failed in round " + round + " of " + rounds + " (seed " + seed
                    + ", rerun with -Dwaitkit.race.seed=" + seed + "): " + t, t);
        }
        Threads.join(helper);
    }

    private static void awaitPhase(Phaser phaser) throws TimeoutException, InterruptedException {
        int phase = phaser.arrive();
        phaser.awaitAdvanceInterruptibly(phase, Threads.BOUND.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }
}
