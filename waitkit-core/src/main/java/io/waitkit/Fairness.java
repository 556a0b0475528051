package io.waitkit;

/**
 * How a {@link Mutex} or a {@link Semaphore} passes itself on when it is released while
 * threads wait for it. The mode is chosen when the object is built and never changes; an
 * object built without a fairness argument uses {@link #HAND_OFF}.
 *
 * <p>Both modes keep every other rule of the wait engine: {@link Wait#any} acquires exactly
 * one object, {@link Wait#all} acquires all of its objects or none, a {@code cancel} of an
 * async wait that returns {@code false} means the caller owns what was acquired, an abandoned
 * mutex is reported to the thread that takes it next, an interrupted or timed-out wait
 * acquires nothing, and no wake-up is ever lost. Waiters queue in arrival order in both modes;
 * the modes differ only in who may take the object between a release and the first waiter's
 * return.
 *
 * <pre>{@code
 * Mutex cacheLock = new Mutex(Fairness.BARGING);              // short, hot critical sections
 * Semaphore slots = new Semaphore(8, 8, Fairness.HAND_OFF);   // every job gets its turn
 * }</pre>
 */
public enum Fairness {
    /**
     * The releasing thread performs the acquisition for the first waiter that can use the
     * object before the release returns: a state read right after the release already shows
     * the waiter as owner (or the permits as taken), and a woken waiter never competes again.
     * Waiters are served strictly in arrival order, so a waiter's wait is bounded by the work
     * of the threads queued before it. Under heavy contention every transfer costs a wake-up
     * of a parked thread (a lock convoy), which limits throughput. This is the default.
     */
    HAND_OFF,

    /**
     * A release with queued waiters frees the object (a mutex becomes unowned, a semaphore's
     * permits are added to its count) and wakes the first waiter, which then competes for the
     * object again, as {@code java.util.concurrent.locks.ReentrantLock(false)} does. A running
     * thread that asks for the object in the meantime may take it first, so the object passes
     * from thread to thread without waiting for a wake-up, which gives far more throughput
     * when many threads contend. A woken waiter that loses keeps its place at the head of the
     * queue and waits again; it cannot be overtaken by threads that queue after it, only by
     * threads that arrive while the object is free. A state read right after the release may
     * still show the object free.
     */
    BARGING
}
