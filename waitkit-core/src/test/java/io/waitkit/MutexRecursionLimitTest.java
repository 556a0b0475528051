package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The recursion limit (docs/semantics.md#decisions: a hold count past Integer.MAX_VALUE throws): at
 * {@code Integer.MAX_VALUE} holds, every acquisition form by the owner throws
 * {@link IllegalStateException} and leaves the mutex, and every other object of the wait,
 * unchanged. Uses the package-private test factory {@code Mutex.ownedByCurrentThread(int)}.
 */
class MutexRecursionLimitTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @FunctionalInterface
    private interface Attempt {
        Object run(Mutex m, Semaphore available, Semaphore empty) throws Throwable;
    }

    private static DynamicTest refused(String name, Attempt attempt) {
        return dynamicTest(name, () -> {
            Mutex m = Mutex.ownedByCurrentThread(Integer.MAX_VALUE);
            Semaphore available = new Semaphore(1, 1);
            Semaphore empty = new Semaphore(0, 1);
            Throwable thrown = null;
            try {
                Object result = attempt.run(m, available, empty);
                if (result instanceof CompletableFuture<?> f) {
                    // an async form may report the overflow through its future instead
                    assertTrue(f.isCompletedExceptionally(), name + ": the future must fail");
                    thrown = assertThrows(CompletionException.class, f::join).getCause();
                }
            } catch (Throwable t) {
                thrown = t;
            }
            assertTrue(thrown instanceof IllegalStateException, name + ": expected IllegalStateException, got " + thrown);
            assertEquals(Integer.MAX_VALUE, m.holdCount(), name + ": hold count unchanged");
            assertSame(Thread.currentThread(), m.owner());
            assertEquals(1, available.availablePermits(), name + ": nothing else acquired");
            assertEquals(0, empty.availablePermits());
            assertEquals(Integer.MAX_VALUE, m.release(), "still usable: release returns the previous count");
            assertTrue(m.tryLock(), "and acquirable again below the limit");
            assertEquals(Integer.MAX_VALUE, m.holdCount());
        });
    }

    @TestFactory
    Stream<DynamicTest> everyAcquisitionPastTheLimitThrowsAndChangesNothing() {
        return Stream.of(
                refused("lock()", (m, a, e) -> {
                    m.lock();
                    return null;
                }),
                refused("lockInterruptibly()", (m, a, e) -> {
                    m.lockInterruptibly();
                    return null;
                }),
                refused("tryLock()", (m, a, e) -> m.tryLock()),
                refused("tryLock(Duration.ZERO)", (m, a, e) -> m.tryLock(Duration.ZERO)),
                refused("tryLock(Duration)", (m, a, e) -> m.tryLock(LONG)),
                refused("tryLock(long, TimeUnit)", (m, a, e) -> m.tryLock(1, TimeUnit.SECONDS)),
                refused("tryLock(Deadline)", (m, a, e) -> m.tryLock(Deadline.after(LONG))),
                refused("Wait.any(ZERO, m)", (m, a, e) -> Wait.any(Duration.ZERO, m)),
                refused("Wait.any(m)", (m, a, e) -> Wait.any(m)),
                refused("Wait.any(Duration, empty, m)", (m, a, e) -> Wait.any(LONG, e, m)),
                refused("Wait.all(ZERO, available, m)", (m, a, e) -> Wait.all(Duration.ZERO, a, m)),
                refused("Wait.all(m, available)", (m, a, e) -> {
                    Wait.all(m, a);
                    return null;
                }),
                refused("Wait.all(Duration, available, m)", (m, a, e) -> Wait.all(LONG, a, m)),
                refused("lockAsync()", (m, a, e) -> m.lockAsync()),
                refused("Wait.anyAsync(empty, m)", (m, a, e) -> Wait.anyAsync(e, m)),
                refused("Wait.allAsync(available, m)", (m, a, e) -> Wait.allAsync(a, m)));
    }

    @Test
    void aLowerAvailableIndexWinsBeforeTheMutexAtTheLimitIsConsidered() throws InterruptedException {
        Mutex m = Mutex.ownedByCurrentThread(Integer.MAX_VALUE);
        Semaphore s = new Semaphore(1, 1);
        assertEquals(0, Wait.any(Duration.ZERO, s, m));
        assertEquals(Integer.MAX_VALUE, m.holdCount());
    }

    @Test
    void otherThreadsStillBlockNormallyOnAMutexAtTheLimit() throws InterruptedException {
        Mutex m = Mutex.ownedByCurrentThread(Integer.MAX_VALUE);
        io.waitkit.contract.Forked<Boolean> other = io.waitkit.contract.Forked.call("other", () -> m.tryLock(Duration.ofMillis(20)));
        assertEquals(false, other.join(), "not an overflow for a thread that does not own it: a timeout");
        assertEquals(Integer.MAX_VALUE, m.holdCount());
    }
}
