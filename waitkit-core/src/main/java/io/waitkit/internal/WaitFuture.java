package io.waitkit.internal;

import java.util.concurrent.CompletableFuture;

/**
 * The future of an async wait. Completion means acquisition: it completes (with the winning
 * index, or {@code null} for single-object and wait-all forms) only after the engine acquired
 * on the waiter's behalf, or exceptionally with an {@code AbandonedMutexException} when the
 * acquisition took over an abandoned mutex.
 *
 * <p><b>The end decides.</b> {@link #cancel}, {@link #complete} and {@link #completeExceptionally}
 * called by users first try to withdraw the waiter with one CAS on its status. If that works,
 * nothing was or will be acquired and the future completes as asked. If it fails, the engine
 * has already claimed the waiter: the call returns {@code false}, and the future is (or, within
 * the signaller's current operation, will be) completed with the acquisition, which the caller
 * then owns. {@code orTimeout} and {@code completeOnTimeout} go through the same path.
 *
 * <p>Dependent stages are plain {@link CompletableFuture}s. The engine completes this future
 * after releasing every engine lock, at DISPATCH_LEVEL, so dependent actions that run
 * synchronously in the completing thread may poll but not block.
 *
 * @param <T> {@code Integer} (the index) for wait-any, the operation's result for a
 *        data-carrying operation, {@code Void} otherwise
 */
public final class WaitFuture<T> extends CompletableFuture<T> {
    private final Waiter waiter;
    private final boolean indexResult;
    /** When not null, the future completes with this operation's {@link WaitOperation#result()}. */
    private final WaitOperation resultOf;
    /**
     * The JFR wait event timing this pending wait ({@link Flight}), or null when none is
     * recorded. Started by {@link #leftPending} once the wait stayed queued, so an async wait
     * that completes at once costs nothing; volatile because a signaller may complete the
     * future while the starting thread sets it: an end that comes first finds null and records
     * nothing (the wait lasted no longer than its start).
     */
    private volatile Object flight;

    /** A pending single-object future with its waiter. */
    WaitFuture(Thread owner, WaitObject object, long arg, WaitOperation op, WaitOperation resultOf) {
        this.indexResult = false;
        this.resultOf = resultOf;
        this.waiter = new Waiter(owner, this, object, arg, op, null);
    }

    /** A pending wait-any ({@code indexResult}) or wait-all future on a checked list, with its waiter. */
    WaitFuture(Thread owner, boolean all, Object[] objects, boolean indexResult) {
        this.indexResult = indexResult;
        this.resultOf = null;
        this.waiter = new Waiter(owner, this, all, objects);
    }

    /** A future for an acquisition that already happened. */
    WaitFuture(boolean indexResult, WaitOperation resultOf) {
        this.indexResult = indexResult;
        this.resultOf = resultOf;
        this.waiter = null;
    }

    Waiter waiter() {
        return waiter;
    }

    boolean indexResult() {
        return indexResult;
    }

    /**
     * Called by the starting thread once its registration queued the wait: unless the wait is
     * already over (served by the wake its own registration triggered), starts the JFR wait
     * event if a recording wants it and registers the wait for diagnostics. A completion that
     * races with this is handled by both: see {@link #flight} and
     * {@link WaitRegistry#asyncPending}.
     */
    void leftPending() {
        int st = waiter.status();
        if (st >= 0 || st == Waiter.CANCELLED) {
            return; // completed at once: no event, no registration
        }
        flight = Flight.waitBegin();
        WaitRegistry.asyncPending(waiter);
    }

    /** Completes after an acquisition (engine only). */
    @SuppressWarnings("unchecked")
    void engineComplete(int index, RuntimeException abandoned) {
        WaitRegistry.asyncDone(waiter);
        Object token = flight;
        if (token != null) {
            Flight.waitEnded(token, waiter, Flight.ACQUIRED);
        }
        if (abandoned != null) {
            super.completeExceptionally(abandoned);
        } else {
            super.complete(indexResult ? (T) Integer.valueOf(index) : resultOf != null ? (T) resultOf.result() : null);
        }
    }

    private boolean withdraw() {
        return withdraw(Flight.CANCELLED);
    }

    /** Withdraws the waiter if nothing was acquired; {@code outcome} is what the JFR event records. */
    private boolean withdraw(String outcome) {
        Waiter w = waiter;
        if (w != null && w.tryCancel()) {
            WaitRegistry.asyncDone(w);
            w.withdraw();
            Object token = flight;
            if (token != null) {
                Flight.waitEnded(token, w, outcome);
            }
            return true;
        }
        return false;
    }

    /**
     * Cancels the wait if nothing has been acquired for it yet.
     *
     * @param mayInterruptIfRunning ignored: an engine wait has no running thread
     * @return {@code true} if the wait was withdrawn and this future is now cancelled;
     *         {@code false} if the engine already acquired for it (the caller owns the result)
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (withdraw()) {
            return super.cancel(mayInterruptIfRunning);
        }
        return isCancelled();
    }

    /**
     * Withdraws the wait and completes with {@code value}, if nothing has been acquired yet.
     *
     * @param value the value to complete with
     * @return {@code true} if the wait was withdrawn and this future completed with the value
     */
    @Override
    public boolean complete(T value) {
        return withdraw() && super.complete(value);
    }

    /**
     * Withdraws the wait and completes exceptionally, if nothing has been acquired yet.
     *
     * @param ex the exception
     * @return {@code true} if the wait was withdrawn and this future completed with {@code ex}
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        if (ex == null) {
            throw new NullPointerException("ex");
        }
        // orTimeout completes with a TimeoutException: the JFR event calls that a timeout
        return withdraw(ex instanceof java.util.concurrent.TimeoutException ? Flight.TIMED_OUT : Flight.CANCELLED)
                && super.completeExceptionally(ex);
    }

    /**
     * Not supported: the outcome of an engine wait is decided by the engine.
     *
     * @param value ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void obtrudeValue(T value) {
        throw new UnsupportedOperationException("the outcome of a wait future cannot be overwritten");
    }

    /**
     * Not supported: the outcome of an engine wait is decided by the engine.
     *
     * @param ex ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("the outcome of a wait future cannot be overwritten");
    }

    /**
     * Dependent stages are plain futures.
     *
     * @param <U> the type of the dependent
     * @return a new incomplete {@link CompletableFuture}
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
