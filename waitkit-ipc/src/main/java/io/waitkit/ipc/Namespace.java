package io.waitkit.ipc;

import io.waitkit.Fairness;
import io.waitkit.ipc.internal.EventProxy;
import io.waitkit.ipc.internal.Futex;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.HeaderLayout;
import io.waitkit.ipc.internal.Kind;
import io.waitkit.ipc.internal.Listing;
import io.waitkit.ipc.internal.Mapping;
import io.waitkit.ipc.internal.MutexProxy;
import io.waitkit.ipc.internal.Names;
import io.waitkit.ipc.internal.NamedProxy;
import io.waitkit.ipc.internal.Posix;
import io.waitkit.ipc.internal.PipeLayout;
import io.waitkit.ipc.internal.PipeProxy;
import io.waitkit.ipc.internal.QueueLayout;
import io.waitkit.ipc.internal.QueueProxy;
import io.waitkit.ipc.internal.SectionLayout;
import io.waitkit.ipc.internal.SectionProxy;
import io.waitkit.ipc.internal.SemaphoreProxy;
import io.waitkit.ipc.internal.SyncLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A directory of named objects shared by the processes of one host: events, robust mutexes,
 * semaphores, message queues, pipes and shared sections, each a file mapped by every process
 * that opens it.
 *
 * <pre>{@code
 * Namespace ns = Namespace.user();                    // private to this user
 * NamedMutex lock = ns.mutex("db-migration");
 * NamedSemaphore slots = ns.semaphore("workers", 4, 4);
 * NamedEvent stop = ns.event("stop", true, false);
 * int i = Wait.any(Duration.ofSeconds(1), stop, slots); // with in-process objects too
 * }</pre>
 *
 * <p><b>Where.</b> {@link #user()} is {@code $XDG_RUNTIME_DIR/waitkit} when that variable names
 * a directory owned by the user with no group or other access, and {@code /dev/shm/waitkit-UID}
 * otherwise; the directory is created 0700 and files 0600, and an existing directory that is not
 * the user's or grants group or other access is refused with the reason (never a silent
 * fallback). {@link #open(Path)} uses a directory of the caller's choice with its own
 * permissions (a group-shared directory lets a group share objects: files then get the
 * directory's group read and write bits); a world-writable directory without the sticky bit is
 * refused.
 *
 * <p><b>Names</b> are 1 to 200 characters and at most 255 UTF-8 bytes, without control
 * characters or {@code /}, not {@code .} or {@code ..}, not starting with {@code .}; every
 * method that takes a name throws {@link IllegalArgumentException} quoting a bad one and saying
 * why.
 *
 * <p><b>Open or create.</b> The factories open the object of that name if it exists (with its
 * own parameters: the arguments apply only to a creation, and the getters report the real ones)
 * and create it atomically otherwise: the complete file is written under a temporary name and
 * linked into place, so racing creators make one object and {@link NamedObject#created()} is
 * true for exactly one of them. A name holding another kind is {@link WrongKindException}; a
 * damaged file is {@link CorruptObjectException}; neither changes anything.
 *
 * <p><b>Unlink.</b> {@link #unlink} removes the name at once, also while processes have the
 * object open (as {@code shm_unlink}): they keep using the old object, and the next open of the
 * name creates a new one. Two generations of one name can therefore exist together, and a
 * process holding the old mutex and one holding the new one both "hold the lock". Unlink only
 * names nobody uses (the CLI's {@code rm} refuses an object with openers unless forced), or
 * never unlink names that serve as locks.
 *
 * <p><b>Fairness.</b> Mutexes and semaphores are created with a {@link Fairness} mode that
 * lives in the object's file and applies to every process: {@link #mutex(String)} and
 * {@link #semaphore(String, int, int)} create with {@link Fairness#HAND_OFF} and open an existing
 * object whatever its mode; the overloads that take a {@code Fairness} create with that mode
 * and open an existing object only if it has it ({@link WrongFairnessException} otherwise).
 *
 * <p>Methods of a namespace are thread-safe; a name opened twice in one JVM gives two handles of
 * one object (one shared state, one engine proxy).
 */
public final class Namespace {
    private final Path directory;
    private final boolean groupShared;

    private Namespace(Path directory, boolean groupShared) {
        this.directory = directory;
        this.groupShared = groupShared;
    }

    /**
     * The calling user's namespace (see the class comment for where it is and what is refused).
     *
     * @return the namespace
     * @throws IOException if the directory cannot be created or is unsafe (the message says why)
     */
    public static Namespace user() throws IOException {
        int uid = currentUid();
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        Path base = null;
        if (xdg != null && !xdg.isEmpty()) {
            Path x = Path.of(xdg);
            if (Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS) && ownerOf(x) == uid && (modeOf(x) & 077) == 0) {
                base = x.resolve("waitkit");
            }
        }
        Path dir = base != null ? base : Path.of("/dev/shm", "waitkit-" + uid);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // another process created it: checked below like any existing directory
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("unsafe namespace " + dir + ": it is not a directory (or is a symbolic link)");
        }
        int owner = ownerOf(dir);
        if (owner != uid) {
            throw new IOException("unsafe namespace " + dir + ": it is owned by uid " + owner + ", not by this user (uid " + uid + ")");
        }
        int mode = modeOf(dir);
        if ((mode & 077) != 0) {
            throw new IOException(String.format("unsafe namespace %s: mode %04o grants group or other access (a user's "
                    + "namespace must be 0700; fix it with chmod 700)", dir, mode & 07777));
        }
        return new Namespace(dir, false);
    }

    /**
     * A namespace in a directory of the caller's choice, created 0700 if missing (with missing
     * parents); an existing directory keeps its permissions.
     *
     * @param directory the directory
     * @return the namespace
     * @throws IOException if it cannot be created, is not a directory, or is world-writable
     *         without the sticky bit (the message says why)
     */
    public static Namespace open(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("namespace " + dir + " is not a directory");
        }
        dir = dir.toRealPath(); // a symbolic link to a directory: its target's permissions count
        int mode = modeOf(dir);
        if ((mode & 0002) != 0 && (mode & 01000) == 0) {
            throw new IOException(String.format("unsafe namespace %s: mode %04o is world-writable without the sticky bit "
                    + "(anyone could replace objects)", dir, mode & 07777));
        }
        return new Namespace(dir, (mode & 0060) == 0060);
    }

    private static int currentUid() throws IOException {
        if (Posix.available()) {
            return Posix.getuid();
        }
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
    }

    private static int ownerOf(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue();
    }

    private static int modeOf(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
    }

    /**
     * The namespace's directory.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * How this JVM blocks on named objects: {@code futex_waitv}, {@code futex} or
     * {@code polling}, and why.
     *
     * @return for example {@code "futex_waitv: futex_waitv available (Linux 6.8.0)"}
     */
    public static String backend() {
        return Futex.backend().name().toLowerCase(java.util.Locale.ROOT) + ": " + Futex.backendReason();
    }

    /** Whether created files get the directory's group read and write bits (a group-shared directory). */
    boolean groupShared() {
        return groupShared;
    }

    // ---- factories

    /**
     * Registers the calling thread for cross-process post/wait in this namespace:
     * {@link NamedPostWait#register(Namespace)}.
     *
     * @return the registration; close it when the thread is done with it
     * @throws IOException if the registration file cannot be created
     */
    public NamedPostWait postWait() throws IOException {
        return NamedPostWait.register(this);
    }

    /**
     * Opens the event of this name, or creates it with the given kind and state.
     *
     * @param name the name
     * @param manualReset for a creation: true for manual-reset
     * @param initiallySignaled for a creation: the initial state
     * @return a new handle
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error
     */
    public NamedEvent event(String name, boolean manualReset, boolean initiallySignaled) throws IOException {
        Names.check(name);
        Mapping.Opened o = open(name, Kind.EVENT, manualReset ? 1L : 0L, 0L,
                body -> body.putLong((int) SyncLayout.STATE, initiallySignaled ? EventProxy.SIGNALED : 0L), EventProxy::new);
        return new NamedEvent(new HandleState<>(o, EventProxy.class));
    }

    /**
     * Opens the mutex of this name, or creates it free.
     *
     * @param name the name
     * @return a new handle
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error
     */
    public NamedMutex mutex(String name) throws IOException {
        Names.check(name);
        Mapping.Opened o = open(name, Kind.MUTEX, 0L, HeaderLayout.FAIRNESS_HAND_OFF, body -> { }, MutexProxy::new);
        return new NamedMutex(new HandleState<>(o, MutexProxy.class));
    }

    /**
     * Opens the mutex of this name if it was made with {@code fairness}, or creates it free
     * with that mode, which it keeps for life ({@link NamedMutex#fairness()}; see
     * {@link Fairness} and {@link NamedMutex} for what each mode does between processes).
     *
     * <pre>{@code
     * NamedMutex cache = ns.mutex("cache-writer", Fairness.BARGING);
     * }</pre>
     *
     * @param name the name
     * @param fairness the mode to create with, and that an existing mutex must have
     * @return a new handle
     * @throws NullPointerException if {@code fairness} is null
     * @throws WrongFairnessException if the name holds a mutex made with the other mode
     *         (nothing is opened or changed)
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error
     */
    public NamedMutex mutex(String name, Fairness fairness) throws IOException {
        Names.check(name);
        Objects.requireNonNull(fairness, "fairness");
        Mapping.Opened o = open(name, Kind.MUTEX, 0L, fairnessCode(fairness), body -> { }, MutexProxy::new);
        NamedMutex m = new NamedMutex(new HandleState<>(o, MutexProxy.class));
        checkFairness(m, m.fairness(), fairness, "mutex", name);
        return m;
    }

    private static long fairnessCode(Fairness fairness) {
        return fairness == Fairness.BARGING ? HeaderLayout.FAIRNESS_BARGING : HeaderLayout.FAIRNESS_HAND_OFF;
    }

    /** Closes {@code handle} and throws if the object it opened was made with another mode. */
    private void checkFairness(NamedObject handle, Fairness actual, Fairness requested, String kind, String name)
            throws WrongFairnessException {
        if (actual != requested) {
            handle.close();
            throw new WrongFairnessException("named " + kind + " " + Names.quote(name) + " in " + directory + " was created "
                    + actual + ", not " + requested + " (the mode is chosen at creation; open it without a fairness "
                    + "argument to take it as it is)", requested, actual);
        }
    }

    /**
     * Opens the semaphore of this name, or creates it with {@code initial} of {@code max}
     * permits. The arguments are checked also when the object exists.
     *
     * @param name the name
     * @param initial for a creation: the initial count, 0 to {@code max}
     * @param max for a creation: the maximum, at least 1
     * @return a new handle
     * @throws IllegalArgumentException if {@code max < 1} or {@code initial} is not in 0..max
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error
     */
    public NamedSemaphore semaphore(String name, int initial, int max) throws IOException {
        Names.check(name);
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        if (initial < 0 || initial > max) {
            throw new IllegalArgumentException("initial must be between 0 and max (" + max + "): " + initial);
        }
        return openSemaphore(name, initial, max, HeaderLayout.FAIRNESS_HAND_OFF);
    }

    /**
     * Opens the semaphore of this name if it was made with {@code fairness}, or creates it
     * with {@code initial} of {@code max} permits and that mode, which it keeps for life
     * ({@link NamedSemaphore#fairness()}; see {@link Fairness} and {@link NamedSemaphore} for
     * what each mode does between processes). The arguments are checked also when the object
     * exists; an existing semaphore keeps its own count and maximum.
     *
     * @param name the name
     * @param initial for a creation: the initial count, 0 to {@code max}
     * @param max for a creation: the maximum, at least 1
     * @param fairness the mode to create with, and that an existing semaphore must have
     * @return a new handle
     * @throws IllegalArgumentException if {@code max < 1} or {@code initial} is not in 0..max
     * @throws NullPointerException if {@code fairness} is null
     * @throws WrongFairnessException if the name holds a semaphore made with the other mode
     *         (nothing is opened or changed)
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error
     */
    public NamedSemaphore semaphore(String name, int initial, int max, Fairness fairness) throws IOException {
        Names.check(name);
        Objects.requireNonNull(fairness, "fairness");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        if (initial < 0 || initial > max) {
            throw new IllegalArgumentException("initial must be between 0 and max (" + max + "): " + initial);
        }
        NamedSemaphore s = openSemaphore(name, initial, max, fairnessCode(fairness));
        checkFairness(s, s.fairness(), fairness, "semaphore", name);
        return s;
    }

    private NamedSemaphore openSemaphore(String name, int initial, int max, long fairness) throws IOException {
        Mapping.Opened o = open(name, Kind.SEMAPHORE, max, fairness, body -> body.putLong((int) SyncLayout.STATE, initial),
                SemaphoreProxy::new);
        return new NamedSemaphore(new HandleState<>(o, SemaphoreProxy.class));
    }

    /**
     * Opens the message queue of this name, or creates it empty with room for
     * {@code capacity} messages of at most {@code maxMessageSize} bytes. The arguments are
     * checked also when the queue exists.
     *
     * @param name the name
     * @param capacity for a creation: the most messages, 1 to 65535
     * @param maxMessageSize for a creation: the largest message in bytes, 0 to 16 MiB
     * @return a new handle
     * @throws IllegalArgumentException if an argument is out of range, or the queue would need
     *         more than 1 GiB
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error (a full file system among them)
     */
    public NamedMessageQueue messageQueue(String name, int capacity, int maxMessageSize) throws IOException {
        Names.check(name);
        String bad = QueueLayout.checkParams(capacity, maxMessageSize);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        Mapping.Opened o = open(name, Kind.MESSAGE_QUEUE, capacity, maxMessageSize,
                body -> body.putLong((int) SyncLayout.STATE, QueueLayout.initialValue(capacity)), QueueProxy::new);
        return new NamedMessageQueue(new HandleState<>(o, QueueProxy.class));
    }

    /**
     * Opens the pipe of this name, or creates it empty with a buffer of {@code capacity} bytes.
     * The argument is checked also when the pipe exists.
     *
     * @param name the name
     * @param capacity for a creation: the buffer's size, 1 byte to 64 MiB
     * @return a new handle
     * @throws IllegalArgumentException if {@code capacity} is out of range
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error
     */
    public NamedPipe pipe(String name, int capacity) throws IOException {
        Names.check(name);
        String bad = PipeLayout.checkCapacity(capacity);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        Mapping.Opened o = open(name, Kind.PIPE, capacity, 0L, body -> { }, PipeProxy::new);
        return new NamedPipe(new HandleState<>(o, PipeProxy.class));
    }

    /**
     * Opens the shared section of this name, or creates it with {@code size} zero bytes. The
     * argument is checked also when the section exists, which is opened with its own size.
     *
     * @param name the name
     * @param size for a creation: bytes, 1 to 64 GiB
     * @return a new handle
     * @throws IllegalArgumentException if {@code size} is out of range
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IOException on an I/O error (a full file system among them)
     */
    public SharedSection section(String name, long size) throws IOException {
        Names.check(name);
        String bad = SectionLayout.checkSize(size);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        Mapping.Opened o = open(name, Kind.SECTION, size, 0L, body -> { }, SectionProxy::new);
        return new SharedSection(new HandleState<>(o, SectionProxy.class));
    }

    /**
     * Opens an existing object; never creates one.
     *
     * @param name the name
     * @param kind {@code NamedEvent.class}, {@code NamedMutex.class}, {@code NamedSemaphore.class},
     *        {@code NamedMessageQueue.class}, {@code NamedPipe.class}, {@code SharedSection.class},
     *        or {@code NamedObject.class} for whatever the name holds
     * @param <T> the handle type
     * @return a new handle
     * @throws NoSuchFileException if no object has this name
     * @throws WrongKindException if the name holds another kind
     * @throws CorruptObjectException if the file is damaged
     * @throws IllegalArgumentException if the name is invalid or {@code kind} is not a kind of
     *         named object this module has
     * @throws IOException on an I/O error
     */
    public <T extends NamedObject> T openExisting(String name, Class<T> kind) throws IOException {
        Names.check(name);
        Objects.requireNonNull(kind, "kind");
        Kind k;
        if (kind == NamedEvent.class) {
            k = Kind.EVENT;
        } else if (kind == NamedMutex.class) {
            k = Kind.MUTEX;
        } else if (kind == NamedSemaphore.class) {
            k = Kind.SEMAPHORE;
        } else if (kind == NamedMessageQueue.class) {
            k = Kind.MESSAGE_QUEUE;
        } else if (kind == NamedPipe.class) {
            k = Kind.PIPE;
        } else if (kind == SharedSection.class) {
            k = Kind.SECTION;
        } else if (kind == NamedObject.class) {
            Listing.Entry e;
            try {
                e = Listing.describe(directory.resolve(name));
            } catch (NoSuchFileException absent) {
                throw new NoSuchFileException(directory.resolve(name).toString(), null, "no named object " + Names.quote(name));
            }
            if (e.kind().equals("corrupt")) {
                throw new CorruptObjectException(directory.resolve(name) + ": " + e.state());
            }
            return kind.cast(switch (e.kind()) {
                case "event" -> openExisting(name, NamedEvent.class);
                case "mutex" -> openExisting(name, NamedMutex.class);
                case "message-queue" -> openExisting(name, NamedMessageQueue.class);
                case "pipe" -> openExisting(name, NamedPipe.class);
                case "section" -> openExisting(name, SharedSection.class);
                default -> openExisting(name, NamedSemaphore.class);
            });
        } else {
            throw new IllegalArgumentException("not a kind of named object this module opens: " + kind.getName());
        }
        Mapping.Opened o;
        try {
            o = open(name, k, 0L, 0L, null, factory(k));
        } catch (NoSuchFileException absent) {
            throw new NoSuchFileException(directory.resolve(name).toString(), null, "no named object " + Names.quote(name));
        }
        return kind.cast(switch (k) {
            case EVENT -> new NamedEvent(new HandleState<>(o, EventProxy.class));
            case MUTEX -> new NamedMutex(new HandleState<>(o, MutexProxy.class));
            case SEMAPHORE -> new NamedSemaphore(new HandleState<>(o, SemaphoreProxy.class));
            case MESSAGE_QUEUE -> new NamedMessageQueue(new HandleState<>(o, QueueProxy.class));
            case PIPE -> new NamedPipe(new HandleState<>(o, PipeProxy.class));
            case SECTION -> new SharedSection(new HandleState<>(o, SectionProxy.class));
        });
    }

    private static Function<Mapping, NamedProxy> factory(Kind k) {
        return switch (k) {
            case EVENT -> EventProxy::new;
            case MUTEX -> MutexProxy::new;
            case SEMAPHORE -> SemaphoreProxy::new;
            case MESSAGE_QUEUE -> QueueProxy::new;
            case PIPE -> PipeProxy::new;
            case SECTION -> SectionProxy::new;
        };
    }

    private Mapping.Opened open(String name, Kind kind, long param0, long param1, Mapping.Initializer init,
            Function<Mapping, NamedProxy> factory) throws IOException {
        try {
            return Mapping.open(directory, name, kind, param0, param1, init, groupShared, factory);
        } catch (Mapping.WrongKind e) {
            throw new WrongKindException("named object " + Names.quote(name) + " in " + directory + " is a "
                    + e.actual().label() + ", not a " + kind.label());
        } catch (HeaderLayout.CorruptException e) {
            throw new CorruptObjectException(directory.resolve(name) + ": " + e.getMessage());
        }
    }

    // ---- listing and removal

    /**
     * Describes every object of the namespace, sorted by name; a file that cannot be read as an
     * object is listed with kind {@code corrupt} and the reason as its state. Files whose names
     * start with {@code .} (creations in progress, {@link NamedPostWait} registrations) are not listed. Listing neither opens nor
     * maps anything.
     *
     * @return the snapshots
     * @throws IOException if the directory cannot be read
     */
    public List<NamedObjectInfo> list() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        List<NamedObjectInfo> out = new ArrayList<>(files.size());
        for (Path p : files) {
            Listing.Entry e;
            try {
                e = Listing.describe(p);
            } catch (NoSuchFileException gone) {
                continue; // unlinked meanwhile
            } catch (IOException unreadable) {
                e = new Listing.Entry("corrupt", "unreadable: " + unreadable.getMessage(), -1, 0, -1);
            }
            out.add(new NamedObjectInfo(p.getFileName().toString(), e.kind(), e.state(),
                    e.ownerPid() < 0 ? OptionalLong.empty() : OptionalLong.of(e.ownerPid()), e.waiters(), Math.max(0, e.openers())));
        }
        return out;
    }

    /**
     * Removes a name (see the class comment for what happens to processes that have the object
     * open, and the race to avoid).
     *
     * @param name the name
     * @return true if it existed
     * @throws IOException if it cannot be removed
     */
    public boolean unlink(String name) throws IOException {
        Names.check(name);
        return Files.deleteIfExists(directory.resolve(name));
    }

    /**
     * Describes the namespace.
     *
     * @return for example {@code Namespace[/run/user/1000/waitkit]}
     */
    @Override
    public String toString() {
        return "Namespace[" + directory + "]";
    }
}
