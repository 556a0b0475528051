/**
 * Waitkit core: the wait engine and every in-process primitive.
 *
 * <p>Only {@code io.waitkit} is part of the public API. The engine lives in
 * {@code io.waitkit.internal}; it is exported only to the Waitkit modules built on it, as they
 * join the build.
 */
module io.waitkit.core {
    exports io.waitkit;
}
