package io.waitkit.bench;

import io.waitkit.bench.Measurements.Samples;
import io.waitkit.bench.Suite.Bench;
import io.waitkit.bench.Suite.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark runner and report generator: the main class of {@code waitkit-bench.jar}.
 *
 * <pre>
 * java -jar waitkit-bench.jar report [--out DIR] [--markdown FILE] [--only B1,B3] [--rounds N]
 * java -jar waitkit-bench.jar smoke  [--out DIR] [--markdown FILE] [--only B1,B3]
 * java -jar waitkit-bench.jar b9     [--out FILE] [--threads 1,2,4,8,16] [--smoke]
 * java -jar waitkit-bench.jar render [--results DIR] [--markdown FILE]
 * java -jar waitkit-bench.jar list
 * </pre>
 *
 * <p>{@code report} and {@code smoke} run the measurements of BENCHMARKS.md (JMH benchmarks one
 * configuration at a time, B6 in child JVMs, B7 and B8 in pairs of child processes, B10 as runs of the
 * {@code waitkit} command, B11 in a child JVM per round with an in-JVM ZooKeeper ensemble), pair every waitkit
 * measurement with its peer from the same run, write the rows to {@code DIR/latest.json}, then
 * render the markdown and the B9 plot <i>from the JSON files in DIR</i> (so the markdown cannot
 * disagree with them). {@code b9} runs
 * only B9, for a machine with many cores, and writes its rows to one JSON file that {@code render}
 * merges when it is put beside {@code latest.json}. Exit status: 0 done, 1 a benchmark or check
 * failed, 2 usage error, 3 the run overran its time limit.
 */
public final class Report {
    /** B10's measured runs per side and round in report mode. */
    static final int B10_RUNS = 20;

    private Report() {
    }

    /**
     * Runs a command.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (UsageException e) {
            System.err.println("waitkit-bench: " + e.getMessage());
            System.err.println(USAGE);
            status = 2;
        } catch (Exception e) {
            System.err.println("waitkit-bench: FAILED: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static final String USAGE = """
            usage: java -jar waitkit-bench.jar COMMAND [OPTIONS]
              report [--out DIR] [--markdown FILE] [--only IDS] [--rounds N]
                  the suite in report mode; writes DIR/latest.json (default results), then renders
              smoke [--out DIR] [--markdown FILE] [--only IDS]
                  every benchmark once, briefly (default DIR target/bench-smoke)
              b9 [--out FILE] [--threads 1,2,4,8,16] [--smoke]
                  B9 alone in report mode (default FILE b9-<cores>c-<host>.json)
              render [--results DIR] [--markdown FILE]
                  renders FILE (default BENCHMARKS.md) and DIR/b9.svg from DIR/*.json
              list
                  prints the comparisons and the measurements they need
            IDS: all, or a comma-separated list such as B1,B3,B11 (B9 selects B9a, B9b, B9c and B9s)""";

    /** A usage error: exit status 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static int run(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help") || argv[0].equals("help")) {
            System.out.println(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        String command = argv[0];
        Map<String, String> opts = options(Arrays.copyOfRange(argv, 1, argv.length));
        switch (command) {
            case "report", "smoke" -> {
                boolean smoke = command.equals("smoke");
                allowed(opts, "out", "markdown", "only", "rounds");
                Settings settings = smoke ? Settings.SMOKE : Settings.REPORT;
                if (opts.containsKey("rounds")) {
                    settings = settings.withRounds(positive(opts, "rounds"));
                }
                Path out = Path.of(opts.getOrDefault("out", smoke ? "target/bench-smoke" : "results"));
                Path markdown = Path.of(opts.getOrDefault("markdown", smoke ? out.resolve("BENCHMARKS.md").toString() : "BENCHMARKS.md"));
                List<Comparison> comparisons = select(Suite.comparisons(Suite.B9_THREADS), opts.getOrDefault("only", "all"));
                // the limits only catch a hung benchmark: generous, since a shared machine may be slow
                List<Row> rows = measure(settings, comparisons, Suite.B9_THREADS, Duration.ofMinutes(smoke ? 12 : 40));
                Files.createDirectories(out);
                Path json = out.resolve("latest.json");
                Files.writeString(json, Json.write(Row.toJson(rows)));
                System.out.println("wrote " + json);
                Render.render(out, markdown);
                System.out.println("wrote " + markdown + " and " + out.resolve(Render.PLOT));
                summary(rows);
                return 0;
            }
            case "b9" -> {
                allowed(opts, "out", "threads", "smoke");
                List<Integer> threads = threads(opts.getOrDefault("threads", "1,2,4,8,16"));
                Settings settings = (opts.containsKey("smoke") ? Settings.SMOKE : Settings.REPORT).withMode("b9");
                Path out = Path.of(opts.getOrDefault("out", "b9-" + Machine.fileTag() + ".json"));
                List<Comparison> comparisons = select(Suite.comparisons(threads), "B9");
                List<Row> rows = measure(settings, comparisons, threads, Duration.ofMinutes(90));
                if (out.getParent() != null) {
                    Files.createDirectories(out.getParent());
                }
                Files.writeString(out, Json.write(Row.toJson(rows)));
                System.out.println("wrote " + out + ": put it into waitkit-bench/results/ and run"
                        + " 'waitkit-bench/run.sh render' to merge it into BENCHMARKS.md");
                summary(rows);
                return 0;
            }
            case "render" -> {
                allowed(opts, "results", "markdown");
                Path results = Path.of(opts.getOrDefault("results", "results"));
                Path markdown = Path.of(opts.getOrDefault("markdown", "BENCHMARKS.md"));
                Render.render(results, markdown);
                System.out.println("wrote " + markdown + " and " + results.resolve(Render.PLOT));
                return 0;
            }
            case "list" -> {
                allowed(opts);
                for (Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
                    System.out.printf(Locale.ROOT, "%-3s %-44s %s  vs  %s%n", c.id(), c.param(), c.subjectKey(), c.peerKey());
                }
                return 0;
            }
            default -> throw new UsageException("unknown command: " + command);
        }
    }

    /** Runs every measurement the comparisons need and turns them into rows. */
    static List<Row> measure(Settings settings, List<Comparison> comparisons, List<Integer> b9Threads, Duration limit)
            throws Exception {
        Set<String> keys = new HashSet<>();
        for (Comparison c : comparisons) {
            keys.add(c.subjectKey());
            keys.add(c.peerKey());
        }
        List<Bench> benches = new ArrayList<>();
        Map<String, String> units = new HashMap<>();
        for (Bench b : Suite.benches(b9Threads)) {
            if (keys.contains(b.key())) {
                benches.add(b);
                units.put(b.key(), b.unit());
            }
        }
        boolean b6 = keys.stream().anyMatch(k -> k.startsWith("B6."));
        List<B7Harness.Side> b7 = new ArrayList<>();
        for (B7Harness.Side side : B7Harness.Side.values()) {
            if (keys.contains(side.key())) {
                b7.add(side);
            }
        }
        // measurements that cannot be taken on this machine (the C peers of B7 and B8 without a compiler,
        // B8's without POSIX message queues):
        // their rows are left out, said so on the console, and the run goes on
        Map<String, String> skipped = new java.util.LinkedHashMap<>();
        Path cProgram = null;
        if (b7.stream().anyMatch(B7Harness.Side::isC)) {
            String why = B7Harness.cUnavailable();
            if (why != null) {
                for (B7Harness.Side side : List.copyOf(b7)) {
                    if (side.isC()) {
                        skipped.put(side.key(), why);
                        b7.remove(side);
                    }
                }
                System.out.println("B7: SKIPPED the rows against the C futex peer: " + why);
            } else {
                cProgram = B7Harness.compileC(B7Harness.buildDirectory());
                System.out.println("B7: compiled the C peer: " + cProgram);
            }
        }
        List<B8Harness.Side> b8 = new ArrayList<>();
        for (B8Harness.Side side : B8Harness.Side.values()) {
            if (keys.contains(side.key())) {
                b8.add(side);
            }
        }
        B8Harness.Capacity b8Capacity = B8Harness.capacity();
        Path mqProgram = null;
        if (b8.contains(B8Harness.Side.POSIX)) {
            String why = B8Harness.cUnavailable();
            if (why == null) {
                mqProgram = B8Harness.compileC(CPeer.buildDirectory());
                System.out.println("B8: compiled the POSIX peer: " + mqProgram);
                why = B8Harness.probe(mqProgram, b8Capacity.messages());
            }
            if (why != null) {
                skipped.put(B8Harness.Side.POSIX.key(), why);
                b8.remove(B8Harness.Side.POSIX);
                System.out.println("B8: SKIPPED the row against the POSIX message queue peer: " + why);
            }
        }
        if (!b8.isEmpty()) {
            System.out.println("B8: capacity " + b8Capacity.why());
        }
        List<B10Harness.Side> b10 = new ArrayList<>();
        for (B10Harness.Side side : B10Harness.Side.values()) {
            if (keys.contains(side.key())) {
                b10.add(side);
            }
        }
        B10Harness.Setup b10Setup = null;
        if (!b10.isEmpty()) {
            String why = B10Harness.unavailable();
            if (why != null) {
                for (B10Harness.Side side : b10) {
                    skipped.put(side.key(), why);
                }
                b10.clear();
                System.out.println("B10: SKIPPED: " + why);
            } else {
                b10Setup = B10Harness.setup();
            }
        }
        List<B11Harness.Side> b11 = new ArrayList<>();
        for (B11Harness.Side side : B11Harness.sides()) {
            if (keys.contains(side.key())) {
                b11.add(side);
            }
        }
        int b10Runs = settings.mode().equals("smoke") ? 3 : B10_RUNS;
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Machine machine = Machine.current();
        double loadBefore = load();
        Watchdog.start(limit);
        System.out.printf(Locale.ROOT, "waitkit-bench %s: %d JMH configurations × %d round(s)%s%s%s on %s; JVM flags %s;"
                + " load average %.1f%n", settings.mode(), benches.size(), settings.rounds(), b6 ? " + B6" : "",
                b7.isEmpty() ? "" : " + B7 (" + b7.size() + " sides × " + settings.rounds() + " round(s))",
                b8.isEmpty() ? "" : " + B8 (" + b8.size() + " sides × " + settings.rounds() + " round(s))",
                machine.label(), String.join(" ", settings.jvmArgs()), loadBefore);

        Measurements m = new Measurements(settings, logDirectory());
        int total = benches.size() * settings.rounds();
        int done = 0;
        for (int round = 1; round <= settings.rounds(); round++) {
            List<Bench> order = new ArrayList<>(benches);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (Bench b : order) {
                double median = m.runJmh(b, round);
                done++;
                System.out.printf(Locale.ROOT, "[%3d/%d %s] %-34s %12s %s%n", done, total, elapsed(start), b.key(),
                        Format.sig(median), b.unit());
            }
        }
        if (b6) {
            for (int jvm = 1; jvm <= settings.b6Jvms(); jvm++) {
                for (String gate : jvm % 2 == 1 ? List.of("event", "latch") : List.of("latch", "event")) {
                    double wake = m.runB6(gate, jvm);
                    System.out.printf(Locale.ROOT, "[B6 %s] %-5s JVM %d: wake %s ms (median)%n", elapsed(start), gate, jvm,
                            Format.sig(wake));
                }
            }
            Suite.B6_METRICS.forEach((metric, unit) -> {
                units.put(Suite.b6Key("event", metric), unit);
                units.put(Suite.b6Key("latch", metric), unit);
            });
        }
        for (int round = 1; round <= settings.rounds() && !b7.isEmpty(); round++) {
            List<B7Harness.Side> order = new ArrayList<>(b7);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (B7Harness.Side side : order) {
                double median = m.runB7(side, round, cProgram);
                System.out.printf(Locale.ROOT, "[B7 %s] %-14s round %d: %s ns per round trip (median)%n", elapsed(start),
                        side.id, round, Format.sig(median));
            }
        }
        for (B7Harness.Side side : b7) {
            units.put(side.key(), "ns");
        }
        for (int round = 1; round <= settings.rounds() && !b8.isEmpty(); round++) {
            List<B8Harness.Side> order = new ArrayList<>(b8);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (B8Harness.Side side : order) {
                double median = m.runB8(side, round, b8Capacity.messages(), mqProgram);
                System.out.printf(Locale.ROOT, "[B8 %s] %-14s round %d: %s messages/us (median)%n", elapsed(start),
                        side.id, round, Format.sig(median));
            }
        }
        for (B8Harness.Side side : b8) {
            units.put(side.key(), "msgs/us");
        }
        for (int round = 1; round <= settings.rounds() && !b10.isEmpty(); round++) {
            List<B10Harness.Side> order = new ArrayList<>(b10);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            StringBuilder log = new StringBuilder();
            Map<B10Harness.Side, List<Double>> got = B10Harness.round(b10Setup, order, b10Runs, log);
            for (B10Harness.Side side : b10) {
                List<Double> v = got.get(side);
                m.samples().computeIfAbsent(side.key(), k -> new Samples()).values.addAll(v);
                System.out.printf(Locale.ROOT, "[B10 %s] %-14s round %d: %s ms (median of %d)%n", elapsed(start),
                        side.id, round, Format.sig(Stats.of(v).median()), v.size());
            }
        }
        for (B10Harness.Side side : b10) {
            units.put(side.key(), "ms");
        }
        Map<B11Harness.Side, List<Double>> b11Requests = new java.util.LinkedHashMap<>();
        for (int round = 1; round <= settings.rounds() && !b11.isEmpty(); round++) {
            List<B11Harness.Side> order = new ArrayList<>(b11);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            Map<B11Harness.Side, B11Harness.Result> got = m.runB11(order, round);
            for (B11Harness.Side side : order) {
                B11Harness.Result r = got.get(side);
                b11Requests.computeIfAbsent(side, k -> new ArrayList<>()).add(r.requestsPerOp());
                System.out.printf(Locale.ROOT, "[B11 %s] %-24s round %d: %s ms per operation (median), %.2f requests "
                        + "per operation%n", elapsed(start), side.key(), round, Format.sig(Stats.of(r.samplesMs()).median()),
                        r.requestsPerOp());
            }
        }
        for (B11Harness.Side side : b11) {
            units.put(side.key(), "ms/op");
        }
        Map<B11Harness.Side, Double> b11PerOp = new java.util.LinkedHashMap<>();
        b11Requests.forEach((side, v) -> b11PerOp.put(side, Stats.of(v).median()));
        Watchdog.stop();
        String load = String.format(Locale.ROOT, "; system load average (1 min) %.1f at the start, %.1f at the end",
                loadBefore, load());

        List<Row> rows = new ArrayList<>();
        for (Comparison c : comparisons) {
            String why = skipped.getOrDefault(c.subjectKey(), skipped.get(c.peerKey()));
            if (why != null) {
                System.out.println("SKIPPED " + c.id() + " " + c.param() + " (vs " + c.peer() + "): " + why);
                continue;
            }
            Samples s = m.samples().get(c.subjectKey());
            Samples p = m.samples().get(c.peerKey());
            if (s == null || p == null || s.values.isEmpty() || p.values.isEmpty()) {
                throw new IllegalStateException("no samples for " + c.id() + " " + c.param());
            }
            Row.Alloc alloc = s.allocs.isEmpty() || p.allocs.isEmpty() ? null
                    : new Row.Alloc(Stats.of(s.allocs).median(), Stats.of(p.allocs).median(), c.zeroAlloc());
            String how = (switch (c.id()) {
                case "B6" -> settings.describeB6();
                case "B7" -> settings.describeB7();
                case "B8" -> settings.describeB8(b8Capacity);
                case "B10" -> B10Harness.describe(settings.rounds(), b10Runs, b10Setup);
                case "B11" -> B11Harness.describe(B11Harness.Plan.of(settings), settings.rounds(), b11PerOp);
                case "B9c" -> settings.describeJmh() + "; " + Suite.B9C_THREADS + " virtual threads on both sides, "
                        + "counted by one JMH thread every " + B9Virtual.TICK_MICROS / 1000 + " ms (io.waitkit.bench.B9Virtual)";
                default -> settings.describeJmh();
            }) + load;
            rows.add(Row.of(c.id(), c.param(), c.what(), c.peer(), c.direction(), c.target(), units.get(c.subjectKey()),
                    Stats.of(s.values), Stats.of(p.values), alloc, machine, how, settings.mode(), start.toString()));
        }
        System.out.println("measured in " + elapsed(start));
        return rows;
    }

    private static void summary(List<Row> rows) {
        int met = 0;
        for (Row r : rows) {
            met += r.meets() ? 1 : 0;
            String peer = r.peer().length() > 28 ? r.peer().substring(0, 27) + "…" : r.peer();
            System.out.printf(Locale.ROOT, "%-3s %-42s vs %-28s %9s  target %s%s  %s%n", r.id(), r.param(), peer,
                    Format.ratio(r.ratio()),
                    r.direction() == Row.Direction.LOWER ? "<= " : ">= ", Format.ratio(r.target()),
                    r.meets() ? "met" : "MISSED");
        }
        System.out.println(met + " of " + rows.size() + " targets met");
    }

    /** Where the JMH logs go: next to the jar when it sits in a build folder, else ./bench-logs. */
    private static Path logDirectory() {
        try {
            Path jar = Path.of(Report.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = jar.getParent();
            if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("target")) {
                return dir.resolve("bench-logs");
            }
        } catch (Exception e) {
            // fall back
        }
        return Path.of("bench-logs");
    }

    /** The 1-minute system load average (other processes disturb the figures), or -1 if unknown. */
    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String elapsed(Instant start) {
        long s = Duration.between(start, Instant.now()).toSeconds();
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /**
     * The comparisons of the ids named in {@code only} (case does not matter): {@code all}, or ids
     * separated by commas, where an id that names a group (B9) also selects its members (B9a,
     * B9b, B9c, B9s).
     */
    static List<Comparison> select(List<Comparison> all, String only) throws UsageException {
        if (only.equals("all")) {
            return all;
        }
        Set<String> ids = new HashSet<>(Arrays.asList(only.toUpperCase(Locale.ROOT).split(",")));
        List<Comparison> l = new ArrayList<>();
        Set<String> known = new java.util.TreeSet<>();
        Set<String> used = new HashSet<>();
        for (Comparison c : all) {
            known.add(c.id());
            String id = c.id().toUpperCase(Locale.ROOT);
            String group = id.replaceFirst("(?<=\\d)[A-Z]$", "");
            if (ids.contains(id) || ids.contains(group)) {
                l.add(c);
                used.add(id);
                used.add(group);
            }
        }
        for (String id : ids) {
            if (!used.contains(id)) {
                throw new UsageException("unknown benchmark id '" + id + "' (known: " + known + ")");
            }
        }
        return l;
    }

    private static List<Integer> threads(String list) throws UsageException {
        List<Integer> l = new ArrayList<>();
        for (String s : list.split(",")) {
            try {
                int t = Integer.parseInt(s.trim());
                if (t < 1) {
                    throw new NumberFormatException();
                }
                l.add(t);
            } catch (NumberFormatException e) {
                throw new UsageException("--threads wants positive numbers separated by commas: " + list);
            }
        }
        return l;
    }

    private static Map<String, String> options(String[] args) throws UsageException {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument: " + a);
            }
            String key = a.substring(2);
            if (key.equals("smoke")) {
                m.put(key, "true");
            } else if (i + 1 < args.length) {
                m.put(key, args[++i]);
            } else {
                throw new UsageException("option " + a + " needs a value");
            }
        }
        return m;
    }

    private static void allowed(Map<String, String> opts, String... names) throws UsageException {
        Set<String> ok = Set.of(names);
        for (String k : opts.keySet()) {
            if (!ok.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
    }

    private static int positive(Map<String, String> opts, String key) throws UsageException {
        try {
            int v = Integer.parseInt(opts.get(key));
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " wants a positive number: " + opts.get(key));
        }
    }

    /** Ends a run that overran its limit (a hung benchmark), with a thread dump and status 3. */
    static final class Watchdog {
        private static Thread thread;

        static synchronized void start(Duration limit) {
            thread = Thread.ofPlatform().daemon().name("waitkit-bench-watchdog").start(() -> {
                try {
                    Thread.sleep(limit);
                } catch (InterruptedException e) {
                    return;
                }
                System.err.println("waitkit-bench: the run overran its limit of " + limit.toMinutes()
                        + " min; a benchmark probably hangs. Threads of the runner:");
                Thread.getAllStackTraces().forEach((t, st) -> {
                    System.err.println(t);
                    for (StackTraceElement e : st) {
                        System.err.println("    at " + e);
                    }
                });
                ProcessHandle.current().children().forEach(ph -> {
                    System.err.println("ending child JVM " + ph.pid());
                    ph.destroyForcibly();
                });
                Runtime.getRuntime().halt(3);
            });
        }

        static synchronized void stop() {
            if (thread != null) {
                thread.interrupt();
                thread = null;
            }
        }
    }
}
