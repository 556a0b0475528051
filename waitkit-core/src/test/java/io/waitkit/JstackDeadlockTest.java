package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real {@code jstack PID} and {@code jcmd PID Thread.print}, run against a child JVM holding
 * a deadlock between two Waitkit mutexes ({@link DeadlockChild}), report it as a Java-level
 * deadlock naming both threads and the owner of what each waits for. Every wait is bounded and
 * the child is killed at the end.
 */
class JstackDeadlockTest {
    @Test
    void jstackAndJcmdThreadPrintReportAWaitkitMutexDeadlockNamingBothThreads() throws Exception {
        Path bin = Path.of(System.getProperty("java.home")).resolve("bin");
        Path jstack = bin.resolve("jstack");
        Path jcmd = bin.resolve("jcmd");
        assertTrue(Files.isExecutable(jstack) && Files.isExecutable(jcmd), "no jstack or jcmd in " + bin);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                DeadlockChild.class.getName())).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertEquals("READY", ready.get(60, TimeUnit.SECONDS), "the child did not deadlock");
            String pid = Long.toString(child.pid());
            assertReportsTheDeadlock(List.of(jstack.toString(), pid));
            assertReportsTheDeadlock(List.of(jcmd.toString(), pid, "Thread.print"));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM did not end");
        }
    }

    /** Runs a thread-dump command against the child and checks its deadlock section. */
    private static void assertReportsTheDeadlock(List<String> command) throws Exception {
        Process dump = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean ended = dump.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            dump.destroyForcibly();
        }
        assertTrue(ended, command + " did not end within 60 s");
        String report = text.get(10, TimeUnit.SECONDS);
        assertEquals(0, dump.exitValue(), report);
        int deadlock = report.indexOf("Found one Java-level deadlock");
        assertTrue(deadlock >= 0, command + ":\n" + report);
        String section = report.substring(deadlock);
        assertTrue(section.contains("\"account-1\":") && section.contains("\"account-2\":"), section);
        assertTrue(section.contains("waiting for ownable synchronizer"), section);
        assertTrue(section.contains("io.waitkit.internal.OwnerBlocker"), section);
        assertTrue(section.contains("which is held by \"account-1\"")
                && section.contains("which is held by \"account-2\""), section);
        assertTrue(section.contains("io.waitkit.Mutex.lock"), section);
    }
}
