package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static io.waitkit.AoSupport.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ao cases T01-T05 (docs/semantics.md#numbered-cases): auto-reset ({@code are}) and manual-reset
 * ({@code mre}) events, on {@link Event}. ao's {@code _try} is {@code tryAwait()}, a blocking wait
 * is {@code await(Duration)}.
 */
class AoEventCasesTest {

    @Test
    void ao_T01_autoResetSetsDoNotAccumulate() {
        Event are = Event.autoReset(false);
        assertFalse(are.set(), "first set: was not signalled");
        assertTrue(are.set(), "second set: already signalled, a no-op");
        assertTrue(are.tryAwait());
        assertFalse(are.tryAwait(), "two sets leave one signal only");
    }

    @Test
    void ao_T02_autoResetSetReleasesOnlyTheFirstWaiter() {
        Event are = Event.autoReset(false);
        Worker<Boolean> a = Worker.startParked("A", () -> are.await(LONG));
        Worker<Boolean> b = Worker.startParked("B", () -> are.await(LONG));

        assertFalse(are.set());
        assertTrue(a.join(), "A, the first waiter, is released");
        b.assertWaiting();
        assertFalse(are.isSignaled(), "the signal went to A: the event is not signalled");

        are.set();
        assertTrue(b.join());
        assertFalse(are.isSignaled());
    }

    @Test
    void ao_T03_autoResetWaitConsumesASetEventWithoutBlocking() throws InterruptedException {
        Event are = Event.autoReset(true);
        assertTrue(are.await(LONG), "succeeds at once");
        assertFalse(are.isSignaled(), "the wait consumed the signal");
        assertFalse(are.await(Duration.ZERO));
    }

    @Test
    void ao_T04_manualResetSetReleasesEveryWaiterAndStaysSetUntilReset() {
        Event mre = Event.manualReset(false);
        Worker<Boolean> w1 = Worker.startParked("W1", () -> mre.await(LONG));
        Worker<Boolean> w2 = Worker.startParked("W2", () -> mre.await(LONG));
        Worker<Boolean> w3 = Worker.startParked("W3", () -> mre.await(LONG));

        assertFalse(mre.set());
        assertTrue(w1.join());
        assertTrue(w2.join());
        assertTrue(w3.join());
        assertTrue(mre.tryAwait(), "stays signalled");
        assertTrue(mre.tryAwait(), "waits do not consume it");

        assertTrue(mre.reset());
        assertFalse(mre.tryAwait());
    }

    @Test
    void ao_T05_manualResetResetKeepsWaitersWaitingUntilTheirTimeouts() {
        Event mre = Event.manualReset(false);
        Duration timeout = Duration.ofMillis(400);
        Worker<Long> w1 = Worker.startParked("W1", () -> {
            long t0 = System.nanoTime();
            assertFalse(mre.await(timeout));
            return millisSince(t0);
        });
        Worker<Long> w2 = Worker.startParked("W2", () -> {
            long t0 = System.nanoTime();
            assertFalse(mre.await(timeout));
            return millisSince(t0);
        });

        assertFalse(mre.reset(), "reset of a cleared event");
        w1.assertWaiting();
        w2.assertWaiting();
        assertTrue(w1.join() >= timeout.toMillis(), "never early");
        assertTrue(w2.join() >= timeout.toMillis(), "never early");
        assertFalse(mre.isSignaled());
        assertEquals(false, mre.tryAwait());
    }
}
