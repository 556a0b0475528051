package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static io.waitkit.AoSupport.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ao cases T35-T41 (docs/semantics.md#numbered-cases): composite waits, deadlines, sleeps as
 * members, the completion-versus-timeout race, and the monitor.
 *
 * <p>ao's three stages {@code begin / await_any|await_all / end} map to one call of
 * {@link Wait#any} or {@link Wait#all} (begin and end happen inside it), or to
 * {@link Wait#anyAsync} followed by {@code cancel} (ao's "end decides": a cancel that returns false
 * means the acquisition happened and the caller owns it). Where Waitkit decided differently from ao
 * (docs/semantics.md#decisions), the test says so.
 */
class AoCompositeCasesTest {

    @Test
    void ao_T35_waitAnyOverHeterogeneousObjectsAcquiresOnlyTheSignalledOne() throws InterruptedException {
        BinarySemaphore bsem = new BinarySemaphore(false); // taken elsewhere
        Event are = Event.autoReset(false);
        Worker<Integer> w = Worker.startParked("waiter", () -> Wait.any(LONG, bsem, are));

        are.set();
        assertEquals(1, w.join(), "the ARE member succeeded");
        assertFalse(are.isSignaled(), "its signal was consumed");
        assertFalse(bsem.isAvailable(), "still taken, by its earlier taker only");
        assertTrue(bsem.give());
        assertTrue(bsem.isAvailable(), "no leftover take of the waiter grabbed the give");

        // The same with the async form, ended by cancel (ao's end stage).
        BinarySemaphore taken = new BinarySemaphore(false);
        Event are2 = Event.autoReset(false);
        CompletableFuture<Integer> f = Wait.anyAsync(taken, are2);
        assertFalse(f.isDone());
        are2.set();
        assertFalse(f.cancel(true), "completed: the end keeps the outcome");
        assertEquals(1, f.join());
        assertTrue(taken.give());
        assertTrue(taken.isAvailable());
    }

    // Adapted (docs/semantics.md#decisions): ao lets several members of an ANY succeed ("multiple
    // winners"); Waitkit's wait-any acquires exactly one object, the lowest available index, and
    // leaves the rest alone.
    @Test
    void ao_T36_waitAnyOverTwoFreeBinarySemaphoresTakesExactlyOne() throws InterruptedException {
        BinarySemaphore a = new BinarySemaphore(true);
        BinarySemaphore b = new BinarySemaphore(true);
        assertEquals(0, Wait.any(LONG, a, b), "no blocking: index 0 is available");
        assertFalse(a.isAvailable());
        assertTrue(b.isAvailable(), "the other one stays available");

        BinarySemaphore c = new BinarySemaphore(true);
        BinarySemaphore d = new BinarySemaphore(true);
        CompletableFuture<Integer> f = Wait.anyAsync(c, d);
        assertTrue(f.isDone());
        assertFalse(f.cancel(true));
        assertEquals(0, f.join());
        assertFalse(c.isAvailable());
        assertTrue(d.isAvailable());
    }

    // Adapted (docs/semantics.md#decisions): ao's ALL is not atomic (a member given meanwhile stays
    // taken after a timeout); Waitkit's wait-all is atomic, so a timeout leaves BOTH semaphores
    // untouched.
    @Test
    void ao_T37_waitAllTimingOutLeavesEveryMemberUntouched() {
        BinarySemaphore given = new BinarySemaphore(false);
        BinarySemaphore other = new BinarySemaphore(false);
        Duration timeout = Duration.ofMillis(400);
        Worker<Long> w = Worker.startParked("all-waiter", () -> {
            long t0 = System.nanoTime();
            assertFalse(Wait.all(timeout, given, other));
            return millisSince(t0);
        });

        assertTrue(given.give(), "one member is given while the wait-all sleeps");
        assertTrue(given.isAvailable(), "not reserved for the all-waiter");
        assertTrue(w.join() >= timeout.toMillis(), "never early");
        assertTrue(given.isAvailable(), "no partial acquisition survived the timeout");
        assertFalse(other.isAvailable());
        assertTrue(given.tryTake(), "and it is free for anyone");
    }

    @Test
    void ao_T38_deadlineCountsFromBeginningAndAvailabilityBeatsAPassedDeadline() throws InterruptedException {
        Event never = Event.manualReset(false);
        Deadline beginning = Deadline.now().plus(Duration.ofMillis(-60));
        Deadline deadline = Deadline.from(beginning, Duration.ofMillis(100));
        assertEquals(beginning.nanoTime() + Duration.ofMillis(100).toNanos(), deadline.nanoTime());
        assertFalse(never.await(deadline));
        assertTrue(deadline.isExpired(), "never early");
        assertEquals(Wait.TIMEOUT, Wait.any(deadline, never), "passed deadline: a poll");

        // Counted from beginning, not from the call: with beginning 10 s ago and a 10.05 s
        // timeout, the wait ends ~50 ms after the call, far sooner than 10 s.
        Deadline longAgo = Deadline.now().plus(Duration.ofSeconds(-10));
        long t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(Deadline.from(longAgo, Duration.ofMillis(10_050)), never));
        assertTrue(millisSince(t0) < 10_000, "the timeout ran from beginning");

        // Available: acquired although the deadline passed a second ago.
        Deadline oneSecondAgo = Deadline.from(Deadline.now().plus(Duration.ofSeconds(-1)), Duration.ofMillis(100));
        Event are = Event.autoReset(true);
        assertTrue(are.await(oneSecondAgo));
        assertFalse(are.isSignaled(), "acquired, not just observed");
        BinarySemaphore bsem = new BinarySemaphore(true);
        assertEquals(1, Wait.any(oneSecondAgo, never, bsem));
        assertFalse(bsem.isAvailable());
        BinarySemaphore x = new BinarySemaphore(true);
        Semaphore y = new Semaphore(1, 1);
        assertTrue(Wait.all(oneSecondAgo, x, y));
        assertFalse(x.isAvailable());
        assertEquals(0, y.availablePermits());
    }

    @Test
    void ao_T39_sleepTimerAsAMemberEndsTheWaitAndTheSignalWaiterIsWithdrawn() throws InterruptedException {
        Signal signal = new Signal();
        long t0 = System.nanoTime();
        WaitableTimer sleep = Sleep.timer(Duration.ofMillis(10));
        assertEquals(0, Wait.any(sleep, signal), "the sleep member completed");
        assertTrue(millisSince(t0) >= 10, "not before the sleep's time");
        assertTrue(sleep.isSignaled(), "sleep result true");
        assertFalse(signal.hasWaiters(), "the signal wait was withdrawn");
        assertEquals(0, signal.signal(), "a later notify finds nobody");
    }

    // T40 part 1, "end decides": the async form's cancel is ao's end stage. A signal that
    // completes the wait before the cancel wins: cancel() returns false and the resource is held.
    @Test
    void ao_T40_completionBeatsCancelAndTheResourceIsHeld() {
        BinarySemaphore bsem = new BinarySemaphore(false);
        CompletableFuture<Integer> f = Wait.anyAsync(Event.autoReset(false), bsem);
        assertTrue(bsem.give());
        assertFalse(f.cancel(true), "the completion came first");
        assertFalse(f.isCancelled());
        assertEquals(1, f.join());
        assertFalse(bsem.isAvailable(), "held by the wait");
    }

    // T40 part 1 with real races: a give at (nearly) the instant a timed take expires. Whatever
    // the interleaving, the outcome reported is the truth: true <=> the semaphore was taken.
    @Test
    void ao_T40_timeoutRacingAGiveReportsExactlyWhatHappened() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200; i++) {
            BinarySemaphore bsem = new BinarySemaphore(false);
            CountDownLatch go = new CountDownLatch(1);
            long timeoutNanos = random.nextLong(1_000L, 500_000L);
            Worker<Boolean> taker = Worker.start("taker " + i, () -> {
                go.await(20, TimeUnit.SECONDS);
                return bsem.take(Duration.ofNanos(timeoutNanos));
            });
            go.countDown();
            if (random.nextBoolean()) {
                Thread.onSpinWait();
            }
            assertTrue(bsem.give(), "seed " + seed);
            boolean took = taker.join();
            assertEquals(took, !bsem.isAvailable(),
                    "round " + i + " (seed " + seed + "): the take reported " + took + " but the semaphore is "
                            + (bsem.isAvailable() ? "available" : "taken"));
        }
    }

    // T40 part 2: ao's task_wake maps to Thread.interrupt(): the wait throws InterruptedException
    // (docs/semantics.md#interrupts) and has acquired nothing.
    @Test
    void ao_T40_interruptedWaitThrowsAndAcquiresNothing() {
        BinarySemaphore bsem = new BinarySemaphore(false);
        Event are = Event.autoReset(false);
        Worker<Integer> w = Worker.startParked("waiter", () -> Wait.any(LONG, bsem, are));
        w.thread.interrupt();
        assertInstanceOf(InterruptedException.class, w.joinFailure());

        assertTrue(bsem.give());
        assertTrue(bsem.isAvailable(), "no withdrawn take received the give");
        assertFalse(are.set());
        assertTrue(are.isSignaled(), "no withdrawn wait consumed the set");

        BinarySemaphore single = new BinarySemaphore(false);
        Worker<Void> s = Worker.startParked("single", () -> {
            single.take();
            return null;
        });
        s.thread.interrupt();
        assertInstanceOf(InterruptedException.class, s.joinFailure());
        assertTrue(single.give());
        assertTrue(single.isAvailable());
    }

    @Test
    void ao_T41_monitorWaiterReturnsOnlyAfterTheNotifierExitsAndHoldsTheMutex() throws InterruptedException {
        Monitor monitor = new Monitor();
        CountDownLatch inside = new CountDownLatch(1);
        Worker<Boolean> t = Worker.start("T", () -> {
            monitor.enter();
            try {
                inside.countDown();
                boolean signalled = monitor.await(LONG);
                return signalled && monitor.isEntered() && monitor.mutex().owner() == Thread.currentThread();
            } finally {
                monitor.exit();
            }
        });
        assertTrue(inside.await(20, TimeUnit.SECONDS));
        t.awaitParked();

        monitor.enter(); // U: possible only once T's await released the mutex
        monitor.signal();
        t.awaitParked(); // T is woken but must wait for the mutex U holds
        t.assertWaiting();
        assertSame(Thread.currentThread(), monitor.mutex().owner(), "U is still inside");
        monitor.exit();

        assertTrue(t.join(), "T returned true, inside the monitor");
        assertEquals(null, monitor.mutex().owner());
    }

    // Deviation (docs/semantics.md#decisions, documented on Monitor): in ao a timed-out monitor
    // wait returns false OUTSIDE the monitor; here it re-acquires the mutex first, as Object.wait
    // and Condition do.
    @Test
    void ao_T41_monitorTimedOutWaitReturnsFalseButHoldsTheMutex() throws InterruptedException {
        Monitor monitor = new Monitor();
        monitor.enter();
        try {
            long t0 = System.nanoTime();
            assertFalse(monitor.await(Duration.ofMillis(30)));
            assertTrue(millisSince(t0) >= 30);
            assertTrue(monitor.isEntered(), "deviation from ao: the timed-out waiter is inside again");
            assertEquals(1, monitor.mutex().holdCount());
        } finally {
            monitor.exit();
        }
        assertEquals(null, monitor.mutex().owner());
    }
}
