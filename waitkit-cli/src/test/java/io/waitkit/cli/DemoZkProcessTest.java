package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code waitkit demo --zk} run end to end as a separate process, as a user runs it, with a small
 * amount of work: it starts its ensemble, three Java workers and a shell worker (whose jobs,
 * taken and reported with {@code waitkit ... --zk} commands, the Java workers record), kills a
 * server mid-run, passes every check, exits 0 and leaves no worker behind. The process is
 * bounded and killed (with its descendants) when the test ends.
 */
class DemoZkProcessTest {
    private static final Pattern PID = Pattern.compile("^  worker \\d+ \\((?:java|sh)\\) *pid (\\d+) ");

    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void killLeftovers() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void theZooKeeperDemoWithAShellWorkerKillsAServerCarriesOnPassesEveryCheckAndLeavesNoWorker() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CliProcess.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), WaitkitCli.class.getName(), "demo", "--zk", "--jobs", "12"));
        Path log = tmp.resolve("demo.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("WAITKIT_LAUNCHER"); // the demo's generated wrapper serves the shell worker
        Process p = pb.start();
        started.add(p);
        p.getOutputStream().close();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            fail("the demo did not end in 150 s; output:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("All 9 checks passed"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("* killed ZooKeeper server ")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("  PASS +work carried on after a server was killed +server \\d killed .*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("  PASS +shell worker took part with waitkit --zk +worker 4 took [1-9]\\d* jobs? .*"
                + "the Java workers recorded [1-9]\\d*")), out);
        List<Long> pids = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = PID.matcher(line);
            if (m.find() && !pids.contains(Long.parseLong(m.group(1)))) {
                pids.add(Long.parseLong(m.group(1)));
            }
        }
        assertEquals(4, pids.size(), out);
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive(), "worker " + pid + " is gone");
        }
    }
}
