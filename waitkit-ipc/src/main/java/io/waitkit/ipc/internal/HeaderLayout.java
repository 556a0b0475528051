package io.waitkit.ipc.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The header every object file starts with, and the only code that reads or writes it. The
 * header is immutable once the file is linked under its name: it is written, with the initial
 * state of the body, into a temporary file that is then linked into place, so a file under an
 * object's name whose header does not check out is damage, never a creation in progress.
 *
 * <pre>
 *   offset  size  field
 *   +------+-----+-------------------------------------------------------------+
 *   |    0 |   8 | MAGIC      "WAITKIT" 0x01 (bytes, in this order)             |
 *   |    8 |   4 | VERSION    layout version of the whole file: 2 for a barging  |
 *   |      |     |            mutex or semaphore, 1 for every other file       |
 *   |   12 |   4 | KIND       1 event, 2 mutex, 3 semaphore, 4 message queue,   |
 *   |      |     |            5 pipe, 6 section                                 |
 *   |   16 |   8 | FILE_SIZE  bytes of the whole file                           |
 *   |   24 |   8 | PARAM0     event: 1 if manual-reset; semaphore: the maximum; |
 *   |      |     |            queue, pipe: the capacity; section: the size      |
 *   |   32 |   8 | PARAM1     queue: the largest message; mutex, semaphore: the |
 *   |      |     |            fairness, 0 hand-off or 1 barging (1 only in a    |
 *   |      |     |            version-2 file); otherwise 0                      |
 *   |   40 |   8 | CREATOR    pid of the creating process (for diagnostics)     |
 *   |   48 |   8 | CHECKSUM   CRC-32C of bytes 0..47                            |
 *   |   56 |   8 | reserved, 0                                                 |
 *   +------+-----+-------------------------------------------------------------+
 *   64: the body (see {@link SyncLayout}, {@link QueueLayout}, {@link PipeLayout},
 *       {@link SectionLayout})
 * </pre>
 *
 * <p>Integers are little-endian (the byte order of the machines the futex backend runs on;
 * a file is only shared by the processes of one host). The header is read with plain file
 * reads before anything is mapped, so a short or damaged file is refused without touching
 * memory that the file does not back.
 *
 * <p><b>Versions.</b> Version 2 gave PARAM1 of mutexes and semaphores a meaning, the fairness;
 * version 1 always wrote 0 there and never read it, so a version-1 reader would serve a barging
 * object by hand-off. A file is written with the lowest version that
 * describes it: a hand-off mutex or semaphore, and every other kind, is a version-1 file byte
 * for byte, so a process of a Waitkit that reads only version 1 still shares it; a barging one
 * is version 2, which such a process refuses with "layout version 2" (as
 * {@code CorruptObjectException}) instead of serving it by hand-off. This code reads versions
 * 1 and 2 and refuses a later one, saying it was made by a newer Waitkit; a version-1 file
 * with a fairness other than 0 is damage.
 */
public final class HeaderLayout {
    /** Bytes of the header; the body starts here. */
    public static final int SIZE = 64;
    /** The newest layout version this code reads and writes (see the class comment). */
    public static final int VERSION = 2;
    /** The oldest layout version this code reads, and writes for every file that fits it. */
    public static final int OLDEST_VERSION = 1;

    /** PARAM1 of a mutex or semaphore: the release hands the object to the first waiter. */
    public static final long FAIRNESS_HAND_OFF = 0L;
    /** PARAM1 of a mutex or semaphore: the release frees the object and wakes the first waiter. */
    public static final long FAIRNESS_BARGING = 1L;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int KIND_OFFSET = 12;
    static final int FILE_SIZE_OFFSET = 16;
    static final int PARAM0_OFFSET = 24;
    static final int PARAM1_OFFSET = 32;
    static final int CREATOR_OFFSET = 40;
    static final int CHECKSUM_OFFSET = 48;

    private static final byte[] MAGIC = {'W', 'A', 'I', 'T', 'K', 'I', 'T', 1};

    /**
     * What a valid header says.
     *
     * @param kind the object's kind
     * @param fileSize bytes of the whole file
     * @param param0 event: 1 if manual-reset; semaphore: the maximum; queue, pipe: the capacity;
     *        section: the size
     * @param param1 queue: the largest message; mutex, semaphore: the fairness
     *        ({@link #FAIRNESS_HAND_OFF} or {@link #FAIRNESS_BARGING}); otherwise 0
     * @param creator pid of the creating process
     */
    public record Fields(Kind kind, long fileSize, long param0, long param1, long creator) {
        /**
         * Whether the object is a mutex or semaphore made with {@code Fairness.BARGING}.
         *
         * @return true if barging
         */
        public boolean barging() {
            return kind.hasFairness() && param1 == FAIRNESS_BARGING;
        }

        /**
         * The lowest layout version that describes a file with these fields.
         *
         * @return 2 for a barging mutex or semaphore, else 1
         */
        public int layoutVersion() {
            return barging() ? 2 : OLDEST_VERSION;
        }
    }

    private HeaderLayout() {
    }

    /**
     * Writes a header.
     *
     * @param buffer at least {@link #SIZE} bytes from position 0; its order is set to little-endian
     * @param f the fields
     */
    public static void write(ByteBuffer buffer, Fields f) {
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC_OFFSET, MAGIC);
        buffer.putInt(VERSION_OFFSET, f.layoutVersion());
        buffer.putInt(KIND_OFFSET, f.kind().code());
        buffer.putLong(FILE_SIZE_OFFSET, f.fileSize());
        buffer.putLong(PARAM0_OFFSET, f.param0());
        buffer.putLong(PARAM1_OFFSET, f.param1());
        buffer.putLong(CREATOR_OFFSET, f.creator());
        buffer.putLong(CHECKSUM_OFFSET, checksum(buffer));
    }

    /**
     * Reads and checks a header.
     *
     * @param buffer the first bytes of the file (position 0, limit = bytes read)
     * @param actualSize the file's size
     * @return the fields
     * @throws CorruptException saying what is wrong
     */
    public static Fields read(ByteBuffer buffer, long actualSize) throws CorruptException {
        if (actualSize == 0) {
            throw new CorruptException("the file is empty (0 bytes)");
        }
        if (actualSize < SIZE || buffer.limit() < SIZE) {
            throw new CorruptException("the file is truncated: " + actualSize + " bytes, a header needs " + SIZE);
        }
        buffer.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (buffer.get(MAGIC_OFFSET + i) != MAGIC[i]) {
                throw new CorruptException("not a Waitkit object file (bad magic)");
            }
        }
        int version = buffer.getInt(VERSION_OFFSET);
        if (version < OLDEST_VERSION || version > VERSION) {
            throw new CorruptException("layout version " + version + " (this Waitkit reads versions " + OLDEST_VERSION
                    + " to " + VERSION + (version > VERSION ? "; the file was made by a newer Waitkit)" : ")"));
        }
        long stored = buffer.getLong(CHECKSUM_OFFSET);
        long computed = checksum(buffer);
        if (stored != computed) {
            throw new CorruptException(String.format("header checksum mismatch (stored %08x, computed %08x)", stored, computed));
        }
        Kind kind = Kind.ofCode(buffer.getInt(KIND_OFFSET));
        if (kind == null) {
            throw new CorruptException("unknown kind code " + buffer.getInt(KIND_OFFSET));
        }
        long fileSize = buffer.getLong(FILE_SIZE_OFFSET);
        if (fileSize != actualSize) {
            throw new CorruptException("the header says " + fileSize + " bytes, the file has " + actualSize
                    + (actualSize < fileSize ? " (truncated)" : ""));
        }
        long param0 = buffer.getLong(PARAM0_OFFSET);
        long param1 = buffer.getLong(PARAM1_OFFSET);
        String bad = kind.checkParams(param0, param1);
        if (bad != null) {
            throw new CorruptException("impossible parameters: " + bad);
        }
        Fields f = new Fields(kind, fileSize, param0, param1, buffer.getLong(CREATOR_OFFSET));
        if (f.layoutVersion() > version) {
            throw new CorruptException("impossible parameters: a version-" + version + " " + kind.label()
                    + " file with fairness " + param1 + " (a barging " + kind.label() + " is a version-"
                    + f.layoutVersion() + " file)");
        }
        long expected = kind.fileSize(param0, param1);
        if (fileSize != expected) {
            throw new CorruptException("a " + kind.label() + " file with these parameters has " + expected
                    + " bytes, the header says " + fileSize);
        }
        return f;
    }

    private static long checksum(ByteBuffer buffer) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(0, CHECKSUM_OFFSET));
        return crc.getValue();
    }

    /** A header or body that does not check out; the caller turns it into the public exception. */
    public static final class CorruptException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong
         */
        public CorruptException(String message) {
            super(message);
        }
    }
}
