package io.waitkit.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The futex calls on words of a mapped file: results of a wait, wakes within one mapping and
 * across two mappings of one file (the shared futex key), futex_waitv batches and their
 * monotonic deadline, and the backend choice. Wakes are retried until the kernel reports a
 * woken waiter, so no test depends on the waiter having gone to sleep by some time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FutexTest {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long LONG_NANOS = Threads.BOUND.toNanos();

    @TempDir
    Path dir;

    private Arena arena;
    private MemorySegment map;

    @BeforeEach
    void mapFile() throws IOException {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
        assertTrue(Futex.linked(), "futex must link on Linux with native access");
        arena = Arena.ofShared();
        map = map(dir.resolve("words"));
    }

    @AfterEach
    void unmap() {
        if (arena != null) {
            arena.close();
        }
    }

    private MemorySegment map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
        }
    }

    private static MemorySegment word(MemorySegment map, int index) {
        return map.asSlice(4L * index, 4);
    }

    private static void set(MemorySegment word, int value) {
        INT.setVolatile(word, 0L, value);
    }

    /** Wakes one waiter on {@code word}, retrying until the kernel woke one, while {@code waiter} runs. */
    private static void wakeOne(MemorySegment word, Forked<?> waiter) {
        long deadline = System.nanoTime() + LONG_NANOS;
        while (Futex.wake(word, 1) == 0) {
            if (waiter.isDone()) {
                throw new AssertionError("the waiter returned before it was woken: " + waiter.join());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no waiter to wake within " + Threads.BOUND);
            }
            Thread.yield();
        }
    }

    @Test
    void waitReturnsChangedWhenTheWordDiffersFromTheExpectedValue() {
        MemorySegment w = word(map, 0);
        set(w, 7);
        assertEquals(Futex.CHANGED, Futex.wait(w, 6, LONG_NANOS));
        assertEquals(Futex.CHANGED, Futex.wait(w, 6, -1));
    }

    @Test
    void waitTimesOutAfterAboutTheTimeout() {
        MemorySegment w = word(map, 0);
        long timeout = TimeUnit.MILLISECONDS.toNanos(100);
        long start = System.nanoTime();
        int r = Futex.wait(w, 0, timeout);
        long elapsed = System.nanoTime() - start;
        assertEquals(Futex.TIMED_OUT, r);
        assertTrue(elapsed >= timeout - TimeUnit.MILLISECONDS.toNanos(1), "returned early: " + elapsed + " ns");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(10), "returned late: " + elapsed + " ns");
    }

    @Test
    void waitWithZeroTimeoutOnlyChecksTheValue() {
        MemorySegment w = word(map, 0);
        assertEquals(Futex.TIMED_OUT, Futex.wait(w, 0, 0));
        assertEquals(Futex.CHANGED, Futex.wait(w, 1, 0));
    }

    @Test
    void negativeWordValuesCompareAsTheSame32Bits() {
        MemorySegment w = word(map, 0);
        set(w, -1);
        assertEquals(Futex.TIMED_OUT, Futex.wait(w, -1, 0));
        assumeTrue(Futex.backend() == Futex.Backend.FUTEX_WAITV, "futex_waitv not available");
        Futex.WaitvBatch batch = new Futex.WaitvBatch();
        batch.add(w, -1);
        assertEquals(Futex.TIMED_OUT, batch.await(System.nanoTime()));
    }

    @Test
    void wakeFromAnotherThreadWakesTheWaiter() {
        MemorySegment w = word(map, 1);
        Forked<Integer> waiter = Forked.call("futex-waiter", () -> Futex.wait(w, 0, LONG_NANOS));
        wakeOne(w, waiter);
        assertEquals(Futex.WOKEN, waiter.join());
    }

    @Test
    void wakeWithNobodyWaitingWakesNone() {
        assertEquals(0, Futex.wake(word(map, 2), Integer.MAX_VALUE));
    }

    @Test
    void wakeThroughOneMappingWakesAWaiterOnAnotherMappingOfTheSameFile() throws IOException {
        MemorySegment other = map(dir.resolve("words"));
        assertNotEquals(map.address(), other.address(), "two mappings");
        MemorySegment here = word(map, 3);
        MemorySegment there = word(other, 3);
        set(there, 42);
        assertEquals(42, (int) INT.getVolatile(here, 0L), "the mappings share the file's page");
        Forked<Integer> waiter = Forked.call("futex-waiter", () -> Futex.wait(here, 42, LONG_NANOS));
        wakeOne(there, waiter);
        assertEquals(Futex.WOKEN, waiter.join());
    }

    @Test
    void wordsMustBeNativeAlignedAndFourBytes() {
        assertThrows(IllegalArgumentException.class, () -> Futex.wait(map.asSlice(2, 4), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Futex.wake(map.asSlice(0, 2), 1));
        assertThrows(IllegalArgumentException.class, () -> Futex.wait(MemorySegment.ofArray(new int[1]), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Futex.wake(word(map, 0), 0));
        Futex.WaitvBatch batch = new Futex.WaitvBatch();
        assertThrows(IllegalArgumentException.class, () -> batch.add(map.asSlice(1, 4), 0));
        assertEquals(0, batch.size());
    }

    @Test
    void waitvReturnsTheIndexOfTheWokenWord() throws IOException {
        assumeTrue(Futex.backend() == Futex.Backend.FUTEX_WAITV, "futex_waitv not available");
        MemorySegment other = map(dir.resolve("words"));
        Futex.WaitvBatch batch = new Futex.WaitvBatch();
        for (int i = 0; i < 4; i++) {
            set(word(map, 10 + i), i);
            batch.add(word(map, 10 + i), i);
        }
        assertEquals(4, batch.size());
        Forked<Integer> waiter = Forked.call("waitv-waiter", () -> batch.await(System.nanoTime() + LONG_NANOS));
        wakeOne(word(other, 12), waiter); // the third word, through the other mapping
        assertEquals(2, waiter.join());
    }

    @Test
    void waitvReturnsChangedWhenAnyWordDiffers() {
        assumeTrue(Futex.backend() == Futex.Backend.FUTEX_WAITV, "futex_waitv not available");
        Futex.WaitvBatch batch = new Futex.WaitvBatch();
        set(word(map, 20), 0);
        set(word(map, 21), 9);
        batch.add(word(map, 20), 0);
        batch.add(word(map, 21), 8);
        assertEquals(Futex.CHANGED, batch.await(System.nanoTime() + LONG_NANOS));
        assertEquals(Futex.CHANGED, batch.await(Long.MAX_VALUE));
        batch.clear();
        assertEquals(0, batch.size());
        batch.add(word(map, 21), 9);
        assertEquals(Futex.TIMED_OUT, batch.await(System.nanoTime()));
    }

    @Test
    void waitvTimesOutAtTheNanoTimeDeadline() {
        assumeTrue(Futex.backend() == Futex.Backend.FUTEX_WAITV, "futex_waitv not available");
        Futex.WaitvBatch batch = new Futex.WaitvBatch();
        batch.add(word(map, 30), 0);
        batch.add(word(map, 31), 0);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        int r = batch.await(deadline);
        long late = System.nanoTime() - deadline;
        assertEquals(Futex.TIMED_OUT, r);
        // CLOCK_MONOTONIC and nanoTime agree: neither early (beyond rounding) nor seconds late
        assertTrue(late >= -TimeUnit.MILLISECONDS.toNanos(1), "returned " + -late + " ns before the deadline");
        assertTrue(late < TimeUnit.SECONDS.toNanos(5), "returned " + late + " ns after the deadline");
        assertEquals(Futex.TIMED_OUT, batch.await(Long.MIN_VALUE), "a past deadline only checks");
    }

    @Test
    void waitvBatchHoldsAtMost128WordsAndRefusesAnEmptyWait() {
        Futex.WaitvBatch batch = new Futex.WaitvBatch();
        assertThrows(IllegalStateException.class, () -> batch.await(System.nanoTime()));
        for (int i = 0; i < Futex.WAITV_MAX; i++) {
            batch.add(word(map, i), 0);
        }
        assertEquals(128, batch.size());
        assertThrows(IllegalStateException.class, () -> batch.add(word(map, 0), 0));
        if (Futex.backend() == Futex.Backend.FUTEX_WAITV) {
            assertEquals(Futex.TIMED_OUT, batch.await(System.nanoTime()));
        }
    }

    @Test
    void backendIsProbedWithAReason() {
        Futex.Backend b = Futex.backend();
        assertNotNull(b);
        assertNotEquals(Futex.Backend.POLLING, b, "Linux with native access has futex: " + Futex.backendReason());
        String reason = Futex.backendReason();
        assertFalse(reason.isBlank());
        assertTrue(reason.contains("Linux"), reason);
    }

    @Test
    void forcingPollingThroughThePropertyPicksPolling() {
        Futex.Choice c = Futex.probe("Polling");
        assertEquals(Futex.Backend.POLLING, c.backend());
        assertEquals("forced by -Dio.waitkit.ipc.backend=polling", c.reason());
        Futex.Choice f = Futex.probe("futex");
        assertEquals(Futex.Backend.FUTEX, f.backend());
        assertTrue(f.reason().startsWith("forced by"), f.reason());
        assertThrows(IllegalArgumentException.class, () -> Futex.probe("epoll"));
    }

    @Test
    void forcingAnUnavailableBackendIsRefusedWithTheReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Futex.choose("FUTEX_WAITV", "5.10.0", "futex_waitv missing (ENOSYS)", null));
        assertTrue(e.getMessage().contains("ENOSYS"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Futex.choose("futex", "5.10.0", "x", "no futex"));
        assertEquals(Futex.Backend.POLLING, Futex.choose("polling", "5.10.0", "x", "y").backend());
    }

    @Test
    void withoutTheWaitvCallTheChoiceFallsBackToFutexThenPolling() {
        assertEquals(Futex.Backend.FUTEX_WAITV, Futex.choose(null, "6.8.0", null, null).backend());
        assertEquals("futex_waitv available (Linux 6.8.0)", Futex.choose(null, "6.8.0", null, null).reason());
        Futex.Choice f = Futex.choose(null, "5.10.0", "futex_waitv missing (ENOSYS)", null);
        assertEquals(Futex.Backend.FUTEX, f.backend());
        assertTrue(f.reason().contains("ENOSYS"), f.reason());
        Futex.Choice p = Futex.choose(null, "release unknown", "not Linux", "not Linux");
        assertEquals(Futex.Backend.POLLING, p.backend());
        assertTrue(p.reason().contains("not Linux"), p.reason());
    }
}
