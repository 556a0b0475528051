package io.waitkit.ipc.internal;

/*
 * The few libc functions the ipc module needs besides futex: open, close, flock, getuid, getpid
 * and kill, bound once through the FFM API with errno captured right after each call.
 *
 * What holds: every binding goes through the default lookup of the native linker (glibc or musl
 * of the running JVM); none uses the critical option, because open and flock may block (flock
 * without LOCK_NB waits for the lock; open may wait on a slow file system). The errno of a call
 * is read from its own capture segment, never from a thread-global, so a JVM-internal libc call
 * between the downcall and the read cannot change it. The flag values and errno numbers are those
 * of Linux on x86_64 and aarch64 (the generic ABI); on other systems nothing links and
 * available() says false.
 *
 * Failure modes: when the bindings cannot be linked (not Linux, an unknown architecture, native
 * access denied with --illegal-native-access=deny) the class still loads; available() is false,
 * unavailableReason() says why and every binding throws IllegalStateException. Errors of a call
 * become IOExceptions naming the errno (NoSuchFileException, AccessDeniedException and
 * FileAlreadyExistsException for the three that java.nio.file has types for). flock retries
 * EINTR by itself; close does not retry (on Linux the descriptor is gone even after EINTR, and
 * retrying could close a descriptor another thread has just opened). kill refuses pids <= 0,
 * which would signal process groups or every process the user may signal.
 */

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Bindings of the libc functions {@code open}, {@code close}, {@code flock}, {@code getuid},
 * {@code getpid} and {@code kill} (Linux, x86_64 and aarch64), with errno turned into
 * {@link IOException}s that name it. When the bindings cannot be linked, {@link #available()}
 * is false and every binding throws {@link IllegalStateException}.
 */
public final class Posix {
    /** {@code flock} operation: a shared lock. */
    public static final int LOCK_SH = 1;
    /** {@code flock} operation: an exclusive lock. */
    public static final int LOCK_EX = 2;
    /** {@code flock} flag: fail instead of waiting when the lock is held elsewhere. */
    public static final int LOCK_NB = 4;
    /** {@code flock} operation: release the lock. */
    public static final int LOCK_UN = 8;

    /** errno: operation not permitted. */
    public static final int EPERM = 1;
    /** errno: no such file or directory. */
    public static final int ENOENT = 2;
    /** errno: no such process. */
    public static final int ESRCH = 3;
    /** errno: interrupted system call. */
    public static final int EINTR = 4;
    /** errno: bad file descriptor. */
    public static final int EBADF = 9;
    /** errno: try again; the same number as {@code EWOULDBLOCK} on Linux. */
    public static final int EAGAIN = 11;
    /** errno: permission denied. */
    public static final int EACCES = 13;
    /** errno: bad address. */
    public static final int EFAULT = 14;
    /** errno: file exists. */
    public static final int EEXIST = 17;
    /** errno: invalid argument. */
    public static final int EINVAL = 22;
    /** errno: function not implemented. */
    public static final int ENOSYS = 38;
    /** errno: connection timed out (futex timeouts). */
    public static final int ETIMEDOUT = 110;

    static final int O_RDWR = 2;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    static final int MODE_0600 = 0600;

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle FLOCK;
    private static final MethodHandle GETUID;
    private static final MethodHandle GETPID;
    private static final MethodHandle KILL;
    private static final MemoryLayout CAPTURE_LAYOUT;
    private static final VarHandle ERRNO;
    private static final String UNAVAILABLE;

    static {
        MethodHandle open = null;
        MethodHandle close = null;
        MethodHandle flock = null;
        MethodHandle getuid = null;
        MethodHandle getpid = null;
        MethodHandle kill = null;
        MemoryLayout capture = null;
        VarHandle errno = null;
        String unavailable = null;
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            unavailable = "not Linux (os.name=" + os + ")";
        } else if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            unavailable = "unsupported architecture " + arch + " (x86_64 and aarch64 only)";
        } else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                ValueLayout i = ValueLayout.JAVA_INT;
                open = link(linker, libc, "open", FunctionDescriptor.of(i, ValueLayout.ADDRESS, i, i),
                        errnoOption, Linker.Option.firstVariadicArg(2));
                close = link(linker, libc, "close", FunctionDescriptor.of(i, i), errnoOption);
                flock = link(linker, libc, "flock", FunctionDescriptor.of(i, i, i), errnoOption);
                getuid = link(linker, libc, "getuid", FunctionDescriptor.of(i));
                getpid = link(linker, libc, "getpid", FunctionDescriptor.of(i));
                kill = link(linker, libc, "kill", FunctionDescriptor.of(i, i, i), errnoOption);
                capture = Linker.Option.captureStateLayout();
                errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            } catch (IllegalCallerException e) {
                unavailable = "native access denied (" + e.getMessage()
                        + "); run with --enable-native-access=io.waitkit.ipc (ALL-UNNAMED on the class path)";
            } catch (RuntimeException | LinkageError e) {
                unavailable = "libc bindings failed to link: " + e;
            }
        }
        if (unavailable != null) {
            open = close = flock = getuid = getpid = kill = null;
            capture = null;
            errno = null;
        }
        OPEN = open;
        CLOSE = close;
        FLOCK = flock;
        GETUID = getuid;
        GETPID = getpid;
        KILL = kill;
        CAPTURE_LAYOUT = capture;
        ERRNO = errno;
        UNAVAILABLE = unavailable;
    }

    private Posix() {
    }

    @SuppressWarnings("restricted")
    private static MethodHandle link(Linker linker, SymbolLookup libc, String name, FunctionDescriptor fd,
            Linker.Option... options) {
        MemorySegment symbol = libc.find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no symbol " + name));
        return linker.downcallHandle(symbol, fd, options);
    }

    /**
     * Whether the bindings could be linked: Linux on x86_64 or aarch64, with native access.
     *
     * @return true when every binding of this class may be called
     */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /**
     * Why the bindings are unavailable.
     *
     * @return the reason, or null when {@link #available()} is true
     */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * Opens a file for reading and writing, close-on-exec; with {@code create} the file must not
     * exist yet and is created with mode {@code 0600} (less the umask).
     *
     * @param path the file
     * @param create whether to create it ({@code O_CREAT | O_EXCL})
     * @return the file descriptor
     * @throws NoSuchFileException when the file (or, with {@code create}, its directory) does not exist
     * @throws AccessDeniedException when permission is denied
     * @throws FileAlreadyExistsException when {@code create} is true and the file exists
     * @throws IOException for any other errno
     * @throws IllegalStateException when the bindings are unavailable
     */
    public static int open(Path path, boolean create) throws IOException {
        requireAvailable();
        String file = path.toAbsolutePath().toString();
        int flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            MemorySegment name = arena.allocateFrom(file);
            while (true) {
                int fd = (int) OPEN.invokeExact(capture, name, flags, MODE_0600);
                if (fd >= 0) {
                    return fd;
                }
                int errno = errno(capture);
                switch (errno) {
                    case EINTR:
                        continue;
                    case ENOENT:
                        throw new NoSuchFileException(file, null, describe(errno));
                    case EACCES:
                    case EPERM:
                        throw new AccessDeniedException(file, null, describe(errno));
                    case EEXIST:
                        throw new FileAlreadyExistsException(file, null, describe(errno));
                    default:
                        throw new IOException("open " + file + ": " + describe(errno));
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Closes a file descriptor. Not retried after {@code EINTR}: Linux releases the descriptor
     * even then.
     *
     * @param fd the descriptor
     * @throws IOException when {@code close} fails with anything but {@code EINTR} (for
     *         example {@code EBADF}: not open, or already closed)
     * @throws IllegalStateException when the bindings are unavailable
     */
    public static void close(int fd) throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) CLOSE.invokeExact(capture, fd);
            if (r != 0) {
                int errno = errno(capture);
                if (errno != EINTR) {
                    throw new IOException("close fd " + fd + ": " + describe(errno));
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Applies or removes an advisory lock on the open file description of {@code fd}
     * ({@code flock(2)}); retries when a signal interrupts it.
     *
     * @param fd the descriptor
     * @param op {@link #LOCK_SH}, {@link #LOCK_EX} or {@link #LOCK_UN}, optionally or-ed with
     *        {@link #LOCK_NB}
     * @return true when done; false only when {@link #LOCK_NB} was given and the lock is held in
     *         a conflicting mode elsewhere ({@code EWOULDBLOCK})
     * @throws IOException for any other errno ({@code EBADF}, {@code EINVAL}, ...)
     * @throws IllegalStateException when the bindings are unavailable
     */
    public static boolean flock(int fd, int op) throws IOException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            while (true) {
                int r = (int) FLOCK.invokeExact(capture, fd, op);
                if (r == 0) {
                    return true;
                }
                int errno = errno(capture);
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN && (op & LOCK_NB) != 0) {
                    return false;
                }
                throw new IOException("flock fd " + fd + " op " + op + ": " + describe(errno));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The real user id of this process.
     *
     * @return the uid (an unsigned 32-bit value in an int)
     * @throws IllegalStateException when the bindings are unavailable
     */
    public static int getuid() {
        requireAvailable();
        try {
            return (int) GETUID.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The process id of this process, as the kernel sees it in this process's pid namespace.
     *
     * @return the pid
     * @throws IllegalStateException when the bindings are unavailable
     */
    public static int getpid() {
        requireAvailable();
        try {
            return (int) GETPID.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Sends a signal to one process ({@code kill(2)}); signal 0 only checks that the process
     * exists and may be signalled.
     *
     * @param pid the process, greater than 0 (0 and negative pids, which address process
     *        groups, are refused)
     * @param signal the signal number, 0 to check only
     * @return 0 when sent, else the errno ({@link #ESRCH}: no such process; {@link #EPERM}: not
     *         permitted; {@link #EINVAL}: bad signal)
     * @throws IllegalArgumentException when {@code pid} is not in {@code 1..Integer.MAX_VALUE}
     * @throws IllegalStateException when the bindings are unavailable
     */
    public static int kill(long pid, int signal) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kill: pid out of range: " + pid);
        }
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
            int r = (int) KILL.invokeExact(capture, (int) pid, signal);
            return r == 0 ? 0 : errno(capture);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The symbolic name of an errno value, for messages.
     *
     * @param errno the errno value
     * @return its name ({@code "EAGAIN"}, ...) or {@code "errno <n>"} for one not in the table
     */
    public static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case 12 -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EEXIST -> "EEXIST";
            case 20 -> "ENOTDIR";
            case 21 -> "EISDIR";
            case EINVAL -> "EINVAL";
            case 24 -> "EMFILE";
            case 28 -> "ENOSPC";
            case 30 -> "EROFS";
            case 36 -> "ENAMETOOLONG";
            case ENOSYS -> "ENOSYS";
            case 40 -> "ELOOP";
            case 95 -> "EOPNOTSUPP";
            case ETIMEDOUT -> "ETIMEDOUT";
            default -> "errno " + errno;
        };
    }

    /**
     * An errno value as {@code strerror} would put it, prefixed by its name.
     *
     * @param errno the errno value
     * @return for example {@code "EACCES (Permission denied)"}
     */
    public static String describe(int errno) {
        String text = switch (errno) {
            case EPERM -> "Operation not permitted";
            case ENOENT -> "No such file or directory";
            case ESRCH -> "No such process";
            case EINTR -> "Interrupted system call";
            case EBADF -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case 12 -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EFAULT -> "Bad address";
            case EEXIST -> "File exists";
            case 20 -> "Not a directory";
            case 21 -> "Is a directory";
            case EINVAL -> "Invalid argument";
            case 24 -> "Too many open files";
            case 28 -> "No space left on device";
            case 30 -> "Read-only file system";
            case 36 -> "File name too long";
            case ENOSYS -> "Function not implemented";
            case 40 -> "Too many levels of symbolic links";
            case 95 -> "Operation not supported";
            case ETIMEDOUT -> "Connection timed out";
            default -> null;
        };
        return text == null ? errnoName(errno) : errnoName(errno) + " (" + text + ")";
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static void requireAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("libc bindings unavailable: " + UNAVAILABLE);
        }
    }
}
