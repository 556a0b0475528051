package io.waitkit.compat.axis;

import static io.waitkit.compat.TestThreads.awaitBlocked;
import static io.waitkit.compat.TestThreads.eventually;
import static io.waitkit.compat.TestThreads.millisSince;
import static io.waitkit.compat.TestThreads.start;
import static io.waitkit.compat.axis.Sync.STATUS_ABANDONED;
import static io.waitkit.compat.axis.Sync.WAIT_FAILED;
import static io.waitkit.compat.axis.Sync.WAIT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Irql;
import io.waitkit.compat.TestThreads.Running;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The facade's own choices (see the class javadoc of {@link Sync}), beyond the reference cases. */
class SyncBehaviourTest {
    private final Sync sync = new Sync();

    @AfterEach
    void backToPassive() {
        while (sync.getIrql() > Sync.PASSIVE_LEVEL) {
            sync.lowerIrql(Sync.PASSIVE_LEVEL);
        }
    }

    private void awaitWaiters(String h, int n) {
        eventually(n + " waiter(s) on " + h, () -> sync.waiters(h) == n);
    }

    @Test
    void handlesLookLikeTheSeedsAndAreUniquePerTable() {
        String e = sync.createEvent();
        assertTrue(e.matches("H-[0-9a-f]{6}-[0-9a-f]{5}-[0-9a-f]{4}-[0-9a-f]{4}"), e);
        assertNotEquals(e, sync.createEvent());
        Sync other = new Sync();
        assertEquals(0, other.setEvent(e), "a handle of another table is invalid there");
        assertEquals("Invalid handle", Sync.lastError());
    }

    @Test
    void aHandleOfTheWrongKindIsInvalidForTheCall() {
        String e = sync.createEvent();
        String mx = sync.createMutex();
        assertFalse(sync.releaseMutex(e));
        assertEquals("Invalid handle", Sync.lastError());
        assertEquals(0, sync.setEvent(mx));
        assertEquals(-1, sync.releaseSemaphore(mx, 1));
        assertFalse(sync.setTimer(e, 10));
        assertFalse(sync.cancelTimer(mx));
    }

    @Test
    void aSuccessfulCallClearsLastError() throws Exception {
        sync.setEvent("H-bogus");
        assertEquals("Invalid handle", Sync.lastError());
        String e = sync.createEvent(true, true);
        assertNull(Sync.lastError());
        sync.wait("H-bogus", 0);
        assertEquals(0, sync.wait(e, 0));
        assertNull(Sync.lastError());
    }

    @Test
    void pulseOnAutoResetWakesOneAndLeavesItNonSignalled() throws Exception {
        String e = sync.createEvent(false, false);
        Running<Integer> t1 = start("pulse-1", () -> sync.wait(e));
        awaitWaiters(e, 1);
        Running<Integer> t2 = start("pulse-2", () -> sync.wait(e, 100_000));
        awaitWaiters(e, 2);
        assertEquals(1, sync.pulseEvent(e));
        assertEquals(0, t1.get());
        assertEquals(1, sync.waiters(e));
        assertEquals(1, sync.pulseEvent(e));
        assertEquals(0, t2.get());
        assertEquals(0, sync.pulseEvent(e));
        assertEquals(WAIT_TIMEOUT, sync.wait(e, 0));
    }

    @Test
    void pulseOnManualResetWakesEveryWaiterAndLeavesItNonSignalled() throws Exception {
        String m = sync.createEvent(true, false);
        List<Running<Integer>> ts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ts.add(start("mpulse-" + i, () -> sync.wait(m)));
        }
        awaitWaiters(m, 3);
        assertEquals(3, sync.pulseEvent(m));
        for (Running<Integer> t : ts) {
            assertEquals(0, t.get());
        }
        assertEquals(WAIT_TIMEOUT, sync.wait(m, 0));
    }

    @Test
    void setEventCountsAWaitAllWaiterOnlyWhenItCompletesIt() throws Exception {
        String auto = sync.createEvent(false, false);
        String manual = sync.createEvent(true, false);
        Running<Integer> t = start("all", () -> sync.waitMultiple(List.of(auto, manual), true));
        eventually("registered", () -> sync.waiters(auto) == 1 && sync.waiters(manual) == 1);
        assertEquals(0, sync.setEvent(auto), "manual is not signalled yet");
        assertEquals(1, sync.setEvent(manual), "this set completes the wait-all");
        assertEquals(0, t.get());
        assertEquals(WAIT_TIMEOUT, sync.wait(auto, 0), "the wait-all consumed the auto-reset event");
        assertEquals(0, sync.wait(manual, 0), "the manual-reset event stays signalled");
    }

    @Test
    void setEventOnAnAlreadySignalledEventWakesNobody() {
        String e = sync.createEvent(false, true);
        assertEquals(0, sync.setEvent(e));
    }

    @Test
    void alreadySignalledObjectIsAcquiredByAZeroTimeoutPoll() throws Exception {
        String e = sync.createEvent(false, true);
        assertEquals(0, sync.wait(e, 0));
        assertEquals(WAIT_TIMEOUT, sync.wait(e, 0));
        assertEquals(WAIT_TIMEOUT, sync.wait(e, -5), "a negative timeout polls too");
    }

    @Test
    void interruptedWaitThrowsAndAcquiresNothing() throws Exception {
        String e = sync.createEvent(false, false);
        Running<String> t = start("interrupted", () -> {
            try {
                return "returned " + sync.wait(e);
            } catch (InterruptedException x) {
                return "interrupted";
            }
        });
        awaitWaiters(e, 1);
        t.thread().interrupt();
        assertEquals("interrupted", t.get());
        assertEquals(0, sync.waiters(e));
        assertEquals(0, sync.setEvent(e), "the interrupted waiter is gone");
        assertEquals(0, sync.wait(e, 0), "and took nothing: the event stayed signalled");
    }

    @Test
    void interruptBeforeTheCallThrowsAtOnce() {
        String e = sync.createEvent(true, true);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> sync.wait(e, 10));
        assertFalse(Thread.interrupted());
    }

    @Test
    void releaseSemaphoreOfTwoWakesTwoWaiters() throws Exception {
        String s = sync.createSemaphore(0, 10);
        Running<Integer> t1 = start("sem-1", () -> sync.wait(s));
        Running<Integer> t2 = start("sem-2", () -> sync.wait(s));
        Running<Integer> t3 = start("sem-3", () -> sync.wait(s, 100_000));
        awaitWaiters(s, 3);
        assertEquals(0, sync.releaseSemaphore(s, 2));
        assertEquals(1, sync.waiters(s), "two were handed a unit each before the release returned");
        assertEquals(0, sync.releaseSemaphore(s, 0), "both units went to waiters");
        assertEquals(0, sync.releaseSemaphore(s, 1));
        assertEquals(0, t1.get());
        assertEquals(0, t2.get());
        assertEquals(0, t3.get());
    }

    @Test
    void releaseSemaphoreWithAZeroOrNegativeCount() {
        String s = sync.createSemaphore(2, 3);
        assertEquals(2, sync.releaseSemaphore(s, 0));
        assertEquals(-1, sync.releaseSemaphore(s, -1));
        assertEquals("Invalid parameter", Sync.lastError());
        assertEquals(2, sync.releaseSemaphore(s, 5));
        assertEquals(3, sync.releaseSemaphore(s, 1), "at the maximum: clamped, nothing changes");
    }

    @Test
    void createSemaphoreRefusesCountsTheCoreCannotHold() {
        assertNull(sync.createSemaphore(5, 3));
        assertEquals("Invalid parameter", Sync.lastError());
        assertNull(sync.createSemaphore(-1, 3));
        assertNull(sync.createSemaphore(0, 0));
    }

    @Test
    void createSemaphoreDefaultsAreOneAndTheLargestMaximum() throws Exception {
        String s = sync.createSemaphore();
        assertEquals(1, sync.releaseSemaphore(s, 0));
        assertEquals(1, sync.releaseSemaphore(s, Integer.MAX_VALUE));
        assertEquals(Sync.MAX_SEMAPHORE_COUNT, sync.releaseSemaphore(s, 0));
        String t = sync.createSemaphore(4);
        assertEquals(4, sync.releaseSemaphore(t, 0));
    }

    @Test
    void waitAllWithADuplicateHandleFailsAndWaitAnyAllowsIt() throws Exception {
        String e = sync.createEvent(true, true);
        String f = sync.createEvent(true, true);
        assertEquals(WAIT_FAILED, sync.waitMultiple(List.of(e, f, e), true, 10));
        assertEquals("Handle 3 duplicated", Sync.lastError());
        assertEquals(0, sync.waitMultiple(List.of(e, e), false, 10));
    }

    @Test
    void waitAllTakesEveryObjectTogetherOrNothing() throws Exception {
        String mx = sync.createMutex(false);
        String s = sync.createSemaphore(1, 1);
        String e = sync.createEvent(false, false);
        assertEquals(WAIT_TIMEOUT, sync.waitMultiple(List.of(mx, s, e), true, 20));
        Running<Integer> other = start("other", () -> {
            int r = sync.wait(mx, 0);
            if (r == 0) {
                sync.releaseMutex(mx);
            }
            return r;
        });
        assertEquals(0, other.get(), "the timed-out wait-all left the mutex free");
        assertEquals(1, sync.releaseSemaphore(s, 0), "and the semaphore's unit in place");

        sync.setEvent(e);
        assertEquals(0, sync.waitMultiple(List.of(mx, s, e), true, 20));
        assertEquals(0, sync.releaseSemaphore(s, 0), "the wait-all took the unit");
        assertTrue(sync.releaseMutex(mx), "and owns the mutex");
    }

    @Test
    void emptyWaitAnyEndsOnlyByTimeout() throws Exception {
        long start = System.nanoTime();
        assertEquals(WAIT_TIMEOUT, sync.waitMultiple(List.of(), false, 30));
        assertTrue(millisSince(start) >= 30);
    }

    @Test
    void aNullElementIsANonWaitableHandle() throws Exception {
        String e = sync.createEvent();
        assertEquals(WAIT_FAILED, sync.waitMultiple(Arrays.asList(e, null), false, 0));
        assertEquals("Handle 2 not waitable", Sync.lastError());
        assertEquals(WAIT_FAILED, sync.wait(null, 0));
        assertThrows(NullPointerException.class, () -> sync.waitMultiple(null, false, 0));
    }

    @Test
    void theIrqlCheckComesBeforeTheHandleCheck() throws Exception {
        sync.raiseIrql(Sync.DEVICE_LEVEL);
        assertEquals(WAIT_FAILED, sync.wait("H-bogus", 0));
        assertEquals("Cannot block", Sync.lastError());
        assertEquals(WAIT_FAILED, sync.waitMultiple(List.of("H-bogus"), true, 0));
        assertEquals("Cannot block", Sync.lastError());
        assertEquals(0, sync.setEvent(sync.createEvent()), "signalling stays legal");
    }

    @Test
    void raiseIrqlReturnsTheOldLevelAndMayLowerAndLowerIrqlMayRaise() {
        assertEquals(0, sync.raiseIrql(Sync.APC_LEVEL));
        assertEquals(1, sync.raiseIrql(Sync.DISPATCH_LEVEL));
        assertEquals(2, Irql.current(), "the facade sets the core's per-thread level");
        assertFalse(Irql.canBlock());
        assertEquals(2, sync.raiseIrql(Sync.APC_LEVEL), "raising to a lower level lowers, as AxisOS");
        assertEquals(1, sync.getIrql());
        sync.lowerIrql(Sync.DEVICE_LEVEL);
        assertEquals(3, sync.getIrql(), "lowerIrql does not check its direction");
        sync.lowerIrql(Sync.PASSIVE_LEVEL);
        assertEquals(0, sync.getIrql());
        assertTrue(Irql.canBlock());
    }

    @Test
    void lowerIrqlRefusesToCrossAScopeTheFacadeDidNotOpen() {
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertThrows(IllegalStateException.class, () -> sync.lowerIrql(Sync.PASSIVE_LEVEL));
            assertEquals(2, sync.getIrql());
            assertEquals(2, sync.raiseIrql(Sync.DEVICE_LEVEL));
            sync.lowerIrql(Sync.DISPATCH_LEVEL);
            assertEquals(2, sync.getIrql());
            assertEquals(2, scope.level());
        }
        assertEquals(0, sync.getIrql());
    }

    @Test
    void irqlIsPerThread() throws Exception {
        sync.raiseIrql(Sync.DISPATCH_LEVEL);
        Running<Integer> other = start("other-level", sync::getIrql);
        assertEquals(0, other.get());
        sync.lowerIrql(Sync.PASSIVE_LEVEL);
    }

    @Test
    void abandonedMutexIsTakenOverWithStatusAbandoned() throws Exception {
        String mx = sync.createMutex(false);
        Running<Integer> owner = start("dies-holding", () -> sync.wait(mx));
        assertEquals(0, owner.get());
        owner.thread().join();
        assertEquals(STATUS_ABANDONED, sync.wait(mx, 10_000));
        assertTrue(sync.releaseMutex(mx), "ownership was taken");

        String e = sync.createEvent(false, false);
        String mx2 = sync.createMutex(false);
        Running<Integer> owner2 = start("dies-holding-2", () -> sync.wait(mx2));
        assertEquals(0, owner2.get());
        owner2.thread().join();
        assertEquals(STATUS_ABANDONED + 1, sync.waitMultiple(List.of(e, mx2), false, 10_000));
        assertTrue(sync.releaseMutex(mx2));
    }

    @Test
    void aWaiterBlockedOnAMutexLearnsOfItsAbandonment() throws Exception {
        String mx = sync.createMutex(false);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        Running<Integer> owner = start("owner", () -> {
            int r = sync.wait(mx);
            held.countDown();
            assertTrue(die.await(20, TimeUnit.SECONDS));
            return r;
        });
        assertTrue(held.await(20, TimeUnit.SECONDS));
        Running<Integer> waiter = start("waiter", () -> {
            int r = sync.wait(mx);
            sync.releaseMutex(mx);
            return r;
        });
        awaitWaiters(mx, 1);
        die.countDown();
        assertEquals(0, owner.get());
        assertEquals(STATUS_ABANDONED, waiter.get());
    }

    @Test
    void oneShotTimerStaysSignalledAndCancelKeepsTheState() throws Exception {
        String t = sync.createTimer();
        assertEquals(WAIT_TIMEOUT, sync.wait(t, 0), "created disarmed, non-signalled");
        long start = System.nanoTime();
        assertTrue(sync.setTimer(t, 20));
        assertEquals(0, sync.wait(t, 10_000));
        assertTrue(millisSince(start) >= 20, "not before its delay");
        assertEquals(0, sync.wait(t, 0), "a one-shot expiry stays signalled");
        assertTrue(sync.cancelTimer(t));
        assertEquals(0, sync.wait(t, 0), "cancel does not unsignal");
        assertTrue(sync.setTimer(t, 60_000));
        assertEquals(WAIT_TIMEOUT, sync.wait(t, 0), "arming unsignals");
        assertTrue(sync.cancelTimer(t));
        assertEquals(WAIT_TIMEOUT, sync.wait(t, 30), "cancelled: never expires");
    }

    @Test
    void periodicTimerWakesItsWaitersAndStaysNonSignalled() throws Exception {
        String t = sync.createTimer();
        assertTrue(sync.setTimer(t, 10, 10));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, sync.wait(t, 10_000), "period " + i);
        }
        assertTrue(sync.cancelTimer(t));
        assertEquals(WAIT_TIMEOUT, sync.wait(t, 0), "a periodic expiry pulses");
        assertFalse(sync.setTimer("H-bogus", 1, 1));
        assertEquals("Invalid handle", Sync.lastError());
    }

    @Test
    void timerTakesPartInWaitMultiple() throws Exception {
        String stop = sync.createEvent(true, false);
        String t = sync.createTimer();
        sync.setTimer(t, 10);
        assertEquals(1, sync.waitMultiple(List.of(stop, t), false, 10_000));
    }

    @Test
    void closedHandleBecomesInvalidWhileItsWaiterStillGetsTheObject() throws Exception {
        String e = sync.createEvent(false, false);
        Running<Integer> t = start("closed", () -> sync.wait(e));
        awaitWaiters(e, 1);
        assertTrue(sync.closeHandle(e));
        assertFalse(sync.closeHandle(e));
        assertEquals(0, sync.setEvent(e), "the handle is invalid now");
        assertEquals(-1, sync.waiters(e));
        awaitBlocked(t.thread());
        t.thread().interrupt();
        assertInstanceOf(InterruptedException.class, assertThrows(Exception.class, t::get));
    }

    @Test
    void statsCountCreationsAndWaitOutcomes() throws Exception {
        Sync s = new Sync();
        String e = s.createEvent(true, true);
        s.createMutex();
        s.createSemaphore();
        s.createTimer();
        s.wait(e, 0);
        s.waitMultiple(List.of(e), true, 0);
        s.wait(s.createEvent(), 0);
        s.wait("H-bogus", 0);
        Sync.Stats st = s.stats();
        assertEquals(new Sync.Stats(3, 2, 1, 2, 1, 1, 1), st);
    }

    @Test
    void waitsWorkOnVirtualThreads() throws Exception {
        String e = sync.createEvent(true, false);
        List<Thread> threads = new ArrayList<>();
        int[] results = new int[200];
        for (int i = 0; i < results.length; i++) {
            int k = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    results[k] = sync.wait(e) + 1;
                } catch (InterruptedException x) {
                    results[k] = -100;
                }
            }));
        }
        awaitWaiters(e, results.length);
        assertEquals(results.length, sync.setEvent(e));
        for (Thread t : threads) {
            t.join(20_000);
        }
        for (int r : results) {
            assertEquals(1, r);
        }
    }
}
