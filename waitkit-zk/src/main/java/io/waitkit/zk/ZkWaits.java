package io.waitkit.zk;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;

/** The single-object waits of the handles, through the engine's entry sequence. */
final class ZkWaits {
    private ZkWaits() {
    }

    /** An untimed wait for one unit; an ignored interrupt is re-asserted on return. */
    static int await(WaitObject o, WaitOperation op, boolean interruptible) throws InterruptedException {
        if (!interruptible) {
            return WaitEngine.awaitUninterruptibly(o, 1, op);
        }
        int r = WaitEngine.enter(o, 1, op, false, true);
        return r != WaitEngine.NOT_ACQUIRED ? r : WaitEngine.acquire(o, 1, op, false, 0L, true);
    }

    /** A wait of at most {@code timeout}; the caller handles zero and negative (polls). */
    static int await(WaitObject o, WaitOperation op, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        int r = WaitEngine.enter(o, 1, op, false, true);
        if (r != WaitEngine.NOT_ACQUIRED) {
            return r;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        if (nanos >= Long.MAX_VALUE / 2) {
            return WaitEngine.acquire(o, 1, op, false, 0L, true);
        }
        return WaitEngine.acquire(o, 1, op, true, System.nanoTime() + nanos, true);
    }

    /** A poll through the engine. */
    static int poll(WaitObject o, WaitOperation op) {
        return WaitEngine.poll(o, 1, op);
    }
}
