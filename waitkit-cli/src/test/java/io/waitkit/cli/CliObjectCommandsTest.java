package io.waitkit.cli;

import static io.waitkit.cli.CliProcess.lines;
import static io.waitkit.cli.CliProcess.parseJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands on named objects, one by one, run as separate processes: results, output and exit codes. */
class CliObjectCommandsTest {
    @TempDir
    Path tmp;
    Path nsDir;
    CliProcess cli;

    @BeforeEach
    void setUp() throws Exception {
        nsDir = tmp.resolve("ns");
        Files.createDirectories(tmp.resolve("scratch"));
        cli = new CliProcess(nsDir, tmp.resolve("scratch"));
    }

    private CliProcess.Result ok(String... args) {
        CliProcess.Result r = cli.run(args);
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    private void expect(int code, String... args) {
        CliProcess.Result r = cli.run(args);
        assertEquals(code, r.code(), r.toString());
        if (code != 0 && code != 1) {
            assertTrue(r.err().startsWith("waitkit: "), r.toString());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug: " + r);
    }

    @Test
    void eventCreateSetWaitResetAndPulseFollowTheEventsRulesWithExitCodesZeroAndOneOnTimeout() {
        ok("event", "create", "auto");
        expect(1, "event", "wait", "auto", "--timeout", "0");
        ok("event", "set", "auto");
        ok("event", "wait", "auto", "--timeout", "0");
        expect(1, "event", "wait", "auto", "--timeout", "50ms"); // the wait consumed the auto-reset event
        ok("event", "create", "manual", "--manual", "--signaled");
        ok("event", "wait", "manual", "--timeout", "0");
        ok("event", "wait", "manual", "--timeout", "0"); // manual reset stays signalled
        ok("event", "reset", "manual");
        expect(1, "event", "wait", "manual", "--timeout", "0");
        ok("event", "pulse", "manual"); // no waiter: leaves it cleared
        Map<String, Object> j = parseJson(ok("event", "set", "manual", "--json").out());
        assertEquals(Boolean.TRUE, j.get("signaled"));
        Map<String, Object> w = parseJson(ok("event", "wait", "manual", "--json", "--timeout", "1s").out());
        assertEquals(Map.of("name", "manual", "signaled", true, "timedOut", false), w);
    }

    @Test
    void eventCreateJsonReportsWhetherThisRunCreatedIt() {
        Map<String, Object> first = parseJson(ok("event", "create", "e", "--manual", "--json").out());
        assertEquals(Boolean.TRUE, first.get("created"));
        assertEquals(Boolean.TRUE, first.get("manualReset"));
        Map<String, Object> second = parseJson(ok("event", "create", "e", "--json").out());
        assertEquals(Boolean.FALSE, second.get("created"));
        assertEquals(Boolean.TRUE, second.get("manualReset"), "an existing event keeps its own kind");
    }

    @Test
    void semaphoreCountsPermitsAndRefusesAPostBeyondItsMaximumWithExitCodeOne() {
        ok("sem", "create", "s", "--initial", "1", "--max", "3");
        assertEquals("1", ok("sem", "get", "s").out().strip());
        ok("sem", "wait", "s");
        expect(1, "sem", "wait", "s", "--timeout", "0");
        ok("sem", "post", "s", "--count", "3");
        CliProcess.Result full = cli.run("sem", "post", "s");
        assertEquals(1, full.code(), full.toString());
        assertTrue(full.err().contains("maximum"), full.toString());
        Map<String, Object> j = parseJson(ok("sem", "get", "s", "--json").out());
        assertEquals(Map.of("name", "s", "available", 3L, "max", 3L), j);
    }

    @Test
    void messageQueueDeliversTheHighestPriorityFirstNegativeOnesLastFromArgumentsAndStandardInput() {
        ok("mq", "create", "q", "--capacity", "4", "--max-size", "64");
        ok("mq", "send", "q", "below", "--priority", "-3");
        ok("mq", "send", "q", "low");
        assertEquals(0, cli.runWithInput("from stdin", "mq", "send", "q", "--priority", "5").code());
        ok("mq", "send", "q", "mid", "--priority", "2");
        Map<String, Object> first = parseJson(ok("mq", "recv", "q", "--json").out());
        assertEquals("from stdin", first.get("message"));
        assertEquals(5L, first.get("priority"));
        assertEquals("mid\n", ok("mq", "recv", "q").out());
        assertEquals("low", ok("mq", "recv", "q", "--no-newline").out());
        Map<String, Object> last = parseJson(ok("mq", "recv", "q", "--json").out());
        assertEquals("below", last.get("message"));
        assertEquals(-3L, last.get("priority"));
        expect(1, "mq", "recv", "q", "--timeout", "0");
        expect(2, "mq", "send", "q", "x".repeat(65)); // longer than the maximum: bad input
    }

    @Test
    void lsListsEveryObjectAndItsJsonCarriesTheDocumentedFields() {
        ok("event", "create", "e1", "--signaled");
        ok("sem", "create", "s1", "--initial", "2", "--max", "5");
        ok("mq", "create", "q1");
        ok("pipe", "create", "p1");
        CliProcess.Result text = ok("ls");
        assertTrue(text.out().startsWith("NAME"), text.toString());
        assertEquals(5, lines(text.out()).size(), text.toString());
        List<String> json = lines(ok("ls", "--json").out());
        assertEquals(4, json.size());
        Map<String, Object> e = parseJson(json.get(0));
        assertEquals(List.of("name", "kind", "state", "ownerPid", "waiters", "openers"), List.copyOf(e.keySet()));
        assertEquals("e1", e.get("name"));
        assertEquals("event", e.get("kind"));
        assertEquals("signaled", e.get("state"));
        assertNull(e.get("ownerPid"));
        assertEquals(0L, e.get("openers"));
        assertEquals("message-queue", parseJson(json.get(2)).get("kind"));
        assertEquals("2/5", parseJson(json.get(3)).get("state"));
    }

    @Test
    void infoShowsOneObjectWithItsParametersAndTheBackend() {
        ok("sem", "create", "s", "--initial", "2", "--max", "7");
        Map<String, Object> j = parseJson(ok("info", "s", "--json").out());
        assertEquals("semaphore", j.get("kind"));
        assertEquals(2L, j.get("available"));
        assertEquals(7L, j.get("max"));
        assertTrue(String.valueOf(j.get("backend")).matches("(futex_waitv|futex|polling): .*"), j.toString());
        assertEquals(nsDir.resolve("s").toString(), j.get("file"));
        assertTrue(ok("info", "s").out().contains("backend:"));
    }

    @Test
    void theNamespaceOptionChoosesTheDirectory() throws Exception {
        Path other = tmp.resolve("other");
        ok("event", "create", "x", "--namespace", other.toString());
        assertTrue(Files.exists(other.resolve("x")));
        assertFalse(Files.exists(nsDir.resolve("x")));
        expect(4, "event", "set", "x");
        ok("event", "set", "x", "--namespace", other.toString());
    }

    @Test
    void bargingIsChosenAtCreationShownByInfoAndAnExplicitMismatchExitsWithFive() {
        Map<String, Object> created = parseJson(ok("sem", "create", "b", "--barging", "--max", "2", "--json").out());
        assertEquals("barging", created.get("fairness"));
        assertEquals("barging", parseJson(ok("info", "b", "--json").out()).get("fairness"));
        assertEquals("barging", parseJson(ok("sem", "create", "b", "--json").out()).get("fairness"), "taken as it is");
        assertEquals("hand-off", parseJson(ok("sem", "create", "h", "--json").out()).get("fairness"));
        expect(5, "sem", "create", "h", "--barging");
        ok("mutex", "run", "--barging", "m", "--", "true");
        assertEquals("barging", parseJson(ok("info", "m", "--json").out()).get("fairness"));
        ok("mutex", "run", "m", "--", "true");
        ok("mutex", "run", "plain", "--", "true");
        assertEquals("hand-off", parseJson(ok("info", "plain", "--json").out()).get("fairness"));
        expect(5, "mutex", "run", "--barging", "plain", "--", "true");
    }

    @Test
    void missingObjectsExitWithFourAndWrongKindsWithFive() {
        ok("sem", "create", "s");
        ok("event", "create", "e");
        expect(4, "event", "set", "nope");
        expect(4, "info", "nope");
        expect(4, "sem", "get", "nope");
        expect(4, "mq", "recv", "nope");
        expect(4, "pipe", "read", "nope");
        expect(4, "wait", "--any", "e", "nope");
        expect(4, "rm", "nope");
        expect(5, "event", "set", "s");
        expect(5, "sem", "post", "e");
        expect(5, "mq", "send", "e", "m");
        expect(5, "pipe", "write", "s");
        expect(5, "sem", "create", "e");
        expect(5, "mutex", "run", "s", "--", "true");
    }

    @Test
    void aCorruptObjectFileIsReportedWithExitCodeFiveAndListedAsCorrupt() throws Exception {
        ok("event", "create", "good");
        Files.write(nsDir.resolve("bad"), new byte[] {'n', 'o', 't', ' ', 'a', 'n', ' ', 'o', 'b', 'j', 'e', 'c', 't'});
        expect(5, "info", "bad");
        expect(5, "event", "set", "bad");
        expect(5, "wait", "--any", "good", "bad");
        Map<String, Object> listed = parseJson(lines(ok("ls", "--json").out()).get(0));
        assertEquals("bad", listed.get("name"));
        assertEquals("corrupt", listed.get("kind"));
        ok("rm", "bad"); // nobody can open it: removable
        assertFalse(Files.exists(nsDir.resolve("bad")));
    }

    @Test
    void rmRefusesAnObjectInUseNamingThePidUnlessForced() throws Exception {
        ok("event", "create", "busy");
        ok("event", "create", "idle");
        try (NamedEvent held = Namespace.open(nsDir).event("busy", false, false)) {
            CliProcess.Result r = cli.run("rm", "busy", "idle");
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("in use"), r.toString());
            assertTrue(r.err().contains(String.valueOf(ProcessHandle.current().pid())), "names this JVM's pid: " + r);
            assertTrue(Files.exists(nsDir.resolve("busy")));
            assertFalse(Files.exists(nsDir.resolve("idle")), "the other names are still removed");
            CliProcess.Result forced = cli.run("rm", "--force", "busy");
            assertEquals(0, forced.code(), forced.toString());
            assertFalse(Files.exists(nsDir.resolve("busy")));
            held.set();
            assertTrue(held.tryAwait(), "the holder keeps using the unlinked object");
        }
    }

    @Test
    void signalSendDeliversByNameAndAxisNumberAndReportsAMissingProcessWithFour() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            ok("signal", "send", String.valueOf(sleeper.pid()), "usr1");
            assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
            assertEquals(128 + 10, sleeper.exitValue(), "SIGUSR1 is 10 on Linux");
        } finally {
            sleeper.destroyForcibly();
        }
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            ok("signal", "send", String.valueOf(other.pid()), "15"); // AxisOS 15 = SIGTERM
            assertTrue(other.waitFor(10, TimeUnit.SECONDS));
            assertEquals(128 + 15, other.exitValue());
        } finally {
            other.destroyForcibly();
        }
        expect(4, "signal", "send", "4194303", "SIGUSR2");
        expect(2, "signal", "send", "1", "NOSUCH");
        expect(2, "signal", "send", "0", "TERM");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodesAndCompletionPrintsABashScript() {
        String help = ok("--help").out();
        for (String c : List.of("demo", "ls", "info", "event", "sem", "mutex", "mq", "pipe", "wait", "rm", "signal")) {
            assertTrue(help.contains("  " + c + " "), c + " in " + help);
        }
        for (String code : List.of("0", "1", "2", "3", "4", "5", "130")) {
            assertTrue(help.contains("  " + code + " "), "exit code " + code + " in " + help);
        }
        assertFalse(help.contains("completion"), "completion is hidden");
        String script = ok("completion").out();
        assertTrue(script.contains("complete -F"), script);
        assertTrue(script.contains("mutex") && script.contains("--timeout"), "generated from the command tree");
    }
}
