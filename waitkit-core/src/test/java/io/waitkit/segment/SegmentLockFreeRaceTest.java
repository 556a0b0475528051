package io.waitkit.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Race;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The race a proxy's lock-free signalling paths have and the heap primitives do not: the
 * local QUEUED bit and the outside value are two words, so a waiter can check the value, queue
 * and unlock between a releaser's check of the local word (nobody queued) and its CAS of the
 * segment (value unchanged: it succeeds). The segment objects re-read the local word after
 * such a CAS and {@code signal()} if a waiter may have queued (see {@link SegmentEvent}); these
 * tests replay the race deterministically and race the two sides many times.
 */
class SegmentLockFreeRaceTest {
    private static final Duration LONG = Threads.BOUND;
    /** Rounds per race: without the re-read, the event race was lost once in about 15,000. */
    private static final int ROUNDS = 20_000;

    @Test
    void lockFreeReleaseServesAWaiterThatQueuedBetweenItsLocalCheckAndItsSegmentCas() {
        SegmentSemaphore sem = SegmentSemaphore.allocate(0, 1);
        AtomicReference<Forked<Boolean>> waiter = new AtomicReference<>();
        sem.beforeLockFreeReleaseCas = () -> {
            // the releaser saw no local waiter and is about to CAS 0 -> 1: queue one now
            waiter.set(Forked.call("waiter", () -> sem.tryAcquire(LONG)).awaitBlocked());
            assertTrue(sem.hasLocalWaiters());
        };
        assertEquals(0, sem.release(), "the lock-free path was taken");
        assertNull(sem.beforeLockFreeReleaseCas, "the probe ran");
        assertTrue(waiter.get().join(), "the waiter that queued in the window got the permit");
        assertEquals(0, sem.availablePermits());
        assertFalse(sem.hasLocalWaiters());
    }

    @Test
    void lockFreeSemaphoreReleaseRacingARegisteringWaiterNeverStrandsIt() {
        Race.<SegmentSemaphore>seeded().run(ROUNDS, round -> SegmentSemaphore.allocate(0, 1),
                SegmentSemaphore::release,
                SegmentSemaphore::acquire,
                s -> {
                    assertEquals(0, s.availablePermits());
                    assertFalse(s.hasLocalWaiters());
                });
    }

    @Test
    void lockFreeEventSetRacingARegisteringWaiterNeverStrandsIt() {
        Race.<SegmentEvent>seeded().run(ROUNDS, round -> SegmentEvent.autoReset(false),
                SegmentEvent::set,
                SegmentEvent::await,
                e -> {
                    assertFalse(e.isSignaled());
                    assertFalse(e.hasLocalWaiters());
                });
    }

    @Test
    void lockFreeMutexUnlockRacingARegisteringLockerNeverStrandsIt() {
        Race.<SegmentMutex>seeded().run(ROUNDS, round -> {
            SegmentMutex m = SegmentMutex.allocate();
            m.lock(); // by the calling thread, which runs the left side
            return m;
        }, SegmentMutex::unlock, m -> {
            m.lock();
            m.unlock();
        }, m -> {
            assertNull(m.owner());
            assertFalse(m.isAbandoned());
            assertFalse(m.hasLocalWaiters());
        });
    }
}
