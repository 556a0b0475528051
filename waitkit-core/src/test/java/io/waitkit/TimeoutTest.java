package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Race;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Timeouts (docs/semantics.md#timeouts): a wait never times out early; zero and negative timeouts
 * poll (acquire if possible, never sleep: checked by running them at DISPATCH_LEVEL, where sleeping
 * is refused); an available object is acquired even when the deadline passed long ago; absolute
 * deadlines and ao's drift-free {@code from(beginning, timeout)} (ao T38); huge timeouts mean "no
 * timeout" rather than overflowing; and an acquisition racing the timeout is either reported or not
 * made, never lost (ao T40: completion beats timeout).
 */
class TimeoutTest {
    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Threads.BOUND;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @FunctionalInterface
    private interface TimedWait {
        /** Returns whether the wait acquired. */
        boolean run() throws Exception;
    }

    private static DynamicTest neverEarly(String name, TimedWait wait) {
        return dynamicTest(name, () -> {
            long t0 = System.nanoTime();
            assertFalse(wait.run(), name + " acquired an unavailable object");
            long elapsed = System.nanoTime() - t0;
            assertTrue(elapsed >= SHORT.toNanos(), name + " timed out early, after " + elapsed / 1e6 + " ms");
        });
    }

    @TestFactory
    Stream<DynamicTest> everyTimedWaitOnAnUnavailableObjectTimesOutNeverEarly() {
        Event e = Event.autoReset(false);
        Semaphore s = new Semaphore(0, 2);
        Mutex held = new Mutex();
        Forked<Void> holder = Forked.run("holder", () -> {
            held.lock();
            // holds the mutex until the JVM ends: the thread parks on the event below
            Event.manualReset(false).await();
        });
        Threads.awaitBlocked(holder.thread());
        long ms = SHORT.toMillis();
        return Stream.of(
                neverEarly("Event.await(Duration)", () -> e.await(SHORT)),
                neverEarly("Event.await(Deadline)", () -> e.await(Deadline.after(SHORT))),
                neverEarly("Semaphore.tryAcquire(Duration)", () -> s.tryAcquire(SHORT)),
                neverEarly("Semaphore.tryAcquire(n, Duration)", () -> s.tryAcquire(2, SHORT)),
                neverEarly("Semaphore.tryAcquire(n, Deadline)", () -> s.tryAcquire(1, Deadline.after(SHORT))),
                neverEarly("Mutex.tryLock(Duration)", () -> held.tryLock(SHORT)),
                neverEarly("Mutex.tryLock(long, TimeUnit)", () -> held.tryLock(ms, TimeUnit.MILLISECONDS)),
                neverEarly("Mutex.tryLock(Deadline)", () -> held.tryLock(Deadline.after(SHORT))),
                neverEarly("Wait.any(Duration)", () -> Wait.any(SHORT, e, s, held) != Wait.TIMEOUT),
                neverEarly("Wait.any(Deadline)", () -> Wait.any(Deadline.after(SHORT), e, s, held) != Wait.TIMEOUT),
                neverEarly("Wait.any(Duration) over nothing", () -> Wait.any(SHORT) != Wait.TIMEOUT),
                neverEarly("Wait.all(Duration)", () -> Wait.all(SHORT, Event.manualReset(true), s)),
                neverEarly("Wait.all(Deadline)", () -> Wait.all(Deadline.after(SHORT), e, new Semaphore(1, 1))),
                neverEarly("Condition.await(time, unit)", () -> {
                    Mutex m = new Mutex();
                    Condition c = m.newCondition();
                    m.lock();
                    try {
                        return c.await(ms, TimeUnit.MILLISECONDS);
                    } finally {
                        m.unlock();
                    }
                }),
                neverEarly("Condition.awaitNanos", () -> {
                    Mutex m = new Mutex();
                    Condition c = m.newCondition();
                    m.lock();
                    try {
                        return c.awaitNanos(SHORT.toNanos()) > 0;
                    } finally {
                        m.unlock();
                    }
                }));
    }

    // ---------------------------------------------------------------- zero and negative timeouts

    @Test
    void zeroAndNegativeTimeoutsPollWithoutSleepingAndAcquireWhatIsAvailable() throws InterruptedException {
        Duration negative = Duration.ofMillis(-100);
        Event e = Event.autoReset(false);
        Semaphore s = new Semaphore(0, 1);
        Mutex m = new Mutex();
        // at DISPATCH_LEVEL a wait that would sleep throws: so none of these may sleep
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            for (Duration d : new Duration[] {Duration.ZERO, negative, Duration.ofSeconds(Long.MIN_VALUE)}) {
                assertFalse(e.await(d));
                assertFalse(s.tryAcquire(d));
                assertFalse(s.tryAcquire(1, d));
                assertEquals(Wait.TIMEOUT, Wait.any(d, e, s));
                assertFalse(Wait.all(d, e, s));
            }
            assertFalse(s.tryAcquire(1, Deadline.after(negative)));
            e.set();
            s.release();
            assertTrue(e.await(negative));
            assertTrue(s.tryAcquire(negative));
            assertTrue(m.tryLock(negative));
            assertTrue(m.tryLock(-5, TimeUnit.SECONDS));
            assertTrue(m.tryLock(Long.MIN_VALUE, TimeUnit.NANOSECONDS));
            e.set();
            s.release();
            assertEquals(0, Wait.any(negative, e, s));
            assertTrue(Wait.all(negative, s, m));
        }
        assertEquals(4, m.holdCount());
        assertEquals(0, s.availablePermits());
        assertFalse(e.isSignaled());
        for (int i = 0; i < 4; i++) {
            m.unlock();
        }
    }

    @Test
    void anExpiredDeadlineStillAcquiresAnAvailableObjectAndNeverSleepsOtherwise() throws InterruptedException {
        Deadline longAgo = Deadline.from(Deadline.now(), Duration.ofSeconds(-1));
        Semaphore s = new Semaphore(1, 1);
        Event e = Event.autoReset(false);
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertEquals(1, Wait.any(longAgo, e, s));
            assertEquals(Wait.TIMEOUT, Wait.any(longAgo, e, s));
            assertFalse(e.await(longAgo));
            s.release();
            e.set();
            assertTrue(Wait.all(longAgo, e, s));
        }
    }

    // ---------------------------------------------------------------- deadlines

    @Test
    void deadlineFromBeginningIsBeginningPlusTimeout() {
        Deadline beginning = Deadline.ofNanoTime(123_456_789L);
        assertEquals(123_456_789L + 100_000_000L, Deadline.from(beginning, Duration.ofMillis(100)).nanoTime());
        assertEquals(123_456_789L - 5L, Deadline.from(beginning, Duration.ofNanos(-5)).nanoTime());
        assertSame(Deadline.never(), Deadline.from(Deadline.never(), Duration.ofMillis(1)));
        assertTrue(Deadline.from(beginning, ChronoUnit.FOREVER.getDuration()).isNever());
    }

    @Test
    void waitFromABeginningInThePastEndsAtBeginningPlusTimeout() throws InterruptedException {
        // ao T38: wait_from(timeout 100 ms, beginning = now - 60 ms) on an unavailable resource
        // returns false after about 40 ms
        Semaphore s = new Semaphore(0, 1);
        long t0 = System.nanoTime();
        Deadline beginning = Deadline.ofNanoTime(t0 - TimeUnit.MILLISECONDS.toNanos(60));
        assertFalse(s.tryAcquire(1, Deadline.from(beginning, Duration.ofMillis(100))));
        long elapsed = System.nanoTime() - t0;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(40), "returned early: " + elapsed / 1e6 + " ms");
        // counted from the beginning, not from the call: a relative reading would take >= 5 s
        t0 = System.nanoTime();
        beginning = Deadline.ofNanoTime(t0 - TimeUnit.SECONDS.toNanos(5));
        assertEquals(Wait.TIMEOUT, Wait.any(Deadline.from(beginning, Duration.ofMillis(5_040)), s));
        elapsed = System.nanoTime() - t0;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(40), "returned early: " + elapsed / 1e6 + " ms");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "the deadline was read as relative: " + elapsed / 1e6 + " ms");
    }

    @Test
    void availableObjectIsAcquiredAtOnceEvenWithABeginningOneSecondAgo() throws InterruptedException {
        // ao T38, second half; "at once" = as a poll, which DISPATCH_LEVEL proves
        Semaphore s = new Semaphore(1, 1);
        Deadline beginning = Deadline.ofNanoTime(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertTrue(s.tryAcquire(1, Deadline.from(beginning, Duration.ofMillis(100))));
        }
    }

    @Test
    void driftFreeLoopAdvancesTheBeginningByThePeriod() throws InterruptedException {
        Event stop = Event.manualReset(false);
        Duration period = Duration.ofMillis(10);
        long start = System.nanoTime();
        Deadline beginning = Deadline.ofNanoTime(start);
        int ticks = 0;
        while (ticks < 5) {
            assertEquals(Wait.TIMEOUT, Wait.any(Deadline.from(beginning, period), stop));
            beginning = beginning.plus(period);
            ticks++;
        }
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 5 * period.toNanos(), "five periods cannot end before 50 ms: " + elapsed / 1e6);
        assertEquals(start + 5 * period.toNanos(), beginning.nanoTime(), "the beginning moved by exact periods");
    }

    @Test
    void deadlineApiBehavesAsDocumented() throws InterruptedException {
        Deadline never = Deadline.never();
        assertTrue(never.isNever());
        assertFalse(never.isExpired());
        assertSame(never, never.plus(Duration.ofDays(-1_000)));
        assertSame(never, Deadline.after(ChronoUnit.FOREVER.getDuration()));
        Deadline past = Deadline.after(Duration.ofMillis(-1));
        assertTrue(past.isExpired());
        assertEquals(Duration.ZERO, past.remaining());
        Deadline future = Deadline.after(Duration.ofHours(1));
        assertFalse(future.isExpired());
        assertTrue(future.remaining().compareTo(Duration.ofMinutes(59)) > 0);
        assertTrue(past.compareTo(future) < 0);
        assertTrue(future.compareTo(never) < 0);
        assertTrue(never.compareTo(past) > 0);
        assertEquals(0, never.compareTo(Deadline.never()));
        Deadline a = Deadline.ofNanoTime(42L);
        assertEquals(a, Deadline.ofNanoTime(42L));
        assertEquals(a.hashCode(), Deadline.ofNanoTime(42L).hashCode());
        assertNotEquals(a, Deadline.ofNanoTime(43L));
        assertNotEquals(a, never);
        assertTrue(Deadline.now().isExpired(), "now() has just passed");
        assertTrue(Deadline.ofNanoTime(Long.MAX_VALUE).plus(Duration.ofNanos(1)).compareTo(Deadline.ofNanoTime(Long.MAX_VALUE)) > 0,
                "ordering survives nanoTime wrap-around");
        assertThrows(IllegalStateException.class, never::nanoTime);
    }

    // ---------------------------------------------------------------- huge timeouts

    @Test
    void hugeTimeoutsMeanNoTimeoutRatherThanOverflowing() throws Exception {
        Duration[] huge = {Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), ChronoUnit.FOREVER.getDuration(),
            Duration.ofNanos(Long.MAX_VALUE), Duration.ofDays(365L * 200)};
        for (Duration d : huge) {
            Semaphore s = new Semaphore(0, 1);
            Forked<Boolean> w = Forked.call("waiter", () -> s.tryAcquire(d));
            Threads.awaitBlocked(w.thread());
            s.release();
            assertTrue(w.join(), "timeout " + d);
            Event e = Event.autoReset(false);
            Forked<Integer> any = Forked.call("any", () -> Wait.any(d, e));
            Threads.awaitBlocked(any.thread());
            e.set();
            assertEquals(0, any.join(), "timeout " + d);
            assertTrue(new Semaphore(1, 1).tryAcquire(d));
            assertTrue(Deadline.after(d).isNever() || !Deadline.after(d).isExpired(), "timeout " + d);
        }
        Mutex m = new Mutex();
        assertTrue(m.tryLock(Long.MAX_VALUE, TimeUnit.DAYS));
        Forked<Boolean> w = Forked.call("locker", () -> {
            boolean got = m.tryLock(Long.MAX_VALUE, TimeUnit.DAYS);
            m.unlock();
            return got;
        });
        Threads.awaitBlocked(w.thread());
        m.unlock();
        assertTrue(w.join());
    }

    // ---------------------------------------------------------------- completion beats timeout

    @Test
    void aReleaseRacingATimeoutIsNeverLostNorDuplicated() {
        // ao T40: the end decides; a waiter whose acquisition happened at the instant of its
        // timeout reports success, otherwise the permit stays available
        AtomicBoolean acquired = new AtomicBoolean();
        Race<Semaphore> race = Race.seeded();
        race.run(3_000,
                round -> {
                    acquired.set(false);
                    return new Semaphore(0, 1);
                },
                s -> acquired.set(s.tryAcquire(Duration.ofNanos(20_000))),
                Semaphore::release,
                s -> assertEquals(1, (acquired.get() ? 1 : 0) + s.availablePermits(),
                        "permits taken + available must equal permits released"));
    }

    @Test
    void aSetRacingATimedWaitAnyIsNeverLostNorDuplicated() {
        int[] result = new int[1];
        Race<Event[]> race = Race.seeded();
        race.run(3_000,
                round -> new Event[] {Event.autoReset(false), Event.autoReset(false)},
                ev -> result[0] = Wait.any(Duration.ofNanos(20_000), ev[0], ev[1]),
                ev -> {
                    ev[1].set();
                    ev[0].set();
                },
                ev -> {
                    int remaining = (ev[0].isSignaled() ? 1 : 0) + (ev[1].isSignaled() ? 1 : 0);
                    assertEquals(result[0] == Wait.TIMEOUT ? 2 : 1, remaining, "result " + result[0]);
                    if (result[0] != Wait.TIMEOUT) {
                        assertFalse(ev[result[0]].isSignaled(), "the reported event is the consumed one");
                    }
                });
    }
}
