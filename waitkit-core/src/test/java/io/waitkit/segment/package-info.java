/**
 * Test-only proxies whose state is a word in a {@link java.lang.foreign.MemorySegment}: the
 * proof of the engine's {@link io.waitkit.internal.Proxy} seam before any IPC exists.
 *
 * <p>{@link io.waitkit.segment.SegmentLayout} describes the two words of an object and the
 * outside lock protocol on them; {@link io.waitkit.segment.SegmentEvent},
 * {@link io.waitkit.segment.SegmentMutex} and {@link io.waitkit.segment.SegmentSemaphore} keep
 * their value there and this JVM's waiters on the heap; their {@code Remote} writers change
 * only the segment, as another process would, and then call {@code signal()}. The reusable
 * contract suites run against them ({@code SegmentEventTest}, {@code SegmentMutexTest},
 * {@code SegmentSemaphoreTest}); {@code SegmentRemoteSignalTest} covers signals from outside in
 * single, wait-any, wait-all and async waits, and {@code SegmentLockFreeRaceTest} the race that
 * a proxy's lock-free release has because its queue bit and its value are two words.
 */
package io.waitkit.segment;
