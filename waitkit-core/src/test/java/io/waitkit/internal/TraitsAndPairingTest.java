package io.waitkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Barrier;
import io.waitkit.BinarySemaphore;
import io.waitkit.Channel;
import io.waitkit.Counter;
import io.waitkit.Event;
import io.waitkit.Fairness;
import io.waitkit.Mailbox;
import io.waitkit.Mutex;
import io.waitkit.Rendezvous;
import io.waitkit.Semaphore;
import io.waitkit.WaitableTimer;
import org.junit.jupiter.api.Test;

/**
 * What each primitive tells the engine once, in its constructor (spinning, the lock back-off)
 * and through {@link WaitObject#pairing()}: the answers the engine's spin, lock and wait-all
 * paths act on.
 */
class TraitsAndPairingTest {
    /** A bare object with the given traits, heap or proxy. */
    private static WaitObject bare(int traits, boolean proxy) {
        return new WaitObject(0L, traits, proxy) {
            @Override
            protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
                return UNAVAILABLE;
            }

            @Override
            protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
                return POLL_FAILED;
            }
        };
    }

    @Test
    void locksAndSemaphoresSpinBeforeQueueingAndBeforeParking() {
        for (WaitObject o : new WaitObject[] {new Mutex(), Mutex.ownedByCurrentThread(), new Semaphore(0, 1),
                new BinarySemaphore(false)}) {
            assertTrue(o.spinsBeforeQueueing(), o::toString);
            assertTrue(o.spinsBeforeParking(), o::toString);
            assertEquals(0, o.lockBackoff(), o::toString);
            assertFalse(o.proxy(), o::toString);
        }
    }

    @Test
    void aPlatformThreadWaitingForABargingObjectSpinsOnlyWhereBargingObjectsDoNotParkAtOnce() {
        Thread me = Thread.currentThread();
        boolean queueing = LockSpin.ACQUIRE_NANOS > 0L;
        boolean either = queueing || LockSpin.QUEUED_NANOS > 0L;
        for (WaitObject o : new WaitObject[] {new Mutex(Fairness.BARGING), new Semaphore(0, 1, Fairness.BARGING)}) {
            assertEquals(queueing && !LockSpin.BARGING_PARKS, LockSpin.spinsBeforeQueueing(o), o::toString);
            assertEquals(either && !LockSpin.BARGING_PARKS, LockSpin.appliesTo(o, null, me), o::toString);
        }
        for (WaitObject o : new WaitObject[] {new Mutex(), new Semaphore(0, 1)}) {
            assertEquals(queueing, LockSpin.spinsBeforeQueueing(o), o::toString);
            assertEquals(either, LockSpin.appliesTo(o, null, me), o::toString);
        }
    }

    @Test
    void eventsSpinOnlyBeforeParking() {
        for (WaitObject o : new WaitObject[] {Event.autoReset(false), Event.manualReset(false)}) {
            assertFalse(o.spinsBeforeQueueing(), o::toString);
            assertTrue(o.spinsBeforeParking(), o::toString);
        }
    }

    @Test
    void containersBackOffAndNothingElseSpins() {
        for (WaitObject o : new WaitObject[] {new Channel<String>(4), new Channel<String>(0), new Mailbox<String>()}) {
            assertEquals(WaitObject.BUSY_LOCK_BACKOFF, o.lockBackoff(), o::toString);
            assertFalse(o.spinsBeforeParking(), o::toString);
        }
        for (WaitObject o : new WaitObject[] {WaitableTimer.autoReset(), new Counter(0), new Rendezvous<String>(),
                new Barrier(2)}) {
            assertFalse(o.spinsBeforeParking(), o::toString);
            assertEquals(0, o.lockBackoff(), o::toString);
        }
    }

    @Test
    void spinningBeforeQueueingImpliesSpinningBeforeParking() {
        WaitObject o = bare(WaitObject.SPINS_BEFORE_QUEUEING, false);
        assertTrue(o.spinsBeforeQueueing());
        assertTrue(o.spinsBeforeParking());
        WaitObject p = bare(WaitObject.SPINS_BEFORE_PARKING | WaitObject.BUSY_LOCK, true);
        assertFalse(p.spinsBeforeQueueing());
        assertTrue(p.spinsBeforeParking());
        assertEquals(WaitObject.BUSY_LOCK_BACKOFF, p.lockBackoff());
        assertTrue(p.proxy(), "the proxy bit shares the byte of the traits");
    }

    @Test
    void unknownTraitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> bare(8, false));
        assertThrows(IllegalArgumentException.class, () -> bare(-1, false));
    }

    /** The engine's view: the hook as the engine calls it, through the base class. */
    private static Pairing<?> pairingOf(WaitObject o) {
        return o.pairing();
    }

    @Test
    void onlyObjectsThatPairHaveAPairingOneForTheirKind() {
        assertNotNull(pairingOf(new Rendezvous<String>()));
        assertSame(pairingOf(new Rendezvous<String>()), pairingOf(new Rendezvous<Integer>()));
        assertNotNull(pairingOf(new Barrier(1)), "a barrier of one party still refuses wait-all");
        assertSame(pairingOf(new Barrier(1)), pairingOf(new Barrier(3)));
        assertNotNull(pairingOf(new Channel<String>(0)));
        assertNull(pairingOf(new Channel<String>(1)));
        assertNull(pairingOf(new Mailbox<String>()));
        assertNull(pairingOf(new Mutex()));
        assertNull(pairingOf(Event.autoReset(true)));
    }

    @Test
    void anObjectThatNeedsAPartnerWithoutAPairingFailsLoudly() {
        WaitObject o = new WaitObject(0L) {
            @Override
            protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
                return NEEDS_PARTNER;
            }

            @Override
            protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
                return POLL_CONTENDED;
            }
        };
        assertThrows(IllegalStateException.class, () -> WaitEngine.poll(o, 1));
        assertFalse(o.isLockHeld(), "the object lock was given back");
    }
}
