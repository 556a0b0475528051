package io.waitkit;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A bounded priority queue of byte messages, as AxisOS's {@code mq} and POSIX message queues:
 * at most {@code maxMessages} messages of at most {@code maxMessageSize} bytes each.
 *
 * <p>A receive takes the message with the <b>highest</b> priority number; messages of equal
 * priority come out in the order they were sent (POSIX order; unlike the comparator-based
 * containers, which follow ao and take the least first). A send blocks while the queue is full;
 * a message larger than the maximum is refused with {@link MessageTooLargeException} (exactly
 * the maximum is accepted). Message contents are copied on send, so the sender may reuse its
 * array. Hand-off as everywhere: a send that finds receivers waiting gives the message to the
 * first before returning, and a receive from a full queue lets the first waiting sender in.
 *
 * <p>In {@link Wait#any} and {@link Wait#all}, wait on {@link #receiveOp()} or
 * {@link #sendOp(byte[], int)}.
 *
 * <p>Memory visibility: actions before a send happen-before the actions after the receive
 * that took its message.
 *
 * <pre>{@code
 * MessageQueue mq = new MessageQueue(64, 1024);
 * mq.send("reload".getBytes(UTF_8), 5);
 * MessageQueue.Message m = mq.receive();
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class MessageQueue extends BoundedContainer<MessageQueue.Message> {
    private final int maxMessageSize;
    private final PriorityChannel.PriorityBuffer<Message> heap =
            new PriorityChannel.PriorityBuffer<>(Comparator.comparingInt(Message::priority).reversed());

    /**
     * Creates a message queue.
     *
     * @param maxMessages the most messages it holds; 0 makes every send a hand-off to a receiver
     * @param maxMessageSize the largest message in bytes
     * @throws IllegalArgumentException if {@code maxMessages} or {@code maxMessageSize} is negative
     */
    public MessageQueue(int maxMessages, int maxMessageSize) {
        super(maxMessages);
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must not be negative: " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    int count() {
        return heap.size();
    }

    @Override
    void push(Message item) {
        heap.add(item);
    }

    @Override
    Message pop() {
        return heap.poll();
    }

    @Override
    Message evict() {
        throw new UnsupportedOperationException();
    }

    // The buffer questions of the BlockingQueue view of the other containers; a message queue
    // is not a BlockingQueue and never asks them, but its heap answers them as theirs do.

    @Override
    Message first() {
        return heap.first();
    }

    @Override
    Object[] copyBuffer() {
        return heap.copy();
    }

    @Override
    Object[] inReceiveOrder(Object[] copy) {
        return heap.inReceiveOrder(copy);
    }

    @Override
    boolean removeSame(Object item, int skip) {
        return heap.removeSame(item, skip);
    }

    @Override
    void pushFront(java.util.List<Message> back) {
        heap.pushFront(back);
    }

    @Override
    Message admit(Message item) {
        Objects.requireNonNull(item, "message");
        if (item.size() > maxMessageSize) {
            throw new MessageTooLargeException(item.size(), maxMessageSize);
        }
        return item;
    }

    /**
     * Sends a message, waiting while the queue is full.
     *
     * @param data the contents (copied)
     * @param priority higher numbers are received first
     * @throws InterruptedException if interrupted first (not sent)
     * @throws MessageTooLargeException if {@code data} is longer than the maximum (not sent)
     * @throws NullPointerException if {@code data} is null
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public void send(byte[] data, int priority) throws InterruptedException {
        send(new Message(data, priority));
    }

    /**
     * Sends a message, waiting at most {@code timeout} while the queue is full.
     *
     * @param data the contents (copied)
     * @param priority higher numbers are received first
     * @param timeout the longest time to wait; zero or negative polls
     * @return true if sent, false on timeout (not sent)
     * @throws InterruptedException if interrupted first (not sent)
     * @throws MessageTooLargeException if {@code data} is longer than the maximum (not sent)
     * @throws NullPointerException if {@code data} or {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public boolean send(byte[] data, int priority, Duration timeout) throws InterruptedException {
        return send(new Message(data, priority), timeout);
    }

    /**
     * Sends a message if there is room now; never blocks.
     *
     * @param data the contents (copied)
     * @param priority higher numbers are received first
     * @return true if sent
     * @throws MessageTooLargeException if {@code data} is longer than the maximum (not sent)
     * @throws NullPointerException if {@code data} is null
     */
    public boolean trySend(byte[] data, int priority) {
        return trySend(new Message(data, priority));
    }

    /**
     * Sends a message asynchronously; see {@link #sendAsync(Object)}.
     *
     * @param data the contents (copied)
     * @param priority higher numbers are received first
     * @return the future of the send
     * @throws MessageTooLargeException if {@code data} is longer than the maximum (not sent)
     * @throws NullPointerException if {@code data} is null
     */
    public CompletableFuture<Void> sendAsync(byte[] data, int priority) {
        return sendAsync(new Message(data, priority));
    }

    /**
     * Returns a send operation for {@link Wait#any}.
     *
     * @param data the contents (copied)
     * @param priority higher numbers are received first
     * @return a new operation
     * @throws MessageTooLargeException if {@code data} is longer than the maximum
     * @throws NullPointerException if {@code data} is null
     */
    public SendOp<Message> sendOp(byte[] data, int priority) {
        return sendOp(new Message(data, priority));
    }

    /**
     * Returns the largest message size.
     *
     * @return the maximum in bytes
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Describes the queue.
     *
     * @return for example {@code MessageQueue[2/16, max 512 B, waiters=0]}; never blocks
     */
    @Override
    public String toString() {
        return "MessageQueue[" + size() + "/" + capacity + ", max " + maxMessageSize + " B, waiters="
                + queuedCount() + "]";
    }


    /** A message: its bytes and its priority. Immutable. */
    public static final class Message {
        private final byte[] data;
        private final int priority;

        /**
         * Creates a message.
         *
         * @param data the contents (copied)
         * @param priority higher numbers are received first
         * @throws NullPointerException if {@code data} is null
         */
        public Message(byte[] data, int priority) {
            this.data = Objects.requireNonNull(data, "data").clone();
            this.priority = priority;
        }

        /**
         * Returns a copy of the contents.
         *
         * @return the bytes
         */
        public byte[] data() {
            return data.clone();
        }

        /**
         * Returns the size of the contents.
         *
         * @return the number of bytes
         */
        public int size() {
            return data.length;
        }

        /**
         * Returns the priority.
         *
         * @return higher is received first
         */
        public int priority() {
            return priority;
        }

        /**
         * Messages are equal when their contents and priorities are.
         *
         * @param o another object
         * @return whether equal
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && m.priority == priority && Arrays.equals(m.data, data);
        }

        /**
         * A hash code consistent with {@link #equals}.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + priority;
        }

        /**
         * Describes the message.
         *
         * @return for example {@code Message[priority 5, 6 bytes]}
         */
        @Override
        public String toString() {
            return "Message[priority " + priority + ", " + data.length + " bytes]";
        }
    }
}
