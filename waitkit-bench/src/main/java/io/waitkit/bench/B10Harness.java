package io.waitkit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs B10 (BENCHMARKS.md): the wall time of one short {@code waitkit} command as a user runs it in
 * a shell loop, one process per run, against the JVM's floor ({@code java -version} on the same
 * JDK) and against the same command started without the launcher's start-up work (plain
 * {@code java -cp ... io.waitkit.cli.WaitkitCli}, no AOT cache, default flags).
 *
 * <p>It needs the repository's {@code ./waitkit} launcher and the built CLI
 * ({@code waitkit-cli/target/waitkit-cli.jar} and {@code target/lib/}); the repository root is the
 * {@code waitkit.root} system property, else the folder two levels above the bench jar's
 * {@code target/}, else the working directory or its parent. Every run's namespace is a fresh
 * temporary {@code XDG_RUNTIME_DIR}, where the event and the semaphore are created first (through
 * the launcher, which also makes its AOT cache then, unmeasured).
 */
final class B10Harness {
    /** The named event that {@code event set} signals. */
    static final String EVENT = "b10-event";
    /** The named semaphore that {@code sem wait --timeout 0} takes from. */
    static final String SEM = "b10-sem";
    /** The semaphore's initial count: more than the runs take, so every wait succeeds at once. */
    static final int SEM_PERMITS = 1_000_000;
    /** Unmeasured runs of each side at the start of a round (disk cache, AOT cache made). */
    static final int WARMUP_RUNS = 2;
    /** The longest one command may take before the harness gives up on it. */
    static final int DEADLINE_SECONDS = 60;

    private B10Harness() {
    }

    /** One side of B10: the measurement {@code B10.<id>}. */
    enum Side {
        /** {@code java -version}: the JVM's floor. */
        FLOOR("java-version"),
        /** {@code waitkit event set NAME} through the launcher. */
        EVENT_LAUNCHER("event-launcher"),
        /** {@code event set NAME} as plain {@code java -cp}. */
        EVENT_PLAIN("event-plain"),
        /** {@code waitkit sem wait NAME --timeout 0} through the launcher. */
        SEM_LAUNCHER("sem-launcher"),
        /** {@code sem wait NAME --timeout 0} as plain {@code java -cp}. */
        SEM_PLAIN("sem-plain");

        final String id;

        Side(String id) {
            this.id = id;
        }

        /** The measurement key. */
        String key() {
            return "B10." + id;
        }

        static Side ofKey(String key) {
            for (Side s : values()) {
                if (s.key().equals(key)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("not a B10 measurement: " + key);
        }
    }

    /**
     * Where the launcher and the CLI are.
     *
     * @param root the repository root
     * @param javaHome the JDK that {@code bin/find-jdk} finds (the launcher's, and every side's)
     * @param classPath the CLI's class path (its jar, then {@code target/lib/*.jar} in name order)
     */
    record Setup(Path root, Path javaHome, String classPath) {
        Path launcher() {
            return root.resolve("waitkit");
        }

        String java() {
            return javaHome.resolve("bin").resolve("java").toString();
        }

        /** The command line of a side. */
        List<String> command(Side side) {
            List<String> cmd = new ArrayList<>();
            switch (side) {
                case FLOOR -> {
                    cmd.add(java());
                    cmd.add("-version");
                    return cmd;
                }
                case EVENT_LAUNCHER, SEM_LAUNCHER -> cmd.add(launcher().toString());
                case EVENT_PLAIN, SEM_PLAIN -> {
                    cmd.add(java());
                    cmd.add("--enable-native-access=ALL-UNNAMED");
                    cmd.add("-cp");
                    cmd.add(classPath);
                    cmd.add("io.waitkit.cli.WaitkitCli");
                }
                default -> throw new AssertionError(side);
            }
            if (side == Side.EVENT_LAUNCHER || side == Side.EVENT_PLAIN) {
                cmd.addAll(List.of("event", "set", EVENT));
            } else {
                cmd.addAll(List.of("sem", "wait", SEM, "--timeout", "0"));
            }
            return cmd;
        }
    }

    /** The repository root, or null if none is found. */
    static Path root() {
        String prop = System.getProperty("waitkit.root");
        List<Path> candidates = new ArrayList<>();
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        try {
            Path jar = Path.of(B10Harness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = jar.getParent();
            if (target != null && target.getParent() != null && target.getParent().getParent() != null) {
                candidates.add(target.getParent().getParent());
            }
        } catch (Exception e) {
            // fall back to the working directory
        }
        candidates.add(Path.of("").toAbsolutePath());
        candidates.add(Path.of("").toAbsolutePath().getParent());
        for (Path p : candidates) {
            if (p != null && Files.isRegularFile(p.resolve("waitkit")) && Files.isRegularFile(p.resolve("bin/find-jdk"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /**
     * Why B10 cannot run here, or null if it can.
     */
    static String unavailable() {
        Path root = root();
        if (root == null) {
            return "the repository's ./waitkit launcher was not found (set -Dwaitkit.root=DIR)";
        }
        Path jar = root.resolve("waitkit-cli/target/waitkit-cli.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(root.resolve("waitkit-cli/target/lib"))) {
            return "the CLI is not built (" + jar + "); build it with ./mvnw -pl waitkit-cli -am package -DskipTests";
        }
        return null;
    }

    /** Finds the JDK and the class path; call after {@link #unavailable()} said null. */
    static Setup setup() throws IOException, InterruptedException {
        Path root = root();
        Process p = new ProcessBuilder("sh", root.resolve("bin/find-jdk").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String home = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0 || home.isEmpty()) {
            p.destroyForcibly();
            throw new IllegalStateException("B10: bin/find-jdk found no JDK");
        }
        Path target = root.resolve("waitkit-cli/target");
        StringBuilder cp = new StringBuilder(target.resolve("waitkit-cli.jar").toString());
        List<Path> libs = new ArrayList<>();
        try (var s = Files.list(target.resolve("lib"))) {
            s.filter(f -> f.getFileName().toString().endsWith(".jar")).forEach(libs::add);
        }
        Collections.sort(libs);
        for (Path l : libs) {
            cp.append(java.io.File.pathSeparatorChar).append(l);
        }
        return new Setup(root, Path.of(home), cp.toString());
    }

    /**
     * Measures the sides in one round: a fresh namespace, the objects created, {@value #WARMUP_RUNS}
     * unmeasured runs of each side, then {@code runs} runs of each, interleaved (side order
     * reversed in every second pass).
     *
     * @param setup where things are
     * @param sides the sides to measure
     * @param runs measured runs per side
     * @param log receives failures' output
     * @return the wall times in milliseconds, per side
     */
    static Map<Side, List<Double>> round(Setup setup, List<Side> sides, int runs, StringBuilder log)
            throws IOException, InterruptedException {
        Path runtime = Files.createTempDirectory("waitkit-b10-");
        try {
            Map<Side, List<Double>> samples = new EnumMap<>(Side.class);
            List<String> launcher = List.of(setup.launcher().toString());
            run(setup, runtime, concat(launcher, List.of("event", "create", EVENT)), log);
            run(setup, runtime, concat(launcher, List.of("sem", "create", SEM, "--initial",
                    Integer.toString(SEM_PERMITS))), log);
            for (int i = 0; i < WARMUP_RUNS; i++) {
                for (Side s : sides) {
                    run(setup, runtime, setup.command(s), log);
                }
            }
            for (int i = 0; i < runs; i++) {
                List<Side> order = new ArrayList<>(sides);
                if (i % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Side s : order) {
                    samples.computeIfAbsent(s, k -> new ArrayList<>()).add(run(setup, runtime, setup.command(s), log));
                }
            }
            return samples;
        } finally {
            ChildProcess.deleteTree(runtime, "B10");
            Files.deleteIfExists(runtime.resolveSibling(runtime.getFileName() + ".err"));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Runs one command to its end and returns its wall time in ms; a failure or a hang throws. */
    private static double run(Setup setup, Path runtime, List<String> cmd, StringBuilder log)
            throws IOException, InterruptedException {
        Path errFile = runtime.resolveSibling(runtime.getFileName() + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errFile.toFile());
        Map<String, String> env = pb.environment();
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("JAVA_HOME", setup.javaHome().toString());
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        long start = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS);
        long end = System.nanoTime();
        if (!done) {
            p.destroyForcibly();
            throw new IllegalStateException("B10: hung: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            String text = Files.readString(errFile);
            log.append(String.join(" ", cmd)).append('\n').append(text);
            throw new IllegalStateException("B10: exit " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + text);
        }
        return (end - start) / 1e6;
    }

    /**
     * How B10 was run, for its rows.
     *
     * @param rounds the rounds
     * @param runs measured runs per side and round
     * @param setup where things were
     */
    static String describe(int rounds, int runs, Setup setup) {
        return String.format(Locale.ROOT, "own harness (io.waitkit.bench.B10Harness): %d round(s), each in a fresh "
                + "namespace (XDG_RUNTIME_DIR), %d unmeasured then %d measured runs per side, sides interleaved (order "
                + "reversed every second pass); a sample is the wall time of one process from start to exit (ms), "
                + "output discarded; median of all %d samples, error bar = min-max; launcher: ./waitkit (its AOT cache "
                + "made before the round); plain: java --enable-native-access=ALL-UNNAMED -cp <jars> "
                + "io.waitkit.cli.WaitkitCli; JDK %s", rounds, WARMUP_RUNS, runs, rounds * runs, setup.javaHome());
    }
}
