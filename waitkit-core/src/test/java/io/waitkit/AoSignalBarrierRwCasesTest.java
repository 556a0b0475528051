package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static io.waitkit.AoSupport.millisSince;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.AoSupport.Worker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/**
 * ao cases T14-T21 (docs/semantics.md#numbered-cases): {@link Signal}, {@link Barrier} and the two
 * readers/writer locks ({@code rw} = {@link RwLock#preferReaders()}, {@code wr} =
 * {@link RwLock#preferWriters()}).
 */
class AoSignalBarrierRwCasesTest {

    @Test
    void ao_T14_signalWithNobodyWaitingIsLost() throws InterruptedException {
        Signal s = new Signal();
        assertEquals(0, s.signal(), "nobody released");
        long t0 = System.nanoTime();
        assertFalse(s.await(Duration.ofMillis(20)), "the earlier signal left no trace");
        assertTrue(millisSince(t0) >= 20);
    }

    @Test
    void ao_T15_signalReleasesTheFirstWaiterAndSignalAllTheRest() throws InterruptedException {
        Signal s = new Signal();
        Worker<Boolean> a = Worker.startParked("A", () -> s.await(LONG));
        Worker<Boolean> b = Worker.startParked("B", () -> s.await(LONG));
        Worker<Boolean> c = Worker.startParked("C", () -> s.await(LONG));

        assertEquals(1, s.signal());
        assertTrue(a.join(), "only A, the first");
        b.assertWaiting();
        c.assertWaiting();

        assertEquals(2, s.signalAll());
        assertTrue(b.join());
        assertTrue(c.join());
        assertFalse(s.hasWaiters());

        assertFalse(s.await(Duration.ofMillis(20)), "a waiter arriving afterwards blocks");
    }

    @Test
    void ao_T16_barrierReleasesTheGroupOnTheLastArrivalAndIsReusable() throws InterruptedException {
        Barrier barrier = new Barrier(3);
        for (int round = 1; round <= 2; round++) {
            Worker<Boolean> w1 = Worker.startParked("W1 round " + round, () -> barrier.await(LONG));
            Worker<Boolean> w2 = Worker.startParked("W2 round " + round, () -> barrier.await(LONG));
            assertEquals(2, barrier.waiting());

            assertTrue(barrier.await(LONG), "the third arrival passes at once");
            assertTrue(w1.join());
            assertTrue(w2.join());
            assertEquals(0, barrier.waiting(), "empty again after round " + round);
        }
    }

    @Test
    void ao_T17_barrierWithdrawalTakesTheArrivalBack() throws InterruptedException {
        Barrier barrier = new Barrier(3);
        Duration timeout = Duration.ofMillis(50);
        long t0 = System.nanoTime();
        assertFalse(barrier.await(timeout), "A waits alone and times out");
        assertTrue(millisSince(t0) >= timeout.toMillis());
        assertEquals(0, barrier.waiting(), "A's arrival was taken back");

        Worker<Boolean> b = Worker.startParked("B", () -> barrier.await(LONG));
        Worker<Boolean> c = Worker.startParked("C", () -> barrier.await(LONG));
        assertEquals(2, barrier.waiting());
        b.assertWaiting();
        c.assertWaiting();

        assertTrue(barrier.await(LONG), "the fourth arrival completes the group");
        assertTrue(b.join());
        assertTrue(c.join());
        assertEquals(0, barrier.waiting());
    }

    @Test
    void ao_T18_barrierTryPassesOnlyAsTheCompletingArrival() {
        Barrier two = new Barrier(2);
        Worker<Boolean> w = Worker.startParked("W", () -> two.await(LONG));
        assertTrue(two.tryAwait(), "completes the group");
        assertTrue(w.join());
        assertEquals(0, two.waiting());

        Barrier alone = new Barrier(2);
        assertFalse(alone.tryAwait(), "not the completing arrival");
        assertEquals(0, alone.waiting(), "the try registered nothing");
        assertFalse(alone.tryAwait(), "still nobody to meet");
    }

    /** Takes the given side, reports it, holds it until released, then unlocks it. */
    private static Worker<Boolean> holder(String name, Lock side, CountDownLatch acquired, CountDownLatch release) {
        return Worker.start(name, () -> {
            side.lockInterruptibly();
            try {
                acquired.countDown();
                return release.await(20, TimeUnit.SECONDS);
            } finally {
                side.unlock();
            }
        });
    }

    @Test
    void ao_T19_preferReadersAdmitsANewReaderWhileAWriterWaits() throws InterruptedException {
        RwLock rw = RwLock.preferReaders();
        rw.readLock().lock();
        CountDownLatch writerIn = new CountDownLatch(1);
        CountDownLatch releaseWriter = new CountDownLatch(1);
        Worker<Boolean> writer = holder("W", rw.writeLock(), writerIn, releaseWriter).awaitParked();

        assertTrue(rw.readLock().tryLock(), "a new reader gets in although W waits");
        assertEquals(2, rw.readHolds());
        writer.assertWaiting();

        rw.readLock().unlock();
        rw.readLock().unlock();
        assertTrue(rw.isWriteLocked(), "the last read unlock handed the lock to W");
        assertTrue(writerIn.await(20, TimeUnit.SECONDS));
        releaseWriter.countDown();
        assertTrue(writer.join());
        assertFalse(rw.isWriteLocked());
    }

    @Test
    void ao_T20_preferReadersWriteUnlockAdmitsAllQueuedReadersBeforeTheNextWriter() throws InterruptedException {
        RwLock rw = RwLock.preferReaders();
        rw.writeLock().lock();
        CountDownLatch readersIn = new CountDownLatch(2);
        CountDownLatch releaseR1 = new CountDownLatch(1);
        CountDownLatch releaseR2 = new CountDownLatch(1);
        CountDownLatch w2In = new CountDownLatch(1);
        CountDownLatch releaseW2 = new CountDownLatch(1);
        Worker<Boolean> r1 = holder("R1", rw.readLock(), readersIn, releaseR1).awaitParked();
        Worker<Boolean> r2 = holder("R2", rw.readLock(), readersIn, releaseR2).awaitParked();
        Worker<Boolean> w2 = holder("W2", rw.writeLock(), w2In, releaseW2).awaitParked();

        rw.writeLock().unlock();
        assertEquals(2, rw.readHolds(), "R1 and R2 were admitted before the unlock returned");
        assertFalse(rw.isWriteLocked());
        assertTrue(readersIn.await(20, TimeUnit.SECONDS));
        w2.assertWaiting();

        releaseR1.countDown();
        assertTrue(r1.join());
        assertEquals(1, rw.readHolds());
        w2.assertWaiting();

        releaseR2.countDown();
        assertTrue(r2.join());
        assertTrue(w2In.await(20, TimeUnit.SECONDS), "W2 acquires once both readers left");
        releaseW2.countDown();
        assertTrue(w2.join());
        assertFalse(rw.isWriteLocked());
        assertEquals(0, rw.readHolds());
    }

    @Test
    void ao_T21_preferWritersBlocksNewReadersAndAdmitsQueuedReadersTogetherAfterTheWriters() throws InterruptedException {
        RwLock wr = RwLock.preferWriters();
        wr.readLock().lock();
        CountDownLatch writerIn = new CountDownLatch(1);
        CountDownLatch releaseWriter = new CountDownLatch(1);
        Worker<Boolean> writer = holder("W", wr.writeLock(), writerIn, releaseWriter).awaitParked();

        assertFalse(wr.readLock().tryLock(), "a new reader does not overtake the waiting writer");

        CountDownLatch readersIn = new CountDownLatch(2);
        CountDownLatch releaseReaders = new CountDownLatch(1);
        Worker<Boolean> r1 = holder("R1", wr.readLock(), readersIn, releaseReaders).awaitParked();
        Worker<Boolean> r2 = holder("R2", wr.readLock(), readersIn, releaseReaders).awaitParked();

        wr.readLock().unlock();
        assertTrue(wr.isWriteLocked(), "the last reader handed the lock to W");
        assertTrue(writerIn.await(20, TimeUnit.SECONDS));
        r1.assertWaiting();
        r2.assertWaiting();

        releaseWriter.countDown();
        assertTrue(writer.join());
        assertEquals(2, wr.readHolds(), "W's unlock admitted both queued readers together");
        assertTrue(readersIn.await(20, TimeUnit.SECONDS));
        releaseReaders.countDown();
        assertTrue(r1.join());
        assertTrue(r2.join());
        assertEquals(0, wr.readHolds());
    }
}
