package io.waitkit.zk;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongUnaryOperator;

/**
 * A 64-bit number shared by every process connected to one ZooKeeper ensemble, which threads
 * wait on with predicates of their own, as {@link io.waitkit.Counter}: each waiter supplies a
 * {@link ChangeMatch} on {@code (old, new)} and is released by the first update that satisfies
 * it; the value is not consumed. Updates are atomic across processes (a versioned write of one
 * znode, computed again when another update came first); arithmetic wraps.
 *
 * <pre>{@code
 * ZkCounter done = ns.counter("shards-done");
 * // each worker host:  process(shard); done.increment();
 * // the coordinator:
 * Change c = done.await(ChangeMatch.atLeast(shards), Duration.ofHours(1));
 * }</pre>
 *
 * <p><b>Which updates a waiter sees.</b> Waiters of this process are tested against every
 * update made through it before the update returns, and against other processes' updates when
 * this process's watch fires, each update once and in order, with its own {@code (old, new)}
 * (ZooKeeper keeps the latest 16 updates with the value, so a process that fell further behind
 * skips the oldest it missed). A waiter whose predicate holds for {@code (v, v)} succeeds at
 * once; the blocking and async waits read the value from ZooKeeper first, a {@link #when}
 * operation in {@code Wait.any} uses the value as this process last read it.
 *
 * <p><b>Blocking.</b> Updates and {@link #get()} make their ZooKeeper calls on the calling
 * thread. Waits park the calling thread (async waits hold no thread) and abort on interrupt.
 * What an updating thread did before an update happens-before what a waiter of the same
 * process does after the update released it; across processes ZooKeeper orders them.
 *
 * <p>All methods throw {@link IllegalStateException} when ZooKeeper cannot be reached or the
 * namespace is closed.
 */
public final class ZkCounter {
    private final ZkCounterProxy proxy;

    ZkCounter(ZkCounterProxy proxy) {
        this.proxy = proxy;
    }

    private ZkCounterProxy target() {
        proxy.ns.checkOpen();
        return proxy;
    }

    /**
     * The counter's name in its namespace.
     *
     * @return the name
     */
    public String name() {
        return proxy.name;
    }

    /**
     * The current value: reads ZooKeeper (and tests this process's waiters against updates it
     * had not seen yet). The read first syncs the server this process is connected to with the
     * ensemble's leader, so it sees every update that had completed anywhere when {@code get()}
     * was called: an update another process made and reported done (through any channel),
     * and the update that released a wait of this process, also when this process talks to a
     * server that lags behind (one that has just restarted, for example).
     *
     * @return the value
     */
    public long get() {
        return target().refresh(true);
    }

    /**
     * Sets the value, atomically, and releases the waiters this update satisfies.
     *
     * @param x the new value
     * @return the value after the update
     */
    public long set(long x) {
        return target().update(v -> x);
    }

    /**
     * Adds {@code x} (wrapping).
     *
     * @param x the amount
     * @return the value after the update
     */
    public long add(long x) {
        return target().update(v -> v + x);
    }

    /**
     * Subtracts {@code x} (wrapping).
     *
     * @param x the amount
     * @return the value after the update
     */
    public long subtract(long x) {
        return target().update(v -> v - x);
    }

    /**
     * Replaces the value with {@code x - value} (wrapping).
     *
     * @param x the minuend
     * @return the value after the update
     */
    public long subtractFrom(long x) {
        return target().update(v -> x - v);
    }

    /**
     * Multiplies by {@code x} (wrapping).
     *
     * @param x the factor
     * @return the value after the update
     */
    public long multiply(long x) {
        return target().update(v -> v * x);
    }

    /**
     * Divides by {@code x} (truncating).
     *
     * @param x the divisor
     * @return the value after the update
     * @throws ArithmeticException if {@code x} is 0 (nothing changes)
     */
    public long divide(long x) {
        if (x == 0) {
            throw new ArithmeticException("/ by zero");
        }
        return target().update(v -> v / x);
    }

    /**
     * Replaces the value with {@code value % x}.
     *
     * @param x the divisor
     * @return the value after the update
     * @throws ArithmeticException if {@code x} is 0 (nothing changes)
     */
    public long modulo(long x) {
        if (x == 0) {
            throw new ArithmeticException("/ by zero");
        }
        return target().update(v -> v % x);
    }

    /**
     * Replaces the value with {@code value & x}.
     *
     * @param x the mask
     * @return the value after the update
     */
    public long and(long x) {
        return target().update(v -> v & x);
    }

    /**
     * Replaces the value with {@code value | x}.
     *
     * @param x the mask
     * @return the value after the update
     */
    public long or(long x) {
        return target().update(v -> v | x);
    }

    /**
     * Replaces the value with {@code value ^ x}.
     *
     * @param x the mask
     * @return the value after the update
     */
    public long xor(long x) {
        return target().update(v -> v ^ x);
    }

    /**
     * Replaces the value with {@code ~(value & x)}.
     *
     * @param x the mask
     * @return the value after the update
     */
    public long nand(long x) {
        return target().update(v -> ~(v & x));
    }

    /**
     * Replaces the value with {@code ~(value | x)}.
     *
     * @param x the mask
     * @return the value after the update
     */
    public long nor(long x) {
        return target().update(v -> ~(v | x));
    }

    /**
     * Replaces the value with {@code ~(value ^ x)}.
     *
     * @param x the mask
     * @return the value after the update
     */
    public long xnor(long x) {
        return target().update(v -> ~(v ^ x));
    }

    /**
     * Inverts every bit.
     *
     * @return the value after the update
     */
    public long not() {
        return target().update(v -> ~v);
    }

    /**
     * Adds one (wrapping).
     *
     * @return the value after the update
     */
    public long increment() {
        return add(1);
    }

    /**
     * Subtracts one (wrapping).
     *
     * @return the value after the update
     */
    public long decrement() {
        return subtract(1);
    }

    /**
     * Applies {@code function} to the value atomically across processes. The function runs on
     * the calling thread without any lock, once per try: when another process's update comes
     * between the read and the write, it runs again on the new value, so it must have no side
     * effects.
     *
     * @param function computes the new value from the old one
     * @return the value after the update
     * @throws NullPointerException if {@code function} is null
     */
    public long update(LongUnaryOperator function) {
        Objects.requireNonNull(function, "function");
        return target().update(function);
    }

    /**
     * An operation for {@code Wait.any} and {@code Wait.all}: completes when an update satisfies
     * {@code match} (tested at once against the value this process last read);
     * {@link Watch#change()} then tells which.
     *
     * @param match the predicate
     * @return a new operation, for one wait at a time
     * @throws NullPointerException if {@code match} is null
     */
    public Watch when(ChangeMatch match) {
        return new Watch(target(), match);
    }

    /**
     * Waits until an update satisfies {@code match} (or it holds for the value read now).
     *
     * @param match the predicate on {@code (old, new)}
     * @return the update that released the caller
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if {@code match} is null
     */
    public Change await(ChangeMatch match) throws InterruptedException {
        Watch w = new Watch(target(), match);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        proxy.refresh();
        ZkWaits.await(proxy, w, true);
        return w.change;
    }

    /**
     * Waits at most {@code timeout} until an update satisfies {@code match}.
     *
     * @param match the predicate on {@code (old, new)}
     * @param timeout the longest wait; zero or negative tests the value read now only
     * @return the update that released the caller, or {@code null} on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if an argument is null
     */
    public Change await(ChangeMatch match, Duration timeout) throws InterruptedException {
        Watch w = new Watch(target(), match);
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        proxy.refresh();
        if (timeout.isNegative() || timeout.isZero()) {
            return ZkWaits.poll(proxy, w) == WaitEngine.ACQUIRED ? w.change : null;
        }
        return ZkWaits.await(proxy, w, timeout) == WaitEngine.ACQUIRED ? w.change : null;
    }

    /**
     * Waits until an update satisfies {@code match} or {@code deadline} passes, as
     * {@link #await(ChangeMatch, Duration)}.
     *
     * @param match the predicate on {@code (old, new)}
     * @param deadline when to give up
     * @return the update that released the caller, or {@code null} on timeout
     * @throws InterruptedException if interrupted first
     * @throws NullPointerException if an argument is null
     */
    public Change await(ChangeMatch match, Deadline deadline) throws InterruptedException {
        Objects.requireNonNull(match, "match");
        return await(match, deadline.remaining());
    }

    /**
     * Waits asynchronously until an update satisfies {@code match}; cancelling a pending
     * future withdraws the wait. Reads the value first on the calling thread; holds no thread
     * while pending.
     *
     * @param match the predicate on {@code (old, new)}
     * @return a future completed with the releasing update
     * @throws NullPointerException if {@code match} is null
     */
    public CompletableFuture<Change> awaitAsync(ChangeMatch match) {
        Watch w = new Watch(target(), match);
        proxy.refresh();
        return WaitEngine.acquireAsync(proxy, 1, w);
    }

    /**
     * Describes the handle.
     *
     * @return the class, the name and the value this process last read
     */
    @Override
    public String toString() {
        return "ZkCounter[" + proxy.name + ", " + (proxy.ns.isClosed() ? "closed" : proxy.stateText()) + "]";
    }

    /** A wait for an update that satisfies a predicate: a {@link Waitable} operation. */
    public static final class Watch extends WaitOperation implements Waitable {
        private final ZkCounterProxy proxy;
        final ChangeMatch match;
        volatile Change change;

        Watch(ZkCounterProxy proxy, ChangeMatch match) {
            this.proxy = proxy;
            this.match = Objects.requireNonNull(match, "match");
        }

        @Override
        protected WaitObject target() {
            proxy.ns.checkOpen();
            return proxy;
        }

        @Override
        protected Object result() {
            return change;
        }

        /**
         * The update that completed the last wait on this operation.
         *
         * @return the change, or {@code null} if no wait on it has completed
         */
        public Change change() {
            return change;
        }
    }
}
