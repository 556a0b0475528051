package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Multi-permit acquisition ({@code acquire(int n, …)} with ao's first-fit,
 * docs/semantics.md#decisions): n permits are taken at once or not at all; a release serves queued
 * waiters first-fit (a waiter that needs more than is available is skipped and stays queued, a
 * later smaller one is served); a new acquirer may take permits that queued waiters cannot use.
 */
class SemaphoreMultiPermitTest {
    private static final Duration LONG = Threads.BOUND;

    @Test
    void nPermitsAreTakenAtOnceOrNotAtAll() throws InterruptedException {
        Semaphore s = new Semaphore(3, 5);
        assertFalse(s.tryAcquire(4));
        assertEquals(3, s.availablePermits(), "no partial take");
        assertTrue(s.tryAcquire(3));
        assertEquals(0, s.availablePermits());
        assertTrue(s.tryAcquire(0), "zero permits always succeed");
        s.acquire(0);
        long t0 = System.nanoTime();
        s.release(2);
        assertFalse(s.tryAcquire(3, Duration.ofMillis(30)));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(30).toNanos());
        assertEquals(2, s.availablePermits());
    }

    @Test
    void releaseServesQueuedWaitersFirstFit() {
        Semaphore s = new Semaphore(0, 5);
        Forked<Void> big = Forked.run("needs-3", () -> s.acquire(3)).awaitBlocked();
        Forked<Void> small = Forked.run("needs-1", () -> s.acquire(1)).awaitBlocked();
        s.release(1);
        assertEquals(0, s.availablePermits(), "the small waiter behind the big one was served");
        small.join();
        assertFalse(big.isDone());
        s.release(2);
        assertEquals(2, s.availablePermits(), "two are not enough for the big waiter");
        assertFalse(big.isDone());
        s.release(1);
        assertEquals(0, s.availablePermits());
        big.join();
    }

    @Test
    void aNewAcquirerMayTakePermitsThatQueuedWaitersCannotUse() throws InterruptedException {
        Semaphore s = new Semaphore(2, 5);
        Forked<Boolean> big = Forked.call("needs-4", () -> s.tryAcquire(4, LONG)).awaitBlocked();
        assertTrue(s.tryAcquire(1), "barging is allowed when the queued waiter cannot be served");
        assertEquals(1, s.availablePermits());
        s.release(3);
        assertEquals(0, s.availablePermits());
        assertTrue(big.join());
    }

    @Test
    void oneReleaseServesSeveralMultiPermitWaitersInOrder() {
        Semaphore s = new Semaphore(0, 10);
        CompletableFuture<Void> a = s.acquireAsync(2);
        CompletableFuture<Void> b = s.acquireAsync(5);
        CompletableFuture<Void> c = s.acquireAsync(3);
        CompletableFuture<Void> d = s.acquireAsync(1);
        s.release(6);
        assertTrue(a.isDone(), "2 of 6");
        assertFalse(b.isDone(), "5 > 4 left: skipped");
        assertTrue(c.isDone(), "3 of the 4 left");
        assertTrue(d.isDone(), "the last one");
        assertEquals(0, s.availablePermits());
        s.release(5);
        assertTrue(b.isDone());
    }

    @Test
    void cancelledMultiPermitWaitTakesNothing() {
        Semaphore s = new Semaphore(0, 4);
        CompletableFuture<Void> f = s.acquireAsync(4);
        s.release(3);
        assertTrue(f.cancel(false));
        s.release(1);
        assertEquals(4, s.availablePermits());
    }
}
