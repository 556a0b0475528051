package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Properties of named objects across JVMs: the parent test JVM and child JVMs ({@link ChildJvm}
 * running {@link IpcChild}) share objects in a temporary namespace under {@code /dev/shm}.
 *
 * <p>Synchronization with the children is by their output lines and by states of the shared
 * objects (a waiter count polled with a bound); the only fixed pauses are the grace periods of
 * the checks that something does NOT happen (a second waiter released by one auto-reset set).
 * Every wait is bounded and a failure quotes the children's output.
 */
class CrossProcessTest {
    /** The bound of waits that must succeed (generous: 2-core CI machines are slow and busy). */
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** How long a check that something does not happen watches. */
    private static final Duration GRACE = Duration.ofMillis(300);
    /**
     * The bound of waits blocked on a mutex whose holder was killed: the waiters learn of it
     * within about 50 ms (the property checked is 1 s; this only stops a broken run early).
     */
    private static final Duration LEARN_BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static String dir() {
        return temp.dir.toString();
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d);
    }

    // ---- events

    @Test
    void autoResetEventSetInOneProcessReleasesExactlyOneOfTwoWaitingProcesses() throws Exception {
        String name = TempNamespace.fresh("auto");
        try (NamedEvent e = temp.ns.event(name, false, false);
                ChildJvm a = ChildJvm.start("wait-event", dir(), name, "60000");
                ChildJvm b = ChildJvm.start("wait-event", dir(), name, "60000")) {
            a.awaitLine("WAITING", ChildJvm.START_TIMEOUT);
            b.awaitLine("WAITING", ChildJvm.START_TIMEOUT);
            ChildJvm.until(() -> e.info().waiters() == 2, BOUND, () -> "both children blocked: " + e.info() + "\n"
                    + a.describe() + b.describe());
            try (ChildJvm setter = ChildJvm.start("set-event", dir(), name)) {
                setter.awaitSuccess(ChildJvm.START_TIMEOUT);
            }
            ChildJvm.until(() -> a.hasLine("SIGNALED") || b.hasLine("SIGNALED"), BOUND,
                    () -> "one waiter released\n" + a.describe() + b.describe());
            ChildJvm released = a.hasLine("SIGNALED") ? a : b;
            ChildJvm other = released == a ? b : a;
            released.awaitSuccess(BOUND);
            sleep(GRACE);
            assertFalse(other.hasLine("SIGNALED"), () -> "one auto-reset set released both processes\n" + a.describe() + b.describe());
            assertFalse(e.isSignaled(), "the signal was consumed by the released waiter");
            assertEquals(1, e.info().waiters(), () -> "the other process still waits: " + e.info());

            e.set(); // the second signal releases the second waiter: it was waiting, not lost
            other.awaitLine("SIGNALED", BOUND);
            other.awaitSuccess(BOUND);
            assertFalse(e.isSignaled());
            assertEquals(0, e.info().waiters());
        }
    }

    @Test
    void manualResetEventSetInOneProcessReleasesEveryWaiterOfEveryProcess() throws Exception {
        String name = TempNamespace.fresh("manual");
        try (NamedEvent e = temp.ns.event(name, true, false);
                ChildJvm a = ChildJvm.start("wait-event", dir(), name, "60000");
                ChildJvm b = ChildJvm.start("wait-event", dir(), name, "60000")) {
            CompletableFuture<Boolean> parentWaiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return e.await(BOUND);
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
            }, r -> Thread.ofPlatform().daemon().start(r));
            a.awaitLine("WAITING", ChildJvm.START_TIMEOUT);
            b.awaitLine("WAITING", ChildJvm.START_TIMEOUT);
            ChildJvm.until(() -> e.info().waiters() == 3, BOUND, () -> "two children and the parent blocked: " + e.info()
                    + "\n" + a.describe() + b.describe());
            try (ChildJvm setter = ChildJvm.start("set-event", dir(), name)) {
                setter.awaitSuccess(ChildJvm.START_TIMEOUT);
            }
            a.awaitLine("SIGNALED", BOUND);
            b.awaitLine("SIGNALED", BOUND);
            assertTrue(parentWaiter.get(BOUND.toSeconds(), TimeUnit.SECONDS), "the parent's waiter was released");
            a.awaitSuccess(BOUND);
            b.awaitSuccess(BOUND);
            assertTrue(e.isSignaled(), "a manual-reset event stays signalled");
            assertEquals(0, e.info().waiters());
        }
    }

    @Test
    void eventSetInAChildReleasesAWaiterBlockedInTheParent() throws Exception {
        String name = TempNamespace.fresh("to-parent");
        try (NamedEvent e = temp.ns.event(name, false, false);
                ChildJvm setter = ChildJvm.start("set-event", dir(), name, "on-go")) {
            setter.awaitLine("READY", ChildJvm.START_TIMEOUT);
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return e.await(BOUND);
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
            }, r -> Thread.ofVirtual().start(r));
            ChildJvm.until(() -> e.info().waiters() == 1, BOUND, () -> "the parent's waiter queued: " + e.info());
            setter.send("go");
            assertTrue(waiter.get(BOUND.toSeconds(), TimeUnit.SECONDS), () -> "released; " + setter.describe());
            setter.awaitSuccess(BOUND);
            assertFalse(e.isSignaled());
        }
    }

    @Test
    void thousandPingPongRoundTripsBetweenTwoProcessesComplete() throws Exception {
        int n = 1000;
        String ping = TempNamespace.fresh("ping");
        String pong = TempNamespace.fresh("pong");
        try (NamedEvent pi = temp.ns.event(ping, false, false);
                NamedEvent po = temp.ns.event(pong, false, false);
                ChildJvm child = ChildJvm.startOptimized("pingpong", dir(), ping, pong, Integer.toString(n))) {
            child.awaitLine("READY", ChildJvm.START_TIMEOUT);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pi.set();
                if (!po.await(BOUND)) {
                    throw new AssertionError("no pong " + i + " within " + BOUND + "; " + child.describe());
                }
            }
            long nanos = System.nanoTime() - t0;
            child.awaitLine("DONE", BOUND);
            child.awaitSuccess(BOUND);
            assertFalse(pi.isSignaled(), "every ping was consumed exactly once");
            assertFalse(po.isSignaled(), "every pong was consumed exactly once");
            System.out.printf("[CrossProcessTest] %d cross-process round trips in %.1f ms (%.1f us each)%n", n, nanos / 1e6,
                    nanos / 1e3 / n);
        }
    }

    // ---- mutex abandonment

    @Test
    void mutexHeldByAChildKilledBySigkillIsReportedAbandonedToTheNextLockInTheParent() throws Exception {
        String name = TempNamespace.fresh("abandon");
        try (NamedMutex m = temp.ns.mutex(name); ChildJvm child = ChildJvm.start("hold-mutex", dir(), name)) {
            child.awaitLine("LOCKED", ChildJvm.START_TIMEOUT);
            assertEquals(OptionalLong.of(child.pid()), m.ownerPid());
            assertFalse(m.tryLock(), "held by the child");
            assertFalse(m.isAbandoned());
            assertEquals("held (holds=1)", m.info().state());

            child.kill();
            assertTrue(m.isAbandoned(), () -> "its owner is dead: " + m.info());
            assertEquals(OptionalLong.empty(), m.ownerPid());
            AbandonedMutexException e = assertThrows(AbandonedMutexException.class, m::lock);
            assertSame(m, e.object(), "the exception names the handle the lock used");
            assertTrue(m.isHeldByCurrentThread(), "the parent owns it anyway");
            assertEquals(1, m.holdCount());
            assertFalse(m.isAbandoned());
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()), m.ownerPid());
            m.unlock();
            assertEquals("free", m.info().state());
            m.lock(); // reported once: a later lock is normal
            assertEquals(1, m.holdCount());
            m.unlock();
        }
    }

    @Test
    void threadsBlockedInLockLearnOfASigkilledHolderPromptlyAndExactlyOneIsToldOfTheAbandonment() throws Exception {
        String name = TempNamespace.fresh("abandon-blocked");
        try (NamedMutex m = temp.ns.mutex(name); ChildJvm child = ChildJvm.start("hold-mutex", dir(), name)) {
            child.awaitLine("LOCKED", ChildJvm.START_TIMEOUT);
            AtomicLong learnedAt = new AtomicLong();
            ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Runnable locker = () -> {
                try {
                    try {
                        m.lock();
                        outcomes.add("normal");
                    } catch (AbandonedMutexException e) {
                        learnedAt.set(System.nanoTime());
                        outcomes.add(e.object() == m && m.holdCount() == 1 ? "abandoned" : "bad report " + e.object());
                    }
                    m.unlock();
                } catch (Throwable t) {
                    failure.set(t);
                }
            };
            Thread platform = Thread.ofPlatform().daemon().start(locker);
            Thread virtual = Thread.ofVirtual().start(locker);
            ChildJvm.until(() -> m.info().waiters() == 2, BOUND, () -> "both parent threads blocked in lock(): " + m.info());

            long killedAt = System.nanoTime();
            child.kill();
            long end = System.nanoTime() + LEARN_BOUND.toNanos();
            platform.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            virtual.join(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            assertFalse(platform.isAlive() || virtual.isAlive(), () -> "the blocked lockers never returned: " + m.info());
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(List.of("abandoned", "normal"), outcomes.stream().sorted().toList(),
                    "exactly one acquirer is told of the abandonment");
            long learnMillis = TimeUnit.NANOSECONDS.toMillis(learnedAt.get() - killedAt);
            System.out.printf("[CrossProcessTest] a thread blocked in lock() learned of the SIGKILLed holder %d ms after the "
                    + "kill (documented: about 50 ms)%n", learnMillis);
            assertTrue(learnMillis < 1000, "learned of the dead holder after " + learnMillis + " ms");
            assertEquals("free", m.info().state());
            assertEquals(0, m.info().waiters());
        }
    }

    // ---- Wait.any / Wait.all with named and in-process objects

    @Test
    void waitAnyOverANamedAndAnInProcessEventAcquiresExactlyTheNamedOneWhenAChildSetsIt() throws Exception {
        String name = TempNamespace.fresh("any");
        Event local = Event.autoReset(false);
        try (NamedEvent named = temp.ns.event(name, false, false);
                ChildJvm setter = ChildJvm.start("set-event", dir(), name, "on-go")) {
            setter.awaitLine("READY", ChildJvm.START_TIMEOUT);
            CompletableFuture<Integer> any = CompletableFuture.supplyAsync(() -> {
                try {
                    return Wait.any(BOUND, local, named);
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
            }, r -> Thread.ofPlatform().daemon().start(r));
            ChildJvm.until(() -> named.info().waiters() == 1, BOUND, () -> "the wait-any queued: " + named.info());
            setter.send("go");
            assertEquals(1, any.get(BOUND.toSeconds(), TimeUnit.SECONDS), () -> "index of the named event; " + setter.describe());
            setter.awaitSuccess(BOUND);
            assertFalse(named.isSignaled(), "the named event's signal was consumed");
            assertEquals(0, named.info().waiters(), "the wait left no registration");
            local.set();
            assertTrue(local.tryAwait(), "the in-process event's signal was not consumed by the finished wait-any");
        }
    }

    @Test
    void waitAllOverANamedMutexANamedSemaphoreAndAnInProcessSemaphoreIsAtomicAcrossProcesses() throws Exception {
        String mName = TempNamespace.fresh("all-m");
        String sName = TempNamespace.fresh("all-s");
        Semaphore local = new Semaphore(2, 2);
        try (NamedMutex m = temp.ns.mutex(mName);
                NamedSemaphore s = temp.ns.semaphore(sName, 2, 2);
                ChildJvm child = ChildJvm.start("hold-mutex", dir(), mName)) {
            child.awaitLine("LOCKED", ChildJvm.START_TIMEOUT);

            assertFalse(Wait.all(Duration.ofMillis(200), m, s, local), "the mutex is held by the child");
            assertEquals(2, s.availablePermits(), "a timed-out wait-all took nothing from the named semaphore");
            assertEquals(2, local.availablePermits(), "a timed-out wait-all took nothing from the in-process semaphore");
            assertEquals(0, m.holdCount());
            assertEquals(OptionalLong.of(child.pid()), m.ownerPid());

            AtomicReference<Throwable> failure = new AtomicReference<>();
            CompletableFuture<Boolean> all = new CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().daemon().start(() -> {
                try {
                    boolean ok = Wait.all(BOUND, m, s, local);
                    all.complete(ok);
                    if (ok) {
                        assertEquals(1, m.holdCount());
                        m.unlock();
                        s.release();
                        local.release();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                    all.completeExceptionally(t);
                }
            });
            ChildJvm.until(() -> m.info().waiters() == 1, BOUND, () -> "the wait-all queued: " + m.info());
            // nothing is reserved while it waits: the semaphores are untouched and usable
            assertEquals(2, s.availablePermits());
            assertEquals(2, local.availablePermits());
            assertTrue(s.tryAcquire());
            assertEquals(1, s.availablePermits());
            s.release();
            assertFalse(all.isDone());

            child.send("release");
            child.awaitLine("RELEASED", BOUND);
            assertTrue(all.get(BOUND.toSeconds(), TimeUnit.SECONDS), () -> "wait-all acquired everything; " + child.describe());
            waiter.join(BOUND);
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            child.awaitSuccess(BOUND);
            assertEquals(2, s.availablePermits());
            assertEquals(2, local.availablePermits());
            assertEquals("free", m.info().state());
        }
    }

    @Test
    void waitAllBlockedOnTheMutexOfASigkilledChildAcquiresEverythingAndReportsTheAbandonment() throws Exception {
        String mName = TempNamespace.fresh("all-abandon-m");
        String sName = TempNamespace.fresh("all-abandon-s");
        Semaphore local = new Semaphore(1, 1);
        try (NamedMutex m = temp.ns.mutex(mName);
                NamedSemaphore s = temp.ns.semaphore(sName, 1, 1);
                ChildJvm child = ChildJvm.start("hold-mutex", dir(), mName)) {
            child.awaitLine("LOCKED", ChildJvm.START_TIMEOUT);
            // the waiting thread checks what it owns itself: a thread that ends holding the mutex abandons it
            CompletableFuture<String> all = CompletableFuture.supplyAsync(() -> {
                try {
                    Wait.all(LEARN_BOUND, s, m, local);
                    return "no report";
                } catch (AbandonedMutexException e) {
                    String owned = "object " + (e.object() == m ? "m" : String.valueOf(e.object())) + " index " + e.mutexIndex()
                            + " holds " + m.holdCount() + " owner " + m.ownerPid() + " sem " + s.availablePermits()
                            + " local " + local.availablePermits();
                    m.unlock();
                    s.release();
                    local.release();
                    return owned;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofPlatform().daemon().start(r));
            ChildJvm.until(() -> m.info().waiters() == 1, BOUND, () -> "the wait-all queued: " + m.info());
            child.kill();
            String outcome = all.get(LEARN_BOUND.toSeconds() + 5, TimeUnit.SECONDS);
            assertEquals("object m index -1 holds 1 owner " + OptionalLong.of(ProcessHandle.current().pid()) + " sem 0 local 0",
                    outcome, "the wait-all acquired all three and reported the abandonment of the named mutex (index -1)");
            assertEquals("free", m.info().state());
            assertEquals(1, s.availablePermits());
            assertEquals(1, local.availablePermits());
        }
    }

    // ---- openers

    @Test
    void openersCountEveryProcessThatHasTheObjectOpen() throws Exception {
        String name = TempNamespace.fresh("openers");
        try (NamedSemaphore s = temp.ns.semaphore(name, 1, 1)) {
            assertEquals(1, s.info().openers(), "only this JVM");
            try (ChildJvm a = ChildJvm.start("open", dir(), name); ChildJvm b = ChildJvm.start("open", dir(), name)) {
                a.awaitLine("READY", ChildJvm.START_TIMEOUT);
                b.awaitLine("READY", ChildJvm.START_TIMEOUT);
                assertEquals(3, s.info().openers(), () -> "this JVM and two children; " + a.describe() + b.describe());
                try (NamedSemaphore again = temp.ns.openExisting(name, NamedSemaphore.class)) {
                    assertEquals(3, again.info().openers(), "a second handle in one JVM is not a second opener");
                }
                a.kill();
                assertEquals(2, s.info().openers(), "the SIGKILLed child no longer counts");
                b.send("exit");
                b.awaitSuccess(BOUND);
                assertEquals(1, s.info().openers(), "the child that closed and exited no longer counts");
            }
            NamedObjectInfo listed = temp.ns.list().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
            assertEquals(1, listed.openers(), "list() agrees");
        }
    }

    // ---- semaphore permits

    @Test
    void semaphorePermitsAreConservedAcrossProcessesThatAcquireAndReleaseInLoops() throws Exception {
        String name = TempNamespace.fresh("sem-loops");
        int initial = 3;
        int iterations = 400;
        try (NamedSemaphore s = temp.ns.semaphore(name, initial, initial)) {
            List<ChildJvm> workers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    workers.add(ChildJvm.start("sem-worker", dir(), name, Integer.toString(iterations), "0"));
                }
                for (ChildJvm w : workers) {
                    w.awaitLine("DONE", Duration.ofSeconds(120));
                    w.awaitSuccess(BOUND);
                }
            } finally {
                workers.forEach(ChildJvm::close);
            }
            assertEquals(initial, s.availablePermits(), "every permit acquired was released");
            assertEquals(0, s.info().waiters(), "no wait left registered");
        }
    }

    @Test
    void semaphorePermitsAreConservedWhenWorkersAreSigkilledBetweenOperations() throws Exception {
        // victims are killed while paused between a release and the next acquire (they print
        // IDLE then), so they hold no permit: the count must come back to exactly the initial one
        String name = TempNamespace.fresh("sem-idle-kills");
        int initial = 2;
        try (NamedSemaphore s = temp.ns.semaphore(name, initial, initial)) {
            List<ChildJvm> all = new ArrayList<>();
            try {
                List<ChildJvm> survivors = new ArrayList<>();
                List<ChildJvm> victims = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    survivors.add(ChildJvm.start("sem-worker", dir(), name, "300", "0"));
                    victims.add(ChildJvm.start("sem-worker", dir(), name, "-1", "25"));
                }
                all.addAll(survivors);
                all.addAll(victims);
                for (ChildJvm v : victims) {
                    for (int round = 1; round <= 3; round++) {
                        v.awaitLine("IDLE " + round * 25, Duration.ofSeconds(120));
                        if (round < 3) {
                            v.send("go");
                        }
                    }
                    v.kill();
                }
                for (ChildJvm w : survivors) {
                    w.awaitLine("DONE", Duration.ofSeconds(120));
                    w.awaitSuccess(BOUND);
                }
            } finally {
                all.forEach(ChildJvm::close);
            }
            assertEquals(initial, s.availablePermits(), "no permit lost or made by the killed workers");
        }
    }

    @Test
    void semaphoreLosesAtMostThePermitsOfWorkersSigkilledAtRandomPointsAndNeverGainsAny() throws Exception {
        // a killed process keeps the permit it held (a semaphore has no owner): with k victims
        // killed at random points, 0..k permits are gone, never more, and none is made
        String name = TempNamespace.fresh("sem-random-kills");
        int initial = 4;
        int victimCount = 2;
        long seed = System.nanoTime();
        System.out.println("[CrossProcessTest] semaphore random kills: seed " + seed);
        java.util.Random rnd = new java.util.Random(seed);
        try (NamedSemaphore s = temp.ns.semaphore(name, initial, initial)) {
            List<ChildJvm> all = new ArrayList<>();
            try {
                List<ChildJvm> survivors = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    survivors.add(ChildJvm.start("sem-worker", dir(), name, "300", "0"));
                }
                all.addAll(survivors);
                for (int i = 0; i < victimCount; i++) {
                    ChildJvm v = ChildJvm.start("sem-worker", dir(), name, "-1", "0");
                    all.add(v);
                    v.awaitLine("READY", ChildJvm.START_TIMEOUT);
                    sleep(Duration.ofMillis(rnd.nextInt(50))); // a random kill point in its loop
                    v.kill();
                }
                for (ChildJvm w : survivors) {
                    w.awaitLine("DONE", Duration.ofSeconds(120));
                    w.awaitSuccess(BOUND);
                }
            } finally {
                all.forEach(ChildJvm::close);
            }
            int lost = initial - s.availablePermits();
            System.out.println("[CrossProcessTest] permits kept by the " + victimCount + " killed workers: " + lost);
            assertTrue(lost >= 0 && lost <= victimCount, "lost " + lost + " permits with " + victimCount + " victims");
        }
    }
}
