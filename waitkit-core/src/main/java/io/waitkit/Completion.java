package io.waitkit;

import io.waitkit.internal.Proxy;
import io.waitkit.internal.WaitOperation;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A {@link CompletableFuture} as a member of {@link Wait#any} and {@link Wait#all}: available
 * once the future is done, whether normally, exceptionally or by cancellation. Made by
 * {@link Wait#completion(CompletableFuture)}.
 *
 * <p><b>Acquiring consumes nothing</b>, as for a manual-reset {@link Event}: once the future
 * is done, every wait that lists it may acquire it, any number of times, and it never becomes
 * unavailable again. Wait-any still acquires exactly one member, and an async wait's
 * {@code cancel} still decides.
 *
 * <p><b>Failures are reported, not swallowed.</b> When a wait acquires a completion whose
 * future completed exceptionally or was cancelled, the wait throws
 * {@link FailedCompletionException} after acquiring, the way an abandoned mutex is reported:
 * for wait-any it carries the member's index (nothing else was acquired), for wait-all index
 * -1 and every other member is acquired as usual; the async forms complete exceptionally with
 * it. Use {@link #future()} to read the result of a future that completed normally.
 *
 * <p><b>Memory visibility.</b> Everything the completing thread did before completing the
 * future happens-before a wait that acquires this member returns.
 *
 * <p>How it works: this is a proxy of the wait engine (see {@code docs/design.md}): the state
 * is the future's, and the future's completion signals this object, which hands off to the
 * waits queued on it as a release of a local object would.
 *
 * <pre>{@code
 * CompletableFuture<Config> reload = fetchConfigAsync();
 * Completion loaded = Wait.completion(reload);
 * switch (Wait.any(Duration.ofSeconds(5), shutdown, loaded)) {
 *     case 0 -> stop();
 *     case 1 -> apply(reload.join());        // done normally (a failure would have thrown)
 *     case Wait.TIMEOUT -> keepOldConfig();
 *     default -> throw new AssertionError();
 * }
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported; see package io.waitkit.internal
public final class Completion extends Proxy implements Waitable {
    private static final long PENDING = 0L;
    private static final long DONE = 1L;
    private static final long FAILED_DONE = 2L;

    private final CompletableFuture<?> future;

    Completion(CompletableFuture<?> future) {
        this.future = Objects.requireNonNull(future, "future");
        // Runs after the future is done (at once if it already is): serves the waits queued
        // meanwhile. A wait that registers later sees the future done under the object lock.
        future.whenComplete((result, failure) -> signal());
    }

    /**
     * Returns the future this member stands for.
     *
     * @return the future
     */
    public CompletableFuture<?> future() {
        return future;
    }

    /**
     * Whether the future is done (available to every wait).
     *
     * @return true once the future completed in any way
     */
    public boolean isDone() {
        return future.isDone();
    }

    /** Two members of one future are one object to a wait-all. */
    @Override
    protected Object outsideIdentity() {
        return future;
    }

    private long outcome() {
        return !future.isDone() ? PENDING : future.isCompletedExceptionally() ? FAILED_DONE : DONE;
    }

    // ---- engine hooks: the outside state is the future's; no lock guards it (it only ever
    // goes from pending to done)

    @Override
    protected long lockOutside() {
        return outcome();
    }

    @Override
    protected void unlockOutside(long value) {
        // nothing to store: acquiring consumes nothing
    }

    @Override
    protected long spinSnapshot() {
        return outcome(); // waits for a future do not spin; the hook still says what changes
    }

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return value == PENDING ? UNAVAILABLE : value == DONE ? value : value | MUST_REPORT;
    }

    @Override
    protected boolean mayWake(long value) {
        return value != PENDING;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        long v = outcome();
        return v == PENDING ? POLL_FAILED : v == DONE ? POLL_ACQUIRED : POLL_REPORTED;
    }

    @Override
    protected RuntimeException reportException(int index, Object member) {
        Throwable cause;
        try {
            future.join();
            throw new AssertionError("reported a future that completed normally");
        } catch (CompletionException e) {
            cause = e.getCause() != null ? e.getCause() : e;
        } catch (CancellationException e) {
            cause = e;
        }
        return new FailedCompletionException(index, this, cause);
    }

    /**
     * Waits until the future is done.
     *
     * @throws InterruptedException if interrupted first
     * @throws FailedCompletionException if the future completed exceptionally or was cancelled
     */
    public void await() throws InterruptedException {
        if (Wait.any(this) != 0) {
            throw new AssertionError();
        }
    }

    /**
     * A description with the future's state and whether waits are queued.
     *
     * @return for example {@code Completion[pending, waiters=2]} (waiters of this process)
     */
    @Override
    public String toString() {
        long v = outcome();
        return "Completion[" + (v == PENDING ? "pending" : v == DONE ? "done" : "failed")
                + ", waiters=" + queuedCount() + "]";
    }
}
