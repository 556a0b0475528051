package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Non-blocking contexts (docs/semantics.md#non-blocking-contexts, AxisOS IRQL): at
 * {@link Irql#DISPATCH_LEVEL} and above every blocking form throws {@link IllegalStateException} at
 * once, before looking at the object (so even when it is available, and with nothing acquired);
 * polls, signals and async forms stay legal; scopes nest and restore; the engine completes async
 * waits at DISPATCH_LEVEL.
 */
class IrqlTest {
    private static final Duration LONG = Threads.BOUND;

    @AfterEach
    void levelIsBackToPassive() {
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current(), "a test leaked a raised IRQL");
    }

    // ---------------------------------------------------------------- scopes

    @Test
    void threadsStartAtPassiveLevelWhereBlockingIsAllowed() {
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
        assertTrue(Irql.canBlock());
    }

    @Test
    void scopesNestAndEachCloseRestoresTheLevelItRaisedFrom() {
        try (Irql.Scope apc = Irql.raise(Irql.APC_LEVEL)) {
            assertEquals(Irql.APC_LEVEL, Irql.current());
            assertEquals(Irql.PASSIVE_LEVEL, apc.previousLevel());
            assertTrue(Irql.canBlock(), "APC_LEVEL still allows blocking");
            try (Irql.Scope dispatch = Irql.raise(Irql.DISPATCH_LEVEL)) {
                assertEquals(Irql.DISPATCH_LEVEL, dispatch.level());
                assertEquals(Irql.APC_LEVEL, dispatch.previousLevel());
                assertFalse(Irql.canBlock());
                try (Irql.Scope same = Irql.raise(Irql.DISPATCH_LEVEL)) {
                    assertEquals(Irql.DISPATCH_LEVEL, Irql.current(), "raising to the same level is allowed");
                    try (Irql.Scope device = Irql.raise(Irql.DEVICE_LEVEL)) {
                        assertEquals(Irql.DEVICE_LEVEL, Irql.current());
                    }
                    assertEquals(Irql.DISPATCH_LEVEL, Irql.current());
                }
                assertEquals(Irql.DISPATCH_LEVEL, Irql.current());
            }
            assertEquals(Irql.APC_LEVEL, Irql.current());
        }
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
        assertTrue(Irql.canBlock());
    }

    @Test
    void loweringByRaiseOrAnUndefinedLevelIsRejectedAndChangesNothing() {
        try (Irql.Scope s = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertThrows(IllegalArgumentException.class, () -> Irql.raise(Irql.PASSIVE_LEVEL));
            assertEquals(Irql.DISPATCH_LEVEL, Irql.current());
        }
        assertThrows(IllegalArgumentException.class, () -> Irql.raise(-1));
        assertThrows(IllegalArgumentException.class, () -> Irql.raise(Irql.DEVICE_LEVEL + 1));
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
    }

    @Test
    void closingScopesOutOfOrderIsRejectedAndInOrderStillWorks() {
        Irql.Scope outer = Irql.raise(Irql.APC_LEVEL);
        Irql.Scope inner = Irql.raise(Irql.DISPATCH_LEVEL);
        assertThrows(IllegalStateException.class, outer::close);
        assertEquals(Irql.DISPATCH_LEVEL, Irql.current());
        inner.close();
        inner.close(); // closing twice does nothing
        assertEquals(Irql.APC_LEVEL, Irql.current());
        outer.close();
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
    }

    @Test
    void aScopeCanOnlyBeClosedByTheThreadThatRaisedIt() {
        try (Irql.Scope s = Irql.raise(Irql.DISPATCH_LEVEL)) {
            Forked.run("stranger", () -> assertThrows(IllegalStateException.class, s::close)).join();
            assertEquals(Irql.DISPATCH_LEVEL, Irql.current());
        }
    }

    @Test
    void theLevelBelongsToTheThreadThatRaisedIt() throws Exception {
        Semaphore s = new Semaphore(0, 1);
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            Forked<Boolean> other = Forked.call("other", () -> {
                assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
                return s.tryAcquire(LONG); // may block: its own level is PASSIVE
            });
            other.awaitBlocked();
            s.release();
            assertTrue(other.join());
        }
    }

    // ---------------------------------------------------------------- blocking forms refused

    /** Fresh objects for one case, all available to the current thread. */
    private static final class Fixture {
        final Event e = Event.autoReset(true);
        final Mutex m = new Mutex();
        final Mutex mine = Mutex.ownedByCurrentThread();
        final Semaphore s = new Semaphore(2, 2);

        void assertUnchanged() {
            assertTrue(e.isSignaled(), "the signal must not be consumed");
            assertNull(m.owner(), "the mutex must not be taken");
            assertEquals(1, mine.holdCount(), "the owned mutex's hold count must not change");
            assertEquals(2, s.availablePermits(), "no permit may be taken");
        }
    }

    @FunctionalInterface
    private interface Call {
        void run(Fixture f) throws Throwable;
    }

    private static DynamicTest refused(String name, int level, Call call) {
        return dynamicTest(name, () -> {
            Fixture f = new Fixture();
            try (Irql.Scope s = Irql.raise(level)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> call.run(f), name);
                assertTrue(e.getMessage() != null && e.getMessage().contains("IRQL"), "message: " + e.getMessage());
            }
            assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
            f.assertUnchanged();
        });
    }

    private static DynamicTest refused(String name, Call call) {
        return refused(name, Irql.DISPATCH_LEVEL, call);
    }

    @TestFactory
    Stream<DynamicTest> everyBlockingFormThrowsAtDispatchLevelEvenWhenTheObjectIsAvailable() {
        Duration tiny = Duration.ofNanos(1);
        return Stream.of(
                refused("Event.await()", f -> f.e.await()),
                refused("Event.await(Duration)", f -> f.e.await(LONG)),
                refused("Event.await(1 ns)", f -> f.e.await(tiny)),
                refused("Event.await(Deadline)", f -> f.e.await(Deadline.after(LONG))),
                refused("Event.await(Deadline.never())", f -> f.e.await(Deadline.never())),
                refused("Event.awaitUninterruptibly()", f -> f.e.awaitUninterruptibly()),
                refused("Mutex.lock()", f -> f.m.lock()),
                refused("Mutex.lock() by its owner", f -> f.mine.lock()),
                refused("Mutex.lockInterruptibly()", f -> f.m.lockInterruptibly()),
                refused("Mutex.tryLock(Duration)", f -> f.m.tryLock(LONG)),
                refused("Mutex.tryLock(1 ns)", f -> f.m.tryLock(tiny)),
                refused("Mutex.tryLock(long, TimeUnit)", f -> f.m.tryLock(1, TimeUnit.SECONDS)),
                refused("Mutex.tryLock(Deadline)", f -> f.m.tryLock(Deadline.after(LONG))),
                refused("Semaphore.acquire()", f -> f.s.acquire()),
                refused("Semaphore.acquire(2)", f -> f.s.acquire(2)),
                refused("Semaphore.acquireUninterruptibly()", f -> f.s.acquireUninterruptibly()),
                refused("Semaphore.tryAcquire(Duration)", f -> f.s.tryAcquire(LONG)),
                refused("Semaphore.tryAcquire(1 ns)", f -> f.s.tryAcquire(tiny)),
                refused("Semaphore.tryAcquire(n, Duration)", f -> f.s.tryAcquire(1, LONG)),
                refused("Semaphore.tryAcquire(n, Deadline)", f -> f.s.tryAcquire(1, Deadline.after(LONG))),
                refused("Wait.any(objects)", f -> Wait.any(f.e, f.s, f.m)),
                refused("Wait.any(Duration, objects)", f -> Wait.any(LONG, f.e, f.s, f.m)),
                refused("Wait.any(1 ns, objects)", f -> Wait.any(tiny, f.e, f.s, f.m)),
                refused("Wait.any(Deadline, objects)", f -> Wait.any(Deadline.after(LONG), f.e, f.s, f.m)),
                refused("Wait.any(Duration, owned mutex)", f -> Wait.any(LONG, f.mine)),
                refused("Wait.any() over nothing", f -> Wait.any()),
                refused("Wait.all(objects)", f -> Wait.all(f.e, f.s, f.m)),
                refused("Wait.all(Duration, objects)", f -> Wait.all(LONG, f.e, f.s, f.m)),
                refused("Wait.all(1 ns, objects)", f -> Wait.all(tiny, f.e, f.s, f.m)),
                refused("Wait.all(Deadline, objects)", f -> Wait.all(Deadline.after(LONG), f.e, f.s, f.m)),
                refused("Wait.all() over nothing", f -> Wait.all()),
                refused("Semaphore.acquire() at DEVICE_LEVEL", Irql.DEVICE_LEVEL, f -> f.s.acquire()),
                refused("Wait.any at DEVICE_LEVEL", Irql.DEVICE_LEVEL, f -> Wait.any(LONG, f.e, f.s)));
    }

    @Test
    void conditionAwaitThrowsAtDispatchLevelAndKeepsTheMutex() {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        m.lock();
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertThrows(IllegalStateException.class, c::await);
            assertThrows(IllegalStateException.class, c::awaitUninterruptibly);
            assertThrows(IllegalStateException.class, () -> c.await(1, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, () -> c.awaitNanos(1_000_000L));
            assertThrows(IllegalStateException.class, () -> c.await(0, TimeUnit.SECONDS));
        }
        assertEquals(2, m.holdCount(), "the mutex was not released");
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
        m.unlock();
    }

    @Test
    void blockingAtApcLevelIsAllowed() throws InterruptedException {
        Semaphore s = new Semaphore(1, 1);
        try (Irql.Scope scope = Irql.raise(Irql.APC_LEVEL)) {
            s.acquire();
            assertFalse(s.tryAcquire(Duration.ofMillis(1)));
        }
        assertEquals(0, s.availablePermits());
    }

    // ---------------------------------------------------------------- polls, signals, async allowed

    @Test
    void pollsSignalsAndAsyncFormsWorkAtDispatchLevel() throws InterruptedException {
        Event e = Event.autoReset(false);
        Event manual = Event.manualReset(false);
        Semaphore s = new Semaphore(0, 3);
        Mutex m = new Mutex();
        Deadline passed = Deadline.from(Deadline.now(), Duration.ofSeconds(-1));
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertFalse(e.tryAwait());
            assertFalse(e.await(Duration.ZERO));
            assertFalse(e.await(Duration.ofMillis(-1)));
            assertFalse(e.await(passed));
            assertFalse(s.tryAcquire());
            assertFalse(s.tryAcquire(Duration.ZERO));
            assertFalse(s.tryAcquire(2, passed));
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, e, s));
            assertEquals(Wait.TIMEOUT, Wait.any(passed, e, s));
            assertFalse(Wait.all(Duration.ZERO, e, s));
            assertFalse(Wait.all(passed, e, s));
            assertTrue(Wait.all(Duration.ZERO), "empty wait-all polls fine");

            assertFalse(e.set());
            assertFalse(manual.set());
            assertTrue(manual.reset());
            assertFalse(manual.pulse());
            assertEquals(0, s.release(2));
            assertTrue(e.await(Duration.ZERO));
            assertTrue(s.tryAcquire(Duration.ofMillis(-1)));
            assertEquals(0, Wait.any(passed, s, e));
            assertEquals(0, s.availablePermits());

            assertTrue(m.tryLock());
            assertTrue(m.tryLock(Duration.ZERO));
            assertTrue(m.tryLock(0, TimeUnit.SECONDS));
            assertTrue(m.tryLock(passed));
            assertEquals(4, m.holdCount());
            for (int i = 4; i >= 1; i--) {
                assertEquals(i, m.release());
            }

            CompletableFuture<Void> a = e.awaitAsync();
            CompletableFuture<Void> b = s.acquireAsync();
            CompletableFuture<Void> c = m.lockAsync();
            CompletableFuture<Integer> d = Wait.anyAsync(e, s);
            CompletableFuture<Void> f = Wait.allAsync(e, s);
            assertFalse(a.isDone());
            assertFalse(b.isDone());
            assertTrue(c.isDone(), "the free mutex is taken at once");
            m.unlock();
            e.set();
            s.release(3);
            assertTrue(a.isDone());
            assertTrue(b.isDone());
            assertTrue(d.isDone());
            assertTrue(d.cancel(false) == false);
            assertFalse(f.isDone(), "the event's signal went to the first async waiter");
            assertTrue(f.cancel(false));
        }
    }

    // ---------------------------------------------------------------- async completion level

    @Test
    void asyncCompletionRunsAtDispatchLevelAndTheSignallersLevelIsRestored() {
        Event e = Event.autoReset(false);
        Semaphore s = new Semaphore(0, 1);
        Mutex m = new Mutex();
        List<Integer> levels = new CopyOnWriteArrayList<>();
        e.awaitAsync().thenRun(() -> levels.add(Irql.current()));
        s.acquireAsync().thenRun(() -> levels.add(Irql.current()));
        Wait.allAsync(Event.manualReset(true), s).thenRun(() -> levels.add(Irql.current()));
        e.set();
        s.release();
        s.release();
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current(), "the signaller is back at its own level");
        assertEquals(List.of(Irql.DISPATCH_LEVEL, Irql.DISPATCH_LEVEL, Irql.DISPATCH_LEVEL), levels);

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger unlockerLevelAfter = new AtomicInteger(-1);
        Forked<Void> owner = Forked.run("owner", () -> {
            m.lock();
            locked.countDown();
            go.await();
            m.unlock();
            unlockerLevelAfter.set(Irql.current());
        });
        awaitLatch(locked);
        AtomicInteger level = new AtomicInteger(-1);
        CompletableFuture<Void> f = m.lockAsync().thenRun(() -> level.set(Irql.current()));
        go.countDown();
        owner.join();
        f.join();
        assertEquals(Irql.DISPATCH_LEVEL, level.get());
        assertEquals(Irql.PASSIVE_LEVEL, unlockerLevelAfter.get());
        m.unlock();
    }

    @Test
    void asyncCompletionByTheOwnerWatchdogRunsAtDispatchLevel() {
        Mutex m = new Mutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        Forked<Void> owner = Forked.run("doomed", () -> {
            m.lock();
            locked.countDown();
            die.await();
        });
        awaitLatch(locked);
        AtomicInteger level = new AtomicInteger(-1);
        CompletableFuture<Void> f = m.lockAsync().handle((v, t) -> {
            level.set(Irql.current());
            return null;
        });
        die.countDown();
        owner.join();
        f.join();
        assertEquals(Irql.DISPATCH_LEVEL, level.get());
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
    }

    @Test
    void aCompletionCallbackThatTriesToBlockGetsIllegalStateException() {
        Event e = Event.autoReset(false);
        Semaphore other = new Semaphore(1, 1);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        e.awaitAsync().thenRun(() -> {
            try {
                other.acquire();
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        e.set();
        assertTrue(seen.get() instanceof IllegalStateException, "got " + seen.get());
        assertEquals(1, other.availablePermits(), "nothing acquired by the refused call");
        assertEquals(Irql.PASSIVE_LEVEL, Irql.current());
    }

    @Test
    void aSignallerAlreadyAboveDispatchKeepsItsLevel() {
        Event e = Event.autoReset(false);
        AtomicInteger level = new AtomicInteger(-1);
        e.awaitAsync().thenRun(() -> level.set(Irql.current()));
        try (Irql.Scope scope = Irql.raise(Irql.DEVICE_LEVEL)) {
            e.set();
            assertEquals(Irql.DEVICE_LEVEL, Irql.current());
        }
        assertEquals(Irql.DEVICE_LEVEL, level.get(), "completion never lowers the level");
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(Threads.BOUND.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }
}
