package io.waitkit.ipc;

import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.SectionProxy;
import java.lang.foreign.MemorySegment;

/**
 * A block of memory shared by the processes of one host under a name: every process that opens
 * it maps the same bytes, zero when created.
 *
 * <pre>{@code
 * SharedSection s = Namespace.user().section("counters", 4096);
 * MemorySegment m = s.segment();
 * long hits = (long) JAVA_LONG.varHandle().getAndAdd(m, 0L, 1L); // atomic across processes
 * }</pre>
 *
 * <p><b>No implicit locking.</b> Waitkit never reads or writes the section's bytes after the
 * creation: concurrent access from several processes is the program's to order, with atomic
 * accesses ({@code VarHandle}s of the segment, as above) or a {@link NamedMutex}. Plain reads and
 * writes made by one process become visible to another as the Java memory model's rules for
 * shared memory allow: publish with a release store (or a mutex) and read with an acquire load.
 *
 * <p><b>Size.</b> The size is fixed at creation; reopening with another size opens the section
 * as it is, and {@link #size()} reports the real one. The segment is 64-byte aligned.
 *
 * <p><b>Lifetime.</b> {@link #segment()} stays valid while any handle of this section in this
 * JVM is open; after the last handle closes, accessing it throws
 * {@link IllegalStateException} (never a crash). Closing does not change the bytes: the section
 * lives as long as its name (or, once unlinked, until the last process unmaps it).
 */
public final class SharedSection extends NamedHandle<SectionProxy> implements NamedObject {
    SharedSection(HandleState<SectionProxy> state) {
        super(state, "section");
    }

    /**
     * The section's bytes.
     *
     * @return the mapped segment, {@link #size()} bytes
     * @throws IllegalStateException if this handle is closed
     */
    public MemorySegment segment() {
        return proxy().data();
    }

    /**
     * The section's size, fixed at creation.
     *
     * @return bytes
     * @throws IllegalStateException if this handle is closed
     */
    public long size() {
        return proxy().data().byteSize();
    }
}
