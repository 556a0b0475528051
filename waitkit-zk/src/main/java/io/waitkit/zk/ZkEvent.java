package io.waitkit.zk;

import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An auto- or manual-reset event shared by every process connected to one ZooKeeper ensemble,
 * with {@link #pulse()}. An auto-reset event's signal is taken by exactly one waiter (in any
 * process); a manual-reset one stays signalled until {@link #reset()}.
 *
 * <pre>{@code
 * ZkEvent ready = ns.event("config-ready", true, false);   // manual reset, not signalled
 * // on the host that publishes the configuration:
 * publish(); ready.set();
 * // on every other host:
 * ready.await(); load();
 * }</pre>
 *
 * <p><b>Blocking.</b> Waits park the calling thread (async waits hold no thread); the
 * ZooKeeper calls behind them run on the namespace's thread. The waits abort on interrupt
 * with nothing consumed, except {@link #awaitUninterruptibly()}. {@link #set()},
 * {@link #reset()}, {@link #pulse()}, {@link #isSignaled()} and {@link #tryAwait()} make their
 * ZooKeeper calls on the calling thread. What the setter did before {@code set()}
 * happens-before what a waiter of the same process does after its wait returns; across
 * processes ZooKeeper orders them.
 *
 * <p><b>Pulse.</b> Releases the threads waiting at the time (manual: all; auto: one) and
 * leaves the event non-signalled. Threads of this process are released before it returns;
 * those of other processes when their watch fires, so one that queued there in the meantime
 * may be released with them.
 */
public final class ZkEvent extends WaitOperation implements Waitable {
    private final ZkEventProxy proxy;

    ZkEvent(ZkEventProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    protected WaitObject target() {
        proxy.ns.checkOpen();
        return proxy;
    }

    /**
     * The event's name in its namespace.
     *
     * @return the name
     */
    public String name() {
        return proxy.name;
    }

    /**
     * Signals the event; an auto-reset event with a thread waiting in this process gives the
     * signal to it before returning.
     *
     * @return the previous state
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean set() {
        target();
        return proxy.set();
    }

    /**
     * Makes the event non-signalled; wakes nobody.
     *
     * @return the previous state
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean reset() {
        target();
        return proxy.reset();
    }

    /**
     * Releases the current waiters (manual: all; auto: one) and leaves the event
     * non-signalled; see the class comment.
     *
     * @return the previous state
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean pulse() {
        target();
        return proxy.pulse();
    }

    /**
     * Whether the event is signalled: reads ZooKeeper, after syncing the server this process is
     * connected to with the ensemble's leader, so that the answer reflects every set, reset,
     * pulse and consuming wait that had completed in any process when this was called.
     *
     * @return the state
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean isSignaled() {
        target();
        return proxy.isSignaled();
    }

    /**
     * Whether this is a manual-reset event (stored with it at creation).
     *
     * @return true for manual reset
     */
    public boolean isManualReset() {
        return proxy.manual;
    }

    /**
     * Waits until signalled (consuming the signal of an auto-reset event).
     *
     * @throws InterruptedException if interrupted first (nothing consumed)
     */
    public void await() throws InterruptedException {
        ZkWaits.await(target(), null, true);
    }

    /** Waits until signalled, ignoring interrupts (re-asserted on return). */
    public void awaitUninterruptibly() {
        try {
            ZkWaits.await(target(), null, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible
        }
    }

    /**
     * Waits at most {@code timeout}; zero or negative is {@link #tryAwait()}. A signal
     * already stored is taken on the calling thread before the wait queues.
     *
     * @param timeout the longest wait
     * @return true if signalled (and consumed for auto-reset)
     * @throws InterruptedException if interrupted first (nothing consumed)
     * @throws NullPointerException if {@code timeout} is null
     */
    public boolean await(Duration timeout) throws InterruptedException {
        if (timeout.isNegative() || timeout.isZero()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return tryAwait();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (tryAwait()) {
            return true; // signalled already: one ZooKeeper call here instead of the waiter's several
        }
        return ZkWaits.await(target(), null, timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the signal if the event is signalled, without waiting; reads (manual) or rewrites
     * (auto) ZooKeeper on the calling thread.
     *
     * @return true if signalled (and consumed for auto-reset)
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean tryAwait() {
        target();
        return proxy.tryTake();
    }

    /**
     * Waits asynchronously; cancelling a pending future withdraws the wait. Holds no thread
     * while pending.
     *
     * @return the future, completed once the signal is taken
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(target(), 1, this);
    }

    /**
     * Describes the handle.
     *
     * @return the class, the name and the kind
     */
    @Override
    public String toString() {
        return "ZkEvent[" + proxy.name + ", " + proxy.stateText() + "]";
    }
}
