package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.SemaphoreContract;
import io.waitkit.contract.SemaphoreUnderTest;

/** Runs the semaphore contract against the in-process {@link Semaphore}. */
class InProcessSemaphoreTest extends SemaphoreContract {
    @Override
    protected SemaphoreUnderTest newSemaphore(int initial, int max) {
        return InProcess.semaphore(new Semaphore(initial, max));
    }
}
