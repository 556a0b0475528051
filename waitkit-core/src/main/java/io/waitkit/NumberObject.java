package io.waitkit;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;

/**
 * The shared part of {@link Counter} and {@link Threshold}: a 64-bit number updated atomically
 * under the object lock, with the update operations of the ao kernel's {@code num}. Arithmetic
 * wraps modulo 2<sup>64</sup>, as in ao; division and remainder by zero throw
 * {@link ArithmeticException} and change nothing.
 *
 * <p>Every update, even one that leaves the value unchanged, stores the new value and then
 * serves the queue with the update's {@code (old, new)} pair (see {@link #inUpdate}). Waiters
 * that register between updates are tested against {@code (v, v)}. The number lives in a field
 * guarded by the object lock; the value bits of the state word stay 0.
 */
abstract class NumberObject extends WaitObject {
    static final int SET = 0;
    static final int ADD = 1;
    static final int SUBTRACT = 2;
    static final int SUBTRACT_FROM = 3;
    static final int MULTIPLY = 4;
    static final int DIVIDE = 5;
    static final int MODULO = 6;
    static final int AND = 7;
    static final int OR = 8;
    static final int XOR = 9;
    static final int NAND = 10;
    static final int NOR = 11;
    static final int XNOR = 12;
    static final int NOT = 13;

    // Guarded by the object lock.
    long number;
    /** The update being served: waiters are tested on (lastOld, lastNew) while true. */
    boolean inUpdate;
    long lastOld;
    long lastNew;

    NumberObject(long initial) {
        super(0L);
        this.number = initial;
    }

    private static long apply(int op, long v, long x) {
        return switch (op) {
            case SET -> x;
            case ADD -> v + x;
            case SUBTRACT -> v - x;
            case SUBTRACT_FROM -> x - v;
            case MULTIPLY -> v * x;
            case DIVIDE -> v / x;
            case MODULO -> v % x;
            case AND -> v & x;
            case OR -> v | x;
            case XOR -> v ^ x;
            case NAND -> ~(v & x);
            case NOR -> ~(v | x);
            case XNOR -> ~(v ^ x);
            case NOT -> ~v;
            default -> throw new AssertionError(op);
        };
    }

    /**
     * Applies one update atomically and serves the waiters.
     *
     * @return the value after the update (and after a threshold's adjustment)
     */
    final long update(int op, long x) {
        long v = lockForSignal(); // the state word's value bits are unused: the number is a field
        try {
            long old = number;
            long now = apply(op, old, x); // ArithmeticException leaves everything unchanged
            return store(v, old, now);
        } finally {
            unlockAfterSignal(v);
        }
    }

    /** Stores an update and serves the queue with it; lock held. */
    private long store(long v, long old, long now) {
        number = now;
        lastOld = old;
        lastNew = now;
        beforeServing(old, now);
        inUpdate = true;
        try {
            wake(v);
        } finally {
            inUpdate = false;
        }
        number = afterUpdate(old, now);
        return number;
    }

    /**
     * Sets the value to {@code x}, atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the new value
     * @return the value after the update
     */
    public final long set(long x) {
        return update(SET, x);
    }

    /**
     * Adds {@code x} (wrapping), atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the amount
     * @return the value after the update
     */
    public final long add(long x) {
        return update(ADD, x);
    }

    /**
     * Subtracts {@code x}: {@code value - x} (wrapping), atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the amount
     * @return the value after the update
     */
    public final long subtract(long x) {
        return update(SUBTRACT, x);
    }

    /**
     * Replaces the value with {@code x - value} (wrapping), atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the minuend
     * @return the value after the update
     */
    public final long subtractFrom(long x) {
        return update(SUBTRACT_FROM, x);
    }

    /**
     * Multiplies by {@code x} (wrapping), atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the factor
     * @return the value after the update
     */
    public final long multiply(long x) {
        return update(MULTIPLY, x);
    }

    /**
     * Replaces the value with {@code value & x}, atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the mask
     * @return the value after the update
     */
    public final long and(long x) {
        return update(AND, x);
    }

    /**
     * Replaces the value with {@code value | x}, atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the mask
     * @return the value after the update
     */
    public final long or(long x) {
        return update(OR, x);
    }

    /**
     * Replaces the value with {@code value ^ x}, atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the mask
     * @return the value after the update
     */
    public final long xor(long x) {
        return update(XOR, x);
    }

    /**
     * Replaces the value with {@code ~(value & x)}, atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the mask
     * @return the value after the update
     */
    public final long nand(long x) {
        return update(NAND, x);
    }

    /**
     * Replaces the value with {@code ~(value | x)}, atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the mask
     * @return the value after the update
     */
    public final long nor(long x) {
        return update(NOR, x);
    }

    /**
     * Replaces the value with {@code ~(value ^ x)}, atomically, and releases the waiters this update satisfies. Never blocks.
     *
     * @param x the mask
     * @return the value after the update
     */
    public final long xnor(long x) {
        return update(XNOR, x);
    }

    /**
     * Divides by {@code x} (truncating), atomically, and releases the waiters this update
     * satisfies. Never blocks.
     *
     * @param x the divisor
     * @return the value after the update
     * @throws ArithmeticException if {@code x} is 0 (nothing changes)
     */
    public final long divide(long x) {
        return update(DIVIDE, x);
    }

    /**
     * Replaces the value with {@code value % x}, atomically, and releases the waiters this
     * update satisfies. Never blocks.
     *
     * @param x the divisor
     * @return the value after the update
     * @throws ArithmeticException if {@code x} is 0 (nothing changes)
     */
    public final long modulo(long x) {
        return update(MODULO, x);
    }

    /**
     * Adds one (wrapping), atomically, and releases the waiters this update satisfies.
     *
     * @return the value after the update
     */
    public final long increment() {
        return update(ADD, 1L);
    }

    /**
     * Subtracts one (wrapping), atomically, and releases the waiters this update satisfies.
     *
     * @return the value after the update
     */
    public final long decrement() {
        return update(SUBTRACT, 1L);
    }

    /**
     * Inverts every bit, atomically, and releases the waiters this update satisfies.
     *
     * @return the value after the update
     */
    public final long not() {
        return update(NOT, 0L);
    }

    /**
     * Applies {@code function} to the value atomically (ao's {@code adjust}) and releases the
     * waiters this update satisfies. The function runs under the lock: it must be fast and must
     * not use this object.
     *
     * @param function computes the new value from the old one
     * @return the value after the update
     * @throws NullPointerException if {@code function} is null
     */
    public final long update(java.util.function.LongUnaryOperator function) {
        java.util.Objects.requireNonNull(function, "function");
        long v = lockForSignal();
        try {
            long old = number;
            long now = function.applyAsLong(old);
            return store(v, old, now);
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Returns the current value (a snapshot).
     *
     * @return the value
     */
    public final long get() {
        return read();
    }


    /** Called with the lock held after an update stored its value, before serving the queue. */
    void beforeServing(long oldValue, long newValue) {
    }

    /**
     * Called with the lock held after an update served its waiters.
     *
     * @return the value to keep
     */
    long afterUpdate(long oldValue, long newValue) {
        return newValue;
    }

    /**
     * Reads the value (a snapshot, never an intermediate state).
     *
     * @return the value
     */
    final long read() {
        long v = lockState();
        long n = number;
        unlockState(v);
        return n;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_CONTENDED; // every test of a predicate needs the lock
    }
}
