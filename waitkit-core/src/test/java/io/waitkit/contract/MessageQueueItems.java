package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.MessageQueue;
import io.waitkit.Waitable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A queue of byte messages seen as an {@link ItemContainerUnderTest}, for every backend of
 * the message queue (in-process, named, ZooKeeper): an item's key is its message's priority
 * and its sequence number the message's four bytes. A backend implements the message-level
 * operations, each with the meaning of the queue method of the same name; the conversions
 * are here, once.
 */
public abstract class MessageQueueItems implements ItemContainerUnderTest {
    /**
     * The message of an item: its sequence number as four bytes.
     *
     * @param item the item
     * @return the message's bytes
     */
    public static byte[] bytes(Item item) {
        return ByteBuffer.allocate(4).putInt(Objects.requireNonNull(item, "item").seq()).array();
    }

    /**
     * The item of a message.
     *
     * @param m the message, or null
     * @return the item, or null for null
     */
    public static Item item(MessageQueue.Message m) {
        return m == null ? null : new Item(m.priority(), ByteBuffer.wrap(m.data()).getInt());
    }

    /**
     * Sends without waiting.
     *
     * @param data the message
     * @param priority its priority
     * @return whether it was sent
     */
    protected abstract boolean trySend(byte[] data, int priority);

    /**
     * @return the message taken
     * @throws InterruptedException if interrupted first
     */
    protected abstract MessageQueue.Message receiveMessage() throws InterruptedException;

    /**
     * @param timeout the longest wait
     * @return the message taken, or null on timeout
     * @throws InterruptedException if interrupted first
     */
    protected abstract MessageQueue.Message receiveMessage(Duration timeout) throws InterruptedException;

    /** @return the message taken, or null if there was none */
    protected abstract MessageQueue.Message tryReceiveMessage();

    /** @return the future of a receive; cancelling it withdraws the receive */
    protected abstract CompletableFuture<MessageQueue.Message> receiveMessageAsync();

    /**
     * A receive operation for {@code Wait.any}/{@code Wait.all} and how to read what it took.
     *
     * @param waitable the operation
     * @param taken the message it took, once it succeeded
     */
    public record Receiving(Waitable waitable, Supplier<MessageQueue.Message> taken) {
    }

    /** @return a receive operation for {@code Wait.any}/{@code Wait.all} */
    protected abstract Receiving receiveMessageOp();

    @Override
    public void put(Item item) {
        if (!trySend(bytes(item), item.key())) {
            throw new IllegalStateException("full");
        }
    }

    @Override
    public Item receive() throws InterruptedException {
        return item(receiveMessage());
    }

    @Override
    public Item receive(Duration timeout) throws InterruptedException {
        return item(receiveMessage(timeout));
    }

    @Override
    public Item receive(Deadline deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        return item(receiveMessage(deadline.remaining()));
    }

    @Override
    public Item tryReceive() {
        return item(tryReceiveMessage());
    }

    @Override
    public CompletableFuture<Item> receiveAsync() {
        return new InProcess.Mapped<>(receiveMessageAsync(), MessageQueueItems::item);
    }

    @Override
    public OpUnderTest<Item> receiveOp() {
        Receiving r = receiveMessageOp();
        return new OpUnderTest<>() {
            @Override
            public Waitable waitable() {
                return r.waitable();
            }

            @Override
            public Item result() {
                return item(r.taken().get());
            }

            @Override
            public String toString() {
                return r.waitable().toString();
            }
        };
    }
}
