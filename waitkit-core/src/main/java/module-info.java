/**
 * Waitkit core: the wait engine and every in-process primitive.
 *
 * <p>Only {@code io.waitkit} is part of the public API. The engine lives in
 * {@code io.waitkit.internal}; it is exported only to the Waitkit modules built on it
 * ({@code io.waitkit.ipc} and {@code io.waitkit.zk}: named and ZooKeeper objects are proxies of
 * the engine).
 */
module io.waitkit.core {
    exports io.waitkit;
    exports io.waitkit.internal to io.waitkit.ipc, io.waitkit.zk;
}
