package io.waitkit.compat.axis;

import static io.waitkit.compat.TestThreads.eventually;
import static io.waitkit.compat.TestThreads.millisSince;
import static io.waitkit.compat.TestThreads.start;
import static io.waitkit.compat.axis.Sync.WAIT_FAILED;
import static io.waitkit.compat.axis.Sync.WAIT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads.Running;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The given/when/then cases of AxisOS's behaviour (docs/semantics.md#numbered-cases) that concern
 * the {@code sync} library: C01-C13, C24, C25. Cases C14-C23 (pipes, message queues, shared
 * sections) and the signal checks concern the {@code pipe}, {@code ipc} and {@code signal_lib}
 * libraries: {@link IpcReferenceCasesTest} checks them. C25's last point (a ring-3 caller of
 * {@code ke_raise_irql} is killed) concerns processes and rings and has no Java counterpart. "Thread" in the cases is a Java thread sharing the Sync instance (the project's own
 * tests assume shared handles, see quirk 5).
 */
class SyncReferenceCasesTest {
    /** The cases' 2000 ms waits, made generous: they must not time out on a loaded machine. */
    private static final long LONG = 20_000;

    private final Sync sync = new Sync();

    @AfterEach
    void backToPassive() {
        // a failed IRQL test must not leave the JUnit thread unable to block
        while (sync.getIrql() > Sync.PASSIVE_LEVEL) {
            sync.lowerIrql(Sync.PASSIVE_LEVEL);
        }
    }

    private void awaitWaiters(String h, int n) {
        eventually(n + " waiter(s) on " + h, () -> sync.waiters(h) == n);
    }

    @Test
    void axis_C01_autoResetUnsignaledWaitTimesOutAndCountsATimedOutWait() throws Exception {
        String e = sync.createEvent(false, false);
        long before = sync.stats().waitsTimedOut();
        long start = System.nanoTime();
        assertEquals(WAIT_TIMEOUT, sync.wait(e, 100));
        assertTrue(millisSince(start) >= 100, "never early");
        assertEquals(before + 1, sync.stats().waitsTimedOut());
    }

    @Test
    void axis_C02_autoResetInitiallySignaledIsConsumedByTheFirstWaitOnly() throws Exception {
        String e = sync.createEvent(false, true);
        assertEquals(0, sync.wait(e, 100));
        assertEquals(WAIT_TIMEOUT, sync.wait(e, 100));
    }

    @Test
    void axis_C03_manualResetStaysSignaledUntilReset() throws Exception {
        String m = sync.createEvent(true, false);
        assertEquals(0, sync.setEvent(m), "nobody was waiting");
        assertEquals(0, sync.wait(m, 100));
        assertEquals(0, sync.wait(m, 100));
        assertTrue(sync.resetEvent(m));
        assertEquals(WAIT_TIMEOUT, sync.wait(m, 50));
    }

    @Test
    void axis_C04_autoResetSetWakesExactlyOneOfTwoWaitersAndReportsOne() throws Exception {
        String e = sync.createEvent(false, false);
        Running<Integer> t1 = start("C04-T1", () -> sync.wait(e));
        awaitWaiters(e, 1);
        Running<Integer> t2 = start("C04-T2", () -> sync.wait(e));
        awaitWaiters(e, 2);

        assertEquals(1, sync.setEvent(e));
        assertEquals(1, sync.waiters(e), "the other one is still waiting");
        assertEquals(0, t1.get(), "first come, first served");
        assertFalse(t2.isDone());

        assertEquals(1, sync.setEvent(e));
        assertEquals(0, t2.get());
        assertEquals(0, sync.waiters(e));
        assertEquals(WAIT_TIMEOUT, sync.wait(e, 0), "the event ended non-signalled");
    }

    @Test
    void axis_C05_manualResetSetWakesAllAndPulseWithoutWaitersLeavesItReset() throws Exception {
        String m = sync.createEvent(true, false);
        Running<Integer> t1 = start("C05-T1", () -> sync.wait(m));
        Running<Integer> t2 = start("C05-T2", () -> sync.wait(m));
        awaitWaiters(m, 2);
        assertEquals(2, sync.setEvent(m));
        assertEquals(0, t1.get());
        assertEquals(0, t2.get());
        assertEquals(0, sync.wait(m, 10));

        String fresh = sync.createEvent(true, false);
        assertEquals(0, sync.pulseEvent(fresh));
        assertEquals(WAIT_TIMEOUT, sync.wait(fresh, 50));
    }

    @Test
    void axis_C06_invalidHandlesGiveTheSeedsFailureResults() throws Exception {
        assertEquals(0, sync.setEvent("H-bogus"));
        assertEquals("Invalid handle", Sync.lastError());
        assertFalse(sync.resetEvent("H-bogus"));
        assertEquals(WAIT_FAILED, sync.wait("H-bogus", 10));
        assertEquals("Not waitable", Sync.lastError());
        assertFalse(sync.releaseMutex("H-bogus"));
        assertEquals("Invalid handle", Sync.lastError());
    }

    @Test
    void axis_C07_releasingAMutexTwiceFailsWithNotOwner() throws Exception {
        String mx = sync.createMutex(false);
        assertEquals(0, sync.wait(mx));
        assertTrue(sync.releaseMutex(mx));
        assertNull(Sync.lastError());
        assertFalse(sync.releaseMutex(mx));
        assertEquals("Not owner", Sync.lastError());
    }

    @Test
    void axis_C08_nonOwnerCannotReleaseNorAcquireAndTheOwnerKeepsIt() throws Exception {
        String mx = sync.createMutex(false);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        Running<Boolean> a = start("C08-A", () -> {
            assertEquals(0, sync.wait(mx));
            held.countDown();
            assertTrue(bDone.await(20, TimeUnit.SECONDS));
            return sync.releaseMutex(mx); // still the owner
        });
        assertTrue(held.await(20, TimeUnit.SECONDS));
        Running<String> b = start("C08-B", () -> {
            boolean released = sync.releaseMutex(mx);
            String error = Sync.lastError();
            int waited = sync.wait(mx, 50);
            return released + "," + error + "," + waited;
        });
        assertEquals("false,Not owner," + WAIT_TIMEOUT, b.get());
        bDone.countDown();
        assertTrue(a.get(), "A was still the owner");
    }

    @Test
    void axis_C09_initialOwnerBlocksOthersUntilItReleases() throws Exception {
        AtomicReference<String> handle = new AtomicReference<>();
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch bTimedOut = new CountDownLatch(1);
        Running<Boolean> a = start("C09-A", () -> {
            handle.set(sync.createMutex(true));
            created.countDown();
            assertTrue(bTimedOut.await(20, TimeUnit.SECONDS));
            return sync.releaseMutex(handle.get());
        });
        assertTrue(created.await(20, TimeUnit.SECONDS));
        String mx = handle.get();
        Running<String> b = start("C09-B", () -> {
            int first = sync.wait(mx, 100);
            bTimedOut.countDown();
            int second = sync.wait(mx, 10_000);
            boolean owns = sync.releaseMutex(mx); // B owns it: its release succeeds
            return first + "," + second + "," + owns;
        });
        assertTrue(a.get());
        assertEquals(WAIT_TIMEOUT + ",0,true", b.get());
    }

    @Test
    void axis_C10_mutualExclusionTwoThreadsTimes500Increments() throws Exception {
        String mx = sync.createMutex(false);
        int[] counter = new int[1];
        Runnable body = () -> {
            for (int i = 0; i < 500; i++) {
                try {
                    assertEquals(0, sync.wait(mx));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                int c = counter[0];
                Thread.yield();
                counter[0] = c + 1;
                assertTrue(sync.releaseMutex(mx));
            }
        };
        Running<Void> t1 = start("C10-1", () -> {
            body.run();
            return null;
        });
        Running<Void> t2 = start("C10-2", () -> {
            body.run();
            return null;
        });
        t1.get();
        t2.get();
        assertEquals(1000, counter[0]);
    }

    /**
     * C11 describes the AxisOS code, which differs from its documentation here: the code blocks the
     * owner (258, recursion stays 1). The facade follows the documentation ("recursive acquisition
     * increments an internal counter", docs/semantics.md#decisions): the owner's wait returns 0 and
     * adds a hold.
     */
    @Test
    void axis_C11_ownerReWaitRecursesAsDocumentedInsteadOfTimingOutAsTheCode() throws Exception {
        String mx = sync.createMutex(false);
        assertEquals(0, sync.wait(mx));
        assertEquals(0, sync.wait(mx, 50), "documented: recursion, not 258");
        assertTrue(sync.releaseMutex(mx));
        assertTrue(sync.releaseMutex(mx), "two holds need two releases");
        assertFalse(sync.releaseMutex(mx));
        assertEquals("Not owner", Sync.lastError());
    }

    @Test
    void axis_C12_semaphoreCountsDownAndReleaseReturnsThePreviousCount() throws Exception {
        String s = sync.createSemaphore(2, 5);
        assertEquals(0, sync.wait(s, 50));
        assertEquals(0, sync.wait(s, 50));
        assertEquals(WAIT_TIMEOUT, sync.wait(s, 50));
        assertEquals(0, sync.releaseSemaphore(s, 1));
        assertEquals(0, sync.wait(s, 50));
    }

    @Test
    void axis_C13_overReleaseClampsAtTheMaximumAndABadHandleFails() throws Exception {
        String s = sync.createSemaphore(0, 3);
        assertEquals(0, sync.releaseSemaphore(s, 10));
        assertEquals(0, sync.wait(s, 50));
        assertEquals(0, sync.wait(s, 50));
        assertEquals(0, sync.wait(s, 50));
        assertEquals(WAIT_TIMEOUT, sync.wait(s, 50));
        assertEquals(-1, sync.releaseSemaphore("H-bogus"));
        assertEquals("Invalid handle", Sync.lastError());
    }

    @Test
    void axis_C24_waitAnyReturnsTheZeroBasedIndexConsumesOnlyTheWinnerAndNamesABadHandle() throws Exception {
        String e1 = sync.createEvent(false, false);
        String e2 = sync.createEvent(false, false);
        String e3 = sync.createEvent(false, false);

        Running<Integer> t = start("C24", () -> sync.waitMultiple(List.of(e1, e2, e3), false, LONG));
        eventually("the thread waits on all three", () -> sync.waiters(e1) == 1 && sync.waiters(e2) == 1
                && sync.waiters(e3) == 1);
        assertEquals(1, sync.setEvent(e2));
        assertEquals(1, t.get());

        sync.setEvent(e1);
        sync.setEvent(e3);
        assertEquals(0, sync.waitMultiple(List.of(e1, e2, e3), false, 100));
        assertEquals(WAIT_TIMEOUT, sync.wait(e1, 0), "e1 was consumed");
        assertEquals(0, sync.wait(e3, 10), "e3 is still signalled");

        assertEquals(WAIT_FAILED, sync.waitMultiple(List.of(e1, "H-bogus"), false, 10));
        assertEquals("Handle 2 not waitable", Sync.lastError());
    }

    @Test
    void axis_C25_waitAllNeedsEveryObjectAndAtDispatchLevelNothingBlocks() throws Exception {
        String a = sync.createEvent(true, false);
        String b = sync.createEvent(true, false);
        Running<Integer> t = start("C25", () -> sync.waitMultiple(List.of(a, b), true, LONG));
        eventually("the thread waits on A and B", () -> sync.waiters(a) == 1 && sync.waiters(b) == 1);
        assertEquals(0, sync.setEvent(a), "A alone completes nothing");
        assertEquals(1, sync.waiters(a), "still blocked");
        assertFalse(t.isDone());
        assertEquals(1, sync.setEvent(b));
        assertEquals(0, t.get());

        String a2 = sync.createEvent(true, true);
        String b2 = sync.createEvent(true, false);
        assertEquals(WAIT_TIMEOUT, sync.waitMultiple(List.of(a2, b2), true, 100));
        assertEquals(0, sync.waitMultiple(List.of(), true, 10));

        String e = sync.createEvent(true, true);
        assertEquals(Sync.PASSIVE_LEVEL, sync.raiseIrql(Sync.DISPATCH_LEVEL));
        assertEquals(WAIT_FAILED, sync.wait(e, 10));
        assertEquals("Cannot block", Sync.lastError());
        assertEquals(WAIT_FAILED, sync.waitMultiple(List.of(e), false, 10));
        sync.lowerIrql(Sync.PASSIVE_LEVEL);
        assertEquals(Sync.PASSIVE_LEVEL, sync.getIrql());
        assertEquals(0, sync.wait(e, 10), "blocking is allowed again");
    }

    @Test
    void axis_C25_invalidIrqlLevelIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> sync.raiseIrql(4));
        assertThrows(IllegalArgumentException.class, () -> sync.lowerIrql(-1));
        assertNotNull(sync.toString());
    }
}
