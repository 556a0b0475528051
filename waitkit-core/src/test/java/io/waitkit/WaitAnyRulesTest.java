package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Race;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Wait-any rules beyond the contract (as NT's wait-any; docs/semantics.md#wait-any): no limit on
 * the number of objects; a blocked wait takes the first object signalled for it, not a lower index
 * signalled later; concurrent signals to one blocked wait-any acquire exactly one object; waiters
 * of every form share one FIFO queue per object.
 */
class WaitAnyRulesTest {
    private static final Duration LONG = Threads.BOUND;

    @Test
    void anyOverMoreThanSixtyFourObjectsPicksTheLowestAvailable() throws InterruptedException {
        Semaphore[] sems = new Semaphore[300];
        for (int i = 0; i < sems.length; i++) {
            sems[i] = new Semaphore(i == 150 || i == 299 ? 1 : 0, 1);
        }
        assertEquals(150, Wait.any(Duration.ZERO, sems));
        assertEquals(299, Wait.any(Duration.ZERO, sems));
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, sems));
        Forked<Integer> w = Forked.call("many", () -> Wait.any(LONG, sems)).awaitBlocked();
        sems[250].release();
        assertEquals(0, sems[250].availablePermits());
        assertEquals(250, w.join());
        for (Semaphore s : sems) {
            s.release();
        }
        assertTrue(Wait.all(Duration.ZERO, sems), "no node of the finished wait is left on any object");
    }

    @Test
    void anyOverNothingTimesOutAndItsFutureStaysPendingUntilCancelled() throws InterruptedException {
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ofMillis(20)));
        java.util.concurrent.CompletableFuture<Integer> f = Wait.anyAsync();
        assertFalse(f.isDone());
        assertTrue(f.cancel(false), "nothing can complete it, so the cancel wins");
        assertTrue(f.isCancelled());
    }

    @Test
    void oneElementAnyAndAllLeaveNoWaiterBehindAfterTimeoutOrSuccess() throws InterruptedException {
        Semaphore s = new Semaphore(0, 2);
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ofMillis(10), s));
        assertFalse(Wait.all(Duration.ofMillis(10), s));
        Forked<Integer> any = Forked.call("any", () -> Wait.any(LONG, s)).awaitBlocked();
        s.release();
        assertEquals(0, any.join());
        Forked<Boolean> all = Forked.call("all", () -> Wait.all(LONG, s)).awaitBlocked();
        s.release();
        assertTrue(all.join());
        s.release(2);
        assertEquals(2, s.availablePermits(), "no timed-out or finished wait consumed a later release");
    }

    @Test
    void blockedAnyTakesTheFirstObjectSignalledForItNotALowerOneSignalledLater() {
        Semaphore low = new Semaphore(0, 1);
        Semaphore high = new Semaphore(0, 1);
        Forked<Integer> w = Forked.call("waiter", () -> Wait.any(LONG, low, high)).awaitBlocked();
        high.release();
        low.release();
        assertEquals(1, w.join());
        assertEquals(1, low.availablePermits(), "the lower index signalled afterwards stays available");
        assertEquals(0, high.availablePermits());
    }

    @Test
    void concurrentSignalsToOneBlockedAnyAcquireExactlyOneObject() {
        int[] index = new int[1];
        Race<Waitable[]> race = Race.seeded();
        race.run(3_000,
                round -> new Waitable[] {new Semaphore(0, 1), Event.autoReset(false), new Semaphore(0, 1)},
                objs -> index[0] = Wait.any(LONG, objs),
                objs -> {
                    ((Semaphore) objs[2]).release();
                    ((Event) objs[1]).set();
                    ((Semaphore) objs[0]).release();
                },
                objs -> {
                    boolean[] left = {((Semaphore) objs[0]).availablePermits() == 1, ((Event) objs[1]).isSignaled(),
                        ((Semaphore) objs[2]).availablePermits() == 1};
                    int remaining = (left[0] ? 1 : 0) + (left[1] ? 1 : 0) + (left[2] ? 1 : 0);
                    assertEquals(2, remaining, "exactly one of three signals consumed; index " + index[0]);
                    assertFalse(left[index[0]], "the reported object is the consumed one");
                });
    }

    @Test
    void waitersOfEveryFormShareOneFifoQueuePerObject() {
        Semaphore s = new Semaphore(0, 3);
        Event e = Event.autoReset(false);
        Forked<Void> single = Forked.run("single", s::acquire).awaitBlocked();
        Forked<Integer> any = Forked.call("any", () -> Wait.any(LONG, e, s)).awaitBlocked();
        Forked<Boolean> all = Forked.call("all", () -> Wait.all(LONG, s, Event.manualReset(true))).awaitBlocked();
        // wait-all waiters are served first on a signal (see WaitAllAtomicityTest); then FIFO
        s.release();
        all.join();
        assertFalse(single.isDone());
        s.release();
        single.join();
        assertFalse(any.isDone());
        s.release();
        assertEquals(1, any.join());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void aCallerOwnedMutexAtAHigherIndexIsNotTouchedWhenALowerIndexIsAvailable() throws InterruptedException {
        Mutex m = Mutex.ownedByCurrentThread();
        Semaphore s = new Semaphore(1, 1);
        assertEquals(0, Wait.any(Duration.ZERO, s, m));
        assertEquals(1, m.holdCount());
        m.unlock();
    }

    @Test
    void blockedAnyOverADuplicatedMutexTakesOneHold() {
        Mutex m = new Mutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> other = Forked.run("other", () -> {
            m.lock();
            locked.countDown();
            go.await();
            m.unlock();
        });
        await(locked);
        Forked<Integer> w = Forked.call("waiter", () -> {
            int i = Wait.any(LONG, m, Event.autoReset(false), m);
            int holds = m.holdCount();
            m.unlock();
            return holds * 10 + i;
        }).awaitBlocked();
        go.countDown();
        other.join();
        assertEquals(10, w.join(), "index 0, one hold");
        assertNull(m.owner());
    }

    @Test
    void anyWokenByAMutexReleaseTakesItForTheWaitingThread() {
        Mutex m = Mutex.ownedByCurrentThread();
        Semaphore s = new Semaphore(0, 1);
        CountDownLatch checked = new CountDownLatch(1);
        Forked<Integer> w = Forked.call("waiter", () -> {
            int i = Wait.any(LONG, s, m);
            checked.await();
            m.unlock();
            return i;
        }).awaitBlocked();
        m.unlock();
        assertSame(w.thread(), m.owner());
        checked.countDown();
        assertEquals(1, w.join());
        assertEquals(0, s.release());
        assertEquals(1, s.availablePermits(), "the waiter left the semaphore's queue");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(Threads.BOUND.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
