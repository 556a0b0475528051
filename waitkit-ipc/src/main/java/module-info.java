/**
 * Waitkit ipc: named objects shared by the processes of one host.
 *
 * <p>{@link io.waitkit.ipc.Namespace} opens or creates named events, robust mutexes and
 * semaphores in a directory of mapped files; every object joins {@code Wait.any},
 * {@code Wait.all} and the async waits of {@code io.waitkit} together with in-process objects.
 * Blocking uses the Linux {@code futex} system calls through the FFM API; the JVM needs
 * {@code --enable-native-access=io.waitkit.ipc} (or {@code ALL-UNNAMED} on the class path).
 */
module io.waitkit.ipc {
    requires transitive io.waitkit.core;

    exports io.waitkit.ipc;
}
