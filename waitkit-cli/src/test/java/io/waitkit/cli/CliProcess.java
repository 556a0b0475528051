package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the built {@code waitkit} command as a separate JVM: the test JVM's own class path (the
 * module's classes and its dependency jars), {@code --enable-native-access=ALL-UNNAMED}, main
 * class {@code io.waitkit.cli.WaitkitCli}, and {@code WAITKIT_NAMESPACE} set to the test's
 * namespace directory. Every run is bounded; a child that outlives its bound is killed.
 */
final class CliProcess {
    /** The exit code and both streams of one run. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path namespace;
    private final Path scratch;

    CliProcess(Path namespace, Path scratch) {
        this.namespace = namespace;
        this.scratch = scratch;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path of the command: what runs the tests, module path included if any. */
    static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                parts.add(v);
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /**
     * The JVM options of every run: native access, and a cheap start-up (the command is short;
     * no CDS archive of its own, since the class path holds directories).
     */
    static List<String> jvmOptions() {
        return List.of("--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    }

    /** The command line of a run. */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        Launch l = launch();
        cmd.addAll(jvmOptions());
        cmd.addAll(l.options());
        cmd.add("-cp");
        cmd.add(l.classPath());
        cmd.add("io.waitkit.cli.WaitkitCli");
        cmd.addAll(List.of(args));
        return cmd;
    }

    ProcessBuilder builder(String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().put("WAITKIT_NAMESPACE", namespace.toString());
        return pb;
    }

    /** Runs the command to its end (at most 30 s) with empty standard input. */
    Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs the command to its end (at most 30 s), standard input from {@code input} (null: empty). */
    Result runWithInput(String input, String... args) {
        try {
            Path in = Files.createTempFile(scratch, "in", ".txt");
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            Files.writeString(in, input == null ? "" : input);
            Process p = builder(args).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    fail("waitkit " + String.join(" ", args) + " did not end within 30 s");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts the command in the background, output to files under the scratch directory. */
    Started start(String... args) throws IOException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process p = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(p, out, err);
    }

    /** A command started in the background; {@link #close()} kills it if it still runs. */
    record Started(Process process, Path out, Path err) implements AutoCloseable {
        Result await() throws Exception {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail("a waitkit child did not end within 30 s: " + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** How the command is launched: its class path and the JVM options besides {@link #jvmOptions()}. */
    record Launch(String classPath, List<String> options) {
    }

    private static Launch launch;

    /**
     * The launch of every run of this test JVM: its class path as it is. (A CDS archive of the
     * command's classes written by a first run made the runs start faster, but runs of several
     * test classes in one JVM then failed with "Unrecoverable archive loading error": an archive
     * that a JVM may rewrite at exit is not safe to share between concurrent runs.)
     */
    static synchronized Launch launch() {
        if (launch == null) {
            launch = new Launch(classPath(), List.of());
        }
        return launch;
    }

    /**
     * Writes a {@code waitkit} script into {@code dir} that runs this command (for shell
     * scripts), and returns its path.
     */
    static Path wrapper(Path dir) throws IOException {
        Launch l = launch();
        return wrapper(dir, l.classPath(), l.options());
    }

    private static Path wrapper(Path dir, String classPath, List<String> extra) throws IOException {
        List<String> all = new ArrayList<>(jvmOptions());
        all.addAll(extra);
        String opts = all.stream().map(CliProcess::shellQuote).collect(Collectors.joining(" "));
        String script = "#!/bin/sh\nexec " + shellQuote(java()) + " " + opts + " -cp " + shellQuote(classPath)
                + " io.waitkit.cli.WaitkitCli \"$@\"\n";
        Path w = dir.resolve("waitkit");
        Files.writeString(w, script);
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwx------"));
        return w;
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Parses one line of {@code --json} output: a flat object of strings, numbers, booleans and
     * nulls (the only values the command writes), in field order.
     */
    static Map<String, Object> parseJson(String line) {
        Map<String, Object> m = new LinkedHashMap<>();
        String s = line.strip();
        assertTrue(s.startsWith("{") && s.endsWith("}"), "not a JSON object: " + line);
        int i = 1;
        while (i < s.length() - 1) {
            if (s.charAt(i) == ',') {
                i++;
            }
            int[] pos = {i};
            String key = string(s, pos);
            i = pos[0];
            assertTrue(s.charAt(i) == ':', "expected ':' at " + i + " in " + line);
            i++;
            Object value;
            if (s.charAt(i) == '"') {
                pos[0] = i;
                value = string(s, pos);
                i = pos[0];
            } else {
                int j = i;
                while (j < s.length() - 1 && s.charAt(j) != ',') {
                    j++;
                }
                String lit = s.substring(i, j);
                value = switch (lit) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    case "null" -> null;
                    default -> Long.parseLong(lit);
                };
                i = j;
            }
            m.put(key, value);
        }
        return m;
    }

    private static String string(String s, int[] pos) {
        int i = pos[0];
        assertTrue(s.charAt(i) == '"', "expected a string at " + i + " in " + s);
        StringBuilder b = new StringBuilder();
        for (i++; s.charAt(i) != '"'; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char e = s.charAt(++i);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            } else {
                b.append(c);
            }
        }
        pos[0] = i + 1;
        return b.toString();
    }

    /** The non-empty lines of a text. */
    static List<String> lines(String text) {
        return Stream.of(text.split("\n")).filter(l -> !l.isBlank()).toList();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
