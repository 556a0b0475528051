package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.MutexContract;
import io.waitkit.contract.MutexUnderTest;

/** Runs the mutex contract against the in-process {@link Mutex}. */
class InProcessMutexTest extends MutexContract {
    @Override
    protected MutexUnderTest newMutex() {
        return InProcess.mutex(new Mutex());
    }

    @Override
    protected MutexUnderTest newMutexOwnedByCurrentThread() {
        return InProcess.mutex(Mutex.ownedByCurrentThread());
    }
}
