package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A group of 32 event flags, as the ao kernel's {@code flag} (and the event-flag groups of
 * other RTOSes): threads wait until <b>any</b> or <b>all</b> of a set of bits is set.
 *
 * <p>{@link #set(int)} ORs bits in, {@link #clear(int)} clears them, {@link #toggle(int)} flips
 * them; waiters are tested, in FIFO order, only when the flags changed, and every waiter whose
 * condition holds is released. Flags are not consumed unless a waiter asked to clear them on
 * exit: such a waiter clears the bits it matched as part of its acquisition, which later waiters
 * of the same update then no longer see.
 *
 * <p>Each wait returns the bits that satisfied it (the flags present among the awaited bits at
 * that moment). In {@link Wait#any} and {@link Wait#all}, wait on {@link #anyOf(int, boolean)}
 * or {@link #allOf(int, boolean)}.
 *
 * <p>Memory visibility: actions before a {@code set} or {@code toggle} happen-before the
 * actions after a wait that it released.
 *
 * <pre>{@code
 * static final int RX = 1, TX = 2, ERROR = 4;
 * EventFlags irq = new EventFlags(0);
 * int fired = irq.awaitAny(RX | ERROR, true);      // clears what it consumed
 * if ((fired & ERROR) != 0) recover();
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class EventFlags extends WaitObject {
    private static final long MASK = 0xFFFF_FFFFL;

    /** The bits that satisfied the waiter being tested (scratch, guarded by the object lock). */
    private int lastMatched;

    /**
     * Creates a flag group.
     *
     * @param initial the initial flags
     */
    public EventFlags(int initial) {
        super(initial & MASK);
    }

    private static int match(long value, Match m) {
        int flags = (int) value;
        int hit = flags & m.bits;
        return (m.all ? hit == m.bits : hit != 0) ? hit : 0;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        Match m = (Match) op;
        int hit = match(value, m);
        if (hit == 0) {
            return UNAVAILABLE;
        }
        lastMatched = hit;
        return m.clear ? value & ~(hit & MASK) : value;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        ((Match) op).matched = lastMatched;
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return value != 0;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        Match m = (Match) op;
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                return POLL_CONTENDED;
            }
            int hit = match(s, m);
            if (hit == 0) {
                return POLL_FAILED;
            }
            if (!m.clear || compareAndSetState(s, s & ~(hit & MASK))) {
                m.matched = hit;
                return POLL_ACQUIRED;
            }
        }
    }

    private int change(long bits, int kind) {
        for (;;) {
            long s = getStateVolatile();
            if (isLocked(s)) {
                break;
            }
            long now = kind == 0 ? s | bits : kind == 1 ? s & ~bits : s ^ bits;
            if (now == s) {
                return (int) s; // unchanged: waiters are not tested
            }
            if (kind != 1 && !isQuiet(s)) {
                break;
            }
            if (compareAndSetState(s, now)) {
                return (int) s;
            }
        }
        long v = lockForSignal();
        long now = kind == 0 ? v | bits : kind == 1 ? v & ~bits : v ^ bits;
        long previous = v;
        if (now != v) {
            v = kind == 1 ? now : wake(now);
        }
        unlockAfterSignal(v);
        return (int) previous;
    }

    /**
     * Sets bits (OR) and releases the waiters this satisfies. Never blocks.
     *
     * @param bits the bits to set
     * @return the flags before the change
     */
    public int set(int bits) {
        return change(bits & MASK, 0);
    }

    /**
     * Clears bits. Releases nobody. Never blocks.
     *
     * @param bits the bits to clear
     * @return the flags before the change
     */
    public int clear(int bits) {
        return change(bits & MASK, 1);
    }

    /**
     * Flips bits (XOR) and releases the waiters this satisfies. Never blocks.
     *
     * @param bits the bits to flip
     * @return the flags before the change
     */
    public int toggle(int bits) {
        return change(bits & MASK, 2);
    }

    /**
     * Returns the flags (a snapshot).
     *
     * @return the current flags
     */
    public int get() {
        return (int) stableValue();
    }

    /**
     * Returns an operation for {@link Wait#any}/{@link Wait#all}: any of {@code bits}.
     *
     * @param bits the awaited bits, not 0
     * @param clear whether to clear the matched bits on success
     * @return a new operation
     * @throws IllegalArgumentException if {@code bits} is 0
     */
    public Match anyOf(int bits, boolean clear) {
        return new Match(bits, false, clear);
    }

    /**
     * Returns an operation for {@link Wait#any}/{@link Wait#all}: all of {@code bits}.
     *
     * @param bits the awaited bits, not 0
     * @param clear whether to clear them on success
     * @return a new operation
     * @throws IllegalArgumentException if {@code bits} is 0
     */
    public Match allOf(int bits, boolean clear) {
        return new Match(bits, true, clear);
    }

    /**
     * Waits until any of {@code bits} is set.
     *
     * @param bits the awaited bits, not 0
     * @param clear whether to clear the matched bits on success
     * @return the awaited bits that were set
     * @throws InterruptedException if interrupted first
     * @throws IllegalArgumentException if {@code bits} is 0
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public int awaitAny(int bits, boolean clear) throws InterruptedException {
        return await(anyOf(bits, clear));
    }

    /**
     * Waits until all of {@code bits} are set.
     *
     * @param bits the awaited bits, not 0
     * @param clear whether to clear them on success
     * @return {@code bits}
     * @throws InterruptedException if interrupted first
     * @throws IllegalArgumentException if {@code bits} is 0
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public int awaitAll(int bits, boolean clear) throws InterruptedException {
        return await(allOf(bits, clear));
    }

    /**
     * Waits at most {@code timeout} until any of {@code bits} is set.
     *
     * @param bits the awaited bits, not 0
     * @param clear whether to clear the matched bits on success
     * @param timeout the longest time to wait; zero or negative polls
     * @return the awaited bits that were set, or 0 on timeout
     * @throws InterruptedException if interrupted first
     * @throws IllegalArgumentException if {@code bits} is 0
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public int awaitAny(int bits, boolean clear, Duration timeout) throws InterruptedException {
        return await(anyOf(bits, clear), timeout);
    }

    /**
     * Waits at most {@code timeout} until all of {@code bits} are set.
     *
     * @param bits the awaited bits, not 0
     * @param clear whether to clear them on success
     * @param timeout the longest time to wait; zero or negative polls
     * @return {@code bits}, or 0 on timeout
     * @throws InterruptedException if interrupted first
     * @throws IllegalArgumentException if {@code bits} is 0
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public int awaitAll(int bits, boolean clear, Duration timeout) throws InterruptedException {
        return await(allOf(bits, clear), timeout);
    }

    /**
     * Waits until {@code match} is satisfied.
     *
     * @param match an operation from {@link #anyOf} or {@link #allOf} of this group
     * @return the bits that satisfied it
     * @throws InterruptedException if interrupted first
     * @throws IllegalArgumentException if {@code match} belongs to another group
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public int await(Match match) throws InterruptedException {
        Blocking.await(this, 1, own(match));
        return match.matched;
    }

    /**
     * Waits at most {@code timeout} until {@code match} is satisfied.
     *
     * @param match an operation from {@link #anyOf} or {@link #allOf} of this group
     * @param timeout the longest time to wait; zero or negative polls
     * @return the bits that satisfied it, or 0 on timeout
     * @throws InterruptedException if interrupted first
     * @throws IllegalArgumentException if {@code match} belongs to another group
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public int await(Match match, Duration timeout) throws InterruptedException {
        return Blocking.await(this, 1, own(match), timeout) == WaitEngine.ACQUIRED ? match.matched : 0;
    }

    /**
     * Waits asynchronously until {@code match} is satisfied.
     *
     * @param match an operation from {@link #anyOf} or {@link #allOf} of this group
     * @return a future completed with the bits that satisfied it
     * @throws IllegalArgumentException if {@code match} belongs to another group
     */
    public CompletableFuture<Integer> awaitAsync(Match match) {
        return WaitEngine.acquireAsync(this, 1, own(match));
    }

    private Match own(Match match) {
        if (match.group() != this) {
            throw new IllegalArgumentException("the operation belongs to another EventFlags group");
        }
        return match;
    }

    /**
     * Describes the group.
     *
     * @return for example {@code EventFlags[0x5, waiters=1]}; never blocks
     */
    @Override
    public String toString() {
        return "EventFlags[0x" + Integer.toHexString(get()) + ", waiters=" + queuedCount() + "]";
    }

    /** A wait for any or all of some bits: a {@link Waitable} operation. */
    public final class Match extends WaitOperation implements Waitable {
        private final int bits;
        private final boolean all;
        private final boolean clear;
        private volatile int matched;

        private Match(int bits, boolean all, boolean clear) {
            if (bits == 0) {
                throw new IllegalArgumentException("bits must not be 0");
            }
            this.bits = bits;
            this.all = all;
            this.clear = clear;
        }

        EventFlags group() {
            return EventFlags.this;
        }

        /** {@inheritDoc} */
        @Override
        protected WaitObject target() {
            return EventFlags.this;
        }

        /** {@inheritDoc} */
        @Override
        protected Object result() {
            return matched;
        }

        /**
         * Returns the bits that satisfied the last completed wait on this operation.
         *
         * @return the matched bits, or 0 if none completed
         */
        public int matched() {
            return matched;
        }
    }
}
