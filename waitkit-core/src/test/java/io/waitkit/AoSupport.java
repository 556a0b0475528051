package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Helpers shared by the ao behaviour cases, the mixed-wait tests and the bad-input tests:
 * threads whose outcome is a future, and a bounded wait until a thread is really parked in a
 * wait (so that "A is queued before B" holds without sleeping).
 */
final class AoSupport {
    /** Generous bound for anything that should happen promptly; never used as a sleep. */
    static final Duration LONG = Duration.ofSeconds(20);
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(20);

    private AoSupport() {
    }

    /** A body run on a platform thread of its own. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    /** A platform thread running one body; its outcome is available as a future. */
    static final class Worker<T> {
        final Thread thread;
        private final CompletableFuture<T> result = new CompletableFuture<>();

        private Worker(String name, Body<T> body) {
            this.thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
                try {
                    result.complete(body.run());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }

        /** Starts {@code body} on a new daemon thread. */
        static <T> Worker<T> start(String name, Body<T> body) {
            Worker<T> w = new Worker<>(name, body);
            w.thread.start();
            return w;
        }

        /** Starts {@code body} and waits until it is parked in a wait (see {@link #awaitParked}). */
        static <T> Worker<T> startParked(String name, Body<T> body) {
            Worker<T> w = start(name, body);
            w.awaitParked();
            return w;
        }

        /**
         * Waits (bounded) until the thread is parked with a blocker object: the engine and the
         * monitor park with one only once the waiter is queued, while the short back-off parks
         * of a contended object lock have none.
         */
        Worker<T> awaitParked() {
            long end = System.nanoTime() + BOUND_NANOS;
            for (;;) {
                Thread.State s = thread.getState();
                if ((s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING)
                        && LockSupport.getBlocker(thread) != null) {
                    return this;
                }
                if (result.isDone()) {
                    fail(thread.getName() + " finished instead of blocking: " + describe());
                }
                if (System.nanoTime() - end > 0) {
                    fail(thread.getName() + " did not block within " + BOUND_NANOS / 1_000_000 + " ms; state " + s);
                }
                LockSupport.parkNanos(100_000L);
            }
        }

        /** The outcome, waiting a bounded time; a failure of the body is rethrown as an AssertionError. */
        T join() {
            try {
                return result.get(BOUND_NANOS, TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(thread.getName() + " failed", e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not finish within " + BOUND_NANOS / 1_000_000
                        + " ms; state " + thread.getState());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The exception the body ended with (bounded wait); fails if it returned normally. */
        Throwable joinFailure() {
            try {
                T value = result.get(BOUND_NANOS, TimeUnit.NANOSECONDS);
                throw new AssertionError(thread.getName() + " returned " + value + " instead of throwing");
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not finish; state " + thread.getState());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        boolean isDone() {
            return result.isDone();
        }

        /** Asserts the body has not returned yet. */
        void assertWaiting() {
            assertFalse(result.isDone(), () -> thread.getName() + " should still be waiting but ended: " + describe());
        }

        private String describe() {
            if (!result.isDone()) {
                return "running";
            }
            try {
                return "returned " + result.getNow(null);
            } catch (RuntimeException e) {
                return "threw " + e.getCause();
            }
        }
    }

    /** Runs {@code body} on another platform thread and returns its result (bounded). */
    static <T> T onOtherThread(Body<T> body) {
        return Worker.start("other", body).join();
    }

    /** Milliseconds since {@code startNanos}. */
    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Waits (bounded) for a callable-produced condition that another thread makes true. */
    static void awaitCondition(String what, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + BOUND_NANOS;
        while (!condition.call()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(100_000L);
        }
    }
}
