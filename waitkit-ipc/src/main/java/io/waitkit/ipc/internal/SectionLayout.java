package io.waitkit.ipc.internal;

/**
 * The body of a shared section file: a synchronization block that only keeps the file's
 * shape uniform (its counts are never used), then the section's bytes, which Waitkit never
 * reads or writes after the creation zeroed them.
 *
 * <pre>
 *   body offset
 *   +------+------------------------------------------------------------+
 *   |    0 | a {@link SyncLayout} block, unused                         |
 *   |   64 | DATA: the section, size bytes (PARAM0), 64-byte aligned    |
 *   +------+------------------------------------------------------------+
 * </pre>
 */
public final class SectionLayout {
    /** Offset of the section's bytes in the body. */
    public static final long DATA = SyncLayout.SIZE;
    /** The largest section: 64 GiB. */
    public static final long MAX_SIZE = 1L << 36;

    private SectionLayout() {
    }

    /**
     * Why a size cannot be a section's, or null.
     *
     * @param size the header's PARAM0
     * @return the reason, or null
     */
    public static String checkSize(long size) {
        return size >= 1 && size <= MAX_SIZE ? null : "a section's size must be between 1 and " + MAX_SIZE + ": " + size;
    }

    /**
     * The body's size.
     *
     * @param size the section's size
     * @return bytes
     */
    public static long bodySize(long size) {
        return DATA + size;
    }
}
