package io.waitkit.internal;

/**
 * A waitable operation on an object, as opposed to the object itself: a channel's receive that
 * delivers an item, a send that carries one, a reader/writer lock's read side. Passing one to
 * {@code Wait.any} queues the caller on {@link #target()} with {@link #arg()} and this operation
 * as the node's payload; the target's hooks receive the operation and move data in or out of it
 * under the target's lock.
 *
 * <p>An operation object belongs to one caller at a time; results are read from it after the
 * wait reported its index.
 */
public interface WaitOperation {
    /**
     * Returns the object whose queue this operation waits in.
     *
     * @return the target
     */
    WaitObject target();

    /**
     * Returns the amount this operation acquires (1 for most).
     *
     * @return the amount
     */
    default long arg() {
        return 1L;
    }
}
