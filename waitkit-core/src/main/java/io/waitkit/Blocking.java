package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@link Duration} and {@link Deadline} forms of the primitives' single-object waits over
 * the engine's one entry sequence ({@link WaitEngine#enter}: the IRQL check, the interrupt
 * check on entry, the object's lock-free fast path, then the engine). Results are the engine's codes: {@link WaitEngine#ACQUIRED},
 * {@link WaitEngine#REPORTED} or {@link WaitEngine#NOT_ACQUIRED}.
 */
final class Blocking {
    private Blocking() {
    }

    /** Waits without a timeout; interruptible. */
    static int await(WaitObject o, long arg, WaitOperation op) throws InterruptedException {
        return WaitEngine.awaitNanos(o, arg, op, WaitEngine.FOREVER_NANOS);
    }

    /** Waits without a timeout, ignoring interrupts (re-asserted on return). */
    static int awaitUninterruptibly(WaitObject o, long arg, WaitOperation op) {
        return WaitEngine.awaitUninterruptibly(o, arg, op);
    }

    /** Waits at most {@code timeout}; zero or negative polls. */
    static int await(WaitObject o, long arg, WaitOperation op, Duration timeout) throws InterruptedException {
        return awaitNanos(o, arg, op, Timeouts.nanos(timeout));
    }

    /** Waits at most {@code nanos} (see {@link Timeouts#nanos}); zero polls. */
    static int awaitNanos(WaitObject o, long arg, WaitOperation op, long nanos) throws InterruptedException {
        return WaitEngine.awaitNanos(o, arg, op, nanos);
    }

    /** Waits until {@code deadline}; a passed deadline polls. */
    static int await(WaitObject o, long arg, WaitOperation op, Deadline deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        return await(o, arg, op, deadline.timed(), deadline.isNever() ? 0L : deadline.deadlineNanos(),
                deadline.isExpired());
    }

    private static int await(WaitObject o, long arg, WaitOperation op, boolean timed, long deadline, boolean poll)
            throws InterruptedException {
        int r = WaitEngine.enter(o, arg, op, poll, true);
        return r != WaitEngine.NOT_ACQUIRED || poll ? r : WaitEngine.acquire(o, arg, op, timed, deadline, true);
    }

    /** Never blocks. */
    static int poll(WaitObject o, long arg, WaitOperation op) {
        return WaitEngine.poll(o, arg, op);
    }
}
