package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.SemaphoreFullException;
import io.waitkit.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad arguments and misuse of named objects: each is refused with the documented exception,
 * changes nothing, and leaves the object usable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    // ---- semaphore counts

    @Test
    void semaphoreCountsOutOfRangeAreRefusedAndCreateNothing() throws IOException {
        String name = TempNamespace.fresh("sem");
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> temp.ns.semaphore(name, -1, 5));
        assertTrue(neg.getMessage().contains("-1"), neg.getMessage());
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class, () -> temp.ns.semaphore(name, 6, 5));
        assertTrue(over.getMessage().contains("6") && over.getMessage().contains("5"), over.getMessage());
        IllegalArgumentException zeroMax = assertThrows(IllegalArgumentException.class, () -> temp.ns.semaphore(name, 0, 0));
        assertTrue(zeroMax.getMessage().contains("max"), zeroMax.getMessage());
        assertThrows(IllegalArgumentException.class, () -> temp.ns.semaphore(name, 0, -3));
        assertThrows(IllegalArgumentException.class, () -> temp.ns.semaphore(name, Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertFalse(Files.exists(temp.dir.resolve(name)), "nothing created");
        try (NamedSemaphore s = temp.ns.semaphore(name, 5, 5)) {
            assertTrue(s.created());
            // checked also when the object exists, and then it is unchanged
            assertThrows(IllegalArgumentException.class, () -> temp.ns.semaphore(name, 6, 5));
            assertEquals(5, s.availablePermits());
        }
    }

    @Test
    void theLargestMaximumWorks() throws IOException {
        try (NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("big"), Integer.MAX_VALUE - 1, Integer.MAX_VALUE)) {
            assertEquals(Integer.MAX_VALUE, s.maxPermits());
            assertEquals(Integer.MAX_VALUE - 1, s.release());
            assertThrows(SemaphoreFullException.class, s::release);
            assertEquals(Integer.MAX_VALUE, s.availablePermits());
            assertTrue(s.tryAcquire());
            assertEquals(Integer.MAX_VALUE - 1, s.availablePermits());
        }
    }

    @Test
    void aReleaseBeyondTheMaximumIsSemaphoreFullAndChangesNothing() throws Exception {
        try (NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("full"), 3, 5)) {
            SemaphoreFullException e = assertThrows(SemaphoreFullException.class, () -> s.release(3));
            assertTrue(e.getMessage().contains(s.name()), e.getMessage());
            assertEquals(3, s.availablePermits());
            assertThrows(SemaphoreFullException.class, () -> s.release(Integer.MAX_VALUE));
            assertEquals(3, s.availablePermits());
            assertEquals(3, s.release(2));
            assertThrows(SemaphoreFullException.class, s::release);
            assertEquals(5, s.availablePermits());
            assertEquals("5/5", s.info().state());
            // still usable
            assertTrue(s.tryAcquire(Duration.ofSeconds(1)));
            assertEquals(4, s.release());
        }
    }

    @Test
    void aNegativeReleaseIsIllegalArgumentAndZeroChangesNothing() throws IOException {
        try (NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("neg"), 2, 5)) {
            assertThrows(IllegalArgumentException.class, () -> s.release(-1));
            assertThrows(IllegalArgumentException.class, () -> s.release(Integer.MIN_VALUE));
            assertEquals(2, s.availablePermits());
            assertEquals(2, s.release(0));
            assertEquals(2, s.availablePermits());
            assertEquals(2, s.release(1));
        }
    }

    // ---- mutex misuse

    @Test
    void anUnlockByANonOwnerThreadIsIllegalMonitorStateSayingWhoOwnsIt() throws Exception {
        String name = TempNamespace.fresh("mx");
        try (NamedMutex m = temp.ns.mutex(name); NamedMutex other = temp.ns.openExisting(name, NamedMutex.class)) {
            m.lock();
            long ownerId = Thread.currentThread().threadId();
            AtomicReference<Throwable> unlock = new AtomicReference<>();
            AtomicReference<Throwable> release = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                unlock.set(catching(other::unlock));
                release.set(catching(m::release));
            });
            t.join(10_000);
            for (Throwable x : new Throwable[] {unlock.get(), release.get()}) {
                assertTrue(x instanceof IllegalMonitorStateException, String.valueOf(x));
                assertTrue(x.getMessage().contains("owned by thread #" + ownerId), x.getMessage());
                assertTrue(x.getMessage().contains(name), x.getMessage());
            }
            assertTrue(m.isHeldByCurrentThread());
            assertEquals(1, m.holdCount());
            assertEquals("held (holds=1)", m.info().state());
            m.unlock(); // the owner can still unlock
            assertEquals("free", m.info().state());
            assertTrue(other.tryLock());
            other.unlock();
        }
    }

    @Test
    void anUnlockOfAFreeMutexIsIllegalMonitorStateSayingItIsNotOwned() throws Exception {
        try (NamedMutex m = temp.ns.mutex(TempNamespace.fresh("free"))) {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, m::unlock);
            assertTrue(e.getMessage().contains("not owned"), e.getMessage());
            assertThrows(IllegalMonitorStateException.class, m::release);
            // one unlock too many after a lock
            m.lock();
            m.unlock();
            assertThrows(IllegalMonitorStateException.class, m::unlock);
            assertEquals("free", m.info().state());
            assertTrue(m.tryLock());
            m.unlock();
        }
    }

    @Test
    void anUnlockOfAnAbandonedMutexIsIllegalMonitorStateSayingItIsAbandoned() throws Exception {
        try (NamedMutex m = temp.ns.mutex(TempNamespace.fresh("abandoned"))) {
            Thread t = Thread.ofPlatform().start(m::lock);
            t.join(10_000);
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, m::unlock);
            assertTrue(e.getMessage().contains("abandoned"), e.getMessage());
            assertTrue(m.isAbandoned());
            assertThrows(io.waitkit.AbandonedMutexException.class, m::lock);
            assertTrue(m.isHeldByCurrentThread());
            m.unlock();
            assertFalse(m.isAbandoned());
        }
    }

    @Test
    void newConditionIsUnsupported() throws Exception {
        try (NamedMutex m = temp.ns.mutex(TempNamespace.fresh("cond"))) {
            assertThrows(UnsupportedOperationException.class, m::newCondition);
            m.lock();
            assertThrows(UnsupportedOperationException.class, m::newCondition);
            m.unlock();
            assertNull(m.ownerThread());
        }
    }

    // ---- null arguments

    @Test
    void aNullDurationOrUnitIsANullPointerExceptionAndConsumesNothing() throws Exception {
        try (NamedEvent e = temp.ns.event(TempNamespace.fresh("null"), false, true);
                NamedMutex m = temp.ns.mutex(TempNamespace.fresh("null"));
                NamedSemaphore s = temp.ns.semaphore(TempNamespace.fresh("null"), 1, 1)) {
            assertThrows(NullPointerException.class, () -> e.await((Duration) null));
            assertThrows(NullPointerException.class, () -> m.tryLock((Duration) null));
            assertThrows(NullPointerException.class, () -> m.tryLock(1, (TimeUnit) null));
            assertThrows(NullPointerException.class, () -> s.tryAcquire((Duration) null));
            assertThrows(NullPointerException.class, () -> Wait.any((Duration) null, e, s));
            assertThrows(NullPointerException.class, () -> Wait.all((Duration) null, e, s));
            assertThrows(NullPointerException.class, () -> Wait.any(Duration.ZERO, e, null));
            assertThrows(NullPointerException.class, () -> Wait.anyAsync(e, null));
            assertThrows(NullPointerException.class, () -> temp.ns.openExisting(e.name(), null));
            assertThrows(NullPointerException.class, () -> Namespace.open(null));
            // nothing consumed, everything usable
            assertTrue(e.isSignaled());
            assertEquals(1, s.availablePermits());
            assertFalse(m.isHeldByCurrentThread());
            assertTrue(e.await(Duration.ofSeconds(1)));
            assertTrue(m.tryLock(1, TimeUnit.SECONDS));
            m.unlock();
            assertTrue(s.tryAcquire(Duration.ofSeconds(1)));
        }
    }

    @Test
    void extremeDurationsAreAcceptedNegativeAndZeroPollHugeWaitsUntilSignalled() throws Exception {
        try (NamedEvent e = temp.ns.event(TempNamespace.fresh("dur"), false, false)) {
            assertFalse(e.await(Duration.ofSeconds(-5)));
            assertFalse(e.await(Duration.ZERO));
            assertFalse(e.await(Duration.ofNanos(1)));
            CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> {
                try {
                    return e.await(Duration.of(Long.MAX_VALUE, ChronoUnit.SECONDS)); // overflows nanos: no deadline
                } catch (InterruptedException x) {
                    return false;
                }
            }, r -> Thread.ofVirtual().start(r));
            NamespaceTest.awaitCondition(() -> e.info().waiters() == 1, "the long waiter is queued");
            e.set();
            assertTrue(f.get(10, TimeUnit.SECONDS));
            e.set();
            assertTrue(e.await(Duration.ofSeconds(-1)), "a negative timeout still polls a signalled event");
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Throwable catching(Action a) {
        try {
            a.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
