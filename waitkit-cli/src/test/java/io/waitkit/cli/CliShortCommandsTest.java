package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.cli.named.ShortCommands;
import io.waitkit.ipc.NamedObjectInfo;
import io.waitkit.ipc.Namespace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short commands on events and semaphores run without picocli ({@link ShortCommands}) with
 * the same exit codes, output, error lines and effects as through picocli: every command line
 * runs through both paths, each on its own namespace prepared alike, and the two results and
 * the namespaces' states afterwards are compared; command lines in forms the short path does
 * not take are left to picocli untouched.
 */
class CliShortCommandsTest {
    @TempDir
    Path tmp;
    Path shortNs;
    Path picocliNs;

    /** The exit code and both streams of one run, the namespace's path replaced by {@code NS}. */
    private record Run(int code, String out, String err) {
    }

    @BeforeEach
    void prepareTwoNamespacesAlike() {
        shortNs = tmp.resolve("short");
        picocliNs = tmp.resolve("picocli");
        for (String[] line : List.of(
                new String[] {"event", "create", "e", "--namespace", "NS"},
                new String[] {"event", "create", "m", "--manual", "--signaled", "--namespace", "NS"},
                new String[] {"sem", "create", "s", "--initial", "2", "--max", "3", "--namespace", "NS"})) {
            assertEquals(0, viaPicocli(picocliNs, line).code());
            assertEquals(0, viaPicocli(shortNs, line).code());
        }
    }

    /** The arguments with {@code NS} replaced by the namespace directory. */
    private static String[] in(Path ns, String... args) {
        String[] a = args.clone();
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i].replace("NS", ns.toString());
        }
        return a;
    }

    private static Run result(Path ns, int code, StringWriter out, StringWriter err) {
        return new Run(code, out.toString().replace(ns.toString(), "NS"), err.toString().replace(ns.toString(), "NS"));
    }

    private static Run viaShortPath(Path ns, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int code = ShortCommands.run(o, e, in(ns, args));
        o.flush();
        e.flush();
        return result(ns, code, out, err);
    }

    private static Run viaPicocli(Path ns, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        String[] a = in(ns, args);
        int code = WaitkitCli.commandLine(o, e, false, a[0]).execute(a);
        o.flush();
        e.flush();
        return result(ns, code, out, err);
    }

    /** What the namespace holds: name, kind and state of every object. */
    private static List<String> state(Path ns) throws Exception {
        List<String> s = new ArrayList<>();
        for (NamedObjectInfo i : Namespace.open(ns).list()) {
            s.add(i.name() + " " + i.kind() + " " + i.state());
        }
        return s;
    }

    /**
     * Runs a command line through both paths and checks that the results and states agree.
     * Every line names its namespace ({@code NS}): without it, a command would use the user's.
     */
    private Run same(String... args) throws Exception {
        assertTrue(List.of(args).contains("NS") || List.of(args).contains("--namespace=NS"), "names its namespace");
        Run fast = viaShortPath(shortNs, args);
        assertNotEquals(ShortCommands.NOT_HANDLED, fast.code(), "the short path takes " + String.join(" ", args));
        Run picocli = viaPicocli(picocliNs, args);
        assertEquals(picocli, fast, String.join(" ", args));
        assertEquals(state(picocliNs), state(shortNs), "after " + String.join(" ", args));
        return fast;
    }

    @Test
    void eventCommandsGiveTheSameCodesOutputAndStatesAsThroughPicocli() throws Exception {
        assertEquals(0, same("event", "set", "e", "--namespace", "NS").code());
        assertEquals("{\"name\":\"e\",\"signaled\":true}", same("event", "set", "e", "--json", "--namespace=NS").out().strip());
        same("event", "wait", "e", "--namespace", "NS", "--timeout", "0", "--json");
        assertEquals(1, same("event", "wait", "e", "--namespace", "NS", "--timeout=10ms").code());
        same("event", "reset", "m", "--namespace", "NS");
        same("event", "pulse", "m", "--json", "--namespace", "NS");
        same("event", "set", "m", "--namespace", "NS", "--debug");
        same("event", "wait", "m", "--namespace", "NS", "--timeout", "1s");
        same("event", "create", "n", "--namespace", "NS", "--signaled", "--manual", "--json");
        same("event", "create", "e", "--namespace", "NS", "--json");
        assertEquals(4, same("event", "set", "missing", "--namespace", "NS").code());
        assertEquals(5, same("event", "set", "s", "--namespace", "NS").code());
        assertEquals(2, same("event", "set", "a/b", "--namespace", "NS").code());
        assertEquals(2, same("event", "reset", ".hidden", "--namespace", "NS").code());
    }

    @Test
    void semaphoreCommandsGiveTheSameCodesOutputAndStatesAsThroughPicocli() throws Exception {
        assertEquals("2", same("sem", "get", "s", "--namespace", "NS").out().strip());
        same("sem", "wait", "s", "--namespace", "NS", "--timeout", "0", "--json");
        same("sem", "wait", "s", "--namespace", "NS", "--timeout", "0");
        assertEquals(1, same("sem", "wait", "s", "--namespace", "NS", "--timeout", "0").code());
        same("sem", "post", "s", "--namespace", "NS", "--count", "2", "--json");
        assertEquals(1, same("sem", "post", "s", "--namespace", "NS", "--count=5").code(), "beyond the maximum");
        same("sem", "post", "s", "--namespace", "NS");
        same("sem", "get", "s", "--namespace", "NS", "--json");
        same("sem", "create", "t", "--namespace", "NS", "--initial", "0", "--max", "1", "--json");
        same("sem", "create", "s", "--namespace", "NS", "--json");
        assertEquals(2, same("sem", "create", "u", "--namespace", "NS", "--initial", "5", "--max", "2").code());
        assertTrue(same("sem", "create", "b", "--barging", "--namespace", "NS", "--json").out().contains("\"fairness\":\"barging\""));
        assertTrue(same("sem", "create", "b", "--namespace", "NS", "--json").out().contains("\"fairness\":\"barging\""));
        same("sem", "create", "b", "--namespace", "NS", "--max=4", "--barging");
        assertEquals(5, same("sem", "create", "s", "--namespace", "NS", "--barging").code(), "created hand-off");
        assertEquals(5, same("sem", "wait", "e", "--namespace", "NS", "--timeout", "0").code());
        assertEquals(4, same("sem", "get", "missing", "--namespace", "NS", "--json").code());
    }

    @Test
    void aDebugRunPrintsTheSameMessageAndAStackTraceOnBothPaths() {
        Run fast = viaShortPath(shortNs, "event", "set", "missing", "--namespace", "NS", "--debug");
        Run picocli = viaPicocli(picocliNs, "event", "set", "missing", "--namespace", "NS", "--debug");
        assertEquals(4, fast.code());
        assertEquals(picocli.code(), fast.code());
        assertEquals(picocli.err().lines().findFirst(), fast.err().lines().findFirst());
        assertTrue(fast.err().contains("\tat io.waitkit.ipc.Namespace.openExisting"), fast.err());
    }

    @Test
    void unusualFormsAreLeftToPicocliWithNothingPrintedOrChanged() throws Exception {
        List<String> before = state(shortNs);
        List<String[]> lines = List.of(
                new String[] {"event", "set", "e", "--namespace", "NS", "--timeout", "5x"},
                new String[] {"event", "set", "e", "--namespace", "NS", "--no-such-option"},
                new String[] {"event", "set", "--namespace", "NS"},
                new String[] {"event", "set", "e", "f", "--namespace", "NS"},
                new String[] {"event", "set", "e", "--namespace", "NS", "--json", "--json"},
                new String[] {"event", "set", "e", "--namespace", "NS", "--namespace", "NS"},
                new String[] {"event", "set", "e", "--namespace", "NS", "--help"},
                new String[] {"event", "set", "-e", "--namespace", "NS"},
                new String[] {"event", "set", "@args", "--namespace", "NS"},
                new String[] {"event", "set", "e", "--namespace", "@NS"},
                new String[] {"event", "set", "--namespace", "NS", "--", "e"},
                new String[] {"event", "set", "e", "--namespace"},
                new String[] {"event", "set", "e", "--namespace="},
                new String[] {"event", "set", "e", "--namespace", "NS", "--json=true"},
                new String[] {"event", "set", "e", "--namespace", "NS", "--manual"},
                new String[] {"event", "set", "e", "--zk", "127.0.0.1:1"},
                new String[] {"event", "wait", "e", "--zk=127.0.0.1:1", "--timeout", "0"},
                new String[] {"sem", "get", "s", "--zk-root", "/x", "--namespace", "NS"},
                new String[] {"event", "explode", "e", "--namespace", "NS"},
                new String[] {"sem", "post", "s", "--namespace", "NS", "--count", "010"},
                new String[] {"sem", "post", "s", "--namespace", "NS", "--count", "-1"},
                new String[] {"sem", "post", "s", "--namespace", "NS", "--count", "0x1"},
                new String[] {"sem", "post", "s", "--namespace", "NS", "--max", "3"},
                new String[] {"sem", "create", "s", "--namespace", "NS", "--initial", "9999999999"},
                new String[] {"sem", "create", "s", "--namespace", "NS", "--barging=true"},
                new String[] {"sem", "create", "s", "--namespace", "NS", "--barging", "--barging"},
                new String[] {"sem", "post", "s", "--namespace", "NS", "--barging"},
                new String[] {"event", "create", "e", "--namespace", "NS", "--barging"},
                new String[] {"sem", "wait", "s", "--namespace", "NS", "--timeout", "-1s"},
                new String[] {"mutex", "run", "m", "--namespace", "NS", "--", "true"},
                new String[] {"ls", "--namespace", "NS", "--json"},
                new String[] {"--namespace", "NS", "event", "set", "e"},
                new String[] {"event", "--namespace", "NS", "set", "e"},
                new String[] {"--help"});
        for (String[] line : lines) {
            Run r = viaShortPath(shortNs, line);
            assertEquals(new Run(ShortCommands.NOT_HANDLED, "", ""), r, String.join(" ", line));
        }
        assertEquals(before, state(shortNs), "nothing changed");
    }

    @Test
    void aShortCommandRunByTheLaunchersMainClassLoadsNoPicocliClass() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(CliProcess.java());
        cmd.addAll(CliProcess.jvmOptions());
        cmd.add("-Xlog:class+load=info");
        cmd.add("-cp");
        cmd.add(CliProcess.launch().classPath());
        cmd.add("io.waitkit.cli.Main");
        cmd.addAll(List.of(in(shortNs, "event", "set", "e", "--namespace", "NS")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended");
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("io.waitkit.cli.named.ShortCommands "), "the short path ran");
        assertFalse(log.contains(" picocli."), () -> log.lines().filter(l -> l.contains(" picocli.")).findFirst().orElse(""));
        assertNoZooKeeperClass(log);
        assertEquals(List.of("e event signaled", "m event signaled", "s semaphore 2/3"), state(shortNs));
    }

    /** Fails if the class-loading log names a class of io.waitkit.zk, Curator, ZooKeeper or their dependencies. */
    private static void assertNoZooKeeperClass(String log) {
        for (String prefix : List.of(" io.waitkit.zk.", " org.apache.curator.", " org.apache.zookeeper.", " io.netty.",
                " com.google.common.", " org.slf4j.", " io.waitkit.cli.named.ZkObjects", " io.waitkit.cli.demo.ZkDemo")) {
            assertFalse(log.contains(prefix), () -> log.lines().filter(l -> l.contains(prefix)).findFirst().orElse(""));
        }
    }

    @Test
    void localCommandsThroughPicocliLoadNoZooKeeperClassThoughItsJarsAreOnTheClassPath() throws Exception {
        String cp = CliProcess.launch().classPath();
        assertTrue(cp.contains("curator-framework") && cp.contains("zookeeper"), "the ZooKeeper jars are on the class path: " + cp);
        for (String[] line : List.of(
                new String[] {"ls", "--namespace", "NS"},
                new String[] {"mutex", "run", "lock", "--namespace", "NS", "--", "true"},
                new String[] {"sem", "post", "s", "--namespace", "NS", "--count", "01"})) {
            List<String> cmd = new ArrayList<>();
            cmd.add(CliProcess.java());
            cmd.addAll(CliProcess.jvmOptions());
            cmd.add("-Xlog:class+load=info");
            cmd.add("-cp");
            cmd.add(cp);
            cmd.add("io.waitkit.cli.Main");
            cmd.addAll(List.of(in(shortNs, line)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended");
            assertEquals(0, p.exitValue(), log);
            assertTrue(log.contains(" picocli.CommandLine "), "went through picocli: " + String.join(" ", line));
            assertNoZooKeeperClass(log);
        }
    }

    @Test
    void theEntryPointRunsBadFormsThroughPicocliWithItsUsageError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaitkitCli.run(new PrintWriter(out), new PrintWriter(err),
                in(shortNs, "event", "set", "e", "--namespace", "NS", "--timeout", "5x"));
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("waitkit: "), err.toString());
        assertTrue(err.toString().contains("'5x' is not a duration"), err.toString());
    }
}
