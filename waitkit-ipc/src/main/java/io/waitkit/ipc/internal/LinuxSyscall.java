package io.waitkit.ipc.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * What {@link Posix} and {@link Futex} share to call libc's {@code syscall()} through the FFM
 * API: which Linux ABI this process runs on (x86_64 or aarch64, the only two whose call numbers
 * this module knows) and the linking of a {@code syscall()} downcall whose errno is captured
 * right after the call. Each class links its own shape, and only when it first needs it.
 */
final class LinuxSyscall {
    /** Why this platform has no system calls here (not Linux, another architecture), or null. */
    static final String PLATFORM_PROBLEM;
    private static final boolean AARCH64;

    static {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        String problem = null;
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            problem = "not Linux (os.name=" + os + ")";
        } else if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            problem = "unsupported architecture " + arch + " (x86_64 and aarch64 only)";
        }
        PLATFORM_PROBLEM = problem;
        AARCH64 = arch.equals("aarch64");
    }

    private LinuxSyscall() {
    }

    /**
     * A call number of this architecture.
     *
     * @param x8664 the number on x86_64
     * @param aarch64 the number on aarch64 (the generic table)
     * @return the one that applies (x86_64's where {@link #PLATFORM_PROBLEM} is set: never called)
     */
    static long number(long x8664, long aarch64) {
        return AARCH64 ? aarch64 : x8664;
    }

    /**
     * A linked {@code syscall()} downcall, or why there is none.
     *
     * @param handle {@code long syscall(long number, ...)} of the shape asked for, with the
     *        capture segment as its first argument; null when unavailable
     * @param captureLayout the layout of the capture segment; null when unavailable
     * @param errnoOffset errno's offset in the capture segment
     * @param unavailable why the call cannot be made (the platform, native access, linking), or
     *        null
     */
    record Binding(MethodHandle handle, MemoryLayout captureLayout, long errnoOffset, String unavailable) {
    }

    /**
     * Links {@code syscall()} with the given shape, its arguments after the first variadic.
     *
     * @param shape the function descriptor: {@code long} return, the call number, the arguments
     * @return the binding; never throws (a failure is its {@code unavailable})
     */
    @SuppressWarnings("restricted")
    static Binding link(FunctionDescriptor shape) {
        if (PLATFORM_PROBLEM != null) {
            return new Binding(null, null, 0, PLATFORM_PROBLEM);
        }
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find("syscall")
                    .orElseThrow(() -> new UnsupportedOperationException("libc has no symbol syscall"));
            MethodHandle handle = linker.downcallHandle(symbol, shape, Linker.Option.firstVariadicArg(1),
                    Linker.Option.captureCallState("errno"));
            MemoryLayout capture = Linker.Option.captureStateLayout();
            return new Binding(handle, capture, capture.byteOffset(MemoryLayout.PathElement.groupElement("errno")), null);
        } catch (IllegalCallerException e) {
            return new Binding(null, null, 0, "native access denied (" + e.getMessage()
                    + "); run with --enable-native-access=io.waitkit.ipc (ALL-UNNAMED on the class path)");
        } catch (RuntimeException | LinkageError e) {
            return new Binding(null, null, 0, "syscall() failed to link: " + e);
        }
    }
}
