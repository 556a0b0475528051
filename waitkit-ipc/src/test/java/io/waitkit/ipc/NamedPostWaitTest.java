package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Event;
import io.waitkit.Wait;
import io.waitkit.ipc.NamedPostWait.Result;
import io.waitkit.ipc.internal.HeaderLayout;
import io.waitkit.ipc.internal.ProcessIdentity;
import io.waitkit.ipc.internal.SyncLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cross-process post/wait ({@link NamedPostWait}): the postwait(2) rules (one pending post,
 * discarded duplicates, per-target results), waits (timeouts, interrupts, virtual threads), and
 * posts across processes and to the dead, with child JVMs ({@link PostWaitChild}).
 * Synchronization is by latches, children's output lines and bounded polls; no sleep orders
 * anything.
 */
class NamedPostWaitTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static String dir() {
        return temp.dir.toString();
    }

    private static long ukidOf(ChildJvm child) {
        return Long.parseLong(child.awaitLine("UKID", ChildJvm.START_TIMEOUT).substring("UKID ".length()));
    }

    /** Polls until a wait on {@code r} is blocked (counted in the registration's waiters). */
    private static void awaitBlocked(NamedPostWait r, Thread t) {
        ChildJvm.until(() -> r.waiters() > 0, BOUND, () -> t + " blocked in a wait on " + r + ", state " + t.getState());
    }

    // ---- the rules, in one process

    @Test
    void postThenWaitReturnsAtOnce() throws Exception {
        try (NamedPostWait me = temp.ns.postWait()) {
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, me.ukid()));
            assertTrue(me.isPosted());
            long start = System.nanoTime();
            me.await();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "returned at once");
            assertFalse(me.isPosted(), "the wait consumed the post");
        }
    }

    @Test
    void duplicatePostsCollapseToOne() throws Exception {
        try (NamedPostWait me = NamedPostWait.register(temp.ns)) {
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, me.ukid()));
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, me.ukid()), "a discarded post still succeeds");
            assertArrayEquals(new Result[] {Result.OK, Result.OK}, NamedPostWait.postv(temp.ns, new long[] {me.ukid(), me.ukid()}));
            assertTrue(me.await(Duration.ZERO));
            assertFalse(me.tryAwait(), "the other posts were discarded");
            assertFalse(me.await(Duration.ZERO));
        }
    }

    @Test
    void zeroTimeoutWaitWithNothingPendingReturnsFalseAtOnce() throws Exception {
        try (NamedPostWait me = temp.ns.postWait()) {
            long start = System.nanoTime();
            assertFalse(me.await(Duration.ZERO));
            assertFalse(me.await(Duration.ofMillis(-5)));
            assertFalse(me.tryAwait());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "did not block");
        }
    }

    @Test
    void timedWaitTimesOutNeverEarly() throws Exception {
        try (NamedPostWait me = temp.ns.postWait()) {
            for (long millis : new long[] {1, 20, 100}) {
                long start = System.nanoTime();
                assertFalse(me.await(Duration.ofMillis(millis)));
                long took = System.nanoTime() - start;
                assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(millis), "timed out after " + took + " ns, before " + millis + " ms");
            }
        }
    }

    @Test
    void interruptEndsTheWaitWithNothingConsumed() throws Exception {
        try (NamedPostWait me = temp.ns.postWait()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().name("pw-interrupted").start(() -> {
                try {
                    me.await();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            awaitBlocked(me, waiter);
            waiter.interrupt();
            assertTrue(outcome.get(BOUND.toSeconds(), TimeUnit.SECONDS) instanceof InterruptedException);
            waiter.join(BOUND);
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, me.ukid()));
            assertTrue(me.tryAwait(), "a post after the interrupt is pending");

            Thread.currentThread().interrupt(); // a pending interrupt: the wait throws at once
            assertThrows(InterruptedException.class, () -> me.await(Duration.ofSeconds(10)));
            assertFalse(Thread.interrupted());
        }
    }

    @Test
    void aPostWakesAWaitingThread() throws Exception {
        try (NamedPostWait me = temp.ns.postWait()) {
            CompletableFuture<Boolean> got = new CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    got.complete(me.await(BOUND));
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            });
            awaitBlocked(me, waiter);
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, me.ukid()));
            assertTrue(got.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertFalse(me.isPosted());
        }
    }

    @Test
    void aVirtualThreadWaitsAndIsPosted() throws Exception {
        CompletableFuture<NamedPostWait> registration = new CompletableFuture<>();
        CompletableFuture<Boolean> got = new CompletableFuture<>();
        Thread v = Thread.ofVirtual().name("pw-virtual").start(() -> {
            try (NamedPostWait me = temp.ns.postWait()) {
                registration.complete(me);
                got.complete(me.await(BOUND));
            } catch (Throwable t) {
                registration.completeExceptionally(t);
                got.completeExceptionally(t);
            }
        });
        NamedPostWait r = registration.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        awaitBlocked(r, v);
        ChildJvm.until(() -> v.getState() == Thread.State.WAITING || v.getState() == Thread.State.TIMED_WAITING, BOUND,
                () -> "the virtual thread parked (not in a system call): " + v.getState());
        assertEquals(Result.OK, NamedPostWait.post(temp.ns, r.ukid()));
        assertTrue(got.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        v.join(BOUND);
    }

    @Test
    void aRegistrationJoinsWaitAnyWithInProcessObjects() throws Exception {
        try (NamedPostWait me = temp.ns.postWait()) {
            Event other = Event.autoReset(false);
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, other, me));
            NamedPostWait.post(temp.ns, me.ukid());
            assertEquals(1, Wait.any(BOUND, other, me));
            assertFalse(me.isPosted());
        }
    }

    @Test
    void ukidsAreDistinctPositiveAndCarryThePid() throws Exception {
        try (NamedPostWait a = temp.ns.postWait(); NamedPostWait b = temp.ns.postWait()) {
            assertNotEquals(a.ukid(), b.ukid());
            for (NamedPostWait r : new NamedPostWait[] {a, b}) {
                assertTrue(r.ukid() >= 1L << 32);
                assertEquals(ProcessHandle.current().pid(), r.ukid() >>> 32);
                assertTrue(Files.exists(temp.dir.resolve(NamedPostWait.fileName(r.ukid()))));
            }
            assertTrue(temp.ns.list().stream().noneMatch(i -> i.name().startsWith(".")), "registrations are hidden");
        }
    }

    @Test
    void postToAClosedRegistrationIsNoSuchTarget() throws Exception {
        NamedPostWait me = temp.ns.postWait();
        long ukid = me.ukid();
        me.close();
        me.close(); // idempotent
        assertTrue(me.isClosed());
        assertEquals(Result.NO_SUCH_TARGET, NamedPostWait.post(temp.ns, ukid));
        assertFalse(Files.exists(temp.dir.resolve(NamedPostWait.fileName(ukid))), "close unlinks the file");
        assertThrows(IllegalStateException.class, me::tryAwait);
        assertThrows(IllegalStateException.class, () -> me.await(Duration.ZERO));
    }

    @Test
    void badTargetsAreNoSuchTargetAndNullArraysThrow() throws Exception {
        long pid = ProcessHandle.current().pid();
        for (long bad : new long[] {0, -1, Long.MIN_VALUE, 1, 0xFFFF_FFFFL, pid << 32, pid << 32 | 0x7FFF_FFF1L, Long.MAX_VALUE}) {
            assertEquals(Result.NO_SUCH_TARGET, NamedPostWait.post(temp.ns, bad), "ukid " + bad);
        }
        assertArrayEquals(new Result[0], NamedPostWait.postv(temp.ns, new long[0]));
        assertThrows(NullPointerException.class, () -> NamedPostWait.postv(temp.ns, null));
        assertThrows(NullPointerException.class, () -> NamedPostWait.post(null, 1L << 32 | 1));
        assertThrows(NullPointerException.class, () -> NamedPostWait.register(null));
    }

    @Test
    void aRegistrationOfAnEarlierProcessWithThisPidIsNoSuchTargetAndRemoved() throws Exception {
        // a file as a process with this pid but another start time left it (pid reuse)
        try (NamedPostWait me = temp.ns.postWait()) {
            byte[] bytes = Files.readAllBytes(temp.dir.resolve(NamedPostWait.fileName(me.ukid())));
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int at = HeaderLayout.SIZE + (int) SyncLayout.OWNER_START;
            b.putLong(at, ProcessIdentity.self().startTime() - 1);
            long stale = me.ukid() + 1_000_000; // a number the counter did not reach
            Path file = temp.dir.resolve(NamedPostWait.fileName(stale));
            Files.write(file, bytes);
            assertEquals(Result.NO_SUCH_TARGET, NamedPostWait.post(temp.ns, stale));
            assertFalse(Files.exists(file), "the poster removed the dead registration");
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, me.ukid()));
            assertTrue(me.tryAwait());
        }
    }

    @Test
    void closeWhileAThreadWaitsIsSafeAndLaterPostsFail() throws Exception {
        NamedPostWait me = temp.ns.postWait();
        CompletableFuture<Boolean> got = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                got.complete(me.await(Duration.ofMillis(500)));
            } catch (Throwable t) {
                got.completeExceptionally(t);
            }
        });
        awaitBlocked(me, waiter);
        me.close(); // the waiter's own reference keeps the mapping
        assertEquals(Result.NO_SUCH_TARGET, NamedPostWait.post(temp.ns, me.ukid()));
        assertFalse(got.get(BOUND.toSeconds(), TimeUnit.SECONDS), "the wait ends by its timeout");
        waiter.join(BOUND);
    }

    @Test
    void anAsyncWaitCompletesOnAPost() throws Exception {
        try (NamedPostWait me = temp.ns.postWait()) {
            CompletableFuture<Void> f = me.awaitAsync();
            assertFalse(f.isDone());
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, me.ukid()));
            f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertFalse(me.isPosted(), "the async wait consumed the post");
        }
    }

    // ---- across processes

    @Test
    void theFirstRegistrationInANamespaceRemovesTheFilesOfDeadProcesses() throws Exception {
        TempNamespace fresh = TempNamespace.create();
        try {
            long ukid;
            try (ChildJvm holder = ChildJvm.start("pw", fresh.dir.toString(), "hold")) {
                ukid = ukidOf(holder);
                holder.kill();
            }
            Path file = fresh.dir.resolve(NamedPostWait.fileName(ukid));
            assertTrue(Files.exists(file));
            try (NamedPostWait mine = fresh.ns.postWait()) {
                assertFalse(Files.exists(file), "swept by this JVM's first registration in the namespace");
                assertNotEquals(ukid, mine.ukid());
            }
        } finally {
            fresh.delete();
        }
    }

    @Test
    void aChildPostsToThisJvmAndTheWaitReturns() throws Exception {
        try (NamedPostWait me = temp.ns.postWait();
                ChildJvm poster = ChildJvm.start("pw", dir(), "post", Long.toString(me.ukid()))) {
            assertTrue(me.await(ChildJvm.START_TIMEOUT), "posted by the child; " + poster.describe());
            poster.awaitLine("RESULT OK", BOUND);
            poster.awaitSuccess(BOUND);
        }
    }

    @Test
    void thisJvmPostsToAWaitingChild() throws Exception {
        try (ChildJvm waiter = ChildJvm.start("pw", dir(), "wait", "60000")) {
            long ukid = ukidOf(waiter);
            assertEquals(ProcessHandle.of(waiter.pid()).orElseThrow().pid(), ukid >>> 32, "the ukid carries the child's pid");
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, ukid));
            waiter.awaitLine("POSTED", BOUND);
            waiter.awaitSuccess(BOUND);
            assertEquals(Result.NO_SUCH_TARGET, NamedPostWait.post(temp.ns, ukid), "the child closed its registration");
        }
    }

    @Test
    void postToAKilledProcessIsNoSuchTargetAndItsFileIsRemoved() throws Exception {
        long ukid;
        try (ChildJvm holder = ChildJvm.start("pw", dir(), "hold")) {
            ukid = ukidOf(holder);
            assertEquals(Result.OK, NamedPostWait.post(temp.ns, ukid), "alive");
            holder.kill(); // SIGKILL: the registration file stays behind
            assertEquals(137, holder.exitCode());
        }
        Path file = temp.dir.resolve(NamedPostWait.fileName(ukid));
        assertTrue(Files.exists(file));
        assertEquals(Result.NO_SUCH_TARGET, NamedPostWait.post(temp.ns, ukid));
        assertFalse(Files.exists(file), "the poster that found it dead removed it");
        assertEquals(Result.NO_SUCH_TARGET, NamedPostWait.post(temp.ns, ukid));
    }

    @Test
    void removeDeadSweepsRegistrationsOfKilledProcessesOnly() throws Exception {
        try (NamedPostWait mine = temp.ns.postWait()) {
            long ukid;
            try (ChildJvm holder = ChildJvm.start("pw", dir(), "hold")) {
                ukid = ukidOf(holder);
                holder.kill();
            }
            assertTrue(Files.exists(temp.dir.resolve(NamedPostWait.fileName(ukid))));
            assertEquals(1, NamedPostWait.removeDead(temp.ns));
            assertFalse(Files.exists(temp.dir.resolve(NamedPostWait.fileName(ukid))));
            assertTrue(Files.exists(temp.dir.resolve(NamedPostWait.fileName(mine.ukid()))), "a live registration stays");
            assertEquals(0, NamedPostWait.removeDead(temp.ns));
        }
    }

    @Test
    void postvToLiveDeadLiveGivesPerTargetResultsAndPostsTheLiveOnes() throws Exception {
        long dead;
        try (ChildJvm holder = ChildJvm.start("pw", dir(), "hold")) {
            dead = ukidOf(holder);
            holder.kill();
        }
        try (NamedPostWait a = temp.ns.postWait();
                ChildJvm live = ChildJvm.start("pw", dir(), "wait", "60000")) {
            long c = ukidOf(live);
            Result[] r = NamedPostWait.postv(temp.ns, new long[] {a.ukid(), dead, c});
            assertArrayEquals(new Result[] {Result.OK, Result.NO_SUCH_TARGET, Result.OK}, r);
            assertTrue(a.tryAwait(), "the first live target was posted");
            live.awaitLine("POSTED", BOUND);
            live.awaitSuccess(BOUND);
        }
    }

    @Test
    void aChildPostsLiveDeadAndClosedTargetsWithPostv() throws Exception {
        NamedPostWait closed = temp.ns.postWait();
        long closedUkid = closed.ukid();
        closed.close();
        try (NamedPostWait me = temp.ns.postWait();
                ChildJvm poster = ChildJvm.start("pw", dir(), "post", Long.toString(me.ukid()), Long.toString(closedUkid), "0",
                        Long.toString(me.ukid()))) {
            poster.awaitLine("RESULT OK,NO_SUCH_TARGET,NO_SUCH_TARGET,OK", ChildJvm.START_TIMEOUT);
            poster.awaitSuccess(BOUND);
            assertTrue(me.tryAwait());
            assertFalse(me.tryAwait(), "two posts from one postv collapse to one");
        }
    }
}
