package io.waitkit.internal;

import java.util.concurrent.locks.AbstractOwnableSynchronizer;

/**
 * What a platform thread blocked on an owned lock (a {@code Mutex}, the write side of an
 * {@code RwLock}) parks on, so that the JVM's own tools see who holds what it waits for.
 *
 * <p><b>Why.</b> HotSpot's deadlock detection ({@code jstack}, {@code jcmd Thread.print},
 * {@code ThreadMXBean.findDeadlockedThreads()}) follows a parked thread's park blocker when
 * that blocker is an {@link AbstractOwnableSynchronizer}, reading its exclusive owner thread:
 * that is how it reports deadlocks among {@code ReentrantLock}s. A Waitkit lock cannot extend
 * that class (it extends the engine's base class), so each lock that ever had a queued waiter
 * gets one of these, made under the object lock when the first waiter queues, and keeps it.
 * {@code ThreadInfo.getLockInfo()} and the thread dump then show this object's class and identity and
 * the owner recorded in it.
 *
 * <p><b>Keeping the owner exact.</b> The owner recorded here is written only under the object
 * lock: when a waiter queues (the lock's current owner), on every acquisition made by the
 * engine (a hand-off to a queued waiter, a take-over of an abandoned mutex, an acquisition
 * under the lock) and when the lock is freed under the lock. The lock-free paths (an
 * uncontended lock or unlock, a recursive hold) never touch it, so the uncontended paths are
 * unchanged; it can then be stale, but only while no thread is queued on the lock, and only a
 * queued thread (or one just handed the lock, which reads as a self-loop, which the JVM
 * ignores) parks on it: a stale owner is never read by the JVM's deadlock detection, so it
 * cannot make a false report. With a thread queued on an owned lock, the owner can change only
 * under the object lock (a lock-free acquisition needs a free lock, and a lock with a queued
 * waiter is never left free: it is handed off), so the owner shown is the lock's owner.
 *
 * <p><b>Barging mutexes.</b> A barging release may free a mutex while waiters stay queued,
 * with one CAS and without the object lock; a running thread may then take it lock-free, also
 * with one CAS. The releaser, right after its freeing CAS, clears the owner here if it still
 * names the releaser (a waiter that queued or lost a competition just before the CAS may have
 * recorded it; after the CAS nobody can). The lock-free taker does not record itself: a store
 * here on every acquisition of a contended mutex was a tenth of its cost. While a barging mutex
 * is free with waiters queued, one of them is always woken and on its way (that is how the
 * engine loses no wake-up), and that waiter either takes the mutex (recorded under the object
 * lock like every engine acquisition) or loses to the running thread that took it, and then
 * records that owner here under the object lock before it parks again
 * ({@code WaitObject.recompeteLost}). So the owner shown is the current owner; or null, from a
 * release until the woken waiter has competed (the JVM may miss a deadlock until then, never
 * for longer: a thread that deadlocks holding the mutex is recorded as soon as the woken waiter
 * runs); or the releaser while it is still returning from the release (running, so in no
 * cycle: no false report).
 *
 * <p>{@link #toString()} names the lock, so a debugger shows what the thread waits for; the
 * thread dump shows the class name {@code io.waitkit.internal.OwnerBlocker} and the stack
 * frame of the waiting call ({@code Mutex.lock}, ...).
 */
public final class OwnerBlocker extends AbstractOwnableSynchronizer {
    private static final long serialVersionUID = 1L;

    /** The lock this stands for. */
    private final transient Object lock;

    /**
     * Creates the blocker of {@code lock}.
     *
     * @param lock the lock it stands for
     * @param owner its owner now, or null
     */
    public OwnerBlocker(Object lock, Thread owner) {
        this.lock = lock;
        setExclusiveOwnerThread(owner);
    }

    /**
     * Records the owner; call under the lock's object lock, or as the barging paths
     * described above do.
     *
     * @param owner the owner, or null when the lock is free or held shared
     */
    public void owner(Thread owner) {
        setExclusiveOwnerThread(owner);
    }

    /**
     * Returns the owner recorded (exact while a thread is queued on the lock).
     *
     * @return the owner, or null
     */
    public Thread owner() {
        return getExclusiveOwnerThread();
    }

    /**
     * Returns the lock this stands for.
     *
     * @return the lock
     */
    public Object lock() {
        return lock;
    }

    @Override
    public String toString() {
        return "OwnerBlocker[" + lock.getClass().getSimpleName() + "@"
                + Integer.toHexString(System.identityHashCode(lock)) + "]";
    }
}
