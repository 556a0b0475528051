package io.waitkit.ipc.internal;

import io.waitkit.internal.WaitOperation;
import java.lang.foreign.MemorySegment;

/**
 * The proxy of a shared section: sections are not waitable (nothing ever acquires one), so the
 * proxy only carries the mapping and the section's segment for the handles.
 */
public final class SectionProxy extends NamedProxy {
    private final MemorySegment data;

    /**
     * Creates the proxy of a mapped section file.
     *
     * @param mapping the file
     */
    public SectionProxy(Mapping mapping) {
        super(mapping);
        this.data = mapping.body().asSlice(SectionLayout.DATA, mapping.header().param0());
    }

    /**
     * The section's bytes: valid while any handle of this JVM has the section open.
     *
     * @return the segment
     */
    public MemorySegment data() {
        return data;
    }

    /** {@inheritDoc} Never: a section is not waitable. */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return UNAVAILABLE;
    }

    /** {@inheritDoc} Never: a section is not waitable. */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_FAILED;
    }

    @Override
    public String stateText() {
        return stateText(data.byteSize());
    }

    /**
     * The state text of a section.
     *
     * @param size its size
     * @return for example {@code "4096 bytes"}
     */
    public static String stateText(long size) {
        return size + " bytes";
    }
}
