package io.waitkit.ipc.internal;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import java.time.Duration;
import java.util.Objects;

/**
 * The single-object waits of the handles, through the engine's one entry sequence
 * ({@link WaitEngine#enter}, then {@link WaitEngine#acquire}): the IRQL and interrupt checks,
 * the proxy's poll, then a queued wait: a platform thread sleeps on the object's futex word
 * ({@code NamedProxy.parkOutside}), a virtual thread parks.
 */
public final class Waits {
    private Waits() {
    }

    /**
     * An untimed wait for one unit.
     *
     * @param o the proxy
     * @param interruptible whether an interrupt aborts the wait (else it is re-asserted on return)
     * @return {@link WaitEngine#ACQUIRED} or {@link WaitEngine#REPORTED}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static int await(WaitObject o, boolean interruptible) throws InterruptedException {
        if (!interruptible) {
            return WaitEngine.awaitUninterruptibly(o, 1, null);
        }
        int r = WaitEngine.enter(o, 1, null, false, true);
        return r != WaitEngine.NOT_ACQUIRED ? r : WaitEngine.acquire(o, 1, null, false, 0L, true);
    }

    /**
     * A wait of at most {@code timeout} for one unit; zero or negative polls.
     *
     * @param o the proxy
     * @param timeout the longest wait
     * @return {@link WaitEngine#ACQUIRED}, {@link WaitEngine#REPORTED} or {@link WaitEngine#NOT_ACQUIRED}
     * @throws InterruptedException if interrupted (nothing acquired)
     * @throws NullPointerException if {@code timeout} is null
     */
    public static int await(WaitObject o, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        boolean poll = timeout.isNegative() || timeout.isZero();
        int r = WaitEngine.enter(o, 1, null, poll, true);
        if (r != WaitEngine.NOT_ACQUIRED || poll) {
            return r;
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        if (nanos >= Long.MAX_VALUE / 2) {
            return WaitEngine.acquire(o, 1, null, false, 0L, true); // centuries: no deadline
        }
        return WaitEngine.acquire(o, 1, null, true, System.nanoTime() + nanos, true);
    }

    /**
     * A poll for one unit; never blocks.
     *
     * @param o the proxy
     * @return {@link WaitEngine#ACQUIRED}, {@link WaitEngine#REPORTED} or {@link WaitEngine#NOT_ACQUIRED}
     */
    public static int poll(WaitObject o) {
        return WaitEngine.poll(o, 1);
    }
}
