package io.waitkit.ipc.internal;

/** The kinds of object file, with their code in the header and their label in listings. */
public enum Kind {
    /** A named event. */
    EVENT(1, "event"),
    /** A named robust mutex. */
    MUTEX(2, "mutex"),
    /** A named semaphore. */
    SEMAPHORE(3, "semaphore");

    private final int code;
    private final String label;

    Kind(int code, String label) {
        this.code = code;
        this.label = label;
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
     * The size of a file of this kind: the header and the synchronization block.
     *
     * @return bytes
     */
    public long fileSize() {
        return HeaderLayout.SIZE + SyncLayout.SIZE;
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
