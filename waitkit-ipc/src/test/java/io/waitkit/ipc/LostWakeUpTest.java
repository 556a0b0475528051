package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.ipc.internal.SyncLayout;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process killed between storing a change and moving SEQ (SIGKILL lands at any instruction)
 * leaves an object available that no wake-up announces. The test makes that state by hand, as
 * such a process would leave it (the value stored under the outside lock, SEQ untouched), while
 * a waiter of this JVM sleeps, and checks that the waiter still acquires: a platform thread
 * sleeping on the futex word itself (it looks after every 50 ms slice), a virtual thread whose
 * wait the waiter pool watches (it looks every second).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LostWakeUpTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** Far longer than either look's period, far shorter than the waits' own timeouts. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(40);

    /** A platform thread (its own futex sleep) or a virtual thread (the waiter pool's watch). */
    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {false, true})
    void aWaiterAcquiresAPermitWhoseReleaserDiedBeforeMovingSeq(boolean virtual) throws Exception {
        try (NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("lost-sem"), 0, 1)) {
            CompletableFuture<Boolean> f = start(virtual, () -> tryAcquire(s));
            ChildJvm.until(() -> s.info().waiters() == 1, RECOVERY_BOUND, () -> "the wait queued: " + s.info());
            storeWithoutWakeUp(s.proxy().mapping().body(), 1L);
            assertTrue(f.get(RECOVERY_BOUND.toSeconds(), TimeUnit.SECONDS), "the permit was taken");
            assertFalse(s.tryAcquire(), "taken once");
        }
    }

    @Test
    void aPlatformThreadAcquiresASignalWhoseSetterDiedBeforeMovingSeq() throws Exception {
        try (NamedEvent e = temp.ns.event(TempNamespace.fresh("lost-event"), false, false)) {
            CompletableFuture<Boolean> f = start(false, () -> {
                try {
                    return e.await(WAIT);
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
            });
            ChildJvm.until(() -> e.info().waiters() == 1, RECOVERY_BOUND, () -> "the wait queued: " + e.info());
            storeWithoutWakeUp(e.proxy().mapping().body(), 1L);
            assertTrue(f.get(RECOVERY_BOUND.toSeconds(), TimeUnit.SECONDS), "the signal was taken");
            assertFalse(e.isSignaled(), "consumed by the wait");
        }
    }

    private static boolean tryAcquire(NamedSemaphore s) {
        try {
            return s.tryAcquire(WAIT);
        } catch (InterruptedException x) {
            throw new IllegalStateException(x);
        }
    }

    private static <T> CompletableFuture<T> start(boolean virtual, Supplier<T> wait) {
        return CompletableFuture.supplyAsync(wait,
                r -> (virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon()).start(r));
    }

    /** What a process killed right after the store of its change leaves: the value, SEQ as it was. */
    private static void storeWithoutWakeUp(MemorySegment body, long value) {
        SyncLayout.lock(body);
        SyncLayout.unlock(body, value);
    }
}
