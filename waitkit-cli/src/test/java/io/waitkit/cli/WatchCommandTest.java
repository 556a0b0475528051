package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.NamedSemaphore;
import io.waitkit.ipc.Namespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code waitkit watch} run as a separate process (the command a user runs, not the picocli
 * object in this JVM): plain tables in a pipe, JSON lines, in-place redraws under a
 * pseudo-terminal, and bad values.
 */
class WatchCommandTest {
    private static Path dir;
    private static Namespace ns;
    private static NamedEvent event;
    private static NamedSemaphore sem;

    @BeforeAll
    static void objects() throws IOException {
        dir = Files.createTempDirectory(Path.of("/dev/shm"), "waitkit-watch-test");
        ns = Namespace.open(dir);
        event = ns.event("ready", true, true);
        sem = ns.semaphore("slots", 1, 3);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        event.close();
        sem.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The exit code and the output of one run. */
    private record Run(int code, String out) {
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.waitkit.cli.WaitkitCli"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Run run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes(); // ends when the process exits (bounded below)
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("did not exit within 60 s: " + cmd);
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void inAPipeEachRefreshAppendsAPlainTableOfEveryObjectAndCountStopsIt() throws Exception {
        Run r = run(command("watch", "--namespace", dir.toString(), "--count", "2", "--interval", "50ms"));
        assertEquals(0, r.code(), r.out());
        assertEquals(2, r.out().split("waitkit watch ", -1).length - 1, "two refreshes: " + r.out());
        assertTrue(r.out().contains("NAME") && r.out().contains("OPENERS"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("ready") && l.contains("event") && l.contains("signaled")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("slots") && l.contains("semaphore") && l.contains("1/3")), r.out());
        assertTrue(!r.out().contains("\033["), "no escape sequences outside a terminal");
    }

    @Test
    void jsonWritesOneObjectPerLineAndARefreshLine() throws Exception {
        Run r = run(command("watch", "--namespace", dir.toString(), "--count", "1", "--json"));
        assertEquals(0, r.code(), r.out());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.contains("{\"name\":\"ready\",\"kind\":\"event\",\"state\":\"signaled\",\"ownerPid\":null,\"waiters\":0,"
                + "\"openers\":1}"), r.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"refresh\":1,\"time\":\""), r.out());
    }

    @Test
    void onATerminalEachRefreshRedrawsTheScreenInPlace() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "no script(1) to make a pseudo-terminal");
        String line = String.join(" ", command("watch", "--namespace", dir.toString(), "--count", "3", "--interval", "50ms")
                .stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Run r = run(List.of("/usr/bin/script", "-qfec", line, "/dev/null"));
        assertEquals(0, r.code(), r.out());
        assertEquals(3, r.out().split("\033\\[H\033\\[2J", -1).length - 1, "three in-place redraws: " + r.out());
        assertTrue(r.out().contains("(Ctrl-C to stop)"), r.out());
        assertTrue(r.out().contains("slots"), r.out());
    }

    @Test
    void badIntervalAndCountAreUsageErrorsWithOneLine() throws Exception {
        Run a = run(command("watch", "--namespace", dir.toString(), "--interval", "10ms"));
        assertEquals(2, a.code(), a.out());
        assertTrue(a.out().contains("--interval"), a.out());
        Run b = run(command("watch", "--namespace", dir.toString(), "--count", "-1"));
        assertEquals(2, b.code(), b.out());
        Run c = run(command("watch", "--namespace", dir.toString(), "--interval", "soon"));
        assertEquals(2, c.code(), c.out());
    }
}
