package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code waitkit demo} (the multi-process demo) run as a separate process, as a user runs it:
 * its checks pass and it leaves nothing behind, it cleans up when interrupted, and on a terminal
 * it redraws its board in place. Every wait is bounded; every process started here is killed
 * (with its descendants) when the test ends.
 */
class DemoProcessesTest {
    private static final Pattern NAMESPACE = Pattern.compile("^namespace (\\S+)/ns:");
    private static final Pattern PID = Pattern.compile("^  worker \\d+ \\((?:java|sh)\\) *pid (\\d+) ");

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** The command that runs {@code waitkit ARGS} on this JVM's java and class path. */
    private static List<String> waitkit(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), WaitkitCli.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A started process whose output lines are collected by a reader thread. */
    private final class Run {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder all = new StringBuilder();

        Run(List<String> cmd) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove("WAITKIT_LAUNCHER"); // the demo's generated wrapper serves the shell worker
            process = pb.start();
            started.add(process);
            process.getOutputStream().close();
            Thread.ofPlatform().daemon().start(() -> {
                // characters as they come (a terminal's \r must stay in the transcript), lines split at \n
                try (InputStreamReader r = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                    StringBuilder line = new StringBuilder();
                    char[] buf = new char[4096];
                    for (int n; (n = r.read(buf)) >= 0; ) {
                        synchronized (all) {
                            all.append(buf, 0, n);
                        }
                        for (int i = 0; i < n; i++) {
                            if (buf[i] == '\n') {
                                lines.add(line.toString());
                                line.setLength(0);
                            } else {
                                line.append(buf[i]);
                            }
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        /** Waits (bounded) for a line that matches; fails with the output so far if none comes. */
        String await(Predicate<String> what, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (;;) {
                String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    fail("no such line in " + seconds + " s; output:\n" + output());
                }
                if (what.test(line)) {
                    return line;
                }
            }
        }

        int exit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                fail("the demo did not end in " + seconds + " s; output:\n" + output());
            }
            return process.exitValue();
        }

        String output() {
            synchronized (all) {
                return all.toString();
            }
        }
    }

    private static List<Long> workerPids(String output) {
        List<Long> pids = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = PID.matcher(line.replaceAll("\033\\[[0-9;]*[A-Za-z]", "").replace("\r", ""));
            if (m.find() && !pids.contains(Long.parseLong(m.group(1)))) {
                pids.add(Long.parseLong(m.group(1)));
            }
        }
        return pids;
    }

    private static void assertGone(List<Long> pids) throws Exception {
        for (long pid : pids) {
            var h = ProcessHandle.of(pid);
            if (h.isPresent()) {
                h.get().onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static final Pattern REAPED = Pattern.compile("FAIL\\S*  abandonment detected within 100 ms .*reaped after ([0-9.]+) ms");

    /**
     * Asserts that the demo passed every check, or skips the test when the one failure is the
     * detection time and the killed process itself took more than 100 ms to die (then no waiter
     * could have seen it sooner: the machine is too busy to measure the bound).
     */
    private static void assertPassed(int code, String out) {
        String plain = out.replaceAll("\033\\[[0-9;]*[A-Za-z]", "");
        Matcher reaped = REAPED.matcher(plain);
        if (code != 0 && plain.contains("1 of 8 checks FAILED") && reaped.find() && Double.parseDouble(reaped.group(1)) > 100) {
            Assumptions.abort("the killed worker took " + reaped.group(1) + " ms to die: too busy a machine to check the"
                    + " 100 ms detection bound; output:\n" + out);
        }
        assertEquals(0, code, out);
        assertTrue(plain.contains("All 8 checks passed"), out);
        assertFalse(plain.contains("FAIL"), out);
    }

    @Test
    void demoRunAsASeparateProcessPassesEveryCheckAndLeavesNothingBehind() throws Exception {
        Run run = new Run(waitkit("demo"));
        Matcher ns = NAMESPACE.matcher(run.await(l -> NAMESPACE.matcher(l.strip()).find(), 30).strip());
        assertTrue(ns.find());
        Path base = Path.of(ns.group(1));
        int code = run.exit(60);
        String out = run.output();
        assertFalse(Files.exists(base), base + " is still there");
        List<Long> pids = workerPids(out);
        assertEquals(4, pids.size(), out);
        assertGone(pids);
        assertTrue(out.contains("killed with SIGKILL holding ledger-lock"), out);
        assertTrue(out.contains("ledger-lock abandoned: rolled job"), out);
        assertPassed(code, out);
    }

    /** Whether this JVM ignores SIGINT (started in the background by a non-interactive shell): its children would too. */
    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & 2) != 0;
            }
        }
        return false;
    }

    @Test
    void demoInterruptedWithSigintMidRunKillsItsWorkersAndRemovesTheNamespace() throws Exception {
        Assumptions.assumeFalse(sigintIgnored(), "this JVM ignores SIGINT (started in the background), so would the demo");
        Run run = new Run(waitkit("demo"));
        Matcher ns = NAMESPACE.matcher(run.await(l -> NAMESPACE.matcher(l.strip()).find(), 30).strip());
        assertTrue(ns.find());
        Path base = Path.of(ns.group(1));
        run.await(l -> l.contains(": running"), 30); // the workers are at work
        List<Long> pids = workerPids(run.output());
        assertEquals(4, pids.size(), run.output());
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        int code = run.exit(30);
        String out = run.output();
        assertEquals(130, code, out);
        assertTrue(out.contains("waitkit demo: interrupted; workers killed, namespace"), out);
        assertFalse(Files.exists(base), base + " is still there");
        assertGone(pids);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    @Test
    void onATerminalTheDemoRedrawsItsBoardInPlace() throws Exception {
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            script = Path.of("/bin/script");
        }
        Assumptions.assumeTrue(Files.isExecutable(script), "no 'script' command to run the demo under a pseudo-terminal");
        StringBuilder cmd = new StringBuilder();
        for (String a : waitkit("demo", "--jobs", "30")) {
            cmd.append(cmd.isEmpty() ? "" : " ").append(shellQuote(a));
        }
        Run run = new Run(List.of(script.toString(), "-qfec", cmd.toString(), "/dev/null"));
        int code = run.exit(60);
        String out = run.output();
        assertTrue(out.contains("\033[5A"), "no cursor-up to redraw the board: " + out);
        assertTrue(out.contains("\r\033[K  ledger "), "no line rewritten in place: " + out);
        assertTrue(out.contains("\033[1m"), "no bold on a terminal: " + out);
        assertPassed(code, out);
    }
}
