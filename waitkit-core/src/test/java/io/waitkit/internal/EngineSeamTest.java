package io.waitkit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine itself, with the smallest primitive ({@link Tokens}) and a proxy whose outside
 * state is a word that a "remote" thread changes ({@link OutsideCounter}): hand-off, the proxy
 * seam (signals from outside, the wait-all lock order across processes, failing proxies) and
 * the diagnostics the tests read instead of reflecting into engine fields.
 */
class EngineSeamTest {
    private static final Duration LONG = Threads.BOUND;
    private static final Duration SHORT = Duration.ofMillis(30);

    @Test
    void handOffGivesTheTokenToTheFirstQueuedWaiterBeforeTheSignalReturns() throws Exception {
        Tokens t = new Tokens(0);
        Forked<Integer> first = Forked.call("first", () -> Wait.any(LONG, t)).awaitBlocked();
        Forked<Integer> second = Forked.call("second", () -> Wait.any(LONG, t)).awaitBlocked();
        t.give(1);
        assertEquals(0, t.count(), "the token belongs to the first waiter when give returns");
        assertEquals(0, first.join());
        assertFalse(second.isDone());
        assertEquals(1, EngineProbe.queueLength(t));
        t.give(1);
        assertEquals(0, second.join());
        assertTrue(EngineProbe.queueEmpty(t));
    }

    @Test
    void remoteChangeSignalledToTheProxyHandsOffToTheQueuedWaiter() throws Exception {
        OutsideCounter c = new OutsideCounter(0, 1);
        Event never = Event.autoReset(false);
        Forked<Integer> waiter = Forked.call("waiter", () -> Wait.any(LONG, never, c)).awaitBlocked();
        Forked<Void> remote = Forked.run("remote", () -> c.remoteGive(1));
        remote.join();
        assertEquals(1, waiter.join());
        assertEquals(0, c.count(), "the waiter took the token from the outside word");
        assertTrue(EngineProbe.queueEmpty(c));
        assertTrue(EngineProbe.queueEmpty(never));
    }

    @Test
    void remoteGiftsAreNeverLostAmongManyWaitersOnBothKindsOfThread() throws Exception {
        OutsideCounter c = new OutsideCounter(0, 1);
        int n = 40;
        Forked<?>[] waiters = new Forked<?>[n];
        for (int i = 0; i < n; i++) {
            waiters[i] = i % 2 == 0 ? Forked.run("p" + i, () -> assertEquals(0, Wait.any(LONG, c)))
                    : Forked.runVirtual("v" + i, () -> assertTrue(Wait.all(LONG, c)));
        }
        Forked<Void> remote = Forked.run("remote", () -> {
            for (int i = 0; i < n; i++) {
                c.remoteGive(1);
            }
        });
        remote.join();
        for (Forked<?> w : waiters) {
            w.join();
        }
        assertEquals(0, c.count());
    }

    @Test
    void lockOrderPutsHeapObjectsFirstInListOrderThenProxiesByKey() {
        WaitObject[] targets = {new OutsideCounter(0, 30), new Tokens(0), new OutsideCounter(0, 10),
            new Tokens(0), new OutsideCounter(0, 20)};
        assertArrayEquals(new int[] {1, 3, 2, 4, 0}, WaitAll.lockOrder(targets));
        assertNull(WaitAll.lockOrder(new WaitObject[] {new Tokens(0), new Tokens(1)}), "no proxy: list order");
    }

    @Test
    void waitAllOverTwoProxiesAndAHeapObjectCompletesAtomicallyOnTheLastRemoteSignal() throws Exception {
        OutsideCounter a = new OutsideCounter(0, 2);
        OutsideCounter b = new OutsideCounter(0, 1);
        Semaphore s = new Semaphore(0, 1);
        Forked<Boolean> waiter = Forked.call("all-waiter", () -> Wait.all(LONG, a, s, b)).awaitBlocked();
        a.remoteGive(1);
        s.release();
        assertFalse(waiter.isDone());
        assertEquals(1, a.count(), "nothing is reserved while the wait-all sleeps");
        assertEquals(1, s.availablePermits());
        Forked.run("remote", () -> b.remoteGive(1)).join();
        assertTrue(waiter.join());
        assertEquals(0, a.count());
        assertEquals(0, b.count());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void timedOutWaitAllLeavesEveryOutsideWordAsItWas() throws InterruptedException {
        OutsideCounter a = new OutsideCounter(1, 1);
        OutsideCounter b = new OutsideCounter(0, 2);
        assertFalse(Wait.all(SHORT, a, b));
        assertEquals(1, a.count());
        assertEquals(0, b.count());
        assertTrue(EngineProbe.queueEmpty(a) && EngineProbe.queueEmpty(b));
    }

    @Test
    void concurrentWaitAllsOverTheSameProxiesInOppositeListOrderNeverDeadlock() throws Exception {
        OutsideCounter a = new OutsideCounter(0, 1);
        OutsideCounter b = new OutsideCounter(0, 2);
        int rounds = 300;
        Forked<Void> ab = Forked.run("ab", () -> {
            for (int i = 0; i < rounds; i++) {
                assertTrue(Wait.all(LONG, a, b));
            }
        });
        Forked<Void> ba = Forked.run("ba", () -> {
            for (int i = 0; i < rounds; i++) {
                assertTrue(Wait.all(LONG, b, a));
            }
        });
        Forked<Void> remote = Forked.run("remote", () -> {
            for (int i = 0; i < 2 * rounds; i++) {
                a.remoteGive(1);
                b.remoteGive(1);
            }
        });
        remote.join();
        ab.join();
        ba.join();
        assertEquals(0, a.count());
        assertEquals(0, b.count());
    }

    @Test
    void memberWhosePollFailsFailsTheWaitNamingItsIndexAndLeavesTheOthersUsable() throws InterruptedException {
        Tokens t = new Tokens(0);
        OutsideCounter broken = new OutsideCounter(1, 1);
        broken.failPoll = true;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Wait.any(Duration.ZERO, t, broken));
        assertTrue(e.getMessage().contains("objects[1]"), e.getMessage());
        assertEquals(1, broken.count(), "nothing was taken from the failing member");
        t.give(1);
        assertEquals(0, Wait.any(Duration.ZERO, t, broken), "the other member works as before");
        broken.failPoll = false;
        assertEquals(0, Wait.any(Duration.ZERO, broken));
    }

    @Test
    void registrationFailingAtAProxyWithdrawsTheNodesAlreadyQueued() throws InterruptedException {
        Tokens t = new Tokens(0);
        OutsideCounter broken = new OutsideCounter(0, 1);
        broken.failLock = true;
        assertThrows(IllegalStateException.class, () -> Wait.any(LONG, t, broken));
        assertTrue(EngineProbe.queueEmpty(t), "the node queued on the first member was withdrawn");
        assertTrue(EngineProbe.queueEmpty(broken));
        broken.failLock = false;
        t.give(1);
        assertEquals(1, t.count(), "the failed wait did not take the later token");
        assertEquals(1, Wait.any(SHORT, broken, t));
        broken.remoteGive(1);
        assertEquals(0, Wait.any(SHORT, broken, t));
    }

    @Test
    void asyncWaitOnAProxyCompletesOnARemoteSignalAndCancelBeforeItWithdraws() throws Exception {
        OutsideCounter c = new OutsideCounter(0, 1);
        CompletableFuture<Integer> cancelled = Wait.anyAsync(c);
        assertTrue(cancelled.cancel(false));
        CompletableFuture<Integer> pending = Wait.anyAsync(c);
        c.remoteGive(1);
        assertEquals(0, pending.get(LONG.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, c.count());
        c.remoteGive(1);
        assertEquals(1, c.count(), "the cancelled wait took nothing");
    }

    @Test
    void probeDescribesTheStateWordAndTheQueue() throws Exception {
        Tokens t = new Tokens(0);
        Forked<Integer> waiter = Forked.call("waiter", () -> Wait.any(LONG, t)).awaitBlocked();
        String d = EngineProbe.describe(t);
        assertTrue(d.contains("(QUEUED)") && d.contains("queued=1"), d);
        assertTrue(EngineProbe.describe(new OutsideCounter(0, 1)).contains("proxy"));
        assertEquals("not an engine object", EngineProbe.describe("x"));
        t.give(1);
        assertEquals(0, waiter.join());
        assertTrue(EngineProbe.allLock().contains("Unlocked"), EngineProbe.allLock());
    }
}
