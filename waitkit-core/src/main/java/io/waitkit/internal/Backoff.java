package io.waitkit.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Pausing while another thread holds a short critical section (an object lock bit, a claim in
 * progress). Spins first. Then a platform thread yields, and parks for a microsecond now and
 * then so that a preempted lock holder on a small machine gets the CPU back; a virtual thread
 * parks every time.
 *
 * <p>Virtual threads must not yield here. A virtual thread that yields while its carrier's
 * local queue holds other tasks is queued there again, and a carrier runs its local tasks
 * before anything submitted from outside, such as a virtual thread whose timed park expired or
 * that a platform thread unparked or interrupted. Two virtual threads yielding in turn on one
 * carrier kept it busy forever and starved the lock holder, which wait-all and the hand-off to
 * all-waiters may park here while they hold object locks. A timed park takes the waiting
 * thread off its carrier for real, so every runnable thread gets its turn. A pending interrupt
 * makes {@code parkNanos} return at once without unmounting, so the interrupt status is cleared
 * for the park and restored by {@link #done(int)} once the wait is over.
 */
final class Backoff {
    private static final int SPIN_LIMIT = Runtime.getRuntime().availableProcessors() > 1 ? 128 : 0;
    private static final int YIELD_LIMIT = SPIN_LIMIT + 64;
    /** Or-ed into the round number once {@link #pause} has cleared the interrupt status. */
    private static final int INTERRUPT_CLEARED = 1 << 30;
    private static final int ROUNDS = INTERRUPT_CLEARED - 1;

    private Backoff() {
    }

    /**
     * Pauses once. A caller whose loop called this must call {@link #done(int)} with the last
     * round number when it stops waiting.
     *
     * @param round the value returned by the previous call for this wait, 0 at first
     * @return the next round number
     */
    static int pause(int round) {
        int r = round & ROUNDS;
        if (r < SPIN_LIMIT) {
            Thread.onSpinWait();
        } else if (Thread.currentThread().isVirtual()) {
            if (Thread.interrupted()) {
                round |= INTERRUPT_CLEARED;
            }
            LockSupport.parkNanos(1_000L);
        } else if (r < YIELD_LIMIT || (r & 15) != 0) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(1_000L);
        }
        return r == ROUNDS ? (round & INTERRUPT_CLEARED) | YIELD_LIMIT : round + 1;
    }

    /**
     * Ends a wait: restores the interrupt status that {@link #pause} cleared, if any.
     *
     * @param round the last round number of the wait
     */
    static void done(int round) {
        if ((round & INTERRUPT_CLEARED) != 0) {
            Thread.currentThread().interrupt();
        }
    }
}
