package io.waitkit.ipc;

import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import io.waitkit.ipc.internal.EventProxy;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.Waits;
import java.time.Duration;
import java.util.OptionalLong;
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
public final class NamedEvent extends WaitOperation implements NamedObject, Waitable {
    private final HandleState<EventProxy> state;

    NamedEvent(HandleState<EventProxy> state) {
        this.state = state;
    }

    /** {@inheritDoc} The proxy shared by every handle of this object in this JVM. */
    @Override
    protected WaitObject target() {
        return state.proxy();
    }

    /**
     * Signals the event; see the class comment for who is served.
     *
     * @return the previous state
     */
    public boolean set() {
        return state.proxy().set();
    }

    /**
     * Makes the event non-signalled.
     *
     * @return the previous state
     */
    public boolean reset() {
        return state.proxy().reset();
    }

    /**
     * Releases the waiters blocked now (manual-reset: all of them in every process; auto-reset:
     * one) and leaves the event non-signalled. A pulse reaches another process's waiters through
     * that process's waiter pool: it releases those queued there when the pulse arrives.
     *
     * @return the previous state
     */
    public boolean pulse() {
        return state.proxy().pulse();
    }

    /**
     * The state, a snapshot.
     *
     * @return true if signalled
     */
    public boolean isSignaled() {
        return state.proxy().isSignaled();
    }

    /**
     * The kind fixed at creation.
     *
     * @return true for manual-reset
     */
    public boolean isManualReset() {
        return state.proxy().isManualReset();
    }

    /**
     * Waits until the event is signalled (consuming the signal if auto-reset).
     *
     * @throws InterruptedException if interrupted first (nothing consumed)
     */
    public void await() throws InterruptedException {
        Waits.await(state.proxy(), true);
    }

    /**
     * Waits until the event is signalled, ignoring interrupts (re-asserted on return).
     */
    public void awaitUninterruptibly() {
        try {
            Waits.await(state.proxy(), false);
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
        return Waits.await(state.proxy(), timeout) == WaitEngine.ACQUIRED;
    }

    /**
     * Takes the signal if the event is signalled now; never blocks.
     *
     * @return true if signalled (and consumed, for auto-reset)
     */
    public boolean tryAwait() {
        return Waits.poll(state.proxy()) == WaitEngine.ACQUIRED;
    }

    /**
     * Waits asynchronously: the future completes once the event is signalled (consuming the
     * signal for an auto-reset event); cancelling a pending future withdraws the wait.
     *
     * @return the future
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(state.proxy(), 1, this);
    }

    @Override
    public String name() {
        return state.name();
    }

    @Override
    public boolean created() {
        return state.created();
    }

    @Override
    public NamedObjectInfo info() {
        EventProxy p = state.proxy();
        return new NamedObjectInfo(name(), "event", p.stateText(), OptionalLong.empty(), p.waiters(), state.mapping().openers());
    }

    @Override
    public void close() {
        state.close();
    }

    /**
     * Describes the handle.
     *
     * @return for example {@code NamedEvent[jobs-ready, auto-reset, signaled]}
     */
    @Override
    public String toString() {
        if (state.isClosed()) {
            return "NamedEvent[" + name() + ", closed]";
        }
        EventProxy p = state.proxy();
        return "NamedEvent[" + name() + ", " + (p.isManualReset() ? "manual-reset" : "auto-reset") + ", " + p.stateText() + "]";
    }
}
