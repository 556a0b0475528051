package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.zk.ZkMutex;
import io.waitkit.zk.ZkNamespace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object commands with {@code --zk} against an in-JVM ensemble of three ZooKeeper servers:
 * each command line runs as the entry point runs it (its own connection and session, closed when
 * it ends), with the exit codes, output and error lines of the local commands. Each test works
 * under a root path of its own ({@code --zk-root}). Blocking commands run on other threads and
 * are released by a second command; every wait is bounded.
 */
class CliZkCommandsTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static TestingCluster cluster;
    private String root;

    @TempDir
    Path tmp;

    /** The exit code and both streams of one run. */
    private record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void startEnsemble() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void freshRoot() {
        root = "/cli-test-" + SEQ.incrementAndGet();
    }

    /** Runs {@code waitkit ARGS}, where the argument {@code ZK} stands for {@code --zk CONNECT --zk-root ROOT}. */
    private Run run(String... args) {
        List<String> a = new ArrayList<>();
        for (String s : args) {
            if (s.equals("ZK")) {
                a.addAll(List.of("--zk", cluster.getConnectString(), "--zk-root", root));
            } else {
                a.add(s);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaitkitCli.run(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private CompletableFuture<Run> runAsync(String... args) {
        return CompletableFuture.supplyAsync(() -> run(args), r -> Thread.ofPlatform().daemon().start(r));
    }

    private static void assertCode(int code, Run r) {
        assertEquals(code, r.code(), () -> "exit code; out: " + r.out() + " err: " + r.err());
    }

    @Test
    void eventCreateSetWaitAndResetBehaveAsTheLocalCommands() throws Exception {
        Run created = run("event", "create", "e", "ZK", "--json");
        assertCode(0, created);
        assertEquals("{\"name\":\"e\",\"kind\":\"event\",\"created\":true,\"manualReset\":false,\"signaled\":false}",
                created.out().strip());
        assertCode(1, run("event", "wait", "e", "ZK", "--timeout", "0"));
        CompletableFuture<Run> waiter = runAsync("event", "wait", "e", "ZK", "--timeout", "60s", "--json");
        // the waiter's own session sees the set of another session (a waiter that came after the
        // set takes the signal at once: the test holds either way)
        assertCode(0, run("event", "set", "e", "ZK"));
        Run woken = waiter.get(90, TimeUnit.SECONDS);
        assertCode(0, woken);
        assertEquals("{\"name\":\"e\",\"signaled\":true,\"timedOut\":false}", woken.out().strip());
        assertCode(1, run("event", "wait", "e", "ZK", "--timeout", "0"));
        assertCode(0, run("event", "create", "m", "ZK", "--manual", "--signaled"));
        assertCode(0, run("event", "wait", "m", "ZK", "--timeout", "0"));
        assertCode(0, run("event", "wait", "m", "ZK", "--timeout", "0"));
        assertEquals("{\"name\":\"m\",\"signaled\":false}", run("event", "reset", "m", "ZK", "--json").out().strip());
        Run again = run("event", "create", "m", "ZK", "--json");
        assertEquals("{\"name\":\"m\",\"kind\":\"event\",\"created\":false,\"manualReset\":true,\"signaled\":false}",
                again.out().strip(), "an existing event is kept as it is");
    }

    @Test
    void missingNamesWrongKindsAndBadNamesGiveTheLocalExitCodes() {
        assertCode(0, run("sem", "create", "s", "ZK"));
        Run missing = run("event", "set", "missing", "ZK");
        assertCode(4, missing);
        assertTrue(missing.err().startsWith("waitkit: no event 'missing' in ZooKeeper "), missing.err());
        assertEquals(1, missing.err().lines().count(), missing.err());
        Run wrong = run("event", "set", "s", "ZK");
        assertCode(5, wrong);
        assertTrue(wrong.err().contains("'s' in ZooKeeper") && wrong.err().contains("is a semaphore, not an event"), wrong.err());
        assertCode(5, run("mutex", "run", "s", "ZK", "--", "true"));
        assertCode(2, run("event", "set", "a/b", "ZK"));
        assertCode(4, run("sem", "get", "missing", "ZK", "--json"));
    }

    @Test
    void aPermitTakenBySemWaitStaysTakenAfterTheCommandEnds() {
        assertCode(0, run("sem", "create", "s", "ZK", "--initial", "1", "--max", "2"));
        assertEquals("1", run("sem", "get", "s", "ZK").out().strip());
        assertCode(0, run("sem", "wait", "s", "ZK", "--timeout", "5s"));
        assertEquals("0", run("sem", "get", "s", "ZK").out().strip(), "the permit outlived the command's session");
        assertCode(1, run("sem", "wait", "s", "ZK", "--timeout", "0"));
        assertEquals("{\"name\":\"s\",\"before\":0,\"max\":2}", run("sem", "post", "s", "ZK", "--json").out().strip());
        Run full = run("sem", "post", "s", "ZK", "--count", "5");
        assertCode(1, full);
        assertTrue(full.err().contains("would exceed its maximum 2 (count 1); nothing changed"), full.err());
        assertEquals("{\"name\":\"s\",\"available\":1,\"max\":2}", run("sem", "get", "s", "ZK", "--json").out().strip());
        assertCode(2, run("sem", "create", "u", "ZK", "--initial", "5", "--max", "2"));
        assertCode(0, run("sem", "create", "s", "ZK", "--max", "7"));
        assertEquals("{\"name\":\"s\",\"available\":1,\"max\":2}", run("sem", "get", "s", "ZK", "--json").out().strip(),
                "an existing semaphore keeps its count and maximum");
    }

    @Test
    void mutexRunHoldsTheMutexWhileTheCommandRunsAndReportsAnAbandonedOne() throws Exception {
        assertCode(7, run("mutex", "run", "m", "ZK", "--", "sh", "-c", "exit 7"));
        assertCode(2, run("mutex", "run", "m", "ZK"));
        // another process's session holds it: a timed run gives up, CMD not run
        try (ZkNamespace other = ZkNamespace.connect(cluster.getConnectString(), root, Duration.ofSeconds(30))) {
            ZkMutex m = other.mutex("m");
            m.lock();
            Run busy = run("mutex", "run", "m", "ZK", "--timeout", "300ms", "--", "true");
            assertCode(1, busy);
            assertTrue(busy.err().contains("not taken within 300 ms; true not run"), busy.err());
            // the holder's session ends while it holds the mutex: the next run is told
        }
        Path said = tmp.resolve("said");
        Run taken = run("mutex", "run", "m", "ZK", "--timeout", "30s", "--", "sh", "-c",
                "echo abandoned=$WAITKIT_ABANDONED > '" + said + "'");
        assertCode(0, taken);
        assertEquals("abandoned=1", Files.readString(said).strip(), "CMD ran with WAITKIT_ABANDONED=1");
        assertTrue(taken.err().contains("mutex 'm' was abandoned by its previous holder"), taken.err());
        // released again by the run: a program takes it at once, not abandoned
        try (ZkNamespace other = ZkNamespace.connect(cluster.getConnectString(), root, Duration.ofSeconds(30))) {
            ZkMutex m = other.mutex("m");
            try {
                assertTrue(m.tryLock(Duration.ofSeconds(10)));
            } catch (AbandonedMutexException e) {
                throw new AssertionError("mutex run left the mutex abandoned", e);
            }
            m.unlock();
        }
    }

    @Test
    void counterCommandsUpdateReadAndWaitForABound() throws Exception {
        assertCode(0, run("counter", "create", "c", "ZK", "--initial", "5"));
        assertEquals("8", run("counter", "add", "c", "3", "ZK").out().strip());
        assertEquals("{\"name\":\"c\",\"value\":8}", run("counter", "get", "c", "ZK", "--json").out().strip());
        assertCode(0, run("counter", "set", "c", "2", "ZK"));
        assertCode(1, run("counter", "wait", "c", "--at-least", "3", "ZK", "--timeout", "0"));
        CompletableFuture<Run> waiter = runAsync("counter", "wait", "c", "--at-least", "4", "ZK", "--timeout", "60s");
        assertEquals("4", run("counter", "add", "c", "2", "ZK").out().strip());
        assertCode(0, waiter.get(90, TimeUnit.SECONDS));
        assertCode(0, run("counter", "wait", "c", "--equal", "4", "ZK", "--timeout", "0"));
        Run local = run("counter", "get", "c");
        assertCode(2, local);
        assertTrue(local.err().contains("counters are objects on ZooKeeper only"), local.err());
    }

    @Test
    void barrierWaitReturnsWhenEveryPartyHasArrived() throws Exception {
        assertCode(0, run("barrier", "create", "b", "ZK", "--parties", "2"));
        assertCode(1, run("barrier", "wait", "b", "ZK", "--timeout", "200ms"));
        CompletableFuture<Run> first = runAsync("barrier", "wait", "b", "ZK", "--timeout", "60s");
        CompletableFuture<Run> second = runAsync("barrier", "wait", "b", "ZK", "--timeout", "60s", "--json");
        assertCode(0, first.get(90, TimeUnit.SECONDS));
        Run s = second.get(90, TimeUnit.SECONDS);
        assertCode(0, s);
        assertEquals("{\"name\":\"b\",\"tripped\":true,\"timedOut\":false}", s.out().strip());
    }

    @Test
    void lsInfoWaitAndRmSeeTheObjectsOfTheRoot() {
        assertCode(0, run("event", "create", "e", "ZK", "--signaled", "--manual"));
        assertCode(0, run("sem", "create", "s", "ZK", "--initial", "0", "--max", "3"));
        Run ls = run("ls", "ZK");
        assertCode(0, ls);
        List<String> lines = ls.out().lines().toList();
        assertEquals(3, lines.size(), ls.out());
        assertTrue(lines.get(0).startsWith("NAME  KIND"), ls.out());
        assertTrue(lines.get(1).matches("e +event +signaled .*"), ls.out());
        assertTrue(lines.get(2).matches("s +semaphore +0/3 .*"), ls.out());
        assertTrue(run("info", "s", "ZK").out().contains("max:            3"));
        Run watch = run("watch", "ZK", "--count", "2", "--interval", "50ms");
        assertCode(0, watch);
        assertEquals(2, watch.out().lines().filter(l -> l.startsWith("waitkit watch  ZooKeeper ")).count(), watch.out());
        assertEquals(2, watch.out().lines().filter(l -> l.matches("s +semaphore +0/3 .*")).count(), watch.out());
        Run any = run("wait", "--any", "s", "e", "ZK", "--timeout", "5s");
        assertCode(0, any);
        assertEquals("1", any.out().strip());
        assertCode(0, run("rm", "e", "s", "ZK"));
        assertEquals(1, run("ls", "ZK").out().lines().count(), "only the header");
        assertCode(4, run("rm", "e", "ZK"));
        assertCode(4, run("info", "e", "ZK"));
    }

    /** The WAITERS and OPENERS columns of the object {@code name} in an {@code ls} table, or null if not listed. */
    private static String waitersAndOpeners(Run ls, String name) {
        for (String l : ls.out().lines().toList()) {
            String[] f = l.trim().split(" +");
            if (f[0].equals(name)) {
                return f[f.length - 2] + " " + f[f.length - 1];
            }
        }
        return null;
    }

    /** Runs {@code ls} until {@code done} holds for it, for at most 60 s; the last table either way. */
    private Run lsUntil(java.util.function.Predicate<Run> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Run ls = run("ls", "ZK");
        while (!done.test(ls) && System.nanoTime() - deadline < 0) {
            // polling what other sessions have registered: nothing here can be told when they have
            Thread.sleep(100);
            ls = run("ls", "ZK");
        }
        return ls;
    }

    @Test
    void lsCountsTheWaitsZooKeeperRecordsAndShowsNoOpeners() throws Exception {
        assertCode(0, run("event", "create", "e", "ZK"));
        assertCode(0, run("mq", "create", "q", "ZK"));
        assertCode(0, run("sem", "create", "s", "ZK", "--initial", "0", "--max", "1"));
        assertCode(0, run("barrier", "create", "b", "ZK", "--parties", "2"));
        assertCode(0, run("counter", "create", "c", "ZK"));
        try (ZkNamespace holder = ZkNamespace.connect(cluster.getConnectString(), root, Duration.ofSeconds(30))) {
            ZkMutex m = holder.mutex("m");
            m.lock();
            Run idle = run("ls", "ZK");
            assertEquals("0 -", waitersAndOpeners(idle, "e"), idle.out());
            assertEquals("0 -", waitersAndOpeners(idle, "m"), "the holder is not a waiter: " + idle.out());
            assertEquals("0 -", waitersAndOpeners(idle, "q"), idle.out());
            assertEquals("0 -", waitersAndOpeners(idle, "b"), idle.out());
            assertEquals("- -", waitersAndOpeners(idle, "s"), "a semaphore's waits leave no node: " + idle.out());
            assertEquals("- -", waitersAndOpeners(idle, "c"), idle.out());
            List<CompletableFuture<Run>> waits = List.of(runAsync("event", "wait", "e", "ZK", "--timeout", "60s"),
                    runAsync("mutex", "run", "m", "ZK", "--timeout", "60s", "--", "true"),
                    runAsync("mq", "recv", "q", "ZK", "--timeout", "60s"),
                    runAsync("barrier", "wait", "b", "ZK", "--timeout", "60s"),
                    runAsync("sem", "wait", "s", "ZK", "--timeout", "60s"));
            Run busy = lsUntil(r -> List.of("e", "m", "q", "b").stream().allMatch(n -> "1 -".equals(waitersAndOpeners(r, n))));
            for (String n : List.of("e", "m", "q", "b")) {
                assertEquals("1 -", waitersAndOpeners(busy, n), n + ": " + busy.out());
            }
            assertEquals("- -", waitersAndOpeners(busy, "s"), busy.out());
            Run json = run("ls", "ZK", "--json");
            assertTrue(json.out().lines().anyMatch(l -> l.startsWith("{\"name\":\"e\",") && l.endsWith(",\"waiters\":1,\"openers\":null}")),
                    json.out());
            assertTrue(json.out().lines().anyMatch(l -> l.startsWith("{\"name\":\"s\",") && l.endsWith(",\"waiters\":null,\"openers\":null}")),
                    json.out());
            Run info = run("info", "m", "ZK");
            assertTrue(info.out().contains("waiters:        1\nopeners:        -\n"), info.out());
            assertCode(0, run("event", "set", "e", "ZK"));
            assertCode(0, run("mq", "send", "q", "x", "ZK"));
            assertCode(0, run("barrier", "wait", "b", "ZK", "--timeout", "60s"));
            assertCode(0, run("sem", "post", "s", "ZK"));
            m.unlock();
            for (CompletableFuture<Run> w : waits) {
                assertCode(0, w.get(90, TimeUnit.SECONDS));
            }
        }
        Run after = lsUntil(r -> List.of("e", "m", "q", "b").stream().allMatch(n -> "0 -".equals(waitersAndOpeners(r, n))));
        for (String n : List.of("e", "m", "q", "b")) {
            assertEquals("0 -", waitersAndOpeners(after, n), "the waits are gone with their sessions: " + after.out());
        }
    }

    @Test
    void messageQueueCommandsKeepPriorityOrderAndTheLocalExitCodes() {
        Run created = run("mq", "create", "q", "ZK", "--capacity", "2", "--max-size", "8", "--json");
        assertCode(0, created);
        assertEquals("{\"name\":\"q\",\"kind\":\"message-queue\",\"created\":true,\"capacity\":2,\"maxMessageSize\":8}",
                created.out().strip());
        assertCode(0, run("mq", "send", "q", "low", "ZK", "--priority", "1"));
        assertCode(0, run("mq", "send", "q", "high", "ZK", "--priority", "5"));
        Run full = run("mq", "send", "q", "third", "ZK", "--timeout", "100ms", "--json");
        assertCode(1, full);
        assertEquals("{\"name\":\"q\",\"sent\":false,\"timedOut\":true,\"priority\":0,\"bytes\":5}", full.out().strip());
        assertCode(2, run("mq", "send", "q", "too-long-for-8", "ZK", "--timeout", "0"));
        assertTrue(run("ls", "ZK").out().lines().anyMatch(l -> l.matches("q +message-queue +2/2 messages .*")));
        assertTrue(run("info", "q", "ZK", "--json").out().contains("\"size\":2,\"capacity\":2,\"maxMessageSize\":8"));
        Run first = run("mq", "recv", "q", "ZK", "--json");
        assertCode(0, first);
        assertEquals("{\"name\":\"q\",\"received\":true,\"priority\":5,\"message\":\"high\"}", first.out().strip());
        assertEquals("{\"name\":\"q\",\"received\":true,\"priority\":1,\"message\":\"low\"}",
                run("mq", "recv", "q", "ZK", "--json").out().strip());
        Run empty = run("mq", "recv", "q", "ZK", "--timeout", "100ms", "--json");
        assertCode(1, empty);
        assertEquals("{\"name\":\"q\",\"received\":false,\"timedOut\":true}", empty.out().strip());
        assertCode(0, run("event", "create", "e", "ZK"));
        assertCode(0, run("mq", "send", "q", "job", "ZK", "--priority", "3"));
        Run any = run("wait", "--any", "e", "q", "ZK", "--timeout", "5s", "--json");
        assertCode(0, any);
        assertEquals("{\"index\":1,\"name\":\"q\",\"kind\":\"message-queue\",\"priority\":3,\"message\":\"job\"}",
                any.out().strip());
        assertCode(0, run("mq", "send", "q", "all", "ZK"));
        assertEquals("{\"index\":0,\"name\":\"q\",\"kind\":\"message-queue\",\"priority\":0,\"message\":\"all\"}",
                run("wait", "--all", "q", "ZK", "--timeout", "5s", "--json").out().strip());
        assertCode(1, run("mq", "recv", "q", "ZK", "--timeout", "0"));
        assertCode(0, run("rm", "q", "ZK"));
        assertCode(4, run("mq", "send", "q", "x", "ZK"));
    }

    @Test
    void messageQueueCommandsOnAnotherKindOrABargingRequestSayWhyOnOneLine() {
        assertCode(0, run("sem", "create", "s", "ZK"));
        Run wrong = run("mq", "send", "s", "x", "ZK");
        assertCode(5, wrong);
        assertTrue(wrong.err().contains("is a semaphore, not a message-queue"), wrong.err());
        assertEquals(1, wrong.err().lines().count(), wrong.err());
        assertCode(5, run("mq", "create", "s", "ZK"));
        assertCode(5, run("mq", "recv", "s", "ZK", "--timeout", "0"));
        Run mutex = run("mutex", "run", "m", "ZK", "--barging", "--", "true");
        assertCode(2, mutex);
        assertTrue(mutex.err().contains("mutex run: --barging is not available with --zk"), mutex.err());
        Run sem = run("sem", "create", "b", "ZK", "--barging");
        assertCode(2, sem);
        assertTrue(sem.err().contains("sem create: --barging is not available with --zk"), sem.err());
        assertEquals(2, run("ls", "ZK").out().lines().count(), "nothing created but s");
    }

    @Test
    void commandsWithoutACounterpartOnZooKeeperSaySoWithUsageCode() {
        assertCode(2, run("pipe", "read", "p", "ZK"));
        assertCode(2, run("signal", "send", "1", "TERM", "ZK"));
        Run rootOnly = run("event", "set", "e", "--zk-root", "/x");
        assertCode(2, rootOnly);
        assertTrue(rootOnly.err().contains("give --zk CONNECT too"), rootOnly.err());
        assertCode(2, run("event", "set", "e", "ZK", "--namespace", "/tmp/somewhere"));
    }

    @Test
    void aMalformedConnectStringIsAUsageErrorAtOnce() {
        Run r = run("event", "set", "e", "--zk", "localhost:99999");
        assertCode(2, r);
        assertTrue(r.err().contains("invalid connect string \"localhost:99999\"") && r.err().contains("not a number from 1 to 65535"),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void anEnsembleThatDoesNotAnswerEndsTheCommandWithinTheConnectWait() {
        long t0 = System.nanoTime();
        Run r = run("sem", "get", "s", "--zk", "127.0.0.1:1");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertCode(1, r);
        assertTrue(r.err().startsWith("waitkit: no ZooKeeper server of \"127.0.0.1:1\" answered within 5000 ms"), r.err());
        // the phrase the demo's shell worker retries on (ZkShellWorkerRetryTest)
        assertTrue(r.err().contains("(the wait for a first connection;"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(ms < 30_000, "ended after " + ms + " ms (the connect wait is 5 s)");
    }

    @Test
    void withoutTheZooKeeperJarsACommandWithZkSaysSoOnOneLine() throws Exception {
        StringBuilder cp = new StringBuilder();
        for (String e : CliProcess.classPath().split(java.io.File.pathSeparator)) {
            if (!e.contains("waitkit-zk") && !e.contains("curator") && !e.contains("zookeeper")) {
                cp.append(cp.isEmpty() ? "" : java.io.File.pathSeparator).append(e);
            }
        }
        List<String> cmd = new ArrayList<>(List.of(CliProcess.java()));
        cmd.addAll(CliProcess.jvmOptions());
        cmd.addAll(List.of("-cp", cp.toString(), "io.waitkit.cli.Main", "event", "set", "e", "--zk", "127.0.0.1:1"));
        Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile())
                .start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended");
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(tmp.resolve("err"));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.startsWith("waitkit: --zk: the ZooKeeper client is not on the class path"), err);
        assertEquals(1, err.lines().count(), err);
    }
}
