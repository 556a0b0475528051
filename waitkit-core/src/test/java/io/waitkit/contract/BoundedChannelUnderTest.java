package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The operations of a bounded channel (a {@link io.waitkit.Channel},
 * {@link io.waitkit.PriorityChannel} or {@link io.waitkit.MessageQueue}) that
 * {@link BoundedChannelContract} checks: the receive side of {@link ItemContainerUnderTest}
 * plus the send side, each method with the meaning of the channel method of the same name.
 * {@link #put} is {@code trySend}, failing with {@link IllegalStateException} when full.
 */
public interface BoundedChannelUnderTest extends ItemContainerUnderTest {
    /**
     * @param item the item
     * @throws InterruptedException if interrupted first (not sent)
     */
    void send(Item item) throws InterruptedException;

    /**
     * @param item the item
     * @param timeout the longest wait; zero or negative polls
     * @return true if sent
     * @throws InterruptedException if interrupted first (not sent)
     */
    boolean send(Item item, Duration timeout) throws InterruptedException;

    /**
     * @param item the item
     * @param deadline when to give up; a passed deadline polls
     * @return true if sent
     * @throws InterruptedException if interrupted first (not sent)
     */
    boolean send(Item item, Deadline deadline) throws InterruptedException;

    /**
     * @param item the item
     * @return true if sent (for capacity 0: handed to a waiting receiver)
     */
    boolean trySend(Item item);

    /**
     * @param item the item
     * @return a future completed once the item is in (or, for capacity 0, with a receiver);
     *         cancelling a pending one withdraws the send
     */
    CompletableFuture<Void> sendAsync(Item item);

    /**
     * @param item the item
     * @return a send operation for {@code Wait.any}: the item is sent exactly when the wait
     *         reports it
     */
    Waitable sendOp(Item item);

    /** @return the capacity */
    int capacity();
}
