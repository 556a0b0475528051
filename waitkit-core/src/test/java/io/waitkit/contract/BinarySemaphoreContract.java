package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a binary semaphore, after the ao kernel's {@code bsem}: available or taken, no
 * owner; a give to a taken semaphore hands it to the first waiter (FIFO), or makes it available;
 * gives do not accumulate; any thread may give. Waits follow the shared rules (polls, never-early
 * timeouts, interrupts and cancels that take nothing).
 *
 * <p>A backend extends this class and implements {@link #newBinarySemaphore}.
 */
public abstract class BinarySemaphoreContract extends ContractBase {
    /**
     * Creates the semaphore under test.
     *
     * @param available whether it starts available (true) or taken (false)
     * @return the semaphore
     */
    protected abstract BinarySemaphoreUnderTest newBinarySemaphore(boolean available);

    private Forked<Void> blockedTaker(BinarySemaphoreUnderTest b, String name) {
        return blockedRun(name, b::take);
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void createdSemaphoreReportsItsInitialState() {
        assertTrue(newBinarySemaphore(true).isAvailable());
        assertFalse(newBinarySemaphore(false).isAvailable());
    }

    @Test
    public void giveOfATakenSemaphoreWithoutWaitersMakesItAvailableAndReportsTrue() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        assertTrue(b.give());
        assertTrue(b.isAvailable());
        assertFalse(b.give(), "a second give finds it available and changes nothing");
        assertTrue(b.isAvailable());
    }

    @Test
    public void everyFormOfTakeTakesAnAvailableSemaphoreOnce() throws InterruptedException {
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        assertTrue(b.tryTake());
        assertFalse(b.isAvailable());
        assertFalse(b.tryTake(), "taken: a second take fails");
        b.give();
        assertTrue(b.take(Duration.ZERO));
        b.give();
        assertTrue(b.take(LONG));
        b.give();
        assertTrue(b.take(Deadline.after(LONG)));
        b.give();
        b.take();
        assertFalse(b.isAvailable());
    }

    @Test
    public void pollsOfATakenSemaphoreFailAtOnceAndChangeNothing() throws InterruptedException {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        assertFalse(b.tryTake());
        assertFalse(b.take(Duration.ZERO));
        assertFalse(b.take(Duration.ofNanos(-1)), "a negative timeout polls");
        assertFalse(b.take(Deadline.now()));
        assertFalse(b.isAvailable());
        assertTrue(b.give(), "no poll left a waiter behind: the give makes it available");
        assertTrue(b.isAvailable());
    }

    @Test
    public void timedTakeOfATakenSemaphoreTimesOutNeverEarlyAndLeavesNoWaiter() throws InterruptedException {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        long t0 = System.nanoTime();
        assertFalse(b.take(SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertFalse(b.take(Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertTrue(b.give());
        assertTrue(b.isAvailable(), "the timed-out takers were withdrawn");
    }

    @Test
    public void availableSemaphoreIsTakenEvenWithADeadlineThatPassedLongAgo() throws InterruptedException {
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        assertTrue(b.take(Deadline.from(Deadline.now(), Duration.ofSeconds(-5))));
        assertFalse(b.isAvailable());
    }

    @Test
    public void anyThreadMayGiveASemaphoreItDidNotTake() throws InterruptedException {
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        b.take();
        assertTrue(Forked.call("giver", b::give).join());
        assertTrue(b.isAvailable());
    }

    @Test
    public void nullTimeoutsAreRejectedAndTheSemaphoreStaysUsable() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        assertThrows(NullPointerException.class, () -> b.take((Duration) null));
        assertThrows(NullPointerException.class, () -> b.take((Deadline) null));
        assertTrue(b.isAvailable(), "nothing taken");
        assertTrue(b.tryTake());
    }

    // ---------------------------------------------------------------- hand-off and order

    @Test
    public void giveHandsTheSemaphoreToTheWaiterBeforeReturning() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        Forked<Void> w = blockedTaker(b, "waiter");
        assertTrue(b.give());
        assertFalse(b.isAvailable(), "the waiter holds it right after give returns");
        assertFalse(b.tryTake());
        w.join();
        assertTrue(b.give());
        assertTrue(b.isAvailable());
    }

    @Test
    public void waitersAreServedInArrivalOrderOneGiveEach() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        Forked<Void> first = blockedTaker(b, "first");
        Forked<Void> second = blockedTaker(b, "second");
        Forked<Void> third = blockedTaker(b, "third");
        b.give();
        first.join();
        assertFalse(second.isDone());
        assertFalse(third.isDone());
        b.give();
        second.join();
        assertFalse(third.isDone());
        b.give();
        third.join();
        assertFalse(b.isAvailable());
    }

    @Test
    public void timedTakeIsWokenByGive() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        Forked<Boolean> w = blockedCall("waiter", () -> b.take(Deadline.after(LONG)));
        b.give();
        assertTrue(w.join());
        assertFalse(b.isAvailable());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeTakingThrowsAndTakesNothing() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, b::take);
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt status is cleared");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> b.take(LONG));
        assertTrue(b.isAvailable(), "nothing taken");
    }

    @Test
    public void interruptedWaiterIsWithdrawnAndTheGiveGoesToTheNextOne() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        Forked<Boolean> first = blockedCall("first", () -> b.take(LONG));
        Forked<Void> second = blockedTaker(b, "second");
        first.interrupt();
        first.joinFailure(InterruptedException.class);
        b.give();
        second.join();
        assertFalse(b.isAvailable());
        assertTrue(b.give());
        assertTrue(b.isAvailable(), "no withdrawn waiter is served afterwards");
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncTakeOfAnAvailableSemaphoreCompletesAtOnceAndTakesIt() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        assertCompleted(b.takeAsync());
        assertFalse(b.isAvailable());
    }

    @Test
    public void asyncTakesCompleteInsideGiveInArrivalOrder() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        CompletableFuture<Void> first = b.takeAsync();
        CompletableFuture<Void> second = b.takeAsync();
        assertPending(first);
        b.give();
        assertCompleted(first);
        assertPending(second);
        assertFalse(b.isAvailable());
        b.give();
        assertCompleted(second);
        assertFalse(b.isAvailable());
    }

    @Test
    public void cancelledAsyncTakeIsWithdrawnAndCancelAfterCompletionKeepsTheTake() {
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        CompletableFuture<Void> cancelled = b.takeAsync();
        CompletableFuture<Void> kept = b.takeAsync();
        assertTrue(cancelled.cancel(false));
        b.give();
        assertCompleted(kept);
        assertFalse(kept.cancel(false), "completion already took it: the caller holds it");
        assertFalse(b.isAvailable());
        assertTrue(b.give());
        assertTrue(b.isAvailable(), "the cancelled take never took it");
    }

    @Test
    public void giveRacingACancelEitherCompletesTheTakeOrLeavesTheSemaphoreAvailable() {
        Race.<Object[]>seeded().run(300, round -> {
            BinarySemaphoreUnderTest b = newBinarySemaphore(false);
            return new Object[] {b, b.takeAsync(), null};
        }, f -> f[2] = ((CompletableFuture<?>) f[1]).cancel(false),
                f -> ((BinarySemaphoreUnderTest) f[0]).give(),
                f -> {
                    BinarySemaphoreUnderTest b = (BinarySemaphoreUnderTest) f[0];
                    CompletableFuture<?> take = (CompletableFuture<?>) f[1];
                    boolean cancelled = (Boolean) f[2];
                    assertEquals(cancelled, take.isCancelled());
                    assertEquals(cancelled, b.isAvailable(), "cancelled: available; completed: taken");
                });
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void waitAnyTakesTheFirstAvailableSemaphoreOnly() throws InterruptedException {
        BinarySemaphoreUnderTest taken = newBinarySemaphore(false);
        BinarySemaphoreUnderTest a = newBinarySemaphore(true);
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        assertEquals(1, Wait.any(Duration.ZERO, taken.waitable(), a.waitable(), b.waitable()));
        assertFalse(a.isAvailable());
        assertTrue(b.isAvailable(), "exactly one object is acquired");
        assertFalse(taken.isAvailable());
    }

    @Test
    public void blockedWaitAnyIsWokenByGiveWithItsIndexAndTheOtherMemberUntouched() {
        EventUnderTest other = newCompanionEvent(false);
        BinarySemaphoreUnderTest b = newBinarySemaphore(false);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), b.waitable()));
        b.give();
        assertFalse(b.isAvailable(), "handed to the wait-any before give returned");
        assertEquals(1, w.join());
        other.set();
        assertTrue(other.isSignaled(), "the withdrawn wait left the other member alone");
    }

    @Test
    public void waitAllTakesTheSemaphoreOnlyTogetherWithTheOtherMember() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        BinarySemaphoreUnderTest b = newBinarySemaphore(true);
        assertFalse(Wait.all(Duration.ZERO, b.waitable(), other.waitable()));
        assertTrue(b.isAvailable(), "a failed wait-all takes nothing");
        Forked<Boolean> w = blockedCall("all", () -> Wait.all(LONG, b.waitable(), other.waitable()));
        other.set();
        assertTrue(w.join());
        assertFalse(b.isAvailable());
        assertFalse(other.isSignaled());
    }
}
