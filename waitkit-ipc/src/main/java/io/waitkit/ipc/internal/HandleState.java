package io.waitkit.ipc.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every handle of a named object holds: one reference to the shared {@link Mapping}
 * (and so to its proxy), whether the open created the object, and whether the handle is
 * closed. Closing is idempotent and releases the reference exactly once.
 *
 * @param <P> the proxy type
 */
public final class HandleState<P extends NamedProxy> {
    private final Mapping mapping;
    private final P proxy;
    private final boolean created;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Wraps an opened mapping (already retained for this handle).
     *
     * @param opened the result of {@link Mapping#open}
     * @param type the proxy's class
     */
    public HandleState(Mapping.Opened opened, Class<P> type) {
        this.mapping = opened.mapping();
        this.proxy = type.cast(opened.mapping().proxy());
        this.created = opened.created();
    }

    private HandleState(Mapping mapping, P proxy) {
        this.mapping = mapping;
        this.proxy = proxy;
        this.created = false;
    }

    /**
     * A second state of the same object with its own reference to the mapping (for a pipe's
     * streams, which outlive the handle they came from).
     *
     * @return the new state, open
     * @throws IllegalStateException if this state is closed
     */
    public HandleState<P> duplicate() {
        P p = proxy();
        if (!mapping.retain()) {
            throw new IllegalStateException("named object " + mapping.name() + " is closed");
        }
        return new HandleState<>(mapping, p);
    }

    /**
     * The proxy, for an operation through this handle.
     *
     * @return the proxy
     * @throws IllegalStateException if the handle is closed
     */
    public P proxy() {
        if (closed.get()) {
            throw new IllegalStateException("named object " + mapping.name() + " is closed (this handle)");
        }
        return proxy;
    }

    /**
     * The object's name.
     *
     * @return the name
     */
    public String name() {
        return mapping.name();
    }

    /**
     * Whether the open that made this handle created the object.
     *
     * @return true if created
     */
    public boolean created() {
        return created;
    }

    /**
     * The mapping, for listings.
     *
     * @return the mapping
     */
    public Mapping mapping() {
        return mapping;
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true if closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /** Releases this handle's reference once. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            mapping.release();
        }
    }
}
