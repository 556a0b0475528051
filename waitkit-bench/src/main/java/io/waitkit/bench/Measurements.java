package io.waitkit.bench;

import io.waitkit.bench.Suite.Bench;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Takes the measurements: runs JMH programmatically, one configuration at a time (so the
 * runner controls the order), the B6 harness in child JVMs, the B7 and B8 processes and the B11 ensemble
 * runs; collects every
 * sample.
 */
final class Measurements {
    /** The samples of one measurement: one value per measured iteration (or B6 run). */
    static final class Samples {
        final List<Double> values = new ArrayList<>();
        final List<Double> allocs = new ArrayList<>();
    }

    private final Settings settings;
    private final Path logs;
    private final Map<String, Samples> samples = new LinkedHashMap<>();

    Measurements(Settings settings, Path logs) {
        this.settings = settings;
        this.logs = logs;
    }

    Map<String, Samples> samples() {
        return samples;
    }

    /**
     * Runs one JMH configuration once (one fork) and adds its iterations to the samples.
     *
     * @param b the configuration
     * @param round the round number, for the log file name
     * @return the median of this run's samples, for progress output
     * @throws RunnerException if JMH or the benchmark failed
     */
    double runJmh(Bench b, int round) throws RunnerException, IOException {
        Files.createDirectories(logs);
        Path log = logs.resolve(b.key() + ".round" + round + ".log");
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + Pattern.quote(b.benchmark()) + "$")
                .forks(1)
                .warmupForks(0)
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.measurementMillis()))
                .jvmArgs(settings.jvmArgs().toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .timeout(TimeValue.seconds(60))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL)
                .output(log.toString());
        b.params().forEach(o::param);
        if (b.threads() > 0) {
            o.threads(b.threads());
        }
        Collection<RunResult> results;
        try {
            results = new Runner(o.build()).run();
        } catch (RunnerException | RuntimeException e) {
            System.err.println("---- " + b.key() + " failed; the end of its JMH log (" + log + "):");
            System.err.println(tail(log, 60));
            throw e;
        }
        if (results.size() != 1) {
            throw new IllegalStateException(b.key() + ": expected one JMH result, got " + results.size()
                    + " (does the benchmark " + b.benchmark() + " exist?)");
        }
        RunResult r = results.iterator().next();
        BenchmarkParams p = r.getParams();
        if (!p.getBenchmark().equals(b.benchmark())) {
            throw new IllegalStateException(b.key() + ": JMH ran " + p.getBenchmark());
        }
        Samples s = samples.computeIfAbsent(b.key(), k -> new Samples());
        List<Double> mine = new ArrayList<>();
        for (BenchmarkResult br : r.getBenchmarkResults()) {
            for (IterationResult ir : br.getIterationResults()) {
                Result<?> res = b.metric() == null ? ir.getPrimaryResult() : ir.getSecondaryResults().get(b.metric());
                if (res == null) {
                    throw new IllegalStateException(b.key() + ": no result '" + b.metric() + "' in "
                            + ir.getSecondaryResults().keySet());
                }
                if (!res.getScoreUnit().equals(b.unit())) {
                    throw new IllegalStateException(b.key() + ": unit " + res.getScoreUnit() + ", expected " + b.unit());
                }
                mine.add(res.getScore());
                Result<?> alloc = ir.getSecondaryResults().get("gc.alloc.rate.norm");
                if (alloc != null) {
                    s.allocs.add(alloc.getScore());
                }
            }
        }
        if (mine.size() != settings.measurementIterations()) {
            throw new IllegalStateException(b.key() + ": " + mine.size() + " measurement iterations, expected "
                    + settings.measurementIterations());
        }
        s.values.addAll(mine);
        return Stats.of(mine).median();
    }

    /**
     * Runs the B6 harness for one gate in a fresh JVM and adds its runs to the samples.
     *
     * @param gate {@code event} or {@code latch}
     * @param jvm the JVM number, for the log file name
     * @return the median wake time of this JVM's runs, for progress output
     */
    double runB6(String gate, int jvm) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve("B6." + gate + ".jvm" + jvm + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(settings.jvmArgs());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(B6ManyWaiters.class.getName());
        cmd.add(gate);
        cmd.add(Integer.toString(settings.b6Threads()));
        cmd.add(Integer.toString(settings.b6Warmups()));
        cmd.add(Integer.toString(settings.b6Runs()));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Map<?, ?>> runs = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                out.append(line).append('\n');
                if (line.startsWith("B6-RESULT ")) {
                    runs.add((Map<?, ?>) Json.parse(line.substring("B6-RESULT ".length())));
                }
            }
        }
        boolean ended = proc.waitFor(300, TimeUnit.SECONDS);
        Files.writeString(log, String.join(" ", cmd) + "\n" + out);
        if (!ended) {
            proc.destroyForcibly();
            throw new IllegalStateException("B6 " + gate + " did not end within 300 s; see " + log);
        }
        if (proc.exitValue() != 0 || runs.size() != settings.b6Runs()) {
            throw new IllegalStateException("B6 " + gate + " failed (exit " + proc.exitValue() + ", " + runs.size()
                    + " results):\n" + out);
        }
        List<Double> wake = new ArrayList<>();
        for (Map<?, ?> run : runs) {
            for (String metric : Suite.B6_METRICS.keySet()) {
                samples.computeIfAbsent(Suite.b6Key(gate, metric), k -> new Samples()).values.add(Stats.num(run, metric));
            }
            wake.add(Stats.num(run, "wake_ms"));
        }
        return Stats.of(wake).median();
    }

    /**
     * Runs one side of B7 once, in fresh processes, and adds its samples.
     *
     * @param side the side
     * @param round the round number, for the log file name
     * @param cProgram the compiled C peer, for the C sides
     * @return the median of this run's samples (ns per round trip), for progress output
     */
    double runB7(B7Harness.Side side, int round, Path cProgram) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve(side.key() + ".round" + round + ".log");
        StringBuilder out = new StringBuilder();
        B7Harness.Result r;
        try {
            r = B7Harness.run(side, B7Harness.Plan.of(settings), cProgram, out);
        } finally {
            Files.writeString(log, out);
        }
        samples.computeIfAbsent(side.key(), k -> new Samples()).values.addAll(r.samplesNs());
        return Stats.of(r.samplesNs()).median();
    }

    /**
     * Runs one side of B8 once, in fresh processes, and adds its samples.
     *
     * @param side the side
     * @param round the round number, for the log file name
     * @param capacity the queue capacity of every side
     * @param cProgram the compiled POSIX peer, for that side
     * @return the median of this run's samples (messages per us), for progress output
     */
    double runB8(B8Harness.Side side, int round, int capacity, Path cProgram) throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve(side.key() + ".round" + round + ".log");
        StringBuilder out = new StringBuilder();
        B8Harness.Result r;
        try {
            r = B8Harness.run(side, B8Harness.Plan.of(settings, capacity), cProgram, out);
        } finally {
            Files.writeString(log, out);
        }
        samples.computeIfAbsent(side.key(), k -> new Samples()).values.addAll(r.samplesPerUs());
        return Stats.of(r.samplesPerUs()).median();
    }

    /**
     * Runs the B11 sides once, in this order, in one fresh JVM against one fresh ensemble, and
     * adds their samples.
     *
     * @param order the sides
     * @param round the round number, for the log file name
     * @return the results of this run, per side (for progress output and the request counts)
     */
    Map<B11Harness.Side, B11Harness.Result> runB11(List<B11Harness.Side> order, int round)
            throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Path log = logs.resolve("B11.round" + round + ".log");
        StringBuilder out = new StringBuilder();
        Map<B11Harness.Side, B11Harness.Result> r;
        try {
            r = B11Harness.run(order, B11Harness.Plan.of(settings), out);
        } finally {
            synchronized (out) {
                Files.writeString(log, out);
            }
        }
        r.forEach((side, result) -> samples.computeIfAbsent(side.key(), k -> new Samples()).values
                .addAll(result.samplesMs()));
        return r;
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
