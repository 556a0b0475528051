package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Fairness;
import io.waitkit.Mutex;
import io.waitkit.Wait;
import io.waitkit.contract.Forked;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fairness mode of named mutexes and semaphores: chosen at creation, stored in the file
 * (layout version 2 only for a barging object, so hand-off files stay version 1 byte for byte),
 * reported by every handle, an explicit mode that differs from the stored one refused, and
 * a barging release that really frees the object for a running thread while a multi-object
 * waiter is still served by hand-off.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NamedFairnessTest {
    /** Rounds of a race that barging wins at once unless the woken waiter happens to run first. */
    private static final int ATTEMPTS = 50;

    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** The header's VERSION and PARAM1 words of an object file. */
    private static long[] versionAndParam1(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(temp.dir.resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {b.getInt(8), b.getLong(32)};
    }

    @Test
    void aHandOffObjectIsALayoutVersion1FileAndABargingOneVersion2WithTheModeInParam1() throws IOException {
        String hm = TempNamespace.fresh("m");
        String bm = TempNamespace.fresh("m");
        String hs = TempNamespace.fresh("s");
        String bs = TempNamespace.fresh("s");
        try (NamedMutex a = temp.ns.mutex(hm);
                NamedMutex b = temp.ns.mutex(bm, Fairness.BARGING);
                NamedSemaphore c = temp.ns.semaphore(hs, 0, 2, Fairness.HAND_OFF);
                NamedSemaphore d = temp.ns.semaphore(bs, 0, 2, Fairness.BARGING)) {
            assertEquals(Fairness.HAND_OFF, a.fairness());
            assertEquals(Fairness.BARGING, b.fairness());
            assertEquals(Fairness.HAND_OFF, c.fairness());
            assertEquals(Fairness.BARGING, d.fairness());
            assertEquals(1L, versionAndParam1(hm)[0], "a hand-off mutex is readable by a version-1 reader");
            assertEquals(0L, versionAndParam1(hm)[1]);
            assertEquals(2L, versionAndParam1(bm)[0], "a version-1 reader must refuse a barging mutex");
            assertEquals(1L, versionAndParam1(bm)[1]);
            assertEquals(1L, versionAndParam1(hs)[0]);
            assertEquals(0L, versionAndParam1(hs)[1]);
            assertEquals(2L, versionAndParam1(bs)[0]);
            assertEquals(1L, versionAndParam1(bs)[1]);
        }
    }

    @Test
    void anExplicitModeOtherThanTheStoredOneIsRefusedNamingBothAndTheObjectStaysUsable() throws IOException {
        String m = TempNamespace.fresh("m");
        String s = TempNamespace.fresh("s");
        try (NamedMutex mutex = temp.ns.mutex(m, Fairness.BARGING);
                NamedSemaphore sem = temp.ns.semaphore(s, 1, 3)) {
            WrongFairnessException e = assertThrows(WrongFairnessException.class, () -> temp.ns.mutex(m, Fairness.HAND_OFF));
            assertEquals(Fairness.HAND_OFF, e.requested());
            assertEquals(Fairness.BARGING, e.actual());
            assertTrue(e.getMessage().contains("BARGING") && e.getMessage().contains("HAND_OFF") && e.getMessage().contains(m),
                    e.getMessage());
            WrongFairnessException f = assertThrows(WrongFairnessException.class,
                    () -> temp.ns.semaphore(s, 0, 1, Fairness.BARGING));
            assertEquals(Fairness.BARGING, f.requested());
            assertEquals(Fairness.HAND_OFF, f.actual());
            assertTrue(f.getMessage().contains(s), f.getMessage());
            assertTrue(f instanceof NamedObjectException);

            // the same mode, or none, opens the existing object as it is
            try (NamedMutex again = temp.ns.mutex(m, Fairness.BARGING); NamedMutex any = temp.ns.mutex(m);
                    NamedSemaphore sameSem = temp.ns.semaphore(s, 0, 1, Fairness.HAND_OFF)) {
                assertFalse(again.created());
                assertEquals(Fairness.BARGING, any.fairness());
                assertEquals(3, sameSem.maxPermits());
                assertTrue(again.tryLock());
                again.unlock();
            }
            assertTrue(mutex.tryLock(), "usable after the refused open");
            mutex.unlock();
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void aNullModeIsRefusedNamingTheArgumentAndCreatesNothing() {
        String m = TempNamespace.fresh("m");
        NullPointerException e = assertThrows(NullPointerException.class, () -> temp.ns.mutex(m, null));
        assertTrue(String.valueOf(e.getMessage()).contains("fairness"), e.getMessage());
        assertThrows(NullPointerException.class, () -> temp.ns.semaphore(m, 0, 1, null));
        assertFalse(Files.exists(temp.dir.resolve(m)));
    }

    /**
     * With a waiter blocked, the final release of a barging mutex leaves it free: the releasing
     * thread, still running, takes it again before the woken waiter has run (a hand-off mutex
     * would belong to the waiter already); the waiter keeps its place and gets it at the next
     * release.
     */
    @Test
    void aBargingReleaseWithAWaiterBlockedLeavesTheMutexFreeForTheRunningThread() throws Exception {
        try (NamedMutex m = temp.ns.mutex(TempNamespace.fresh("m"), Fairness.BARGING)) {
            boolean barged = false;
            for (int i = 0; i < ATTEMPTS && !barged; i++) {
                m.lock();
                Forked<Void> waiter = Forked.run("waiter", () -> {
                    m.lock();
                    m.unlock();
                });
                DirectSleep.awaitBlocked(waiter.thread());
                m.unlock();
                barged = m.tryLock();
                if (barged) {
                    assertNull(m.ownerThread() == Thread.currentThread() ? null : m.ownerThread(), "two owners");
                    m.unlock();
                }
                waiter.join(); // it gets the mutex at the latest after the second release
            }
            assertTrue(barged, "in " + ATTEMPTS + " rounds the releasing thread never took the mutex back before the woken waiter");
            assertTrue(m.tryLock());
            m.unlock();
        }
    }

    /** The same for a barging semaphore: a released permit can be taken back by the running thread. */
    @Test
    void aBargingReleaseWithAWaiterBlockedLeavesThePermitForTheRunningThread() throws Exception {
        try (NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("s"), 0, 1, Fairness.BARGING)) {
            boolean barged = false;
            for (int i = 0; i < ATTEMPTS && !barged; i++) {
                Forked<Void> waiter = Forked.run("waiter", () -> {
                    s.acquire();
                    s.release();
                });
                DirectSleep.awaitBlocked(waiter.thread());
                s.release();
                barged = s.tryAcquire();
                if (barged) {
                    s.release();
                }
                waiter.join();
                assertTrue(s.tryAcquire(), "the permit came back");
            }
            assertTrue(barged, "in " + ATTEMPTS + " rounds the releasing thread never took the permit back before the woken waiter");
            assertEquals(0, s.availablePermits());
        }
    }

    /**
     * Virtual and platform threads (waits that park and are watched by the waiter pool, and
     * waits that sleep on the futex word) contend on a barging mutex and a barging semaphore of
     * two permits: mutual exclusion and the permit bound hold, no update is lost, nobody hangs.
     */
    @Test
    void virtualAndPlatformThreadsContendingOnBargingObjectsKeepExclusionAndFinish() throws Exception {
        try (NamedMutex m = temp.ns.mutex(TempNamespace.fresh("m"), Fairness.BARGING);
                NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("s"), 2, 2, Fairness.BARGING)) {
            int threads = 24;
            int rounds = 200;
            long[] counter = {0};
            java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
            java.util.List<Forked<Void>> all = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Forked.Body body = () -> {
                    for (int r = 0; r < rounds; r++) {
                        m.lock();
                        try {
                            counter[0]++;
                        } finally {
                            m.unlock();
                        }
                        s.acquire();
                        try {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                        } finally {
                            s.release();
                        }
                    }
                };
                all.add(t % 3 == 0 ? Forked.run("platform-" + t, body) : Forked.runVirtual("virtual-" + t, body));
            }
            for (Forked<Void> f : all) {
                f.join();
            }
            m.lock();
            try {
                assertEquals((long) threads * rounds, counter[0], "updates under the mutex");
            } finally {
                m.unlock();
            }
            assertTrue(most.get() <= 2, "at most two holders of the two permits: " + most.get());
            assertEquals(2, s.availablePermits());
            assertFalse(m.isAbandoned());
        }
    }

    /**
     * A wait for several objects is served by hand-off also by a barging release: right after
     * the release the waiter owns the named mutex, and it acquired exactly one of its objects
     * when both are released together.
     */
    @Test
    void aWaitAnyOverABargingNamedMutexAndAnInProcessMutexAcquiresExactlyOne() throws Exception {
        try (NamedMutex named = temp.ns.mutex(TempNamespace.fresh("m"), Fairness.BARGING)) {
            Mutex local = new Mutex(Fairness.BARGING);
            named.lock();
            local.lock();
            CountDownLatch done = new CountDownLatch(1);
            Forked<Integer> first = Forked.call("wait-any", () -> {
                int i = Wait.any(named, local);
                done.await(); // holds what it took until told
                if (i == 0) {
                    named.unlock();
                }
                return i;
            });
            first.awaitBlocked();
            named.unlock();
            assertSame(first.thread(), named.ownerThread(), "a multi-object waiter is handed the mutex by the release");
            local.unlock();
            assertTrue(local.tryLock(), "the in-process mutex stays free: the waiter took exactly one");
            local.unlock();
            done.countDown();
            assertEquals(0, first.join());
            assertTrue(named.tryLock(), "given back");
            named.unlock();

            for (int round = 0; round < 20; round++) {
                try (NamedMutex fresh = temp.ns.mutex(TempNamespace.fresh("m"), Fairness.BARGING)) {
                    Mutex l = new Mutex(Fairness.BARGING);
                    CountDownLatch held = new CountDownLatch(2);
                    CountDownLatch go = new CountDownLatch(1);
                    Forked<Void> x = Forked.run("holder-named", () -> {
                        fresh.lock();
                        held.countDown();
                        go.await();
                        fresh.unlock();
                    });
                    Forked<Void> y = Forked.run("holder-local", () -> {
                        l.lock();
                        held.countDown();
                        go.await();
                        l.unlock();
                    });
                    assertTrue(held.await(20, TimeUnit.SECONDS));
                    Forked<Integer> w = Forked.call("wait-any", () -> {
                        int i = Wait.any(fresh, l);
                        if (i == 0) {
                            fresh.unlock();
                        } else {
                            l.unlock();
                        }
                        return i;
                    });
                    w.awaitBlocked();
                    go.countDown();
                    x.join();
                    y.join();
                    int i = w.join();
                    assertTrue(i == 0 || i == 1, "index " + i);
                    // exactly one: the other was never taken by the waiter, so both are free now
                    assertTrue(fresh.tryLock(), "round " + round + ": the named mutex is free");
                    fresh.unlock();
                    assertTrue(l.tryLock(), "round " + round + ": the in-process mutex is free");
                    l.unlock();
                }
            }
        }
    }
}
