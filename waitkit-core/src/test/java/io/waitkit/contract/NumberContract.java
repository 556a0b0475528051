package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The value semantics shared by numbers (ao {@code num} and {@code threshold}): every update is
 * atomic and returns the value after it; arithmetic wraps modulo 2<sup>64</sup>; division and
 * remainder by zero throw {@link ArithmeticException} and change nothing. {@link CounterContract}
 * and {@link ThresholdContract} extend it with their waits.
 */
public abstract class NumberContract extends ContractBase {
    /**
     * Creates a number under test on which no update releases anybody or adjusts the value
     * (for a threshold: a predicate that never holds).
     *
     * @param initial the initial value
     * @return the number
     */
    protected abstract NumberUnderTest newNumber(long initial);

    /**
     * How many updates each of the three threads of {@link #concurrentUpdatesAreAtomic} makes;
     * every thread must finish within {@link #LONG}. The default fits in-memory numbers; a
     * backend whose every update is a round trip to servers (replicated writes, retried on
     * conflict) overrides it with a count its updates finish in on a loaded 2-core machine,
     * still large enough that the threads' updates overlap many times.
     *
     * @return the updates per thread, at least 1
     */
    protected int concurrentUpdatesPerThread() {
        return 2_000;
    }

    @Test
    public void everyUpdateReturnsTheValueAfterItAndGetReadsTheSame() {
        NumberUnderTest n = newNumber(6);
        assertEquals(6, n.get());
        assertEquals(10, n.add(4));
        assertEquals(7, n.subtract(3));
        assertEquals(13, n.subtractFrom(20));
        assertEquals(39, n.multiply(3));
        assertEquals(9, n.divide(4));
        assertEquals(4, n.modulo(5));
        assertEquals(5, n.increment());
        assertEquals(4, n.decrement());
        assertEquals(0b0100, n.and(0b0110));
        assertEquals(0b0101, n.or(0b0001));
        assertEquals(0b0011, n.xor(0b0110));
        assertEquals(~0b0001L, n.nand(0b0101));
        assertEquals(0, n.nor(0b0001), "~(~1 | 1)");
        assertEquals(~0b0011L, n.xnor(0b0011));
        assertEquals(0b0011, n.not());
        assertEquals(-8, n.set(-8));
        assertEquals(64, n.update(v -> v * v));
        assertEquals(64, n.get());
    }

    @Test
    public void arithmeticWrapsModuloTwoToTheSixtyFour() {
        NumberUnderTest n = newNumber(Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, n.increment());
        assertEquals(Long.MAX_VALUE, n.decrement());
        assertEquals(-2, n.multiply(2));
        assertEquals(Long.MIN_VALUE, n.set(Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, n.divide(-1), "MIN / -1 wraps to MIN");
        assertEquals(0, n.modulo(-1));
        assertEquals(Long.MIN_VALUE + 1, n.subtractFrom(Long.MIN_VALUE + 1));
        assertEquals(Long.MAX_VALUE, n.subtract(2));
        assertEquals(Long.MIN_VALUE, n.add(1));
    }

    @Test
    public void divisionAndRemainderByZeroThrowAndChangeNothing() {
        NumberUnderTest n = newNumber(42);
        assertThrows(ArithmeticException.class, () -> n.divide(0));
        assertThrows(ArithmeticException.class, () -> n.modulo(0));
        assertEquals(42, n.get(), "unchanged");
        assertEquals(43, n.increment(), "still usable");
    }

    @Test
    public void nullUpdateFunctionIsRejectedAndChangesNothing() {
        NumberUnderTest n = newNumber(3);
        assertThrows(NullPointerException.class, () -> n.update(null));
        assertEquals(3, n.get());
        assertEquals(4, n.update(v -> v + 1));
    }

    @Test
    public void concurrentUpdatesAreAtomic() {
        NumberUnderTest n = newNumber(0);
        int perThread = concurrentUpdatesPerThread();
        CountDownLatch start = new CountDownLatch(1);
        List<Forked<Void>> threads = new ArrayList<>();
        threads.add(Forked.run("increment", () -> {
            start.await();
            for (int i = 0; i < perThread; i++) {
                n.increment();
            }
        }));
        threads.add(Forked.run("add", () -> {
            start.await();
            for (int i = 0; i < perThread; i++) {
                n.add(3);
            }
        }));
        threads.add(Forked.run("update", () -> {
            start.await();
            for (int i = 0; i < perThread; i++) {
                n.update(v -> v - 2);
            }
        }));
        start.countDown();
        threads.forEach(Forked::join);
        assertEquals(perThread * (1L + 3 - 2), n.get(), "no update was lost");
    }
}
