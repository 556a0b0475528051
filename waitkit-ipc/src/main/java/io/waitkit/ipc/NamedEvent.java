package io.waitkit.ipc;

import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.ipc.internal.EventProxy;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.Waits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An event shared by the processes of one host: auto-reset (a wait consumes the signal) or
 * manual-reset (the signal stays until reset), with the semantics of {@link io.waitkit.Event}.
 * A handle: obtained from {@link Namespace#event}, passed to {@link io.waitkit.Wait#any} and
 * {@link io.waitkit.Wait#all} together with in-process objects.
 *
 * <pre>{@code
 * Namespace ns = Namespace.user();
 * try (NamedEvent ready = ns.event("jobs-ready", false, false)) {
 *     ready.await(Duration.ofSeconds(5));   // another process calls ready.set()
 * }
 * }</pre>
 *
 * <p><b>Order.</b> A {@link #set()} serves the waiters of its own JVM first, in FIFO order, and
 * before it returns (a read right after it shows their acquisition, as in-process); a signal
 * left over then (manual-reset, or auto-reset with no local waiter) wakes the other processes,
 * whose waiters race for it: among processes there is no FIFO order. A waiter of this JVM learns
 * of another process's set through this JVM's waiter pool, so it sees the setter's writes to
 * shared memory made before the set (the outside lock's release/acquire pair).
 *
 * <p><b>Blocking.</b> Every wait queues in this JVM's FIFO queue of the object. A platform
 * thread's single-object wait then sleeps in {@code futex} on the object's word itself (one
 * wake-up from another process); every other wait (virtual threads, async waits, waits on
 * several objects) parks, and a platform thread of the module's waiter pool sleeps in
 * {@code futex_waitv} for it, so a virtual thread never blocks in a system call. Interrupts abort interruptible waits with nothing consumed. All
 * methods throw {@link IllegalStateException} once this handle is closed.
 */
public final class NamedEvent extends NamedHandle<EventProxy> implements NamedObject, Waitable {
    NamedEvent(HandleState<EventProxy> state) {
        super(state, "event");
    }

    /**
     * Signals the event; see the class comment for who is served.
     *
     * @return the previous state
     */
    public boolean set() {
        return proxy().set();
    }

    /**
     * Makes the event non-signalled.
     *
     * @return the previous state
     */
    public boolean reset() {
        return proxy().reset();
    }

    /**
     * Releases the waiters blocked now (manual-reset: all of them in every process; auto-reset:
     * one) and leaves the event non-signalled. A pulse reaches another process's waiters through
     * that process's waiter pool: it releases those queued there when the pulse arrives.
     *
     * @return the previous state
     */
    public boolean pulse() {
        return proxy().pulse();
    }

    /**
     * The state, a snapshot: never a value that a change in progress in any process is about to
     * replace (it waits that change out, briefly, taking the object's locks if it is slow), so
     * right after a wait of this JVM on an auto-reset event returned, nobody having set it
     * since, this is {@code false}. Does not block beyond that.
     *
     * @return true if signalled
     */
    public boolean isSignaled() {
        return proxy().isSignaled();
    }

    /**
     * The kind fixed at creation.
     *
     * @return true for manual-reset
     */
    public boolean isManualReset() {
        return proxy().isManualReset();
    }

    /**
     * Waits until the event is signalled (consuming the signal if auto-reset).
     *
     * @throws InterruptedException if interrupted first (nothing consumed)
     */
    public void await() throws InterruptedException {
        Waits.await(proxy(), true);
    }

    /**
     * Waits until the event is signalled, ignoring interrupts (re-asserted on return).
     */
    public void awaitUninterruptibly() {
        try {
            Waits.await(proxy(), false);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible
        }
    }

    /**
     * Waits at most {@code timeout}; zero or negative polls.
     *
     * @param timeout the longest wait
     * @return true if signalled (and consumed, for auto-reset), false on timeout
     * @throws InterruptedException if interrupted first (nothing consumed)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return Waits.await(proxy(), timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the signal if the event is signalled now; never blocks.
     *
     * @return true if signalled (and consumed, for auto-reset)
     */
    public boolean tryAwait() {
        return Waits.poll(proxy()) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits asynchronously: the future completes once the event is signalled (consuming the
     * signal for an auto-reset event); cancelling a pending future withdraws the wait.
     *
     * @return the future
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(proxy(), 1, this);
    }

    @Override
    String describe() {
        EventProxy p = proxy();
        return (p.isManualReset() ? "manual-reset, " : "auto-reset, ") + p.stateText();
    }
}
