package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Race;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Interruption (docs/semantics.md#interrupts; "InterruptedException, nothing acquired"): an
 * interrupt before entry throws at once and acquires nothing, even when the objects are available;
 * an interrupt while blocked throws and withdraws the waiter from every object, so a later signal
 * goes to the next waiter or stays; an acquisition that already happened wins and the interrupt
 * status then stays set. Per-primitive cases are in the contracts; this class covers wait-any,
 * wait-all and the race between an interrupt and a hand-off.
 */
class InterruptionTest {
    private static final Duration LONG = Threads.BOUND;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void interruptBeforeWaitAnyThrowsAndAcquiresNothingEvenIfAvailable() {
        Semaphore s = new Semaphore(1, 1);
        Event e = Event.autoReset(true);
        Mutex m = new Mutex();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Wait.any(s, e, m));
        assertFalse(Thread.currentThread().isInterrupted(), "the status is cleared by the exception");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Wait.any(LONG, m, e, s));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Wait.any(Deadline.after(LONG), e));
        assertEquals(1, s.availablePermits());
        assertTrue(e.isSignaled());
        assertNull(m.owner());
    }

    @Test
    void interruptBeforeWaitAllThrowsAndAcquiresNothingEvenIfAvailable() {
        Semaphore s = new Semaphore(1, 1);
        Event e = Event.autoReset(true);
        Mutex m = new Mutex();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Wait.all(s, e, m));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Wait.all(LONG, s, e, m));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Wait.all(Deadline.after(LONG), s, e, m));
        assertEquals(1, s.availablePermits());
        assertTrue(e.isSignaled());
        assertNull(m.owner());
    }

    @Test
    void interruptedWaitAnyIsWithdrawnFromEveryObject() {
        Semaphore s = new Semaphore(0, 1);
        Event e = Event.autoReset(false);
        Mutex m = new Mutex();
        m.lock();
        Forked<Integer> interrupted = Forked.call("interrupted", () -> Wait.any(s, e, m)).awaitBlocked();
        Forked<Integer> next = Forked.call("next", () -> {
            int i = Wait.any(LONG, e);
            return i;
        }).awaitBlocked();
        interrupted.interrupt();
        interrupted.joinFailure(InterruptedException.class);
        s.release();
        assertEquals(1, s.availablePermits(), "the permit stays: the interrupted waiter is gone");
        m.unlock();
        assertNull(m.owner(), "the unlock handed the mutex to nobody");
        e.set();
        assertFalse(e.isSignaled());
        assertEquals(0, next.join(), "the event's signal went to the next waiter");
    }

    @Test
    void interruptedWaitAllIsWithdrawnAndAcquiresNothing() throws InterruptedException {
        Semaphore s = new Semaphore(1, 1);
        Event e = Event.autoReset(false);
        Forked<Boolean> interrupted = Forked.call("interrupted", () -> Wait.all(LONG, s, e)).awaitBlocked();
        interrupted.interrupt();
        interrupted.joinFailure(InterruptedException.class);
        e.set();
        assertTrue(e.isSignaled(), "nobody took both");
        assertEquals(1, s.availablePermits());
        Forked<Boolean> next = Forked.call("next", () -> Wait.all(LONG, s, e, Event.manualReset(false)));
        next.awaitBlocked();
        next.interrupt();
        next.joinFailure(InterruptedException.class);
        assertTrue(Wait.all(Duration.ZERO, s, e), "the objects are still usable by wait-all");
    }

    @Test
    void waitAnyOverNoObjectsWithoutTimeoutEndsOnlyByInterrupt() {
        Forked<Integer> w = Forked.call("nothing", () -> Wait.any());
        Threads.awaitWaitingState(w.thread());
        assertFalse(w.isDone());
        w.interrupt();
        w.joinFailure(InterruptedException.class);
    }

    @Test
    void asyncFormsIgnoreTheCallersInterruptStatus() {
        Semaphore s = new Semaphore(1, 1);
        Thread.currentThread().interrupt();
        assertTrue(s.acquireAsync().isDone());
        assertTrue(Thread.currentThread().isInterrupted(), "an async call does not consume the interrupt");
        assertTrue(Wait.anyAsync(Event.manualReset(true)).isDone());
        assertTrue(Thread.interrupted());
    }

    @Test
    void pollsThatNeverBlockIgnoreTheInterruptStatus() {
        Semaphore s = new Semaphore(1, 1);
        Event e = Event.autoReset(true);
        Mutex m = new Mutex();
        Thread.currentThread().interrupt();
        assertTrue(s.tryAcquire());
        assertTrue(e.tryAwait());
        assertTrue(m.tryLock());
        assertTrue(Thread.interrupted(), "the interrupt stays pending");
        m.unlock();
    }

    @Test
    void interruptRacingAHandOffNeitherLosesThePermitNorTheInterrupt() {
        // the waiter runs on the race's helper thread; the calling thread releases then interrupts
        AtomicBoolean acquired = new AtomicBoolean();
        AtomicBoolean interruptedException = new AtomicBoolean();
        AtomicBoolean statusAfterSuccess = new AtomicBoolean();
        Thread[] waiter = new Thread[1];
        CountDownLatch known = new CountDownLatch(1);
        Race<Semaphore> race = Race.seeded();
        race.run(3_000,
                round -> {
                    acquired.set(false);
                    interruptedException.set(false);
                    statusAfterSuccess.set(false);
                    return new Semaphore(0, 1);
                },
                s -> {
                    if (known.getCount() != 0) {
                        assertTrue(known.await(Threads.BOUND.toMillis(), TimeUnit.MILLISECONDS));
                    }
                    s.release();
                    waiter[0].interrupt();
                },
                s -> {
                    if (waiter[0] == null) {
                        waiter[0] = Thread.currentThread();
                        known.countDown();
                    }
                    // one interrupt per round: consumed by the exception, or still pending after a
                    // successful acquire (then cleared here, so no round sees another's interrupt)
                    try {
                        s.acquire();
                        acquired.set(true);
                        Threads.awaitCondition(() -> Thread.currentThread().isInterrupted(),
                                "the interrupt after a successful acquire was lost");
                        statusAfterSuccess.set(Thread.interrupted());
                    } catch (InterruptedException ex) {
                        interruptedException.set(true);
                    }
                },
                s -> {
                    assertTrue(acquired.get() ^ interruptedException.get(), "exactly one outcome");
                    assertEquals(1, (acquired.get() ? 1 : 0) + s.availablePermits(),
                            "permits taken + available must equal permits released");
                    if (acquired.get()) {
                        assertTrue(statusAfterSuccess.get());
                    }
                });
    }

    @Test
    void interruptRacingAMutexHandOffLeavesEitherOwnershipOrAFreeMutex() {
        Mutex m = new Mutex();
        AtomicBoolean acquired = new AtomicBoolean();
        Thread[] waiter = new Thread[1];
        CountDownLatch known = new CountDownLatch(1);
        Race<Mutex> race = Race.seeded();
        // the helper thread is the waiter; the mutex is held by this thread at the start of each round
        race.run(2_000,
                round -> {
                    acquired.set(false);
                    m.lock();
                    return m;
                },
                mx -> {
                    if (known.getCount() != 0) {
                        assertTrue(known.await(Threads.BOUND.toMillis(), TimeUnit.MILLISECONDS));
                    }
                    mx.unlock();
                    waiter[0].interrupt();
                },
                mx -> {
                    if (waiter[0] == null) {
                        waiter[0] = Thread.currentThread();
                        known.countDown();
                    }
                    try {
                        if (mx.tryLock(LONG)) {
                            acquired.set(true);
                            mx.unlock();
                            Threads.awaitCondition(() -> Thread.currentThread().isInterrupted(),
                                    "the interrupt after a successful lock was lost");
                            Thread.interrupted();
                        }
                    } catch (InterruptedException ex) {
                        assertFalse(mx.isHeldByCurrentThread(), "an interrupted lock holds nothing");
                    }
                },
                mx -> {
                    assertNull(mx.owner(), "after the round the mutex is free (" + (acquired.get() ? "acquired" : "interrupted") + ")");
                    assertEquals(0, mx.holdCount());
                });
    }
}
