package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static io.waitkit.AoSupport.millisSince;
import static io.waitkit.AoSupport.onOtherThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ao cases T06-T13 (docs/semantics.md#numbered-cases): binary semaphore ({@code bsem}), counting
 * semaphore ({@code sem}, with {@code take(n)} as {@link Semaphore#tryAcquire(int, Duration)}) and
 * mutex.
 */
class AoLockCasesTest {

    @Test
    void ao_T06_binarySemaphoreGiveWhenAvailableIsANoOp() {
        BinarySemaphore bsem = new BinarySemaphore(true); // ao's zeroed bsem is available
        assertFalse(bsem.give(), "give of an available semaphore changes nothing");
        assertFalse(bsem.give());
        assertTrue(bsem.tryTake());
        assertFalse(bsem.tryTake(), "gives did not accumulate");
    }

    @Test
    void ao_T07_binarySemaphoreGiveHandsOffToTheWaiterSoItStaysTaken() {
        BinarySemaphore bsem = new BinarySemaphore(false);
        Worker<Boolean> a = Worker.startParked("A", () -> bsem.take(LONG));

        assertTrue(bsem.give(), "it was taken");
        assertFalse(bsem.isAvailable(), "handed to A before give returned");
        assertFalse(onOtherThread(bsem::tryTake), "B's take_try fails: A holds it");
        assertTrue(a.join());

        assertTrue(bsem.give());
        assertTrue(bsem.isAvailable());
    }

    @Test
    void ao_T08_semaphoreReleaseServesWaitersFirstFit() {
        Semaphore sem = new Semaphore(0, 10);
        Worker<Boolean> a = Worker.startParked("A needs 3", () -> sem.tryAcquire(3, LONG));
        Worker<Boolean> b = Worker.startParked("B needs 1", () -> sem.tryAcquire(1, LONG));

        assertEquals(0, sem.release(1));
        assertTrue(b.join(), "B fits and is served although A is ahead");
        a.assertWaiting();
        assertEquals(0, sem.availablePermits());

        assertEquals(0, sem.release(3));
        assertTrue(a.join());
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void ao_T09_semaphoreNewTakerBargesPastAQueuedLargerRequest() {
        Semaphore sem = new Semaphore(2, 10);
        Worker<Boolean> a = Worker.startParked("A needs 3", () -> sem.tryAcquire(3, LONG));

        assertTrue(sem.tryAcquire(2), "C takes the 2 permits A cannot use");
        assertEquals(0, sem.availablePermits());
        a.assertWaiting();

        sem.release(3);
        assertTrue(a.join());
    }

    @Test
    void ao_T10_semaphoreTakeOfZeroSucceedsAndChangesNothing() {
        Semaphore sem = new Semaphore(0, 10);
        assertTrue(sem.tryAcquire(0));
        assertEquals(0, sem.availablePermits());
    }

    @Test
    void ao_T11_mutexIsReentrantAndFreedOnlyByTheLastUnlock() {
        Mutex m = new Mutex();
        m.lock();
        m.lock();
        assertEquals(2, m.holdCount());

        m.unlock();
        assertFalse(onOtherThread(() -> tryLockAndRelease(m)), "T still holds it once");

        m.unlock();
        assertTrue(onOtherThread(() -> tryLockAndRelease(m)), "free after the second unlock");
        assertNull(m.owner());
    }

    private static boolean tryLockAndRelease(Mutex m) {
        if (!m.tryLock()) {
            return false;
        }
        m.unlock();
        return true;
    }

    @Test
    void ao_T12_mutexUnlockHandsOffToTheFirstWaiterInFifoOrder() throws InterruptedException {
        Mutex m = new Mutex();
        m.lock();
        CountDownLatch releaseB = new CountDownLatch(1);
        CountDownLatch releaseC = new CountDownLatch(1);
        Worker<Boolean> b = Worker.startParked("B", () -> holdUntil(m, releaseB));
        Worker<Boolean> c = Worker.startParked("C", () -> holdUntil(m, releaseC));

        m.unlock();
        assertSame(b.thread, m.owner(), "B owns the mutex as soon as T's unlock returns");
        c.assertWaiting();
        assertFalse(onOtherThread(() -> tryLockAndRelease(m)), "D cannot take it");

        releaseB.countDown();
        assertTrue(b.join());
        assertSame(c.thread, m.owner(), "then C, in FIFO order");
        releaseC.countDown();
        assertTrue(c.join());
        assertNull(m.owner());
    }

    private static boolean holdUntil(Mutex m, CountDownLatch release) throws InterruptedException {
        m.lockInterruptibly();
        try {
            return m.isHeldByCurrentThread() && release.await(20, TimeUnit.SECONDS);
        } finally {
            m.unlock();
        }
    }

    @Test
    void ao_T13_mutexTimedOutWaiterWithdrawsAndTheMutexIsFreedByUnlock() {
        Mutex m = new Mutex();
        m.lock();
        Duration timeout = Duration.ofMillis(50);
        Worker<Long> b = Worker.start("B", () -> {
            long t0 = System.nanoTime();
            assertFalse(m.tryLock(timeout));
            return millisSince(t0);
        });
        assertTrue(b.join() >= timeout.toMillis(), "never early");

        m.unlock();
        assertNull(m.owner(), "nobody got it: B withdrew");
        assertTrue(onOtherThread(() -> tryLockAndRelease(m)));
    }
}
