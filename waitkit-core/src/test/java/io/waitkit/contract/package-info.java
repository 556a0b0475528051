/**
 * Reusable contract suites for every Waitkit backend, shipped in the {@code waitkit-core}
 * test-jar.
 *
 * <p>One abstract JUnit class per primitive kind ({@link io.waitkit.contract.EventContract},
 * {@link io.waitkit.contract.MutexContract}, {@link io.waitkit.contract.SemaphoreContract})
 * plus {@link io.waitkit.contract.WaitContract} for wait-any / wait-all over mixed kinds. The
 * contracts never name a concrete class: they reach the object under test through the small
 * adapter interfaces ({@link io.waitkit.contract.EventUnderTest},
 * {@link io.waitkit.contract.MutexUnderTest}, {@link io.waitkit.contract.SemaphoreUnderTest},
 * each with {@code waitable()} for {@code Wait.any/all}) and abstract factory methods.
 *
 * <p>To run them against a new backend, extend the contract, implement the factories with
 * adapters over the backend's classes, and override the hooks of
 * {@link io.waitkit.contract.ContractBase} where the defaults do not fit: a cross-process
 * mutex overrides {@code ownOnDoomedThread} (own it from a child process and kill it),
 * {@code assertReportsMutex} (the exception cannot return a {@code Mutex}), and
 * {@code awaitBlocked} if its threads block in native code. {@link io.waitkit.contract.InProcess}
 * adapts the in-process primitives, so a backend's {@code WaitContract} can mix them in.
 *
 * <p>Helpers: {@link io.waitkit.contract.Threads} (bounded "wait until blocked", joins,
 * polling), {@link io.waitkit.contract.Forked} (test bodies on their own thread, with bounded
 * joins that hand back results and failures) and {@link io.waitkit.contract.Race} (seeded
 * two-thread races, repeated, with a check after each round).
 */
package io.waitkit.contract;
