package io.waitkit;

import io.waitkit.internal.WaitEngine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An event: a signalled/non-signalled flag that threads wait for, as in NT, AxisOS and the ao
 * kernel ({@code are}/{@code mre}).
 *
 * <ul>
 *   <li>An <b>auto-reset</b> event releases one waiter per {@link #set()}: the first waiter
 *       (FIFO) takes the signal and the event is non-signalled again. With no waiter the event
 *       stays signalled until one wait consumes it; sets do not accumulate.</li>
 *   <li>A <b>manual-reset</b> event releases every waiter and stays signalled until
 *       {@link #reset()}; waits on a signalled manual event return at once.</li>
 *   <li>{@link #pulse()} sets, releases the waiters that the set would release, and resets, as
 *       one atomic step: afterwards the event is always non-signalled.</li>
 * </ul>
 *
 * <p>Hand-off: the thread calling {@code set} performs the waiters' acquisition before it
 * returns, so {@link #isSignaled()} read right after {@code set()} on an auto-reset event with a
 * waiter is already {@code false}. Uncontended {@code set}, {@code reset} and waits on a
 * signalled event are one CAS and allocate nothing.
 *
 * <p>Memory visibility: actions before {@code set()} or {@code pulse()} happen-before the
 * actions after a wait that returned because of that signal (or later).
 *
 * <pre>{@code
 * Event ready = Event.manualReset(false);
 * Thread.ofVirtual().start(() -> { loadConfig(); ready.set(); });
 * if (!ready.await(Duration.ofSeconds(5))) throw new TimeoutException("config not loaded");
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported; see package io.waitkit.internal
public final class Event extends SignalState implements Waitable {

    private final boolean manualReset;

    private Event(boolean manualReset, boolean signaled) {
        // events often pass a turn between two threads (ping-pong, hand-over of work), where the
        // answer comes within microseconds and a park/unpark round trip per turn would dominate
        super(signaled, !manualReset, SPINS_BEFORE_PARKING);
        this.manualReset = manualReset;
    }

    /**
     * Creates an auto-reset event.
     *
     * @param signaled the initial state
     * @return the event
     */
    public static Event autoReset(boolean signaled) {
        return new Event(false, signaled);
    }

    /**
     * Creates a manual-reset event.
     *
     * @param signaled the initial state
     * @return the event
     */
    public static Event manualReset(boolean signaled) {
        return new Event(true, signaled);
    }

    // ---- signalling

    /**
     * Signals the event. An auto-reset event hands the signal to the first waiter, if any, and
     * otherwise stays signalled until a wait consumes it; a manual-reset event releases every
     * waiter and stays signalled. Wait-all waiters that this completes are served first.
     * Never blocks.
     *
     * @return the previous state: {@code true} if it was already signalled (nothing changed)
     */
    public boolean set() {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                break;
            }
            if ((s & SIGNALED) != 0) {
                return true;
            }
            if (!isQuiet(s)) {
                break;
            }
            if (compareAndSetState(s, s | SIGNALED)) {
                return false;
            }
        }
        long v = lockForSignal();
        boolean previous = (v & SIGNALED) != 0;
        if (!previous) {
            v = wake(v | SIGNALED);
        }
        unlockAfterSignal(v);
        return previous;
    }

    /**
     * Makes the event non-signalled. Waiters keep waiting. Never blocks.
     *
     * @return the previous state
     */
    public boolean reset() {
        return clearSignal();
    }

    /**
     * Atomically sets the event, releases the waiters a {@link #set()} would release (one for
     * auto-reset, all current ones for manual-reset; wait-all waiters that this completes
     * first), and resets it. With no waiter it only resets. Never blocks.
     *
     * @return the previous state
     */
    public boolean pulse() {
        for (;;) {
            long s = getStateVolatile();
            if (!isQuiet(s)) {
                break;
            }
            if (compareAndSetState(s, s & ~SIGNALED)) {
                return (s & SIGNALED) != 0;
            }
        }
        long v = lockForSignal();
        boolean previous = (v & SIGNALED) != 0;
        v = wake(v | SIGNALED) & ~SIGNALED;
        unlockAfterSignal(v);
        return previous;
    }

    // ---- queries

    /**
     * Returns whether the event is signalled (a snapshot).
     *
     * @return true if signalled
     */
    public boolean isSignaled() {
        return signaled();
    }

    /**
     * Returns whether this is a manual-reset event.
     *
     * @return true for manual-reset, false for auto-reset
     */
    public boolean isManualReset() {
        return manualReset;
    }

    // ---- waiting

    /**
     * Waits until the event is signalled, consuming the signal of an auto-reset event.
     *
     * @throws InterruptedException if interrupted before the signal was taken (the signal is
     *         then left for others)
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void await() throws InterruptedException {
        if (WaitEngine.enter(this, 1, null, false, true) == WaitEngine.NOT_ACQUIRED) {
            WaitEngine.acquire(this, 1, null, false, 0L, true); // no frame of the entry while parked
        }
    }

    /**
     * Waits until the event is signalled, ignoring interrupts; an interrupt received meanwhile
     * is re-asserted on return.
     *
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void awaitUninterruptibly() {
        Blocking.awaitUninterruptibly(this, 1, null);
    }

    /**
     * Waits at most {@code timeout} for the event. A zero or negative timeout polls.
     *
     * @param timeout the longest time to wait
     * @return true if the event was signalled (and, for auto-reset, consumed); false on timeout
     * @throws InterruptedException if interrupted before the signal was taken
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, null, timeout) != WaitEngine.NOT_ACQUIRED;
    }

    /**
     * Waits at most the given time for the event, as
     * {@link java.util.concurrent.CountDownLatch#await(long, TimeUnit)} and
     * {@link #await(Duration)}. A zero or negative time polls; a time too large for nanoseconds
     * waits without a limit.
     *
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return true if the event was signalled (and, for auto-reset, consumed); false on timeout
     * @throws InterruptedException if interrupted before the signal was taken
     * @throws NullPointerException if {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return Blocking.awaitNanos(this, 1, null, Timeouts.nanos(timeout, unit)) != WaitEngine.NOT_ACQUIRED;
    }

    /**
     * Waits until the event is signalled or {@code deadline} passes. A deadline that has passed
     * polls.
     *
     * @param deadline when to give up
     * @return true if the event was signalled (and, for auto-reset, consumed); false on timeout
     * @throws InterruptedException if interrupted before the signal was taken
     * @throws NullPointerException if {@code deadline} is null
     * @throws IllegalStateException if the deadline has not passed and the current thread runs
     *         at {@link Irql#DISPATCH_LEVEL}
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        return Blocking.await(this, 1, null, deadline) != WaitEngine.NOT_ACQUIRED;
    }

    /**
     * Takes the signal if the event is signalled now; never blocks.
     *
     * @return true if the event was signalled (and, for auto-reset, is now consumed)
     */
    public boolean tryAwait() {
        return WaitEngine.poll(this, 1) != WaitEngine.NOT_ACQUIRED;
    }

    /**
     * Waits asynchronously. The future completes (with {@code null}) once the signal was taken
     * for it; cancelling a pending future withdraws the wait, and a {@code cancel} that returns
     * {@code false} means the signal was already taken.
     *
     * @return the future of the wait
     */
    public CompletableFuture<Void> awaitAsync() {
        return WaitEngine.acquireAsync(this, 1);
    }

    /**
     * Describes the event.
     *
     * @return for example {@code Event[manual-reset, signaled, waiters=0]}; never blocks
     */
    @Override
    public String toString() {
        return "Event[" + (manualReset ? "manual-reset" : "auto-reset") + ", "
                + (isSignaled() ? "signaled" : "non-signaled") + ", waiters=" + queuedCount() + "]";
    }
}
