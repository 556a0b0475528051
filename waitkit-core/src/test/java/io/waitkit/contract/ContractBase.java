package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Event;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;

/**
 * What the contract suites share: the time constants, the hooks a backend may override
 * (how to tell that a thread is blocked, how to make a mutex's owner die, how an abandoned
 * mutex is reported, which object to mix into wait-any / wait-all tests), assertions on
 * timing that never assert speed, and bounded helpers for futures and blocked threads.
 *
 * <p>The default hooks fit any backend whose waits park the calling thread with
 * {@link java.util.concurrent.locks.LockSupport} and whose mutex owners are threads of this
 * JVM. A cross-process backend overrides {@link #ownOnDoomedThread} to own the mutex from a
 * child process and kill it, and {@link #awaitBlocked} if its threads block in native code.
 */
public abstract class ContractBase {
    /** A timeout that is expected to elapse: short, to keep the suite fast. */
    protected static final Duration SHORT = Duration.ofMillis(50);
    /** A timeout that is never expected to elapse: generous, for loaded machines. */
    protected static final Duration LONG = Threads.BOUND;

    /**
     * Waits until {@code t} is queued and parked in a wait on some object.
     *
     * @param t the thread
     */
    protected void awaitBlocked(Thread t) {
        Threads.awaitBlocked(t);
    }

    /**
     * Starts {@code body} on a new thread and waits until it is blocked (see
     * {@link #awaitBlocked}).
     *
     * @param name the thread name
     * @param body the body
     * @param <T> the result type
     * @return the handle of the blocked thread
     */
    protected <T> Forked<T> blockedCall(String name, Callable<T> body) {
        Forked<T> f = Forked.call(name, body);
        awaitBlocked(f.thread());
        return f;
    }

    /**
     * Starts {@code body} on a new thread and waits until it is blocked (see
     * {@link #awaitBlocked}).
     *
     * @param name the thread name
     * @param body the body
     * @return the handle of the blocked thread
     */
    protected Forked<Void> blockedRun(String name, Forked.Body body) {
        Forked<Void> f = Forked.run(name, body);
        awaitBlocked(f.thread());
        return f;
    }

    /**
     * Creates an auto-reset event to mix with the object under test in wait-any and wait-all
     * checks (index reporting, "nothing taken unless reported"). The default is an in-process
     * event; a backend whose objects cannot share a wait with in-process ones overrides this
     * with an event of its own.
     *
     * @param signaled the initial state
     * @return the event
     */
    protected EventUnderTest newCompanionEvent(boolean signaled) {
        return InProcess.event(Event.autoReset(signaled));
    }

    /**
     * The longest time a thread already blocked on a mutex may take to learn that the owner died
     * (docs/semantics.md#abandonment: 100 ms).
     *
     * @return the bound
     */
    protected Duration abandonmentDetectionBound() {
        return Duration.ofMillis(100);
    }

    /** An owner of a mutex that holds it until told to die, then dies holding it. */
    public interface DoomedOwner {
        /**
         * Makes the owner terminate while holding the mutex, and waits until it has.
         *
         * @return a {@link System#nanoTime()} reading taken just before the owner died (so the
         *         time from it to a waiter's wake-up is at least the real detection latency)
         */
        long die();
    }

    /**
     * Acquires {@code m} {@code holds} times on a new owner that will die holding it.
     *
     * @param m the mutex
     * @param holds how many times to acquire it
     * @return the owner
     */
    protected DoomedOwner ownOnDoomedThread(MutexUnderTest m, int holds) {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        AtomicLong deathTime = new AtomicLong();
        Forked<Void> owner = Forked.run("doomed-owner", () -> {
            for (int i = 0; i < holds; i++) {
                m.lock();
            }
            locked.countDown();
            die.await();
            deathTime.set(System.nanoTime());
        });
        await(locked);
        return () -> {
            die.countDown();
            owner.join();
            return deathTime.get();
        };
    }

    /**
     * Makes {@code m} abandoned: an owner acquires it once and dies holding it.
     *
     * @param m the mutex
     */
    protected void abandon(MutexUnderTest m) {
        ownOnDoomedThread(m, 1).die();
        assertTrue(m.isAbandoned(), "mutex not abandoned after its owner died");
    }

    /** A mutex held by another live thread until closed. */
    public interface OtherOwner extends AutoCloseable {
        /**
         * The owning thread.
         *
         * @return the thread
         */
        Thread thread();

        /** Releases the mutex on the owning thread and waits until that thread finished. */
        @Override
        void close();
    }

    /**
     * Makes another thread of this JVM own {@code m} (once) until the returned handle is closed.
     *
     * @param m the mutex
     * @return the handle; closing it releases the mutex
     */
    protected OtherOwner holdElsewhere(MutexUnderTest m) {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Forked<Void> owner = Forked.run("other-owner", () -> {
            m.lock();
            locked.countDown();
            release.await();
            m.unlock();
        });
        await(locked);
        return new OtherOwner() {
            @Override
            public Thread thread() {
                return owner.thread();
            }

            @Override
            public void close() {
                release.countDown();
                owner.join();
            }
        };
    }

    /**
     * Checks that an {@link AbandonedMutexException} names the mutex that was taken over.
     *
     * @param m the mutex
     * @param e the exception
     */
    protected void assertReportsMutex(MutexUnderTest m, AbandonedMutexException e) {
        assertSame(m.waitable(), e.object(), "the exception must name the abandoned mutex");
    }

    /**
     * Asserts that at least {@code timeout} elapsed since {@code t0} (a wait never times out
     * early).
     *
     * @param t0 a {@link System#nanoTime()} reading taken before the wait started
     * @param timeout the timeout of the wait
     */
    protected static void assertNeverEarly(long t0, Duration timeout) {
        long elapsed = System.nanoTime() - t0;
        assertTrue(elapsed >= timeout.toNanos(), "timed out early: after " + elapsed / 1e6 + " ms, timeout " + timeout);
    }

    /**
     * Asserts that a waiter learnt of a death within the bound.
     *
     * @param died the reading before the owner died
     * @param learnt the reading when the waiter had acquired
     */
    protected void assertWithinDetectionBound(long died, long learnt) {
        assertTrue(learnt != 0L, "acquisition time not recorded");
        double ms = (learnt - died) / 1e6;
        assertTrue(ms < abandonmentDetectionBound().toNanos() / 1e6,
                "the waiter learnt of the owner's death after " + ms + " ms; bound " + abandonmentDetectionBound()
                        + " (" + Threads.machineLoad() + ")");
    }

    /**
     * Awaits a latch for at most {@link Threads#BOUND}.
     *
     * @param latch the latch
     */
    protected static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(Threads.BOUND.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
                    "latch not released within " + Threads.BOUND);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Asserts that {@code f} completed normally (already, without waiting) and returns its
     * value.
     *
     * @param f the future
     * @param <T> the value type
     * @return the value
     */
    protected static <T> T assertCompleted(CompletableFuture<T> f) {
        assertTrue(f.isDone(), "the future should be complete: " + f);
        assertTrue(!f.isCompletedExceptionally(), "the future completed exceptionally: " + f);
        return f.join();
    }

    /**
     * Asserts that {@code f} has not completed.
     *
     * @param f the future
     */
    protected static void assertPending(CompletableFuture<?> f) {
        assertTrue(!f.isDone(), "the future should still be pending: " + f);
    }

    /**
     * Waits (bounded by {@link Threads#BOUND}) for a future that another thread completes and
     * returns its value; an exceptional completion fails the test.
     *
     * @param f the future
     * @param <T> the value type
     * @return the value
     */
    protected static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(Threads.BOUND.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within " + Threads.BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Clears an interrupt a failed test may have left on the (shared) test thread. */
    @AfterEach
    public void clearInterruptStatus() {
        Thread.interrupted();
    }
}
