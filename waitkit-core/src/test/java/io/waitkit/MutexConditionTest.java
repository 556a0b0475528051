package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Mutex#newCondition()} with the semantics of {@code ReentrantLock}'s conditions and the
 * decision for timed-out monitor waits (docs/semantics.md#decisions: the Java convention,
 * re-acquire before returning): await releases every hold and re-acquires them all before
 * returning, whatever the outcome (signal, timeout, interrupt); signal wakes one waiter in FIFO
 * order, signalAll every waiter; a signal with nobody waiting is lost; every method requires the
 * mutex.
 */
class MutexConditionTest {
    private static final long LONG_SECONDS = Threads.BOUND.toSeconds();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void everyMethodWithoutTheMutexThrowsIllegalMonitorState() {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        assertThrows(IllegalMonitorStateException.class, c::await);
        assertThrows(IllegalMonitorStateException.class, c::awaitUninterruptibly);
        assertThrows(IllegalMonitorStateException.class, () -> c.await(1, TimeUnit.SECONDS));
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitNanos(1_000L));
        assertThrows(IllegalMonitorStateException.class, () -> c.awaitUntil(new Date()));
        assertThrows(IllegalMonitorStateException.class, c::signal);
        assertThrows(IllegalMonitorStateException.class, c::signalAll);
        assertNull(m.owner());
        m.lock();
        c.signal(); // fine with the mutex, even with nobody waiting
        m.unlock();
    }

    @Test
    void methodsCalledWhileAnotherThreadOwnsTheMutexThrowIllegalMonitorState() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        Forked.run("intruder", () -> {
            assertThrows(IllegalMonitorStateException.class, c::await);
            assertThrows(IllegalMonitorStateException.class, c::signal);
            assertThrows(IllegalMonitorStateException.class, c::signalAll);
        }).join();
        assertEquals(1, m.holdCount());
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
    }

    @Test
    void awaitReleasesEveryHoldAndReacquiresThemAllBeforeReturning() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        Forked<Integer> waiter = Forked.call("waiter", () -> {
            m.lock();
            m.lock();
            m.lock();
            c.await();
            int holds = m.holdCount();
            m.unlock();
            m.unlock();
            m.unlock();
            return holds;
        });
        Threads.awaitCondition(() -> m.owner() == null && waiter.thread().getState() == Thread.State.WAITING,
                "the waiter did not release the mutex in await");
        assertTrue(m.tryLock(), "all three holds were released");
        c.signal();
        Threads.awaitBlocked(waiter.thread()); // now waiting for the mutex
        assertFalse(waiter.isDone(), "a signalled waiter returns only once it has the mutex again");
        m.unlock();
        assertEquals(3, waiter.join());
        assertNull(m.owner());
    }

    @Test
    void signalWakesOneWaiterInArrivalOrderAndSignalAllWakesTheRest() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        Forked<?>[] waiters = new Forked<?>[3];
        for (int i = 0; i < waiters.length; i++) {
            waiters[i] = Forked.run("waiter-" + i, () -> {
                m.lock();
                try {
                    c.await();
                } finally {
                    m.unlock();
                }
            });
            Threads.awaitBlocked(waiters[i].thread());
        }
        m.lock();
        c.signal();
        m.unlock();
        waiters[0].join();
        assertFalse(waiters[1].isDone());
        assertFalse(waiters[2].isDone());
        m.lock();
        c.signalAll();
        m.unlock();
        waiters[1].join();
        waiters[2].join();
    }

    @Test
    void aSignalWithNobodyWaitingIsLost() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        c.signal();
        c.signalAll();
        long t0 = System.nanoTime();
        assertFalse(c.await(30, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(30), "timed out early");
        assertEquals(1, m.holdCount());
        m.unlock();
    }

    @Test
    void timedOutAwaitReacquiresTheMutexWithTheSameHoldCountBeforeReturning() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        CountDownLatch waiting = new CountDownLatch(1);
        Forked<Integer> waiter = Forked.call("waiter", () -> {
            m.lock();
            m.lock();
            waiting.countDown();
            boolean signalled = c.await(30, TimeUnit.MILLISECONDS);
            assertFalse(signalled);
            assertTrue(m.isHeldByCurrentThread(), "re-acquired before returning");
            int holds = m.holdCount();
            m.unlock();
            m.unlock();
            return holds;
        });
        assertTrue(waiting.await(LONG_SECONDS, TimeUnit.SECONDS));
        m.lock(); // taken while the waiter sleeps in await: the timeout expires while we hold it
        Threads.awaitCondition(() -> waiter.thread().getState() == Thread.State.WAITING
                && java.util.concurrent.locks.LockSupport.getBlocker(waiter.thread()) instanceof io.waitkit.internal.OwnerBlocker b
                && b.lock() == m, // a blocked thread parks on the mutex's owner view for the JVM's tools
                "the timed-out waiter did not start re-acquiring the mutex");
        assertFalse(waiter.isDone(), "a timed-out waiter cannot return before it has the mutex again");
        m.unlock();
        assertEquals(2, waiter.join());
    }

    @Test
    void awaitNanosReportsTheTimeLeft() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        assertTrue(c.awaitNanos(TimeUnit.MILLISECONDS.toNanos(20)) <= 0, "timed out: nothing left");
        Forked<Long> waiter = Forked.call("waiter", () -> {
            m.lock();
            try {
                return c.awaitNanos(TimeUnit.SECONDS.toNanos(LONG_SECONDS));
            } finally {
                m.unlock();
            }
        });
        m.unlock();
        Threads.awaitBlocked(waiter.thread());
        m.lock();
        c.signal();
        m.unlock();
        assertTrue(waiter.join() > 0, "signalled early: time left");
    }

    @Test
    void awaitUntilAPastDateTimesOutAtOnceAndKeepsTheMutex() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        assertFalse(c.awaitUntil(new Date(System.currentTimeMillis() - 1_000)));
        assertTrue(m.isHeldByCurrentThread());
        m.unlock();
    }

    @Test
    void interruptWhileAwaitingThrowsAfterReacquiringTheMutex() {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        Forked<Integer> waiter = Forked.call("waiter", () -> {
            m.lock();
            m.lock();
            try {
                c.await();
                return -1;
            } catch (InterruptedException e) {
                assertTrue(m.isHeldByCurrentThread(), "the mutex is held when InterruptedException is thrown");
                return m.holdCount();
            } finally {
                while (m.isHeldByCurrentThread()) {
                    m.unlock();
                }
            }
        });
        Threads.awaitBlocked(waiter.thread());
        waiter.interrupt();
        assertEquals(2, waiter.join());
        assertNull(m.owner());
        m.lock();
        c.signal(); // the interrupted waiter left the condition's queue: nothing to wake
        m.unlock();
    }

    @Test
    void interruptBeforeAwaitThrowsWithoutReleasingTheMutex() {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        m.lock();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, c::await);
        assertTrue(m.isHeldByCurrentThread());
        assertEquals(1, m.holdCount());
        m.unlock();
    }

    @Test
    void awaitUninterruptiblyIgnoresInterruptsAndReassertsTheStatus() throws InterruptedException {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        Forked<Boolean> waiter = Forked.call("waiter", () -> {
            m.lock();
            try {
                c.awaitUninterruptibly();
                return Thread.currentThread().isInterrupted();
            } finally {
                m.unlock();
            }
        });
        Threads.awaitBlocked(waiter.thread());
        waiter.interrupt();
        Threads.awaitBlocked(waiter.thread());
        assertFalse(waiter.isDone());
        m.lock();
        c.signal();
        m.unlock();
        assertTrue(waiter.join());
    }

    @Test
    void conditionsOfOneMutexAreIndependent() throws InterruptedException {
        Mutex m = new Mutex();
        Condition notEmpty = m.newCondition();
        Condition notFull = m.newCondition();
        Forked<Boolean> waiter = Forked.call("waiter", () -> {
            m.lock();
            try {
                return notEmpty.await(LONG_SECONDS, TimeUnit.SECONDS);
            } finally {
                m.unlock();
            }
        });
        Threads.awaitBlocked(waiter.thread());
        m.lock();
        notFull.signalAll();
        m.unlock();
        Threads.awaitBlocked(waiter.thread());
        assertFalse(waiter.isDone(), "a signal on another condition does not wake it");
        m.lock();
        notEmpty.signal();
        m.unlock();
        assertTrue(waiter.join());
    }

    @Test
    void signalOwnerThatDiesHoldingTheMutexMakesTheAwaitReportAbandonment() {
        Mutex m = new Mutex();
        Condition c = m.newCondition();
        Forked<Boolean> waiter = Forked.call("waiter", () -> {
            m.lock();
            try {
                c.await();
                return false;
            } catch (AbandonedMutexException e) {
                assertTrue(m.isHeldByCurrentThread(), "ownership taken before the report");
                return true;
            } finally {
                m.unlock();
            }
        });
        Threads.awaitBlocked(waiter.thread());
        Forked.run("signaller-dies", () -> {
            m.lock();
            c.signal();
            // terminates holding the mutex
        }).join();
        assertTrue(waiter.join());
        assertNull(m.owner());
        assertFalse(m.isAbandoned());
    }
}
