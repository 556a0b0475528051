package io.waitkit.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The multi-process demo's ledger: a half-done update is repairable from its intent record. */
class DemoLedgerTest {
    /** Stands for a SIGKILL: the rest of the update never runs. */
    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static Ledger ledger(Arena arena, int jobs) {
        Ledger l = new Ledger(arena.allocate(Ledger.size(jobs), 64));
        l.init(jobs);
        return l;
    }

    @Test
    void anUpdateCutMidwayIsRolledForwardToExactlyOneCompletionWithConsistentTotals() {
        try (Arena arena = Arena.ofConfined()) {
            Ledger l = ledger(arena, 4);
            l.record(0, 1, () -> { });
            assertThrows(Killed.class, () -> l.record(2, 2, () -> {
                throw new Killed();
            }));
            assertTrue(l.intentOpen());
            assertEquals(1, l.completions(2)); // the record was written, the totals were not
            assertEquals(1, l.totalDone());

            assertEquals(2, l.repair(3, 12345));
            assertFalse(l.intentOpen());
            assertEquals(1, l.completions(2));
            assertEquals(2, l.completedBy(2));
            assertEquals(2, l.totalDone());
            assertEquals(Ledger.value(0) + Ledger.value(2), l.totalSum());
            assertEquals(2, l.repairedJob());
            assertEquals(12345, l.detectedMicros());
            assertEquals(3, l.detector());
        }
    }

    @Test
    void aRepairWithoutAnUpdateInProgressChangesNoRecordAndKeepsTheFirstDetection() {
        try (Arena arena = Arena.ofConfined()) {
            Ledger l = ledger(arena, 2);
            l.record(1, 1, () -> { });
            assertEquals(-1, l.repair(2, 100));
            assertEquals(-1, l.repair(3, 200));
            assertEquals(100, l.detectedMicros());
            assertEquals(2, l.detector());
            assertEquals(2, l.repairs());
            assertEquals(1, l.totalDone());
            assertEquals(0, l.completions(0));
            assertEquals(1, l.completions(1));
        }
    }

    @Test
    void aClaimNamesTheJobAndTheProcessUntilCleared() {
        try (Arena arena = Arena.ofConfined()) {
            Ledger l = ledger(arena, 8);
            assertEquals(-1, l.claimed(3));
            l.claim(3, 4242, 7);
            assertEquals(7, l.claimed(3));
            assertEquals(4242, l.claimPid(3));
            l.unclaim(3);
            assertEquals(-1, l.claimed(3));
        }
    }
}
