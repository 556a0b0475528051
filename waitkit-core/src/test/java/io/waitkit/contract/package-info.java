/**
 * Reusable contract suites for every Waitkit backend, shipped in the {@code waitkit-core}
 * test-jar.
 *
 * <p>One abstract JUnit class per primitive kind: {@link io.waitkit.contract.EventContract},
 * {@link io.waitkit.contract.MutexContract}, {@link io.waitkit.contract.SemaphoreContract},
 * {@link io.waitkit.contract.BinarySemaphoreContract}, {@link io.waitkit.contract.SignalContract},
 * {@link io.waitkit.contract.BarrierContract}, {@link io.waitkit.contract.RwLockContract} (both
 * preferences), {@link io.waitkit.contract.CounterContract} and
 * {@link io.waitkit.contract.ThresholdContract} (both extending
 * {@link io.waitkit.contract.NumberContract}), {@link io.waitkit.contract.EventFlagsContract},
 * {@link io.waitkit.contract.ItemContainerContract} (the receive side of mailboxes) and
 * {@link io.waitkit.contract.BoundedChannelContract} (channels and message queues, send and
 * receive, capacity 0 included; the receive order is a hook), {@link io.waitkit.contract.ByteStreamContract},
 * {@link io.waitkit.contract.PipeContract}, {@link io.waitkit.contract.RendezvousContract},
 * {@link io.waitkit.contract.ExchangeContract}, {@link io.waitkit.contract.WaitableTimerContract}
 * (all three kinds), {@link io.waitkit.contract.PostWaitContract} and
 * {@link io.waitkit.contract.MonitorContract}; plus {@link io.waitkit.contract.WaitContract} for
 * wait-any / wait-all over mixed kinds. {@link io.waitkit.contract.BlockingQueueContract},
 * {@link io.waitkit.contract.BoundedBlockingQueueContract} and
 * {@link io.waitkit.contract.SynchronousQueueContract} (capacity 0) state the
 * {@code java.util.concurrent.BlockingQueue} contract over the interface itself, so they run
 * unchanged against the JDK's queues as well as against the containers. Each covers its kind's documented behaviour: the
 * single-thread rules, the hand-off visible right after the signalling call, FIFO among
 * waiters, timeouts that are never early and polls, interrupts and cancels that take nothing,
 * async completion as acquisition, use as a member of {@code Wait.any} (the index, and the data
 * delivered through the operation object), and bad input that leaves the object usable.
 *
 * <p>The contracts never name a concrete class: they reach the object under test through small
 * adapter interfaces ({@link io.waitkit.contract.EventUnderTest}, {@link io.waitkit.contract.MutexUnderTest},
 * {@link io.waitkit.contract.SemaphoreUnderTest}, {@link io.waitkit.contract.BoundedChannelUnderTest} …,
 * each with {@code waitable()} for {@code Wait.any/all}; operations such as a receive or a
 * predicate wait are {@link io.waitkit.contract.OpUnderTest}s) and abstract factory methods.
 * Containers carry {@link io.waitkit.contract.Item}s, which an adapter converts to what its
 * container carries.
 *
 * <p>To run them against a new backend, extend the contract, implement the factories with
 * adapters over the backend's classes, and override the hooks of
 * {@link io.waitkit.contract.ContractBase} where the defaults do not fit: a cross-process
 * mutex overrides {@code ownOnDoomedThread} (own it from a child process and kill it) and
 * {@code awaitBlocked} if its threads block in native code; a backend whose objects cannot
 * share a wait with in-process ones overrides {@code newCompanionEvent}, the event the
 * contracts mix into their wait-any / wait-all checks. {@link io.waitkit.contract.InProcess}
 * adapts the in-process primitives, so a backend's {@code WaitContract} can mix them in.
 *
 * <p>Helpers: {@link io.waitkit.contract.Threads} (bounded "wait until blocked", joins,
 * polling), {@link io.waitkit.contract.Forked} (test bodies on their own thread, with bounded
 * joins that hand back results and failures) and {@link io.waitkit.contract.Race} (seeded
 * two-thread races, repeated, with a check after each round).
 */
package io.waitkit.contract;
