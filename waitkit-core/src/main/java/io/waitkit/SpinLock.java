package io.waitkit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock for very short critical sections that never parks a platform thread: a waiter spins
 * with a bounded back-off and then yields, and a virtual thread yields its carrier early instead
 * of burning it. It is not a waitable (it has no queue, so it takes no part in {@link Wait#any}
 * or {@link Wait#all}), not reentrant, not fair, and has no abandonment detection.
 *
 * <pre>{@code
 * SpinLock lock = new SpinLock();
 * lock.lock();
 * try {
 *     head = node;            // a few loads and stores
 * } finally {
 *     lock.unlock();
 * }
 * }</pre>
 *
 * <p><b>When to use it.</b> Critical sections of a few dozen nanoseconds to a microsecond that
 * never block, on a machine with at least as many cores as threads that contend: then a waiter
 * gets the lock back within the time a park and an unpark would cost, and the holder is never
 * slowed by a wake-up.
 *
 * <p><b>When not to use it.</b> Anything that may block or take long inside the lock (I/O, a
 * wait, an allocation that may trigger a collection, a call into code you do not control): every
 * waiter then spins and yields for that long. More contending threads than cores: waiters take
 * CPU time from the holder (the back-off and the yields bound the damage, but a
 * {@link Mutex} or {@code ReentrantLock} parks them instead). Threads of different priorities
 * where the low one may hold it: nothing here bounds the time a waiter waits. Use
 * {@link Mutex} (FIFO hand-off, abandonment) or {@code ReentrantLock} for everything else.
 *
 * <p><b>Waiting.</b> {@link #lock()} first tries one compare-and-set; when the lock is held it
 * reads the state (no write while it is held, so waiters do not fight over the cache line),
 * pauses between reads with {@link Thread#onSpinWait()} in rounds that double up to 1,024 hints,
 * and once at that bound calls {@link Thread#yield()} after every round. A virtual thread yields
 * after rounds of at most 64 hints, so that a holder that is a virtual thread waiting for a
 * carrier gets one. Which waiter gets the lock next is unspecified.
 *
 * <p><b>Interrupts and timeouts.</b> {@link #lock()} ignores interrupts (the status is kept);
 * {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)} check it before the first
 * attempt and between rounds and throw {@link InterruptedException}, with the lock not acquired
 * and the status cleared. {@link #tryLock(long, TimeUnit)} with a zero or negative time tries
 * once, and otherwise never returns false before the time has passed.
 *
 * <p><b>Ownership.</b> The thread that acquired the lock owns it; only it may unlock
 * ({@link IllegalMonitorStateException} otherwise), and a {@code lock} by the owner is refused
 * with {@link IllegalMonitorStateException} instead of spinning forever.
 *
 * <p><b>Memory visibility.</b> Actions before an {@link #unlock()} happen-before the actions
 * after the acquisition that follows it (the unlock is a release store, the acquisition a
 * volatile compare-and-set).
 */
public final class SpinLock implements Lock {
    /*
     * Algorithm: test-and-test-and-set with bounded exponential back-off.
     *
     * state: 0 free, 1 held. The acquisition is the CAS 0 -> 1 (volatile); the release a
     * release store of 0 after owner is cleared. owner is written by the thread that just won
     * the CAS and cleared by it before its release store, so it names the holder whenever state
     * is 1 and the holder reads its own identity correctly (the other threads read it only for
     * toString, where a stale value is harmless).
     *
     * owner is a plain field, not a volatile one: its only reader that acts on it is the
     * ownership check "owner == current thread", and only the current thread ever writes its
     * own identity there. A thread that holds the lock reads its own last write (program
     * order); a thread that does not hold it either never wrote itself there or cleared the
     * field itself before its release store, so whatever value it reads (null, or another
     * holder's write) is not itself. The CAS orders the store after the acquisition and the
     * release store orders the clearing before the release. A volatile owner cost two full
     * fences per lock + unlock on x86 (one store each way), which made the uncontended pair
     * slower than ReentrantLock's (CAS + one volatile store).
     *
     * Races: two waiters that see 0 race on the CAS and one wins; the loser goes back to reading.
     * A waiter reads state between its attempts rather than retrying the CAS, so that while the
     * lock is held the line stays shared in every waiter's cache and the holder's release store
     * is one invalidation. There is no queue: starvation is possible in principle and bounded in
     * practice only by the scheduler, which the class comment says.
     */
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SpinLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The most spin-wait hints between two reads of the state. */
    static final int MAX_BACKOFF = 1 << 10;
    /** The most hints a virtual thread spends before it yields its carrier. */
    static final int VIRTUAL_BACKOFF = 1 << 6;

    @SuppressWarnings("unused") // through STATE
    private volatile int state;
    private Thread owner; // plain: see the comment at the top

    /** Creates an unlocked spin lock. */
    public SpinLock() {
    }

    private boolean tryAcquire(Thread me) {
        if (STATE.compareAndSet(this, 0, 1)) {
            owner = me;
            return true;
        }
        return false;
    }

    /**
     * Acquires the lock, spinning and yielding as long as it takes; never parks. Interrupts are
     * ignored (the status is kept).
     *
     * @throws IllegalMonitorStateException if the current thread holds it already (not reentrant)
     */
    @Override
    public void lock() {
        Thread me = Thread.currentThread();
        if (!tryAcquire(me)) {
            spin(me, false, false, 0L);
        }
    }

    /**
     * Acquires the lock unless the current thread is interrupted first.
     *
     * @throws InterruptedException if interrupted before or while waiting (not acquired; the
     *         status is cleared)
     * @throws IllegalMonitorStateException if the current thread holds it already
     */
    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        if (!tryAcquire(me)) {
            spinInterruptibly(me, false, 0L); // untimed: returns only when acquired, or throws
        }
    }

    /**
     * Acquires the lock if it is free now; never waits.
     *
     * @return true if acquired
     */
    @Override
    public boolean tryLock() {
        return tryAcquire(Thread.currentThread());
    }

    /**
     * Acquires the lock, waiting at most {@code time}; zero or negative tries once.
     *
     * @param time the longest wait
     * @param unit the unit of {@code time}
     * @return true if acquired, false if the time passed first
     * @throws InterruptedException if interrupted before or while waiting (not acquired)
     * @throws IllegalMonitorStateException if the current thread holds it already
     * @throws NullPointerException if {@code unit} is null
     */
    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Thread me = Thread.currentThread();
        if (tryAcquire(me)) {
            return true;
        }
        long nanos = unit.toNanos(time);
        if (nanos <= 0) {
            return false;
        }
        return spinInterruptibly(me, true, System.nanoTime() + nanos);
    }

    private boolean spinInterruptibly(Thread me, boolean timed, long deadline) throws InterruptedException {
        if (!spin(me, true, timed, deadline)) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return false;
        }
        return true;
    }

    /**
     * The waiting loop (see the class comment).
     *
     * @param interruptible whether an interrupt ends it (false returned, status kept for the caller)
     * @param timed whether {@code deadline} applies
     * @param deadline the {@link System#nanoTime()} deadline
     * @return true if acquired
     */
    private boolean spin(Thread me, boolean interruptible, boolean timed, long deadline) {
        if (owner == me) {
            throw new IllegalMonitorStateException("SpinLock is not reentrant: the current thread holds it already");
        }
        boolean virtual = me.isVirtual();
        int limit = virtual ? VIRTUAL_BACKOFF : MAX_BACKOFF;
        int backoff = 1;
        for (;;) {
            if ((int) STATE.getVolatile(this) == 0 && tryAcquire(me)) {
                return true;
            }
            for (int i = 0; i < backoff; i++) {
                Thread.onSpinWait();
            }
            if (backoff < limit) {
                backoff <<= 1;
            } else {
                Thread.yield(); // a virtual thread gives its carrier back; a platform thread its core
            }
            if (interruptible && me.isInterrupted()) {
                return false;
            }
            if (timed && System.nanoTime() - deadline >= 0) {
                return (int) STATE.getVolatile(this) == 0 && tryAcquire(me);
            }
        }
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the current thread does not hold it
     */
    @Override
    public void unlock() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException("SpinLock is not held by the current thread");
        }
        owner = null;
        STATE.setRelease(this, 0);
    }

    /**
     * Not supported: a spin lock has no queue to wait in.
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("SpinLock has no conditions; use Mutex.newCondition() or ReentrantLock");
    }

    /**
     * Whether some thread holds the lock, a snapshot.
     *
     * @return true if held
     */
    public boolean isLocked() {
        return (int) STATE.getVolatile(this) != 0;
    }

    /**
     * Whether the current thread holds the lock.
     *
     * @return true if the current thread is the holder
     */
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    /**
     * Describes the lock.
     *
     * @return for example {@code SpinLock[held by worker-3]} or {@code SpinLock[free]}
     */
    @Override
    public String toString() {
        Thread t = owner;
        return "SpinLock[" + (isLocked() ? "owner=" + (t != null ? Describe.thread(t) : "a thread taking it") : "free") + "]";
    }
}
