package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Race;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Async waits (docs/semantics.md#async-waits): completion means acquisition; cancelling a pending
 * future withdraws the waiter, and a cancel that returns false means the caller owns what was
 * acquired ("the end decides", ao T40), which the races below check by conservation over tens of
 * thousands of rounds; user-side completion and orTimeout withdraw the same way; completion never
 * runs user code under an engine lock.
 */
class AsyncCancellationTest {
    private static final Duration LONG = Threads.BOUND;

    // ---------------------------------------------------------------- races

    /** A pending future and the outcome of its cancel in one round. */
    private static final class Round<T, F extends CompletableFuture<?>> {
        final T object;
        final F future;
        volatile boolean cancelled;

        Round(T object, F future) {
            this.object = object;
            this.future = future;
        }
    }

    /** After cancel returned {@code cancelled}: the future is cancelled, or it completes normally. */
    private static boolean acquiredBy(Round<?, ?> r) {
        if (r.cancelled) {
            assertTrue(r.future.isCancelled(), "cancel returned true, so the future is cancelled");
            return false;
        }
        // cancel lost to the engine: the future is (or is about to be) completed with the acquisition
        Threads.awaitCondition(r.future::isDone, "a future whose cancel returned false never completed");
        assertFalse(r.future.isCompletedExceptionally(), "a failed cancel means a normal completion");
        return true;
    }

    @Test
    void cancelRacingAReleaseNeverLosesNorDuplicatesAPermit() {
        Race<Round<Semaphore, CompletableFuture<Void>>> race = Race.seeded();
        race.run(20_000,
                i -> {
                    Semaphore s = new Semaphore(0, 1);
                    return new Round<>(s, s.acquireAsync());
                },
                r -> r.cancelled = r.future.cancel(false),
                r -> r.object.release(),
                r -> assertEquals(1, (acquiredBy(r) ? 1 : 0) + r.object.availablePermits(),
                        "permits taken by completed futures + available == permits released"));
    }

    @Test
    void cancelsRacingAMultiPermitReleaseConservePermitsAndServeInOrder() {
        AtomicInteger rounds = new AtomicInteger();
        Race<List<Round<Semaphore, CompletableFuture<Void>>>> race = Race.seeded();
        race.run(5_000,
                i -> {
                    Semaphore s = new Semaphore(0, 3);
                    List<Round<Semaphore, CompletableFuture<Void>>> list = new ArrayList<>();
                    for (int k = 0; k < 3; k++) {
                        list.add(new Round<>(s, s.acquireAsync()));
                    }
                    return list;
                },
                list -> {
                    list.get(0).cancelled = list.get(0).future.cancel(false);
                    list.get(2).cancelled = list.get(2).future.cancel(false);
                },
                list -> list.get(0).object.release(2),
                list -> {
                    Semaphore s = list.get(0).object;
                    int taken = 0;
                    for (Round<Semaphore, CompletableFuture<Void>> r : list) {
                        if (r != list.get(1)) {
                            taken += acquiredBy(r) ? 1 : 0;
                        }
                    }
                    assertTrue(list.get(1).future.isDone(), "an uncancelled earlier waiter is always served by release(2)");
                    taken++;
                    assertEquals(2, taken + s.availablePermits());
                    rounds.incrementAndGet();
                });
        assertEquals(5_000, rounds.get());
    }

    @Test
    void cancelRacingASetNeverLosesNorDuplicatesTheSignal() {
        Race<Round<Event, CompletableFuture<Void>>> race = Race.seeded();
        race.run(10_000,
                i -> {
                    Event e = Event.autoReset(false);
                    return new Round<>(e, e.awaitAsync());
                },
                r -> r.cancelled = r.future.cancel(false),
                r -> r.object.set(),
                r -> assertEquals(1, (acquiredBy(r) ? 1 : 0) + (r.object.isSignaled() ? 1 : 0),
                        "the signal is either taken by the future or still on the event"));
    }

    /** A mutex owned by a fresh thread that unlocks it when told to. */
    private static final class OwnedMutex {
        final Mutex m = new Mutex();
        final CountDownLatch unlock = new CountDownLatch(1);
        final Forked<Void> owner;

        OwnedMutex() throws InterruptedException {
            CountDownLatch locked = new CountDownLatch(1);
            owner = Forked.run("owner", () -> {
                m.lock();
                locked.countDown();
                unlock.await();
                m.unlock();
            });
            assertTrue(locked.await(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void cancelRacingAnUnlockLeavesTheMutexEitherOwnedByTheCallerOrFree() {
        Race<Round<OwnedMutex, CompletableFuture<Void>>> race = Race.seeded();
        race.run(3_000,
                i -> {
                    OwnedMutex om = new OwnedMutex();
                    return new Round<>(om, om.m.lockAsync());
                },
                r -> r.cancelled = r.future.cancel(false),
                r -> r.object.unlock.countDown(),
                r -> {
                    r.object.owner.join();
                    Mutex m = r.object.m;
                    if (acquiredBy(r)) {
                        assertSame(Thread.currentThread(), m.owner(), "a failed cancel means the caller owns it");
                        assertEquals(1, m.holdCount());
                        m.unlock();
                    }
                    assertNull(m.owner(), "otherwise the unlock left it free");
                    assertFalse(m.isAbandoned());
                });
    }

    @Test
    void cancelRacingAReleaseOfOneObjectOfAnAsyncWaitAnyIsExact() {
        Race<Round<Semaphore[], CompletableFuture<Integer>>> race = Race.seeded();
        race.run(10_000,
                i -> {
                    Semaphore[] s = {new Semaphore(0, 1), new Semaphore(0, 1)};
                    return new Round<>(s, Wait.anyAsync(s[0], s[1]));
                },
                r -> r.cancelled = r.future.cancel(false),
                r -> {
                    r.object[1].release();
                    r.object[0].release();
                },
                r -> {
                    int available = r.object[0].availablePermits() + r.object[1].availablePermits();
                    if (acquiredBy(r)) {
                        int index = r.future.join();
                        assertEquals(0, r.object[index].availablePermits(), "the reported object is the taken one");
                        assertEquals(1, available, "exactly one object taken");
                    } else {
                        assertEquals(2, available);
                    }
                });
    }

    @Test
    void cancelRacingTheLastSignalOfAnAsyncWaitAllTakesAllOrNothing() {
        Race<Round<Waitable[], CompletableFuture<Void>>> race = Race.seeded();
        race.run(10_000,
                i -> {
                    Event e = Event.autoReset(true);
                    Semaphore s = new Semaphore(0, 1);
                    return new Round<>(new Waitable[] {e, s}, Wait.allAsync(e, s));
                },
                r -> r.cancelled = r.future.cancel(false),
                r -> ((Semaphore) r.object[1]).release(),
                r -> {
                    Event e = (Event) r.object[0];
                    Semaphore s = (Semaphore) r.object[1];
                    if (acquiredBy(r)) {
                        assertFalse(e.isSignaled());
                        assertEquals(0, s.availablePermits());
                    } else {
                        assertTrue(e.isSignaled(), "nothing taken by a cancelled wait-all");
                        assertEquals(1, s.availablePermits());
                    }
                });
    }

    // ---------------------------------------------------------------- user-side completion

    @Test
    void completingAPendingFutureByHandWithdrawsTheWait() {
        Semaphore s = new Semaphore(0, 2);
        CompletableFuture<Void> a = s.acquireAsync();
        CompletableFuture<Void> b = s.acquireAsync();
        assertTrue(a.complete(null));
        assertTrue(b.completeExceptionally(new IllegalStateException("gave up")));
        s.release(2);
        assertEquals(2, s.availablePermits(), "neither future took a permit");
        CompletableFuture<Void> c = s.acquireAsync();
        assertTrue(c.isDone());
        assertFalse(c.complete(null), "already completed by the engine: the caller owns the permit");
        assertEquals(1, s.availablePermits());
    }

    @Test
    void theOutcomeOfAWaitFutureCannotBeOverwritten() {
        Semaphore s = new Semaphore(1, 1);
        CompletableFuture<Void> f = s.acquireAsync();
        assertThrows(UnsupportedOperationException.class, () -> f.obtrudeValue(null));
        assertThrows(UnsupportedOperationException.class, () -> f.obtrudeException(new RuntimeException()));
        CompletableFuture<Void> pending = s.acquireAsync();
        assertThrows(UnsupportedOperationException.class, () -> pending.obtrudeValue(null));
        assertThrows(NullPointerException.class, () -> pending.completeExceptionally(null));
        assertTrue(pending.cancel(false));
        assertTrue(pending.cancel(false), "cancelling twice still reports a cancelled future");
        s.release();
        assertEquals(1, s.availablePermits());
    }

    @Test
    void orTimeoutAndCompleteOnTimeoutWithdrawTheWait() {
        Event e = Event.autoReset(false);
        CompletableFuture<Void> a = e.awaitAsync().orTimeout(20, TimeUnit.MILLISECONDS);
        CompletableFuture<Void> b = e.awaitAsync().completeOnTimeout(null, 20, TimeUnit.MILLISECONDS);
        Threads.awaitCondition(() -> a.isDone() && b.isDone(), "the timeouts did not fire");
        CompletionException ce = assertThrows(CompletionException.class, a::join);
        assertTrue(ce.getCause() instanceof TimeoutException);
        assertNull(b.join());
        assertFalse(e.set());
        assertTrue(e.isSignaled(), "neither timed-out future consumed the signal");
    }

    @Test
    void aCancelledFutureReportsCancellationToDependents() {
        Semaphore s = new Semaphore(0, 1);
        CompletableFuture<Void> f = s.acquireAsync();
        CompletableFuture<String> dependent = f.thenApply(v -> "acquired");
        assertTrue(f.cancel(true));
        assertThrows(CancellationException.class, f::join);
        CompletionException ce = assertThrows(CompletionException.class, dependent::join);
        assertTrue(ce.getCause() instanceof CancellationException, "cause: " + ce.getCause());
        s.release();
        assertEquals(1, s.availablePermits());
    }

    @Test
    void pendingFuturesAreServedAndCompletedInArrivalOrder() {
        Semaphore s = new Semaphore(0, 10);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int id = i;
            CompletableFuture<Void> f = s.acquireAsync();
            futures.add(f);
            f.thenRun(() -> order.add(id));
        }
        s.release(4);
        for (int i = 0; i < 10; i++) {
            assertEquals(i < 4, futures.get(i).isDone(), "future " + i + ": the first four are served");
        }
        assertEquals(List.of(0, 1, 2, 3), order, "completions follow the order of the hand-offs");
        s.release(6);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order);
    }

    // ---------------------------------------------------------------- callbacks and engine locks

    /**
     * Runs {@code action} from a completion callback on another thread and waits for it (bounded):
     * if the completing thread still held any engine lock (even a reentrant one), that other
     * thread would block and the join would time out.
     */
    private static void fromAnotherThread(List<Throwable> failures, Forked.Body action) {
        try {
            Forked.run("from-callback", action).join();
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private static int pollAny(Waitable... objects) {
        try {
            return Wait.any(Duration.ZERO, objects);
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void callbacksRunOutsideEngineLocksSoTheyMayUseTheSameObjects() throws InterruptedException {
        Event e = Event.autoReset(false);
        Semaphore s = new Semaphore(0, 5);
        Mutex m = new Mutex();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger ran = new AtomicInteger();

        e.awaitAsync().thenRun(() -> {
            e.set(); // same thread, same object
            assertTrue(e.tryAwait());
            s.release();
            assertEquals(0, pollAny(s, e));
            fromAnotherThread(failures, () -> {
                e.set();
                assertTrue(Wait.all(Duration.ZERO, e, m));
                m.unlock();
            });
            ran.incrementAndGet();
        });
        Forked.run("setter", e::set).join(); // bounded: a callback under the object lock would spin forever

        s.acquireAsync().thenRun(() -> {
            s.release(2);
            assertTrue(s.tryAcquire(2));
            fromAnotherThread(failures, () -> {
                s.release();
                assertEquals(0, Wait.any(Duration.ZERO, s));
            });
            ran.incrementAndGet();
        });
        Forked.run("releaser", s::release).join();

        Event manual = Event.manualReset(true);
        Wait.allAsync(manual, s).thenRun(() -> {
            s.release();
            fromAnotherThread(failures, () -> assertTrue(Wait.all(Duration.ZERO, manual, s)));
            ran.incrementAndGet();
        });
        Forked.run("all-releaser", s::release).join(); // completes the wait-all under the global lock

        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> owner = Forked.run("owner", () -> {
            m.lock();
            locked.countDown();
            go.await();
            m.unlock();
        });
        assertTrue(locked.await(20, TimeUnit.SECONDS));
        m.lockAsync().thenRun(() -> {
            assertFalse(m.tryLock(), "owned by the thread that called lockAsync, not by the completer");
            fromAnotherThread(failures, () -> assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, m)));
            ran.incrementAndGet();
        });
        go.countDown();
        owner.join();

        assertTrue(failures.isEmpty(), "failures: " + failures);
        assertEquals(4, ran.get(), "every callback ran to the end");
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
    }

    @Test
    void aCallbackCompletedByTheOwnerWatchdogMayUseTheSameMutex() {
        Mutex m = new Mutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        Forked<Void> doomed = Forked.run("doomed", () -> {
            m.lock();
            locked.countDown();
            die.await();
        });
        try {
            assertTrue(locked.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Void> f = m.lockAsync().handle((v, t) -> {
            assertTrue(t instanceof AbandonedMutexException || t instanceof CompletionException, "got " + t);
            fromAnotherThread(failures, () -> assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, m)));
            ran.set(true);
            return null;
        });
        die.countDown();
        doomed.join();
        Threads.awaitCondition(f::isDone, "the abandoned lockAsync did not complete");
        assertTrue(ran.get());
        assertTrue(failures.isEmpty(), "failures: " + failures);
        m.unlock();
    }

    @Test
    void aThrowingCallbackDoesNotDisturbTheSignallerNorOtherWaiters() {
        Event e = Event.manualReset(false);
        CompletableFuture<Void> first = e.awaitAsync();
        CompletableFuture<Void> dependent = first.thenRun(() -> {
            throw new IllegalStateException("callback failure");
        });
        CompletableFuture<Void> second = e.awaitAsync();
        assertFalse(e.set(), "set returns normally");
        assertTrue(first.isDone() && !first.isCompletedExceptionally());
        assertTrue(second.isDone());
        assertTrue(dependent.isCompletedExceptionally());
        assertTrue(e.isSignaled());
    }
}
