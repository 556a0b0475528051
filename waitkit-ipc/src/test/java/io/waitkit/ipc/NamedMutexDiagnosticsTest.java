package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Diagnostics;
import io.waitkit.Mutex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Named mutexes in {@link Diagnostics}' wait-for graph: a thread of this JVM waiting for a named
 * mutex shows the owner the mutex records (pid and thread id, and the thread when it is one of
 * this JVM), a cycle through named mutexes held by threads of this JVM is found, and a mutex
 * held by another process ends the chain here (named in the report, never a false deadlock).
 * Blocked threads wait interruptibly; each test interrupts and joins them, and kills its child.
 */
class NamedMutexDiagnosticsTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static final long SELF = ProcessHandle.current().pid();

    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void unblock() throws InterruptedException {
        stopAll();
    }

    /** Interrupts and joins every thread started (before a test closes what they wait for). */
    private void stopAll() throws InterruptedException {
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

    /** Locks {@code first}, waits until every such thread holds its lock, then runs {@code then}. */
    private Thread holdThen(boolean virtual, String name, CountDownLatch holding, Lock first, Body then) {
        Runnable r = () -> {
            first.lock();
            try {
                holding.countDown();
                holding.await();
                then.run();
            } catch (InterruptedException e) {
                // the test unblocks its threads this way
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                first.unlock();
            }
        };
        Thread t = virtual ? Thread.ofVirtual().name(name).unstarted(r) : Thread.ofPlatform().daemon().name(name).unstarted(r);
        started.add(t);
        t.start();
        return t;
    }

    /** Waits (bounded) until {@code t} is parked in a wait that matches. */
    private static Diagnostics.ThreadWait awaitWait(Thread t, Predicate<Diagnostics.ThreadWait> match, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (;;) {
            Optional<Diagnostics.ThreadWait> w = Diagnostics.waitOf(t);
            if (w.isPresent() && match.test(w.get())) {
                return w.get();
            }
            assertTrue(System.nanoTime() - deadline < 0, t + " did not park " + what + ": " + w);
            LockSupport.parkNanos(1_000_000L);
        }
    }

    private static Predicate<Diagnostics.ThreadWait> forNamed(String name) {
        return w -> w.objects().size() == 1 && w.objects().get(0).toString().startsWith("NamedMutex[" + name + ", ");
    }

    @Test
    void aWaitForANamedMutexHeldHereShowsTheOwnerThreadWithThisPid() throws Exception {
        String name = TempNamespace.fresh("diag-held-here");
        try (NamedMutex m = temp.ns.mutex(name)) {
            m.lock();
            try {
                CountDownLatch none = new CountDownLatch(0);
                Thread v = holdThen(true, "named-waiter", none, new Mutex(), () -> {
                    m.lockInterruptibly();
                    m.unlock();
                });
                Diagnostics.ThreadWait w = awaitWait(v, forNamed(name), "for " + name);
                assertEquals(Diagnostics.Kind.SINGLE, w.kind());
                assertEquals(Arrays.asList(Thread.currentThread()), w.holders());
                Diagnostics.Owner o = w.owners().get(0);
                assertEquals(new Diagnostics.Owner(SELF, Thread.currentThread().threadId(), Thread.currentThread()), o);
                assertTrue(o.inThisProcess());
                assertTrue(w.toString().contains("NamedMutex[" + name + ", held (holds=1)] held by "
                        + Thread.currentThread().getName()), w.toString());
                assertTrue(Diagnostics.findDeadlocks().isEmpty(), "the holder is not waiting: no cycle");
            } finally {
                m.unlock();
            }
            stopAll();
        }
    }

    @Test
    void aCycleThroughANamedMutexAndAMutexAmongThreadsOfThisJvmIsFound() throws Exception {
        String name = TempNamespace.fresh("diag-cycle-mixed");
        try (NamedMutex a = temp.ns.mutex(name)) {
            Mutex b = new Mutex();
            CountDownLatch holding = new CountDownLatch(2);
            Thread p = holdThen(false, "holds-named", holding, a, b::lockInterruptibly);
            Thread v = holdThen(true, "holds-mutex", holding, b, a::lockInterruptibly);
            awaitWait(p, w -> w.objects().equals(List.of(b)), "for the mutex");
            Diagnostics.ThreadWait wv = awaitWait(v, forNamed(name), "for " + name);
            assertEquals(Arrays.asList(p), wv.holders(), "the named mutex's owner, resolved to the thread of this JVM");
            assertEquals(p.threadId(), wv.owners().get(0).threadId());
            List<Diagnostics.Deadlock> found = Diagnostics.findDeadlocks();
            assertEquals(1, found.size(), found.toString());
            assertEquals(Set.of(p, v), Set.copyOf(found.get(0).threads()));
            String report = Diagnostics.report();
            assertTrue(report.contains("Waitkit deadlock among 2 threads") && report.contains("NamedMutex[" + name), report);
            stopAll();
        }
    }

    @Test
    void aCycleThroughTwoNamedMutexesOpenedByTwoHandlesIsFound() throws Exception {
        String n1 = TempNamespace.fresh("diag-cycle-1");
        String n2 = TempNamespace.fresh("diag-cycle-2");
        try (NamedMutex a = temp.ns.mutex(n1); NamedMutex b = temp.ns.mutex(n2);
                NamedMutex a2 = temp.ns.openExisting(n1, NamedMutex.class)) {
            CountDownLatch holding = new CountDownLatch(2);
            Thread t1 = holdThen(true, "named-1", holding, a, b::lockInterruptibly);
            Thread t2 = holdThen(true, "named-2", holding, b, a2::lockInterruptibly);
            awaitWait(t1, forNamed(n2), "for " + n2);
            awaitWait(t2, forNamed(n1), "for " + n1);
            List<Diagnostics.Deadlock> found = Diagnostics.findDeadlocks();
            assertEquals(1, found.size(), found.toString());
            assertEquals(Set.of(t1, t2), Set.copyOf(found.get(0).threads()));
            stopAll();
        }
    }

    @Test
    void aNamedMutexHeldByAnotherProcessNamesItsPidAndThreadEndsTheChainAndTheReportSaysWhatItCannotSee()
            throws Exception {
        String name = TempNamespace.fresh("diag-remote");
        try (NamedMutex m = temp.ns.mutex(name);
                ChildJvm child = ChildJvm.start("hold-mutex", temp.dir.toString(), name)) {
            String[] locked = child.awaitLine("LOCKED", ChildJvm.START_TIMEOUT).split(" ");
            assertEquals(String.valueOf(child.pid()), locked[1], child::describe);
            long childThread = Long.parseLong(locked[2]);
            Mutex mine = new Mutex();
            CountDownLatch none = new CountDownLatch(0);
            Thread t = holdThen(false, "waits-remote", none, mine, m::lockInterruptibly);
            Diagnostics.ThreadWait w = awaitWait(t, forNamed(name), "for " + name);
            Diagnostics.Owner o = w.owners().get(0);
            assertEquals(new Diagnostics.Owner(child.pid(), childThread, null), o);
            assertFalse(o.inThisProcess());
            assertNull(w.holders().get(0), "no thread of this JVM holds it");
            assertTrue(w.toString().endsWith(" held by thread #" + childThread + " of process " + child.pid()), w.toString());
            // a thread of this JVM waiting for what t holds: a chain, not a cycle that this process can see
            Thread behind = holdThen(true, "behind", none, new Mutex(), mine::lockInterruptibly);
            awaitWait(behind, x -> x.objects().equals(List.of(mine)), "for t's mutex");
            assertTrue(Diagnostics.findDeadlocks().isEmpty(), "the chain ends in another process");
            String report = Diagnostics.report();
            assertTrue(report.contains("No Waitkit deadlock found.")
                    && report.contains("Not visible from process " + SELF + ": what thread #" + childThread
                            + " of process " + child.pid() + " waits for"), report);
            stopAll(); // before the child dies: t would take the abandoned mutex over
        }
    }

    @Test
    void anAbandonedNamedMutexHasNoOwner() throws Exception {
        String name = TempNamespace.fresh("diag-abandoned");
        try (NamedMutex m = temp.ns.mutex(name);
                ChildJvm child = ChildJvm.start("hold-mutex", temp.dir.toString(), name)) {
            child.awaitLine("LOCKED", ChildJvm.START_TIMEOUT);
            child.kill();
            assertTrue(m.isAbandoned());
            io.waitkit.internal.RecordedOwner proxy = (io.waitkit.internal.RecordedOwner) m.proxy();
            assertNull(proxy.recordedOwner(), "its owner is dead");
            try {
                m.lock();
            } catch (io.waitkit.AbandonedMutexException e) {
                // expected: taken over
            }
            assertEquals(new Diagnostics.Owner(SELF, Thread.currentThread().threadId(), Thread.currentThread()),
                    proxy.recordedOwner());
            m.unlock();
            assertNull(proxy.recordedOwner(), "free");
        }
    }

    @Test
    void singleWaitsOnANamedSemaphoreAndEventNameThemAndAWaitAnyOnHandlesFindsTheNamedMutexOwner() throws Exception {
        String sn = TempNamespace.fresh("diag-sem");
        String en = TempNamespace.fresh("diag-event");
        String mn = TempNamespace.fresh("diag-any-mutex");
        try (NamedSemaphore sem = temp.ns.semaphore(sn, 0, 4); NamedEvent ev = temp.ns.event(en, true, false);
                NamedMutex m = temp.ns.mutex(mn)) {
            m.lock();
            try {
                CountDownLatch none = new CountDownLatch(0);
                Thread s1 = holdThen(true, "sem-waiter", none, new Mutex(), sem::acquire);
                Thread any = holdThen(false, "any-waiter", none, new Mutex(), () -> io.waitkit.Wait.any(ev, m));
                Diagnostics.ThreadWait ws = awaitWait(s1, w -> w.toString().endsWith(" for NamedSemaphore[" + sn + ", 0/4]"),
                        "for the semaphore");
                assertEquals(Arrays.asList((Diagnostics.Owner) null), ws.owners(), "a semaphore has no owner");
                Diagnostics.ThreadWait wa = awaitWait(any, w -> w.kind() == Diagnostics.Kind.ANY, "in a wait-any");
                assertEquals(List.of(ev, m), wa.objects(), "a wait-any lists the handles it was given");
                assertEquals(Arrays.asList(null, Thread.currentThread()), wa.holders());
                assertTrue(wa.toString().endsWith("for any of NamedEvent[" + en + ", manual-reset, not signaled] or NamedMutex["
                        + mn + ", held (holds=1), pid " + SELF + "] held by " + Thread.currentThread().getName() + " (#"
                        + Thread.currentThread().threadId() + ")"), wa.toString());
                stopAll();
            } finally {
                m.unlock();
            }
        }
    }
}
