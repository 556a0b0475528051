package io.waitkit;

import io.waitkit.internal.Dispatch;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import java.time.Duration;
import java.util.Objects;

/**
 * The common shape of every single-object wait of the primitives: the IRQL check, the
 * interrupt check on entry, a poll (the object's lock-free fast path), then the engine's
 * blocking path. Results are the engine's codes: {@link WaitEngine#ACQUIRED},
 * {@link WaitEngine#ABANDONED} or {@link WaitEngine#TIMEOUT}.
 */
final class Blocking {
    private Blocking() {
    }

    /** Waits without a timeout; interruptible. */
    static int await(WaitObject o, long arg, Object op) throws InterruptedException {
        Dispatch.checkCanBlock();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int r = WaitEngine.poll(o, arg, op);
        return r != WaitEngine.TIMEOUT ? r : WaitEngine.acquire(o, arg, op, false, 0L, true);
    }

    /** Waits without a timeout, ignoring interrupts (re-asserted on return). */
    static int awaitUninterruptibly(WaitObject o, long arg, Object op) {
        Dispatch.checkCanBlock();
        int r = WaitEngine.poll(o, arg, op);
        if (r != WaitEngine.TIMEOUT) {
            return r;
        }
        try {
            return WaitEngine.acquire(o, arg, op, false, 0L, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits at most {@code timeout}; zero or negative polls. */
    static int await(WaitObject o, long arg, Object op, Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        return await(o, arg, op, !Timeouts.isForever(nanos), Timeouts.deadline(nanos), nanos == 0L);
    }

    /** Waits until {@code deadline}; a passed deadline polls. */
    static int await(WaitObject o, long arg, Object op, Deadline deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        return await(o, arg, op, deadline.timed(), deadline.isNever() ? 0L : deadline.deadlineNanos(),
                deadline.isExpired());
    }

    private static int await(WaitObject o, long arg, Object op, boolean timed, long deadline, boolean poll)
            throws InterruptedException {
        if (!poll) {
            Dispatch.checkCanBlock();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int r = WaitEngine.poll(o, arg, op);
        return r != WaitEngine.TIMEOUT || poll ? r : WaitEngine.acquire(o, arg, op, timed, deadline, true);
    }

    /** Never blocks. */
    static int poll(WaitObject o, long arg, Object op) {
        return WaitEngine.poll(o, arg, op);
    }
}
