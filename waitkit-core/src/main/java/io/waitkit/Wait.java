package io.waitkit;

import io.waitkit.internal.Dispatch;
import io.waitkit.internal.WaitEngine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Waiting for one of many or all of many objects, of any kind, at once: NT's
 * {@code WaitForMultipleObjects} for the JVM.
 *
 * <h2>Wait-any</h2>
 * {@link #any(Duration, Waitable...) any} acquires exactly one object: the lowest-index one
 * that is available when it is checked. A {@link Mutex} owned by the calling thread counts as
 * available (its hold count grows). The same object may appear more than once; it is then
 * reported at its lowest index. With no objects only the timeout (or an interrupt) ends the
 * wait. There is no limit on the number of objects.
 *
 * <h2>Wait-all</h2>
 * {@link #all(Duration, Waitable...) all} acquires every object atomically, or nothing: on
 * timeout, interrupt or error no object has changed. Nothing is reserved while it sleeps:
 * other threads may take the objects meanwhile, and the wait completes only at a moment when
 * all of them are available together (as on NT). Duplicates are refused with
 * {@link IllegalArgumentException}. An empty list succeeds at once.
 *
 * <h2>Timeouts, polling, interruption</h2>
 * A zero or negative {@link Duration}, or a {@link Deadline} that has passed, makes the call a
 * poll: it acquires if it can and never sleeps. An available object is acquired even when the
 * deadline has passed, and a wait never times out early. Blocking forms throw
 * {@link InterruptedException} when the thread is interrupted before the acquisition (also on
 * entry), with nothing acquired; an acquisition that already happened wins, and the interrupt
 * status then stays set. At {@link Irql#DISPATCH_LEVEL} every non-poll form throws
 * {@link IllegalStateException} at once.
 *
 * <h2>Abandoned mutexes</h2>
 * When the acquisition takes over an abandoned {@link Mutex}, the call throws
 * {@link AbandonedMutexException} after acquiring: for wait-any it carries the index (which is
 * what the call would have returned), for wait-all index -1 and the first abandoned mutex; in
 * both cases every object is acquired as usual.
 *
 * <h2>Async</h2>
 * {@link #anyAsync} and {@link #allAsync} register the wait and return at once. The future
 * completes when the acquisition has happened. Cancelling a pending future withdraws the
 * wait; if {@code cancel} returns {@code false}, the acquisition already happened and the
 * caller owns it. {@code orTimeout} works the same way. Completion runs after the engine
 * released its locks, at {@link Irql#DISPATCH_LEVEL}.
 *
 * <h2>Example</h2>
 * <pre>{@code
 * Event shutdown = Event.manualReset(false);
 * Mutex table = new Mutex();
 * Semaphore jobs = new Semaphore(0, 100);
 *
 * switch (Wait.any(Duration.ofSeconds(1), shutdown, table, jobs)) {
 *     case 0 -> stop();                                   // shutdown stays signalled
 *     case 1 -> { try { compact(); } finally { table.unlock(); } }
 *     case 2 -> runOneJob();                              // one permit taken
 *     case Wait.TIMEOUT -> idle();
 *     default -> throw new AssertionError();
 * }
 *
 * Wait.all(table, jobs);                                  // both at once, or neither
 * }</pre>
 *
 * <p>Memory visibility: actions before the signal that made an object available happen-before
 * the actions after the wait that acquired it.
 */
public final class Wait {
    /** The result of a wait-any that timed out. */
    public static final int TIMEOUT = -1;

    private Wait() {
    }

    /**
     * Waits at most {@code timeout} until one of the objects can be acquired, and acquires it.
     *
     * @param timeout the longest time to wait; zero or negative polls
     * @param objects the objects; may repeat an object, may be empty
     * @return the index of the acquired object, or {@link #TIMEOUT}
     * @throws InterruptedException if interrupted before an acquisition (nothing acquired)
     * @throws AbandonedMutexException if the acquired object is an abandoned mutex (now owned)
     * @throws NullPointerException if {@code timeout}, {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}, or a mutex's hold count would overflow
     */
    public static int any(Duration timeout, Waitable... objects) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        if (nanos != 0L) {
            Dispatch.checkCanBlock(); // decided by the timeout, not by how much of it is left on entry
        }
        return WaitEngine.any(objects, !Timeouts.isForever(nanos),
                Timeouts.deadline(nanos), true);
    }

    /**
     * Waits until one of the objects can be acquired, and acquires it.
     *
     * @param objects the objects; may repeat an object; if empty, waits until interrupted
     * @return the index of the acquired object
     * @throws InterruptedException if interrupted before an acquisition (nothing acquired)
     * @throws AbandonedMutexException if the acquired object is an abandoned mutex (now owned)
     * @throws NullPointerException if {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL},
     *         or a mutex's hold count would overflow
     */
    public static int any(Waitable... objects) throws InterruptedException {
        return WaitEngine.any(objects, false, 0L, true);
    }

    /**
     * Waits until one of the objects can be acquired, or {@code deadline} passes.
     *
     * @param deadline when to give up; a passed deadline polls
     * @param objects the objects; may repeat an object, may be empty
     * @return the index of the acquired object, or {@link #TIMEOUT}
     * @throws InterruptedException if interrupted before an acquisition (nothing acquired)
     * @throws AbandonedMutexException if the acquired object is an abandoned mutex (now owned)
     * @throws NullPointerException if {@code deadline}, {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}, or a mutex's hold count would overflow
     */
    public static int any(Deadline deadline, Waitable... objects) throws InterruptedException {
        java.util.Objects.requireNonNull(deadline, "deadline");
        return WaitEngine.any(objects, deadline.timed(),
                deadline.isNever() ? 0L : deadline.deadlineNanos(), true);
    }

    /**
     * Waits at most {@code timeout} until all objects can be acquired together, and acquires
     * them all at once.
     *
     * @param timeout the longest time to wait; zero or negative polls
     * @param objects distinct objects; an empty list succeeds at once
     * @return true if all were acquired; false on timeout, with nothing acquired
     * @throws InterruptedException if interrupted before the acquisition (nothing acquired)
     * @throws AbandonedMutexException if one of them is an abandoned mutex (all now acquired)
     * @throws NullPointerException if {@code timeout}, {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object or appears twice
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}, or a mutex's hold count would overflow
     */
    public static boolean all(Duration timeout, Waitable... objects) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        if (nanos != 0L) {
            Dispatch.checkCanBlock(); // decided by the timeout, not by how much of it is left on entry
        }
        return WaitEngine.all(WaitEngine.check(objects, true), !Timeouts.isForever(nanos),
                Timeouts.deadline(nanos), true);
    }

    /**
     * Waits until all objects can be acquired together, and acquires them all at once.
     *
     * @param objects distinct objects; an empty list succeeds at once
     * @throws InterruptedException if interrupted before the acquisition (nothing acquired)
     * @throws AbandonedMutexException if one of them is an abandoned mutex (all now acquired)
     * @throws NullPointerException if {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object or appears twice
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL},
     *         or a mutex's hold count would overflow
     */
    public static void all(Waitable... objects) throws InterruptedException {
        WaitEngine.all(WaitEngine.check(objects, true), false, 0L, true);
    }

    /**
     * Waits until all objects can be acquired together, or {@code deadline} passes.
     *
     * @param deadline when to give up; a passed deadline polls
     * @param objects distinct objects; an empty list succeeds at once
     * @return true if all were acquired; false on timeout, with nothing acquired
     * @throws InterruptedException if interrupted before the acquisition (nothing acquired)
     * @throws AbandonedMutexException if one of them is an abandoned mutex (all now acquired)
     * @throws NullPointerException if {@code deadline}, {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object or appears twice
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}, or a mutex's hold count would overflow
     */
    public static boolean all(Deadline deadline, Waitable... objects) throws InterruptedException {
        java.util.Objects.requireNonNull(deadline, "deadline");
        return WaitEngine.all(WaitEngine.check(objects, true), deadline.timed(),
                deadline.isNever() ? 0L : deadline.deadlineNanos(), true);
    }

    /**
     * A future as a member of a wait: available once {@code future} is done (normally,
     * exceptionally or cancelled); acquiring it consumes nothing. A wait that acquires it after
     * the future failed throws {@link FailedCompletionException} (see {@link Completion}).
     *
     * <p>Each call returns a new member; two members of one future in one wait-all are
     * duplicates ({@link IllegalArgumentException}), as the same object twice would be.
     *
     * @param future the future; never completed, cancelled or otherwise changed by the wait
     * @return the member
     * @throws NullPointerException if {@code future} is null
     */
    public static Completion completion(CompletableFuture<?> future) {
        return new Completion(future);
    }

    /**
     * Starts a wait-any and returns at once. The future completes with the index of the
     * acquired object (lowest available index when registered, otherwise the first object
     * signalled for it), or exceptionally with {@link AbandonedMutexException} (ownership
     * taken). Acquisitions of mutexes are made for the calling thread.
     *
     * @param objects the objects; may repeat an object; if empty, the future never completes
     *        unless cancelled
     * @return the future of the wait
     * @throws NullPointerException if {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object
     */
    public static CompletableFuture<Integer> anyAsync(Waitable... objects) {
        return WaitEngine.anyAsync(WaitEngine.check(objects, false));
    }

    /**
     * Starts a wait-all and returns at once. The future completes (with {@code null}) when all
     * objects were acquired together, or exceptionally with {@link AbandonedMutexException}
     * (all acquired). Acquisitions of mutexes are made for the calling thread.
     *
     * @param objects distinct objects; an empty list completes at once
     * @return the future of the wait
     * @throws NullPointerException if {@code objects} or an element is null
     * @throws IllegalArgumentException if an element is not a Waitkit object or appears twice
     */
    public static CompletableFuture<Void> allAsync(Waitable... objects) {
        return WaitEngine.allAsync(WaitEngine.check(objects, true));
    }
}
