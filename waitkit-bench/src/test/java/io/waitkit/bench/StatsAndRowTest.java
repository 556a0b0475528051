package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.bench.Row.Alloc;
import io.waitkit.bench.Row.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsAndRowTest {
    static final Machine MACHINE = new Machine(2, "Test CPU", "JDK 25", "Linux");

    static Row row(String id, String param, Direction d, double target, double waitkit, double peer, Alloc alloc) {
        return Row.of(id, param, "what", "peer", d, target, "ns/op", Stats.of(List.of(waitkit * 0.9, waitkit, waitkit * 1.2)),
                Stats.of(List.of(peer, peer * 0.8, peer * 1.1)), alloc, MACHINE, "settings", "report", "2026-01-01T00:00:00Z");
    }

    @Test
    void medianOfOddAndEvenSampleCountsAndTheRange() {
        Stats odd = Stats.of(List.of(5.0, 1.0, 3.0));
        assertEquals(3.0, odd.median());
        assertEquals(1.0, odd.min());
        assertEquals(5.0, odd.max());
        assertEquals(3, odd.n());
        assertEquals(2.5, Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
        assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of(Double.NaN)));
    }

    @Test
    void ratioIsWaitkitOverPeerOfTheMediansWithTheWorstAndBestPairingAsRange() {
        Row r = row("B1", "", Direction.LOWER, 1.0, 20, 10, null);
        assertEquals(2.0, r.ratio());
        assertEquals(Format.round(18.0 / 11.0), r.ratioLow());
        assertEquals(Format.round(24.0 / 8.0), r.ratioHigh());
        assertFalse(r.meets());
    }

    @Test
    void lowerIsBetterMeetsAtOrBelowTheTargetAndHigherIsBetterAtOrAbove() {
        assertTrue(row("B3", "", Direction.LOWER, 1.15, 11.5, 10, null).meets());
        assertFalse(row("B3", "", Direction.LOWER, 1.15, 11.6, 10, null).meets());
        assertTrue(row("B9", "", Direction.HIGHER, 0.9, 9, 10, null).meets());
        assertFalse(row("B9", "", Direction.HIGHER, 0.9, 8.9, 10, null).meets());
    }

    @Test
    void aRequiredZeroAllocationFailsTheRowEvenWhenTheTimeMeets() {
        assertTrue(row("B1", "", Direction.LOWER, 1.0, 9, 10, new Alloc(0.01, 0, true)).meets());
        assertFalse(row("B1", "", Direction.LOWER, 1.0, 9, 10, new Alloc(24, 0, true)).meets());
        assertTrue(row("B3", "", Direction.LOWER, 1.0, 9, 10, new Alloc(24, 0, false)).meets());
    }

    @Test
    void rowsSurviveTheJsonRoundTrip() {
        Row r = row("B1", "", Direction.LOWER, 1.0, 20, 10, new Alloc(0.002, 0.0005, true));
        Row back = Row.fromJson(Json.parse(Json.write(r.toJson())));
        assertEquals(r, back);
    }

    @Test
    void aRowWhoseMeetsContradictsItsRatioIsRejected() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Json.parse(Json.write(row("B1", "", Direction.LOWER, 1.0, 20, 10, null).toJson()));
        m.put("meets", true);
        assertThrows(IllegalArgumentException.class, () -> Row.fromJson(m));
    }
}
