package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Deadline;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Wait#any} and {@link Wait#all} over objects of mixed kinds, after NT's
 * {@code WaitForMultipleObjects} (and Linux's ntsync driver), docs/semantics.md#wait-any and
 * docs/semantics.md#wait-all:
 * <ul>
 *   <li>wait-any acquires exactly one object, the lowest-index available one; a mutex owned by
 *       the caller counts as available, one owned by another thread is skipped; duplicates are
 *       allowed and reported at the lowest index with one acquisition; zero objects end only
 *       by timeout;</li>
 *   <li>wait-all acquires everything atomically or nothing; it reserves nothing while it sleeps
 *       and completes only when all objects are available together; duplicates are an
 *       {@link IllegalArgumentException} with nothing acquired; an empty list succeeds;</li>
 *   <li>abandoned mutexes are taken over and reported (index for wait-any, -1 for wait-all);</li>
 *   <li>the async forms follow the same rules and complete inside the signalling call.</li>
 * </ul>
 *
 * <p>A backend extends this class and implements the three factories (it may return objects of
 * different backends, to check mixed waits).
 */
public abstract class WaitContract extends ContractBase {
    /**
     * Creates an event.
     *
     * @param manualReset the kind
     * @param signaled the initial state
     * @return the event
     */
    protected abstract EventUnderTest newEvent(boolean manualReset, boolean signaled);

    /**
     * Creates an unowned mutex.
     *
     * @return the mutex
     */
    protected abstract MutexUnderTest newMutex();

    /**
     * Creates a semaphore.
     *
     * @param initial the initial count
     * @param max the maximum count
     * @return the semaphore
     */
    protected abstract SemaphoreUnderTest newSemaphore(int initial, int max);

    private static Waitable[] w(Object... objects) {
        Waitable[] result = new Waitable[objects.length];
        for (int i = 0; i < objects.length; i++) {
            Object o = objects[i];
            result[i] = o instanceof EventUnderTest e ? e.waitable()
                    : o instanceof MutexUnderTest m ? m.waitable()
                    : ((SemaphoreUnderTest) o).waitable();
        }
        return result;
    }

    private static void assertFree(MutexUnderTest m) {
        assertNull(m.owner());
        assertEquals(0, m.holdCount());
        assertFalse(m.isAbandoned());
    }

    // ================================================================ wait-any

    @Test
    public void anyAcquiresOnlyTheLowestIndexAvailableObject() throws InterruptedException {
        EventUnderTest unsignaled = newEvent(false, false);
        SemaphoreUnderTest sem = newSemaphore(2, 5);
        MutexUnderTest mutex = newMutex();
        EventUnderTest manual = newEvent(true, true);
        assertEquals(1, Wait.any(Duration.ZERO, w(unsignaled, sem, mutex, manual)));
        assertEquals(1, sem.availablePermits(), "one permit taken");
        assertFree(mutex);
        assertTrue(manual.isSignaled());
        assertEquals(1, Wait.any(LONG, w(unsignaled, sem, mutex, manual)));
        assertEquals(0, sem.availablePermits());
        assertEquals(2, Wait.any(w(unsignaled, sem, mutex, manual)), "now the mutex is the lowest available");
        assertTrue(mutex.isHeldByCurrentThread());
        mutex.unlock();
    }

    @Test
    public void successivePollsOverSixtyFourSignaledAutoEventsReturnTheIndicesInOrder() throws InterruptedException {
        // Wine kernel32 sync test: 64 auto-reset events, all signalled
        EventUnderTest[] events = new EventUnderTest[64];
        for (int i = 0; i < events.length; i++) {
            events[i] = newEvent(false, true);
        }
        Waitable[] all = w((Object[]) events);
        for (int i = 0; i < events.length; i++) {
            assertEquals(i, Wait.any(Duration.ZERO, all));
            assertFalse(events[i].isSignaled());
            if (i + 1 < events.length) {
                assertTrue(events[i + 1].isSignaled(), "the others are untouched");
            }
        }
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, all));
    }

    @Test
    public void duplicateObjectInAnyIsReportedAtItsLowestIndexAndAcquiredOnce() throws InterruptedException {
        // ntsync selftest: [S, S] with S = (2, 3) -> index 0, S = (1, 3)
        SemaphoreUnderTest s = newSemaphore(2, 3);
        assertEquals(0, Wait.any(Duration.ZERO, w(s, s)));
        assertEquals(1, s.availablePermits());
        EventUnderTest e = newEvent(false, false);
        assertEquals(1, Wait.any(Duration.ZERO, w(e, s, e, s)));
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void mutexOwnedByTheCallerCountsAsAvailable() throws InterruptedException {
        MutexUnderTest m = newMutex();
        m.lock();
        EventUnderTest e = newEvent(false, false);
        assertEquals(1, Wait.any(Duration.ZERO, w(e, m)));
        assertEquals(2, m.holdCount(), "recursion");
        assertEquals(1, Wait.any(LONG, w(e, m)));
        assertEquals(3, m.holdCount());
        assertEquals(3, m.release());
        assertEquals(2, m.release());
        assertEquals(1, m.release());
        assertFree(m);
    }

    @Test
    public void mutexOwnedByAnotherThreadIsSkipped() throws InterruptedException {
        MutexUnderTest m = newMutex();
        SemaphoreUnderTest s = newSemaphore(1, 1);
        try (OtherOwner other = holdElsewhere(m)) {
            assertEquals(1, Wait.any(Duration.ZERO, w(m, s)));
            assertEquals(0, s.availablePermits());
            assertSame(other.thread(), m.owner());
            assertEquals(1, m.holdCount());
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, w(m, s)));
        }
        assertFree(m);
    }

    @Test
    public void anyOverNoObjectsEndsOnlyByTheTimeout() throws InterruptedException {
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO));
        long t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(SHORT));
        assertNeverEarly(t0, SHORT);
    }

    @Test
    public void manualResetEventIsNotConsumedByAny() throws InterruptedException {
        EventUnderTest e = newEvent(true, true);
        SemaphoreUnderTest s = newSemaphore(1, 1);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, Wait.any(Duration.ZERO, w(e, s)));
        }
        assertTrue(e.isSignaled());
        assertEquals(1, s.availablePermits());
    }

    @Test
    public void pollOfUnavailableObjectsReturnsTimeoutAtOnceAndChangesNothing() throws InterruptedException {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(0, 1);
        MutexUnderTest m = newMutex();
        try (OtherOwner other = holdElsewhere(m)) {
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, w(e, s, m)));
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ofMillis(-10), w(e, s, m)));
            assertEquals(Wait.TIMEOUT, Wait.any(Deadline.now(), w(e, s, m)));
            assertSame(other.thread(), m.owner());
        }
        assertFalse(e.isSignaled());
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void availableObjectIsAcquiredByAnyEvenWithADeadlineThatPassedLongAgo() throws InterruptedException {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(1, 1);
        assertEquals(1, Wait.any(Deadline.from(Deadline.now(), Duration.ofSeconds(-1)), w(e, s)));
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void blockedAnyReturnsTheIndexOfTheSignalledObjectAndLeavesTheOthersUntouched() throws InterruptedException {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(0, 2);
        MutexUnderTest m = newMutex();
        OtherOwner other = holdElsewhere(m);
        Forked<Integer> waiter = Forked.call("waiter", () -> Wait.any(LONG, w(e, s, m)));
        awaitBlocked(waiter.thread());
        assertEquals(0, s.release());
        assertEquals(0, s.availablePermits(), "the waiter's permit is taken inside release()");
        assertEquals(1, waiter.join());
        other.close();
        assertFree(m);
        assertFalse(e.set(), "the waiter was withdrawn from the event");
        assertTrue(e.isSignaled());
    }

    @Test
    public void blockedAnyOverADuplicateTakesOnePermitWhenSeveralAreReleased() {
        SemaphoreUnderTest s = newSemaphore(0, 3);
        Forked<Integer> waiter = Forked.call("waiter", () -> Wait.any(w(s, s)));
        awaitBlocked(waiter.thread());
        assertEquals(0, s.release(2));
        assertEquals(1, s.availablePermits(), "exactly one acquisition for the duplicated waiter");
        assertEquals(0, waiter.join());
    }

    @Test
    public void blockedAnyIsWokenByAMutexUnlock() {
        MutexUnderTest m = newMutex();
        EventUnderTest e = newEvent(false, false);
        m.lock();
        Forked<Integer> waiter = Forked.call("waiter", () -> {
            int i = Wait.any(LONG, w(e, m));
            m.unlock();
            return i;
        });
        awaitBlocked(waiter.thread());
        m.unlock();
        assertEquals(1, waiter.join());
        assertFree(m);
        assertFalse(e.isSignaled());
    }

    @Test
    public void timedAnyTimesOutNeverEarlyAndIsWithdrawnFromEveryObject() throws InterruptedException {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(0, 1);
        long t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(SHORT, w(e, s)));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(Deadline.after(SHORT), w(e, s)));
        assertNeverEarly(t0, SHORT);
        e.set();
        s.release();
        assertTrue(e.isSignaled(), "no stale waiter consumed the signal");
        assertEquals(1, s.availablePermits(), "no stale waiter took the permit");
    }

    // ================================================================ wait-all

    @Test
    public void allAcquiresEveryObjectAtOnce() throws InterruptedException {
        EventUnderTest auto = newEvent(false, true);
        SemaphoreUnderTest s = newSemaphore(1, 2);
        MutexUnderTest m = newMutex();
        EventUnderTest manual = newEvent(true, true);
        assertTrue(Wait.all(Duration.ZERO, w(auto, s, m, manual)));
        assertFalse(auto.isSignaled());
        assertEquals(0, s.availablePermits());
        assertTrue(m.isHeldByCurrentThread());
        assertEquals(1, m.holdCount());
        assertTrue(manual.isSignaled());
        m.unlock();
    }

    @Test
    public void allThatCannotCompleteTimesOutWithoutTakingAnything() throws InterruptedException {
        // ntsync selftest test_wait_all: a semaphore with count 1 is not decremented while the
        // mutex cannot be taken
        SemaphoreUnderTest s = newSemaphore(1, 1);
        EventUnderTest e = newEvent(false, true);
        MutexUnderTest m = newMutex();
        try (OtherOwner other = holdElsewhere(m)) {
            assertFalse(Wait.all(Duration.ZERO, w(s, e, m)));
            long t0 = System.nanoTime();
            assertFalse(Wait.all(SHORT, w(s, e, m)));
            assertNeverEarly(t0, SHORT);
            assertEquals(1, s.availablePermits(), "not decremented");
            assertTrue(e.isSignaled(), "not consumed");
            assertSame(other.thread(), m.owner());
        }
        assertTrue(Wait.all(Duration.ZERO, w(s, e, m)), "completes once the mutex is free");
        m.unlock();
    }

    @Test
    public void allCountsAMutexOwnedByTheCallerAsAvailable() throws InterruptedException {
        MutexUnderTest m = newMutex();
        SemaphoreUnderTest s = newSemaphore(1, 1);
        m.lock();
        assertTrue(Wait.all(Duration.ZERO, w(m, s)));
        assertEquals(2, m.holdCount());
        m.unlock();
        m.unlock();
        assertFree(m);
    }

    @Test
    public void allReservesNothingWhileItSleepsAndCompletesOnlyWhenAllAreAvailableTogether() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        EventUnderTest e = newEvent(false, false);
        Forked<Boolean> waiter = Forked.call("all-waiter", () -> Wait.all(LONG, w(s, e)));
        awaitBlocked(waiter.thread());

        s.release();
        assertEquals(1, s.availablePermits(), "the all-waiter does not take the permit alone");
        assertTrue(s.tryAcquire(), "another thread may take an object the all-waiter waits for");

        e.set();
        assertTrue(e.isSignaled(), "the all-waiter does not consume the event alone");
        assertFalse(waiter.isDone());

        assertEquals(0, s.release());
        assertEquals(0, s.availablePermits(), "all acquired inside the release that completed the set");
        assertFalse(e.isSignaled());
        assertTrue(waiter.join());
    }

    @Test
    public void finalSignalHandsEveryObjectOfTheAllWaiterOffBeforeReturning() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        MutexUnderTest m = newMutex();
        CountDownLatch observed = new CountDownLatch(1);
        m.lock();
        Forked<Boolean> waiter = Forked.call("all-waiter", () -> {
            boolean got = Wait.all(LONG, w(s, m));
            // keep the mutex until the test has read the owner: a preempted test thread would
            // otherwise read it only after this thread had already unlocked
            boolean inTime = observed.await(LONG.toMillis(), TimeUnit.MILLISECONDS);
            m.unlock();
            return got && inTime;
        });
        awaitBlocked(waiter.thread());
        s.release();
        assertEquals(1, s.availablePermits());
        m.unlock();
        Thread owner = m.owner();
        observed.countDown();
        assertSame(waiter.thread(), owner, "the all-waiter owns the mutex right after unlock returns");
        assertEquals(0, s.availablePermits());
        assertTrue(waiter.join());
        assertFree(m);
    }

    @Test
    public void duplicateInAllIsRejectedAndNothingIsAcquired() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        EventUnderTest e = newEvent(false, true);
        MutexUnderTest m = newMutex();
        assertThrows(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, w(s, e, m, s)));
        assertThrows(IllegalArgumentException.class, () -> Wait.all(LONG, w(e, m, e)));
        assertThrows(IllegalArgumentException.class, () -> Wait.all(w(m, m)));
        assertThrows(IllegalArgumentException.class, () -> Wait.allAsync(w(s, s)));
        assertEquals(1, s.availablePermits());
        assertTrue(e.isSignaled());
        assertFree(m);
        assertTrue(Wait.all(Duration.ZERO, w(s, e, m)), "all still usable");
        m.unlock();
    }

    @Test
    public void allOverNoObjectsSucceedsAtOnce() throws InterruptedException {
        assertTrue(Wait.all(Duration.ZERO));
        assertTrue(Wait.all(LONG));
        Wait.all();
        assertTrue(Wait.allAsync().isDone());
    }

    @Test
    public void pulseOfAnAutoEventCompletesAnAllWaiterWhoseOtherObjectsAreAvailable() {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(1, 1);
        Forked<Boolean> waiter = Forked.call("all-waiter", () -> Wait.all(LONG, w(e, s)));
        awaitBlocked(waiter.thread());
        assertFalse(e.pulse());
        assertEquals(0, s.availablePermits());
        assertFalse(e.isSignaled());
        assertTrue(waiter.join());
    }

    @Test
    public void pulseLeavesNoSignalForAnAllWaiterThatCannotComplete() throws InterruptedException {
        EventUnderTest e = newEvent(true, false);
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Void> f = Wait.allAsync(w(e, s));
        e.pulse();
        assertFalse(e.isSignaled());
        s.release();
        assertFalse(f.isDone(), "the pulse is over; the event is not signalled any more");
        assertEquals(1, s.availablePermits());
        assertTrue(f.cancel(false));
        assertEquals(1, s.availablePermits());
    }

    // ================================================================ abandonment

    @Test
    public void anyOverAnAbandonedMutexTakesItAndReportsItsIndex() {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        MutexUnderTest m = newMutex();
        abandon(m);
        AbandonedMutexException e = assertThrows(AbandonedMutexException.class,
                () -> Wait.any(Duration.ZERO, w(s, m)));
        assertEquals(1, e.mutexIndex());
        assertReportsMutex(m, e);
        assertTrue(m.isHeldByCurrentThread());
        assertEquals(1, m.holdCount());
        assertFalse(m.isAbandoned());
        assertEquals(0, s.availablePermits());
        m.unlock();
        assertFree(m);
    }

    @Test
    public void anyWithALowerAvailableIndexLeavesAnAbandonedMutexAlone() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        MutexUnderTest m = newMutex();
        abandon(m);
        assertEquals(0, Wait.any(Duration.ZERO, w(s, m)));
        assertTrue(m.isAbandoned());
        assertThrows(AbandonedMutexException.class, m::lock);
        m.unlock();
    }

    @Test
    public void allOverAnAbandonedMutexAcquiresEverythingAndReportsIndexMinusOne() {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        MutexUnderTest m = newMutex();
        EventUnderTest e = newEvent(false, true);
        abandon(m);
        AbandonedMutexException ex = assertThrows(AbandonedMutexException.class,
                () -> Wait.all(Duration.ZERO, w(s, m, e)));
        assertEquals(-1, ex.mutexIndex());
        assertReportsMutex(m, ex);
        assertEquals(0, s.availablePermits());
        assertFalse(e.isSignaled());
        assertTrue(m.isHeldByCurrentThread());
        assertEquals(1, m.holdCount());
        assertFalse(m.isAbandoned());
        m.unlock();
    }

    @Test
    public void allThatCannotCompleteLeavesAnAbandonedMutexAbandoned() throws InterruptedException {
        SemaphoreUnderTest s = newSemaphore(0, 1);
        MutexUnderTest m = newMutex();
        abandon(m);
        assertFalse(Wait.all(Duration.ZERO, w(m, s)));
        assertTrue(m.isAbandoned());
        assertNull(m.owner());
    }

    @Test
    public void asyncAnyOverAnAbandonedMutexFailsWithOwnershipTaken() {
        EventUnderTest e = newEvent(false, false);
        MutexUnderTest m = newMutex();
        abandon(m);
        CompletableFuture<Integer> f = Wait.anyAsync(w(e, m));
        CompletionException ce = assertThrows(CompletionException.class, f::join);
        AbandonedMutexException ex = (AbandonedMutexException) ce.getCause();
        assertEquals(1, ex.mutexIndex());
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
    }

    @Test
    public void asyncAllOverAnAbandonedMutexFailsWithEverythingAcquired() {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        MutexUnderTest m = newMutex();
        abandon(m);
        CompletableFuture<Void> f = Wait.allAsync(w(s, m));
        CompletionException ce = assertThrows(CompletionException.class, f::join);
        AbandonedMutexException ex = (AbandonedMutexException) ce.getCause();
        assertEquals(-1, ex.mutexIndex());
        assertEquals(0, s.availablePermits());
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
    }

    @Test
    public void blockedAnyLearnsOfTheOwnersDeathWithinTheBound() {
        EventUnderTest e = newEvent(false, false);
        MutexUnderTest m = newMutex();
        DoomedOwner owner = ownOnDoomedThread(m, 1);
        AtomicLong learnt = new AtomicLong();
        Forked<AbandonedMutexException> waiter = Forked.call("any-waiter", () -> {
            try {
                Wait.any(w(e, m));
            } catch (AbandonedMutexException ex) {
                learnt.set(System.nanoTime());
                assertTrue(m.isHeldByCurrentThread());
                m.unlock();
                return ex;
            }
            return fail("wait-any returned normally over an abandoned mutex");
        });
        awaitBlocked(waiter.thread());
        long died = owner.die();
        AbandonedMutexException ex = waiter.join();
        assertEquals(1, ex.mutexIndex());
        assertWithinDetectionBound(died, learnt.get());
        assertFalse(e.isSignaled());
        assertFree(m);
    }

    @Test
    public void blockedAllLearnsOfTheOwnersDeathWithinTheBound() {
        SemaphoreUnderTest s = newSemaphore(1, 1);
        MutexUnderTest m = newMutex();
        DoomedOwner owner = ownOnDoomedThread(m, 1);
        AtomicLong learnt = new AtomicLong();
        Forked<AbandonedMutexException> waiter = Forked.call("all-waiter", () -> {
            try {
                Wait.all(w(m, s));
            } catch (AbandonedMutexException ex) {
                learnt.set(System.nanoTime());
                assertTrue(m.isHeldByCurrentThread());
                m.unlock();
                return ex;
            }
            return fail("wait-all returned normally over an abandoned mutex");
        });
        awaitBlocked(waiter.thread());
        long died = owner.die();
        AbandonedMutexException ex = waiter.join();
        assertEquals(-1, ex.mutexIndex());
        assertWithinDetectionBound(died, learnt.get());
        assertEquals(0, s.availablePermits(), "every object acquired");
        assertFree(m);
    }

    // ================================================================ async

    @Test
    public void asyncAnyOverAvailableObjectsCompletesAtOnceWithTheLowestIndex() {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s1 = newSemaphore(1, 1);
        SemaphoreUnderTest s2 = newSemaphore(1, 1);
        CompletableFuture<Integer> f = Wait.anyAsync(w(e, s1, s2));
        assertEquals(1, f.getNow(-99));
        assertEquals(0, s1.availablePermits());
        assertEquals(1, s2.availablePermits());
    }

    @Test
    public void asyncAnyCompletesInsideTheSignalWithTheSignalledIndex() {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Integer> f = Wait.anyAsync(w(e, s));
        assertFalse(f.isDone());
        s.release();
        assertEquals(1, f.getNow(-99));
        assertEquals(0, s.availablePermits());
        e.set();
        assertTrue(e.isSignaled(), "the completed wait was withdrawn from the event");
    }

    @Test
    public void asyncAllCompletesOnlyWhenEveryObjectIsAvailableTogether() {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Void> f = Wait.allAsync(w(e, s));
        e.set();
        assertFalse(f.isDone());
        assertTrue(e.isSignaled());
        s.release();
        assertTrue(f.isDone() && !f.isCompletedExceptionally());
        assertFalse(e.isSignaled());
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void cancelledAsyncAnyLeavesEveryObjectForOthers() {
        EventUnderTest e = newEvent(false, false);
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Integer> f = Wait.anyAsync(w(e, s));
        assertTrue(f.cancel(false));
        e.set();
        s.release();
        assertTrue(e.isSignaled());
        assertEquals(1, s.availablePermits());
    }

    @Test
    public void cancelledAsyncAllAcquiresNothing() {
        EventUnderTest e = newEvent(false, true);
        SemaphoreUnderTest s = newSemaphore(0, 1);
        CompletableFuture<Void> f = Wait.allAsync(w(e, s));
        assertTrue(f.cancel(false));
        s.release();
        assertTrue(e.isSignaled());
        assertEquals(1, s.availablePermits());
    }
}
