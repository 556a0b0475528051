package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The fairness argument of {@link Mutex} and {@link Semaphore}: the default is hand-off, the
 * chosen mode is reported back, and a null mode is refused with a message naming it.
 */
class FairnessApiTest {
    @Test
    void objectsBuiltWithoutAFairnessArgumentUseHandOff() {
        assertEquals(Fairness.HAND_OFF, new Mutex().fairness());
        assertEquals(Fairness.HAND_OFF, Mutex.ownedByCurrentThread().fairness());
        assertEquals(Fairness.HAND_OFF, new Semaphore(0, 3).fairness());
    }

    @Test
    void fairnessReportsTheModeChosenAtConstruction() {
        for (Fairness f : Fairness.values()) {
            assertEquals(f, new Mutex(f).fairness());
            assertEquals(f, new Semaphore(1, 2, f).fairness());
        }
    }

    @Test
    void nullFairnessIsRefusedWithAMessageNamingTheArgument() {
        NullPointerException m = assertThrows(NullPointerException.class, () -> new Mutex(null));
        assertTrue(m.getMessage().contains("fairness"), m.getMessage());
        NullPointerException s = assertThrows(NullPointerException.class, () -> new Semaphore(1, 1, null));
        assertTrue(s.getMessage().contains("fairness"), s.getMessage());
    }

    @Test
    void badCountsAreRefusedInBothModes() {
        for (Fairness f : Fairness.values()) {
            assertThrows(IllegalArgumentException.class, () -> new Semaphore(2, 1, f));
            assertThrows(IllegalArgumentException.class, () -> new Semaphore(0, 0, f));
            assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1, 1, f));
        }
    }
}
