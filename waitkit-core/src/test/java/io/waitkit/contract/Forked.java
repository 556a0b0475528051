package io.waitkit.contract;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A body of test code running on its own thread (platform or virtual), with bounded joins that
 * hand the body's result or failure back to the test thread.
 *
 * <pre>{@code
 * Forked<Boolean> waiter = Forked.call("waiter", () -> event.await(Duration.ofSeconds(20)));
 * waiter.awaitBlocked();          // it is queued on the event now
 * event.set();
 * assertTrue(waiter.join());      // bounded; rethrows what the body threw
 * }</pre>
 *
 * @param <T> the result type of the body
 */
public final class Forked<T> {
    /** A body that returns nothing and may throw. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the body.
         *
         * @throws Exception anything; handed to the joining thread
         */
        void run() throws Exception;
    }

    private final FutureTask<T> task;
    private final Thread thread;

    private Forked(Callable<T> body, Thread.Builder builder) {
        this.task = new FutureTask<>(body);
        this.thread = builder.unstarted(task);
        thread.start();
    }

    /**
     * Starts {@code body} on a new platform (daemon) thread.
     *
     * @param name the thread name
     * @param body the body
     * @param <T> the result type
     * @return the handle
     */
    public static <T> Forked<T> call(String name, Callable<T> body) {
        return new Forked<>(body, Thread.ofPlatform().name(name).daemon(true));
    }

    /**
     * Starts {@code body} on a new platform (daemon) thread.
     *
     * @param name the thread name
     * @param body the body
     * @return the handle
     */
    public static Forked<Void> run(String name, Body body) {
        return call(name, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Starts {@code body} on a new virtual thread.
     *
     * @param name the thread name
     * @param body the body
     * @param <T> the result type
     * @return the handle
     */
    public static <T> Forked<T> callVirtual(String name, Callable<T> body) {
        return new Forked<>(body, Thread.ofVirtual().name(name));
    }

    /**
     * Starts {@code body} on a new virtual thread.
     *
     * @param name the thread name
     * @param body the body
     * @return the handle
     */
    public static Forked<Void> runVirtual(String name, Body body) {
        return callVirtual(name, () -> {
            body.run();
            return null;
        });
    }

    /**
     * The thread running the body.
     *
     * @return the thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Waits (bounded) until the thread is parked in a wait; see {@link Threads#awaitBlocked}.
     *
     * @return this
     */
    public Forked<T> awaitBlocked() {
        Threads.awaitBlocked(thread);
        return this;
    }

    /**
     * Whether the body has finished (normally or not).
     *
     * @return true if finished
     */
    public boolean isDone() {
        return task.isDone();
    }

    /** Interrupts the thread. */
    public void interrupt() {
        thread.interrupt();
    }

    /**
     * Waits (bounded) for the body and its thread to finish and returns the body's result.
     * An {@link Error} thrown by the body (a failed assertion) is rethrown as is; any other
     * exception is wrapped in an {@link AssertionError}.
     *
     * @return the result
     */
    public T join() {
        try {
            return outcome();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Error err) {
                throw err;
            }
            throw new AssertionError(thread.getName() + " failed: " + c, c);
        }
    }

    /**
     * Waits (bounded) for the body to finish and returns what it threw, failing the test if it
     * completed normally or threw something that is not a {@code type}.
     *
     * @param type the expected exception type
     * @param <X> the type
     * @return the exception
     */
    public <X extends Throwable> X joinFailure(Class<X> type) {
        try {
            T result = outcome();
            throw new AssertionError(thread.getName() + " completed with " + result + " instead of throwing "
                    + type.getSimpleName());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            throw new AssertionError(thread.getName() + " threw " + c + " instead of " + type.getSimpleName(), c);
        }
    }

    private T outcome() throws ExecutionException {
        try {
            T result = task.get(Threads.BOUND.toNanos(), TimeUnit.NANOSECONDS);
            Threads.join(thread);
            return result;
        } catch (ExecutionException e) {
            Threads.join(thread);
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError(thread.getName() + " did not finish within " + Threads.BOUND
                    + Threads.stack(thread));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining " + thread.getName(), e);
        }
    }
}
