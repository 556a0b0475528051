package io.waitkit.bench;

import java.util.List;

/**
 * How long and how often the suite measures. The same JVM flags go to every measured JVM,
 * waitkit side and peer alike.
 *
 * @param mode {@code report} or {@code smoke}
 * @param rounds how many times every JMH configuration runs; the order is reversed in every
 *        second round, so slow drifts of the machine (another build starting) hit both sides
 * @param warmupIterations JMH warm-up iterations per fork
 * @param warmupMillis length of one warm-up iteration
 * @param measurementIterations JMH measurement iterations per fork
 * @param measurementMillis length of one measurement iteration
 * @param b6Jvms JVMs per B6 gate (alternating event, latch, latch, event, ...)
 * @param b6Warmups unmeasured B6 runs per JVM
 * @param b6Runs measured B6 runs per JVM
 * @param b6Threads virtual threads per B6 run
 * @param b8WarmupMessages unmeasured B8 messages per process pair, before the samples
 * @param b8SampleMessages B8 messages per sample (a pair takes {@code measurementIterations} samples)
 * @param jvmArgs the flags of every measured JVM
 */
record Settings(String mode, int rounds, int warmupIterations, int warmupMillis, int measurementIterations,
        int measurementMillis, int b6Jvms, int b6Warmups, int b6Runs, int b6Threads, long b8WarmupMessages,
        long b8SampleMessages, List<String> jvmArgs) {

    /** Flags of every measured JVM: a fixed heap, so GC sizing does not differ between sides. */
    static final List<String> JVM_ARGS = List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC");

    /**
     * The report mode: sized so the whole suite takes about 13 minutes on 2 cores (B7 about one of
     * them; 16 under a heavy load from other processes). Three short forks rather than two long
     * ones: on a shared machine the figures differ more between JVMs than between iterations of
     * one JVM. B6 measures the steady state of both gates, what a long-running service sees: its
     * first rounds in a JVM differ by up to 2x while the JIT compiles the wait paths of 100,000
     * parked threads (and may deoptimize them when they wake), and both gates have settled after
     * four (see B6ManyWaiters).
     */
    static final Settings REPORT = new Settings("report", 3, 2, 500, 4, 500, 2, 4, 4, 100_000, 500_000, 500_000,
            JVM_ARGS);

    /** The smoke mode: every benchmark once, briefly, so none can rot; the figures mean nothing. */
    static final Settings SMOKE = new Settings("smoke", 1, 1, 100, 1, 100, 1, 0, 1, 100_000, 10_000, 20_000,
            JVM_ARGS);

    /** How the JMH benchmarks were run, for the rows. */
    String describeJmh() {
        return "JMH 1.37, 1 fork per round × " + rounds + (rounds == 1 ? " round" : " rounds (order reversed in every second round)")
                + ", warm-up " + warmupIterations + " × " + millis(warmupMillis) + ", measurement " + measurementIterations
                + " × " + millis(measurementMillis) + " per fork, gc profiler on; median of all " + rounds * measurementIterations
                + " measurement iterations, error bar = min-max; JVM flags (both sides): " + String.join(" ", jvmArgs);
    }

    /** How B6 was run, for its rows. */
    String describeB6() {
        return "own harness (io.waitkit.bench.B6ManyWaiters), " + b6Jvms + " fresh JVM(s) per side (alternating), "
                + b6Warmups + " warm-up + " + b6Runs + " measured run(s) each; median of all " + b6Jvms * b6Runs
                + " runs, error bar = min-max; JVM flags (both sides): " + String.join(" ", jvmArgs);
    }

    /** How B7 was run, for its rows. */
    String describeB7() {
        B7Harness.Plan p = B7Harness.Plan.of(this);
        return "own harness (io.waitkit.bench.B7Harness), fresh processes per side in each of " + rounds
                + (rounds == 1 ? " round" : " rounds (order reversed in every second round)") + ": warm-up "
                + millis((int) p.warmupMillis()) + ", then " + p.samples() + " sample(s) of at least "
                + millis((int) p.sampleMillis()) + " per process pair; median of all " + rounds * p.samples()
                + " samples (ns per round trip), error bar = min-max; JVM flags (both processes of every Java side): "
                + String.join(" ", jvmArgs) + " --enable-native-access=ALL-UNNAMED; C peer: gcc -O2";
    }

    /**
     * How B8 was run, for its rows.
     *
     * @param capacity the capacity all sides used, and how it was chosen
     */
    String describeB8(B8Harness.Capacity capacity) {
        B8Harness.Plan p = B8Harness.Plan.of(this, capacity.messages());
        return "own harness (io.waitkit.bench.B8Harness), fresh processes per side in each of " + rounds
                + (rounds == 1 ? " round" : " rounds (order reversed in every second round)") + ": "
                + B8Harness.MESSAGE_SIZE + "-byte messages, capacity " + capacity.why() + " on every side; per "
                + "process pair " + String.format(java.util.Locale.ROOT, "%,d", p.warmupMessages()) + " warm-up messages, "
                + "then " + p.samples() + " sample(s) of " + String.format(java.util.Locale.ROOT, "%,d", p.sampleMessages())
                + " messages, each message's sequence number checked by the consumer; median of all "
                + rounds * p.samples() + " samples (messages per us at the consumer), error bar = min-max; JVM flags "
                + "(both processes of every Java side): " + String.join(" ", jvmArgs)
                + " " + String.join(" ", B8Harness.JAVA_FLAGS) + "; POSIX peer: gcc -O2 -lrt";
    }

    private static String millis(int ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** The same settings with another number of rounds. */
    Settings withRounds(int r) {
        return new Settings(mode, r, warmupIterations, warmupMillis, measurementIterations, measurementMillis, b6Jvms,
                b6Warmups, b6Runs, b6Threads, b8WarmupMessages, b8SampleMessages, jvmArgs);
    }

    /** The same settings under another mode name (b9 runs report settings). */
    Settings withMode(String m) {
        return new Settings(m, rounds, warmupIterations, warmupMillis, measurementIterations, measurementMillis, b6Jvms,
                b6Warmups, b6Runs, b6Threads, b8WarmupMessages, b8SampleMessages, jvmArgs);
    }
}
