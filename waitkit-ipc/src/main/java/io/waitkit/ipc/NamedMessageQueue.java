package io.waitkit.ipc;

import io.waitkit.MessageQueue;
import io.waitkit.MessageTooLargeException;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.QueueProxy;
import io.waitkit.ipc.internal.Waits;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A bounded priority queue of byte messages shared by the processes of one host, as POSIX
 * message queues and AxisOS's {@code mq}: at most {@link #capacity()} messages of at most
 * {@link #maxMessageSize()} bytes, both fixed at creation.
 *
 * <pre>{@code
 * NamedMessageQueue jobs = Namespace.user().messageQueue("jobs", 64, 1024);
 * jobs.send("resize 42".getBytes(UTF_8), 5);          // in one process
 * MessageQueue.Message m = jobs.receive();            // in another: highest priority first
 * int i = Wait.any(Duration.ofSeconds(1), stop, jobs.receiveOp()); // with other objects
 * }</pre>
 *
 * <p><b>Order.</b> A receive takes the message with the highest priority number; messages of
 * equal priority come out in the order their sends completed (across processes: the order in
 * which they were committed under the queue's lock). A priority is any {@code int}, negative
 * ones included, as with the in-process {@link MessageQueue}. Several producers and consumers in several processes may use one
 * queue; each message is received exactly once. Blocked receivers of this JVM are served in FIFO
 * order before a message wakes other processes, whose receivers then race for what is left;
 * the same holds for blocked senders and free room. The future of an async receive that a
 * send served may complete an instant after the send returned, on another thread (the
 * module's waiter pool, watching the queue for it, can see the send first).
 *
 * <p><b>Crashes.</b> A send is one short critical section under the queue's lock, and its
 * message is committed by one store once it is completely written. A process killed in the
 * middle of a send leaves no message visible, and the slot it was filling is free again as soon
 * as the next process takes the lock over from it (within milliseconds), which also rebuilds
 * the queue's bookkeeping from the slots; killed after the commit, its message is delivered
 * once. A receiver killed after its receive took a message takes that message with it, as one
 * that returned and then died.
 *
 * <p><b>Blocking, interrupts, visibility.</b> Sends block while the queue is full and receives
 * while it is empty, as the waits of the other named objects do (a platform thread sleeps in
 * {@code futex}, other waits park and the module's waiter pool watches for them). Interrupts
 * abort blocking calls with nothing sent or received. Message contents are copied on send and
 * on receive. Actions of a process before a send happen-before the actions after the receive
 * that took its message (the commit is a release store, the receive reads under the lock).
 * Every method throws {@link IllegalStateException} once this handle is closed.
 */
public final class NamedMessageQueue extends NamedHandle<QueueProxy> implements NamedObject {
    NamedMessageQueue(HandleState<QueueProxy> state) {
        super(state, "message-queue");
    }

    private void check(byte[] message, int priority) {
        Objects.requireNonNull(message, "message");
        int max = proxy().maxMessageSize();
        if (message.length > max) {
            throw new MessageTooLargeException(message.length, max);
        }
    }

    /**
     * Sends a message, waiting while the queue is full.
     *
     * @param message the contents (copied)
     * @param priority any {@code int}; higher numbers are received first
     * @throws InterruptedException if interrupted first (not sent)
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} is null
     */
    public void send(byte[] message, int priority) throws InterruptedException {
        check(message, priority);
        QueueProxy p = proxy();
        Waits.await(p.sendSide(), p.newSend(message, priority), true);
        p.serveLocalQueue(); // a receiver of this JVM takes it before the send returns
    }

    /**
     * Sends a message, waiting at most {@code timeout} while the queue is full.
     *
     * @param message the contents (copied)
     * @param priority any {@code int}; higher numbers are received first
     * @param timeout the longest wait; zero or negative polls
     * @return true if sent, false if the queue stayed full (not sent)
     * @throws InterruptedException if interrupted first (not sent)
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} or {@code timeout} is null
     */
    public boolean send(byte[] message, int priority, Duration timeout) throws InterruptedException {
        check(message, priority);
        Objects.requireNonNull(timeout, "timeout");
        QueueProxy p = proxy();
        if (Waits.await(p.sendSide(), p.newSend(message, priority), timeout) == WaitEngine.NOT_ACQUIRED) {
            return false;
        }
        p.serveLocalQueue();
        return true;
    }

    /**
     * Sends a message if there is room now; never blocks.
     *
     * @param message the contents (copied)
     * @param priority any {@code int}; higher numbers are received first
     * @return true if sent
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} is null
     */
    public boolean trySend(byte[] message, int priority) {
        check(message, priority);
        QueueProxy p = proxy();
        if (Waits.poll(p.sendSide(), p.newSend(message, priority)) == WaitEngine.NOT_ACQUIRED) {
            return false;
        }
        p.serveLocalQueue();
        return true;
    }

    /**
     * Sends a message asynchronously: the future completes once the message is in the queue.
     * Cancelling the future before that withdraws the send (nothing is sent); once the message
     * is in, cancelling fails.
     *
     * @param message the contents (copied now)
     * @param priority any {@code int}; higher numbers are received first
     * @return the future
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} is null
     */
    public CompletableFuture<Void> sendAsync(byte[] message, int priority) {
        check(message, priority);
        QueueProxy p = proxy();
        CompletableFuture<Void> f = WaitEngine.acquireAsync(p.sendSide(), 1, p.newSend(message.clone(), priority));
        f.thenRun(p::serveLocalQueue);
        return f;
    }

    /**
     * Receives the message with the highest priority, waiting while the queue is empty.
     *
     * @return the message
     * @throws InterruptedException if interrupted first (nothing received)
     */
    public MessageQueue.Message receive() throws InterruptedException {
        Sink s = new Sink(proxy());
        Waits.await(s.proxy, s, true);
        s.proxy.sendSide().serveLocalQueue(); // a sender of this JVM waiting for room goes in before the receive returns
        return s.message;
    }

    /**
     * Receives the message with the highest priority, waiting at most {@code timeout} while the
     * queue is empty.
     *
     * @param timeout the longest wait; zero or negative polls
     * @return the message, or null if none came
     * @throws InterruptedException if interrupted first (nothing received)
     * @throws NullPointerException if {@code timeout} is null
     */
    public MessageQueue.Message receive(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Sink s = new Sink(proxy());
        if (Waits.await(s.proxy, s, timeout) == WaitEngine.NOT_ACQUIRED) {
            return null;
        }
        s.proxy.sendSide().serveLocalQueue();
        return s.message;
    }

    /**
     * Receives the message with the highest priority if there is one now; never blocks.
     *
     * @return the message, or null when the queue is empty
     */
    public MessageQueue.Message tryReceive() {
        Sink s = new Sink(proxy());
        if (Waits.poll(s.proxy, s) == WaitEngine.NOT_ACQUIRED) {
            return null;
        }
        s.proxy.sendSide().serveLocalQueue();
        return s.message;
    }

    /**
     * Receives asynchronously: the future completes with the message once one is taken for it.
     * Cancelling a pending future withdraws the receive (nothing is taken).
     *
     * @return the future
     */
    public CompletableFuture<MessageQueue.Message> receiveAsync() {
        Sink s = new Sink(proxy());
        CompletableFuture<MessageQueue.Message> f = WaitEngine.acquireAsync(s.proxy, 1, s);
        f.thenRun(s.proxy.sendSide()::serveLocalQueue); // a sender of this JVM waiting for room goes in, as after receive()
        return f;
    }

    /**
     * A receive as a member of {@code Wait.any}, {@code Wait.all} or their async forms: when the
     * wait reports it, it has taken one message, which {@link Receive#item()} returns. One
     * operation may be used for any number of waits, one at a time.
     *
     * @return a new operation on this queue
     */
    public Receive receiveOp() {
        return new Receive(this);
    }

    /**
     * A receive as a wait member (see {@link #receiveOp()}).
     */
    public static final class Receive extends WaitOperation implements Waitable, QueueProxy.MessageSink {
        private final NamedMessageQueue queue;
        private volatile MessageQueue.Message item;

        Receive(NamedMessageQueue queue) {
            this.queue = queue;
        }

        @Override
        protected WaitObject target() {
            return queue.proxy();
        }

        @Override
        protected Object result() {
            return item;
        }

        /**
         * Stores the message taken for this operation; called by the queue under its locks.
         *
         * @param message the message
         */
        @Override
        public void deliver(MessageQueue.Message message) {
            this.item = message;
        }

        /**
         * The message taken by the last wait that reported this operation.
         *
         * @return the message, or null if no wait on this operation completed yet
         */
        public MessageQueue.Message item() {
            return item;
        }

        /**
         * Describes the operation.
         *
         * @return for example {@code NamedMessageQueue.Receive[jobs]}
         */
        @Override
        public String toString() {
            return "NamedMessageQueue.Receive[" + queue.name() + "]";
        }
    }

    /** The one-shot place of a receive call's message. */
    private static final class Sink extends WaitOperation implements QueueProxy.MessageSink {
        final QueueProxy proxy;
        volatile MessageQueue.Message message;

        Sink(QueueProxy proxy) {
            this.proxy = proxy;
        }

        @Override
        protected WaitObject target() {
            return proxy;
        }

        @Override
        protected Object result() {
            return message;
        }

        @Override
        public void deliver(MessageQueue.Message m) {
            message = m;
        }
    }

    /**
     * The messages in the queue, a snapshot: never a value that a send or receive in progress in
     * any process is about to replace (it waits that change out, briefly, taking the object's
     * locks if it is slow). Does not block beyond that.
     *
     * @return the count
     */
    public int size() {
        return proxy().size();
    }

    /**
     * The capacity fixed at creation (reopening with another keeps this one).
     *
     * @return the most messages the queue holds
     */
    public int capacity() {
        return proxy().capacity();
    }

    /**
     * The largest message fixed at creation (reopening with another keeps this one).
     *
     * @return bytes
     */
    public int maxMessageSize() {
        return proxy().maxMessageSize();
    }
}
