package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input (issue 2, docs/semantics.md#bad-input): each case gets a specific exception
 * (NullPointerException naming the argument, IllegalArgumentException for out-of-range values,
 * duplicates and foreign objects, IllegalMonitorStateException, SemaphoreFullException), acquires
 * nothing, and leaves every object fully usable, which each test checks with a normal operation
 * afterwards.
 */
class BadInputTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    /** A Waitable that is not a Waitkit object. */
    private static final class Foreign implements Waitable {
        @Override
        public String toString() {
            return "Foreign";
        }
    }

    private static void assertNpeNaming(String argument, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(argument),
                "the message should name '" + argument + "': " + e.getMessage());
    }

    // ---------------------------------------------------------------- null arguments

    @Test
    void nullWaitArgumentsThrowNullPointerExceptionNamingTheArgumentAndAcquireNothing() throws InterruptedException {
        Semaphore s = new Semaphore(1, 1);
        Event e = Event.autoReset(true);
        assertNpeNaming("timeout", () -> Wait.any((Duration) null, s));
        assertNpeNaming("deadline", () -> Wait.any((Deadline) null, s));
        assertNpeNaming("objects", () -> Wait.any(Duration.ZERO, (Waitable[]) null));
        assertNpeNaming("objects", () -> Wait.any((Waitable[]) null));
        assertNpeNaming("objects[2]", () -> Wait.any(Duration.ZERO, e, s, null));
        assertNpeNaming("objects[1]", () -> Wait.any(e, null));
        assertNpeNaming("timeout", () -> Wait.all((Duration) null, s));
        assertNpeNaming("deadline", () -> Wait.all((Deadline) null, s));
        assertNpeNaming("objects", () -> Wait.all(Duration.ZERO, (Waitable[]) null));
        assertNpeNaming("objects", () -> Wait.all((Waitable[]) null));
        assertNpeNaming("objects[1]", () -> Wait.all(Duration.ZERO, s, null, e));
        assertNpeNaming("objects", () -> Wait.anyAsync((Waitable[]) null));
        assertNpeNaming("objects[1]", () -> Wait.anyAsync(s, null));
        assertNpeNaming("objects", () -> Wait.allAsync((Waitable[]) null));
        assertNpeNaming("objects[0]", () -> Wait.allAsync(null, s));
        assertEquals(1, s.availablePermits(), "an earlier available object was not acquired");
        assertTrue(e.isSignaled());
        assertTrue(Wait.all(Duration.ZERO, e, s), "both still usable");
    }

    @Test
    void nullTimeoutsOfSingleObjectWaitsThrowNullPointerExceptionNamingTheArgument() throws InterruptedException {
        Event e = Event.autoReset(true);
        Mutex m = new Mutex();
        Semaphore s = new Semaphore(1, 1);
        assertNpeNaming("timeout", () -> e.await((Duration) null));
        assertNpeNaming("deadline", () -> e.await((Deadline) null));
        assertNpeNaming("timeout", () -> m.tryLock((Duration) null));
        assertNpeNaming("deadline", () -> m.tryLock((Deadline) null));
        assertNpeNaming("unit", () -> m.tryLock(1, null));
        assertNpeNaming("timeout", () -> s.tryAcquire((Duration) null));
        assertNpeNaming("timeout", () -> s.tryAcquire(1, (Duration) null));
        assertNpeNaming("deadline", () -> s.tryAcquire(1, (Deadline) null));
        assertTrue(e.isSignaled());
        assertNull(m.owner());
        assertEquals(1, s.availablePermits());
        assertTrue(e.await(Duration.ZERO));
        assertTrue(m.tryLock(Duration.ZERO));
        m.unlock();
        assertTrue(s.tryAcquire(Duration.ZERO));
    }

    @Test
    void nullDeadlineArgumentsThrowNullPointerExceptionNamingTheArgument() {
        assertNpeNaming("timeout", () -> Deadline.after(null));
        assertNpeNaming("beginning", () -> Deadline.from(null, Duration.ZERO));
        assertNpeNaming("timeout", () -> Deadline.from(Deadline.now(), null));
        assertNpeNaming("amount", () -> Deadline.now().plus(null));
        assertThrows(NullPointerException.class, () -> Deadline.now().compareTo(null));
    }

    // ---------------------------------------------------------------- foreign and duplicate objects

    @Test
    void aWaitableThatIsNotAWaitkitObjectIsRejectedAndNothingIsAcquired() throws InterruptedException {
        Semaphore s = new Semaphore(1, 1);
        Event e = Event.autoReset(true);
        Foreign foreign = new Foreign();
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Wait.any(Duration.ZERO, s, foreign));
        assertTrue(ex.getMessage().contains("objects[1]"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wait.any(LONG, e, foreign));
        assertThrows(IllegalArgumentException.class, () -> Wait.any(foreign));
        assertThrows(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, s, e, foreign));
        assertThrows(IllegalArgumentException.class, () -> Wait.all(foreign));
        assertThrows(IllegalArgumentException.class, () -> Wait.anyAsync(s, foreign));
        assertThrows(IllegalArgumentException.class, () -> Wait.allAsync(e, foreign));
        assertEquals(1, s.availablePermits());
        assertTrue(e.isSignaled());
        assertEquals(0, Wait.any(Duration.ZERO, s, e));
        assertEquals(0, Wait.any(Duration.ZERO, e));
    }

    @Test
    void duplicatesInWaitAllAreRejectedWhateverTheListLength() throws InterruptedException {
        // short lists and long lists (> 32 objects) are checked for duplicates differently
        for (int n : new int[] {2, 5, 32, 33, 40, 100}) {
            Semaphore[] sems = new Semaphore[n];
            for (int i = 0; i < n; i++) {
                sems[i] = new Semaphore(1, 1);
            }
            Waitable[] list = new Waitable[n + 1];
            System.arraycopy(sems, 0, list, 0, n);
            list[n] = sems[n / 2];
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> Wait.all(Duration.ZERO, list), "n=" + n);
            assertTrue(ex.getMessage().contains("objects[" + (n / 2) + "]") && ex.getMessage().contains("objects[" + n + "]"),
                    "the message names both positions: " + ex.getMessage());
            for (Semaphore s : sems) {
                assertEquals(1, s.availablePermits(), "n=" + n + ": nothing acquired");
            }
            Waitable[] distinct = new Waitable[n];
            System.arraycopy(sems, 0, distinct, 0, n);
            assertTrue(Wait.all(Duration.ZERO, distinct), "n=" + n + ": distinct objects are accepted");
            for (Semaphore s : sems) {
                assertEquals(0, s.availablePermits());
            }
        }
    }

    @Test
    void duplicatesInWaitAnyAreAllowedEvenInLongLists() throws InterruptedException {
        Semaphore[] sems = new Semaphore[50];
        Waitable[] list = new Waitable[100];
        for (int i = 0; i < 50; i++) {
            sems[i] = new Semaphore(0, 1);
            list[i] = sems[i];
            list[50 + i] = sems[i];
        }
        sems[20].release();
        assertEquals(20, Wait.any(Duration.ZERO, list));
        assertEquals(0, sems[20].availablePermits());
    }

    // ---------------------------------------------------------------- counts

    @Test
    void semaphoreCreationWithBadCountsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(0, -5));
        Semaphore s = new Semaphore(Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
        assertTrue(s.tryAcquire(Integer.MAX_VALUE));
        assertEquals(0, s.availablePermits());
    }

    @Test
    void negativeOrImpossiblePermitCountsAreRejectedAndChangeNothing() throws InterruptedException {
        Semaphore s = new Semaphore(2, 3);
        assertThrows(IllegalArgumentException.class, () -> s.release(-1));
        assertThrows(IllegalArgumentException.class, () -> s.acquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.acquire(4), "more than the maximum can never be had");
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(4));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(4, LONG));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-2, Deadline.now()));
        assertThrows(IllegalArgumentException.class, () -> s.acquireAsync(-1));
        assertThrows(IllegalArgumentException.class, () -> s.acquireAsync(4));
        assertEquals(2, s.availablePermits());
        assertTrue(s.tryAcquire(2));
        assertEquals(0, s.release(3));
        assertEquals(3, s.availablePermits());
    }

    @Test
    void overReleaseThrowsSemaphoreFullExceptionAndTheSemaphoreStaysUsable() throws InterruptedException {
        Semaphore s = new Semaphore(0, 2);
        Forked<Void> waiter = Forked.run("waiter", s::acquire).awaitBlocked();
        assertThrows(SemaphoreFullException.class, () -> s.release(3));
        assertFalse(waiter.isDone(), "a refused release hands nothing off");
        assertEquals(0, s.availablePermits());
        assertEquals(0, s.release(2));
        waiter.join();
        assertEquals(1, s.availablePermits());
        assertThrows(SemaphoreFullException.class, () -> s.release(2));
        assertEquals(1, s.availablePermits());
        assertTrue(s.tryAcquire(Duration.ZERO));
    }

    @Test
    void irqlLevelsOutsideTheDefinedRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Irql.raise(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> Irql.raise(Integer.MIN_VALUE));
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
    }

    @Test
    void neverHasNoPointInTime() {
        assertThrows(IllegalStateException.class, () -> Deadline.never().nanoTime());
    }

    // ---------------------------------------------------------------- ownership

    @Test
    void releaseOfAMutexOwnedByAnotherThreadThrowsIllegalMonitorStateAndChangesNothing() {
        Mutex m = new Mutex();
        m.lock();
        Forked.run("intruder", () -> {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, m::release);
            assertTrue(e.getMessage().contains("does not own"), e.getMessage());
            assertThrows(IllegalMonitorStateException.class, m::unlock);
            assertThrows(IllegalMonitorStateException.class, () -> m.newCondition().signal());
        }).join();
        assertEquals(1, m.holdCount());
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
        assertTrue(m.tryLock());
        m.unlock();
    }

    @Test
    void mutexFactoryForTestsRejectsNonPositiveHoldCounts() {
        assertThrows(IllegalArgumentException.class, () -> Mutex.ownedByCurrentThread(0));
        assertThrows(IllegalArgumentException.class, () -> Mutex.ownedByCurrentThread(-1));
    }
}
