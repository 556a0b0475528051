package io.waitkit.ipc.internal;

/**
 * The offsets of the body of a named pipe file; its words are read and written through
 * {@link SyncLayout}'s accessors, which name the memory order.
 *
 * <pre>
 *   body offset
 *   +------+-------------------------------------------------------------------------+
 *   |    0 | block R ({@link SyncLayout}): the outside lock of the whole pipe and its |
 *   |      |   value: bits 26..0 USED (bytes buffered), bit 28 EOF (a writer opened  |
 *   |      |   and none is left), bit 29 BROKEN (a reader opened and none is left);  |
 *   |      |   readers' SEQ, SLEEPERS, WAITERS                                       |
 *   |   64 | block W ({@link SyncLayout}): writers' SEQ, SLEEPERS, WAITERS           |
 *   |  128 | HEAD  (8) bytes ever read                                               |
 *   |  136 | TAIL  (8) bytes ever written; USED = TAIL - HEAD                        |
 *   |  144 | SEEN  (4) bit 0: a writer has opened, bit 1: a reader has opened        |
 *   |  148 | reserved up to 192                                                      |
 *   |  192 | ENDS: 64 entries of 16 bytes, one per process and role with open ends:  |
 *   |      |   +0 (8) bits 62..32 pid, bits 23..8 open ends, bits 1..0 role          |
 *   |      |          (1 reader, 2 writer); 0: unused                                |
 *   |      |   +8 (8) the process's start time                                       |
 *   | 1216 | DATA: the ring of capacity bytes; byte n of the stream at n % capacity  |
 *   +------+-------------------------------------------------------------------------+
 * </pre>
 *
 * <p><b>What is true and what is derived.</b> HEAD, TAIL, SEEN and ENDS are the truth; the
 * value is derived from them (USED from the positions, EOF and BROKEN from the ends and their
 * processes' liveness), so whoever takes the lock over from a dead holder recomputes it. A
 * write copies bytes past TAIL and then moves TAIL (one store: the bytes are committed); a read
 * copies bytes from HEAD and then moves HEAD.
 */
public final class PipeLayout {
    /** The largest capacity: 64 MiB. */
    public static final int MAX_CAPACITY = 1 << 26;
    /** Offset of block W. */
    public static final long WRITE_BLOCK = SyncLayout.SIZE;
    static final long HEAD = 128;
    static final long TAIL = 136;
    static final long SEEN = 144;
    static final long ENDS = 192;
    static final int END_COUNT = 64;
    static final long END_SIZE = 16;
    static final long DATA = ENDS + END_COUNT * END_SIZE;

    static final long USED_BITS = (1L << 27) - 1;
    static final long EOF = 1L << 28;
    static final long BROKEN = 1L << 29;

    static final int READER = 1;
    static final int WRITER = 2;
    static final int SEEN_WRITER = 1;
    static final int SEEN_READER = 2;

    private PipeLayout() {
    }

    /**
     * Why a capacity cannot be a pipe's, or null.
     *
     * @param capacity the header's PARAM0
     * @return the reason, or null
     */
    public static String checkCapacity(long capacity) {
        return capacity >= 1 && capacity <= MAX_CAPACITY ? null
                : "a pipe's capacity must be between 1 and " + MAX_CAPACITY + ": " + capacity;
    }

    /**
     * The body's size.
     *
     * @param capacity the capacity
     * @return bytes
     */
    public static long bodySize(int capacity) {
        return DATA + capacity;
    }
}
