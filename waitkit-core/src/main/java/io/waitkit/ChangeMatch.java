package io.waitkit;

/**
 * A predicate on one update of a number, {@code (old value, new value)}, for {@link Counter} and
 * {@link Threshold} waiters. A waiter whose predicate already holds for {@code (v, v)}, where
 * {@code v} is the current value, succeeds at once.
 *
 * <p>Predicates run under the number's lock, in the updating thread: they must be fast, must not
 * block, and must not touch the number they belong to.
 */
@FunctionalInterface
public interface ChangeMatch {
    /**
     * Tests one update.
     *
     * @param oldValue the value before the update
     * @param newValue the value after the update
     * @return true if a waiter with this predicate should be released
     */
    boolean matches(long oldValue, long newValue);

    /**
     * Matches when the new value is at least {@code bound}.
     *
     * @param bound the lower bound
     * @return the predicate
     */
    static ChangeMatch atLeast(long bound) {
        return (o, n) -> n >= bound;
    }

    /**
     * Matches when the new value is at most {@code bound}.
     *
     * @param bound the upper bound
     * @return the predicate
     */
    static ChangeMatch atMost(long bound) {
        return (o, n) -> n <= bound;
    }

    /**
     * Matches when the new value equals {@code value}.
     *
     * @param value the value to reach
     * @return the predicate
     */
    static ChangeMatch equalTo(long value) {
        return (o, n) -> n == value;
    }

    /**
     * Matches an update that changed the value.
     *
     * @return the predicate
     */
    static ChangeMatch changed() {
        return (o, n) -> o != n;
    }
}
