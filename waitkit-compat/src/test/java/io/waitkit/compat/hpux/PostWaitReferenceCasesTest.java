package io.waitkit.compat.hpux;

import static io.waitkit.compat.TestThreads.awaitBlocked;
import static io.waitkit.compat.TestThreads.millisSince;
import static io.waitkit.compat.TestThreads.start;
import static io.waitkit.compat.hpux.PostWait.EAGAIN;
import static io.waitkit.compat.hpux.PostWait.EFAULT;
import static io.waitkit.compat.hpux.PostWait.EINTR;
import static io.waitkit.compat.hpux.PostWait.EINVAL;
import static io.waitkit.compat.hpux.PostWait.ETIMEDOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads;
import io.waitkit.compat.TestThreads.Running;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The given/when/then cases of postwait(2)'s documented behaviour, P1-P15
 * (docs/semantics.md#numbered-cases). A "signal" is a Java interrupt.
 */
class PostWaitReferenceCasesTest {
    /** A thread that publishes its ukid and then runs the commands it is given, in its own context. */
    private static final class Peer implements AutoCloseable {
        private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
        private final CompletableFuture<Long> ukid = new CompletableFuture<>();
        private final Thread thread;

        Peer(String name) {
            thread = Thread.ofPlatform().name(name).start(() -> {
                ukid.complete(PostWait.getukid());
                try {
                    for (;;) {
                        commands.take().run();
                    }
                } catch (InterruptedException stop) {
                    // closed
                }
            });
        }

        long ukid() throws Exception {
            return ukid.get(20, TimeUnit.SECONDS);
        }

        <T> T call(Callable<T> c) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            commands.add(() -> {
                try {
                    f.complete(c.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            return f.get(20, TimeUnit.SECONDS);
        }

        /** The result of a polling pw_wait in the peer: "0" or "-1/errno". */
        String pollWait() throws Exception {
            return call(() -> {
                int r = PostWait.pw_wait(new Timespec(0, 0));
                return r == 0 ? "0" : r + "/" + PostWait.errno();
            });
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(20_000);
        }
    }

    @AfterEach
    void clearOwnPost() {
        // leave no pending post on the JUnit thread for the next test
        PostWait.pw_wait(new Timespec(0, 0));
    }

    @Test
    void postwait_P1_getukidSucceedsAndDistinguishesThreads() throws Exception {
        long[] k = new long[1];
        assertEquals(0, PostWait.pw_getukid(k));
        assertEquals(Thread.currentThread().threadId(), k[0]);
        assertEquals(k[0], PostWait.getukid());
        try (Peer other = new Peer("P1")) {
            assertNotEquals(k[0], other.ukid());
        }
        assertEquals(-1, PostWait.pw_getukid(new long[0]));
        assertEquals(EFAULT, PostWait.errno());
        assertEquals(-1, PostWait.pw_getukid(null));
    }

    @Test
    void postwait_P2_aPendingPostMakesTheWaitReturnAtOnce() throws Exception {
        long me = PostWait.getukid();
        Running<Integer> s = start("P2-S", () -> PostWait.pw_post(me));
        assertEquals(0, s.get());
        assertEquals(0, PostWait.pw_wait(null));
    }

    @Test
    void postwait_P3_aSecondPostWhileOneIsPendingIsDiscarded() throws Exception {
        long me = PostWait.getukid();
        Running<String> s = start("P3-S", () -> PostWait.pw_post(me) + "," + PostWait.pw_post(me));
        assertEquals("0,0", s.get(), "both posts succeed");
        assertEquals(0, PostWait.pw_wait(null));
        assertEquals(-1, PostWait.pw_wait(new Timespec(0, 0)), "the second post was discarded");
        assertEquals(EAGAIN, PostWait.errno());
    }

    @Test
    void postwait_P4_zeroTimeoutWithNothingPendingFailsAtOnce() {
        PostWait.getukid();
        long start = System.nanoTime();
        assertEquals(-1, PostWait.pw_wait(new Timespec(0, 0)));
        assertEquals(EAGAIN, PostWait.errno());
        assertTrue(millisSince(start) < TestThreads.PATIENCE.toMillis(), "did not block");
    }

    @Test
    void postwait_P5_aPostDuringABoundedWaitReturnsZeroAndWritesTheRemainingTime() throws Exception {
        Timespec ts = new Timespec(1, 0);
        long[] ukid = new long[1];
        Running<Integer> t = start("P5-T", () -> {
            ukid[0] = PostWait.getukid();
            return PostWait.pw_wait(ts);
        });
        awaitBlocked(t.thread());
        assertEquals(0, PostWait.pw_post(t.thread().threadId()));
        assertEquals(0, t.get());
        Duration left = ts.toDuration();
        assertTrue(left.compareTo(Duration.ZERO) > 0 && left.compareTo(Duration.ofSeconds(1)) < 0, "left " + ts);
        assertTrue(ts.isValid());
    }

    @Test
    void postwait_P6_aBoundedWaitWithoutPostTimesOutNoEarlier() {
        PostWait.getukid();
        Timespec ts = new Timespec(0, 100_000_000);
        long start = System.nanoTime();
        assertEquals(-1, PostWait.pw_wait(ts));
        assertEquals(ETIMEDOUT, PostWait.errno());
        assertTrue(millisSince(start) >= 100);
        assertTrue(ts.isZero(), "our choice: nothing left");
    }

    @Test
    void postwait_P7_anInterruptEndsTheWaitWithEintrAndTheRemainingTime() throws Exception {
        Timespec ts = new Timespec(5, 0);
        Running<String> t = start("P7-T", () -> {
            long start = System.nanoTime();
            int r = PostWait.pw_wait(ts);
            long elapsed = System.nanoTime() - start;
            return r + "/" + PostWait.errno() + "/" + elapsed + "/" + Thread.currentThread().isInterrupted();
        });
        awaitBlocked(t.thread());
        t.thread().interrupt();
        String[] parts = t.get().split("/");
        assertEquals("-1", parts[0]);
        assertEquals(String.valueOf(EINTR), parts[1]);
        assertEquals("false", parts[3], "the interrupt was delivered (consumed)");
        Duration left = ts.toDuration();
        Duration elapsed = Duration.ofNanos(Long.parseLong(parts[2]));
        assertTrue(left.compareTo(Duration.ZERO) > 0 && left.compareTo(Duration.ofSeconds(5)) < 0, "left " + ts);
        assertTrue(left.compareTo(Duration.ofSeconds(5).minus(elapsed)) >= 0, "left " + ts + " elapsed " + elapsed);
    }

    @Test
    void postwait_P8_anInvalidTimespecIsEinval() {
        PostWait.getukid();
        assertEquals(-1, PostWait.pw_wait(new Timespec(0, 1_000_000_000)));
        assertEquals(EINVAL, PostWait.errno());
        assertEquals(-1, PostWait.pw_wait(new Timespec(-1, 0)));
        assertEquals(EINVAL, PostWait.errno());
        assertEquals(-1, PostWait.pw_wait(new Timespec(0, -1)));
        assertEquals(EINVAL, PostWait.errno());
    }

    @Test
    void postwait_P9_postingAnEndedOrMadeUpThreadIsEinvalNotEsrch() throws Exception {
        Running<Long> ended = start("P9", PostWait::getukid);
        long k = ended.get();
        ended.thread().join();
        assertEquals(-1, PostWait.pw_post(k));
        assertEquals(EINVAL, PostWait.errno());
        assertEquals(-1, PostWait.pw_post(-12345L));
        assertEquals(EINVAL, PostWait.errno());
    }

    @Test
    void postwait_P10_negativeCountIsEinval() {
        assertEquals(-1, PostWait.pw_postv(-1, new long[0], new int[0]));
        assertEquals(EINVAL, PostWait.errno());
    }

    @Test
    void postwait_P11_countAboveVmaxIsEinvalAndVmaxValidTargetsSucceed() throws Exception {
        int n = PostWait.pw_getvmax();
        assertTrue(n > 0);
        long me = PostWait.getukid();
        try (Peer a = new Peer("P11-A")) {
            long[] targets = new long[n + 1];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = i % 2 == 0 ? me : a.ukid(); // n valid targets, repeated
            }
            int[] errs = new int[n + 1];
            assertEquals(-1, PostWait.pw_postv(n + 1, targets, errs));
            assertEquals(EINVAL, PostWait.errno());
            assertEquals(-1, PostWait.pw_wait(new Timespec(0, 0)), "nothing was posted");

            assertEquals(0, PostWait.pw_postv(n, targets, errs));
            for (int i = 0; i < n; i++) {
                assertEquals(0, errs[i]);
            }
            assertEquals(0, PostWait.pw_wait(new Timespec(0, 0)));
            assertEquals("0", a.pollWait());
        }
    }

    @Test
    void postwait_P12_aBadTargetFailsTheCallButTheOthersArePosted() throws Exception {
        try (Peer a = new Peer("P12-A"); Peer c = new Peer("P12-C")) {
            long[] targets = {a.ukid(), -777L, c.ukid()};
            int[] errs = new int[3];
            assertEquals(-1, PostWait.pw_postv(3, targets, errs));
            assertEquals(EINVAL, PostWait.errno());
            assertArrayEquals(new int[] {0, EINVAL, 0}, errs);
            assertEquals("0", a.pollWait());
            assertEquals("0", c.pollWait());
        }
    }

    @Test
    void postwait_P13_nullErrorsArrayPostsEveryTarget() throws Exception {
        try (Peer a = new Peer("P13-A"); Peer b = new Peer("P13-B")) {
            assertEquals(0, PostWait.pw_postv(2, new long[] {a.ukid(), b.ukid()}, null));
            assertEquals("0", a.pollWait());
            assertEquals("0", b.pollWait());
        }
    }

    @Test
    void postwait_P14_postvToATargetWithAPendingPostSucceedsAndLeavesOnePost() throws Exception {
        try (Peer a = new Peer("P14-A")) {
            assertEquals(0, PostWait.pw_post(a.ukid()));
            int[] errs = {-1};
            assertEquals(0, PostWait.pw_postv(1, new long[] {a.ukid()}, errs));
            assertArrayEquals(new int[] {0}, errs);
            assertEquals("0", a.pollWait());
            assertEquals("-1/" + EAGAIN, a.pollWait(), "exactly one post was pending");
        }
    }

    @Test
    void postwait_P15_zeroCountPostsNothing() throws Exception {
        try (Peer a = new Peer("P15-A")) {
            int[] errs = {99};
            assertEquals(0, PostWait.pw_postv(0, new long[] {a.ukid()}, errs));
            assertEquals(99, errs[0], "nothing copied out");
            assertEquals("-1/" + EAGAIN, a.pollWait());
        }
    }

    @Test
    void postvChecksItsArraysBeforePosting() throws Exception {
        try (Peer a = new Peer("arrays")) {
            assertEquals(-1, PostWait.pw_postv(2, new long[] {a.ukid()}, null));
            assertEquals(EFAULT, PostWait.errno());
            assertEquals(-1, PostWait.pw_postv(1, new long[] {a.ukid()}, new int[0]));
            assertEquals(EFAULT, PostWait.errno());
            assertEquals(-1, PostWait.pw_postv(1, null, null));
            assertEquals(EFAULT, PostWait.errno());
            assertEquals(-1, PostWait.pw_postv(null, null));
            assertEquals("-1/" + EAGAIN, a.pollWait(), "nothing was posted");
            assertEquals(0, PostWait.postv(new long[] {a.ukid()}, null), "the short alias");
            assertEquals(0, PostWait.post(a.ukid()));
            assertEquals(PostWait.pw_getvmax(), PostWait.getvmax());
            assertEquals("0", a.pollWait());
        }
    }

    @Test
    void aPendingPostWinsOverAPendingInterrupt() throws Exception {
        long me = PostWait.getukid();
        assertEquals(0, PostWait.pw_post(me));
        Thread.currentThread().interrupt();
        try {
            assertEquals(0, PostWait.pw_wait(null));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays for later");
            assertEquals(-1, PostWait.pw_wait(null));
            assertEquals(EINTR, PostWait.errno());
            assertFalse(Thread.currentThread().isInterrupted(), "now it was delivered");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void errnoIsPerThreadAndKeptOnSuccess() throws Exception {
        PostWait.getukid();
        assertEquals(-1, PostWait.pw_post(-1L));
        assertEquals(EINVAL, PostWait.errno());
        Running<Integer> other = start("errno", PostWait::errno);
        assertEquals(0, other.get(), "another thread's errno is its own");
        assertEquals(0, PostWait.pw_post(PostWait.getukid()));
        assertEquals(EINVAL, PostWait.errno(), "success leaves errno alone, as C");
    }

    @Test
    void untimedWaitIsWokenByAPost() throws Exception {
        Running<Integer> t = start("untimed", () -> {
            PostWait.getukid();
            return PostWait.pw_wait(null);
        });
        awaitBlocked(t.thread());
        assertEquals(0, PostWait.pw_post(t.thread().threadId()));
        assertEquals(0, t.get());
    }

    @Test
    void virtualThreadsHaveUkidsToo() throws Exception {
        CompletableFuture<Long> k = new CompletableFuture<>();
        CompletableFuture<Integer> r = new CompletableFuture<>();
        Thread v = Thread.ofVirtual().start(() -> {
            k.complete(PostWait.getukid());
            r.complete(PostWait.pw_wait(new Timespec(20, 0)));
        });
        long ukid = k.get(20, TimeUnit.SECONDS);
        assertEquals(0, PostWait.pw_post(ukid));
        assertEquals(0, r.get(20, TimeUnit.SECONDS));
        v.join();
    }
}
