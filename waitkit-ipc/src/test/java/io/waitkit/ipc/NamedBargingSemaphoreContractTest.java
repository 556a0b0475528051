package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waitkit.Fairness;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Runs the semaphore contract against a {@link Fairness#BARGING} {@link NamedSemaphore},
 * through two handles of one object in one JVM as the hand-off suite does: every rule holds,
 * except that a release adds the permits and wakes waiters instead of handing off.
 */
class NamedBargingSemaphoreContractTest extends NamedSemaphoreContractTest {
    @Override
    protected NamedSemaphore create(String name, int initial, int max) throws IOException {
        return temp.ns.semaphore(name, initial, max, Fairness.BARGING);
    }

    @Override
    protected boolean handsOff() {
        return false;
    }

    @Test
    void everyHandleOfTheObjectReportsTheModeItWasCreatedWith() throws IOException {
        String name = TempNamespace.fresh("sem");
        try (NamedSemaphore a = create(name, 1, 3);
                NamedSemaphore b = temp.ns.openExisting(name, NamedSemaphore.class);
                NamedSemaphore c = temp.ns.semaphore(name, 0, 1)) {
            assertEquals(Fairness.BARGING, a.fairness());
            assertEquals(Fairness.BARGING, b.fairness());
            assertEquals(Fairness.BARGING, c.fairness());
            assertEquals(3, c.maxPermits());
        }
    }
}
