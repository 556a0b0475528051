package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of a monitor with Mesa semantics, after the ao kernel's {@code monitor} and
 * docs/semantics.md#decisions: entering is locking a recursive mutex; a wait, made inside, releases
 * every hold, waits for a signal and re-enters with the same hold count before it returns, also
 * when it times out or is interrupted (the decision for monitor waits); a signal wakes the
 * longest-waiting thread, {@code signalAll} every waiting thread, and a signal with nobody waiting
 * is lost; monitors sharing one mutex have separate condition queues; a re-entry that takes over an
 * abandoned mutex reports it with the monitor entered.
 *
 * <p>A backend extends this class and implements the two factories.
 */
public abstract class MonitorContract extends ContractBase {
    /**
     * Creates a monitor with a mutex of its own.
     *
     * @return the monitor, free
     */
    protected abstract MonitorUnderTest newMonitor();

    /**
     * Creates a second monitor over the mutex of {@code other} (another condition of the same
     * lock).
     *
     * @param other a monitor of this backend
     * @return the new monitor
     */
    protected abstract MonitorUnderTest newMonitorSharingTheMutexOf(MonitorUnderTest other);

    /** Starts a thread that enters, waits (bounded) for a signal, and exits; returns the wait's result. */
    private Forked<Boolean> waiter(MonitorUnderTest m, String name) {
        return blockedCall(name, () -> {
            m.enter();
            try {
                return m.await(LONG);
            } finally {
                m.exit();
            }
        });
    }

    /** Enters, signals and exits on the calling thread. */
    private static void signalFromInside(MonitorUnderTest m, boolean all) {
        m.enter();
        try {
            if (all) {
                m.signalAll();
            } else {
                m.signal();
            }
        } finally {
            m.exit();
        }
    }

    // ---------------------------------------------------------------- entering

    @Test
    public void enteringIsRecursiveAndEachExitLeavesOneHold() throws InterruptedException {
        MonitorUnderTest m = newMonitor();
        assertFalse(m.isEntered());
        m.enter();
        assertTrue(m.tryEnter());
        assertTrue(m.enter(Duration.ZERO));
        m.enterInterruptibly();
        assertTrue(m.isEntered());
        assertEquals(4, m.mutex().holdCount());
        for (int holds = 3; holds >= 0; holds--) {
            m.exit();
            assertEquals(holds, m.mutex().holdCount());
        }
        assertFalse(m.isEntered());
        assertThrows(IllegalMonitorStateException.class, m::exit);
    }

    @Test
    public void entryPollsFailWhileAnotherThreadIsInsideAndATimedEntryIsNeverEarly() throws InterruptedException {
        MonitorUnderTest m = newMonitor();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Forked<Void> other = Forked.run("other", () -> {
            m.enter();
            inside.countDown();
            leave.await();
            m.exit();
        });
        await(inside);
        assertFalse(m.tryEnter());
        assertFalse(m.enter(Duration.ZERO));
        long t0 = System.nanoTime();
        assertFalse(m.enter(SHORT));
        assertNeverEarly(t0, SHORT);
        assertFalse(m.isEntered());
        leave.countDown();
        other.join();
        assertTrue(m.tryEnter());
        m.exit();
    }

    @Test
    public void waitsAndSignalsOutsideAndNullTimeoutsInsideAreRejectedAndChangeNothing() {
        MonitorUnderTest m = newMonitor();
        assertThrows(IllegalMonitorStateException.class, () -> m.await(LONG));
        assertThrows(IllegalMonitorStateException.class, m::signal);
        assertThrows(IllegalMonitorStateException.class, m::signalAll);
        m.enter();
        assertThrows(NullPointerException.class, () -> m.await((Duration) null));
        assertThrows(NullPointerException.class, () -> m.await((Deadline) null));
        assertTrue(m.isEntered(), "still inside");
        assertEquals(1, m.mutex().holdCount());
        m.exit();
        assertFalse(m.isEntered());
    }

    // ---------------------------------------------------------------- waiting and signalling

    @Test
    public void waitReleasesEveryHoldAndReturnsWithTheSameHoldCount() {
        MonitorUnderTest m = newMonitor();
        Forked<Integer> w = blockedCall("waiter", () -> {
            m.enter();
            m.enter();
            boolean signalled = m.await(LONG);
            int holds = m.mutex().holdCount();
            m.exit();
            m.exit();
            return signalled ? holds : -1;
        });
        assertTrue(m.tryEnter(), "the waiter released both holds");
        m.signal();
        m.exit();
        assertEquals(2, w.join());
    }

    @Test
    public void signalWakesTheLongestWaitingThreadOnly() {
        MonitorUnderTest m = newMonitor();
        Forked<Boolean> first = waiter(m, "first");
        Forked<Boolean> second = waiter(m, "second");
        signalFromInside(m, false);
        assertTrue(first.join());
        awaitBlocked(second.thread());
        assertFalse(second.isDone());
        signalFromInside(m, false);
        assertTrue(second.join());
    }

    @Test
    public void signalAllWakesEveryWaiterAndEachReentersAlone() {
        MonitorUnderTest m = newMonitor();
        AtomicInteger inside = new AtomicInteger();
        List<Forked<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(blockedCall("waiter-" + i, () -> {
                m.enter();
                try {
                    boolean signalled = m.await(LONG);
                    boolean alone = inside.incrementAndGet() == 1;
                    Thread.yield();
                    inside.decrementAndGet();
                    return signalled && alone;
                } finally {
                    m.exit();
                }
            }));
        }
        signalFromInside(m, true);
        for (Forked<Boolean> w : waiters) {
            assertTrue(w.join(), "signalled, and alone inside after re-entering");
        }
    }

    @Test
    public void signalWithNobodyWaitingIsLostAndATimedOutWaitReturnsInsideWithItsHolds() throws InterruptedException {
        MonitorUnderTest m = newMonitor();
        m.enter();
        m.enter();
        m.signal();
        m.signalAll();
        long t0 = System.nanoTime();
        assertFalse(m.await(SHORT), "the signals before the wait were lost");
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertFalse(m.await(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertTrue(m.isEntered());
        assertEquals(2, m.mutex().holdCount());
        m.exit();
        m.exit();
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptedWaitThrowsInsideTheMonitorAndTheNextSignalGoesToTheNextWaiter() {
        MonitorUnderTest m = newMonitor();
        Forked<Boolean> interrupted = blockedCall("interrupted", () -> {
            m.enter();
            try {
                m.await();
                return false;
            } catch (InterruptedException e) {
                return m.isEntered() && m.mutex().holdCount() == 1;
            } finally {
                m.exit();
            }
        });
        Forked<Boolean> next = waiter(m, "next");
        interrupted.interrupt();
        assertTrue(interrupted.join(), "InterruptedException thrown inside the monitor");
        signalFromInside(m, false);
        assertTrue(next.join());
    }

    @Test
    public void awaitUninterruptiblyIgnoresInterruptsAndReassertsTheStatus() {
        MonitorUnderTest m = newMonitor();
        Forked<Boolean> w = blockedCall("waiter", () -> {
            m.enter();
            try {
                m.awaitUninterruptibly();
                return Thread.currentThread().isInterrupted() && m.isEntered();
            } finally {
                m.exit();
            }
        });
        w.interrupt();
        awaitBlocked(w.thread());
        assertFalse(w.isDone());
        signalFromInside(m, false);
        assertTrue(w.join());
    }

    // ---------------------------------------------------------------- shared mutex

    @Test
    public void monitorsSharingAMutexAreOneLockWithSeparateConditionQueues() {
        MonitorUnderTest notEmpty = newMonitor();
        MonitorUnderTest notFull = newMonitorSharingTheMutexOf(notEmpty);
        notEmpty.enter();
        assertTrue(notFull.isEntered(), "entering one enters the other: one lock");
        notEmpty.exit();
        Forked<Boolean> w = waiter(notFull, "waits-on-notFull");
        signalFromInside(notEmpty, true);
        awaitBlocked(w.thread());
        assertFalse(w.isDone(), "a signal of the other condition does not wake it");
        signalFromInside(notFull, false);
        assertTrue(w.join());
    }

    @Test
    public void boundedBufferOverTwoMonitorsMovesEveryItemOnceInOrder() {
        MonitorUnderTest notEmpty = newMonitor();
        MonitorUnderTest notFull = newMonitorSharingTheMutexOf(notEmpty);
        ArrayDeque<Integer> buffer = new ArrayDeque<>();
        int items = 300;
        Forked<Void> producer = Forked.run("producer", () -> {
            for (int i = 0; i < items; i++) {
                notFull.enter();
                try {
                    while (buffer.size() == 2) {
                        notFull.await();
                    }
                    buffer.addLast(i);
                    notEmpty.signal();
                } finally {
                    notFull.exit();
                }
            }
        });
        Forked<List<Integer>> consumer = Forked.call("consumer", () -> {
            List<Integer> got = new ArrayList<>();
            while (got.size() < items) {
                notEmpty.enter();
                try {
                    while (buffer.isEmpty()) {
                        notEmpty.await();
                    }
                    got.add(buffer.removeFirst());
                    notFull.signal();
                } finally {
                    notEmpty.exit();
                }
            }
            return got;
        });
        producer.join();
        List<Integer> got = consumer.join();
        for (int i = 0; i < items; i++) {
            assertEquals(i, got.get(i));
        }
    }

    // ---------------------------------------------------------------- wait-any and abandonment

    @Test
    public void waitAnyEntersTheMonitorThroughItsMutex() {
        EventUnderTest other = newCompanionEvent(false);
        MonitorUnderTest m = newMonitor();
        m.enter();
        Forked<Boolean> w = blockedCall("any", () -> {
            int i = Wait.any(LONG, other.waitable(), m.mutex().waitable());
            boolean entered = m.isEntered();
            m.exit();
            return i == 1 && entered;
        });
        m.exit();
        assertTrue(w.join(), "index 1, inside the monitor");
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void reentryThatTakesOverAnAbandonedMutexReportsItWithTheMonitorEntered() {
        MonitorUnderTest m = newMonitor();
        Forked<Boolean> w = blockedCall("waiter", () -> {
            m.enter();
            try {
                m.await(LONG);
                return false;
            } catch (AbandonedMutexException e) {
                return m.isEntered() && m.mutex().holdCount() == 1;
            } finally {
                m.exit();
            }
        });
        Forked.run("dies-inside", () -> {
            m.enter();
            m.signal();
        }).join();
        assertTrue(w.join(), "AbandonedMutexException, inside the monitor");
        assertEquals(0, m.mutex().holdCount());
        assertTrue(m.tryEnter(), "usable after the takeover");
        m.exit();
    }
}
