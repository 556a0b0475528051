package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real {@code jstack} tool, run against a child JVM holding a deadlock between two Waitkit
 * mutexes ({@link DeadlockChild}), reports it as a Java-level deadlock naming both threads and
 * the owner of what each waits for. Every wait is bounded and the child is killed at the end.
 */
class JstackDeadlockTest {
    @Test
    void jstackReportsAWaitkitMutexDeadlockNamingBothThreads() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path jstack = javaHome.resolve("bin").resolve("jstack");
        assertTrue(Files.isExecutable(jstack), "no jstack in " + javaHome);
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                DeadlockChild.class.getName())).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals("READY", ready.get(60, TimeUnit.SECONDS), "the child did not deadlock");
            Process dump = new ProcessBuilder(List.of(jstack.toString(), Long.toString(child.pid())))
                    .redirectErrorStream(true).start();
            CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            boolean ended = dump.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                dump.destroyForcibly();
            }
            assertTrue(ended, "jstack did not end within 60 s");
            String report = text.get(10, TimeUnit.SECONDS);
            assertEquals(0, dump.exitValue(), report);
            assertTrue(report.contains("Found one Java-level deadlock"), report);
            int deadlock = report.indexOf("Found one Java-level deadlock");
            String section = report.substring(deadlock);
            assertTrue(section.contains("\"account-1\":") && section.contains("\"account-2\":"), section);
            assertTrue(section.contains("waiting for ownable synchronizer"), section);
            assertTrue(section.contains("io.waitkit.internal.OwnerBlocker"), section);
            assertTrue(section.contains("which is held by \"account-1\"")
                    && section.contains("which is held by \"account-2\""), section);
            assertTrue(section.contains("io.waitkit.Mutex.lock"), section);
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM did not end");
        }
    }
}
