package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.SemaphoreContract;
import io.waitkit.contract.SemaphoreUnderTest;

/**
 * Runs the semaphore contract against a {@link Fairness#BARGING} {@link Semaphore}: every rule
 * holds, except that a release adds the permits and wakes waiters instead of handing off.
 */
class InProcessBargingSemaphoreTest extends SemaphoreContract {
    @Override
    protected SemaphoreUnderTest newSemaphore(int initial, int max) {
        return InProcess.semaphore(new Semaphore(initial, max, Fairness.BARGING));
    }

    @Override
    protected boolean handsOff() {
        return false;
    }
}
