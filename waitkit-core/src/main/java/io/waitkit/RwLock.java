package io.waitkit;

import io.waitkit.internal.OwnerBlocker;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * A readers/writer lock, as the ao kernel's {@code rw} (readers preferred) and {@code wr}
 * (writers preferred): many readers or one writer.
 *
 * <ul>
 *   <li>{@link #preferReaders()}: a reader gets in whenever no writer holds the lock, even while
 *       writers wait; a write unlock admits every queued reader before the next writer. Writers
 *       may starve.</li>
 *   <li>{@link #preferWriters()}: a reader does not get in while a writer holds or waits for the
 *       lock; a write unlock hands the lock to the next queued writer, and only when none is
 *       left admits all queued readers together. Readers may starve.</li>
 * </ul>
 * When a queued writer gives up (timeout, interrupt, cancel), admission is re-checked at once:
 * readers that were held back only by that writer get in (an improvement over ao, whose readers
 * stay blocked until the next write unlock).
 *
 * <p>The two sides are {@link Lock}s and {@link Waitable}s: {@code Wait.any(Duration, rw.readLock(),
 * other)} waits for a read hold among other objects. The lock is not reentrant and read holds
 * are not tracked per thread: any thread may release a read hold, but releasing more read
 * holds than are held, or a write hold from a thread that does not hold it, throws
 * {@link IllegalMonitorStateException}. Hand-off as everywhere: an unlock admits the next
 * holders before it returns.
 *
 * <p>Memory visibility: actions before a write unlock happen-before the actions after any later
 * read or write lock; actions before a read unlock happen-before the actions after a later
 * write lock.
 *
 * <pre>{@code
 * RwLock rw = RwLock.preferWriters();
 * rw.readLock().lock();
 * try { return table.get(key); } finally { rw.readLock().unlock(); }
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class RwLock extends WaitObject implements ReadWriteLock {
    private static final long READERS = (1L << 30) - 1;
    private static final long WRITER = 1L << 30;

    private final boolean preferWriters;
    private final ReadLock readLock = new ReadLock();
    private final WriteLock writeLock = new WriteLock();

    // Guarded by the object lock.
    private int queuedReaders;
    private int queuedWriters;
    /** The writer, written under the lock or right after the CAS that took the write hold. */
    private volatile Thread writer;
    /**
     * What a blocked platform thread parks on, so that the JVM's deadlock detection sees the
     * writer (see {@link OwnerBlocker}; readers are not exclusive owners and show as none):
     * made when the first waiter queues; its owner is written under the object lock only.
     */
    private OwnerBlocker blocker;

    private RwLock(boolean preferWriters) {
        super(0L);
        this.preferWriters = preferWriters;
    }

    /**
     * Creates a lock that prefers readers (ao {@code rw}).
     *
     * @return the lock
     */
    public static RwLock preferReaders() {
        return new RwLock(false);
    }

    /**
     * Creates a lock that prefers writers (ao {@code wr}).
     *
     * @return the lock
     */
    public static RwLock preferWriters() {
        return new RwLock(true);
    }

    /**
     * Returns whether this lock prefers writers.
     *
     * @return true for {@link #preferWriters()}
     */
    public boolean prefersWriters() {
        return preferWriters;
    }

    /**
     * Returns the read side.
     *
     * @return the read lock, also a {@link Waitable}
     */
    @Override
    public ReadLock readLock() {
        return readLock;
    }

    /**
     * Returns the write side.
     *
     * @return the write lock, also a {@link Waitable}
     */
    @Override
    public WriteLock writeLock() {
        return writeLock;
    }

    // ---- engine hooks

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if ((value & WRITER) != 0) {
            return UNAVAILABLE;
        }
        if (op == readLock) {
            if (preferWriters && queuedWriters > 0) {
                return UNAVAILABLE;
            }
            return (value & READERS) == READERS ? OVERFLOW : value + 1;
        }
        if ((value & READERS) != 0 || (!preferWriters && queuedReaders > 0)) {
            return UNAVAILABLE;
        }
        return value | WRITER;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        if (op == readLock) {
            if (wasQueued) {
                queuedReaders--;
            }
        } else {
            if (wasQueued) {
                queuedWriters--;
            }
            writer = owner;
        }
        if (blocker != null) {
            blocker.owner(writer); // every engine acquisition runs under the object lock
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        if (blocker == null) {
            blocker = new OwnerBlocker(this, null);
        }
        blocker.owner((value & WRITER) != 0 ? writer : null); // see parkBlocker for a writer yet to store itself
        if (op == readLock) {
            queuedReaders++;
        } else {
            queuedWriters++;
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        if (op == readLock) {
            queuedReaders--;
        } else {
            queuedWriters--;
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return (value & WRITER) == 0;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                return POLL_CONTENDED;
            }
            if ((s & WRITER) != 0) {
                return POLL_FAILED;
            }
            if (op == readLock) {
                if (preferWriters && !isQuiet(s)) {
                    return POLL_CONTENDED; // whether writers wait is known under the lock only
                }
                if ((s & READERS) == READERS) {
                    return POLL_CONTENDED;
                }
                if (compareAndSetState(s, s + 1)) {
                    return POLL_ACQUIRED;
                }
            } else {
                if ((s & READERS) != 0) {
                    return POLL_FAILED;
                }
                if (!isQuiet(s)) {
                    return POLL_CONTENDED;
                }
                if (compareAndSetState(s, s | WRITER)) {
                    writer = owner;
                    return POLL_ACQUIRED;
                }
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalStateException("too many read holds (" + READERS + ")");
    }

    private void unlockRead() {
        for (;;) {
            long s = getStateVolatile();
            long readers = s & READERS;
            if (readers == 0 && !isLocked(s)) {
                throw new IllegalMonitorStateException("read unlock of an RwLock that has no read hold");
            }
            if (isLocked(s)) {
                break;
            }
            if ((readers > 1 || isQuiet(s)) && compareAndSetState(s, s - 1)) {
                return; // no waiter can be enabled by this release
            }
            if (readers == 1 && !isQuiet(s)) {
                break;
            }
        }
        long v = lockForSignal();
        if ((v & READERS) == 0) {
            unlockAfterSignal(v);
            throw new IllegalMonitorStateException("read unlock of an RwLock that has no read hold");
        }
        v = wake(v - 1);
        unlockAfterSignal(v);
    }

    private void unlockWrite() {
        Thread me = Thread.currentThread();
        if (writer != me) {
            throw new IllegalMonitorStateException("the current thread does not hold the write lock");
        }
        writer = null;
        for (;;) {
            long s = getStateVolatile();
            if (!isQuiet(s)) {
                break;
            }
            if (compareAndSetState(s, s & ~WRITER)) {
                return;
            }
        }
        long v = lockForSignal();
        if (blocker != null) {
            blocker.owner(null); // a hand-off below records the next writer
        }
        v = wake(v & ~WRITER);
        unlockAfterSignal(v);
    }

    /**
     * Returns the number of read holds (a snapshot).
     *
     * @return the number of readers inside
     */
    public int readHolds() {
        return (int) (stableValue() & READERS);
    }

    /**
     * Returns whether a writer holds the lock (a snapshot).
     *
     * @return true if write-locked
     */
    public boolean isWriteLocked() {
        return (stableValue() & WRITER) != 0;
    }

    /**
     * Returns whether the current thread holds the write lock.
     *
     * @return true if it does
     */
    public boolean isWriteLockedByCurrentThread() {
        return writer == Thread.currentThread();
    }

    /** The writer now, or null (read by {@link Diagnostics}; may trail a lock-free write acquisition by one store). */
    Thread writerThread() {
        return writer;
    }

    /**
     * {@inheritDoc} The lock's {@link OwnerBlocker}, with the writer filled in if it was still
     * missing when the waiter queued (a lock-free writer stores itself right after its CAS):
     * read again under the object lock until it has landed.
     */
    @Override
    protected Object parkBlocker() {
        OwnerBlocker b = blocker; // set when this thread's node was queued
        if (b == null) {
            return this;
        }
        for (int spins = 0; b.owner() == null; spins++) {
            long v = lockState();
            Thread w = writer;
            if ((v & WRITER) == 0 || w != null) {
                b.owner(w);
                unlockState(v);
                break;
            }
            unlockState(v);
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return b;
    }

    /**
     * Describes the lock.
     *
     * @return for example {@code RwLock[prefer writers, writer=worker-1 (#23), waiters=2]} or
     *         {@code RwLock[prefer readers, readers=3, waiters=0]}; never blocks
     */
    @Override
    public String toString() {
        long v = stableValue();
        Thread w = writer;
        return "RwLock[" + (preferWriters ? "prefer writers" : "prefer readers") + ", "
                + ((v & WRITER) != 0 ? "writer=" + (w != null ? Describe.thread(w) : "a thread taking it")
                        : "readers=" + (v & READERS))
                + ", waiters=" + queuedCount() + "]";
    }

    /**
     * One side of the lock: a {@link Lock} and a {@link Waitable} (waiting acquires one hold
     * of this side). Conditions are not supported.
     */
    public abstract sealed class Side extends WaitOperation implements Lock, Waitable {
        private Side() {
        }

        /** {@inheritDoc} */
        @Override
        protected WaitObject target() {
            return RwLock.this;
        }

        /**
         * Acquires a hold, waiting as long as necessary; interrupts are ignored (re-asserted on
         * return).
         *
         * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
         */
        @Override
        public void lock() {
            Blocking.awaitUninterruptibly(RwLock.this, 1, this);
        }

        /**
         * Acquires a hold unless interrupted.
         *
         * @throws InterruptedException if interrupted first (nothing held)
         * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
         */
        @Override
        public void lockInterruptibly() throws InterruptedException {
            Blocking.await(RwLock.this, 1, this);
        }

        /**
         * Acquires a hold if possible now; never blocks.
         *
         * @return true if acquired
         */
        @Override
        public boolean tryLock() {
            return Blocking.poll(RwLock.this, 1, this) == WaitEngine.ACQUIRED;
        }

        /**
         * Acquires a hold, waiting at most the given time; zero or negative polls.
         *
         * @param time the longest time to wait
         * @param unit its unit
         * @return true if acquired, false on timeout
         * @throws InterruptedException if interrupted first (nothing held)
         * @throws NullPointerException if {@code unit} is null
         * @throws IllegalStateException if the time is positive and the current thread runs at
         *         {@link Irql#DISPATCH_LEVEL}
         */
        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return tryLock(Duration.ofNanos(Timeouts.nanos(time, unit)));
        }

        /**
         * Acquires a hold, waiting at most {@code timeout}; zero or negative polls.
         *
         * @param timeout the longest time to wait
         * @return true if acquired, false on timeout
         * @throws InterruptedException if interrupted first (nothing held)
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalStateException if the timeout is positive and the current thread runs
         *         at {@link Irql#DISPATCH_LEVEL}
         */
        public boolean tryLock(Duration timeout) throws InterruptedException {
            return Blocking.await(RwLock.this, 1, this, timeout) == WaitEngine.ACQUIRED;
        }

        /**
         * Acquires a hold unless {@code deadline} passes first.
         *
         * @param deadline when to give up
         * @return true if acquired, false on timeout
         * @throws InterruptedException if interrupted first (nothing held)
         * @throws NullPointerException if {@code deadline} is null
         * @throws IllegalStateException if the deadline has not passed and the current thread
         *         runs at {@link Irql#DISPATCH_LEVEL}
         */
        public boolean tryLock(Deadline deadline) throws InterruptedException {
            return Blocking.await(RwLock.this, 1, this, deadline) == WaitEngine.ACQUIRED;
        }

        /**
         * Acquires a hold asynchronously, for the calling thread; a {@code cancel} that returns
         * {@code false} means the hold was acquired and must be released.
         *
         * @return the future of the acquisition
         */
        public CompletableFuture<Void> lockAsync() {
            return WaitEngine.acquireAsync(RwLock.this, 1, this);
        }

        /**
         * Not supported.
         *
         * @return never
         * @throws UnsupportedOperationException always
         */
        @Override
        public Condition newCondition() {
            throw new UnsupportedOperationException("an RwLock side has no conditions; use a Monitor");
        }

        /**
         * Returns the lock this side belongs to.
         *
         * @return the lock
         */
        public RwLock lockObject() {
            return RwLock.this;
        }
    }

    /** The read side: shared holds. */
    public final class ReadLock extends Side {
        private ReadLock() {
        }

        /**
         * Releases one read hold; the last one lets a queued writer in before returning.
         *
         * @throws IllegalMonitorStateException if no read hold is held
         */
        @Override
        public void unlock() {
            unlockRead();
        }
    }

    /** The write side: an exclusive hold, owned by the thread that took it. */
    public final class WriteLock extends Side {
        private WriteLock() {
        }

        /**
         * Releases the write hold and admits the next holders before returning.
         *
         * @throws IllegalMonitorStateException if the current thread does not hold it
         */
        @Override
        public void unlock() {
            unlockWrite();
        }
    }
}
