package io.waitkit.cli;

import static io.waitkit.cli.CliProcess.lines;
import static io.waitkit.cli.CliProcess.parseJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.waitkit.MessageQueue;
import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.NamedMessageQueue;
import io.waitkit.ipc.NamedMutex;
import io.waitkit.ipc.NamedObjectInfo;
import io.waitkit.ipc.NamedPipe;
import io.waitkit.ipc.Namespace;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands together with other processes: Java code in this JVM through {@code io.waitkit.ipc},
 * shell scripts, and each other.
 */
class CliCrossProcessTest {
    @TempDir
    Path tmp;
    Path nsDir;
    Namespace ns;
    CliProcess cli;
    ExecutorService pool;

    @BeforeEach
    void setUp() throws Exception {
        nsDir = tmp.resolve("ns");
        Files.createDirectories(tmp.resolve("scratch"));
        cli = new CliProcess(nsDir, tmp.resolve("scratch"));
        ns = Namespace.open(nsDir);
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    /** Waits (at most 20 s) until the object has at least {@code n} blocked waits in any process. */
    private void awaitWaiters(String name, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (NamedObjectInfo i : ns.list()) {
                if (i.name().equals(name) && i.waiters() >= n) {
                    return;
                }
            }
            Thread.sleep(5); // polling a condition, bounded by the deadline
        }
        fail("no waiter on " + name + " within 20 s: " + ns.list());
    }

    @Test
    void eventWaitInTheCommandIsReleasedByAJavaProcessAndTheReverse() throws Exception {
        try (NamedEvent e = ns.event("go", false, false);
                CliProcess.Started waiter = cli.start("event", "wait", "go", "--timeout", "20s")) {
            awaitWaiters("go", 1);
            assertTrue(waiter.process().isAlive(), "blocked until set");
            e.set();
            CliProcess.Result r = waiter.await();
            assertEquals(0, r.code(), r.toString());
            assertFalse(e.isSignaled(), "the command's wait consumed the auto-reset event");

            Future<Boolean> javaWait = pool.submit(() -> e.await(Duration.ofSeconds(20)));
            awaitWaiters("go", 1);
            assertEquals(0, cli.run("event", "set", "go").code());
            assertTrue(javaWait.get(30, TimeUnit.SECONDS), "released by the command");
        }
    }

    @Test
    void waitAnyOverThreeObjectsPrintsTheIndexOfTheOneThatBecameAvailable() throws Exception {
        assertEquals(0, cli.run("event", "create", "ev").code());
        assertEquals(0, cli.run("sem", "create", "sem", "--max", "5").code());
        assertEquals(0, cli.run("mq", "create", "jobs").code());
        try (NamedMessageQueue q = ns.openExisting("jobs", NamedMessageQueue.class);
                CliProcess.Started w = cli.start("wait", "--any", "ev", "sem", "jobs", "--timeout", "20s")) {
            awaitWaiters("jobs", 1);
            q.send("job-1".getBytes(StandardCharsets.UTF_8), 3);
            CliProcess.Result r = w.await();
            assertEquals(0, r.code(), r.toString());
            assertEquals(List.of("2", "job-1"), lines(r.out()), "the index, then the message received");
        }
        assertEquals(0, cli.run("sem", "post", "sem").code());
        CliProcess.Result sem = cli.run("wait", "--any", "ev", "sem", "jobs", "--json", "--timeout", "5s");
        assertEquals(0, sem.code(), sem.toString());
        Map<String, Object> j = parseJson(sem.out());
        assertEquals(1L, j.get("index"));
        assertEquals("semaphore", j.get("kind"));
        assertEquals("0", cli.run("sem", "get", "sem").out().strip(), "the permit stays taken");
        CliProcess.Result none = cli.run("wait", "--any", "ev", "sem", "jobs", "--timeout", "100ms");
        assertEquals(1, none.code(), none.toString());
    }

    @Test
    void waitAllTakesEveryObjectOrNothing() throws Exception {
        assertEquals(0, cli.run("event", "create", "ev", "--manual").code());
        assertEquals(0, cli.run("sem", "create", "sem", "--initial", "1").code());
        assertEquals(0, cli.run("mq", "create", "jobs").code());
        assertEquals(0, cli.run("mq", "send", "jobs", "payload").code());
        CliProcess.Result partial = cli.run("wait", "--all", "ev", "sem", "jobs", "--timeout", "100ms");
        assertEquals(1, partial.code(), partial.toString());
        assertEquals("1", cli.run("sem", "get", "sem").out().strip(), "nothing taken while the event was not signalled");
        assertEquals(0, cli.run("event", "set", "ev").code());
        CliProcess.Result all = cli.run("wait", "--all", "ev", "sem", "jobs", "--timeout", "5s");
        assertEquals(0, all.code(), all.toString());
        assertEquals("payload\n", all.out());
        assertEquals("0", cli.run("sem", "get", "sem").out().strip());
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS) // 200 command JVMs: about 50 s on 2 idle cores
    void mutexRunFromFourConcurrentShellsLosesNoIncrementOfACounterFile() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path wrapper = CliProcess.wrapper(bin);
        Path counter = tmp.resolve("counter");
        Files.writeString(counter, "0\n");
        int shells = 4;
        int perShell = Integer.getInteger("waitkit.cli.increments", 200) / shells;
        String script = """
                set -u
                for s in $(seq 1 %d); do
                  ( for i in $(seq 1 %d); do
                      "$WAITKIT" mutex run counter -- sh -c 'n=$(cat "$COUNTER"); echo $((n + 1)) > "$COUNTER"' || exit 1
                    done ) &
                done
                fail=0
                for j in $(jobs -p); do wait "$j" || fail=1; done
                exit $fail
                """.formatted(shells, perShell);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("scratch/counter.log").toFile());
        pb.environment().put("WAITKIT", wrapper.toString());
        pb.environment().put("COUNTER", counter.toString());
        pb.environment().put("WAITKIT_NAMESPACE", nsDir.toString());
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the shells did not finish within 240 s");
            assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("scratch/counter.log")));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertEquals(String.valueOf(shells * perShell), Files.readString(counter).strip());
    }

    @Test
    void mutexRunPassesTheStatusAndStandardStreamsOfItsCommand() {
        assertEquals(7, cli.run("mutex", "run", "m", "--", "sh", "-c", "exit 7").code());
        CliProcess.Result cat = cli.runWithInput("through stdin\n", "mutex", "run", "m", "--", "cat");
        assertEquals(0, cat.code(), cat.toString());
        assertEquals("through stdin\n", cat.out());
        CliProcess.Result err = cli.run("mutex", "run", "m", "--", "sh", "-c", "echo oops >&2; echo \"[$WAITKIT_ABANDONED]\"");
        assertEquals("oops\n", err.err());
        assertEquals("[]\n", err.out(), "not abandoned: the variable is not set");
    }

    @Test
    void mutexRunTimesOutWithExitCodeOneWithoutRunningItsCommand() throws Exception {
        assertEquals(0, cli.run("mutex", "run", "m", "--", "true").code());
        try (NamedMutex m = ns.openExisting("m", NamedMutex.class)) {
            m.lock();
            try {
                CliProcess.Result r = cli.run("mutex", "run", "m", "--timeout", "100ms", "--", "echo", "ran");
                assertEquals(1, r.code(), r.toString());
                assertEquals("", r.out());
                Map<String, Object> info = parseJson(cli.run("info", "m", "--json").out());
                assertEquals(ProcessHandle.current().pid(), info.get("ownerPid"));
            } finally {
                m.unlock();
            }
        }
    }

    @Test
    void anAbandonedMutexIsTakenAndReportedToTheNextCommand() throws Exception {
        // the command's JVM is killed (SIGKILL, by its own child) while it holds the mutex
        CliProcess.Result killed = cli.run("mutex", "run", "m", "--", "sh", "-c", "kill -9 $PPID");
        assertEquals(137, killed.code(), killed.toString());
        CliProcess.Result next = cli.run("mutex", "run", "m", "--timeout", "10s", "--", "sh", "-c", "echo \"[$WAITKIT_ABANDONED]\"");
        assertEquals(0, next.code(), next.toString());
        assertEquals("[1]\n", next.out());
        assertTrue(next.err().contains("abandoned"), next.toString());
        assertEquals("[]\n", cli.run("mutex", "run", "m", "--", "sh", "-c", "echo \"[$WAITKIT_ABANDONED]\"").out());

        assertEquals(137, cli.run("mutex", "run", "m", "--", "sh", "-c", "kill -9 $PPID").code());
        CliProcess.Result w = cli.run("wait", "--any", "m", "--timeout", "10s");
        assertEquals(3, w.code(), w.toString());
        assertEquals("0\n", w.out());
        assertEquals(0, cli.run("wait", "--any", "m", "--timeout", "0").code(), "released again: free, not abandoned");
    }

    @Test
    void pipeCarriesAShellProducersBytesToAJavaConsumerUntilEof() throws Exception {
        assertEquals(0, cli.run("pipe", "create", "p", "--capacity", "1024").code());
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path wrapper = CliProcess.wrapper(bin);
        try (NamedPipe p = ns.openExisting("p", NamedPipe.class); InputStream in = p.openReader()) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "seq 1 5000 | \"$WAITKIT\" pipe write p").redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("scratch/producer.log").toFile());
            pb.environment().put("WAITKIT", wrapper.toString());
            pb.environment().put("WAITKIT_NAMESPACE", nsDir.toString());
            Process producer = pb.start();
            try {
                Future<byte[]> read = pool.submit(in::readAllBytes); // ends at EOF: the producer closed its end
                String expected = IntStream.rangeClosed(1, 5000).mapToObj(String::valueOf).collect(Collectors.joining("\n", "", "\n"));
                assertEquals(expected, new String(read.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8));
                assertTrue(producer.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, producer.exitValue(), Files.readString(tmp.resolve("scratch/producer.log")));
            } finally {
                producer.destroyForcibly();
            }
        }
    }

    @Test
    void pipeReadCopiesAJavaWritersBytesToStandardOutputUntilEof() throws Exception {
        try (NamedPipe p = ns.pipe("p", 64); CliProcess.Started reader = cli.start("pipe", "read", "p", "--timeout", "20s")) {
            try (OutputStream out = p.openWriter()) {
                for (int i = 0; i < 100; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8)); // more than the buffer: flow control
                }
            }
            CliProcess.Result r = reader.await();
            assertEquals(0, r.code(), r.toString());
            assertEquals(100, lines(r.out()).size());
            assertEquals("line 99", lines(r.out()).get(99));
        }
    }

    @Test
    void pipeWriteToAPipeWhoseReadersAreGoneExitsWithTheSigpipeCode() throws Exception {
        try (NamedPipe p = ns.pipe("p", 1024)) {
            p.openReader().close(); // a reader came and went
            CliProcess.Result r = cli.runWithInput("x".repeat(10_000), "pipe", "write", "p");
            assertEquals(141, r.code(), r.toString());
            assertTrue(r.err().contains("broken pipe"), r.toString());
        }
    }

    @Test
    void sigintEndsABlockedWaitWithExitCode130() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ignoredAtStart(2), "SIGINT is ignored in this test run (started under nohup or as a background job: the command inherits it and rightly keeps waiting)");
        assertEquals(0, cli.run("event", "create", "never").code());
        try (CliProcess.Started w = cli.start("event", "wait", "never")) {
            awaitWaiters("never", 1);
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(w.process().pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            assertEquals(130, w.await().code());
        }
    }

    @Test
    void aJavaReceiverGetsWhatTheCommandSends() throws Exception {
        try (NamedMessageQueue q = ns.messageQueue("q", 8, 128)) {
            CompletableFuture<MessageQueue.Message> m = q.receiveAsync();
            assertEquals(0, cli.run("mq", "send", "q", "héllo", "--priority", "9").code());
            MessageQueue.Message got = m.get(30, TimeUnit.SECONDS);
            assertEquals("héllo", new String(got.data(), StandardCharsets.UTF_8));
            assertEquals(9, got.priority());
        }
    }

    /**
     * Whether this JVM started with signal {@code number} ignored (a run under {@code nohup}, or a
     * background job of a non-interactive shell, which ignores SIGINT): the JVM then leaves it
     * ignored, and so does every child it starts.
     */
    static boolean ignoredAtStart(int number) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (number - 1))) != 0;
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }
}
