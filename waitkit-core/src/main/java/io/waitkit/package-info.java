/**
 * Waitkit: kernel-grade synchronization for the JVM, with one wait engine under every
 * primitive.
 *
 * <p>Every object here that has a wait side is a {@link io.waitkit.Waitable}, so a thread can
 * wait for one of many ({@link io.waitkit.Wait#any}) or all of many ({@link io.waitkit.Wait#all})
 * objects of any kind at once, with a timeout, as a poll, or asynchronously.
 *
 * <h2>Rules shared by every primitive</h2>
 * <ul>
 *   <li><b>Hand-off.</b> The thread that signals an object (set, release, unlock …) picks the
 *       waiter and performs the acquisition on its behalf before it returns: a state read right
 *       after the signalling call already shows the waiter's acquisition, and a woken waiter
 *       never competes again. Waiters are served in FIFO order. A {@link io.waitkit.Mutex} or
 *       {@link io.waitkit.Semaphore} built with {@link io.waitkit.Fairness#BARGING} instead
 *       frees the object and wakes the first waiter to take it, for throughput under
 *       contention; every other rule below holds for it.</li>
 *   <li><b>Timeouts.</b> Timed forms take a {@link java.time.Duration} or a {@link Deadline}.
 *       A zero or negative duration is a poll: it acquires if it can and never sleeps. An
 *       object that is available is acquired even when the deadline has passed. A wait never
 *       times out early.</li>
 *   <li><b>Interruption.</b> Blocking forms throw {@link java.lang.InterruptedException} and
 *       acquire nothing when interrupted before the acquisition, as {@code java.util.concurrent}
 *       does; the interrupt status is cleared. If the acquisition had already happened when the
 *       interrupt is noticed, the call succeeds and the interrupt status stays set.
 *       {@code …Uninterruptibly} forms ignore interrupts and re-assert the status on return.</li>
 *   <li><b>Async.</b> Every wait has a {@link java.util.concurrent.CompletableFuture} form;
 *       completion means acquisition. Cancelling a pending future withdraws the wait; if
 *       {@code cancel} returns {@code false} the wait already acquired, and the caller owns it.
 *       The engine completes futures after releasing its locks, at
 *       {@link Irql#DISPATCH_LEVEL}.</li>
 *   <li><b>IRQL.</b> Inside {@link Irql#raise(int) Irql.raise(DISPATCH_LEVEL)} every blocking
 *       wait throws {@link java.lang.IllegalStateException} at once; polls stay legal.</li>
 *   <li><b>Virtual threads.</b> Blocking parks with {@link java.util.concurrent.locks.LockSupport},
 *       so a virtual thread unmounts from its carrier.</li>
 *   <li><b>Memory visibility.</b> Actions of a thread before it signals an object (set,
 *       release, unlock) happen-before the actions of a thread after a wait that acquired that
 *       object because of that signal, or later.</li>
 *   <li><b>Bad input</b> gets a specific exception and leaves every object unchanged and usable:
 *       {@link java.lang.NullPointerException} naming the argument,
 *       {@link java.lang.IllegalArgumentException} for out-of-range values and duplicate
 *       wait-all members, {@link java.lang.IllegalMonitorStateException} for a release by a
 *       thread that does not own a mutex, {@link SemaphoreFullException} for an over-release.</li>
 * </ul>
 */
package io.waitkit;
