package io.waitkit.compat.bsd;

import static io.waitkit.compat.TestThreads.awaitBlocked;
import static io.waitkit.compat.TestThreads.eventually;
import static io.waitkit.compat.TestThreads.millisSince;
import static io.waitkit.compat.TestThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads.Running;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The given/when/then cases of sema(9)'s documented behaviour, S1-S15
 * (docs/semantics.md#numbered-cases), with the seed's old return convention of
 * {@code sema_timedwait} (docs/semantics.md#decisions): 1 on success, 0 on failure. Ticks are 1 ms
 * unless a case needs another length.
 */
class SemaReferenceCasesTest {
    private static void awaitWaiters(Sema s, int n) {
        eventually(n + " waiter(s)", () -> s.waiters() == n);
    }

    @Test
    void sema_S1_initWithZeroHasValueZero() {
        Sema s = Sema.init(0, "d");
        assertEquals(0, s.value());
        assertEquals("d", s.description());
        assertEquals(Duration.ofMillis(1), s.tick());
    }

    @Test
    void sema_S2_trywaitFourTimesOnThreeSucceedsThriceAndCountsDown() {
        Sema s = Sema.init(3, "d");
        assertEquals(1, s.trywait());
        assertEquals(2, s.value());
        assertEquals(1, s.trywait());
        assertEquals(1, s.value());
        assertEquals(1, s.trywait());
        assertEquals(0, s.value());
        assertEquals(0, s.trywait());
        assertEquals(0, s.value());
    }

    @Test
    void sema_S3_trywaitOnZeroFailsWithoutBlockingAndLeavesZero() {
        Sema s = Sema.init(0, "d");
        assertEquals(0, s.trywait());
        assertEquals(0, s.value());
        assertEquals(0, s.waiters(), "it never waited");
    }

    @Test
    void sema_S4_fivePostsWithoutWaitersGiveValueFive() {
        Sema s = Sema.init(0, "d");
        for (int i = 0; i < 5; i++) {
            s.post();
        }
        assertEquals(5, s.value());
        assertEquals(0, s.waiters());
    }

    @Test
    void sema_S5_postReleasesTheBlockedWaiterAndLeavesValueAndWaitersZero() throws Exception {
        Sema s = Sema.init(0, "d");
        Running<Void> t = start("S5", () -> {
            s.await();
            return null;
        });
        awaitWaiters(s, 1);
        s.post();
        t.get();
        assertEquals(0, s.value());
        assertEquals(0, s.waiters());
    }

    @Test
    void sema_S6_twoPostsReleaseTwoWaitersAndOnePostOnlyOne() throws Exception {
        Sema s = Sema.init(0, "d");
        Running<Void> t1 = start("S6-T1", () -> {
            s.await();
            return null;
        });
        Running<Void> t2 = start("S6-T2", () -> {
            s.await();
            return null;
        });
        awaitWaiters(s, 2);
        s.post();
        s.post();
        t1.get();
        t2.get();
        assertEquals(0, s.value());
        assertEquals(0, s.waiters());

        Sema one = Sema.init(0, "d1");
        Running<Void> a = start("S6-A", () -> {
            one.await();
            return null;
        });
        Running<Void> b = start("S6-B", () -> {
            one.await();
            return null;
        });
        awaitWaiters(one, 2);
        one.post();
        eventually("exactly one returned", () -> a.isDone() ^ b.isDone());
        assertEquals(0, one.value(), "the unit went to a waiter");
        awaitWaiters(one, 1);
        one.post(); // let the other one go
        a.get();
        b.get();
    }

    @Test
    void sema_S7_timedwaitOnTwoSucceedsAtOnceOldConventionOne() {
        Sema s = Sema.init(2, "d");
        assertEquals(1, s.timedwait(10));
        assertEquals(1, s.value());
    }

    @Test
    void sema_S8_timedwaitWithoutPostFailsAfterAtLeastTheTicksOldConventionZero() {
        Sema s = Sema.init(0, "d");
        long start = System.nanoTime();
        assertEquals(0, s.timedwait(10));
        assertTrue(millisSince(start) >= 10, "timo is a minimum");
        assertEquals(0, s.value());
        assertEquals(0, s.waiters());
    }

    @Test
    void sema_S9_postDuringTimedwaitSucceedsBeforeTheTimeout() throws Exception {
        Sema s = Sema.init(0, "d");
        // 100 ticks of 1 s: a success can only come from the post (the test would time out first)
        Sema slow = Sema.init(0, "slow", Duration.ofSeconds(1));
        Running<Integer> t = start("S9", () -> slow.timedwait(100));
        awaitWaiters(slow, 1);
        slow.post();
        assertEquals(1, t.get());
        assertEquals(0, slow.value());

        Running<Integer> fast = start("S9-ms", () -> s.timedwait(100_000));
        awaitWaiters(s, 1);
        s.post();
        assertEquals(1, fast.get());
        assertEquals(0, s.value());
    }

    /**
     * S10: FreeBSD restarts the full interval after a spurious wake-up (about 18 ticks in total).
     * The facade has no spurious wake-ups: it measures one deadline. The nearest Java event, an
     * interrupt at about tick 8, neither ends the wait (cv_timedwait is not interruptible) nor
     * restarts it: the wait fails no earlier than its 10 ticks, and the interrupt is re-asserted.
     */
    @Test
    void sema_S10_anInterruptMidWaitDoesNotEndItAndTheWaitFailsNoEarlierThanTimo() throws Exception {
        Sema s = Sema.init(0, "d", Duration.ofMillis(20));
        Running<String> t = start("S10", () -> {
            long start = System.nanoTime();
            int r = s.timedwait(10);
            return r + "," + (millisSince(start) >= 200) + "," + Thread.currentThread().isInterrupted();
        });
        awaitWaiters(s, 1);
        awaitBlocked(t.thread());
        t.thread().interrupt();
        assertEquals("0,true,true", t.get());
        assertEquals(0, s.value());
    }

    /**
     * S11: a post that lands when the timeout fires still counts, because the final check looks
     * at the value after the timeout. Made deterministic with the package-private hook that runs
     * between the timed-out core wait and the final check.
     */
    @Test
    void sema_S11_postAtTheMomentOfTheTimeoutSucceedsThroughTheFinalCheck() {
        Sema s = Sema.init(0, "d");
        s.beforeFinalCheck = s::post;
        assertEquals(1, s.timedwait(5));
        assertEquals(0, s.value());
    }

    @Test
    void sema_S11_postsRacingTheTimeoutAreNeverLost() throws Exception {
        // whatever the interleaving, a timedwait succeeds iff it took the unit
        for (int i = 0; i < 50; i++) {
            Sema s = Sema.init(0, "race");
            Running<Integer> t = start("S11-" + i, () -> s.timedwait(2));
            long postAt = System.nanoTime() + (i % 10) * 400_000L; // spread the posts around the 2 ms timeout
            while (System.nanoTime() - postAt < 0) {
                Thread.onSpinWait();
            }
            s.post();
            int r = t.get();
            assertEquals(r == 1 ? 0 : 1, s.value(), "result " + r);
        }
    }

    @Test
    void sema_S12_waitOnOneReturnsWithoutBlocking() {
        Sema s = Sema.init(1, "d");
        s.await();
        assertEquals(0, s.value());
        assertEquals(0, s.waiters());
    }

    @Test
    void sema_S13_initWithANegativeValueFailsTheAssertion() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sema.init(-1, "x"));
        assertTrue(e.getMessage().contains("negative value"), e.getMessage());
    }

    @Test
    void sema_S14_destroyWithAWaiterFailsTheAssertionAndWithoutWaitersSucceedsWhateverTheValue() throws Exception {
        Sema s = Sema.init(0, "d");
        Running<Void> t = start("S14", () -> {
            s.await();
            return null;
        });
        awaitWaiters(s, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::destroy);
        assertTrue(e.getMessage().contains("waiters"), e.getMessage());
        assertFalse(s.isDestroyed(), "nothing changed");
        s.post();
        t.get();
        s.destroy();
        assertTrue(s.isDestroyed());

        Sema full = Sema.init(7, "full");
        full.destroy();
        assertTrue(full.isDestroyed());
        assertThrows(IllegalStateException.class, full::post, "use after destroy");
        assertThrows(IllegalStateException.class, full::destroy);
    }

    @Test
    void sema_S15_valueIsReadOnly() {
        Sema s = Sema.init(4, "d");
        assertEquals(4, s.value());
        assertEquals(4, s.value());
    }
}
