package io.waitkit.ipc;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Fairness;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.MutexProxy;
import io.waitkit.ipc.internal.Waits;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A robust, recursive mutex shared by the processes of one host: owned by one thread of one
 * process, abandoned when that thread ends or that process dies holding it (also by SIGKILL).
 * The next acquirer of an abandoned mutex owns it and is told: its wait throws
 * {@link AbandonedMutexException} ({@code mutexIndex()} in a wait-any, {@code object()} this
 * handle), and the data the mutex protected may be inconsistent.
 *
 * <pre>{@code
 * NamedMutex m = Namespace.user().mutex("config-writer");
 * try {
 *     m.lock();
 * } catch (AbandonedMutexException e) {
 *     repairConfig();            // the previous holder died: we own it now
 * }
 * try { writeConfig(); } finally { m.unlock(); }
 * }</pre>
 *
 * <p><b>Owner.</b> A process is identified by its pid and start time (pid reuse does not make
 * a dead owner look alive), a thread by its {@link Thread#threadId()}. Blocked waiters learn of
 * a killed holder within about 50 ms.
 *
 * <p><b>Order.</b> The mode is chosen at creation and kept in the object's file
 * ({@link #fairness()}, {@link Namespace#mutex(String, Fairness)}). With
 * {@link Fairness#HAND_OFF} (the default) the final release hands the mutex to this JVM's first
 * queued waiter before it returns; only if none is queued here is it offered to other
 * processes, whose waiters race for it. With {@link Fairness#BARGING} the final release frees
 * the mutex, wakes this JVM's first queued waiter and the waiters of other processes, and
 * returns: whichever thread of any process asks first takes it, and a woken waiter that loses
 * keeps its place at the head of this JVM's queue and waits again. A wait on several objects
 * or an async wait first in line is still served by hand-off (exactly one object in a
 * wait-any). Abandonment is reported to whoever takes the mutex first, woken waiter or
 * newcomer, once, in both modes.
 *
 * <p><b>Blocking.</b> Every wait queues in this JVM's FIFO queue of the object. A platform
 * thread's single-object wait then sleeps in {@code futex} on the object's word itself (one
 * wake-up from another process); every other wait (virtual threads, async waits, waits on
 * several objects) parks, and a platform thread of the module's waiter pool sleeps in
 * {@code futex_waitv} for it, so a virtual thread never blocks in a system call.
 * {@link #lock()} ignores interrupts (re-asserted on return); the other waits abort on
 * interrupt with nothing held. All methods throw {@link IllegalStateException} once this handle
 * is closed. {@link #newCondition()} is not supported.
 */
public final class NamedMutex extends NamedHandle<MutexProxy> implements NamedObject, Waitable, Lock {
    NamedMutex(HandleState<MutexProxy> state) {
        super(state, "mutex");
    }

    private boolean result(int r) {
        if (r == WaitEngine.REPORTED) {
            throw new AbandonedMutexException(-1, this);
        }
        return r == WaitEngine.ACQUIRED;
    }

    /**
     * Acquires the mutex, ignoring interrupts (re-asserted on return).
     *
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     * @throws IllegalStateException if the hold count would overflow
     */
    @Override
    public void lock() {
        try {
            result(Waits.await(proxy(), false));
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible
        }
    }

    /**
     * Acquires the mutex unless interrupted.
     *
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        result(Waits.await(proxy(), true));
    }

    /**
     * Acquires the mutex if it is free or already owned by the current thread; never blocks.
     *
     * @return true if acquired
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    @Override
    public boolean tryLock() {
        return result(Waits.poll(proxy()));
    }

    /**
     * Acquires the mutex, waiting at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest wait
     * @return true if acquired
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return result(Waits.await(proxy(), timeout));
    }

    /**
     * Acquires the mutex, waiting at most {@code time}; see {@link #tryLock(Duration)}.
     *
     * @param time the longest wait
     * @param unit its unit
     * @return true if acquired
     * @throws InterruptedException if interrupted first (nothing held)
     * @throws AbandonedMutexException if it was abandoned; the caller owns it anyway
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return tryLock(Duration.of(time, unit.toChronoUnit()));
    }

    /**
     * Acquires asynchronously: ownership goes to the thread that called this method, once the
     * future completes; cancelling a pending future withdraws the wait.
     *
     * @return the future, completed once the mutex is owned, or exceptionally with
     *         {@link AbandonedMutexException} (ownership taken)
     */
    public CompletableFuture<Void> lockAsync() {
        return WaitEngine.acquireAsync(proxy(), 1, this);
    }

    /**
     * Releases one hold of the current thread.
     *
     * @return the hold count before this release
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     *         (nothing changes)
     */
    public int release() {
        return proxy().release();
    }

    /**
     * Releases one hold; see {@link #release()}.
     *
     * @throws IllegalMonitorStateException if the current thread does not own the mutex
     */
    @Override
    public void unlock() {
        release();
    }

    /**
     * Not supported: a condition of a cross-process mutex would need a cross-process
     * condition; use a {@link NamedEvent}.
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("named mutexes have no conditions; use a NamedEvent");
    }

    /**
     * Whether the current thread owns the mutex.
     *
     * @return true if it holds it
     */
    public boolean isHeldByCurrentThread() {
        return proxy().isHeldByCurrentThread();
    }

    /**
     * The current thread's hold count, as {@link java.util.concurrent.locks.ReentrantLock#getHoldCount()}.
     *
     * @return the count, 0 if the current thread does not own the mutex
     */
    public int holdCount() {
        return proxy().holdCountOfCurrentThread();
    }

    /**
     * Whether the mutex is abandoned: its owner died holding it and nobody took it since.
     *
     * @return true if abandoned
     */
    public boolean isAbandoned() {
        return proxy().isAbandoned();
    }

    /**
     * The mode the mutex was created with, read from its file: every process that opens it
     * sees the same.
     *
     * @return {@link Fairness#HAND_OFF} or {@link Fairness#BARGING}
     */
    public Fairness fairness() {
        return proxy().isBarging() ? Fairness.BARGING : Fairness.HAND_OFF;
    }

    /**
     * The pid of the owner's process.
     *
     * @return the pid; empty when free or abandoned
     */
    public OptionalLong ownerPid() {
        long pid = proxy().ownerPid();
        return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    /**
     * The owner thread when it is a live thread of this JVM (for tests and diagnostics).
     *
     * @return the thread, or null when free, abandoned or owned by another process
     */
    Thread ownerThread() {
        return proxy().ownerThreadInThisProcess();
    }

    @Override
    String describe() {
        OptionalLong pid = ownerPid();
        return proxy().stateText() + (pid.isPresent() ? ", pid " + pid.getAsLong() : "");
    }
}
