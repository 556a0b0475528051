package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.ipc.internal.SyncLayout;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Snapshot reads ({@code isSignaled()}, {@code availablePermits()}, {@code size()}) never return a
 * value that a critical section in progress is about to replace: such a critical section may
 * already have handed the object to a waiter of this JVM, which can return from its wait before
 * the new value is stored, and must then not see the signal it consumed or the permit it holds.
 * The test holds the outside lock by hand, as another process's critical section would, and
 * checks that a snapshot neither returns while it is held nor returns the old value after.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SnapshotReadsTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** How long a snapshot is shown to stay blocked while the lock is held (a bound, not a speed). */
    private static final long HELD_MILLIS = 300;

    @Test
    void isSignaledWaitsOutACriticalSectionThatConsumesTheSignalAndThenReadsFalse() throws Exception {
        try (NamedEvent e = temp.ns.event(TempNamespace.fresh("snap-event"), false, true)) {
            assertTrue(e.isSignaled());
            assertEquals(Boolean.FALSE, readDuringCriticalSection(e.proxy().mapping().body(), 0L, e::isSignaled),
                    "the value the critical section stored, not the one it replaced");
            assertFalse(e.tryAwait(), "the critical section consumed the signal");
            e.set();
            assertTrue(e.tryAwait(), "the event works after the snapshot");
        }
    }

    @Test
    void availablePermitsWaitsOutACriticalSectionThatTakesAPermitAndThenReadsTheNewCount() throws Exception {
        try (NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("snap-sem"), 2, 2)) {
            assertEquals(Integer.valueOf(1), readDuringCriticalSection(s.proxy().mapping().body(), 1L, s::availablePermits));
            assertTrue(s.tryAcquire());
            assertFalse(s.tryAcquire(), "one permit was taken by the critical section, one now");
            s.release(2);
            assertEquals(2, s.availablePermits());
        }
    }

    /**
     * Locks the outside lock of {@code body} from this thread, starts {@code read} on another,
     * checks that it does not return while the lock is held, stores {@code newValue} with the
     * unlock and returns what the read returned.
     */
    private static <T> T readDuringCriticalSection(MemorySegment body, long newValue, Supplier<T> read) throws Exception {
        SyncLayout.lock(body);
        CompletableFuture<T> f;
        try {
            f = CompletableFuture.supplyAsync(read, r -> Thread.ofPlatform().daemon().start(r));
            assertThrows(TimeoutException.class, () -> f.get(HELD_MILLIS, TimeUnit.MILLISECONDS),
                    "a snapshot returned while a critical section held the lock");
        } finally {
            SyncLayout.unlock(body, newValue);
        }
        return f.get(30, TimeUnit.SECONDS);
    }
}
