package io.waitkit.ipc.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads what a listing shows of an object file without opening it as an object: no mapping,
 * no flock (a listing must not count as an opener), plain reads of the header and the
 * synchronization block. The state is a snapshot that may be torn by a concurrent change
 * (each word is read once), which a listing accepts. A file that cannot be read as an object
 * is described as {@code corrupt} with the reason.
 */
public final class Listing {
    /**
     * What a listing shows of one file.
     *
     * @param kind the kind's label, or {@code corrupt}
     * @param state the state text, or why the file is corrupt
     * @param ownerPid a held mutex's owner pid, else -1
     * @param waiters blocked waits
     * @param openers open file descriptions holding the object's flock (-1 if unknown)
     */
    public record Entry(String kind, String state, long ownerPid, int waiters, int openers) {
    }

    private Listing() {
    }

    /**
     * Describes one file.
     *
     * @param file the object file
     * @return the entry, never null
     * @throws IOException if the file disappeared or cannot be opened at all
     */
    public static Entry describe(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            return new Entry("corrupt", "not a regular file", -1, 0, 0); // never opened: a FIFO would block
        }
        long dev = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
        long ino = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        int openers;
        try {
            openers = ProcLocks.holders(dev, ino);
        } catch (IOException | RuntimeException e) {
            openers = -1;
        }
        ByteBuffer b = ByteBuffer.allocate((int) (HeaderLayout.SIZE + 2 * SyncLayout.SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            size = ch.size();
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read what the file holds, up to the header and the block
            }
        }
        b.flip();
        HeaderLayout.Fields h;
        try {
            h = HeaderLayout.read(b.duplicate().order(ByteOrder.LITTLE_ENDIAN), size);
        } catch (HeaderLayout.CorruptException e) {
            return new Entry("corrupt", e.getMessage(), -1, 0, openers);
        }
        int base = HeaderLayout.SIZE;
        long value = b.getLong(base + (int) SyncLayout.STATE) & SyncLayout.VALUE_BITS;
        int waiters = Math.max(0, b.getInt(base + (int) SyncLayout.WAITERS));
        return switch (h.kind()) {
            case EVENT -> new Entry("event", (value & EventProxy.SIGNALED) != 0 ? "signaled" : "not signaled", -1, waiters, openers);
            case SEMAPHORE -> new Entry("semaphore", value + "/" + h.param0(), -1, waiters, openers);
            case MESSAGE_QUEUE -> new Entry("message-queue", QueueProxy.stateText(value, h.param0()), -1,
                    waiters + Math.max(0, b.getInt(base + (int) (QueueLayout.SEND_BLOCK + SyncLayout.WAITERS))), openers);
            case PIPE -> new Entry("pipe", PipeProxy.stateText(value, h.param0()), -1,
                    waiters + Math.max(0, b.getInt(base + (int) (PipeLayout.WRITE_BLOCK + SyncLayout.WAITERS))), openers);
            case SECTION -> new Entry("section", SectionProxy.stateText(h.param0()), -1, 0, openers);
            case MUTEX -> {
                long pid = b.getLong(base + (int) SyncLayout.OWNER_PID);
                long start = b.getLong(base + (int) SyncLayout.OWNER_START);
                long tid = b.getLong(base + (int) SyncLayout.OWNER_TID);
                String state = MutexProxy.stateText(value, pid, start, tid);
                yield new Entry("mutex", state, state.startsWith("held") ? pid : -1, waiters, openers);
            }
        };
    }
}
