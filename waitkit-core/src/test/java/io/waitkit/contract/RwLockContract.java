package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of a readers/writer lock, after the ao kernel's {@code rw} (readers preferred) and
 * {@code wr} (writers preferred): many readers or one writer; not reentrant; read holds are not per
 * thread (any thread may release one), the write hold belongs to its thread; an unlock admits the
 * next holders before it returns; writers are served FIFO. Preferring readers, a write unlock
 * admits every queued reader before the next writer; preferring writers, it hands the lock to the
 * next queued writer first, and a queued writer that gives up lets the readers it held back in at
 * once. Most tests run for both preferences (the parameter is {@code preferWriters}).
 *
 * <p>A backend extends this class and implements {@link #newRwLock}.
 */
public abstract class RwLockContract extends ContractBase {
    /**
     * Creates the lock under test.
     *
     * @param preferWriters true for writer preference (ao {@code wr}), false for reader
     *        preference (ao {@code rw})
     * @return the lock, free
     */
    protected abstract RwLockUnderTest newRwLock(boolean preferWriters);

    /** A hold of one side taken on another thread, released by {@link #close()}. */
    private static final class Holder implements AutoCloseable {
        final Forked<Void> thread;
        final CountDownLatch release;

        Holder(Forked<Void> thread, CountDownLatch release) {
            this.thread = thread;
            this.release = release;
        }

        @Override
        public void close() {
            release.countDown();
            thread.join();
        }
    }

    /** Takes a hold of {@code side} on a new thread and returns once it is held. */
    private static Holder holdElsewhere(RwLockUnderTest.Side side, String name) {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Forked<Void> t = Forked.run(name, () -> {
            side.lockInterruptibly();
            held.countDown();
            release.await();
            side.unlock();
        });
        await(held);
        return new Holder(t, release);
    }

    /**
     * Starts a thread that waits for a hold of {@code side}, records {@code name} in
     * {@code order} once it has it, holds it until {@code release} opens, then unlocks.
     */
    private Forked<Void> queued(RwLockUnderTest.Side side, String name, List<String> order, CountDownLatch release) {
        return blockedRun(name, () -> {
            side.lockInterruptibly();
            order.add(name);
            release.await();
            side.unlock();
        });
    }

    private static void assertFree(RwLockUnderTest rw) {
        assertEquals(0, rw.readHolds(), "read holds of a free lock");
        assertFalse(rw.isWriteLocked(), "a free lock is not write-locked");
    }

    // ---------------------------------------------------------------- single thread

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void newLockIsFreeAndReportsItsPreference(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        assertEquals(preferWriters, rw.prefersWriters());
        assertFree(rw);
        assertFalse(rw.isWriteLockedByCurrentThread());
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void readHoldsAreSharedAndExcludeTheWriter(boolean preferWriters) throws InterruptedException {
        RwLockUnderTest rw = newRwLock(preferWriters);
        assertTrue(rw.read().tryLock());
        assertTrue(rw.read().tryLock(Duration.ZERO));
        assertEquals(2, rw.readHolds());
        assertFalse(rw.write().tryLock());
        assertFalse(rw.write().tryLock(Duration.ZERO));
        assertFalse(rw.write().tryLock(Deadline.now()));
        rw.read().unlock();
        assertFalse(rw.write().tryLock(), "one read hold is left");
        rw.read().unlock();
        assertFree(rw);
        assertTrue(rw.write().tryLock());
        assertTrue(rw.isWriteLocked());
        assertTrue(rw.isWriteLockedByCurrentThread());
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void writeHoldExcludesEveryoneAndIsNotReentrant(boolean preferWriters) throws InterruptedException {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.write().lock();
        assertFalse(rw.write().tryLock(), "not reentrant");
        assertFalse(rw.read().tryLock(Duration.ZERO));
        assertEquals(0, rw.readHolds());
        assertFalse(Forked.call("other", rw::isWriteLockedByCurrentThread).join());
        rw.write().unlock();
        assertFree(rw);
        assertFalse(rw.isWriteLockedByCurrentThread());
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void anyThreadMayReleaseAReadHold(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        Forked.run("releaser", () -> rw.read().unlock()).join();
        assertFree(rw);
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void unlocksWithoutAHoldAndNullTimeoutsAreRejectedAndChangeNothing(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        assertThrows(IllegalMonitorStateException.class, () -> rw.read().unlock());
        assertThrows(IllegalMonitorStateException.class, () -> rw.write().unlock());
        assertThrows(NullPointerException.class, () -> rw.write().tryLock((Duration) null));
        assertThrows(NullPointerException.class, () -> rw.read().tryLock((Deadline) null));
        assertFree(rw);
        try (Holder writer = holdElsewhere(rw.write(), "writer")) {
            assertThrows(IllegalMonitorStateException.class, () -> rw.write().unlock(), "not the holder");
            assertThrows(IllegalMonitorStateException.class, () -> rw.read().unlock(), "no read hold");
            assertTrue(rw.isWriteLocked(), "the holder keeps it");
        }
        assertFree(rw);
        assertTrue(rw.write().tryLock(), "still usable");
        rw.write().unlock();
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void timedLocksTimeOutNeverEarlyAndLeaveNoQueuedWaiter(boolean preferWriters) throws InterruptedException {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        long t0 = System.nanoTime();
        assertFalse(rw.write().tryLock(SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertFalse(rw.write().tryLock(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertTrue(rw.read().tryLock(), "no timed-out writer is left queued to hold readers back");
        rw.read().unlock();
        rw.read().unlock();
        assertFree(rw);
        rw.write().lock();
        t0 = System.nanoTime();
        assertFalse(rw.read().tryLock(SHORT));
        assertNeverEarly(t0, SHORT);
        rw.write().unlock();
        assertFree(rw);
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void freeLockIsTakenEvenWithADeadlineThatPassedLongAgo(boolean preferWriters) throws InterruptedException {
        RwLockUnderTest rw = newRwLock(preferWriters);
        Deadline passed = Deadline.from(Deadline.now(), Duration.ofSeconds(-1));
        assertTrue(rw.write().tryLock(passed));
        rw.write().unlock();
        assertTrue(rw.read().tryLock(passed));
        assertEquals(1, rw.readHolds());
    }

    // ---------------------------------------------------------------- hand-off and order

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void lastReadUnlockHandsTheLockToTheQueuedWriterBeforeReturning(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        rw.read().lock();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Forked<Void> writer = queued(rw.write(), "writer", order, release);
        rw.read().unlock();
        assertFalse(rw.isWriteLocked(), "one read hold is left");
        rw.read().unlock();
        assertTrue(rw.isWriteLocked(), "the writer holds the lock right after the last read unlock");
        assertFalse(rw.read().tryLock());
        release.countDown();
        writer.join();
        assertEquals(List.of("writer"), order);
        assertFree(rw);
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void queuedWritersAreServedInArrivalOrder(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.write().lock();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch release1 = new CountDownLatch(1);
        CountDownLatch release2 = new CountDownLatch(1);
        Forked<Void> w1 = queued(rw.write(), "w1", order, release1);
        Forked<Void> w2 = queued(rw.write(), "w2", order, release2);
        rw.write().unlock();
        assertTrue(rw.isWriteLocked(), "handed to the next writer before unlock returned");
        Threads.awaitCondition(() -> order.size() == 1, "w1 did not report its hold");
        assertEquals(List.of("w1"), order);
        awaitBlocked(w2.thread());
        release1.countDown();
        w1.join();
        Threads.awaitCondition(() -> order.size() == 2, "w2 did not get the lock after w1");
        assertEquals(List.of("w1", "w2"), order);
        release2.countDown();
        w2.join();
        assertFree(rw);
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void writeUnlockAdmitsEveryQueuedReaderBeforeReturning(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.write().lock();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Forked<Void> r1 = queued(rw.read(), "r1", order, release);
        Forked<Void> r2 = queued(rw.read(), "r2", order, release);
        CompletableFuture<Void> r3 = rw.read().lockAsync();
        rw.write().unlock();
        assertEquals(3, rw.readHolds(), "all queued readers were admitted before unlock returned");
        assertCompleted(r3);
        rw.read().unlock();
        release.countDown();
        r1.join();
        r2.join();
        assertFree(rw);
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void lockIgnoresInterruptsAndReassertsTheStatus(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        Forked<Boolean> writer = blockedCall("writer", () -> {
            rw.write().lock();
            boolean interrupted = Thread.currentThread().isInterrupted();
            rw.write().unlock();
            return interrupted;
        });
        writer.interrupt();
        awaitBlocked(writer.thread());
        assertFalse(writer.isDone());
        rw.read().unlock();
        assertTrue(writer.join());
        assertFree(rw);
    }

    // ---------------------------------------------------------------- interrupts

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void interruptBeforeLockingThrowsAndTakesNothing(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> rw.read().lockInterruptibly());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> rw.write().tryLock(LONG));
        assertFalse(Thread.currentThread().isInterrupted());
        assertFree(rw);
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void interruptedQueuedWriterIsWithdrawnAndTheNextWriterGetsTheLock(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        Forked<Void> first = blockedRun("first", () -> rw.write().lockInterruptibly());
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Forked<Void> second = queued(rw.write(), "second", order, release);
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        rw.read().unlock();
        assertTrue(rw.isWriteLocked());
        release.countDown();
        second.join();
        assertEquals(List.of("second"), order);
        assertFree(rw);
    }

    @Test
    public void preferringWritersAnInterruptedQueuedWriterLetsTheReadersItHeldBackIn() {
        RwLockUnderTest rw = newRwLock(true);
        rw.read().lock();
        Forked<Void> writer = blockedRun("writer", () -> rw.write().lockInterruptibly());
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Forked<Void> reader = queued(rw.read(), "reader", order, release);
        assertEquals(1, rw.readHolds(), "the reader waits behind the queued writer");
        writer.interrupt();
        writer.joinFailure(InterruptedException.class);
        Threads.awaitCondition(() -> order.size() == 1, "the reader was not admitted after the writer withdrew");
        assertEquals(2, rw.readHolds());
        release.countDown();
        reader.join();
        rw.read().unlock();
        assertFree(rw);
    }

    // ---------------------------------------------------------------- preferences

    @Test
    public void preferringReadersAWriteUnlockAdmitsQueuedReadersBeforeAWriterThatCameFirst() {
        RwLockUnderTest rw = newRwLock(false);
        rw.write().lock();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch releaseWriter = new CountDownLatch(1);
        CountDownLatch releaseReader = new CountDownLatch(1);
        Forked<Void> writer = queued(rw.write(), "writer", order, releaseWriter);
        Forked<Void> reader = queued(rw.read(), "reader", order, releaseReader);
        rw.write().unlock();
        assertEquals(1, rw.readHolds(), "the reader got in before unlock returned");
        assertFalse(rw.isWriteLocked());
        awaitBlocked(writer.thread());
        releaseReader.countDown();
        reader.join();
        Threads.awaitCondition(() -> order.size() == 2, "the writer did not follow the reader");
        assertEquals(List.of("reader", "writer"), order);
        releaseWriter.countDown();
        writer.join();
        assertFree(rw);
    }

    @Test
    public void preferringWritersAWriteUnlockHandsToTheNextWriterBeforeReadersThatCameFirst() {
        RwLockUnderTest rw = newRwLock(true);
        rw.write().lock();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch releaseWriter = new CountDownLatch(1);
        CountDownLatch releaseReader = new CountDownLatch(1);
        Forked<Void> reader = queued(rw.read(), "reader", order, releaseReader);
        Forked<Void> writer = queued(rw.write(), "writer", order, releaseWriter);
        rw.write().unlock();
        assertTrue(rw.isWriteLocked(), "the next writer got the lock before unlock returned");
        assertEquals(0, rw.readHolds());
        awaitBlocked(reader.thread());
        releaseWriter.countDown();
        writer.join();
        Threads.awaitCondition(() -> order.size() == 2, "the reader did not follow the writer");
        assertEquals(List.of("writer", "reader"), order);
        releaseReader.countDown();
        reader.join();
        assertFree(rw);
    }

    // ---------------------------------------------------------------- async

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void asyncWriteLockCompletesInsideTheLastReadUnlockForTheThreadThatAskedForIt(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        assertCompleted(rw.read().lockAsync());
        CompletableFuture<Void> write = rw.write().lockAsync();
        assertPending(write);
        Forked.run("releaser", () -> {
            rw.read().unlock();
            assertTrue(write.isDone(), "completed inside the unlock");
            assertFalse(rw.isWriteLockedByCurrentThread(), "not for the releasing thread");
        }).join();
        assertCompleted(write);
        assertTrue(rw.isWriteLockedByCurrentThread(), "the hold belongs to the thread that called lockAsync");
        rw.write().unlock();
        assertFree(rw);
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void cancelledAsyncWriteLockIsWithdrawnAndCancelAfterCompletionKeepsTheHold(boolean preferWriters) {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        CompletableFuture<Void> cancelled = rw.write().lockAsync();
        assertTrue(cancelled.cancel(false));
        assertTrue(rw.read().tryLock(), "no withdrawn writer holds readers back");
        rw.read().unlock();
        rw.read().unlock();
        assertFree(rw);
        rw.read().lock();
        CompletableFuture<Void> kept = rw.write().lockAsync();
        rw.read().unlock();
        assertFalse(kept.cancel(false), "it already holds the lock");
        assertTrue(rw.isWriteLockedByCurrentThread());
        rw.write().unlock();
        assertFree(rw);
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void waitAnyTakesTheFirstSideThatCanBeHeld(boolean preferWriters) throws InterruptedException {
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        assertEquals(1, Wait.any(Duration.ZERO, rw.write().waitable(), rw.read().waitable()));
        assertEquals(2, rw.readHolds(), "one more read hold, no write hold");
        assertFalse(rw.isWriteLocked());
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void blockedWaitAnyOnTheWriteSideGetsTheHoldFromTheReadUnlock(boolean preferWriters) {
        EventUnderTest other = newCompanionEvent(false);
        RwLockUnderTest rw = newRwLock(preferWriters);
        rw.read().lock();
        Forked<Boolean> w = blockedCall("any", () -> {
            int i = Wait.any(LONG, other.waitable(), rw.write().waitable());
            boolean holds = rw.isWriteLockedByCurrentThread();
            rw.write().unlock();
            return i == 1 && holds;
        });
        rw.read().unlock();
        assertTrue(w.join(), "index 1, with the write hold for the waiting thread");
        assertFree(rw);
        other.set();
        assertTrue(other.isSignaled());
    }

    @ParameterizedTest(name = "preferWriters={0}")
    @ValueSource(booleans = {false, true})
    public void waitAllTakesAReadHoldTogetherWithTheOtherMember(boolean preferWriters) throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        RwLockUnderTest rw = newRwLock(preferWriters);
        assertFalse(Wait.all(Duration.ZERO, rw.read().waitable(), other.waitable()));
        assertFree(rw);
        other.set();
        assertTrue(Wait.all(Duration.ZERO, rw.read().waitable(), other.waitable()));
        assertEquals(1, rw.readHolds());
        assertFalse(other.isSignaled());
    }
}
