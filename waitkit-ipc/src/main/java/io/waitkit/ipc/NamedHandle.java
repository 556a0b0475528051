package io.waitkit.ipc;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.NamedProxy;
import java.util.OptionalLong;

/**
 * What every handle of a named object is: an engine operation whose target is the object's
 * proxy shared by every handle of this JVM (so two handles of one object are one object to the
 * engine: wait-all duplicates, one FIFO queue), and the handle's own open/closed state.
 *
 * @param <P> the proxy type
 */
abstract sealed class NamedHandle<P extends NamedProxy> extends WaitOperation permits NamedEvent, NamedMutex,
        NamedSemaphore, NamedMessageQueue, NamedPipe, SharedSection {
    /** The handle's reference to the shared mapping and proxy. */
    final HandleState<P> state;
    private final String kind;

    NamedHandle(HandleState<P> state, String kind) {
        this.state = state;
        this.kind = kind;
    }

    /** {@inheritDoc} The proxy shared by every handle of this object in this JVM. */
    @Override
    protected final WaitObject target() {
        return state.proxy();
    }

    /** The proxy, for an operation through this handle; throws once the handle is closed. */
    final P proxy() {
        return state.proxy();
    }

    /**
     * The object's name in its namespace.
     *
     * @return the name
     */
    public final String name() {
        return state.name();
    }

    /**
     * Whether this open created the object.
     *
     * @return true if created by this open
     */
    public final boolean created() {
        return state.created();
    }

    /**
     * A snapshot of the object, the same record {@link Namespace#list()} returns.
     *
     * @return the snapshot
     * @throws IllegalStateException if this handle is closed
     */
    public final NamedObjectInfo info() {
        P p = proxy();
        long pid = p.ownerPidForInfo();
        return new NamedObjectInfo(name(), kind, p.stateText(), pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid),
                p.waiters(), state.mapping().openers());
    }

    /** Closes this handle (see {@link NamedObject#close()}); idempotent. */
    public final void close() {
        state.close();
    }

    /** What {@link #toString()} says of an open handle after the name: the state by default. */
    String describe() {
        return proxy().stateText();
    }

    /**
     * Describes the handle.
     *
     * @return the class, the name and the state, for example {@code NamedSemaphore[gpu-slots, 1/2]}
     */
    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[" + name() + ", " + (state.isClosed() ? "closed" : describe()) + "]";
    }
}
