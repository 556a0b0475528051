package io.waitkit.internal;

import io.waitkit.Diagnostics;

/**
 * The seam through which a lock whose owner is recorded outside this JVM's heap (a named mutex
 * of {@code io.waitkit.ipc}, owned by a thread of this or of another process) joins
 * {@link Diagnostics}' wait-for graph without the core knowing its module: the proxy a waiter
 * queues on implements this interface, and {@code Diagnostics} asks it who holds it.
 *
 * <p>An implementation reads the owner as the object records it, consistently (the owner's
 * process, its thread id there, and for a thread of this JVM the {@link Thread} itself). It may
 * take the object's own short internal locks (held by anyone only for a few stores), but must
 * never wait for the lock's owner or acquire any waitable object, and must not throw.
 */
public interface RecordedOwner {
    /**
     * Who holds the object now.
     *
     * @return the owner, or null when the object is free, abandoned (its owner died holding it)
     *         or cannot be read now
     */
    Diagnostics.Owner recordedOwner();

    /**
     * The object recording the owner of what a wait lists: the object itself, or the target of
     * an operation (a named mutex's handle passed to {@code Wait.any} is an operation on its
     * proxy).
     *
     * @param waited an object or operation as a wait lists it
     * @return the recording object, or null when it records no owner this way
     * @throws RuntimeException when the operation cannot name its target (a closed handle)
     */
    static RecordedOwner of(Object waited) {
        Object o = waited instanceof WaitOperation op ? op.target() : waited;
        return o instanceof RecordedOwner r ? r : null;
    }
}
