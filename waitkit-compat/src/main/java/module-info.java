/**
 * Waitkit compat: seed-faithful facades over the core primitives and the named objects of
 * {@code io.waitkit.ipc}.
 *
 * <ul>
 *   <li>{@link io.waitkit.compat.axis.Sync}: the AxisOS kernel's {@code sync} library (NT-style
 *       events, mutexes, semaphores, timers, {@code waitMultiple}, IRQL).</li>
 *   <li>{@link io.waitkit.compat.axis.Pipe}, {@link io.waitkit.compat.axis.Ipc} and
 *       {@link io.waitkit.compat.axis.SignalLib}: the AxisOS {@code pipe}, {@code ipc} (shared
 *       sections, message queues) and {@code signal_lib} libraries, across processes.</li>
 *   <li>{@link io.waitkit.compat.bsd.Sema}: FreeBSD {@code sema(9)} kernel counting
 *       semaphores.</li>
 *   <li>{@link io.waitkit.compat.hpux.PostWait}: HP-UX {@code postwait(2)}.</li>
 * </ul>
 *
 * <p>Every facade is a thin layer over the primitives of {@code io.waitkit} and
 * {@code io.waitkit.ipc}; none has a wait engine of its own. The named objects make FFM
 * downcalls: the JVM needs {@code --enable-native-access=io.waitkit.ipc} (or
 * {@code ALL-UNNAMED} on the class path).
 */
module io.waitkit.compat {
    requires io.waitkit.core;
    // transitive: the facades of pipe and ipc take a Namespace
    requires transitive io.waitkit.ipc;

    exports io.waitkit.compat.axis;
    exports io.waitkit.compat.bsd;
    exports io.waitkit.compat.hpux;
}
