package io.waitkit.ipc.internal;

/*
 * Blocking on 32-bit words in shared memory: FUTEX_WAIT and FUTEX_WAKE on one word, and
 * futex_waitv on up to 128 words at once, called through libc's syscall() by the FFM API; plus
 * the choice, made once, of the backend the ipc objects block with (futex_waitv, futex, or
 * polling where neither works).
 *
 * What holds: the words live in MAP_SHARED file mappings that other processes map too, so no
 * call uses FUTEX_PRIVATE_FLAG (nor FUTEX2_PRIVATE): the kernel keys each wait by the file's
 * inode and the word's offset, and a wake through one mapping reaches a waiter in any other
 * mapping of the same file, in this process or another. Every word is 4-byte aligned and the
 * segment handed in starts at the word; anything else is refused before the call. Each call
 * captures its own errno (captureCallState), so nothing the JVM does between the system call
 * and the read can change it. No binding uses the critical option: the calls block.
 *
 * Races and failure modes: a wait returns WOKEN also for a wake meant for someone else or for
 * no reason at all (the kernel allows spurious returns), and CHANGED when the word differed from
 * the expected value when the kernel looked; callers re-read the word and loop. A Java interrupt
 * does not end a wait in the kernel (Thread.interrupt sends no signal); INTERRUPTED only comes
 * from an OS signal, so callers bound their waits and check the interrupt status between them.
 * A virtual thread that calls wait pins its carrier for the whole wait. Futex.wait passes the
 * word as a segment, so its arena cannot be closed during the call (closing a shared arena then
 * fails); a WaitvBatch holds raw addresses, so the caller must keep the mappings open until
 * await returns (the batch keeps the segments reachable, which keeps auto arenas mapped, but an
 * explicitly closed arena unmaps: the kernel then answers EFAULT, or waits on whatever was
 * mapped there since). The futex_waitv deadline is absolute on CLOCK_MONOTONIC, which is what
 * System.nanoTime reads on Linux HotSpot; a test checks that the two agree. Errors other than
 * the four results (EFAULT, EINVAL, ENOSYS, ...) are bugs or a missing backend and throw
 * IllegalStateException naming the errno.
 */

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Futex system calls on 32-bit words in shared file mappings (Linux, x86_64 and aarch64), and
 * the blocking backend of the ipc objects ({@link #backend()}).
 *
 * <p>Results: {@link #wait} returns {@link #WOKEN}, {@link #CHANGED}, {@link #TIMED_OUT} or
 * {@link #INTERRUPTED}; {@link WaitvBatch#await} returns the index of a woken word or one of
 * the three negative codes.
 */
public final class Futex {
    /** Woken by a {@link #wake} (or spuriously): re-read the word. */
    public static final int WOKEN = 0;
    /** The word did not hold the expected value when the kernel looked ({@code EAGAIN}). */
    public static final int CHANGED = -1;
    /** The timeout or deadline passed ({@code ETIMEDOUT}). */
    public static final int TIMED_OUT = -2;
    /** A signal interrupted the wait ({@code EINTR}); a Java interrupt does not do this. */
    public static final int INTERRUPTED = -3;

    /** The system property that forces a backend: {@code futex_waitv}, {@code futex} or {@code polling}. */
    public static final String BACKEND_PROPERTY = "io.waitkit.ipc.backend";

    /** The most words one {@code futex_waitv} call waits for ({@code FUTEX_WAITV_MAX}). */
    public static final int WAITV_MAX = 128;

    /** How the ipc objects block. */
    public enum Backend {
        /** {@code futex_waitv} (Linux 5.16+): one system call waits for many words. */
        FUTEX_WAITV,
        /** {@code futex} only: a wait for several words needs one thread per word, or polling. */
        FUTEX,
        /** No futex: waiters re-read the words with back-off. */
        POLLING
    }

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final int CLOCK_MONOTONIC = 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long WAITV_ENTRY_BYTES = 24;

    private static final long SYS_FUTEX = LinuxSyscall.number(202, 98);
    private static final long SYS_FUTEX_WAITV = 449;

    /**
     * The binding, linked when a futex call is first needed (not when the class loads: a short
     * process that never sleeps or wakes anyone, such as one that sets an event nobody waits
     * for, then links nothing for it).
     */
    private static final class Bound {
        /**
         * {@code long syscall(long number, ...)} with six variadic arguments, the shapes of both
         * calls: {@code (addr, long, long, addr, long, long)}. futex: uaddr, op, val, timeout,
         * uaddr2, val3; futex_waitv: waiters, nr_futexes, flags, timeout, clockid, unused.
         */
        static final MethodHandle SYSCALL;
        static final MemoryLayout CAPTURE_LAYOUT;
        static final long ERRNO_OFFSET;
        static final String UNAVAILABLE;

        static {
            ValueLayout l = ValueLayout.JAVA_LONG;
            ValueLayout a = ValueLayout.ADDRESS;
            LinuxSyscall.Binding b = LinuxSyscall.link(FunctionDescriptor.of(l, l, a, l, l, a, l, l));
            SYSCALL = b.handle();
            CAPTURE_LAYOUT = b.captureLayout();
            ERRNO_OFFSET = b.errnoOffset();
            UNAVAILABLE = b.unavailable();
        }

        private Bound() {
        }
    }

    /** Per-thread scratch of {@link #wait} and {@link #wake}: the errno capture and a timespec. */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(Futex::newScratch);

    private Futex() {
    }

    /** Scratch layout: the capture state first, then a 16-byte timespec at {@link #scratchTimespec}. */
    private static MemorySegment newScratch() {
        return Arena.ofAuto().allocate(scratchTimespec() + 16, 8);
    }

    private static long scratchTimespec() {
        long size = Bound.CAPTURE_LAYOUT.byteSize();
        return (size + 7) & ~7L;
    }

    /**
     * Whether the futex system calls can be called at all: Linux on x86_64 or aarch64, with
     * native access. Says nothing about which calls the kernel has; see {@link #backend()}.
     * Links the binding if no call did yet.
     *
     * @return true when the bindings linked
     */
    public static boolean linked() {
        return Bound.UNAVAILABLE == null;
    }

    /**
     * Waits on a word while it holds {@code expected} ({@code FUTEX_WAIT}, shared), at most
     * {@code timeoutNanos} (measured on {@code CLOCK_MONOTONIC}).
     *
     * @param word a native segment starting at a 4-byte aligned 32-bit word, normally in a
     *        {@code MAP_SHARED} file mapping
     * @param expected the value the word must still hold for the thread to sleep
     * @param timeoutNanos the longest wait; negative for none, 0 to only check the value
     * @return {@link #WOKEN}, {@link #CHANGED}, {@link #TIMED_OUT} or {@link #INTERRUPTED}
     * @throws IllegalArgumentException when the segment is not native, too short or misaligned
     * @throws IllegalStateException on any other errno, or when futex cannot be called
     */
    public static int wait(MemorySegment word, int expected, long timeoutNanos) {
        checkWord(word);
        requireLinked();
        MemorySegment scratch = SCRATCH.get();
        MemorySegment timeout = MemorySegment.NULL;
        if (timeoutNanos >= 0) {
            timeout = scratch.asSlice(scratchTimespec(), 16);
            timeout.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / NANOS_PER_SECOND);
            timeout.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % NANOS_PER_SECOND);
        }
        long r = syscall(scratch, SYS_FUTEX, word, FUTEX_WAIT, expected & 0xFFFF_FFFFL, timeout, 0, 0);
        if (r == 0) {
            return WOKEN;
        }
        return result(errno(scratch), "futex(FUTEX_WAIT)");
    }

    /**
     * Wakes up to {@code count} threads waiting on a word ({@code FUTEX_WAKE}, shared), in any
     * process that maps the same file.
     *
     * @param word a native segment starting at a 4-byte aligned 32-bit word
     * @param count how many waiters to wake at most, at least 1 ({@link Integer#MAX_VALUE}: all)
     * @return the number of waiters woken
     * @throws IllegalArgumentException when the segment is not native, too short or misaligned,
     *         or {@code count < 1}
     * @throws IllegalStateException when the call fails, or futex cannot be called
     */
    public static int wake(MemorySegment word, int count) {
        checkWord(word);
        if (count < 1) {
            throw new IllegalArgumentException("wake count must be at least 1: " + count);
        }
        requireLinked();
        MemorySegment scratch = SCRATCH.get();
        long r = syscall(scratch, SYS_FUTEX, word, FUTEX_WAKE, count, MemorySegment.NULL, 0, 0);
        if (r >= 0) {
            return (int) r;
        }
        int errno = errno(scratch);
        throw new IllegalStateException("futex(FUTEX_WAKE) failed: " + Posix.describe(errno));
    }

    /**
     * A reusable {@code futex_waitv} call over up to {@value #WAITV_MAX} words: fill it with
     * {@link #add}, block with {@link #await}, {@link #clear} it for the next wait. Made once per
     * waiting thread and used by that thread only; its native memory is freed by the garbage
     * collector once the batch is unreachable.
     */
    public static final class WaitvBatch {
        private final MemorySegment entries;
        private final MemorySegment scratch;
        /** Keeps the words' segments (and so auto arenas' mappings) reachable while they are in the batch. */
        private final MemorySegment[] words = new MemorySegment[WAITV_MAX];
        private int size;

        /**
         * Makes an empty batch with room for {@value #WAITV_MAX} words.
         *
         * @throws IllegalStateException when futex cannot be called
         */
        public WaitvBatch() {
            requireLinked();
            Arena arena = Arena.ofAuto();
            entries = arena.allocate(WAITV_ENTRY_BYTES * WAITV_MAX, 8);
            scratch = arena.allocate(scratchTimespec() + 16, 8);
        }

        /** Empties the batch. */
        public void clear() {
            Arrays.fill(words, 0, size, null);
            size = 0;
        }

        /**
         * Adds a word: {@link #await} sleeps only while it holds {@code expected}, and returns
         * this entry's index (the number of entries before it) when it is woken.
         *
         * @param word a native segment starting at a 4-byte aligned 32-bit word, which must stay
         *        mapped until {@link #await} returns
         * @param expected the value the word must hold for the wait to sleep
         * @throws IllegalArgumentException when the segment is not native, too short or misaligned
         * @throws IllegalStateException when the batch already holds {@value #WAITV_MAX} words
         */
        public void add(MemorySegment word, int expected) {
            checkWord(word);
            if (size == WAITV_MAX) {
                throw new IllegalStateException("a futex_waitv batch holds at most " + WAITV_MAX + " words");
            }
            long base = size * WAITV_ENTRY_BYTES;
            // the kernel refuses (EINVAL) a value with bits above the 32 of FUTEX2_SIZE_U32
            entries.set(ValueLayout.JAVA_LONG, base, expected & 0xFFFF_FFFFL);
            entries.set(ValueLayout.JAVA_LONG, base + 8, word.address());
            entries.set(ValueLayout.JAVA_INT, base + 16, FUTEX2_SIZE_U32);
            entries.set(ValueLayout.JAVA_INT, base + 20, 0);
            words[size++] = word;
        }

        /**
         * The number of words in the batch.
         *
         * @return the number of {@link #add}s since the last {@link #clear}
         */
        public int size() {
            return size;
        }

        /**
         * Waits until one of the words is woken, while every word holds its expected value
         * ({@code futex_waitv}, shared, absolute deadline on {@code CLOCK_MONOTONIC}).
         *
         * @param deadlineNanos the {@link System#nanoTime()} value to wait until;
         *        {@link Long#MAX_VALUE} for no deadline; a past deadline only checks the values
         * @return the index of a woken word (maybe woken spuriously or for another waiter), or
         *         {@link #CHANGED} when a word did not hold its expected value,
         *         {@link #TIMED_OUT} or {@link #INTERRUPTED}
         * @throws IllegalStateException when the batch is empty, or on any other errno (such as
         *         {@code ENOSYS} where the kernel lacks futex_waitv)
         */
        public int await(long deadlineNanos) {
            if (size == 0) {
                throw new IllegalStateException("futex_waitv on an empty batch");
            }
            MemorySegment timeout = MemorySegment.NULL;
            if (deadlineNanos != Long.MAX_VALUE) {
                long d = Math.max(0, deadlineNanos);
                timeout = scratch.asSlice(scratchTimespec(), 16);
                timeout.set(ValueLayout.JAVA_LONG, 0, d / NANOS_PER_SECOND);
                timeout.set(ValueLayout.JAVA_LONG, 8, d % NANOS_PER_SECOND);
            }
            long r = syscall(scratch, SYS_FUTEX_WAITV, entries, size, 0, timeout, CLOCK_MONOTONIC, 0);
            if (r >= 0) {
                return (int) r;
            }
            return result(errno(scratch), "futex_waitv");
        }
    }

    /**
     * The backend the ipc objects block with, chosen once: the one that
     * {@value #BACKEND_PROPERTY} forces, else the best that works here.
     *
     * @return the backend
     * @throws IllegalStateException when the property forces a backend that does not work here
     * @throws IllegalArgumentException when the property has an unknown value
     */
    public static Backend backend() {
        return Chosen.get().backend();
    }

    /**
     * Why {@link #backend()} is what it is, for diagnostics: for example {@code "futex_waitv
     * available (Linux 6.8.0)"} or {@code "forced by -Dio.waitkit.ipc.backend=futex"}.
     *
     * @return the reason
     * @throws IllegalStateException when the property forces a backend that does not work here
     * @throws IllegalArgumentException when the property has an unknown value
     */
    public static String backendReason() {
        return Chosen.get().reason();
    }

    /** The probed choice, or the failure to rethrow; made when first asked for. */
    private static final class Chosen {
        private static final Choice CHOICE;
        private static final RuntimeException FAILURE;

        static {
            Choice choice = null;
            RuntimeException failure = null;
            try {
                choice = probe(System.getProperty(BACKEND_PROPERTY));
            } catch (RuntimeException e) {
                failure = e;
            }
            CHOICE = choice;
            FAILURE = failure;
        }

        static Choice get() {
            if (FAILURE instanceof IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (FAILURE != null) {
                throw new IllegalStateException(FAILURE.getMessage(), FAILURE);
            }
            return CHOICE;
        }
    }

    /**
     * A backend and the reason it was picked.
     *
     * @param backend the backend
     * @param reason why
     */
    record Choice(Backend backend, String reason) {
    }

    /**
     * Probes this system and picks the backend, as {@link #backend()} does once with the
     * system property's value.
     *
     * @param forced the property's value, or null when not set
     * @return the choice
     */
    static Choice probe(String forced) {
        String kernel = kernelRelease();
        String unavailable = Bound.UNAVAILABLE;
        String waitvProblem = unavailable != null ? unavailable : probeWaitv();
        String futexProblem = unavailable != null ? unavailable : probeFutex();
        return choose(forced, kernel, waitvProblem, futexProblem);
    }

    /**
     * The choice itself, from the probes' findings.
     *
     * @param forced the property's value, or null when not set
     * @param kernel the kernel release, for the reason
     * @param waitvProblem why futex_waitv does not work, null when it works
     * @param futexProblem why futex does not work, null when it works
     * @return the choice
     */
    static Choice choose(String forced, String kernel, String waitvProblem, String futexProblem) {
        String linux = "Linux " + kernel;
        if (forced != null) {
            String value = forced.strip().toLowerCase(Locale.ROOT);
            String because = "forced by -D" + BACKEND_PROPERTY + "=" + value;
            switch (value) {
                case "futex_waitv":
                    if (waitvProblem != null) {
                        throw new IllegalStateException("-D" + BACKEND_PROPERTY + "=futex_waitv, but futex_waitv"
                                + " does not work here (" + linux + "): " + waitvProblem);
                    }
                    return new Choice(Backend.FUTEX_WAITV, because);
                case "futex":
                    if (futexProblem != null) {
                        throw new IllegalStateException("-D" + BACKEND_PROPERTY + "=futex, but futex"
                                + " does not work here (" + linux + "): " + futexProblem);
                    }
                    return new Choice(Backend.FUTEX, because);
                case "polling":
                    return new Choice(Backend.POLLING, because);
                default:
                    throw new IllegalArgumentException("-D" + BACKEND_PROPERTY + "=" + forced
                            + ": expected futex_waitv, futex or polling");
            }
        }
        if (waitvProblem == null) {
            return new Choice(Backend.FUTEX_WAITV, "futex_waitv available (" + linux + ")");
        }
        if (futexProblem == null) {
            return new Choice(Backend.FUTEX, "futex available, futex_waitv not (" + linux + "): " + waitvProblem);
        }
        return new Choice(Backend.POLLING, "no futex (" + linux + "): " + futexProblem);
    }

    /**
     * A one-word futex_waitv on a private word whose value differs from the expected one, with
     * a deadline already past: a kernel that has the call answers EAGAIN (it compares before it
     * looks at the deadline), so the probe never blocks.
     *
     * @return null when futex_waitv works, else what went wrong
     */
    private static String probeWaitv() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(4, 4);
            word.set(ValueLayout.JAVA_INT, 0, 1);
            MemorySegment entry = arena.allocate(WAITV_ENTRY_BYTES, 8);
            entry.set(ValueLayout.JAVA_LONG, 0, 0L);
            entry.set(ValueLayout.JAVA_LONG, 8, word.address());
            entry.set(ValueLayout.JAVA_INT, 16, FUTEX2_SIZE_U32);
            entry.set(ValueLayout.JAVA_INT, 20, 0);
            MemorySegment timeout = arena.allocate(16, 8);
            MemorySegment capture = arena.allocate(Bound.CAPTURE_LAYOUT);
            long r = syscall(capture, SYS_FUTEX_WAITV, entry, 1, 0, timeout, CLOCK_MONOTONIC, 0);
            if (r >= 0) {
                return "futex_waitv probe returned " + r + " instead of EAGAIN";
            }
            int errno = errno(capture);
            if (errno == Posix.EAGAIN) {
                return null;
            }
            if (errno == Posix.ENOSYS) {
                return "futex_waitv missing (ENOSYS; needs Linux 5.16+)";
            }
            return "futex_waitv probe failed with " + Posix.describe(errno);
        } catch (RuntimeException e) {
            return "futex_waitv probe failed: " + e;
        }
    }

    /**
     * A FUTEX_WAKE on a private word, which nobody waits for.
     *
     * @return null when futex works, else what went wrong
     */
    private static String probeFutex() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(4, 4);
            MemorySegment capture = arena.allocate(Bound.CAPTURE_LAYOUT);
            long r = syscall(capture, SYS_FUTEX, word, FUTEX_WAKE, 1, MemorySegment.NULL, 0, 0);
            if (r >= 0) {
                return null;
            }
            return "futex probe failed with " + Posix.describe(errno(capture));
        } catch (RuntimeException e) {
            return "futex probe failed: " + e;
        }
    }

    /**
     * The kernel release from {@code /proc/sys/kernel/osrelease}, for messages.
     *
     * @return the release, or {@code "release unknown"}
     */
    static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException | RuntimeException e) {
            return "release unknown";
        }
    }

    private static long syscall(MemorySegment capture, long nr, MemorySegment a1, long a2, long a3, MemorySegment a4,
            long a5, long a6) {
        try {
            return (long) Bound.SYSCALL.invokeExact(capture, nr, a1, a2, a3, a4, a5, a6);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int result(int errno, String call) {
        return switch (errno) {
            case Posix.EAGAIN -> CHANGED;
            case Posix.ETIMEDOUT -> TIMED_OUT;
            case Posix.EINTR -> INTERRUPTED;
            default -> throw new IllegalStateException(call + " failed: " + Posix.describe(errno));
        };
    }

    private static int errno(MemorySegment capture) {
        return capture.get(ValueLayout.JAVA_INT, Bound.ERRNO_OFFSET);
    }

    private static void checkWord(MemorySegment word) {
        if (!word.isNative()) {
            throw new IllegalArgumentException("a futex word must be in native memory: " + word);
        }
        if (word.byteSize() < 4) {
            throw new IllegalArgumentException("a futex word needs 4 bytes: " + word);
        }
        if ((word.address() & 3) != 0) {
            throw new IllegalArgumentException("a futex word must be 4-byte aligned: " + word);
        }
    }

    private static void requireLinked() {
        String unavailable = Bound.UNAVAILABLE;
        if (unavailable != null) {
            throw new IllegalStateException("futex unavailable: " + unavailable);
        }
    }
}
