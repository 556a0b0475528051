package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a bounded channel, after the ao kernel's {@code queue4ptr} and {@code stream4ptr}
 * and AxisOS message queues: the receive side of {@link ItemContainerContract} plus a send side
 * that blocks while the channel is full; a receive from a full channel lets the first waiting
 * sender's item in before it returns; a send that finds a receiver waiting hands its item over
 * before it returns; senders are FIFO; a send that does not report success sent nothing. Capacity 0
 * makes every send a hand-off that completes only together with a receive (FIFO among senders
 * whatever the receive order), nothing is ever buffered, and such a channel cannot take part in a
 * wait-all.
 *
 * <p>A backend extends this class, implements {@link #newChannel} and overrides
 * {@link #receiveOrder()} for a priority channel.
 */
public abstract class BoundedChannelContract extends ItemContainerContract {
    /**
     * Creates the channel under test.
     *
     * @param capacity the number of items it buffers; 0 for a synchronous hand-off
     * @return the channel, empty
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    protected abstract BoundedChannelUnderTest newChannel(int capacity);

    @Override
    protected ItemContainerUnderTest newContainer() {
        return newChannel(ROOM);
    }

    private static Item item(int seq) {
        return new Item(seq % 3, seq);
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void capacityIsReportedAndANegativeCapacityIsRejected() {
        assertEquals(0, newChannel(0).capacity());
        assertEquals(3, newChannel(3).capacity());
        assertThrows(IllegalArgumentException.class, () -> newChannel(-1));
    }

    @Test
    public void sendsFillTheChannelToItsCapacityThenPollsFailAndSendNothing() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(3);
        assertTrue(ch.trySend(item(1)));
        assertTrue(ch.send(item(2), Duration.ZERO));
        ch.send(item(3));
        assertEquals(3, ch.size());
        assertFalse(ch.trySend(item(4)));
        assertFalse(ch.send(item(5), Duration.ZERO));
        assertFalse(ch.send(item(6), Duration.ofMillis(-1)));
        assertFalse(ch.send(item(7), Deadline.now()));
        assertThrows(IllegalStateException.class, () -> ch.put(item(8)));
        assertEquals(3, ch.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(ch.tryReceive().seq() <= 3, "only the items that were sent come out");
        }
        assertNull(ch.tryReceive());
    }

    @Test
    public void timedSendToAFullChannelTimesOutNeverEarlyAndSendsNothing() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(1);
        ch.send(item(1));
        long t0 = System.nanoTime();
        assertFalse(ch.send(item(2), SHORT));
        assertNeverEarly(t0, SHORT);
        t0 = System.nanoTime();
        assertFalse(ch.send(item(3), Deadline.after(SHORT)));
        assertNeverEarly(t0, SHORT);
        assertEquals(item(1), ch.tryReceive());
        assertEquals(0, ch.size(), "no withdrawn sender slipped its item in");
        assertNull(ch.tryReceive());
    }

    @Test
    public void nullItemsAndTimeoutsAreRejectedOnTheSendSideAndTheChannelStaysUsable() {
        BoundedChannelUnderTest ch = newChannel(2);
        assertThrows(NullPointerException.class, () -> ch.send(null));
        assertThrows(NullPointerException.class, () -> ch.send(null, LONG));
        assertThrows(NullPointerException.class, () -> ch.trySend(null));
        assertThrows(NullPointerException.class, () -> ch.sendAsync(null));
        assertThrows(NullPointerException.class, () -> ch.sendOp(null));
        assertThrows(NullPointerException.class, () -> ch.send(item(1), (Duration) null));
        assertThrows(NullPointerException.class, () -> ch.send(item(1), (Deadline) null));
        assertEquals(0, ch.size());
        assertTrue(ch.trySend(item(2)));
        assertEquals(item(2), ch.tryReceive());
    }

    // ---------------------------------------------------------------- hand-off and order

    @Test
    public void receiveFromAFullChannelLetsTheWaitingSendersInOneByOneInArrivalOrder() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(1);
        ch.send(item(1));
        Forked<Boolean> second = blockedCall("second", () -> ch.send(item(2), LONG));
        Forked<Void> third = blockedRun("third", () -> ch.send(item(3)));
        assertEquals(item(1), ch.receive());
        assertEquals(1, ch.size(), "the first waiting sender's item entered before receive returned");
        assertTrue(second.join());
        assertFalse(third.isDone());
        assertEquals(item(2), ch.receive(Duration.ZERO));
        third.join();
        assertEquals(item(3), ch.tryReceive());
        assertEquals(0, ch.size());
    }

    @Test
    public void sendHandsTheItemToAWaitingReceiverBeforeReturning() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(2);
        Forked<Item> r = blockedCall("receiver", () -> ch.receive(LONG));
        assertTrue(ch.send(item(1), LONG));
        assertEquals(0, ch.size());
        assertEquals(item(1), r.join());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeSendingThrowsAndSendsNothing() {
        BoundedChannelUnderTest ch = newChannel(2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> ch.send(item(1)));
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> ch.send(item(2), LONG));
        assertEquals(0, ch.size());
    }

    @Test
    public void interruptedSenderIsWithdrawnAndItsItemIsNeverDelivered() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(1);
        ch.send(item(1));
        Forked<Void> s = blockedRun("sender", () -> ch.send(item(2)));
        s.interrupt();
        s.joinFailure(InterruptedException.class);
        assertEquals(item(1), ch.receive());
        assertEquals(0, ch.size());
        assertNull(ch.tryReceive());
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncSendCompletesInsideTheReceiveThatMakesRoom() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(1);
        assertCompleted(ch.sendAsync(item(1)));
        CompletableFuture<Void> pending = ch.sendAsync(item(2));
        assertPending(pending);
        assertEquals(item(1), ch.receive());
        assertCompleted(pending);
        assertEquals(1, ch.size());
        assertEquals(item(2), ch.tryReceive());
    }

    @Test
    public void cancelledAsyncSendIsWithdrawnAndCancelAfterCompletionLeavesTheItemSent() {
        BoundedChannelUnderTest ch = newChannel(1);
        ch.put(item(1));
        CompletableFuture<Void> cancelled = ch.sendAsync(item(2));
        CompletableFuture<Void> kept = ch.sendAsync(item(3));
        assertTrue(cancelled.cancel(false));
        assertEquals(item(1), ch.tryReceive());
        assertFalse(kept.cancel(false), "item 3 entered when item 1 left");
        assertEquals(item(3), ch.tryReceive());
        assertNull(ch.tryReceive(), "item 2 was never sent");
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyOnASendIsCompletedByTheReceiveThatMakesRoom() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        BoundedChannelUnderTest ch = newChannel(1);
        ch.send(item(1));
        Waitable send = ch.sendOp(item(2));
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), send));
        assertEquals(item(1), ch.receive());
        assertEquals(1, ch.size(), "item 2 entered before receive returned");
        assertEquals(1, w.join());
        assertEquals(item(2), ch.tryReceive());
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void sendOfAWaitAnyWonByAnotherMemberSendsNothing() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(true);
        BoundedChannelUnderTest ch = newChannel(1);
        assertEquals(0, Wait.any(Duration.ZERO, other.waitable(), ch.sendOp(item(1))));
        assertEquals(0, ch.size());
        assertEquals(1, Wait.any(Duration.ZERO, other.waitable(), ch.sendOp(item(2))));
        assertEquals(item(2), ch.tryReceive());
    }

    @Test
    public void waitAllSendsOnlyTogetherWithTheOtherMember() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        BoundedChannelUnderTest ch = newChannel(1);
        Waitable send = ch.sendOp(item(1));
        assertFalse(Wait.all(Duration.ZERO, send, other.waitable()));
        assertEquals(0, ch.size(), "a failed wait-all sends nothing");
        other.set();
        assertTrue(Wait.all(Duration.ZERO, send, other.waitable()));
        assertEquals(item(1), ch.tryReceive());
    }

    // ---------------------------------------------------------------- capacity 0

    @Test
    public void capacityZeroPollsFindNoPartnerAndNothingIsEverBuffered() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(0);
        assertFalse(ch.trySend(item(1)));
        assertFalse(ch.send(item(2), Duration.ZERO));
        assertFalse(ch.send(item(3), Deadline.now()));
        assertNull(ch.tryReceive());
        assertNull(ch.receive(Duration.ZERO));
        assertNull(ch.receive(Deadline.now()));
        assertEquals(0, ch.size());
    }

    @Test
    public void capacityZeroTimedSendAndReceiveTimeOutNeverEarlyAndLeaveNoPartnerBehind() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(0);
        long t0 = System.nanoTime();
        assertFalse(ch.send(item(1), SHORT));
        assertNeverEarly(t0, SHORT);
        assertNull(ch.tryReceive(), "the timed-out sender is gone");
        t0 = System.nanoTime();
        assertNull(ch.receive(SHORT));
        assertNeverEarly(t0, SHORT);
        assertFalse(ch.trySend(item(2)), "the timed-out receiver is gone");
    }

    @Test
    public void capacityZeroSendReturnsOnlyOnceAReceiverHasTheItemAndSendersAreServedInOrder() {
        BoundedChannelUnderTest ch = newChannel(0);
        Forked<Void> first = blockedRun("first", () -> ch.send(new Item(9, 1)));
        Forked<Boolean> second = blockedCall("second", () -> ch.send(new Item(0, 2), LONG));
        assertEquals(0, ch.size());
        assertEquals(new Item(9, 1), ch.tryReceive(), "FIFO among senders, whatever the receive order");
        first.join();
        assertFalse(second.isDone());
        assertEquals(new Item(0, 2), ch.tryReceive());
        assertTrue(second.join());
        assertNull(ch.tryReceive());
    }

    @Test
    public void capacityZeroAsyncOperationsCompleteInsideTheirPartner() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(0);
        CompletableFuture<Item> receive = ch.receiveAsync();
        assertPending(receive);
        assertTrue(ch.trySend(item(1)));
        assertEquals(item(1), assertCompleted(receive));
        CompletableFuture<Void> send = ch.sendAsync(item(2));
        assertPending(send);
        assertEquals(item(2), ch.receive(Duration.ZERO));
        assertCompleted(send);
        CompletableFuture<Void> cancelled = ch.sendAsync(item(3));
        assertTrue(cancelled.cancel(false));
        assertNull(ch.tryReceive(), "the cancelled send is gone");
    }

    @Test
    public void capacityZeroInterruptedSenderDeliversNothing() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(0);
        Forked<Void> s = blockedRun("sender", () -> ch.send(item(1)));
        s.interrupt();
        s.joinFailure(InterruptedException.class);
        assertNull(ch.receive(Duration.ZERO));
    }

    @Test
    public void capacityZeroWaitAnyReceivePairsWithABlockedSender() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        BoundedChannelUnderTest ch = newChannel(0);
        Forked<Void> s = blockedRun("sender", () -> ch.send(item(1)));
        OpUnderTest<Item> op = ch.receiveOp();
        assertEquals(1, Wait.any(Duration.ZERO, other.waitable(), op.waitable()));
        assertEquals(item(1), op.result());
        s.join();
    }

    @Test
    public void capacityZeroBlockedWaitAnySendIsPairedByAReceive() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        BoundedChannelUnderTest ch = newChannel(0);
        Waitable send = ch.sendOp(item(1));
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), send));
        assertEquals(item(1), ch.receive(LONG));
        assertEquals(1, w.join());
    }

    @Test
    public void capacityZeroWaitAnyOverASendAndAReceiveOfTheSameChannelNeverPairsWithItself() throws InterruptedException {
        BoundedChannelUnderTest ch = newChannel(0);
        OpUnderTest<Item> receive = ch.receiveOp();
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, ch.sendOp(item(1)), receive.waitable()));
        long t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(SHORT, ch.sendOp(item(2)), receive.waitable()));
        assertNeverEarly(t0, SHORT);
        assertNull(receive.result());
        assertNull(ch.tryReceive(), "nothing left behind");
        assertFalse(ch.trySend(item(3)));
    }

    @Test
    public void capacityZeroChannelCannotTakePartInAWaitAll() {
        EventUnderTest other = newCompanionEvent(true);
        BoundedChannelUnderTest ch = newChannel(0);
        assertThrows(IllegalArgumentException.class,
                () -> Wait.all(Duration.ZERO, other.waitable(), ch.receiveOp().waitable()));
        assertThrows(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, other.waitable(), ch.sendOp(item(1))));
        assertTrue(other.isSignaled(), "nothing acquired");
    }
}
