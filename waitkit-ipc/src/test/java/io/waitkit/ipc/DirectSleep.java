package io.waitkit.ipc;

import io.waitkit.contract.Threads;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What "blocked" means for a wait on a named object: a platform thread's single-object wait
 * sleeps in the futex system call itself (its Java state stays RUNNABLE), every other wait
 * parks as on an in-process object. The contract suites wait for one or the other.
 */
final class DirectSleep {
    private DirectSleep() {
    }

    /** Waits until {@code t} is parked with a blocker, or sleeping on a named object's futex word. */
    static void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!isBlocked(t)) {
            if (!t.isAlive()) {
                throw new AssertionError(t + " terminated instead of blocking");
            }
            if (System.nanoTime() - deadline > 0) {
                Threads.awaitBlocked(t); // fails with the thread's stack
                return;
            }
            Thread.onSpinWait();
            LockSupport.parkNanos(100_000L);
        }
    }

    private static boolean isBlocked(Thread t) {
        Thread.State s = t.getState();
        if ((s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) && LockSupport.getBlocker(t) != null) {
            return true;
        }
        if (s != Thread.State.RUNNABLE) {
            return false;
        }
        StackTraceElement[] stack = t.getStackTrace();
        boolean inFutex = false;
        for (StackTraceElement e : stack) {
            if (e.getClassName().endsWith(".Futex") && e.getMethodName().equals("wait")) {
                inFutex = true;
            }
            if (inFutex && e.getMethodName().equals("parkOutside")) {
                return true;
            }
        }
        return false;
    }
}
