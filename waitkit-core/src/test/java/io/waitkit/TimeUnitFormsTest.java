package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.ContractBase;
import io.waitkit.contract.Forked;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The {@code (long, TimeUnit)} forms of the timed waits follow the rules of their
 * {@code Duration} forms: a zero or negative time polls (and succeeds if the object is
 * available), a timeout is never early and takes nothing, a time too large for nanoseconds
 * ({@code Long.MAX_VALUE} days) waits without a limit instead of overflowing into a poll, a
 * pending interrupt throws, and a null unit throws {@link NullPointerException}.
 */
class TimeUnitFormsTest extends ContractBase {
    /** A timed wait in its TimeUnit form. */
    @FunctionalInterface
    interface TimedWait {
        boolean await(long time, TimeUnit unit) throws InterruptedException;
    }

    /** Something that makes the object available to one waiter (or releases a queued one). */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /**
     * Checks the rules on an object that is unavailable now.
     *
     * @param w the timed form
     * @param release makes the object available for one waiter that is already queued
     * @param makeAvailableForAPoll makes it available for the next poll, or null where a poll
     *        cannot find it available (a signal is lost without waiters)
     */
    private void checkTimedForm(TimedWait w, Action release, Action makeAvailableForAPoll) throws Exception {
        assertFalse(w.await(-1, TimeUnit.SECONDS), "a negative time must poll");
        assertFalse(w.await(0, TimeUnit.NANOSECONDS), "a zero time must poll");
        assertFalse(w.await(Long.MIN_VALUE, TimeUnit.DAYS), "the most negative time must poll");
        long t0 = System.nanoTime();
        assertFalse(w.await(SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertNeverEarly(t0, SHORT);
        Forked<Boolean> waiter = blockedCall("waiter", () -> w.await(Long.MAX_VALUE, TimeUnit.DAYS));
        release.run();
        assertTrue(waiter.join(), "a huge time must wait without a limit");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> w.await(LONG.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(Thread.interrupted(), "the interrupt status must be cleared");
        assertThrows(NullPointerException.class, () -> w.await(1, null));
        if (makeAvailableForAPoll != null) {
            makeAvailableForAPoll.run();
            assertTrue(w.await(-1, TimeUnit.SECONDS), "a poll must succeed on an available object");
            assertFalse(w.await(0, TimeUnit.SECONDS), "the poll took the object: the next one fails");
        }
    }

    @Test
    public void semaphoreTryAcquireTakesTimeUnitsAsItsDurationForm() throws Exception {
        Semaphore s = new Semaphore(0, 10);
        checkTimedForm(s::tryAcquire, s::release, s::release);
        assertEquals(0, s.availablePermits());
    }

    @Test
    public void semaphoreMultiPermitTryAcquireTakesTimeUnitsAndChecksTheCount() throws Exception {
        Semaphore s = new Semaphore(1, 10);
        assertFalse(s.tryAcquire(2, 1, TimeUnit.MILLISECONDS));
        assertEquals(1, s.availablePermits(), "a failed multi-permit wait took permits");
        checkTimedForm((t, u) -> s.tryAcquire(2, t, u), () -> s.release(1), () -> s.release(2));
        assertEquals(0, s.availablePermits());
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(-1, 1, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> s.tryAcquire(11, 1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> s.tryAcquire(1, 1, null));
        assertTrue(s.tryAcquire(0, -1, TimeUnit.SECONDS), "0 permits succeed at once");
    }

    @Test
    public void binarySemaphoreTakeTakesTimeUnitsAsItsDurationForm() throws Exception {
        BinarySemaphore b = new BinarySemaphore(false);
        checkTimedForm(b::take, b::give, b::give);
    }

    @Test
    public void eventAwaitTakesTimeUnitsAsCountDownLatchAwait() throws Exception {
        Event auto = Event.autoReset(false);
        checkTimedForm(auto::await, auto::set, auto::set);
        Event manual = Event.manualReset(false);
        assertFalse(manual.await(SHORT.toMillis(), TimeUnit.MILLISECONDS));
        manual.set();
        assertTrue(manual.await(-1, TimeUnit.SECONDS));
        assertTrue(manual.await(1, TimeUnit.DAYS), "a manual-reset event stays signalled");
    }

    @Test
    public void signalAwaitTakesTimeUnitsAsConditionAwait() throws Exception {
        Signal s = new Signal();
        checkTimedForm(s::await, () -> assertEquals(1, s.signal()), null);
    }

    @Test
    public void barrierAwaitTakesTimeUnitsAndATimeoutTakesTheArrivalBack() throws Exception {
        Barrier b = new Barrier(2);
        checkTimedForm(b::await, () -> assertTrue(b.await(0, TimeUnit.SECONDS), "the second arrival completes"),
                null);
        assertEquals(0, b.waiting(), "timed-out arrivals must be taken back");
    }

    @Test
    public void monitorEnterAndAwaitTakeTimeUnits() throws Exception {
        Monitor m = new Monitor();
        assertTrue(m.enter(0, TimeUnit.SECONDS));
        Forked<Boolean> other = Forked.call("other", () -> m.enter(-1, TimeUnit.SECONDS));
        assertFalse(other.join(), "a poll must fail while another thread is inside");
        long t0 = System.nanoTime();
        assertFalse(m.await(SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertNeverEarly(t0, SHORT);
        assertTrue(m.isEntered(), "a timed-out await returns inside the monitor");
        assertThrows(NullPointerException.class, () -> m.await(1, null));
        m.exit();
        Forked<Boolean> waiter = Forked.call("waiter", () -> {
            m.enter();
            try {
                return m.await(Long.MAX_VALUE, TimeUnit.DAYS);
            } finally {
                m.exit();
            }
        });
        waiter.awaitBlocked();
        assertTrue(m.enter(Long.MAX_VALUE, TimeUnit.DAYS));
        m.signal();
        m.exit();
        assertTrue(waiter.join());
        assertThrows(NullPointerException.class, () -> m.enter(1, null));
    }

    @Test
    public void rendezvousExchangeTakesTimeUnitsAndReturnsNullOnTimeout() throws Exception {
        Rendezvous<String> r = new Rendezvous<>();
        assertNull(r.exchange("a", -1, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        assertNull(r.exchange("a", SHORT.toMillis(), TimeUnit.MILLISECONDS));
        assertNeverEarly(t0, SHORT);
        Forked<String> partner = blockedCall("partner", () -> r.exchange("x", Long.MAX_VALUE, TimeUnit.DAYS));
        assertEquals("x", r.exchange("y", 0, TimeUnit.SECONDS), "a zero time pairs with a waiting party");
        assertEquals("y", partner.join());
        assertThrows(NullPointerException.class, () -> r.exchange("a", 1, null));
        assertThrows(NullPointerException.class, () -> r.exchange(null, 1, TimeUnit.SECONDS));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> r.exchange("a", 1, TimeUnit.SECONDS));
        assertFalse(r.hasWaitingParty(), "a refused exchange left an offer");
    }
}
