package io.waitkit.contract;

import io.waitkit.Deadline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The receive side of an item container (a mailbox, a channel, a message queue) and a way to
 * put items in without blocking, which {@link ItemContainerContract} checks. The receive methods
 * have the meaning of the {@link io.waitkit.Mailbox} methods of the same name; items are
 * {@link Item}s, converted by the adapter to what its container carries.
 */
public interface ItemContainerUnderTest {
    /**
     * Puts an item in without blocking: a mailbox's {@code post}, a channel's {@code trySend}
     * (which the contract only uses while there is room).
     *
     * @param item the item
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if the container has no room
     */
    void put(Item item);

    /**
     * @return the next item
     * @throws InterruptedException if interrupted first (nothing taken)
     */
    Item receive() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return the next item, or null on timeout
     * @throws InterruptedException if interrupted first (nothing taken)
     */
    Item receive(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up; a passed deadline polls
     * @return the next item, or null on timeout
     * @throws InterruptedException if interrupted first (nothing taken)
     */
    Item receive(Deadline deadline) throws InterruptedException;

    /** @return the next item if one is available now, else null */
    Item tryReceive();

    /** @return a future completed with the item taken; cancelling a pending one withdraws it */
    CompletableFuture<Item> receiveAsync();

    /** @return a receive operation for {@code Wait.any} whose result is the item taken */
    OpUnderTest<Item> receiveOp();

    /** @return the number of buffered items */
    int size();
}
