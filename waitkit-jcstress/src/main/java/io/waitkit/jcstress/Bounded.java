package io.waitkit.jcstress;

import io.waitkit.Barrier;
import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Channel;
import io.waitkit.Counter;
import io.waitkit.Deadline;
import io.waitkit.Event;
import io.waitkit.Mutex;
import io.waitkit.RwLock;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/*
 * Bounded blocking for the jcstress actors. jcstress actors run in tight loops and must never
 * hang, so every blocking call goes through here with a generous timeout (PATIENCE): in a test
 * whose interleavings all make the object available eventually, a timeout is a lost wake-up
 * (the test records it as a FORBIDDEN outcome), not an expected result. Interrupts never come
 * from the harness; one that does is turned into an unchecked exception, which jcstress
 * reports as a test error (and the build fails).
 */
final class Bounded {
    /** How long a wait that must succeed may take before the test calls it lost. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Bounded() {
    }

    static boolean await(Event event) {
        try {
            return event.await(PATIENCE);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static boolean tryLock(Mutex mutex) {
        try {
            return mutex.tryLock(PATIENCE);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static boolean tryAcquire(Semaphore semaphore) {
        try {
            return semaphore.tryAcquire(PATIENCE);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static int any(Duration timeout, Waitable... objects) {
        try {
            return Wait.any(timeout, objects);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static int any(Deadline deadline, Waitable... objects) {
        try {
            return Wait.any(deadline, objects);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static boolean all(Duration timeout, Waitable... objects) {
        try {
            return Wait.all(timeout, objects);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static boolean tryLock(RwLock.Side side) {
        try {
            return side.tryLock(PATIENCE);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static <T> boolean send(Channel<T> channel, T item) {
        try {
            return channel.send(item, PATIENCE);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Receives with the given timeout, which may be short: null if it expired. */
    static <T> T receive(Channel<T> channel, Duration timeout) {
        try {
            return channel.receive(timeout);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    static boolean await(Barrier barrier) {
        try {
            return barrier.await(PATIENCE);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Waits for an update of {@code counter} that satisfies {@code match}: null on timeout. */
    static Change await(Counter counter, ChangeMatch match) {
        try {
            return counter.await(match, PATIENCE);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Waits for an asynchronous operation. On timeout, tries to cancel it: a cancel that fails
     * means the engine acquired on its behalf after all, and the future is about to complete,
     * so this waits once more.
     *
     * @return true if the operation completed, false if it timed out and was withdrawn
     */
    static boolean completes(Future<?> future) {
        try {
            future.get(PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return !future.cancel(false) && completes(future);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an asynchronous wait failed", e.getCause());
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Spins until {@code condition} holds (a handshake between actors). Gives up after PATIENCE.
     *
     * @return true if the condition was seen true
     */
    static boolean until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /**
     * Spins until {@code thread} is parked (WAITING or TIMED_WAITING), which for an actor that
     * is inside a Waitkit wait means it is queued on the object. Gives up after PATIENCE.
     *
     * @return true if the thread was seen parked
     */
    static boolean untilParked(Thread thread) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (;;) {
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    private static IllegalStateException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("a jcstress actor was interrupted", e);
    }
}
