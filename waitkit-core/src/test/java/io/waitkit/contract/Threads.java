package io.waitkit.contract;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting helpers for concurrency tests: "wait until that thread is blocked", bounded
 * joins and bounded polling of a condition. Nothing here sleeps as a means of synchronization;
 * every wait polls an observable fact and fails the test with a thread dump of the suspect
 * thread when the bound ({@link #BOUND}, generous) is exceeded.
 */
public final class Threads {
    /** How long any helper waits before failing the test; generous for loaded 2-core machines. */
    public static final Duration BOUND = Duration.ofSeconds(20);

    private Threads() {
    }

    /**
     * Waits until {@code t} is parked in a wait: its state is WAITING or TIMED_WAITING and it
     * parked with a blocker object (every engine wait parks with one; the short back-off
     * parks of the engine's spin locks do not), so the thread is queued on the object it waits
     * for.
     *
     * @param t the thread
     */
    public static void awaitBlocked(Thread t) {
        awaitCondition(() -> {
            if (!t.isAlive()) {
                throw new AssertionError(t + " terminated instead of blocking");
            }
            Thread.State s = t.getState();
            return (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) && LockSupport.getBlocker(t) != null;
        }, () -> t + " did not block" + stack(t));
    }

    /**
     * Waits until {@code t} is in state WAITING or TIMED_WAITING, whatever it parked on (for
     * waits that park without a blocker object, such as a wait-any over no objects).
     *
     * @param t the thread
     */
    public static void awaitWaitingState(Thread t) {
        awaitCondition(() -> {
            Thread.State s = t.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        }, () -> t + " did not reach a waiting state" + stack(t));
    }

    /**
     * Joins {@code t}, failing the test if it does not terminate within {@link #BOUND}.
     *
     * @param t the thread
     */
    public static void join(Thread t) {
        try {
            if (!t.join(BOUND)) {
                throw new AssertionError(t + " did not terminate within " + BOUND + stack(t));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining " + t, e);
        }
    }

    /**
     * Polls {@code condition} until it holds, failing after {@link #BOUND}.
     *
     * @param condition the condition
     * @param what describes what was awaited, for the failure message
     */
    public static void awaitCondition(BooleanSupplier condition, String what) {
        awaitCondition(condition, () -> what);
    }

    private interface Message {
        String get();
    }

    private static void awaitCondition(BooleanSupplier condition, Message what) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (int round = 0; !condition.getAsBoolean(); round++) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + BOUND + ": " + what.get());
            }
            if (round < 100) {
                Thread.onSpinWait();
            } else if (round < 200) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(100_000L);
            }
        }
    }

    /**
     * Returns the stack of a thread, formatted for a failure message.
     *
     * @param t the thread
     * @return the stack, one frame a line
     */
    public static String stack(Thread t) {
        StringBuilder sb = new StringBuilder("\n  state ").append(t.getState()).append(", stack of ").append(t.getName())
                .append(':');
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\n    at ").append(e);
        }
        return sb.toString();
    }

    /**
     * Describes the machine's load for failure messages of timing checks, so that an
     * overloaded machine can be told apart from a slow implementation.
     *
     * @return for example {@code "load average 10.74 10.03 7.42 on 2 CPUs"}
     */
    public static String machineLoad() {
        String load;
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            load = "load average " + f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            load = "load average unknown";
        }
        return load + " on " + Runtime.getRuntime().availableProcessors() + " CPUs";
    }

    /**
     * Milliseconds elapsed since a {@link System#nanoTime()} reading, for failure messages.
     *
     * @param t0 the reading
     * @return the elapsed milliseconds
     */
    public static double millisSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
