package io.waitkit;

import io.waitkit.contract.EventUnderTest;
import io.waitkit.contract.InProcess;
import io.waitkit.contract.MutexUnderTest;
import io.waitkit.contract.SemaphoreUnderTest;
import io.waitkit.contract.WaitContract;

/** Runs the wait-any / wait-all contract over in-process events, mutexes and semaphores. */
class InProcessWaitTest extends WaitContract {
    @Override
    protected EventUnderTest newEvent(boolean manualReset, boolean signaled) {
        return InProcess.event(manualReset ? Event.manualReset(signaled) : Event.autoReset(signaled));
    }

    @Override
    protected MutexUnderTest newMutex() {
        return InProcess.mutex(new Mutex());
    }

    @Override
    protected SemaphoreUnderTest newSemaphore(int initial, int max) {
        return InProcess.semaphore(new Semaphore(initial, max));
    }
}
