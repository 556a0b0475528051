package io.waitkit.zk;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;

/**
 * The single-object waits of the handles, through the engine's entry sequence with the same
 * timeout rules as every other object ({@link WaitEngine#awaitNanos}: zero or negative polls,
 * about 146 years or more has no deadline).
 */
final class ZkWaits {
    private ZkWaits() {
    }

    /** An untimed wait for one unit; an ignored interrupt is re-asserted on return. */
    static int await(WaitObject o, WaitOperation op, boolean interruptible) throws InterruptedException {
        if (!interruptible) {
            return WaitEngine.awaitUninterruptibly(o, 1, op);
        }
        return WaitEngine.awaitNanos(o, 1, op, WaitEngine.FOREVER_NANOS);
    }

    /** A wait of at most {@code timeout}; zero or negative polls. */
    static int await(WaitObject o, WaitOperation op, Duration timeout) throws InterruptedException {
        return WaitEngine.awaitNanos(o, 1, op, WaitEngine.nanos(timeout));
    }

    /** A poll through the engine. */
    static int poll(WaitObject o, WaitOperation op) {
        return WaitEngine.poll(o, 1, op);
    }
}
