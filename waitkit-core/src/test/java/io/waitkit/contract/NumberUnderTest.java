package io.waitkit.contract;

import java.util.function.LongUnaryOperator;

/**
 * The update operations shared by {@link CounterUnderTest} and {@link ThresholdUnderTest}, which
 * {@link NumberContract} checks. Each method has the meaning of the method of the same name of
 * {@link io.waitkit.Counter} and {@link io.waitkit.Threshold}: atomic, wrapping, returning the
 * value after the update.
 */
public interface NumberUnderTest {
    /** @return the current value */
    long get();

    /**
     * @param x the new value
     * @return the value after the update
     */
    long set(long x);

    /**
     * @param x the amount
     * @return the value after the update
     */
    long add(long x);

    /**
     * @param x the amount
     * @return the value after the update
     */
    long subtract(long x);

    /**
     * @param x the minuend
     * @return the value after the update
     */
    long subtractFrom(long x);

    /**
     * @param x the factor
     * @return the value after the update
     */
    long multiply(long x);

    /**
     * @param x the divisor
     * @return the value after the update
     */
    long divide(long x);

    /**
     * @param x the divisor
     * @return the value after the update
     */
    long modulo(long x);

    /**
     * @param x the mask
     * @return the value after the update
     */
    long and(long x);

    /**
     * @param x the mask
     * @return the value after the update
     */
    long or(long x);

    /**
     * @param x the mask
     * @return the value after the update
     */
    long xor(long x);

    /**
     * @param x the mask
     * @return the value after the update
     */
    long nand(long x);

    /**
     * @param x the mask
     * @return the value after the update
     */
    long nor(long x);

    /**
     * @param x the mask
     * @return the value after the update
     */
    long xnor(long x);

    /** @return the value after the update */
    long not();

    /** @return the value after the update */
    long increment();

    /** @return the value after the update */
    long decrement();

    /**
     * @param function computes the new value from the old one (runs atomically)
     * @return the value after the update
     */
    long update(LongUnaryOperator function);
}
