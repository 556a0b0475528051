package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A {@link CompletableFuture} as a member of {@link Wait#any} and {@link Wait#all}, through
 * {@link Wait#completion}: the first proxy of the engine (an object whose state is not the
 * engine's). Available once the future is done, acquiring it consumes nothing, exactly one
 * member of a wait-any is acquired, wait-all stays atomic, an async wait's cancel decides, and
 * a future that failed is reported with its member's index instead of being swallowed.
 */
class CompletionMemberTest {
    private static final Duration LONG = Threads.BOUND;
    private static final Duration SHORT = Duration.ofMillis(30);

    @Test
    void completedFutureIsAvailableToEveryWaitAndAcquiringItConsumesNothing() throws InterruptedException {
        Completion done = Wait.completion(CompletableFuture.completedFuture("x"));
        Event never = Event.autoReset(false);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, Wait.any(Duration.ZERO, never, done));
            assertTrue(Wait.all(Duration.ZERO, done));
        }
        assertTrue(done.isDone());
        done.await();
    }

    @Test
    void pendingFutureIsNotAvailableAndAPollChangesNothing() throws InterruptedException {
        CompletableFuture<String> f = new CompletableFuture<>();
        Completion pending = Wait.completion(f);
        Semaphore permits = new Semaphore(1, 1);
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, pending));
        assertFalse(Wait.all(SHORT, pending, permits), "wait-all must time out while the future is pending");
        assertEquals(1, permits.availablePermits(), "a timed-out wait-all takes nothing");
        assertFalse(f.isDone(), "a wait never completes the future it waits for");
    }

    @Test
    void blockedWaitAnyIsReleasedByTheFuturesCompletionAndTakesNothingElse() throws Exception {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Event other = Event.autoReset(false);
        Forked<Integer> waiter = Forked.call("waiter", () -> Wait.any(LONG, other, Wait.completion(f))).awaitBlocked();
        f.complete(42);
        assertEquals(1, waiter.join());
        other.set();
        assertTrue(other.tryAwait(), "the event the wait withdrew from works as before");
    }

    @Test
    void virtualThreadWaitingForAFutureIsReleasedByItsCompletion() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Completion c = Wait.completion(f);
        Forked<Integer> waiter = Forked.callVirtual("virtual waiter", () -> Wait.any(LONG, c)).awaitBlocked();
        f.complete(null);
        assertEquals(0, waiter.join());
    }

    @Test
    void everyWaiterOfOneFutureIsReleasedWhenItCompletes() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Completion c = Wait.completion(f);
        Forked<Integer> a = Forked.call("a", () -> Wait.any(LONG, c)).awaitBlocked();
        Forked<Integer> b = Forked.call("b", () -> Wait.any(LONG, Event.manualReset(false), c)).awaitBlocked();
        CompletableFuture<Integer> async = Wait.anyAsync(c);
        f.complete(null);
        assertEquals(0, a.join());
        assertEquals(1, b.join());
        assertEquals(0, async.get(LONG.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void exactlyOneMemberIsAcquiredWhenAFutureAndAnEventBecomeAvailableTogether() throws Exception {
        for (int round = 0; round < 200; round++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            Event e = Event.autoReset(false);
            CountDownLatch go = new CountDownLatch(1);
            Forked<Void> signaller = Forked.run("signaller", () -> {
                go.await();
                e.set();
            });
            Forked<Void> completer = Forked.run("completer", () -> {
                go.await();
                f.complete(null);
            });
            CompletableFuture<Integer> wait = Wait.anyAsync(e, Wait.completion(f));
            go.countDown();
            int index = wait.get(LONG.toSeconds(), TimeUnit.SECONDS);
            signaller.join();
            completer.join();
            if (index == 1) {
                assertTrue(e.isSignaled(), "round " + round + ": the future won, so the event must stay signalled");
            } else {
                assertEquals(0, index);
                assertFalse(e.isSignaled(), "round " + round + ": the event won and was consumed");
            }
        }
    }

    @Test
    void failedFutureIsReportedWithItsIndexAndCauseAndNothingElseIsAcquired() throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("boom");
        Semaphore permits = new Semaphore(0, 1);
        Completion failed = Wait.completion(CompletableFuture.failedFuture(boom));
        FailedCompletionException e = assertThrows(FailedCompletionException.class,
                () -> Wait.any(Duration.ZERO, permits, failed));
        assertEquals(1, e.index());
        assertSame(boom, e.getCause());
        assertSame(failed, e.completion());
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
        assertEquals(0, permits.availablePermits());
    }

    @Test
    void futureFailingWhileAWaitIsBlockedIsReportedToThatWait() throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        Forked<Integer> waiter = Forked.call("waiter", () -> Wait.any(LONG, Event.manualReset(false),
                Wait.completion(f))).awaitBlocked();
        RuntimeException cause = new RuntimeException("remote call failed");
        f.completeExceptionally(cause);
        FailedCompletionException e = waiter.joinFailure(FailedCompletionException.class);
        assertEquals(1, e.index());
        assertSame(cause, e.getCause());
    }

    @Test
    void cancelledFutureIsReportedWithACancellationCause() throws InterruptedException {
        CompletableFuture<String> f = new CompletableFuture<>();
        f.cancel(false);
        FailedCompletionException e = assertThrows(FailedCompletionException.class,
                () -> Wait.any(Duration.ZERO, Wait.completion(f)));
        assertInstanceOf(CancellationException.class, e.getCause());
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
    }

    @Test
    void waitAllWithAFailedFutureAcquiresTheOthersThenReportsIt() throws InterruptedException {
        Mutex m = new Mutex();
        CompletableFuture<Void> f = CompletableFuture.failedFuture(new ArithmeticException());
        FailedCompletionException e = assertThrows(FailedCompletionException.class,
                () -> Wait.all(Duration.ZERO, m, Wait.completion(f)));
        assertEquals(-1, e.index());
        assertTrue(m.isHeldByCurrentThread(), "wait-all acquired every member before reporting the failure");
        m.unlock();
    }

    @Test
    void asyncWaitOnAFailedFutureCompletesExceptionally() {
        CompletableFuture<Integer> wait = Wait.anyAsync(Wait.completion(CompletableFuture.failedFuture(new Error("x"))));
        ExecutionException e = assertThrows(ExecutionException.class, () -> wait.get(LONG.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(FailedCompletionException.class, e.getCause());
    }

    @Test
    void cancelledAsyncWaitIsWithdrawnAndTheLaterCompletionTakesNothing() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Semaphore permits = new Semaphore(0, 1);
        Completion c = Wait.completion(f);
        CompletableFuture<Integer> wait = Wait.anyAsync(permits, c);
        assertTrue(wait.cancel(false), "a pending wait is withdrawn");
        f.complete(null);
        permits.release();
        assertTrue(wait.isCancelled());
        assertEquals(1, permits.availablePermits(), "the withdrawn wait acquired nothing");
        assertEquals(0, Wait.any(Duration.ZERO, c), "the member itself stays usable");
    }

    @Test
    void asyncWaitThatLostTheCancelRaceOwnsItsAcquisition() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Mutex m = new Mutex();
        CompletableFuture<Void> wait = Wait.allAsync(m, Wait.completion(f));
        f.complete(null); // completes the wait: the mutex is the caller's now
        assertFalse(wait.cancel(false), "cancel after completion reports false");
        assertNull(wait.get(LONG.toSeconds(), TimeUnit.SECONDS));
        assertTrue(m.isHeldByCurrentThread(), "the async wait-all acquired for the thread that started it");
        m.unlock();
    }

    @Test
    void blockedWaitAllOverAMutexAndAFutureTakesTheMutexOnlyOnceTheFutureIsDone() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Mutex m = new Mutex();
        Forked<Boolean> waiter = Forked.call("all-waiter", () -> {
            boolean ok = Wait.all(LONG, m, Wait.completion(f));
            boolean held = m.isHeldByCurrentThread();
            m.unlock();
            return ok && held;
        }).awaitBlocked();
        assertNull(m.owner(), "nothing is reserved while the future is pending");
        assertTrue(m.tryLock());
        m.unlock();
        f.complete(null);
        assertTrue(waiter.join());
    }

    @Test
    void waitAllOverTwoFuturesAndASemaphoreIsAtomicAndReservesNothing() throws Exception {
        // two proxies: the signaller defers the completion until it holds no lock (WaitAll)
        CompletableFuture<Void> f1 = new CompletableFuture<>();
        CompletableFuture<Void> f2 = new CompletableFuture<>();
        Semaphore permits = new Semaphore(0, 2);
        Forked<Boolean> waiter = Forked.call("all-waiter",
                () -> Wait.all(LONG, Wait.completion(f1), permits, Wait.completion(f2))).awaitBlocked();
        f1.complete(null);
        permits.release();
        assertFalse(waiter.isDone(), "one future is still pending");
        assertEquals(1, permits.availablePermits(), "the permit is not reserved for the all-waiter");
        assertTrue(permits.tryAcquire());
        f2.complete(null);
        assertFalse(waiter.isDone(), "the permit is gone again");
        permits.release();
        assertTrue(waiter.join());
        assertEquals(0, permits.availablePermits(), "the completed wait-all took the permit");
    }

    @Test
    void manyFuturesCompletedConcurrentlyReleaseEveryBlockedWaitExactlyOnce() throws Exception {
        int n = 64;
        AtomicInteger released = new AtomicInteger();
        CompletableFuture<?>[] futures = new CompletableFuture<?>[n];
        Completion[] members = new Completion[n];
        for (int i = 0; i < n; i++) {
            futures[i] = new CompletableFuture<>();
            members[i] = Wait.completion(futures[i]);
        }
        Forked<?>[] waiters = new Forked<?>[n];
        for (int i = 0; i < n; i++) {
            int me = i;
            waiters[i] = Forked.runVirtual("w" + i, () -> {
                // each waits for its own future and, as a decoy, its neighbour's
                int index = Wait.any(LONG, members[me], members[(me + 1) % n]);
                assertTrue(index == 0 || index == 1);
                released.incrementAndGet();
            });
        }
        for (CompletableFuture<?> f : futures) {
            f.complete(null);
        }
        for (Forked<?> w : waiters) {
            w.join();
        }
        assertEquals(n, released.get());
    }

    @Test
    void nullFutureIsRefused() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Wait.completion(null));
        assertTrue(e.getMessage().contains("future"), e.getMessage());
    }

    @Test
    void oneFutureTwiceInAWaitAllIsADuplicateNamingBothIndexes() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Event e = Event.manualReset(true);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> Wait.all(Duration.ZERO, Wait.completion(f), e, Wait.completion(f)));
        assertTrue(x.getMessage().contains("objects[0]") && x.getMessage().contains("objects[2]"), x.getMessage());
        assertTrue(e.isSignaled(), "a refused wait-all touched nothing");
    }

    @Test
    void nullMemberBesideAFutureIsRefusedNamingItsIndex() {
        Waitable[] members = {Wait.completion(new CompletableFuture<>()), null};
        NullPointerException e = assertThrows(NullPointerException.class, () -> Wait.any(Duration.ZERO, members));
        assertTrue(e.getMessage().contains("objects[1]"), e.getMessage());
    }

    @Test
    void toStringShowsTheFuturesState() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Completion c = Wait.completion(f);
        assertTrue(c.toString().contains("pending"), c.toString());
        f.complete(null);
        assertTrue(c.toString().contains("done"), c.toString());
        assertTrue(Wait.completion(CompletableFuture.failedFuture(new Exception())).toString().contains("failed"));
    }
}
