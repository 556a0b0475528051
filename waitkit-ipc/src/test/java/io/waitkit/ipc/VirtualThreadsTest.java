package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waitkit.Event;
import io.waitkit.Wait;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Named objects and virtual threads, async waits, and the blocking backends.
 *
 * <ul>
 *   <li>"A virtual thread never blocks in a system call": the default scheduler's parallelism is
 *       fixed at JVM start, so a child JVM ({@link VirtualThreadsChild}) runs with 2 carriers
 *       and no compensation, blocks 1,000 virtual threads on named objects, and shows that
 *       other virtual threads still run.</li>
 *   <li>Wait-any of a named and an in-process event, sync and async; cancelling an async wait on
 *       a named semaphore withdraws it.</li>
 *   <li>Each forced backend ({@code futex}, {@code polling}) serves waiters: a child JVM forced
 *       to it ping-pongs in-JVM and with this JVM, and reports the backend.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VirtualThreadsTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    // ---- child JVMs

    /** A child JVM running {@link VirtualThreadsChild}, its output collected line by line. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader;

        Child(List<String> jvmOptions, String... args) throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.add("-XX:+UseSerialGC");
            cmd.add("-XX:TieredStopAtLevel=1");
            cmd.add("-Xshare:auto");
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(VirtualThreadsChild.class.getName());
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            reader = Thread.ofPlatform().daemon().name("child-output").start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        output.add(l);
                        lines.add(l);
                    }
                } catch (IOException e) {
                    output.add("(reading the output failed: " + e + ")");
                }
            });
        }

        /** The next line starting with {@code prefix}, skipping others; fails after {@code seconds}. */
        String awaitLine(String prefix, long seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (;;) {
                long left = end - System.nanoTime();
                String l = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
                if (l == null) {
                    fail("no line starting with " + prefix + " within " + seconds + " s" + describe());
                }
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
        }

        int awaitExit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                fail("the child JVM did not exit within " + seconds + " s" + describe());
            }
            reader.join(5_000);
            return process.exitValue();
        }

        String describe() {
            synchronized (output) {
                return "; output:\n  " + String.join("\n  ", output);
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    @Test
    void aThousandVirtualThreadsBlockedOnNamedObjectsLeaveTwoCarriersFreeForOtherWork() throws Exception {
        long t0 = System.nanoTime();
        try (Child child = new Child(List.of("-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2"),
                "carriers")) {
            int rc = child.awaitExit(60);
            assertEquals(0, rc, "exit status" + child.describe());
            assertTrue(child.output.contains("OK"), child.describe());
        }
        System.out.println("carriers child: " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"futex", "polling"})
    void aForcedBackendServesWaitersInItsJvmAndAcrossProcessesAndIsReported(String backend) throws Exception {
        if (!backend.equals("polling")) {
            assumeTrue(linux(), "futex backends are Linux only");
        }
        int rounds = 50;
        String ping = "xping";
        String pong = "xpong";
        Path dir = temp.dir.resolve(".pingpong-" + backend);
        Namespace ns = Namespace.open(dir);
        long t0 = System.nanoTime();
        try (NamedEvent pingE = ns.event(ping, false, false); NamedEvent pongE = ns.event(pong, false, false);
                Child child = new Child(List.of("-Dio.waitkit.ipc.backend=" + backend), "pingpong", dir.toString(), Integer.toString(rounds))) {
            String line = child.awaitLine("BACKEND ", 30);
            assertTrue(line.startsWith("BACKEND " + backend + ": "), "the child names the forced backend: " + line);
            assertTrue(line.contains("forced"), line);
            child.awaitLine("READY", 30);
            for (int i = 0; i < rounds; i++) {
                pingE.set();
                assertTrue(pongE.await(Duration.ofSeconds(10)), "round " + i + ": no pong from the child within 10 s" + child.describe());
            }
            String pool = child.awaitLine("POOL ", 30);
            assertFalse(pool.startsWith("POOL 0 "), "the child's waiter pool served its waits: " + pool);
            assertEquals(0, child.awaitExit(30), "exit status" + child.describe());
            assertTrue(child.output.contains("OK"), child.describe());
            assertFalse(pongE.isSignaled());
            assertFalse(pingE.isSignaled(), "every ping was consumed by the child");
            System.out.println(backend + " child" + child.describe());
        }
        System.out.println(backend + " child: " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
    }

    // ---- in this JVM

    @Test
    void waitAnyOverANamedEventAndAnInProcessEventWorksSync() throws Exception {
        String name = TempNamespace.fresh("any");
        try (NamedEvent named = temp.ns.event(name, false, false); NamedEvent setter = temp.ns.openExisting(name, NamedEvent.class)) {
            Event local = Event.autoReset(false);
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ofMillis(20), named, local));
            local.set();
            assertEquals(1, Wait.any(Duration.ofSeconds(5), named, local));
            assertFalse(local.isSignaled(), "the auto-reset local event was consumed");
            setter.set();
            assertEquals(0, Wait.any(Duration.ofSeconds(5), named, local));
            assertFalse(named.isSignaled(), "the auto-reset named event was consumed");

            // blocked first, then signalled from another thread, on a virtual thread
            CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return Wait.any(named, local);
                } catch (InterruptedException e) {
                    return -2;
                }
            }, r -> Thread.ofVirtual().start(r));
            NamespaceTest.awaitCondition(() -> named.info().waiters() == 1, "the wait-any is queued on the named event");
            setter.set();
            assertEquals(0, f.get(10, TimeUnit.SECONDS));
            assertEquals(0, named.info().waiters(), "the wait-any left no waiter behind");
            assertFalse(named.isSignaled());

            // both signalled: the lowest index wins, the other stays signalled
            setter.set();
            local.set();
            assertEquals(0, Wait.any(Duration.ZERO, named, local));
            assertTrue(local.isSignaled());
            assertEquals(1, Wait.any(Duration.ZERO, named, local));
        }
    }

    @Test
    void waitAnyOverANamedEventAndAnInProcessEventWorksAsync() throws Exception {
        String name = TempNamespace.fresh("anyAsync");
        try (NamedEvent named = temp.ns.event(name, false, false); NamedEvent setter = temp.ns.openExisting(name, NamedEvent.class)) {
            Event local = Event.autoReset(false);
            CompletableFuture<Integer> f = Wait.anyAsync(named, local);
            NamespaceTest.awaitCondition(() -> named.info().waiters() == 1, "queued");
            assertFalse(f.isDone());
            setter.set();
            assertEquals(0, f.get(10, TimeUnit.SECONDS));
            assertFalse(named.isSignaled());

            CompletableFuture<Integer> g = Wait.anyAsync(named, local);
            local.set();
            assertEquals(1, g.get(10, TimeUnit.SECONDS));
            NamespaceTest.awaitCondition(() -> named.info().waiters() == 0, "the named event's wait withdrawn after the local won");
            setter.set();
            assertTrue(named.isSignaled(), "the wait-any that the local event won consumed nothing of the named event");

            CompletableFuture<Void> h = named.awaitAsync();
            assertTrue(h.isDone(), "already signalled: completes at once");
            h.get();
            assertFalse(named.isSignaled());
            CompletableFuture<Void> k = named.awaitAsync();
            assertFalse(k.isDone());
            setter.set();
            k.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void cancellingAnAsyncWaitOnANamedSemaphoreWithdrawsIt() throws Exception {
        String name = TempNamespace.fresh("cancel");
        try (NamedSemaphore s = temp.ns.semaphore(name, 0, 2); NamedSemaphore releaser = temp.ns.openExisting(name, NamedSemaphore.class)) {
            CompletableFuture<Void> f = s.acquireAsync();
            NamespaceTest.awaitCondition(() -> s.info().waiters() == 1, "the async wait is queued");
            assertTrue(f.cancel(true));
            assertTrue(f.isCancelled());
            NamespaceTest.awaitCondition(() -> s.info().waiters() == 0, "the cancelled wait is withdrawn");
            assertEquals(0, releaser.release());
            assertEquals(1, s.availablePermits(), "the cancelled future did not consume the release");

            // also for a wait-any of a named semaphore and an in-process event
            assertTrue(s.tryAcquire());
            Event local = Event.manualReset(false);
            CompletableFuture<Integer> g = Wait.anyAsync(local, s);
            NamespaceTest.awaitCondition(() -> s.info().waiters() == 1, "the wait-any is queued");
            assertTrue(g.cancel(false));
            NamespaceTest.awaitCondition(() -> s.info().waiters() == 0, "withdrawn");
            releaser.release(2);
            assertEquals(2, s.availablePermits());
            try {
                g.join();
                fail("cancelled");
            } catch (CancellationException expected) {
                // as documented
            }

            // many cancelled waiters, then releases: every permit stays available
            assertTrue(s.tryAcquire());
            assertTrue(s.tryAcquire());
            List<CompletableFuture<Void>> many = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                many.add(s.acquireAsync());
            }
            NamespaceTest.awaitCondition(() -> s.info().waiters() == 20, "20 queued");
            many.forEach(x -> x.cancel(true));
            NamespaceTest.awaitCondition(() -> s.info().waiters() == 0, "all withdrawn");
            releaser.release(2);
            assertEquals(2, s.availablePermits());
        }
    }

    @Test
    void virtualThreadsBlockedOnANamedSemaphoreAreServedInThisJvm() throws Exception {
        String name = TempNamespace.fresh("vt");
        int n = 200;
        try (NamedSemaphore s = temp.ns.semaphore(name, 0, n); NamedSemaphore releaser = temp.ns.openExisting(name, NamedSemaphore.class)) {
            AtomicInteger acquired = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        if (s.tryAcquire(Duration.ofSeconds(30))) {
                            acquired.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            NamespaceTest.awaitCondition(() -> s.info().waiters() == n, n + " virtual threads queued");
            for (int i = 0; i < n; i += 10) {
                releaser.release(10);
            }
            for (Thread t : threads) {
                t.join(10_000);
                assertFalse(t.isAlive());
            }
            assertEquals(n, acquired.get());
            assertEquals(0, s.availablePermits());
            assertEquals(0, s.info().waiters());
        }
    }
}
