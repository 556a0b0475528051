package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Diagnostics} describes what parked threads wait for (virtual ones included, waits for
 * any or all of several objects, objects without an owner) and finds the wait-for cycles among
 * owned locks, including those the JVM cannot see; a chain without a cycle, or a wait-any with
 * a way out, is not a deadlock. Blocked threads are interrupted and joined after each test.
 */
class DiagnosticsTest {
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void unblock() throws InterruptedException {
        for (Thread t : started) {
            t.interrupt();
        }
        for (Thread t : started) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t + " did not end after its interrupt");
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private Thread start(boolean virtual, String name, Body body) {
        Runnable r = () -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                // the test unblocks its threads this way
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        Thread t = virtual ? Thread.ofVirtual().name(name).unstarted(r) : Thread.ofPlatform().daemon().name(name).unstarted(r);
        started.add(t);
        t.start();
        return t;
    }

    /** Holds {@code holds}, then (once {@code holding} opens) runs {@code then}, releasing on the way out. */
    private Thread holdThen(boolean virtual, String name, CountDownLatch holding, Body then, Mutex... holds) {
        return start(virtual, name, () -> {
            for (Mutex m : holds) {
                m.lock();
            }
            try {
                holding.countDown();
                holding.await();
                then.run();
            } finally {
                for (Mutex m : holds) {
                    m.unlock();
                }
            }
        });
    }

    /** Waits (bounded) until {@code t} is parked in a Waitkit wait for exactly {@code objects}. */
    private static Diagnostics.ThreadWait awaitWait(Thread t, Object... objects) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            var w = Diagnostics.waitOf(t);
            if (w.isPresent() && w.get().objects().equals(Arrays.asList(objects))) {
                return w.get();
            }
            assertTrue(System.nanoTime() - deadline < 0, t + " did not park waiting for " + Arrays.toString(objects) + ": " + w);
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static Set<Thread> deadlockedThreads() {
        List<Diagnostics.Deadlock> found = Diagnostics.findDeadlocks();
        assertTrue(found.size() <= 1, "more than one deadlock: " + found);
        return found.isEmpty() ? Set.of() : Set.copyOf(found.get(0).threads());
    }

    @Test
    void deadlockAmongVirtualThreadsIsFoundThoughTheJvmDoesNotSeeIt() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        CountDownLatch holding = new CountDownLatch(2);
        Thread v1 = holdThen(true, "v-1", holding, b::lockInterruptibly, a);
        Thread v2 = holdThen(true, "v-2", holding, a::lockInterruptibly, b);
        Diagnostics.ThreadWait w1 = awaitWait(v1, b);
        awaitWait(v2, a);
        assertEquals(Diagnostics.Kind.SINGLE, w1.kind());
        assertEquals(Arrays.asList(v2), w1.holders());
        List<Diagnostics.Deadlock> found = Diagnostics.findDeadlocks();
        assertEquals(1, found.size(), found.toString());
        Thread lower = v1.threadId() < v2.threadId() ? v1 : v2;
        assertEquals(lower, found.get(0).threads().get(0), "a cycle starts at its lowest thread id");
        assertEquals(Set.of(v1, v2), Set.copyOf(found.get(0).threads()));
        long[] jvm = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        assertTrue(jvm == null || Arrays.stream(jvm).noneMatch(id -> id == v1.threadId()),
                "the JVM does not see parked virtual threads");
        String report = Diagnostics.report();
        assertTrue(report.contains("Waitkit deadlock among 2 threads") && report.contains("v-1") && report.contains("v-2"), report);
    }

    @Test
    void mixedPlatformAndVirtualThreeThreadCycleIsFound() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        Mutex c = new Mutex();
        CountDownLatch holding = new CountDownLatch(3);
        Thread t1 = holdThen(false, "p-1", holding, b::lockInterruptibly, a);
        Thread t2 = holdThen(true, "v-2", holding, c::lockInterruptibly, b);
        Thread t3 = holdThen(true, "v-3", holding, a::lockInterruptibly, c);
        awaitWait(t1, b);
        awaitWait(t2, c);
        awaitWait(t3, a);
        assertEquals(Set.of(t1, t2, t3), deadlockedThreads());
    }

    @Test
    void waitAnyIsDescribedWithEachHolderAndIsNoDeadlockWhileOneWayIsOpen() throws Exception {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        Mutex c = new Mutex();
        Event e = Event.manualReset(false);
        c.lock(); // held by the test thread, which is running
        try {
            CountDownLatch holding = new CountDownLatch(2);
            Thread t1 = holdThen(true, "any", holding, () -> Wait.any(b, c, e), a);
            Thread t2 = holdThen(true, "blocker", holding, a::lockInterruptibly, b);
            Diagnostics.ThreadWait w = awaitWait(t1, b, c, e);
            awaitWait(t2, a);
            assertEquals(Diagnostics.Kind.ANY, w.kind());
            assertEquals(Arrays.asList(t2, Thread.currentThread(), null), w.holders());
            assertTrue(w.toString().contains("waits") && w.toString().contains("for any of Mutex["), w.toString());
            assertEquals(Set.of(), deadlockedThreads(), "c (held by a running thread) and e are ways out");
        } finally {
            c.unlock();
        }
    }

    @Test
    void waitAnyWhoseEveryObjectIsHeldByADeadlockedThreadIsADeadlock() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        Mutex c = new Mutex();
        CountDownLatch holding = new CountDownLatch(3);
        Thread t1 = holdThen(true, "any", holding, () -> Wait.any(b, c), a);
        Thread t2 = holdThen(true, "holds-b", holding, a::lockInterruptibly, b);
        Thread t3 = holdThen(true, "holds-c", holding, a::lockInterruptibly, c);
        awaitWait(t1, b, c);
        awaitWait(t2, a);
        awaitWait(t3, a);
        Set<Thread> cycle = deadlockedThreads();
        assertTrue(cycle.equals(Set.of(t1, t2)) || cycle.equals(Set.of(t1, t3)), cycle.toString());
    }

    @Test
    void waitAllThroughAHeldMutexIsADeadlock() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        Event e = Event.manualReset(true);
        CountDownLatch holding = new CountDownLatch(2);
        Thread t1 = holdThen(false, "all", holding, () -> Wait.all(e, b), a);
        Thread t2 = holdThen(true, "holds-b", holding, a::lockInterruptibly, b);
        Diagnostics.ThreadWait w = awaitWait(t1, e, b);
        awaitWait(t2, a);
        assertEquals(Diagnostics.Kind.ALL, w.kind());
        assertEquals(Set.of(t1, t2), deadlockedThreads());
    }

    @Test
    void chainWithoutACycleIsNotADeadlock() {
        Mutex a = new Mutex();
        Mutex b = new Mutex();
        Mutex c = new Mutex();
        c.lock();
        try {
            CountDownLatch holding = new CountDownLatch(2);
            Thread t1 = holdThen(true, "chain-1", holding, b::lockInterruptibly, a);
            Thread t2 = holdThen(true, "chain-2", holding, c::lockInterruptibly, b);
            awaitWait(t1, b);
            Diagnostics.ThreadWait w2 = awaitWait(t2, c);
            assertEquals(Arrays.asList(Thread.currentThread()), w2.holders());
            assertEquals(Set.of(), deadlockedThreads());
            assertTrue(Diagnostics.report().contains("No Waitkit deadlock found."));
        } finally {
            c.unlock();
        }
    }

    @Test
    void semaphoreAndReaderWaitsAreDescribed() throws Exception {
        Semaphore sem = new Semaphore(0, 1);
        RwLock rw = RwLock.preferWriters();
        rw.writeLock().lock();
        try {
            Thread s = start(true, "sem", sem::acquire);
            Thread r = start(false, "reader", () -> rw.readLock().lockInterruptibly());
            Diagnostics.ThreadWait ws = awaitWait(s, sem);
            assertEquals(Arrays.asList((Thread) null), ws.holders(), "a semaphore has no holder");
            Diagnostics.ThreadWait wr = awaitWait(r, rw.readLock());
            assertEquals(Arrays.asList(Thread.currentThread()), wr.holders(), "a reader waits for the writer");
            assertEquals(Set.of(), deadlockedThreads());
        } finally {
            rw.writeLock().unlock();
        }
    }

    @Test
    void aWaitIsListedOnlyWhileItIsParked() throws Exception {
        Mutex m = new Mutex();
        m.lock();
        Thread t = start(true, "short-wait", () -> {
            m.lockInterruptibly();
            m.unlock();
        });
        awaitWait(t, m);
        assertTrue(Diagnostics.waits().stream().anyMatch(w -> w.thread() == t));
        m.unlock();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(t.isAlive());
        assertTrue(Diagnostics.waitOf(t).isEmpty(), "the ended wait is gone");
        assertNull(Diagnostics.waitOf(Thread.currentThread()).orElse(null));
    }

    @Test
    void manyParkedThreadsAreEachListedOnceAndLeaveNoRecordWhenTheirWaitsEndInAnyOrder() throws Exception {
        // enough threads for every list of the registry to hold several, ended partly by
        // interrupt in the middle of those lists, partly by a timeout, and the rest by a set()
        int n = 1000;
        Event gate = Event.manualReset(false);
        Semaphore none = new Semaphore(0, 1);
        List<Thread> crowd = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            crowd.add(start(true, "crowd-" + i, gate::await));
        }
        Thread timed = start(true, "timed", () -> none.tryAcquire(200, TimeUnit.MILLISECONDS));
        for (Thread t : crowd) {
            awaitWait(t, gate);
        }
        List<Diagnostics.ThreadWait> all = Diagnostics.waits();
        for (Thread t : crowd) {
            assertEquals(1, all.stream().filter(w -> w.thread() == t).count(), t + " listed once");
        }
        for (int i = 1; i < n; i += 3) {
            crowd.get(i).interrupt();
        }
        for (int i = 1; i < n; i += 3) {
            crowd.get(i).join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(crowd.get(i).isAlive());
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i % 3 != 1, Diagnostics.waitOf(crowd.get(i)).isPresent(), crowd.get(i) + " listed while it waits only");
        }
        timed.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(timed.isAlive());
        assertTrue(Diagnostics.waitOf(timed).isEmpty(), "the timed-out wait is gone");
        gate.set();
        for (Thread t : crowd) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive());
        }
        Set<Thread> left = Set.copyOf(crowd);
        assertTrue(Diagnostics.waits().stream().noneMatch(w -> left.contains(w.thread())), "every ended wait is gone");
    }

    @Test
    void pendingAsyncWaitsAreListedUntilTheyCompleteOrAreCancelledAndBlockNoThread() throws Exception {
        Mutex m = new Mutex();
        Event e = Event.autoReset(false);
        m.lock();
        java.util.concurrent.CompletableFuture<Void> lock = m.lockAsync(); // for this thread: held already, so it completes
        assertTrue(lock.isDone(), "a mutex owned by the caller is acquired at once");
        m.unlock();
        Thread other = Thread.currentThread();
        var later = java.util.concurrent.CompletableFuture.supplyAsync(m::lockAsync,
                r -> Thread.ofPlatform().name("async-starter").start(r)).get(30, TimeUnit.SECONDS);
        java.util.concurrent.CompletableFuture<Integer> any = Wait.anyAsync(e, Event.manualReset(false));
        // other tests may leave async waits pending (unanswered requests): look at this test's objects only
        List<Diagnostics.ThreadWait> asyncWaits = Diagnostics.waits().stream().filter(Diagnostics.ThreadWait::async)
                .filter(w -> w.objects().contains(m) || w.objects().contains(e)).toList();
        assertEquals(2, asyncWaits.size(), asyncWaits.toString());
        Diagnostics.ThreadWait onMutex = asyncWaits.stream().filter(w -> w.objects().equals(List.of(m))).findFirst().orElseThrow();
        assertEquals("async-starter", onMutex.thread().getName());
        assertEquals(Arrays.asList(other), onMutex.holders());
        Diagnostics.ThreadWait onAny = asyncWaits.stream().filter(w -> w.kind() == Diagnostics.Kind.ANY).findFirst().orElseThrow();
        assertEquals(other, onAny.thread());
        assertTrue(onAny.toString().contains("started an async wait"), onAny.toString());
        assertTrue(Diagnostics.waitOf(other).isEmpty(), "an async wait blocks no thread");
        assertEquals(List.of(), Diagnostics.findDeadlocks());
        e.set();
        assertEquals(0, any.get(30, TimeUnit.SECONDS));
        assertTrue(later.cancel(false));
        m.unlock(); // released after the async acquisitions were settled: nothing pending
        assertTrue(Diagnostics.waits().stream().noneMatch(w -> w.async() && (w.objects().contains(m) || w.objects().contains(e))),
                "completed and cancelled async waits are gone: " + Diagnostics.waits());
    }

    @Test
    void aPendingAsyncWaitOnObjectsNobodyReferencesIsStillCollected() throws Exception {
        java.lang.ref.WeakReference<Event> ref = pendingOnForgottenEvent();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ref.get() != null) {
            assertTrue(System.nanoTime() - deadline < 0, "the registry keeps a forgotten async wait alive");
            System.gc();
            LockSupport.parkNanos(10_000_000L);
        }
    }

    private static java.lang.ref.WeakReference<Event> pendingOnForgottenEvent() {
        Event e = Event.autoReset(false);
        java.util.concurrent.CompletableFuture<Integer> f = Wait.anyAsync(e);
        assertFalse(f.isDone());
        assertTrue(Diagnostics.waits().stream().anyMatch(w -> w.async() && w.objects().contains(e)));
        return new java.lang.ref.WeakReference<>(e);
    }

    // ---- condition waits

    @Test
    void aThreadAwaitingAConditionIsShownWaitingForASignalOfItThenAfterTheSignalForTheMutexHeldByTheSignaller() throws Exception {
        Mutex m = new Mutex();
        java.util.concurrent.locks.Condition c = m.newCondition();
        Thread v = start(true, "cond-v", () -> {
            m.lock();
            try {
                c.await();
            } finally {
                m.unlock();
            }
        });
        Diagnostics.ThreadWait w = awaitWait(v, c);
        assertEquals(Diagnostics.Kind.CONDITION, w.kind());
        assertEquals(Arrays.asList((Thread) null), w.holders(), "nobody holds a condition");
        assertEquals(Arrays.asList((Diagnostics.Owner) null), w.owners());
        assertTrue(w.toString().startsWith("cond-v (#" + v.threadId() + ", virtual) waits ")
                && w.toString().contains(" for a signal of Condition[waiters=1, "), w.toString());
        m.lock();
        try {
            c.signal();
            // woken (registered or parked again in the mutex's queue): it waits for the mutex we hold
            Diagnostics.ThreadWait after = awaitWait(v, m);
            assertEquals(Diagnostics.Kind.SINGLE, after.kind());
            assertEquals(Arrays.asList(Thread.currentThread()), after.holders());
            assertEquals(ProcessHandle.current().pid(), after.owners().get(0).pid());
            assertEquals(Thread.currentThread().threadId(), after.owners().get(0).threadId());
        } finally {
            m.unlock();
        }
        v.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(v.isAlive());
        assertTrue(Diagnostics.waitOf(v).isEmpty());
    }

    @Test
    void aMonitorAwaitIsShownAsAWaitForTheMonitorAndEndsWithTheWait() throws Exception {
        Monitor mon = new Monitor();
        Thread p = start(false, "mon-p", () -> {
            mon.enter();
            try {
                mon.await(Duration.ofMinutes(5));
            } finally {
                mon.exit();
            }
        });
        Diagnostics.ThreadWait w = awaitWait(p, mon);
        assertEquals(Diagnostics.Kind.CONDITION, w.kind());
        assertTrue(Diagnostics.waits().stream().anyMatch(x -> x.thread() == p && x.objects().equals(List.of(mon))));
        assertTrue(Diagnostics.findDeadlocks().isEmpty(), "a wait for a signal is never counted as deadlocked");
        p.interrupt();
        p.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(p.isAlive());
        assertTrue(Diagnostics.waitOf(p).isEmpty(), "an interrupted condition wait leaves no record");
    }

    @Test
    void aSignalledWaiterThatCannotReacquireItsMutexIsPartOfTheDeadlock() {
        Mutex m = new Mutex();
        Mutex n = new Mutex();
        java.util.concurrent.locks.Condition c = m.newCondition();
        // a: holds n, awaits c (releasing m); b: takes m, signals a, then wants n (held by a), keeping m:
        // a, woken, needs m back: a cycle through a condition wait's re-acquisition
        Thread a = start(true, "cond-a", () -> {
            n.lock();
            try {
                m.lock();
                try {
                    c.awaitUninterruptibly();
                } finally {
                    m.unlock();
                }
            } finally {
                n.unlock();
            }
        });
        awaitWait(a, c);
        Thread b = start(false, "cond-b", () -> {
            m.lock();
            try {
                c.signal();
                n.lockInterruptibly();
                n.unlock();
            } finally {
                m.unlock();
            }
        });
        awaitWait(b, n);
        awaitWait(a, m);
        assertEquals(Set.of(a, b), deadlockedThreads());
        b.interrupt(); // b gives m up; a re-acquires it and ends
    }

    @Test
    void aTimedOutConditionWaitLeavesNoRecord() throws Exception {
        Mutex m = new Mutex();
        java.util.concurrent.locks.Condition c = m.newCondition();
        m.lock();
        try {
            assertFalse(c.await(1, TimeUnit.MILLISECONDS));
        } finally {
            m.unlock();
        }
        assertTrue(Diagnostics.waitOf(Thread.currentThread()).isEmpty(), "a timed-out wait leaves no record");
    }
}
