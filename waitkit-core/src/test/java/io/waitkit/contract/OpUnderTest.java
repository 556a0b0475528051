package io.waitkit.contract;

import io.waitkit.Waitable;

/**
 * A waitable operation of a primitive (a receive, a send, a predicate wait, a read of a byte
 * range, an offer …) as one member of {@code Wait.any} / {@code Wait.all}, with the data the
 * wait delivered through it. Backends adapt their own operation objects to this interface.
 *
 * @param <R> the type of the delivered data
 */
public interface OpUnderTest<R> {
    /** @return the object to pass to {@code Wait.any} / {@code Wait.all} */
    Waitable waitable();

    /**
     * @return what the last wait that reported this operation delivered (an item, a change,
     *         matched bits, a byte count …); {@code null} (or the kind's "nothing" value, such
     *         as -1 or 0, as the adapter documents) before any such wait
     */
    R result();
}
