package io.waitkit.internal;

/**
 * A waitable operation on an object, as opposed to the object itself: a channel's receive that
 * delivers an item, a send that carries one, a reader/writer lock's read side. Passing one to
 * {@code Wait.any} queues the caller on {@link #target()} with {@link #arg()} and this operation
 * as the node's payload; the target's hooks receive the operation and move data in or out of it
 * under the target's lock.
 *
 * <p>An abstract class rather than an interface so that these engine methods stay protected:
 * the public operation classes extend it without exposing them.
 */
public abstract class WaitOperation {
    /** Constructor for subclasses. */
    protected WaitOperation() {
    }

    /**
     * Returns the object whose queue this operation waits in.
     *
     * @return the target
     */
    protected abstract WaitObject target();

    /**
     * Returns the amount this operation acquires (1 for most).
     *
     * @return the amount
     */
    protected long arg() {
        return 1L;
    }

    /**
     * Returns what the operation delivered once it completed (a received item), the value an
     * async single-operation wait completes with.
     *
     * @return the result, or null for operations that deliver nothing
     */
    protected Object result() {
        return null;
    }
}
