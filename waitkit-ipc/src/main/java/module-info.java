/**
 * Waitkit ipc: named objects shared by the processes of one host.
 *
 * <p>{@link io.waitkit.ipc.Namespace} opens or creates named events, robust mutexes and
 * semaphores in a directory of mapped files; every object joins {@code Wait.any},
 * {@code Wait.all} and the async waits of {@code io.waitkit} together with in-process objects.
 * Blocking uses the Linux {@code futex} system calls through the FFM API; the JVM needs
 * {@code --enable-native-access=io.waitkit.ipc} (or {@code ALL-UNNAMED} on the class path).
 * {@link io.waitkit.ipc.Signals} sends the host's signals ({@code kill}) and handles them through
 * the JVM's signal API of {@code jdk.unsupported}.
 */
module io.waitkit.ipc {
    requires transitive io.waitkit.core;
    // sun.misc.Signal, for Signals.handle (used through method handles: javac warns on every
    // direct use of sun.misc, which -Werror turns into an error)
    requires jdk.unsupported;

    exports io.waitkit.ipc;
}
