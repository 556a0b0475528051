package io.waitkit.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders {@code BENCHMARKS.md} and the B9 plot from the result files of one directory, and
 * from nothing else: {@code latest.json} (the whole suite) first, then every other
 * {@code *.json} file in name order (B9 runs from other machines, written by
 * {@code waitkit-bench.jar b9}). Rendering is deterministic, so a test can check that the
 * committed markdown is exactly what the committed JSON renders to.
 */
final class Render {
    /** The plot's file name, in the results directory. */
    static final String PLOT = "b9.svg";
    /** The hand-written analysis of the targets missed, in the results directory. */
    static final String NOTES = "misses.md";
    /** The suite's file name, in the results directory. */
    static final String LATEST = "latest.json";

    private Render() {
    }

    /** The rows of one result file. */
    record Source(String name, List<Row> rows) {
    }

    /** Reads the result files of a directory, {@code latest.json} first. */
    static List<Source> read(Path dir) throws IOException {
        List<Source> sources = new ArrayList<>();
        Path latest = dir.resolve(LATEST);
        if (Files.exists(latest)) {
            sources.add(new Source(LATEST, Row.fromJsonList(Json.parse(Files.readString(latest)))));
        }
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().equals(LATEST)) {
                    others.add(p);
                }
            }
        }
        others.sort(null);
        for (Path p : others) {
            try {
                sources.add(new Source(p.getFileName().toString(), Row.fromJsonList(Json.parse(Files.readString(p)))));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(p + ": " + e.getMessage(), e);
            }
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no result files (*.json) in " + dir);
        }
        return sources;
    }

    /**
     * Writes the markdown and the plot.
     *
     * @param results the results directory
     * @param markdown the markdown file
     */
    static void render(Path results, Path markdown) throws IOException {
        Rendered r = rendered(results, markdown);
        Files.writeString(results.resolve(PLOT), r.svg());
        Files.writeString(markdown, r.markdown());
    }

    /** The two rendered files' contents. */
    record Rendered(String markdown, String svg) {
    }

    /**
     * Renders without writing: what {@link #render} would write.
     *
     * @param results the results directory
     * @param markdown where the markdown goes (links are relative to it)
     * @return the markdown and the plot
     */
    static Rendered rendered(Path results, Path markdown) throws IOException {
        List<Source> sources = read(results);
        Path base = markdown.toAbsolutePath().normalize().getParent();
        Path dir = results.toAbsolutePath().normalize();
        String resultsLink = base.relativize(dir).toString().replace('\\', '/');
        String link = base.relativize(dir.resolve(PLOT)).toString().replace('\\', '/');
        Path notes = results.resolve(NOTES);
        String analysis = Files.exists(notes) ? Files.readString(notes) : "";
        return new Rendered(markdown(sources, resultsLink.isEmpty() ? "." : resultsLink, link, analysis),
                SvgPlot.b9(allRows(sources)));
    }

    static List<Row> allRows(List<Source> sources) {
        List<Row> all = new ArrayList<>();
        for (Source s : sources) {
            all.addAll(s.rows());
        }
        return all;
    }

    /**
     * The markdown text.
     *
     * @param sources the result files
     * @param resultsDir the results directory as the markdown should name it
     * @param plot the plot's path relative to the markdown
     * @return the markdown
     */
    static String markdown(List<Source> sources, String resultsDir, String plot) {
        return markdown(sources, resultsDir, plot, "");
    }

    /**
     * The markdown text, with the hand-written analysis of the misses (the file {@link #NOTES}
     * in the results directory) after the summary.
     *
     * @param sources the result files
     * @param resultsDir the results directory as the markdown should name it
     * @param plot the plot's path relative to the markdown
     * @param analysis the analysis text, or empty
     * @return the markdown
     */
    static String markdown(List<Source> sources, String resultsDir, String plot, String analysis) {
        List<Row> rows = allRows(sources);
        StringBuilder md = new StringBuilder();
        md.append("# Waitkit benchmarks\n\n");
        md.append("<!-- Generated by `waitkit-bench/run.sh render` (io.waitkit.bench.Render) from ")
                .append(resultsDir).append("/*.json. Do not edit: change the generator or re-run the suite. -->\n\n");
        md.append("Waitkit's performance targets, measured by `waitkit-bench`. Every figure is a ratio of waitkit ")
                .append("against a peer measured **in the same run, on the same machine, with the same JVM flags**. ")
                .append("This file and the plot are rendered only from the result files in `").append(resultsDir)
                .append("/` (")
                .append(String.join(", ", sources.stream().map(s -> "`" + s.name() + "`").toList()))
                .append("), so they always agree with them.\n\n");

        howToRun(md);

        long met = rows.stream().filter(Row::meets).count();
        md.append("## Summary\n\n");
        md.append(met).append(" of ").append(rows.size()).append(" targets met. Ratios are waitkit / peer of the medians ")
                .append("(in brackets: the range the min-max error bars allow); for times lower is better, for ")
                .append("throughput higher is better.\n\n");
        md.append("| id | parameter | peer | ratio (range) | target | met | machine |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.id()).append(" | ").append(cell(r.param())).append(" | ").append(cell(r.peer()))
                    .append(" | ").append(ratio(r)).append(" | ").append(target(r)).append(" | ").append(met(r))
                    .append(" | ").append(r.machine().cores()).append(" cores |\n");
        }
        md.append('\n');
        pending(md, sources);
        if (!analysis.isBlank()) {
            md.append(analysis.strip()).append("\n\n");
        }

        md.append("## Results\n\n");
        Set<String> ids = new LinkedHashSet<>();
        rows.forEach(r -> ids.add(r.id()));
        String plotAfter = null; // the plot follows the last group it draws
        for (Row r : rows) {
            if (SvgPlot.plotted(r)) {
                plotAfter = r.id();
            }
        }
        for (String id : ids) {
            List<Row> group = rows.stream().filter(r -> r.id().equals(id)).toList();
            md.append("### ").append(id).append("\n\n");
            Set<String> whats = new LinkedHashSet<>();
            group.forEach(r -> whats.add(r.what()));
            for (String w : whats) {
                md.append("- waitkit: ").append(w).append('\n');
            }
            md.append('\n');
            boolean alloc = group.stream().anyMatch(r -> r.alloc() != null);
            md.append("| parameter | waitkit: median (min-max) | peer | peer: median (min-max) | ratio (range) | target | met |");
            md.append(alloc ? " B/op waitkit / peer |" : "").append(" machine |\n");
            md.append("|---|---|---|---|---|---|---|").append(alloc ? "---|" : "").append("---|\n");
            for (Row r : group) {
                md.append("| ").append(cell(r.param())).append(" | ").append(stats(r.waitkit(), r.unit())).append(" | ")
                        .append(cell(r.peer())).append(" | ").append(stats(r.peerResult(), r.unit())).append(" | ")
                        .append(ratio(r)).append(" | ").append(target(r)).append(" | ").append(met(r)).append(" |");
                if (alloc) {
                    md.append(' ').append(r.alloc() == null ? "-"
                            : Format.sig(r.alloc().waitkit()) + " / " + Format.sig(r.alloc().peer())).append(" |");
                }
                md.append(' ').append(cell(r.machine().label())).append(" |\n");
            }
            md.append('\n');
            if (id.equals(plotAfter)) {
                b9(md, rows, plot);
            }
        }

        method(md, rows);
        machines(md, sources);
        return md.toString();
    }

    /**
     * Names the comparisons of the suite that {@code latest.json} has no row for (a suite that
     * gained comparisons since the last report run): the report is then partial, and says so.
     */
    private static void pending(StringBuilder md, List<Source> sources) {
        Set<String> have = new java.util.HashSet<>();
        sources.stream().filter(s -> s.name().equals(LATEST)).flatMap(s -> s.rows().stream())
                .forEach(r -> have.add(key(r.id(), r.param(), r.peer())));
        List<Suite.Comparison> missing = Suite.comparisons(Suite.B9_THREADS).stream()
                .filter(c -> !have.contains(key(c.id(), c.param(), c.peer()))).toList();
        if (missing.isEmpty()) {
            return;
        }
        md.append("**Not measured yet:** ").append(missing.size()).append(" comparison")
                .append(missing.size() == 1 ? "" : "s").append(" of the suite ").append(missing.size() == 1 ? "has" : "have")
                .append(" no row in `").append(LATEST).append("` (a run of part of the suite, or comparisons added since the last report run; ")
                .append("`waitkit-bench/run.sh report` measures them):\n\n");
        for (Suite.Comparison c : missing) {
            md.append("- ").append(c.id()).append(c.param().isEmpty() ? "" : ", " + c.param()).append(" vs ")
                    .append(c.peer()).append(" (target ")
                    .append(c.direction() == Row.Direction.LOWER ? "≤ " : "≥ ").append(Format.ratio(c.target()))
                    .append(")\n");
        }
        md.append('\n');
    }

    /** What identifies a row: id, parameter and peer. */
    static String key(String id, String param, String peer) {
        return id + "|" + param + "|" + peer;
    }

    private static void howToRun(StringBuilder md) {
        md.append("## How to run\n\n");
        md.append("From the repository root (the script builds `waitkit-bench/target/waitkit-bench.jar` with the Maven ")
                .append("wrapper and runs it on the JDK that `bin/find-jdk` finds):\n\n");
        md.append("| command | what | time on 2 cores |\n|---|---|---|\n");
        md.append("| `waitkit-bench/run.sh report` | the whole suite in report mode; writes `waitkit-bench/results/latest.json`, ")
                .append("then this file and the plot | about 24 min (B9a, B9b, B9c and B9s about 10 of them; B7 and B8 about 1 min each, B11 about 2) |\n");
        md.append("| `waitkit-bench/run.sh smoke` | every benchmark once, one short iteration, so none can rot; writes to ")
                .append("`waitkit-bench/target/bench-smoke/` (never to `results/`) | about 2.5 min |\n");
        md.append("| `waitkit-bench/run.sh render` | renders this file and the plot again from `waitkit-bench/results/*.json` ")
                .append("| seconds |\n");
        md.append("| `waitkit-bench/run.sh report --only B1,B3` | a subset (ids B1 B2 B3 B4 B5 B6 B7 B8 B9a B9b B9c B9s B10 B11; B9 selects all four B9 ids) | |\n");
        md.append("| `./mvnw verify` | the build's verify phase runs the smoke mode from the packaged jar ")
                .append("(`-Dwaitkit.bench.smoke.skip` or `-DskipTests` skips it, `-Dwaitkit.bench.smoke.only=B1,B3` ")
                .append("narrows it) | about 2.5 min |\n\n");
        md.append("**B9 on a machine without Maven** (any JDK 25 runtime, a jlink'ed one will do, see below): copy ")
                .append("`waitkit-bench/target/waitkit-bench.jar` there and run\n\n");
        md.append("```\n/path/to/runtime/bin/java -jar waitkit-bench.jar b9 --out b9-16c.json [--threads 1,2,4,8,16]\n```\n\n");
        md.append("It runs B9a, B9b, B9c and B9s in report mode, about 10 minutes for the five thread counts and the ")
                .append("virtual threads (about 12 s per configuration and thread count), and writes rows that carry ")
                .append("the machine (cores, CPU model, JDK). Put the file into `waitkit-bench/results/` and run ")
                .append("`waitkit-bench/run.sh render`: its rows join the tables below and the plot. A runtime ")
                .append("made with `jlink --add-modules java.base,java.management,jdk.management,jdk.unsupported ")
                .append("--output runtime` is enough; `waitkit-bench/device/prepare.sh` makes one with the jar and ")
                .append("the scripts for the 16-core machine (DEVELOPERS.md, \"Runs on a many-core machine\").\n\n");
    }

    private static void b9(StringBuilder md, List<Row> rows, String plot) {
        md.append("![B9: contended throughput against threads: waitkit hand-off and barging, fair and non-fair peers](")
                .append(plot).append(")\n\n");
        md.append("The plot draws the B9a rows (waitkit hand-off and the fair peer) and the B9b rows (waitkit barging and ")
                .append("the non-fair peer) as four lines per primitive, and the B9c rows (100 virtual threads) as open ")
                .append("markers in the column at the right.\n\n");
        Set<Integer> cores = new LinkedHashSet<>();
        rows.stream().filter(SvgPlot::plotted).forEach(r -> cores.add(r.machine().cores()));
        if (cores.stream().noneMatch(c -> c >= 16)) {
            md.append("**B9 on many cores: no results yet.** The B9 rows above come from a machine with ")
                    .append(cores.stream().map(String::valueOf).reduce((a, b) -> a + " and " + b).orElse("?"))
                    .append(" cores, where 4 to 16 threads oversubscribe the cores, so they measure hand-off under ")
                    .append("preemption more than parallel contention. The 16-core run is pending (see How to run).\n\n");
        }
    }

    private static void method(StringBuilder md, List<Row> rows) {
        md.append("## Method\n\n");
        md.append("- **Same run, same flags.** Each waitkit measurement and its peer are taken in the same run with the same ")
                .append("JVM flags; JMH configurations run one at a time in a fixed order, reversed in every second round, so ")
                .append("a slow drift of the machine hits both sides. Peers use their default (fastest, non-fair) ")
                .append("configuration, nothing tuned down, except where a row compares like with like: the hand-off rows ")
                .append("of B9a and B9c against the fair `ReentrantLock(true)` and `Semaphore(2, true)`, which follow ")
                .append("waitkit's hand-off rule.\n");
        md.append("- **Statistics.** A sample is one JMH measurement iteration (or one B6 run). The tables give the ")
                .append("median of all samples and, as the error bar, their minimum and maximum; the ratio is of the ")
                .append("medians, its range is the worst and best pairing of the error bars. Allocation (B/op) is JMH's ")
                .append("gc profiler (`gc.alloc.rate.norm`, median); \"0 B/op\" counts as met below ")
                .append(Format.sig(Row.Alloc.ZERO)).append(" B/op.\n");
        md.append("- **Dead code.** Every benchmark returns a value that depends on the operation (JMH sinks it in its ")
                .append("blackhole) or performs a cross-thread hand-off that cannot be removed.\n");
        md.append("- **B4** is measured twice. *Blocking*: `Wait.any` over n auto-reset events, the caller queues on all ")
                .append("n, another thread sets the last, the caller withdraws from the others (one round trip); target: ")
                .append("n=8 and n=64 at most 2× n=1. *Signalled before*: the last of n semaphores gets a permit before ")
                .append("the call, so the call only scans; the peer is what a program without a wait-any writes, the same ")
                .append("release on the last of n `java.util.concurrent.Semaphore`s and a loop of `tryAcquire()` over ")
                .append("them in index order; target: at most 1.0× that loop at n=1, 8 and 64.\n");
        md.append("- **B5:** the waitkit side is `").append(Suite.B5_WAITKIT)
                .append("`. Each thread tries the non-blocking operation first and ")
                .append("then waits with a 10 ms timeout, on every side. The figure is the consumers' rate.\n");
        md.append("- **B6** uses its own harness in fresh JVMs: start 100,000 virtual threads that wait on the gate, ")
                .append("wait until all are parked, full GC and read the live heap (minus the heap before), then open the ")
                .append("gate and join all. *wake* is the time from opening the gate until all are done, *total* adds the ")
                .append("time to start them and get them all parked.\n");
        md.append("- **B7** runs in pairs of processes started for each side and round: two fresh JVMs (same flags, ")
                .append("`--enable-native-access=ALL-UNNAMED`) open the same two auto-reset named events (`ping`, `pong`) ")
                .append("in a fresh namespace directory; one round trip is `ping.set(); pong.await()` in one process ")
                .append("against `ping.await(); pong.set()` in the other, the waiting thread of each process a platform ")
                .append("or a virtual thread; every wait has a timeout. The C peer (`waitkit-bench/src/main/c/")
                .append("b7_futex_pingpong.c`, compiled with the machine's `gcc -O2` when B7 runs; its rows are skipped, ")
                .append("with a message, where there is none) is the same ping-pong between a process and its fork over ")
                .append("two 32-bit words in a shared file mapping: set is a CAS 0→1 and a shared `FUTEX_WAKE` when a ")
                .append("sleeper is counted; wait is ").append(Suite.B7_C_SPINS)
                .append(" CAS 1→0 attempts with a pause between (spin-then-wait) or none (pure wait), then ")
                .append("`FUTEX_WAIT` while the word is 0. The socket peer sends one byte each way between two JVMs over ")
                .append("a Unix-domain socket (blocking `SocketChannel`). A sample is the mean round trip over one ")
                .append("measurement interval (the clock is read every ").append(B7PingPong.BATCH)
                .append(" round trips).\n");
        md.append("- **B8** runs, for each side and round, one producer and one consumer process started afresh, ")
                .append("passing ").append(B8Harness.MESSAGE_SIZE).append("-byte messages through a queue of the same ")
                .append("capacity on every side (the settings below name it: ").append(B8Harness.WANTED_CAPACITY)
                .append(" messages, or fewer where `/proc/sys/fs/mqueue/msg_max` or RLIMIT_MSGQUEUE, read when B8 ")
                .append("runs, allow an unprivileged POSIX queue fewer). Message i carries i in its first 8 bytes ")
                .append("and i's low byte in the others; the consumer checks every message (length, number: nothing ")
                .append("lost, duplicated or out of order, last byte), lets a warm-up pass unmeasured, then reads the ")
                .append("clock after every fixed number of messages: a sample is messages per microsecond at the ")
                .append("consumer, with the same message counts on every side. The waitkit side is a ")
                .append("`NamedMessageQueue` in a fresh namespace directory between two JVMs, blocking `send` and ")
                .append("`receive` on platform threads. The POSIX peer (`waitkit-bench/src/main/c/b8_mq_throughput.c`, ")
                .append("compiled with the machine's `gcc -O2 ... -lrt` when B8 runs; its row is skipped, with a message, ")
                .append("where there is no compiler or a POSIX queue of that shape cannot be made) is a process and its ")
                .append("fork over one queue, blocking `mq_send` and `mq_receive`, priority 0. The Agrona peer is a ")
                .append("`OneToOneRingBuffer` over a file both JVMs map, each side idling with Agrona's ")
                .append("`BackoffIdleStrategy` (defaults) when it can make no progress; since its ring is a power of ")
                .append("two in bytes, the producer holds it to the same capacity by keeping at most that many messages ")
                .append("in flight (it reads a count the consumer publishes after each batch, only when its cached copy ")
                .append("says full). All JVMs of B8 run with the same flags (`--add-exports java.base/jdk.internal.misc=")
                .append("ALL-UNNAMED`, which Agrona 2 needs, included).\n");
        md.append("- **B9a, B9b, B9c, B9s:** all threads loop over acquire, increment a shared counter, release, with ")
                .append("no work outside; the semaphores have 2 permits. Each waitkit mode is compared with the j.u.c. ")
                .append("peer that follows the same rule: B9a the default hand-off `Mutex` and `Semaphore` against ")
                .append("`ReentrantLock(true)` and `Semaphore(2, true)` (target ≥ 1.0×), B9b `Fairness.BARGING` against ")
                .append("the non-fair `ReentrantLock` and `Semaphore(2)` (target ≥ 0.9×), at 1, 2, 4, 8 and 16 platform ")
                .append("threads; B9c both pairs with ").append(Suite.B9C_THREADS).append(" virtual threads (same targets; ")
                .append("each virtual thread yields after its release, so that all of them take turns on the carriers, and ")
                .append("one JMH thread counts the operations of all: `B9Virtual`'s javadoc says why; a virtual thread ")
                .append("is never unmounted while it holds a permit, so with 2 carriers the 2-permit semaphore rows are ")
                .append("hardly contended). B9s ")
                .append("is the `SpinLock` against the non-fair `ReentrantLock` at 1 to ").append(Suite.B9S_MAX_THREADS)
                .append(" threads, with a target this report sets itself, ≥ 0.9× at every count: a spin lock is for ")
                .append("very short critical sections, where it should not lose to the lock it replaces by more than ")
                .append("the noise of these rows. Its javadoc puts more contending threads than cores outside its use ")
                .append("(a waiter spins and yields, it never parks), so B9s stops at ").append(Suite.B9S_MAX_THREADS)
                .append(" threads; on 2 cores its 4-thread row is already oversubscribed and shows what the bounded ")
                .append("back-off and the yields cost there.\n");
        md.append("- **B10** times short commands as a user runs them in a shell loop: one process per run, from start ")
                .append("to exit, output discarded. The waitkit side is the repository's `./waitkit` launcher (a POSIX ")
                .append("sh script: it finds the JDK, checks its JDK AOT cache and starts the JVM with it and with ")
                .append("short-run flags; README.md, \"Start-up\"), running `waitkit event set ").append(B10Harness.EVENT)
                .append("` on an auto-reset named event and `waitkit sem wait ").append(B10Harness.SEM)
                .append(" --timeout 0` on a named semaphore with ").append(String.format(java.util.Locale.ROOT, "%,d",
                        B10Harness.SEM_PERMITS))
                .append(" permits (every wait succeeds, exit 0), in a fresh namespace per round. Its peers, run ")
                .append("interleaved with it on the same JDK: `java -version` (the JVM's floor: the least any Java ")
                .append("command costs) and the same command as plain `java -cp <jars> io.waitkit.cli.WaitkitCli` ")
                .append("(what the launcher saves). The target is at most 1.5× `java -version`.\n");
        md.append("- **B11** compares waitkit-zk's `ZkMutex` and `ZkSemaphore` with Apache Curator's ")
                .append("`InterProcessMutex` and `InterProcessSemaphoreV2` (the recipes a Curator user would take) on ")
                .append("one in-JVM ensemble of ").append(B11Harness.SERVERS).append(" ZooKeeper servers (Curator's ")
                .append("`TestingCluster`), started in a fresh JVM for each round and used by every side of the round. ")
                .append("Each client is a `CuratorFramework` with a session of its own, as a separate process would ")
                .append("have (for waitkit a `ZkNamespace` over it), looping over lock + unlock (acquire + release) on ")
                .append("one platform thread; client i talks to server i mod ").append(B11Harness.SERVERS)
                .append(" on both sides. Rows with 1 client (uncontended) and ")
                .append(B11Harness.CLIENTS.get(B11Harness.CLIENTS.size() - 1)).append(" clients (contended; the ")
                .append("semaphores have ").append(B11Harness.PERMITS).append(" permits). A sample is the sample time ")
                .append("divided by the operations of all clients. The settings also give the ZooKeeper requests each ")
                .append("side's sessions sent per operation (the servers' per-connection packet counts): with servers ")
                .append("in one JVM, a request costs mostly server work, and writes, which go through the leader and a ")
                .append("quorum, cost more than reads.\n\n");
        Set<String> settings = new LinkedHashSet<>();
        rows.forEach(r -> settings.add(r.mode() + ": " + r.settings()));
        md.append("Settings of the rows shown:\n\n");
        for (String s : settings) {
            md.append("- ").append(s).append('\n');
        }
        md.append('\n');
    }

    private static void machines(StringBuilder md, List<Source> sources) {
        md.append("## Machines\n\n");
        md.append("| result file | rows | mode | date (UTC) | cores | CPU | JDK | OS |\n|---|---|---|---|---|---|---|---|\n");
        for (Source s : sources) {
            Map<String, List<Row>> byRun = new LinkedHashMap<>();
            for (Row r : s.rows()) {
                byRun.computeIfAbsent(r.date() + "|" + r.machine() + "|" + r.mode(), k -> new ArrayList<>()).add(r);
            }
            for (List<Row> run : byRun.values()) {
                Row r = run.get(0);
                Machine m = r.machine();
                md.append("| `").append(s.name()).append("` | ").append(run.size()).append(" | ").append(r.mode())
                        .append(" | ").append(r.date()).append(" | ").append(m.cores()).append(" | ").append(cell(m.cpu()))
                        .append(" | ").append(cell(m.jdk())).append(" | ").append(cell(m.os())).append(" |\n");
            }
        }
        md.append('\n');
    }

    private static String stats(Stats s, String unit) {
        return Format.sig(s.median()) + " " + unit + " (" + Format.sig(s.min()) + "-" + Format.sig(s.max()) + ")";
    }

    private static String ratio(Row r) {
        return Format.ratio(r.ratio()) + " (" + Format.ratio(r.ratioLow()) + "-" + Format.ratio(r.ratioHigh()) + ")";
    }

    private static String target(Row r) {
        String t = (r.direction() == Row.Direction.LOWER ? "≤ " : "≥ ") + Format.ratio(r.target());
        return r.alloc() != null && r.alloc().required() ? t + ", 0 B/op" : t;
    }

    private static String met(Row r) {
        return r.meets() ? "yes" : "**no**";
    }

    private static String cell(String s) {
        return s.isEmpty() ? "-" : s.replace("|", "\\|");
    }
}
