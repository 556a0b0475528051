package io.waitkit.ipc.internal;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;

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
        return await(o, null, interruptible);
    }

    /**
     * An untimed wait for one unit with an operation that carries data in or out.
     *
     * @param o the proxy
     * @param op the operation the proxy's hooks receive, or null
     * @param interruptible whether an interrupt aborts the wait (else it is re-asserted on return)
     * @return {@link WaitEngine#ACQUIRED} or {@link WaitEngine#REPORTED}
     * @throws InterruptedException if interruptible and interrupted (nothing acquired)
     */
    public static int await(WaitObject o, WaitOperation op, boolean interruptible) throws InterruptedException {
        if (!interruptible) {
            Mapping m = hold(o);
            try {
                return WaitEngine.awaitUninterruptibly(o, 1, op);
            } finally {
                letGo(m);
            }
        }
        return awaitNanos(o, op, WaitEngine.FOREVER_NANOS);
    }

    /**
     * Keeps the object mapped for a wait that blocks, so that another thread's close of the
     * last handle meanwhile does not unmap it under the wait (the mapping then goes away when
     * the wait ends, as {@code NamedObject.close()} says).
     */
    private static Mapping hold(WaitObject o) {
        if (!(o instanceof NamedProxy p)) {
            return null;
        }
        Mapping m = p.mapping();
        if (!m.retain()) {
            throw new IllegalStateException("named object " + m.name() + " is closed");
        }
        return m;
    }

    private static void letGo(Mapping m) {
        if (m != null) {
            m.release();
        }
    }

    /** Polls of a virtual thread before it queues: a few microseconds, as a platform thread's spin. */
    private static final int VIRTUAL_RETRIES = 256;

    /**
     * After a failed first poll: a virtual thread retries the lock-free poll of an object whose
     * poll needs no lock (an event, a semaphore) a few microseconds before it queues, as a
     * platform thread does through the engine's spin-before-queueing (which leaves virtual
     * threads out: most objects would hold the carrier longer). An interrupt ends the retries,
     * so an interruptible wait still throws with nothing acquired.
     */
    private static int retry(WaitObject o, WaitOperation op, int r) {
        if (r != WaitEngine.NOT_ACQUIRED || !(o instanceof NamedProxy p) || !p.lockFreePoll()) {
            return r;
        }
        Thread me = Thread.currentThread();
        if (!me.isVirtual()) {
            return r;
        }
        for (int i = 0; i < VIRTUAL_RETRIES && !me.isInterrupted(); i++) {
            Thread.onSpinWait();
            r = WaitEngine.poll(o, 1, op);
            if (r != WaitEngine.NOT_ACQUIRED) {
                return r;
            }
        }
        return WaitEngine.NOT_ACQUIRED;
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
        return await(o, null, timeout);
    }

    /**
     * A wait of at most {@code timeout} for one unit with an operation that carries data in or
     * out; zero or negative polls.
     *
     * @param o the proxy
     * @param op the operation the proxy's hooks receive, or null
     * @param timeout the longest wait
     * @return {@link WaitEngine#ACQUIRED}, {@link WaitEngine#REPORTED} or {@link WaitEngine#NOT_ACQUIRED}
     * @throws InterruptedException if interrupted (nothing acquired)
     * @throws NullPointerException if {@code timeout} is null
     */
    public static int await(WaitObject o, WaitOperation op, Duration timeout) throws InterruptedException {
        return awaitNanos(o, op, WaitEngine.nanos(timeout));
    }

    /**
     * {@link WaitEngine#awaitNanos} with this module's two additions: a virtual thread retries
     * the lock-free poll briefly before it queues ({@link #retry}), and the mapping is held while
     * the wait may sleep on its futex word ({@link #hold}).
     */
    private static int awaitNanos(WaitObject o, WaitOperation op, long nanos) throws InterruptedException {
        boolean poll = nanos <= 0L;
        int r = WaitEngine.enter(o, 1, op, poll, true);
        if (r != WaitEngine.NOT_ACQUIRED || poll) {
            return r;
        }
        r = retry(o, op, r);
        if (r != WaitEngine.NOT_ACQUIRED) {
            return r;
        }
        Mapping m = hold(o);
        try {
            return WaitEngine.acquireNanos(o, 1, op, nanos);
        } finally {
            letGo(m);
        }
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

    /**
     * A poll for one unit with an operation; never blocks.
     *
     * @param o the proxy
     * @param op the operation the proxy's hooks receive, or null
     * @return {@link WaitEngine#ACQUIRED}, {@link WaitEngine#REPORTED} or {@link WaitEngine#NOT_ACQUIRED}
     */
    public static int poll(WaitObject o, WaitOperation op) {
        return WaitEngine.poll(o, 1, op);
    }
}
