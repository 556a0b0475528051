package io.waitkit.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Test helpers: threads with results, and bounded waits for conditions (never sleeps as synchronization). */
public final class TestThreads {
    /** Generous bound for anything that must happen "soon". */
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private TestThreads() {
    }

    /** A started platform thread computing a value. */
    public static final class Running<T> {
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private final Thread thread;

        Running(String name, Callable<T> body) {
            thread = Thread.ofPlatform().name(name).unstarted(() -> {
                try {
                    result.complete(body.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            thread.start();
        }

        public Thread thread() {
            return thread;
        }

        public boolean isDone() {
            return result.isDone();
        }

        /** The value, waiting at most {@link #PATIENCE}; rethrows the body's failure. */
        public T get() throws Exception {
            try {
                return result.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) {
                    throw x;
                }
                throw new AssertionError(e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError(thread.getName() + " did not finish within " + PATIENCE + "; state "
                        + thread.getState(), e);
            } finally {
                thread.join(PATIENCE.toMillis());
            }
        }
    }

    public static <T> Running<T> start(String name, Callable<T> body) {
        return new Running<>(name, body);
    }

    /** Waits (bounded) until the condition holds. */
    public static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(200_000L);
        }
    }

    /** Waits (bounded) until the thread is parked (WAITING or TIMED_WAITING). */
    public static void awaitBlocked(Thread t) {
        eventually(t.getName() + " is blocked", () -> {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }

    /** Milliseconds elapsed since a {@link System#nanoTime()} reading. */
    public static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
