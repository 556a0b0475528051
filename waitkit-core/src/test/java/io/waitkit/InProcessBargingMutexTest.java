package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.MutexContract;
import io.waitkit.contract.MutexUnderTest;

/**
 * Runs the mutex contract against a {@link Fairness#BARGING} {@link Mutex}: every rule holds,
 * except that the final release frees the mutex and wakes the waiter instead of handing it off.
 */
class InProcessBargingMutexTest extends MutexContract {
    @Override
    protected MutexUnderTest newMutex() {
        return InProcess.mutex(new Mutex(Fairness.BARGING));
    }

    @Override
    protected MutexUnderTest newMutexOwnedByCurrentThread() {
        Mutex m = new Mutex(Fairness.BARGING);
        m.lock();
        return InProcess.mutex(m);
    }

    @Override
    protected boolean handsOff() {
        return false;
    }
}
