package io.waitkit;

import io.waitkit.contract.BinarySemaphoreContract;
import io.waitkit.contract.BinarySemaphoreUnderTest;
import io.waitkit.contract.InProcess;

/** Runs the binary semaphore contract against the in-process {@link BinarySemaphore}. */
class InProcessBinarySemaphoreTest extends BinarySemaphoreContract {
    @Override
    protected BinarySemaphoreUnderTest newBinarySemaphore(boolean available) {
        return InProcess.binarySemaphore(new BinarySemaphore(available));
    }
}
