package io.waitkit.ipc;

/**
 * A handle of an object shared by the processes of one host under a name in a
 * {@link Namespace}. A name opened twice in one JVM gives two handles of one object: one
 * shared state and one engine proxy, so two handles of one object in a {@code Wait.all} are
 * duplicates, and a wait through either is served in the same order. Each handle is closed on
 * its own; the object's mapping goes away with the JVM's last handle (and the last wait of this
 * JVM on it).
 */
public sealed interface NamedObject extends AutoCloseable permits NamedEvent, NamedMutex, NamedSemaphore, NamedMessageQueue,
        NamedPipe, SharedSection {
    /**
     * The object's name in its namespace.
     *
     * @return the name
     */
    String name();

    /**
     * Whether this open created the object (.NET's {@code createdNew}); false when it opened an
     * existing one, whose arguments were then ignored.
     *
     * @return true if created by this open
     */
    boolean created();

    /**
     * A snapshot of the object, the same record {@link Namespace#list()} returns.
     *
     * @return the snapshot
     * @throws IllegalStateException if this handle is closed
     */
    NamedObjectInfo info();

    /**
     * Closes this handle: the mapping is unmapped once no other handle of this JVM and no wait
     * of this JVM uses it. Idempotent; every other method of a closed handle except
     * {@link #name()} and {@link #created()} throws {@link IllegalStateException}. Closing a handle changes nothing in the object (a held
     * mutex stays held).
     */
    @Override
    void close();
}
