package io.waitkit.ipc.internal;

/*
 * The few system calls the ipc module needs besides futex: open, close, flock, getuid, getpid
 * and kill, made through libc's syscall() by one FFM binding, with errno captured right after
 * each call.
 *
 * Why one binding: linking a downcall is the largest part of a short process's start-up that
 * this module adds (each distinct function shape generates its own stub classes and method
 * handle forms at run time, which no class-data archive holds: about 10 ms each on 2 cores,
 * the first one more). syscall(long, long...) with six long arguments serves every call here,
 * so a process links one shape, whichever calls it makes. The arguments are what the kernel
 * reads (an int is passed widened to a long, as syscall() reads its variadic arguments; a path
 * as the address of its NUL-terminated copy, which lives in a confined arena that the calling
 * method keeps open across the call). open is openat(AT_FDCWD, ...), which is what libc's
 * open does, and the only form aarch64 has.
 *
 * What holds: the binding goes through the default lookup of the native linker (glibc or musl
 * of the running JVM); it does not use the critical option, because open and flock may block
 * (flock without LOCK_NB waits for the lock; open may wait on a slow file system). The errno of a
 * call is read from its own capture segment, never from a thread-global, so a JVM-internal libc
 * call between the downcall and the read cannot change it. The call numbers, flag values and
 * errno numbers are those of Linux on x86_64 and aarch64 (the generic ABI); on other systems
 * nothing links and available() says false.
 *
 * Failure modes: when the binding cannot be linked (not Linux, an unknown architecture, native
 * access denied with --illegal-native-access=deny) the class still loads; available() is false,
 * unavailableReason() says why and every call throws IllegalStateException. Errors of a call
 * become IOExceptions naming the errno (NoSuchFileException, AccessDeniedException and
 * FileAlreadyExistsException for the three that java.nio.file has types for). flock retries
 * EINTR by itself; close does not retry (on Linux the descriptor is gone even after EINTR, and
 * retrying could close a descriptor another thread has just opened). kill refuses pids <= 0,
 * which would signal process groups or every process the user may signal.
 */

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The system calls {@code open}, {@code close}, {@code flock}, {@code getuid}, {@code getpid}
 * and {@code kill} (Linux, x86_64 and aarch64), made through one binding of libc's
 * {@code syscall}, with errno turned into {@link IOException}s that name it. When the binding
 * cannot be linked, {@link #available()} is false and every call throws
 * {@link IllegalStateException}.
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

    static final long AT_FDCWD = -100;

    /**
     * {@code long syscall(long number, ...)} with six variadic long arguments, errno captured.
     */
    private static final MethodHandle SYSCALL;
    private static final MemoryLayout CAPTURE_LAYOUT;
    private static final long ERRNO_OFFSET;
    /** The call numbers of this architecture: openat, close, flock, getuid, getpid, kill. */
    private static final long SYS_OPENAT;
    private static final long SYS_CLOSE;
    private static final long SYS_FLOCK;
    private static final long SYS_GETUID;
    private static final long SYS_GETPID;
    private static final long SYS_KILL;
    private static final String UNAVAILABLE;

    static {
        ValueLayout l = ValueLayout.JAVA_LONG;
        LinuxSyscall.Binding b = LinuxSyscall.link(FunctionDescriptor.of(l, l, l, l, l, l, l, l));
        SYSCALL = b.handle();
        CAPTURE_LAYOUT = b.captureLayout();
        ERRNO_OFFSET = b.errnoOffset();
        SYS_OPENAT = LinuxSyscall.number(257, 56);
        SYS_CLOSE = LinuxSyscall.number(3, 57);
        SYS_FLOCK = LinuxSyscall.number(73, 32);
        SYS_GETUID = LinuxSyscall.number(102, 174);
        SYS_GETPID = LinuxSyscall.number(39, 172);
        SYS_KILL = LinuxSyscall.number(62, 129);
        UNAVAILABLE = b.unavailable();
    }

    private Posix() {
    }

    /** One system call; -1 with the errno in {@code capture} on failure. */
    private static long syscall(MemorySegment capture, long nr, long a1, long a2, long a3, long a4) throws Throwable {
        return (long) SYSCALL.invokeExact(capture, nr, a1, a2, a3, a4, 0L, 0L);
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
                long fd = syscall(capture, SYS_OPENAT, AT_FDCWD, name.address(), flags, MODE_0600);
                if (fd >= 0) {
                    return (int) fd;
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
            long r = syscall(capture, SYS_CLOSE, fd, 0L, 0L, 0L);
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
                long r = syscall(capture, SYS_FLOCK, fd, op, 0L, 0L);
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
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena.allocate(CAPTURE_LAYOUT), SYS_GETUID, 0L, 0L, 0L, 0L);
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
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena.allocate(CAPTURE_LAYOUT), SYS_GETPID, 0L, 0L, 0L, 0L);
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
            long r = syscall(capture, SYS_KILL, pid, signal, 0L, 0L);
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
        return capture.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    private static void requireAvailable() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("libc bindings unavailable: " + UNAVAILABLE);
        }
    }
}
