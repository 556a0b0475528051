package io.waitkit.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outside lock's takeover rules ({@link SyncLayout#lockReportingTakeover}) on a block in
 * memory, with locked words made by hand: a lock whose pid names no process is taken over, one
 * whose pid names a live process with another start time than LOCKER_START (a reused pid) is
 * taken over only after the grace, and a lock taken normally is not reported as taken over.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutsideLockTakeoverTest {
    private final Arena arena = Arena.ofAuto();

    @BeforeEach
    void linux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
    }

    private MemorySegment block() {
        return arena.allocate(SyncLayout.SIZE, 64);
    }

    /** A locked STATE word as the layout's diagram has it: bit 63, the pid in 62..32, the value. */
    private static long lockedWord(long pid, long value) {
        return SyncLayout.LOCK_BIT | (pid << 32) | value;
    }

    @Test
    void aLockFreeOfHoldersIsTakenWithoutTakeover() {
        MemorySegment b = block();
        SyncLayout.setLongOpaque(b, SyncLayout.STATE, 7L);
        long v = SyncLayout.lockReportingTakeover(b);
        assertEquals(7L, v, "the value, with no TAKEN_OVER bit");
        assertTrue(SyncLayout.isLocked(SyncLayout.getLongVolatile(b, SyncLayout.STATE)));
        assertEquals(ProcessIdentity.self().startTime(), SyncLayout.getLongVolatile(b, SyncLayout.LOCKER_START));
        SyncLayout.unlock(b, 8L);
        assertEquals(8L, SyncLayout.getLongVolatile(b, SyncLayout.STATE));
    }

    @Test
    void aLockHeldByAProcessThatExitedIsTakenOverWithItsValue() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long deadPid = p.pid(); // reaped by waitFor: no process has it (a reuse within this test is not plausible)
        MemorySegment b = block();
        SyncLayout.setLongOpaque(b, SyncLayout.STATE, lockedWord(deadPid, 5L));
        long v = SyncLayout.lockReportingTakeover(b);
        assertEquals(5L | SyncLayout.TAKEN_OVER, v, "the dead holder's value, reported as taken over");
        SyncLayout.unlock(b, 5L);
    }

    @Test
    void aLockWhosePidNowNamesALaterProcessIsTakenOverOnlyAfterTheGrace() {
        ProcessIdentity self = ProcessIdentity.self();
        MemorySegment b = block();
        // the pid is this live process, LOCKER_START another start time: the pid of a holder that
        // died, reused by this process
        SyncLayout.setLongOpaque(b, SyncLayout.LOCKER_START, self.startTime() - 1);
        SyncLayout.setLongOpaque(b, SyncLayout.STATE, lockedWord(self.pid(), 3L));
        long begin = System.nanoTime();
        long v = SyncLayout.lockReportingTakeover(b);
        long waited = System.nanoTime() - begin;
        assertEquals(3L | SyncLayout.TAKEN_OVER, v);
        assertTrue(waited >= TimeUnit.SECONDS.toNanos(1),
                "two checks a second apart must agree before a live pid's lock is taken over; took " + waited + " ns");
        SyncLayout.unlock(b, 3L);
    }

    @Test
    void aLockWhoseHolderRecordsItsStartTimeIsNeverTakenOver() throws Exception {
        ProcessIdentity self = ProcessIdentity.self();
        MemorySegment b = block();
        SyncLayout.setLongOpaque(b, SyncLayout.LOCKER_START, self.startTime());
        SyncLayout.setLongOpaque(b, SyncLayout.STATE, lockedWord(self.pid(), 9L));
        long[] got = new long[1];
        Thread locker = Thread.ofPlatform().start(() -> got[0] = SyncLayout.lockReportingTakeover(b));
        // past the grace: a lock whose live holder recorded itself stays held however long
        assertFalse(locker.join(java.time.Duration.ofMillis(2500)), "the lock of a live holder was taken over");
        SyncLayout.unlock(b, 10L);
        assertTrue(locker.join(java.time.Duration.ofSeconds(30)));
        assertEquals(10L, got[0], "taken after the release, not over");
    }
}
