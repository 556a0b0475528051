package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-thread post/wait, after HP-UX {@code postwait(2)}: every thread has one slot that other
 * threads {@link #post()} to and that only the thread itself waits on. A slot holds at most one
 * pending post: a post to a thread with a post pending is discarded (and reported so). A wait
 * consumes the pending post or waits for the next one.
 *
 * <p>Get a thread's slot with {@link #of(Thread)} or {@link #current()}; {@link #postAll}
 * posts to many threads with a result per target. The current thread's slot is a
 * {@link Waitable}: {@code Wait.any(Duration, PostWait.current(), shutdown)}. A wait on another
 * thread's slot throws {@link IllegalMonitorStateException}; a post to a thread that has ended
 * (or never started) throws {@link IllegalStateException}.
 *
 * <p>Memory visibility: actions before a post happen-before the actions of the target after
 * the wait that consumed it.
 *
 * <pre>{@code
 * Thread worker = Thread.ofPlatform().start(() -> {
 *     for (;;) { PostWait.current().await(); drainQueue(); }
 * });
 * queue.add(job);
 * PostWait.of(worker).post();
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class PostWait extends WaitObject implements Waitable {
    /** The result of a post to one target of {@link #postAll}. */
    public enum Result {
        /** The post is now pending for the target (or was handed to its wait). */
        POSTED,
        /** A post was already pending for the target; this one was discarded. */
        DISCARDED,
        /** The target thread has ended or never started; nothing was posted. */
        NO_SUCH_THREAD
    }

    private static final long POSTED = 1L;
    private static final ReentrantLock REGISTRY_LOCK = new ReentrantLock();
    private static final Map<Thread, PostWait> REGISTRY = new WeakHashMap<>();

    private final Thread thread;

    private PostWait(Thread thread) {
        super(0L);
        this.thread = thread;
    }

    /**
     * Returns the post/wait slot of a thread (created on first use).
     *
     * @param thread the thread
     * @return its slot
     * @throws NullPointerException if {@code thread} is null
     */
    public static PostWait of(Thread thread) {
        Objects.requireNonNull(thread, "thread");
        REGISTRY_LOCK.lock();
        try {
            return REGISTRY.computeIfAbsent(thread, PostWait::new);
        } finally {
            REGISTRY_LOCK.unlock();
        }
    }

    /**
     * Returns the current thread's slot.
     *
     * @return the slot
     */
    public static PostWait current() {
        return of(Thread.currentThread());
    }

    /**
     * Posts to each target; one result per target, in order. Never blocks.
     *
     * @param targets the threads to post to
     * @return the result for each target
     * @throws NullPointerException if {@code targets} or an element is null (nothing is posted)
     */
    public static Result[] postAll(Thread... targets) {
        Objects.requireNonNull(targets, "targets");
        for (int i = 0; i < targets.length; i++) {
            Objects.requireNonNull(targets[i], "targets[" + i + "]"); // before posting to anyone
        }
        Result[] results = new Result[targets.length];
        for (int i = 0; i < targets.length; i++) {
            results[i] = of(targets[i]).tryPost();
        }
        return results;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (owner != thread) {
            return REFUSED;
        }
        return (value & POSTED) != 0 ? value & ~POSTED : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return (value & POSTED) != 0;
    }

    /** {@inheritDoc} */
    @Override
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalMonitorStateException("only " + thread + " can wait for its own posts");
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        if (owner != thread) {
            return POLL_CONTENDED; // refused under the lock, with its exception
        }
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                return POLL_CONTENDED;
            }
            if ((s & POSTED) == 0) {
                return POLL_FAILED;
            }
            if (compareAndSetState(s, s & ~POSTED)) {
                return POLL_ACQUIRED;
            }
        }
    }

    /**
     * Returns the thread this slot belongs to.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    private Result tryPost() {
        if (!thread.isAlive()) {
            return Result.NO_SUCH_THREAD;
        }
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                break;
            }
            if ((s & POSTED) != 0) {
                return Result.DISCARDED;
            }
            if (!isQuiet(s)) {
                break;
            }
            if (compareAndSetState(s, s | POSTED)) {
                return Result.POSTED;
            }
        }
        long v = lockForSignal();
        Result r;
        if ((v & POSTED) != 0) {
            r = Result.DISCARDED;
        } else {
            v = wake(v | POSTED);
            r = Result.POSTED;
        }
        unlockAfterSignal(v);
        return r;
    }

    /**
     * Posts to this slot's thread: wakes its wait, or leaves the post pending. Never blocks.
     *
     * @return true if posted; false if a post was already pending (this one is discarded)
     * @throws IllegalStateException if the thread has ended or never started
     */
    public boolean post() {
        Result r = tryPost();
        if (r == Result.NO_SUCH_THREAD) {
            throw new IllegalStateException("cannot post to " + thread + ": it is not alive");
        }
        return r == Result.POSTED;
    }

    /**
     * Returns whether a post is pending (a snapshot).
     *
     * @return true if the next wait would return at once
     */
    public boolean isPosted() {
        return (stableValue() & POSTED) != 0;
    }

    /**
     * Waits for a post, consuming it.
     *
     * @throws InterruptedException if interrupted first (the post stays pending)
     * @throws IllegalMonitorStateException if the caller is not this slot's thread
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void await() throws InterruptedException {
        Blocking.await(this, 1, null);
    }

    /**
     * Waits at most {@code timeout} for a post; zero or negative polls.
     *
     * @param timeout the longest time to wait
     * @return true if a post was consumed, false on timeout
     * @throws InterruptedException if interrupted first (the post stays pending)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalMonitorStateException if the caller is not this slot's thread
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits for a post unless {@code deadline} passes first.
     *
     * @param deadline when to give up
     * @return true if a post was consumed, false on timeout
     * @throws InterruptedException if interrupted first (the post stays pending)
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalMonitorStateException if the caller is not this slot's thread
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        return Blocking.await(this, 1, null, deadline) == WaitEngine.ACQUIRED;
    }

    /**
     * Consumes a pending post, if any; never blocks.
     *
     * @return true if a post was consumed
     * @throws IllegalMonitorStateException if the caller is not this slot's thread
     */
    public boolean tryAwait() {
        return Blocking.poll(this, 1, null) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits asynchronously for a post (for the calling thread, which must be this slot's).
     *
     * @return a future completed with {@code null} when a post was consumed
     * @throws IllegalMonitorStateException if the caller is not this slot's thread
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Describes the slot.
     *
     * @return for example {@code PostWait[thread=worker-1 (#23), idle, waiters=1]}; never blocks
     */
    @Override
    public String toString() {
        return "PostWait[thread=" + Describe.thread(thread) + ", " + (isPosted() ? "posted" : "idle")
                + ", waiters=" + queuedCount() + "]";
    }
}
