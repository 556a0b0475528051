package io.waitkit.ipc.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * One object file of this JVM, opened once and shared by every handle of it: the descriptor
 * that holds the opener's shared {@code flock}, the mapping, and the engine proxy.
 *
 * <p><b>Opening</b> ({@link #open}): the file is opened by name ({@code open(2)}), locked
 * shared with {@code flock} (so that listings can count openers), identified by the device and
 * inode of that descriptor (not of the name, which may be unlinked and re-created meanwhile),
 * and looked up in this JVM's registry: a file already open here is shared, so a name opened
 * twice is one object with one proxy. Otherwise its header is read with plain reads and checked
 * (magic, version, checksum, kind, size) before anything is mapped, then the file is mapped
 * whole.
 *
 * <p><b>Creating</b>: the complete file (header and initial state) is written under a
 * temporary name starting with {@code .}, then hard-linked under the object's name, which
 * fails if the name exists, so exactly one of several racing creators wins and the others open
 * its file; the temporary name is removed either way. Whoever links is the creator
 * ({@link Opened#created()}).
 *
 * <p><b>Counts left by the dead</b>: an opener that maps a file and finds itself its only
 * opener (its shared flock converts to exclusive without waiting) clears SLEEPERS and WAITERS
 * ({@link NamedProxy#clearCountsOfTheDead()}),
 * which a process killed while waiting leaves too high, then converts back to shared. It takes
 * the shared lock again also when the upgrade fails: Linux converts a flock by dropping the old
 * lock first, so a failed conversion leaves none.
 *
 * <p><b>Lifetime</b>: a reference count of handles and of the waiter pool's watches; the last
 * release unmaps (closing the shared arena, which waits for accesses in progress), releases the
 * flock and closes the descriptor. The registry entry is removed under the registry's lock
 * before that, so a concurrent open maps the file afresh.
 */
public final class Mapping {
    /** What identifies an open file: its device and inode. */
    private record FileKey(long dev, long ino) {
    }

    private static final Map<FileKey, Mapping> OPEN = new ConcurrentHashMap<>();

    private final Path path;
    private final String name;
    private final FileKey key;
    private final int fd;
    private final Arena arena;
    private final HeaderLayout.Fields header;
    private final MemorySegment body;
    /** Handles and watches; guarded by {@link #OPEN}'s lock (synchronized on the class). */
    private int references;
    private NamedProxy proxy;

    private Mapping(Path path, String name, FileKey key, int fd, Arena arena, HeaderLayout.Fields header,
            MemorySegment file) {
        this.path = path;
        this.name = name;
        this.key = key;
        this.fd = fd;
        this.arena = arena;
        this.header = header;
        this.body = file.asSlice(HeaderLayout.SIZE);
    }

    /** What a creation writes into the new file's body, besides the header. */
    public interface Initializer {
        /**
         * Writes the initial body.
         *
         * @param body a zeroed buffer of {@link Kind#initializedBytes()} bytes from the start of
         *        the body, little-endian
         */
        void write(ByteBuffer body);
    }

    /**
     * The result of {@link #open}: the shared mapping, retained once for the caller.
     *
     * @param mapping the mapping
     * @param created whether this call created the file
     */
    public record Opened(Mapping mapping, boolean created) {
    }

    /**
     * Opens (and, if {@code init} is given and the name is absent, creates) an object file.
     *
     * @param directory the namespace directory
     * @param name a checked name
     * @param kind the kind the caller wants
     * @param param0 the header's PARAM0 for a creation
     * @param param1 the header's PARAM1 for a creation
     * @param init the initial body for a creation, or null to open an existing object only
     * @param groupShared whether a created file gets group read and write permission (0660)
     * @param proxyFactory makes the proxy of a newly mapped file
     * @return the mapping, retained for the caller, and whether this call created the file
     * @throws NoSuchFileException if the name is absent and {@code init} is null
     * @throws WrongKind if the file holds another kind
     * @throws HeaderLayout.CorruptException if the file is damaged
     * @throws IOException on an I/O error
     */
    public static Opened open(Path directory, String name, Kind kind, long param0, long param1, Initializer init,
            boolean groupShared,
            Function<Mapping, NamedProxy> proxyFactory) throws IOException, WrongKind, HeaderLayout.CorruptException {
        Path path = directory.resolve(name);
        for (int attempt = 0; ; attempt++) {
            boolean created = false;
            int fd;
            try {
                fd = Posix.open(path, false);
            } catch (NoSuchFileException e) {
                if (init == null) {
                    throw e;
                }
                created = create(directory, path, kind, param0, param1, init, groupShared);
                try {
                    fd = Posix.open(path, false);
                } catch (NoSuchFileException gone) {
                    if (attempt > 100) {
                        throw new IOException(path + " is unlinked as fast as it is created", gone);
                    }
                    continue; // unlinked right after the link: try again
                }
            }
            try {
                Posix.flock(fd, Posix.LOCK_SH);
                Mapping m = openLocked(path, name, fd, kind, proxyFactory);
                if (m.fd != fd) {
                    Posix.close(fd); // already open in this JVM: the existing descriptor holds the lock
                }
                return new Opened(m, created); // the link was ours, whoever of this JVM mapped the file first
            } catch (IOException | RuntimeException | Error | WrongKind | HeaderLayout.CorruptException e) {
                closeQuietly(fd, e);
                throw e;
            }
        }
    }

    private static Mapping openLocked(Path path, String name, int fd, Kind kind, Function<Mapping, NamedProxy> proxyFactory)
            throws IOException, WrongKind, HeaderLayout.CorruptException {
        Path self = Path.of("/proc/self/fd/" + fd);
        int mode = ((Number) Files.getAttribute(self, "unix:mode")).intValue();
        if ((mode & 0170000) != 0100000) {
            throw new HeaderLayout.CorruptException("not a regular file (mode " + Integer.toOctalString(mode) + ")");
        }
        FileKey key = new FileKey(((Number) Files.getAttribute(self, "unix:dev")).longValue(),
                ((Number) Files.getAttribute(self, "unix:ino")).longValue());
        synchronized (Mapping.class) {
            Mapping existing = OPEN.get(key);
            if (existing != null) {
                if (existing.header.kind() != kind) {
                    throw new WrongKind(existing.header.kind());
                }
                existing.references++;
                return existing;
            }
        }
        HeaderLayout.Fields header;
        Arena arena = Arena.ofShared();
        MemorySegment file;
        try (FileChannel ch = FileChannel.open(self, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(HeaderLayout.SIZE);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // read the whole header, or what the file holds
            }
            b.flip();
            header = HeaderLayout.read(b, size);
            if (header.kind() != kind) {
                throw new WrongKind(header.kind());
            }
            file = ch.map(FileChannel.MapMode.READ_WRITE, 0, header.fileSize(), arena);
        } catch (IOException | RuntimeException | Error | WrongKind | HeaderLayout.CorruptException e) {
            arena.close();
            throw e;
        }
        Mapping m = new Mapping(path, name, key, fd, arena, header, file);
        try {
            m.proxy = proxyFactory.apply(m);
            if (Posix.flock(fd, Posix.LOCK_EX | Posix.LOCK_NB)) {
                m.proxy.clearCountsOfTheDead(); // the only opener: counts left by processes killed while waiting are stale
            }
            Posix.flock(fd, Posix.LOCK_SH); // a conversion drops the old lock first, also when it fails
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        synchronized (Mapping.class) {
            Mapping raced = OPEN.get(key);
            if (raced != null) { // another thread of this JVM mapped it meanwhile: use that one
                raced.references++;
                arena.close();
                return raced;
            }
            m.references = 1;
            OPEN.put(key, m);
            return m;
        }
    }

    /** Writes a complete file under a temporary name and links it into place; false if the name existed. */
    private static boolean create(Path directory, Path path, Kind kind, long param0, long param1, Initializer init,
            boolean groupShared) throws IOException {
        long fileSize = kind.fileSize(param0, param1);
        ByteBuffer b = ByteBuffer.allocate(HeaderLayout.SIZE + kind.initializedBytes());
        HeaderLayout.write(b, new HeaderLayout.Fields(kind, fileSize, param0, param1, ProcessHandle.current().pid()));
        ByteBuffer body = b.slice(HeaderLayout.SIZE, kind.initializedBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        init.write(body);
        Path temp = directory.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        int tfd = Posix.open(temp, true); // O_EXCL, mode 0600
        try {
            try (FileChannel ch = FileChannel.open(Path.of("/proc/self/fd/" + tfd), StandardOpenOption.WRITE)) {
                b.clear();
                while (b.hasRemaining()) {
                    ch.write(b, b.position());
                }
                // the rest is written as zeros, not left as a hole: a full tmpfs then fails here
                // with an IOException instead of killing a process that touches the page (SIGBUS)
                ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, fileSize - b.capacity())));
                for (long at = b.capacity(); at < fileSize; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), fileSize - at));
                    at += ch.write(zeros, at);
                }
            }
            if (groupShared) {
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
            }
            try {
                Files.createLink(path, temp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        } finally {
            Posix.close(tfd);
            Files.deleteIfExists(temp);
        }
    }

    private static void closeQuietly(int fd, Throwable failure) {
        try {
            Posix.close(fd);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The file holds another kind. */
    public static final class WrongKind extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Kind actual;

        WrongKind(Kind actual) {
            super(actual.label(), null, false, false);
            this.actual = actual;
        }

        /**
         * The kind the file holds.
         *
         * @return the kind
         */
        public Kind actual() {
            return actual;
        }
    }

    // ---- lifetime

    /**
     * Takes one more reference (a handle or a watch). Fails if the mapping was released already.
     *
     * @return true if retained, false if the mapping is gone
     */
    boolean retain() {
        synchronized (Mapping.class) {
            if (references == 0) {
                return false;
            }
            references++;
            return true;
        }
    }

    /**
     * Drops one reference; the last one unmaps, unlocks and closes (see the class comment).
     */
    public void release() {
        synchronized (Mapping.class) {
            if (--references > 0) {
                return;
            }
            OPEN.remove(key, this);
        }
        arena.close();
        try {
            Posix.close(fd); // releases the shared flock
        } catch (IOException e) {
            // the descriptor is gone either way (Linux closes it even on error)
        }
    }

    // ---- accessors

    /**
     * The object's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The path the object was opened under.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * The checked header.
     *
     * @return the header fields
     */
    public HeaderLayout.Fields header() {
        return header;
    }

    /**
     * The body: everything after the header (see {@link SyncLayout} and the layouts of the
     * larger kinds).
     *
     * @return the body segment
     */
    public MemorySegment body() {
        return body;
    }

    /**
     * The engine proxy of the object.
     *
     * @return the proxy
     */
    public NamedProxy proxy() {
        return proxy;
    }

    /**
     * The key every process orders this object's outside lock by: its inode, with the device
     * mixed into the high bits (objects of one namespace share a device).
     *
     * @return the key
     */
    long lockOrder() {
        return key.ino() ^ (key.dev() << 40);
    }

    /**
     * How many open file descriptions (processes) hold the object open, from the kernel's
     * table of file locks.
     *
     * @return the count, or -1 if it cannot be read
     */
    public int openers() {
        try {
            return ProcLocks.holders(key.dev(), key.ino());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
