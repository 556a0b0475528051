package io.waitkit.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Pausing while another thread holds a short critical section (an object lock bit, a claim in
 * progress). Spins first, then yields, then parks for a microsecond now and then so that a
 * preempted lock holder on a small machine gets the CPU back.
 */
final class Backoff {
    private static final int SPIN_LIMIT = Runtime.getRuntime().availableProcessors() > 1 ? 128 : 0;
    private static final int YIELD_LIMIT = SPIN_LIMIT + 64;

    private Backoff() {
    }

    /**
     * Pauses once.
     *
     * @param round how many times the caller has paused so far for this wait
     * @return the next round number
     */
    static int pause(int round) {
        if (round < SPIN_LIMIT) {
            Thread.onSpinWait();
        } else if (round < YIELD_LIMIT || (round & 15) != 0) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(1_000L);
        }
        return round == Integer.MAX_VALUE ? YIELD_LIMIT : round + 1;
    }
}
