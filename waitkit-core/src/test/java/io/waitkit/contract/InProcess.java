package io.waitkit.contract;

import io.waitkit.Barrier;
import io.waitkit.BinarySemaphore;
import io.waitkit.ByteStream;
import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Channel;
import io.waitkit.Counter;
import io.waitkit.Deadline;
import io.waitkit.Event;
import io.waitkit.EventFlags;
import io.waitkit.Exchange;
import io.waitkit.Mailbox;
import io.waitkit.MessageQueue;
import io.waitkit.Monitor;
import io.waitkit.Mutex;
import io.waitkit.Pipe;
import io.waitkit.PostWait;
import io.waitkit.PriorityChannel;
import io.waitkit.PriorityMailbox;
import io.waitkit.ReceiveOp;
import io.waitkit.Rendezvous;
import io.waitkit.RwLock;
import io.waitkit.Semaphore;
import io.waitkit.Signal;
import io.waitkit.Threshold;
import io.waitkit.Waitable;
import io.waitkit.WaitableTimer;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * Adapters from the in-process primitives to the contract interfaces. Public so that suites of
 * other backends can mix in-process objects into their wait-any / wait-all tests.
 *
 * <p>Containers carry {@link Item}s as they are, except {@link MessageQueue}, whose messages
 * carry the item's {@code key} as their priority and its {@code seq} as four bytes of data.
 * Futures whose value must be converted are wrapped so that cancelling the wrapper cancels
 * (withdraws) the primitive's own future and reports what that cancel reported.
 */
public final class InProcess {
    private InProcess() {
    }

    /**
     * Adapts an event.
     *
     * @param e the event
     * @return the adapter
     */
    public static EventUnderTest event(Event e) {
        return new EventAdapter(e);
    }

    /**
     * Adapts a mutex.
     *
     * @param m the mutex
     * @return the adapter
     */
    public static MutexUnderTest mutex(Mutex m) {
        return new MutexAdapter(m);
    }

    /**
     * Adapts a semaphore.
     *
     * @param s the semaphore
     * @return the adapter
     */
    public static SemaphoreUnderTest semaphore(Semaphore s) {
        return new SemaphoreAdapter(s);
    }

    /**
     * Adapts a binary semaphore.
     *
     * @param b the semaphore
     * @return the adapter
     */
    public static BinarySemaphoreUnderTest binarySemaphore(BinarySemaphore b) {
        return new BinarySemaphoreAdapter(b);
    }

    /**
     * Adapts a signal.
     *
     * @param s the signal
     * @return the adapter
     */
    public static SignalUnderTest signal(Signal s) {
        return new SignalAdapter(s);
    }

    /**
     * Adapts a barrier.
     *
     * @param b the barrier
     * @return the adapter
     */
    public static BarrierUnderTest barrier(Barrier b) {
        return new BarrierAdapter(b);
    }

    /**
     * Adapts a readers/writer lock.
     *
     * @param rw the lock
     * @return the adapter
     */
    public static RwLockUnderTest rwLock(RwLock rw) {
        return new RwLockAdapter(rw, new RwSideAdapter(rw.readLock()), new RwSideAdapter(rw.writeLock()));
    }

    /**
     * Adapts a counter.
     *
     * @param c the counter
     * @return the adapter
     */
    public static CounterUnderTest counter(Counter c) {
        return new CounterAdapter(c);
    }

    /**
     * Adapts a threshold.
     *
     * @param t the threshold
     * @return the adapter
     */
    public static ThresholdUnderTest threshold(Threshold t) {
        return new ThresholdAdapter(t);
    }

    /**
     * Adapts an event flag group.
     *
     * @param f the group
     * @return the adapter
     */
    public static EventFlagsUnderTest eventFlags(EventFlags f) {
        return new EventFlagsAdapter(f);
    }

    /**
     * Adapts a mailbox ({@code put} is {@code post}).
     *
     * @param m the mailbox
     * @return the adapter
     */
    public static ItemContainerUnderTest mailbox(Mailbox<Item> m) {
        return new MailboxAdapter(m);
    }

    /**
     * Adapts a priority mailbox ({@code put} is {@code post}).
     *
     * @param m the mailbox
     * @return the adapter
     */
    public static ItemContainerUnderTest priorityMailbox(PriorityMailbox<Item> m) {
        return new PriorityMailboxAdapter(m);
    }

    /**
     * Adapts a channel.
     *
     * @param c the channel
     * @return the adapter
     */
    public static BoundedChannelUnderTest channel(Channel<Item> c) {
        return new ChannelAdapter(c);
    }

    /**
     * Adapts a priority channel.
     *
     * @param c the channel
     * @return the adapter
     */
    public static BoundedChannelUnderTest priorityChannel(PriorityChannel<Item> c) {
        return new PriorityChannelAdapter(c);
    }

    /**
     * Adapts a message queue: an item travels as a message whose priority is the item's key.
     *
     * @param q the queue, with a maximum message size of at least 4 bytes
     * @return the adapter
     */
    public static BoundedChannelUnderTest messageQueue(MessageQueue q) {
        return new MessageQueueAdapter(q);
    }

    /**
     * Adapts a byte stream.
     *
     * @param s the stream
     * @return the adapter
     */
    public static ByteStreamUnderTest byteStream(ByteStream s) {
        return new ByteStreamAdapter(s);
    }

    /**
     * Adapts a pipe.
     *
     * @param p the pipe
     * @return the adapter
     */
    public static PipeUnderTest pipe(Pipe p) {
        return new PipeAdapter(p);
    }

    /**
     * Adapts a rendezvous of strings.
     *
     * @param r the rendezvous
     * @return the adapter
     */
    public static RendezvousUnderTest rendezvous(Rendezvous<String> r) {
        return new RendezvousAdapter(r);
    }

    /**
     * Adapts an exchange of strings.
     *
     * @param x the exchange
     * @return the adapter
     */
    public static ExchangeUnderTest exchange(Exchange<String, String> x) {
        return new ExchangeAdapter(x);
    }

    /**
     * Adapts a waitable timer.
     *
     * @param t the timer
     * @return the adapter
     */
    public static WaitableTimerUnderTest waitableTimer(WaitableTimer t) {
        return new TimerAdapter(t);
    }

    /**
     * Adapts a post/wait slot.
     *
     * @param p the slot
     * @return the adapter
     */
    public static PostWaitUnderTest postWait(PostWait p) {
        return new PostWaitAdapter(p);
    }

    /**
     * Posts to many threads with {@link PostWait#postAll}, converting the results.
     *
     * @param targets the threads
     * @return one result per target
     */
    public static PostWaitUnderTest.Result[] postAll(Thread... targets) {
        PostWait.Result[] r = PostWait.postAll(targets);
        PostWaitUnderTest.Result[] out = new PostWaitUnderTest.Result[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = PostWaitUnderTest.Result.valueOf(r[i].name());
        }
        return out;
    }

    /**
     * Adapts a monitor.
     *
     * @param m the monitor
     * @return the adapter
     */
    public static MonitorUnderTest monitor(Monitor m) {
        return new MonitorAdapter(m, mutex(m.mutex()));
    }

    /**
     * The monitor an adapter from {@link #monitor} wraps, to build another monitor over its mutex.
     *
     * @param m the adapter
     * @return the monitor
     */
    public static Monitor unwrap(MonitorUnderTest m) {
        return ((MonitorAdapter) m).m();
    }

    private record EventAdapter(Event e) implements EventUnderTest {
        @Override public boolean set() { return e.set(); }
        @Override public boolean reset() { return e.reset(); }
        @Override public boolean pulse() { return e.pulse(); }
        @Override public boolean isSignaled() { return e.isSignaled(); }
        @Override public boolean isManualReset() { return e.isManualReset(); }
        @Override public void await() throws InterruptedException { e.await(); }
        @Override public void awaitUninterruptibly() { e.awaitUninterruptibly(); }
        @Override public boolean await(Duration timeout) throws InterruptedException { return e.await(timeout); }
        @Override public boolean await(Deadline deadline) throws InterruptedException { return e.await(deadline); }
        @Override public boolean tryAwait() { return e.tryAwait(); }
        @Override public CompletableFuture<Void> awaitAsync() { return e.awaitAsync(); }
        @Override public Waitable waitable() { return e; }
        @Override public String toString() { return e.toString(); }
    }

    private record MutexAdapter(Mutex m) implements MutexUnderTest {
        @Override public void lock() { m.lock(); }
        @Override public void lockInterruptibly() throws InterruptedException { m.lockInterruptibly(); }
        @Override public boolean tryLock() { return m.tryLock(); }
        @Override public boolean tryLock(Duration timeout) throws InterruptedException { return m.tryLock(timeout); }
        @Override public boolean tryLock(Deadline deadline) throws InterruptedException { return m.tryLock(deadline); }
        @Override public int release() { return m.release(); }
        @Override public void unlock() { m.unlock(); }
        @Override public Thread owner() { return m.owner(); }
        @Override public int holdCount() { return m.holdCount(); }
        @Override public boolean isHeldByCurrentThread() { return m.isHeldByCurrentThread(); }
        @Override public boolean isAbandoned() { return m.isAbandoned(); }
        @Override public CompletableFuture<Void> lockAsync() { return m.lockAsync(); }
        @Override public Waitable waitable() { return m; }
        @Override public String toString() { return m.toString(); }
    }

    private record SemaphoreAdapter(Semaphore s) implements SemaphoreUnderTest {
        @Override public int release() { return s.release(); }
        @Override public int release(int n) { return s.release(n); }
        @Override public void acquire() throws InterruptedException { s.acquire(); }
        @Override public void acquireUninterruptibly() { s.acquireUninterruptibly(); }
        @Override public boolean tryAcquire() { return s.tryAcquire(); }
        @Override public boolean tryAcquire(Duration timeout) throws InterruptedException { return s.tryAcquire(timeout); }
        @Override public boolean tryAcquire(Deadline deadline) throws InterruptedException { return s.tryAcquire(1, deadline); }
        @Override public int availablePermits() { return s.availablePermits(); }
        @Override public int maxPermits() { return s.maxPermits(); }
        @Override public CompletableFuture<Void> acquireAsync() { return s.acquireAsync(); }
        @Override public Waitable waitable() { return s; }
        @Override public String toString() { return s.toString(); }
    }

    /** A future of a converted value; cancelling it cancels the source and reports that. */
    static final class Mapped<S, T> extends CompletableFuture<T> {
        private final CompletableFuture<S> source;

        Mapped(CompletableFuture<S> source, Function<S, T> f) {
            this.source = source;
            source.whenComplete((v, e) -> {
                if (e != null) {
                    completeExceptionally(e);
                } else {
                    complete(v == null ? null : f.apply(v));
                }
            });
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = source.cancel(mayInterruptIfRunning);
            if (cancelled) {
                super.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }
    }

    private record Op<R>(Waitable waitable, java.util.function.Supplier<R> delivered) implements OpUnderTest<R> {
        @Override public R result() { return delivered.get(); }
        @Override public String toString() { return waitable.toString(); }
    }

    private record BinarySemaphoreAdapter(BinarySemaphore b) implements BinarySemaphoreUnderTest {
        @Override public boolean give() { return b.give(); }
        @Override public void take() throws InterruptedException { b.take(); }
        @Override public boolean take(Duration timeout) throws InterruptedException { return b.take(timeout); }
        @Override public boolean take(Deadline deadline) throws InterruptedException { return b.take(deadline); }
        @Override public boolean tryTake() { return b.tryTake(); }
        @Override public CompletableFuture<Void> takeAsync() { return b.takeAsync(); }
        @Override public boolean isAvailable() { return b.isAvailable(); }
        @Override public Waitable waitable() { return b; }
        @Override public String toString() { return b.toString(); }
    }

    private record SignalAdapter(Signal s) implements SignalUnderTest {
        @Override public int signal() { return s.signal(); }
        @Override public int signalAll() { return s.signalAll(); }
        @Override public void await() throws InterruptedException { s.await(); }
        @Override public void awaitUninterruptibly() { s.awaitUninterruptibly(); }
        @Override public boolean await(Duration timeout) throws InterruptedException { return s.await(timeout); }
        @Override public boolean await(Deadline deadline) throws InterruptedException { return s.await(deadline); }
        @Override public CompletableFuture<Void> awaitAsync() { return s.awaitAsync(); }
        @Override public boolean hasWaiters() { return s.hasWaiters(); }
        @Override public Waitable waitable() { return s; }
        @Override public String toString() { return s.toString(); }
    }

    private record BarrierAdapter(Barrier b) implements BarrierUnderTest {
        @Override public void await() throws InterruptedException { b.await(); }
        @Override public boolean await(Duration timeout) throws InterruptedException { return b.await(timeout); }
        @Override public boolean await(Deadline deadline) throws InterruptedException { return b.await(deadline); }
        @Override public boolean tryAwait() { return b.tryAwait(); }
        @Override public CompletableFuture<Void> awaitAsync() { return b.awaitAsync(); }
        @Override public int parties() { return b.parties(); }
        @Override public int waiting() { return b.waiting(); }
        @Override public Waitable waitable() { return b; }
        @Override public String toString() { return b.toString(); }
    }

    private record RwLockAdapter(RwLock rw, RwLockUnderTest.Side read, RwLockUnderTest.Side write) implements RwLockUnderTest {
        @Override public boolean prefersWriters() { return rw.prefersWriters(); }
        @Override public int readHolds() { return rw.readHolds(); }
        @Override public boolean isWriteLocked() { return rw.isWriteLocked(); }
        @Override public boolean isWriteLockedByCurrentThread() { return rw.isWriteLockedByCurrentThread(); }
        @Override public String toString() { return rw.toString(); }
    }

    private record RwSideAdapter(RwLock.Side side) implements RwLockUnderTest.Side {
        @Override public void lock() { side.lock(); }
        @Override public void lockInterruptibly() throws InterruptedException { side.lockInterruptibly(); }
        @Override public boolean tryLock() { return side.tryLock(); }
        @Override public boolean tryLock(Duration timeout) throws InterruptedException { return side.tryLock(timeout); }
        @Override public boolean tryLock(Deadline deadline) throws InterruptedException { return side.tryLock(deadline); }
        @Override public void unlock() { side.unlock(); }
        @Override public CompletableFuture<Void> lockAsync() { return side.lockAsync(); }
        @Override public Waitable waitable() { return side; }
        @Override public String toString() { return side.lockObject().toString(); }
    }

    private record CounterAdapter(Counter c) implements CounterUnderTest {
        @Override public long get() { return c.get(); }
        @Override public long set(long x) { return c.set(x); }
        @Override public long add(long x) { return c.add(x); }
        @Override public long subtract(long x) { return c.subtract(x); }
        @Override public long subtractFrom(long x) { return c.subtractFrom(x); }
        @Override public long multiply(long x) { return c.multiply(x); }
        @Override public long divide(long x) { return c.divide(x); }
        @Override public long modulo(long x) { return c.modulo(x); }
        @Override public long and(long x) { return c.and(x); }
        @Override public long or(long x) { return c.or(x); }
        @Override public long xor(long x) { return c.xor(x); }
        @Override public long nand(long x) { return c.nand(x); }
        @Override public long nor(long x) { return c.nor(x); }
        @Override public long xnor(long x) { return c.xnor(x); }
        @Override public long not() { return c.not(); }
        @Override public long increment() { return c.increment(); }
        @Override public long decrement() { return c.decrement(); }
        @Override public long update(LongUnaryOperator function) { return c.update(function); }
        @Override public Change await(ChangeMatch match) throws InterruptedException { return c.await(match); }
        @Override public Change await(ChangeMatch match, Duration timeout) throws InterruptedException { return c.await(match, timeout); }
        @Override public Change await(ChangeMatch match, Deadline deadline) throws InterruptedException { return c.await(match, deadline); }
        @Override public CompletableFuture<Change> awaitAsync(ChangeMatch match) { return c.awaitAsync(match); }
        @Override public OpUnderTest<Change> when(ChangeMatch match) {
            Counter.Watch w = c.when(match);
            return new Op<>(w, w::change);
        }
        @Override public String toString() { return c.toString(); }
    }

    private record ThresholdAdapter(Threshold t) implements ThresholdUnderTest {
        @Override public long get() { return t.get(); }
        @Override public long set(long x) { return t.set(x); }
        @Override public long add(long x) { return t.add(x); }
        @Override public long subtract(long x) { return t.subtract(x); }
        @Override public long subtractFrom(long x) { return t.subtractFrom(x); }
        @Override public long multiply(long x) { return t.multiply(x); }
        @Override public long divide(long x) { return t.divide(x); }
        @Override public long modulo(long x) { return t.modulo(x); }
        @Override public long and(long x) { return t.and(x); }
        @Override public long or(long x) { return t.or(x); }
        @Override public long xor(long x) { return t.xor(x); }
        @Override public long nand(long x) { return t.nand(x); }
        @Override public long nor(long x) { return t.nor(x); }
        @Override public long xnor(long x) { return t.xnor(x); }
        @Override public long not() { return t.not(); }
        @Override public long increment() { return t.increment(); }
        @Override public long decrement() { return t.decrement(); }
        @Override public long update(LongUnaryOperator function) { return t.update(function); }
        @Override public Change await() throws InterruptedException { return t.await(); }
        @Override public Change await(Duration timeout) throws InterruptedException { return t.await(timeout); }
        @Override public Change await(Deadline deadline) throws InterruptedException { return t.await(deadline); }
        @Override public boolean tryAwait() { return t.tryAwait(); }
        @Override public CompletableFuture<Void> awaitAsync() { return t.awaitAsync(); }
        @Override public Waitable waitable() { return t; }
        @Override public String toString() { return t.toString(); }
    }

    private record EventFlagsAdapter(EventFlags f) implements EventFlagsUnderTest {
        @Override public int set(int bits) { return f.set(bits); }
        @Override public int clear(int bits) { return f.clear(bits); }
        @Override public int toggle(int bits) { return f.toggle(bits); }
        @Override public int get() { return f.get(); }
        @Override public int awaitAny(int bits, boolean clear) throws InterruptedException { return f.awaitAny(bits, clear); }
        @Override public int awaitAll(int bits, boolean clear) throws InterruptedException { return f.awaitAll(bits, clear); }
        @Override public int awaitAny(int bits, boolean clear, Duration timeout) throws InterruptedException {
            return f.awaitAny(bits, clear, timeout);
        }
        @Override public int awaitAll(int bits, boolean clear, Duration timeout) throws InterruptedException {
            return f.awaitAll(bits, clear, timeout);
        }
        @Override public CompletableFuture<Integer> awaitAsync(boolean all, int bits, boolean clear) {
            return f.awaitAsync(all ? f.allOf(bits, clear) : f.anyOf(bits, clear));
        }
        @Override public OpUnderTest<Integer> anyOf(int bits, boolean clear) {
            EventFlags.Match m = f.anyOf(bits, clear);
            return new Op<>(m, m::matched);
        }
        @Override public OpUnderTest<Integer> allOf(int bits, boolean clear) {
            EventFlags.Match m = f.allOf(bits, clear);
            return new Op<>(m, m::matched);
        }
        @Override public String toString() { return f.toString(); }
    }

    private static <T> OpUnderTest<T> receiving(ReceiveOp<T> op) {
        return new Op<>(op, op::item);
    }

    private record MailboxAdapter(Mailbox<Item> m) implements ItemContainerUnderTest {
        @Override public void put(Item item) { m.post(item); }
        @Override public Item receive() throws InterruptedException { return m.receive(); }
        @Override public Item receive(Duration timeout) throws InterruptedException { return m.receive(timeout); }
        @Override public Item receive(Deadline deadline) throws InterruptedException { return m.receive(deadline); }
        @Override public Item tryReceive() { return m.tryReceive(); }
        @Override public CompletableFuture<Item> receiveAsync() { return m.receiveAsync(); }
        @Override public OpUnderTest<Item> receiveOp() { return receiving(m.receiveOp()); }
        @Override public int size() { return m.size(); }
        @Override public String toString() { return m.toString(); }
    }

    private record PriorityMailboxAdapter(PriorityMailbox<Item> m) implements ItemContainerUnderTest {
        @Override public void put(Item item) { m.post(item); }
        @Override public Item receive() throws InterruptedException { return m.receive(); }
        @Override public Item receive(Duration timeout) throws InterruptedException { return m.receive(timeout); }
        @Override public Item receive(Deadline deadline) throws InterruptedException { return m.receive(deadline); }
        @Override public Item tryReceive() { return m.tryReceive(); }
        @Override public CompletableFuture<Item> receiveAsync() { return m.receiveAsync(); }
        @Override public OpUnderTest<Item> receiveOp() { return receiving(m.receiveOp()); }
        @Override public int size() { return m.size(); }
        @Override public String toString() { return m.toString(); }
    }

    private static void putOrFail(boolean sent) {
        if (!sent) {
            throw new IllegalStateException("no room");
        }
    }

    private record ChannelAdapter(Channel<Item> c) implements BoundedChannelUnderTest {
        @Override public void put(Item item) { putOrFail(c.trySend(item)); }
        @Override public void send(Item item) throws InterruptedException { c.send(item); }
        @Override public boolean send(Item item, Duration timeout) throws InterruptedException { return c.send(item, timeout); }
        @Override public boolean send(Item item, Deadline deadline) throws InterruptedException { return c.send(item, deadline); }
        @Override public boolean trySend(Item item) { return c.trySend(item); }
        @Override public CompletableFuture<Void> sendAsync(Item item) { return c.sendAsync(item); }
        @Override public Waitable sendOp(Item item) { return c.sendOp(item); }
        @Override public int capacity() { return c.capacity(); }
        @Override public Item receive() throws InterruptedException { return c.receive(); }
        @Override public Item receive(Duration timeout) throws InterruptedException { return c.receive(timeout); }
        @Override public Item receive(Deadline deadline) throws InterruptedException { return c.receive(deadline); }
        @Override public Item tryReceive() { return c.tryReceive(); }
        @Override public CompletableFuture<Item> receiveAsync() { return c.receiveAsync(); }
        @Override public OpUnderTest<Item> receiveOp() { return receiving(c.receiveOp()); }
        @Override public int size() { return c.size(); }
        @Override public String toString() { return c.toString(); }
    }

    private record PriorityChannelAdapter(PriorityChannel<Item> c) implements BoundedChannelUnderTest {
        @Override public void put(Item item) { putOrFail(c.trySend(item)); }
        @Override public void send(Item item) throws InterruptedException { c.send(item); }
        @Override public boolean send(Item item, Duration timeout) throws InterruptedException { return c.send(item, timeout); }
        @Override public boolean send(Item item, Deadline deadline) throws InterruptedException { return c.send(item, deadline); }
        @Override public boolean trySend(Item item) { return c.trySend(item); }
        @Override public CompletableFuture<Void> sendAsync(Item item) { return c.sendAsync(item); }
        @Override public Waitable sendOp(Item item) { return c.sendOp(item); }
        @Override public int capacity() { return c.capacity(); }
        @Override public Item receive() throws InterruptedException { return c.receive(); }
        @Override public Item receive(Duration timeout) throws InterruptedException { return c.receive(timeout); }
        @Override public Item receive(Deadline deadline) throws InterruptedException { return c.receive(deadline); }
        @Override public Item tryReceive() { return c.tryReceive(); }
        @Override public CompletableFuture<Item> receiveAsync() { return c.receiveAsync(); }
        @Override public OpUnderTest<Item> receiveOp() { return receiving(c.receiveOp()); }
        @Override public int size() { return c.size(); }
        @Override public String toString() { return c.toString(); }
    }

    private record MessageQueueAdapter(MessageQueue q) implements BoundedChannelUnderTest {
        private static MessageQueue.Message message(Item item) {
            return item == null ? null : new MessageQueue.Message(MessageQueueItems.bytes(item), item.key());
        }

        private static Item item(MessageQueue.Message m) {
            return MessageQueueItems.item(m);
        }

        @Override public void put(Item item) { putOrFail(q.trySend(message(item))); }
        @Override public void send(Item item) throws InterruptedException { q.send(message(item)); }
        @Override public boolean send(Item item, Duration timeout) throws InterruptedException { return q.send(message(item), timeout); }
        @Override public boolean send(Item item, Deadline deadline) throws InterruptedException { return q.send(message(item), deadline); }
        @Override public boolean trySend(Item item) { return q.trySend(message(item)); }
        @Override public CompletableFuture<Void> sendAsync(Item item) { return q.sendAsync(message(item)); }
        @Override public Waitable sendOp(Item item) { return q.sendOp(message(item)); }
        @Override public int capacity() { return q.capacity(); }
        @Override public Item receive() throws InterruptedException { return item(q.receive()); }
        @Override public Item receive(Duration timeout) throws InterruptedException { return item(q.receive(timeout)); }
        @Override public Item receive(Deadline deadline) throws InterruptedException { return item(q.receive(deadline)); }
        @Override public Item tryReceive() { return item(q.tryReceive()); }
        @Override public CompletableFuture<Item> receiveAsync() { return new Mapped<>(q.receiveAsync(), MessageQueueAdapter::item); }
        @Override public OpUnderTest<Item> receiveOp() {
            ReceiveOp<MessageQueue.Message> op = q.receiveOp();
            return new Op<>(op, () -> item(op.item()));
        }
        @Override public int size() { return q.size(); }
        @Override public String toString() { return q.toString(); }
    }

    private record ByteStreamAdapter(ByteStream s) implements ByteStreamUnderTest {
        @Override public int read(byte[] dst, int offset, int min, int max) throws InterruptedException {
            return s.read(dst, offset, min, max);
        }
        @Override public int read(byte[] dst, int offset, int min, int max, Duration timeout) throws InterruptedException {
            return s.read(dst, offset, min, max, timeout);
        }
        @Override public int tryRead(byte[] dst, int offset, int min, int max) { return s.tryRead(dst, offset, min, max); }
        @Override public CompletableFuture<Integer> readAsync(byte[] dst, int offset, int min, int max) {
            return s.readAsync(dst, offset, min, max);
        }
        @Override public OpUnderTest<Integer> readOp(byte[] dst, int offset, int min, int max) {
            ByteStream.Transfer t = s.readOp(dst, offset, min, max);
            return new Op<>(t, t::count);
        }
        @Override public int write(byte[] src, int offset, int min, int max) throws InterruptedException {
            return s.write(src, offset, min, max);
        }
        @Override public int write(byte[] src, int offset, int min, int max, Duration timeout) throws InterruptedException {
            return s.write(src, offset, min, max, timeout);
        }
        @Override public int tryWrite(byte[] src, int offset, int min, int max) { return s.tryWrite(src, offset, min, max); }
        @Override public CompletableFuture<Integer> writeAsync(byte[] src, int offset, int min, int max) {
            return s.writeAsync(src, offset, min, max);
        }
        @Override public OpUnderTest<Integer> writeOp(byte[] src, int offset, int min, int max) {
            ByteStream.Transfer t = s.writeOp(src, offset, min, max);
            return new Op<>(t, t::count);
        }
        @Override public int writeOverwriting(byte[] src, int offset, int length) { return s.writeOverwriting(src, offset, length); }
        @Override public int available() { return s.available(); }
        @Override public int capacity() { return s.capacity(); }
        @Override public String toString() { return s.toString(); }
    }

    private record PipeAdapter(Pipe p) implements PipeUnderTest {
        @Override public InputStream source() { return p.source(); }
        @Override public OutputStream sink() { return p.sink(); }
        @Override public Waitable readable() { return p.readable(); }
        @Override public int buffered() { return p.buffered(); }
        @Override public String toString() { return p.toString(); }
    }

    private record RendezvousAdapter(Rendezvous<String> r) implements RendezvousUnderTest {
        @Override public String exchange(String offer) throws InterruptedException { return r.exchange(offer); }
        @Override public String exchange(String offer, Duration timeout) throws InterruptedException { return r.exchange(offer, timeout); }
        @Override public CompletableFuture<String> exchangeAsync(String offer) { return r.exchangeAsync(offer); }
        @Override public OpUnderTest<String> offer(String offer) {
            Rendezvous.Offer<String> o = r.offer(offer);
            return new Op<>(o, o::received);
        }
        @Override public boolean hasWaitingParty() { return r.hasWaitingParty(); }
        @Override public String toString() { return r.toString(); }
    }

    private record RequestAdapter(Exchange.Request<String, String> r) implements ExchangeUnderTest.Request {
        @Override public String payload() { return r.payload(); }
        @Override public boolean reply(String response) { return r.reply(response); }
        @Override public boolean isClientWaiting() { return r.isClientWaiting(); }
        @Override public String toString() { return r.toString(); }
    }

    private record ExchangeAdapter(Exchange<String, String> x) implements ExchangeUnderTest {
        private static Request request(Exchange.Request<String, String> r) {
            return r == null ? null : new RequestAdapter(r);
        }

        @Override public String call(String request) throws InterruptedException { return x.call(request); }
        @Override public String call(String request, Duration timeout) throws InterruptedException { return x.call(request, timeout); }
        @Override public CompletableFuture<String> callAsync(String request) { return x.callAsync(request); }
        @Override public Request accept() throws InterruptedException { return request(x.accept()); }
        @Override public Request accept(Duration timeout) throws InterruptedException { return request(x.accept(timeout)); }
        @Override public Request tryAccept() { return request(x.tryAccept()); }
        @Override public CompletableFuture<Request> acceptAsync() { return new Mapped<>(x.acceptAsync(), ExchangeAdapter::request); }
        @Override public OpUnderTest<Request> acceptOp() {
            Exchange.Accept<String, String> a = x.acceptOp();
            return new Op<>(a, () -> request(a.request()));
        }
        @Override public int pendingRequests() { return x.pendingRequests(); }
        @Override public String toString() { return x.toString(); }
    }

    private record TimerAdapter(WaitableTimer t) implements WaitableTimerUnderTest {
        @Override public void set(Duration dueIn) { t.set(dueIn); }
        @Override public void set(Duration dueIn, Duration period) { t.set(dueIn, period); }
        @Override public void set(Deadline due, Duration period) { t.set(due, period); }
        @Override public boolean cancel() { return t.cancel(); }
        @Override public boolean isArmed() { return t.isArmed(); }
        @Override public boolean reset() { return t.reset(); }
        @Override public boolean isSignaled() { return t.isSignaled(); }
        @Override public void await() throws InterruptedException { t.await(); }
        @Override public boolean await(Duration timeout) throws InterruptedException { return t.await(timeout); }
        @Override public boolean await(Deadline deadline) throws InterruptedException { return t.await(deadline); }
        @Override public boolean tryAwait() { return t.tryAwait(); }
        @Override public CompletableFuture<Void> awaitAsync() { return t.awaitAsync(); }
        @Override public Waitable waitable() { return t; }
        @Override public String toString() { return t.toString(); }
    }

    private record PostWaitAdapter(PostWait p) implements PostWaitUnderTest {
        @Override public boolean post() { return p.post(); }
        @Override public boolean isPosted() { return p.isPosted(); }
        @Override public void await() throws InterruptedException { p.await(); }
        @Override public boolean await(Duration timeout) throws InterruptedException { return p.await(timeout); }
        @Override public boolean await(Deadline deadline) throws InterruptedException { return p.await(deadline); }
        @Override public boolean tryAwait() { return p.tryAwait(); }
        @Override public CompletableFuture<Void> awaitAsync() { return p.awaitAsync(); }
        @Override public Thread thread() { return p.thread(); }
        @Override public Waitable waitable() { return p; }
        @Override public String toString() { return p.toString(); }
    }

    private record MonitorAdapter(Monitor m, MutexUnderTest mutex) implements MonitorUnderTest {
        @Override public void enter() { m.enter(); }
        @Override public void enterInterruptibly() throws InterruptedException { m.enterInterruptibly(); }
        @Override public boolean enter(Duration timeout) throws InterruptedException { return m.enter(timeout); }
        @Override public boolean tryEnter() { return m.tryEnter(); }
        @Override public void exit() { m.exit(); }
        @Override public boolean isEntered() { return m.isEntered(); }
        @Override public void await() throws InterruptedException { m.await(); }
        @Override public void awaitUninterruptibly() { m.awaitUninterruptibly(); }
        @Override public boolean await(Duration timeout) throws InterruptedException { return m.await(timeout); }
        @Override public boolean await(Deadline deadline) throws InterruptedException { return m.await(deadline); }
        @Override public void signal() { m.signal(); }
        @Override public void signalAll() { m.signalAll(); }
        @Override public String toString() { return m.toString(); }
    }
}
