package io.waitkit.ipc.internal;

/**
 * The kinds of object file, with their code in the header, their label in listings, the size of
 * their body for the parameters stored in the header, and the checks those parameters must pass
 * (a header with parameters no creation could have written is damage).
 */
public enum Kind {
    /** A named event; PARAM0 is 1 for manual-reset. */
    EVENT(1, "event", 1),
    /** A named robust mutex; PARAM1 is the fairness (see {@link HeaderLayout}). */
    MUTEX(2, "mutex", 1),
    /** A named semaphore; PARAM0 is the maximum, PARAM1 the fairness (see {@link HeaderLayout}). */
    SEMAPHORE(3, "semaphore", 1),
    /** A named message queue; PARAM0 the capacity, PARAM1 the largest message (see {@link QueueLayout}). */
    MESSAGE_QUEUE(4, "message-queue", 2),
    /** A named pipe; PARAM0 the capacity in bytes (see {@link PipeLayout}). */
    PIPE(5, "pipe", 2),
    /** A shared section; PARAM0 the size in bytes (see {@link SectionLayout}). */
    SECTION(6, "section", 1);

    private final int code;
    private final String label;
    private final int syncBlocks;

    Kind(int code, String label, int syncBlocks) {
        this.code = code;
        this.label = label;
        this.syncBlocks = syncBlocks;
    }

    /**
     * The code stored in the header.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * The kind's name in {@code NamedObjectInfo.kind()} and messages.
     *
     * @return for example {@code "event"}
     */
    public String label() {
        return label;
    }

    /**
     * How many {@link SyncLayout synchronization blocks} start the body: one per side a waiter
     * can block on (a queue's receivers and senders, a pipe's readers and writers).
     *
     * @return 1 or 2
     */
    public int syncBlocks() {
        return syncBlocks;
    }

    /**
     * Why parameters cannot be those of a file of this kind, or null if they can.
     *
     * @param param0 the header's PARAM0
     * @param param1 the header's PARAM1
     * @return the reason, or null
     */
    public String checkParams(long param0, long param1) {
        return switch (this) {
            case EVENT -> param0 == 0 || param0 == 1 ? null : "an event's manual-reset flag is " + param0;
            case MUTEX -> checkFairness(param1);
            case SEMAPHORE -> param0 >= 1 && param0 <= Integer.MAX_VALUE ? checkFairness(param1)
                    : "a semaphore's maximum is " + param0;
            case MESSAGE_QUEUE -> QueueLayout.checkParams(param0, param1);
            case PIPE -> PipeLayout.checkCapacity(param0);
            case SECTION -> SectionLayout.checkSize(param0);
        };
    }

    /**
     * Whether objects of this kind take a fairness mode (stored in PARAM1).
     *
     * @return true for mutexes and semaphores
     */
    public boolean hasFairness() {
        return this == MUTEX || this == SEMAPHORE;
    }

    private String checkFairness(long param1) {
        return param1 == HeaderLayout.FAIRNESS_HAND_OFF || param1 == HeaderLayout.FAIRNESS_BARGING ? null
                : "a " + label + "'s fairness is " + param1 + " (0 hand-off or 1 barging)";
    }

    /**
     * The size of a file of this kind: the header and the body for these parameters.
     *
     * @param param0 the header's PARAM0 (checked by {@link #checkParams})
     * @param param1 the header's PARAM1
     * @return bytes
     */
    public long fileSize(long param0, long param1) {
        return HeaderLayout.SIZE + switch (this) {
            case EVENT, MUTEX, SEMAPHORE -> SyncLayout.SIZE;
            case MESSAGE_QUEUE -> QueueLayout.bodySize((int) param0, (int) param1);
            case PIPE -> PipeLayout.bodySize((int) param0);
            case SECTION -> SectionLayout.bodySize(param0);
        };
    }

    /**
     * The bytes at the start of the body a creation initializes (the rest is zero).
     *
     * @return bytes
     */
    public int initializedBytes() {
        return (int) SyncLayout.SIZE * syncBlocks + (this == MESSAGE_QUEUE || this == PIPE ? 64 : 0);
    }

    /**
     * The kind stored under a code.
     *
     * @param code a header's kind code
     * @return the kind, or null for an unknown code
     */
    public static Kind ofCode(int code) {
        for (Kind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
