package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waitkit.Fairness;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Runs the mutex contract against a {@link Fairness#BARGING} {@link NamedMutex}, through two
 * handles of one object in one JVM as the hand-off suite does: every rule holds, except that
 * the final release frees the mutex and wakes the waiter instead of handing it off.
 */
class NamedBargingMutexContractTest extends NamedMutexContractTest {
    @Override
    protected NamedMutex create(String name) throws IOException {
        return temp.ns.mutex(name, Fairness.BARGING);
    }

    @Override
    protected boolean handsOff() {
        return false;
    }

    @Test
    void everyHandleOfTheObjectReportsTheModeItWasCreatedWith() throws IOException {
        String name = TempNamespace.fresh("mutex");
        try (NamedMutex a = create(name);
                NamedMutex b = temp.ns.openExisting(name, NamedMutex.class);
                NamedMutex c = temp.ns.mutex(name)) {
            assertEquals(Fairness.BARGING, a.fairness());
            assertEquals(Fairness.BARGING, b.fairness());
            assertEquals(Fairness.BARGING, c.fairness());
        }
    }
}
