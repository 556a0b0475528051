package io.waitkit.compat.hpux;

import static io.waitkit.compat.hpux.PostWait.EAGAIN;
import static io.waitkit.compat.hpux.PostWait.EINVAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads;
import io.waitkit.ipc.NamedPostWait;
import io.waitkit.ipc.Namespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HP-UX facade with cross-process ukids ({@link PostWait#attach}): posts between this JVM
 * and child JVMs ({@link PostWaitChild}) that use the facade, EINVAL for a killed process's
 * ukid, and in-JVM thread ids still working. Synchronization is by the children's output lines;
 * every wait is bounded.
 */
class PostWaitCrossProcessTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static Path dir;
    private static Namespace ns;

    /** A child JVM running {@link PostWaitChild}, its output lines collected. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final List<String> lines = new ArrayList<>();

        Child(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                    System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", PostWaitChild.class.getName()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        synchronized (lines) {
                            lines.add(l);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
            });
        }

        /** The first line starting with {@code prefix}, waiting at most {@link #BOUND}. */
        String await(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + BOUND.toNanos();
            synchronized (lines) {
                for (;;) {
                    for (String l : lines) {
                        if (l.startsWith(prefix)) {
                            return l;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no line " + prefix + " within " + BOUND + "; output: " + lines);
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                }
            }
        }

        long ukid() throws InterruptedException {
            return Long.parseLong(await("UKID ").substring(5));
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS));
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }

    @BeforeAll
    static void attach() throws IOException {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "waitkit-compat-pw-");
        ns = Namespace.open(dir);
        PostWait.attach(ns);
    }

    @AfterAll
    static void detach() throws IOException {
        PostWait.detach();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @AfterEach
    void clearOwnPost() {
        PostWait.pw_wait(new Timespec(0, 0));
    }

    @Test
    void attachedUkidsAreCrossProcessAndAttachIsIdempotent() {
        long[] k = new long[1];
        assertEquals(0, PostWait.pw_getukid(k));
        assertTrue(k[0] >= 1L << 32, "a cross-process ukid: " + k[0]);
        assertEquals(ProcessHandle.current().pid(), k[0] >>> 32);
        assertEquals(k[0], PostWait.getukid(), "one registration per thread");
        PostWait.attach(ns);
        assertThrows(IllegalStateException.class, () -> PostWait.attach(Namespace.open(dir.resolve("other"))));
        assertEquals(ns, PostWait.attachedNamespace().orElseThrow());
    }

    @Test
    void aChildPostsToThisThreadAndPwWaitReturns() throws Exception {
        long me = PostWait.getukid();
        try (Child poster = new Child("postv", dir.toString(), Long.toString(me))) {
            assertEquals(0, PostWait.pw_wait(new Timespec(BOUND.toSeconds(), 0)), "posted by the child");
            assertEquals("POSTV 0 0", poster.await("POSTV"));
        }
    }

    @Test
    void thisThreadPostsToAChildInPwWait() throws Exception {
        try (Child waiter = new Child("wait", dir.toString(), Long.toString(BOUND.toSeconds()))) {
            long k = waiter.ukid();
            assertEquals(0, PostWait.pw_post(k));
            assertEquals("WAIT 0 0", waiter.await("WAIT"));
        }
    }

    @Test
    void postvToLiveKilledAndInJvmTargetsGivesEinvalForTheKilledOnly() throws Exception {
        long dead;
        try (Child holder = new Child("hold", dir.toString())) {
            dead = holder.ukid();
            assertEquals(0, PostWait.pw_post(dead), "alive: posted");
            holder.kill();
        }
        assertEquals(-1, PostWait.pw_post(dead));
        assertEquals(EINVAL, PostWait.errno());

        long me = PostWait.getukid();
        CompletableFuture<Long> peerUkid = new CompletableFuture<>();
        CompletableFuture<Integer> peerWait = new CompletableFuture<>();
        Thread peer = Thread.ofPlatform().start(() -> {
            peerUkid.complete(Thread.currentThread().threadId());
            PostWait.getukid(); // known to the facade by its thread id too
            peerWait.complete(PostWait.pw_wait(new Timespec(BOUND.toSeconds(), 0)));
        });
        peerUkid.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        TestThreads.awaitBlocked(peer);
        int[] errors = new int[3];
        assertEquals(-1, PostWait.pw_postv(new long[] {me, dead, peer.threadId()}, errors));
        assertArrayEquals(new int[] {0, EINVAL, 0}, errors);
        assertEquals(0, peerWait.get(BOUND.toSeconds(), TimeUnit.SECONDS), "the in-JVM thread id was posted");
        assertEquals(0, PostWait.pw_wait(new Timespec(0, 0)), "this thread was posted");
        peer.join(BOUND);
    }

    @Test
    void postsToBothUkidsOfOneThreadAreOnePendingPost() {
        long named = PostWait.getukid();
        long tid = Thread.currentThread().threadId();
        assertEquals(0, PostWait.pw_post(tid));
        assertEquals(0, PostWait.pw_post(named));
        assertEquals(0, PostWait.pw_wait(null));
        assertEquals(-1, PostWait.pw_wait(new Timespec(0, 0)), "one flag per thread");
        assertEquals(EAGAIN, PostWait.errno());
    }

    @Test
    void theUkidOfAnEndedThreadFailsWithEinval() throws Exception {
        CompletableFuture<Long> k = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> k.complete(PostWait.getukid()));
        long ukid = k.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        t.join(BOUND);
        assertEquals(-1, PostWait.pw_post(ukid));
        assertEquals(EINVAL, PostWait.errno());
        assertEquals(NamedPostWait.Result.NO_SUCH_TARGET, NamedPostWait.post(ns, ukid), "the registration was closed");
    }
}
