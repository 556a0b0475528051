/**
 * Waitkit core: the wait engine and every in-process primitive.
 *
 * <p>Only {@code io.waitkit} is part of the public API. The engine lives in
 * {@code io.waitkit.internal}; it is exported only to the Waitkit modules built on it
 * ({@code io.waitkit.ipc} and {@code io.waitkit.zk}: named and ZooKeeper objects are proxies of
 * the engine).
 *
 * <p>{@code jdk.jfr} is an optional dependency: when the running JVM has it, the engine
 * records JDK Flight Recorder events (long waits, abandoned mutexes); on a runtime without it
 * the core runs unchanged.
 */
module io.waitkit.core {
    requires static jdk.jfr;

    exports io.waitkit;
    exports io.waitkit.internal to io.waitkit.ipc, io.waitkit.zk;
}
