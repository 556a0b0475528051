package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The losing members of a wait-any leave their objects while other threads signal those
 * objects. A signaller that meets the node of a waiter already claimed elsewhere (or cancelled)
 * unlinks it; the object's bookkeeping for that node (a pending-read slot, a queued-writer
 * count, a barrier arrival) must be undone exactly once all the same, whoever unlinks it.
 *
 * <p>The interleaving is made deterministic with a completion callback: withdrawing the first
 * member lets a queued reader of a "trigger" lock in, whose future's dependent action (run
 * synchronously, at DISPATCH_LEVEL, where polls and signals are allowed) signals the object of
 * the second member while the waiter's node is still queued there.
 */
class MixedWaitWithdrawalTest {

    /**
     * A preferWriters lock with one read hold and a queued async reader: withdrawing a writer
     * queued on it (the first member of the wait under test) admits the reader, whose future
     * then runs {@code action}.
     */
    private static final class Trigger {
        final RwLock lock = RwLock.preferWriters();
        CompletableFuture<Void> reader;

        Trigger() {
            lock.readLock().lock();
        }

        /** Queues the reader behind the writer that the wait under test registered first. */
        void armAfterWriterQueued(Runnable action) {
            reader = lock.readLock().lockAsync();
            assertFalse(reader.isDone(), "held back by the queued writer");
            reader.thenRun(action);
        }

        void assertFired() {
            assertTrue(reader.isDone(), "the withdrawal admitted the reader");
        }
    }

    @Test
    void cancelledWaitReleasesItsPendingByteStreamReadEvenWhenAWriteUnlinksIt() {
        Trigger trigger = new Trigger();
        ByteStream stream = new ByteStream(8);
        CompletableFuture<Integer> wait = Wait.anyAsync(trigger.lock.writeLock(), stream.readOp(new byte[8], 0, 1, 8));
        trigger.armAfterWriterQueued(() -> assertEquals(1, stream.tryWrite(new byte[] {1}, 0, 1, 1)));

        assertTrue(wait.cancel(true), "nothing was acquired");
        trigger.assertFired();
        assertEquals(1, stream.available(), "the write did not go to the cancelled read");
        assertEquals(1, stream.tryRead(new byte[1], 0, 1, 1), "the cancelled read is no longer pending");
    }

    @Test
    void waitWonByAnotherMemberReleasesItsPendingByteStreamReadEvenWhenAWriteUnlinksIt() {
        Trigger trigger = new Trigger();
        ByteStream stream = new ByteStream(8);
        Event winner = Event.autoReset(false);
        CompletableFuture<Integer> wait = Wait.anyAsync(trigger.lock.writeLock(), stream.readOp(new byte[8], 0, 1, 8),
                winner);
        trigger.armAfterWriterQueued(() -> assertEquals(1, stream.tryWrite(new byte[] {1}, 0, 1, 1)));

        winner.set(); // completes the wait; withdrawing its losers fires the trigger
        assertEquals(2, wait.join());
        trigger.assertFired();
        assertEquals(1, stream.available());
        assertEquals(1, stream.tryRead(new byte[1], 0, 1, 1), "the losing read is no longer pending");
    }

    @Test
    void cancelledWaitDoesNotLeaveAQueuedWriterThatLocksReadersOutOfAFreeLock() {
        Trigger trigger = new Trigger();
        RwLock rw = RwLock.preferWriters();
        rw.readLock().lock();
        CompletableFuture<Integer> wait = Wait.anyAsync(trigger.lock.writeLock(), rw.writeLock());
        trigger.armAfterWriterQueued(() -> rw.readLock().unlock());

        assertTrue(wait.cancel(true));
        trigger.assertFired();
        assertEquals(0, rw.readHolds());
        assertFalse(rw.isWriteLocked());

        // a reader that queues behind a writer is admitted by that writer's unlock: no writer
        // is left waiting (a leftover queued-writer count would keep it out of a free lock)
        assertTrue(rw.writeLock().tryLock());
        CompletableFuture<Void> reader = rw.readLock().lockAsync();
        assertFalse(reader.isDone());
        rw.writeLock().unlock();
        assertTrue(reader.isDone(), "no writer waits any more: the reader gets in");
        assertEquals(1, rw.readHolds());
        rw.readLock().unlock();
    }

    @Test
    void readerQueuedAheadOfAWithdrawnWriterIsAdmittedByTheUnlockThatUnlinksIt() {
        Trigger trigger = new Trigger();
        RwLock rw = RwLock.preferWriters();
        rw.writeLock().lock();
        CompletableFuture<Void> reader = rw.readLock().lockAsync(); // queued: a writer holds it
        CompletableFuture<Integer> wait = Wait.anyAsync(trigger.lock.writeLock(), rw.writeLock()); // behind the reader
        trigger.armAfterWriterQueued(() -> rw.writeLock().unlock()); // runs in this thread, the write holder

        assertTrue(wait.cancel(true));
        trigger.assertFired();
        assertFalse(rw.isWriteLocked());
        assertTrue(reader.isDone(), "the unlock admitted the reader once the withdrawn writer was gone");
        assertEquals(1, rw.readHolds());
        rw.readLock().unlock();
    }

    @Test
    void barrierArrivalOfACancelledWaitIsNotCountedByAGroupCompletingBeforeItsWithdrawal() throws InterruptedException {
        Trigger trigger = new Trigger();
        Barrier barrier = new Barrier(2);
        CompletableFuture<Integer> wait = Wait.anyAsync(trigger.lock.writeLock(), barrier);
        assertEquals(1, barrier.waiting());
        AtomicBoolean passed = new AtomicBoolean();
        // the arrival is still queued, but its wait is cancelled: a round never counts it
        trigger.armAfterWriterQueued(() -> passed.set(barrier.tryAwait()));

        assertTrue(wait.cancel(true));
        trigger.assertFired();
        assertFalse(passed.get(), "the arrival of the cancelled wait completed the group");
        assertEquals(0, barrier.waiting(), "the arrival was taken back exactly once");

        // the barrier counts correctly afterwards: one arrival waits, the second completes
        assertFalse(barrier.tryAwait());
        Worker<Boolean> first = Worker.startParked("first", () -> barrier.await(LONG));
        assertEquals(1, barrier.waiting());
        assertTrue(barrier.await(LONG));
        assertTrue(first.join());
        assertEquals(0, barrier.waiting());
    }
}
