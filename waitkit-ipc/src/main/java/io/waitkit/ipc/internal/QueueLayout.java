package io.waitkit.ipc.internal;

/**
 * The offsets of the body of a named message queue file; its words are read and written through
 * {@link SyncLayout}'s accessors, which name the memory order.
 *
 * <pre>
 *   body offset
 *   +---------+----------------------------------------------------------------------+
 *   |       0 | block R ({@link SyncLayout}): the outside lock of the whole queue and  |
 *   |         |   its value: bits 15..0 READY (messages that can be received),       |
 *   |         |   bits 31..16 FREE (slots a sender can claim); receivers' SEQ,        |
 *   |         |   SLEEPERS, WAITERS                                                  |
 *   |      64 | block S ({@link SyncLayout}): senders' SEQ, SLEEPERS, WAITERS (its    |
 *   |         |   STATE word is unused)                                              |
 *   |     128 | NEXT_SEQ  (8) sequence number of the next committed message          |
 *   |     136 | HEAD      (4) index in ORDER of the best ready message               |
 *   |     140 | FREE_HINT (4) the slot where the next search for a free slot starts  |
 *   |     144 | reserved up to 192                                                   |
 *   |     192 | ORDER: capacity entries of 8 bytes, a ring of READY entries from     |
 *   |         |   HEAD, best first: (priority &lt;&lt; 32) | slot index; padded to 64   |
 *   |  SLOTS  | capacity slots of SLOT_SIZE = 32 + maxMessageSize rounded up to 8:   |
 *   |         |    +0 CTL    (8) 0 FREE, 2 READY (any other value is damage)       |
 *   |         |    +8 reserved (8)                                                  |
 *   |         |   +16 LENGTH (4)  +20 PRIORITY (4)  +24 SEQ (8)  +32 the message     |
 *   +---------+----------------------------------------------------------------------+
 * </pre>
 *
 * <p><b>What is true and what is derived.</b> The slots' CTL words and, for READY slots, their
 * SEQ and PRIORITY are the truth; READY, FREE, ORDER, HEAD, NEXT_SEQ and FREE_HINT are derived
 * from them and kept in step by critical sections under the outside lock. A critical section
 * cut short by SIGKILL can leave the derived words torn, and the next locker, which takes the
 * lock over from the dead holder, rebuilds all of them from the slots
 * ({@code QueueProxy.rebuild}). Each change of the truth is one store: a commit (FREE to
 * READY, after the message, its length, priority and sequence number are written) and a
 * removal (READY to FREE, after the message is copied out).
 */
public final class QueueLayout {
    /** The most messages a queue holds (the 16 bits of READY and FREE). */
    public static final int MAX_CAPACITY = 0xFFFF;
    /** The largest message a queue accepts: 16 MiB. */
    public static final int MAX_MESSAGE_SIZE = 1 << 24;
    /** The largest queue body: 1 GiB. */
    public static final long MAX_BODY = 1L << 30;

    /** Offset of block S. */
    public static final long SEND_BLOCK = SyncLayout.SIZE;
    static final long NEXT_SEQ = 128;
    static final long HEAD = 136;
    static final long FREE_HINT = 140;
    static final long ORDER = 192;

    static final long CTL = 0;
    static final long LENGTH = 16;
    static final long PRIORITY = 20;
    static final long SEQ = 24;
    static final long DATA = 32;

    static final int FREE = 0;
    static final int READY = 2;
    static final long STATE_BITS = 3;

    /** The FREE count in the value. */
    static final int FREE_SHIFT = 16;
    static final long COUNT_MASK = 0xFFFF;

    private QueueLayout() {
    }

    /**
     * Why a capacity and a largest message size cannot be those of a queue, or null.
     *
     * @param capacity the header's PARAM0
     * @param maxMessageSize the header's PARAM1
     * @return the reason, or null
     */
    public static String checkParams(long capacity, long maxMessageSize) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            return "capacity must be between 1 and " + MAX_CAPACITY + ": " + capacity;
        }
        if (maxMessageSize < 0 || maxMessageSize > MAX_MESSAGE_SIZE) {
            return "maxMessageSize must be between 0 and " + MAX_MESSAGE_SIZE + ": " + maxMessageSize;
        }
        if (bodySize((int) capacity, (int) maxMessageSize) > MAX_BODY) {
            return "capacity " + capacity + " of messages of " + maxMessageSize + " bytes needs more than "
                    + (MAX_BODY >> 20) + " MiB";
        }
        return null;
    }

    /**
     * The bytes of one slot.
     *
     * @param maxMessageSize the largest message
     * @return bytes, a multiple of 8
     */
    static long slotSize(int maxMessageSize) {
        return DATA + ((maxMessageSize + 7L) & ~7L);
    }

    /**
     * The offset of the first slot.
     *
     * @param capacity the capacity
     * @return bytes from the body's start, a multiple of 64
     */
    static long slotsOffset(int capacity) {
        return ORDER + ((capacity * 8L + 63) & ~63L);
    }

    /**
     * The body's size.
     *
     * @param capacity the capacity
     * @param maxMessageSize the largest message
     * @return bytes
     */
    public static long bodySize(int capacity, int maxMessageSize) {
        return slotsOffset(capacity) + capacity * slotSize(maxMessageSize);
    }

    /**
     * The value of a new queue: every slot free, nothing ready.
     *
     * @param capacity the capacity
     * @return the value bits
     */
    public static long initialValue(int capacity) {
        return (long) capacity << FREE_SHIFT;
    }

    static int ready(long value) {
        return (int) (value & COUNT_MASK);
    }

    static int free(long value) {
        return (int) ((value >>> FREE_SHIFT) & COUNT_MASK);
    }
}
