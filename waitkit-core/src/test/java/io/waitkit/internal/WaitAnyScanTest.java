package io.waitkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.BinarySemaphore;
import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Wait-any's single pass over its list ({@link WaitEngine#any}): the list is checked whole
 * before anything is acquired, the objects are asked {@link WaitObject#peekFast} from the last
 * down, and only one acquisition is attempted unless an answer was wrong or missing. The
 * objects here answer what the test scripts, so that each way out of the pass is taken on
 * purpose: an object that looked available and was not, an object that cannot tell, a later
 * copy of an element found before its first.
 */
class WaitAnyScanTest {
    /**
     * Tokens whose {@code peekFast} answers a scripted value ({@code POLL_CONTENDED}, the
     * default, when none is set) and counts how often it was asked.
     */
    static final class Scripted extends WaitObject implements Waitable {
        volatile int peekAnswer = POLL_CONTENDED;
        final AtomicInteger peeks = new AtomicInteger();
        /** Attempts still to fail as if another thread had taken the token first. */
        final AtomicInteger failAttempts = new AtomicInteger();

        Scripted(int tokens) {
            super(tokens);
        }

        @Override
        protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
            return value >= arg ? value - arg : UNAVAILABLE;
        }

        @Override
        protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
            if (failAttempts.getAndUpdate(k -> Math.max(0, k - 1)) > 0) {
                return POLL_FAILED;
            }
            for (;;) {
                long s = getStateVolatile();
                if (isLocked(s)) {
                    return POLL_CONTENDED;
                }
                if (valueOf(s) < arg) {
                    return POLL_FAILED;
                }
                if (compareAndSetState(s, s - arg)) {
                    return POLL_ACQUIRED;
                }
            }
        }

        @Override
        protected int peekFast(Thread owner, long arg, WaitOperation op) {
            peeks.incrementAndGet();
            return peekAnswer;
        }

        long tokens() {
            return stableValue();
        }
    }

    /** A {@code Waitable} that is not a Waitkit object. */
    private static final class Foreign implements Waitable {
    }

    @Test
    void anObjectThatLookedAvailableButWasNotLetsTheWaitTakeTheNextAvailableInIndexOrder()
            throws InterruptedException {
        Semaphore empty = new Semaphore(0, 1);
        Scripted liar = new Scripted(0);
        liar.peekAnswer = WaitObject.POLL_ACQUIRED; // looks available, has no token
        Semaphore full = new Semaphore(1, 1);
        assertEquals(2, Wait.any(Duration.ZERO, empty, liar, full));
        assertEquals(0, full.availablePermits());
        assertEquals(0L, liar.tokens());
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, empty, liar, full));
    }

    @Test
    void anObjectThatCannotTellBelowOneThatLooksAvailableIsTriedFirstAndTheOtherIsLeftAlone()
            throws InterruptedException {
        Event unset = Event.autoReset(false);
        Scripted unsure = new Scripted(1); // answers POLL_CONTENDED: only an attempt tells
        Semaphore full = new Semaphore(1, 1);
        assertEquals(1, Wait.any(unset, unsure, full));
        assertEquals(0L, unsure.tokens());
        assertEquals(1, full.availablePermits(), "the semaphore above the acquired object is untouched");
        assertEquals(2, Wait.any(unset, unsure, full), "an unsure object without tokens is passed over");
        assertEquals(0, full.availablePermits());
    }

    @Test
    void theFirstElementIsTriedRatherThanAskedAndWinsWhenAvailable() throws InterruptedException {
        Scripted first = new Scripted(1);
        first.peekAnswer = WaitObject.POLL_FAILED; // would be trusted if it were asked
        Semaphore full = new Semaphore(1, 1);
        assertEquals(0, Wait.any(first, full));
        assertEquals(0, first.peeks.get());
        assertEquals(1, full.availablePermits());
    }

    @Test
    void aCopyOfTheFirstElementTakenAfterTheFirstAttemptFailedIsReportedAtIndexZero()
            throws InterruptedException {
        Scripted flaky = new Scripted(1);
        flaky.peekAnswer = WaitObject.POLL_ACQUIRED;
        flaky.failAttempts.set(1); // the first attempt loses, as to a racing thread
        assertEquals(0, Wait.any(flaky, new Semaphore(0, 1), flaky));
        assertEquals(0L, flaky.tokens(), "one acquisition");
    }

    @Test
    void anObjectThatCannotTellAboveOneThatLooksAvailableIsNeverTried() throws InterruptedException {
        Event set = Event.manualReset(true);
        Scripted unsure = new Scripted(1);
        assertEquals(0, Wait.any(set, unsure));
        assertEquals(1L, unsure.tokens());
    }

    @Test
    void aLaterCopyFoundAvailableFirstIsReportedAtTheFirstIndexWithoutAskingTheFirstCopy()
            throws InterruptedException {
        Scripted twice = new Scripted(1);
        twice.peekAnswer = WaitObject.POLL_ACQUIRED;
        BinarySemaphore taken = new BinarySemaphore(false);
        assertEquals(1, Wait.any(taken, twice, taken, twice));
        assertEquals(1, twice.peeks.get(), "one element, asked once: at its last index");
        assertEquals(0L, twice.tokens(), "one acquisition");
    }

    @Test
    void aBadElementAboveAnAvailableObjectFailsTheWaitBeforeAnythingIsAcquired() {
        Semaphore full = new Semaphore(1, 1);
        Scripted scripted = new Scripted(1);
        scripted.peekAnswer = WaitObject.POLL_ACQUIRED;
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Wait.any(full, scripted, null));
        assertTrue(npe.getMessage().contains("objects[2]"), npe::getMessage);
        // two bad elements: the lowest is named, whatever the pass met first
        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class,
                () -> Wait.any(Duration.ZERO, full, new Foreign(), scripted, null));
        assertTrue(iae.getMessage().contains("objects[1]"), iae::getMessage);
        assertEquals(1, full.availablePermits());
        assertEquals(1L, scripted.tokens());
    }

    @Test
    void anInterruptedCallerWithAnAvailableObjectAcquiresNothing() {
        Semaphore full = new Semaphore(1, 1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> Wait.any(new Semaphore(0, 1), full));
        assertEquals(1, full.availablePermits());
    }

    @Test
    void everyObjectAnsweringUnavailableMakesAPollTimeOutWithoutAnAttempt() throws InterruptedException {
        Scripted none = new Scripted(1); // has a token, but says it has none: the answer is trusted
        none.peekAnswer = WaitObject.POLL_FAILED;
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, new Semaphore(0, 1), none, Event.autoReset(false)));
        assertEquals(1L, none.tokens());
    }
}
