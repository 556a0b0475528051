package io.waitkit.zk;

import io.waitkit.MessageQueue;
import io.waitkit.MessageTooLargeException;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A bounded priority queue of byte messages shared by every process connected to one ZooKeeper
 * ensemble: at most {@link #capacity()} messages of at most {@link #maxMessageSize()} bytes,
 * both stored with the queue when it is created. The methods are those of the message queue
 * of one host's named objects.
 *
 * <pre>{@code
 * ZkMessageQueue jobs = ns.messageQueue("jobs", 1000, 4096);
 * jobs.send("resize 42".getBytes(UTF_8), 5);                 // on one host
 * MessageQueue.Message m = jobs.receive(Duration.ofSeconds(30)); // on another: highest priority first
 * ZkMessageQueue.Receive r = jobs.receiveOp();
 * if (Wait.any(Duration.ofSeconds(1), stop, r) == 1) handle(r.item()); // with other objects
 * }</pre>
 *
 * <p><b>Order and delivery.</b> A receive takes the message with the highest priority number
 * (any {@code int}); messages of equal priority come out in the order their
 * sends were committed, so the messages of one sender keep their order. Every message is
 * received exactly once, by whichever receiver (of any process) deleted its node; one that a
 * receiver took and then gave up (its wait timed out, was interrupted or cancelled, or a
 * wait-any chose another member) goes back to its place. Messages are persistent: they
 * survive the end of any session and the restart of servers, and a message a process took is
 * kept for its receivers even if the session ends right after.
 *
 * <p><b>Capacity.</b> A send commits only while the queue holds fewer than its capacity. A
 * message a receiver gave up goes back even when the queue filled meanwhile, so the queue can
 * hold a few more than its capacity for a moment.
 *
 * <p><b>Blocking, interrupts, visibility.</b> Receives wait while the queue is empty and sends
 * while it is full; waiting threads park and async waits hold no thread (the ZooKeeper calls
 * behind them run on the namespace's thread, woken by watches; of the processes waiting on
 * one side of a queue only one watches it at a time). {@link #trySend}, {@link #tryReceive},
 * the first try of every blocking call, and {@link #size()} make their ZooKeeper calls on the
 * calling thread. A send that finds receivers of this process waiting hands them the messages
 * they need before it returns. Interrupts abort blocking calls with nothing sent or received,
 * except a send whose commit was already under way when the interrupt came: it returns sent,
 * with the interrupt re-asserted. Message contents are copied on send and on receive. What a
 * thread did before a send happens-before what the receiving thread does after its receive, in
 * one process; across processes ZooKeeper orders them.
 *
 * <p><b>Failures.</b> Calls that cannot reach ZooKeeper within Curator's retries throw
 * {@link IllegalStateException}; blocked waits keep waiting (within their timeouts) and carry
 * on once a server answers. A {@link #trySend} that fails this way may have sent its message.
 */
public final class ZkMessageQueue {
    private final ZkMessageQueueProxy proxy;

    ZkMessageQueue(ZkMessageQueueProxy proxy) {
        this.proxy = proxy;
    }

    private ZkMessageQueueProxy open() {
        proxy.ns.checkOpen();
        return proxy;
    }

    private byte[] check(byte[] message, int priority) {
        Objects.requireNonNull(message, "message");
        if (message.length > proxy.maxMessageSize) {
            throw new MessageTooLargeException(message.length, proxy.maxMessageSize);
        }
        open();
        return message.clone();
    }

    /**
     * The queue's name in its namespace.
     *
     * @return the name
     */
    public String name() {
        return proxy.name;
    }

    /**
     * Sends a message, waiting while the queue is full.
     *
     * @param message the contents (copied)
     * @param priority any {@code int}; higher numbers are received first
     * @throws InterruptedException if interrupted first (not sent)
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} is null
     * @throws IllegalStateException if ZooKeeper cannot be reached for the first try, the
     *         namespace closes while the send waits (not sent), or, after an interrupt, a
     *         commit under way lost its connection and its outcome stayed unknown for 60 s
     */
    public void send(byte[] message, int priority) throws InterruptedException {
        byte[] copy = check(message, priority);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!proxy.sendersWaiting() && proxy.trySendNow(copy, priority)) {
            return;
        }
        proxy.awaitSend(proxy.enqueueSend(copy, priority), false, 0L);
    }

    /**
     * Sends a message, waiting at most {@code timeout} while the queue is full.
     *
     * @param message the contents (copied)
     * @param priority any {@code int}; higher numbers are received first
     * @param timeout the longest wait; zero or negative tries once
     * @return true if sent, false if the queue stayed full (not sent)
     * @throws InterruptedException if interrupted first (not sent)
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} or {@code timeout} is null
     * @throws IllegalStateException if ZooKeeper cannot be reached for the first try, or a
     *         commit under way at the timeout lost its connection and its outcome stayed
     *         unknown for 60 s more
     */
    public boolean send(byte[] message, int priority, Duration timeout) throws InterruptedException {
        byte[] copy = check(message, priority);
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + nanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (!proxy.sendersWaiting() && proxy.trySendNow(copy, priority)) {
            return true;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        return proxy.awaitSend(proxy.enqueueSend(copy, priority), true, deadline);
    }

    private static long nanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE / 4;
        }
    }

    /**
     * Sends a message if there is room now: one try, its ZooKeeper calls on the calling thread.
     *
     * @param message the contents (copied)
     * @param priority any {@code int}; higher numbers are received first
     * @return true if sent
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} is null
     * @throws IllegalStateException if ZooKeeper cannot be reached (the message may have been sent)
     */
    public boolean trySend(byte[] message, int priority) {
        return proxy.trySendNow(check(message, priority), priority);
    }

    /**
     * Sends a message asynchronously: the future completes once the message is in the queue,
     * or exceptionally with {@link IllegalStateException} if the namespace closes first (not
     * sent). Cancelling the future before that withdraws the send (nothing is sent); once the
     * commit is under way, cancelling fails. Holds no thread while the queue is full.
     *
     * @param message the contents (copied now)
     * @param priority any {@code int}; higher numbers are received first
     * @return the future
     * @throws MessageTooLargeException if the message is longer than the maximum (not sent)
     * @throws NullPointerException if {@code message} is null
     */
    public CompletableFuture<Void> sendAsync(byte[] message, int priority) {
        return proxy.enqueueSend(check(message, priority), priority);
    }

    /**
     * Receives the message with the highest priority, waiting while the queue is empty.
     *
     * @return the message
     * @throws InterruptedException if interrupted first (nothing received)
     * @throws IllegalStateException if ZooKeeper cannot be reached for the first try
     */
    public MessageQueue.Message receive() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        MessageQueue.Message m = tryReceive();
        if (m != null) {
            return m;
        }
        Sink s = new Sink(proxy);
        ZkWaits.await(proxy, s, true);
        return s.message;
    }

    /**
     * Receives the message with the highest priority, waiting at most {@code timeout} while the
     * queue is empty.
     *
     * @param timeout the longest wait; zero or negative tries once
     * @return the message, or null if none came
     * @throws InterruptedException if interrupted first (nothing received)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if ZooKeeper cannot be reached for the first try
     */
    public MessageQueue.Message receive(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        MessageQueue.Message m = tryReceive();
        if (m != null || timeout.isNegative() || timeout.isZero()) {
            return m;
        }
        Sink s = new Sink(proxy);
        if (ZkWaits.await(proxy, s, timeout) == WaitEngine.NOT_ACQUIRED) {
            return null;
        }
        return s.message;
    }

    /**
     * Receives the message with the highest priority if there is one now: one try, its
     * ZooKeeper calls on the calling thread.
     *
     * @return the message, or null when the queue is empty
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public MessageQueue.Message tryReceive() {
        Sink s = new Sink(open());
        if (ZkWaits.poll(proxy, s) != WaitEngine.NOT_ACQUIRED) {
            return s.message;
        }
        return proxy.takeNow();
    }

    /**
     * Receives asynchronously: the future completes with the message once one is taken for it.
     * Cancelling a pending future withdraws the receive (nothing is taken). Holds no thread
     * while pending; makes no ZooKeeper call on the calling thread.
     *
     * @return the future
     */
    public CompletableFuture<MessageQueue.Message> receiveAsync() {
        Sink s = new Sink(open());
        return WaitEngine.acquireAsync(proxy, 1, s);
    }

    /**
     * A receive as a member of {@code Wait.any}, {@code Wait.all} or their async forms: when the
     * wait reports it, it has taken one message, which {@link Receive#item()} returns. A wait
     * with a zero timeout sees only messages this process has already taken for its waiting
     * receivers; a blocked wait gets the queue's messages as they come. One operation may be
     * used for any number of waits, one at a time.
     *
     * @return a new operation on this queue
     */
    public Receive receiveOp() {
        open();
        return new Receive(this);
    }

    /**
     * A receive as a wait member (see {@link #receiveOp()}).
     */
    public static final class Receive extends WaitOperation implements Waitable, ZkMessageQueueProxy.MessageSink {
        private final ZkMessageQueue queue;
        private volatile MessageQueue.Message item;

        Receive(ZkMessageQueue queue) {
            this.queue = queue;
        }

        @Override
        protected WaitObject target() {
            return queue.open();
        }

        @Override
        protected Object result() {
            return item;
        }

        /**
         * Stores the message taken for this operation; called by the queue under its lock.
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
         * @return for example {@code ZkMessageQueue.Receive[jobs]}
         */
        @Override
        public String toString() {
            return "ZkMessageQueue.Receive[" + queue.name() + "]";
        }
    }

    /** The one-shot place of a receive call's message. */
    private static final class Sink extends WaitOperation implements ZkMessageQueueProxy.MessageSink {
        final ZkMessageQueueProxy proxy;
        volatile MessageQueue.Message message;

        Sink(ZkMessageQueueProxy proxy) {
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
     * The messages in the queue: those in ZooKeeper plus those this process took and has not
     * yet handed to a receiver. Reads ZooKeeper on the calling thread, after syncing the
     * server this process is connected to with the ensemble's leader, so the snapshot counts
     * every send and receive that had completed in any process when this was called.
     *
     * @return the count
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public int size() {
        return open().size();
    }

    /**
     * The capacity stored with the queue when it was created.
     *
     * @return the most messages the queue holds
     */
    public int capacity() {
        return proxy.capacity;
    }

    /**
     * The largest message, stored with the queue when it was created.
     *
     * @return bytes
     */
    public int maxMessageSize() {
        return proxy.maxMessageSize;
    }

    /**
     * Describes the handle.
     *
     * @return the class, the name and this process's view of it
     */
    @Override
    public String toString() {
        return "ZkMessageQueue[" + proxy.name + ", " + (proxy.ns.isClosed() ? "closed" : proxy.stateText()) + "]";
    }
}
