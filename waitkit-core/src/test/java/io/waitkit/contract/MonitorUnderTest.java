package io.waitkit.contract;

import io.waitkit.Deadline;
import java.time.Duration;

/**
 * The monitor operations {@link MonitorContract} checks (a mutex plus one condition queue,
 * Mesa semantics), so that every backend runs the same contract. Each method has the meaning
 * of the {@link io.waitkit.Monitor} method of the same name.
 */
public interface MonitorUnderTest {
    /** Enters (locks the mutex), ignoring interrupts. */
    void enter();

    /** @throws InterruptedException if interrupted first */
    void enterInterruptibly() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return true if entered
     * @throws InterruptedException if interrupted first
     */
    boolean enter(Duration timeout) throws InterruptedException;

    /** @return true if entered */
    boolean tryEnter();

    /** Leaves (releases one hold of the mutex). */
    void exit();

    /** @return whether the current thread is inside */
    boolean isEntered();

    /**
     * Waits for a signal, outside the monitor meanwhile; returns inside it.
     *
     * @throws InterruptedException if interrupted before a signal (thrown inside the monitor)
     */
    void await() throws InterruptedException;

    /** Waits for a signal ignoring interrupts (re-asserted on return); returns inside. */
    void awaitUninterruptibly();

    /**
     * @param timeout the longest wait
     * @return true if signalled, false on timeout; inside the monitor either way
     * @throws InterruptedException if interrupted before a signal (thrown inside the monitor)
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * @param deadline when to give up
     * @return true if signalled, false on timeout; inside the monitor either way
     * @throws InterruptedException if interrupted before a signal (thrown inside the monitor)
     */
    boolean await(Deadline deadline) throws InterruptedException;

    /** Wakes the longest-waiting thread. */
    void signal();

    /** Wakes every waiting thread. */
    void signalAll();

    /** @return the monitor's mutex (to enter it through {@code Wait.any}, to check its holds) */
    MutexUnderTest mutex();
}
