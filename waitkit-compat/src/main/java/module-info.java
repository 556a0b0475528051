/**
 * Waitkit compat: seed-faithful facades over the core primitives.
 *
 * <ul>
 *   <li>{@link io.waitkit.compat.axis.Sync}: the AxisOS kernel's {@code sync} library (NT-style
 *       events, mutexes, semaphores, timers, {@code waitMultiple}, IRQL).</li>
 *   <li>{@link io.waitkit.compat.bsd.Sema}: FreeBSD {@code sema(9)} kernel counting
 *       semaphores.</li>
 *   <li>{@link io.waitkit.compat.hpux.PostWait}: HP-UX {@code postwait(2)}.</li>
 * </ul>
 *
 * <p>Every facade is a thin layer over the primitives of {@code io.waitkit}; none has a wait
 * engine of its own.
 */
module io.waitkit.compat {
    requires io.waitkit.core;
    requires io.waitkit.ipc;

    exports io.waitkit.compat.axis;
    exports io.waitkit.compat.bsd;
    exports io.waitkit.compat.hpux;
}
