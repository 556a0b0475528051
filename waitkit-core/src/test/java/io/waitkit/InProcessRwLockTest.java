package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.RwLockContract;
import io.waitkit.contract.RwLockUnderTest;

/** Runs the readers/writer lock contract against the in-process {@link RwLock}, both preferences. */
class InProcessRwLockTest extends RwLockContract {
    @Override
    protected RwLockUnderTest newRwLock(boolean preferWriters) {
        return InProcess.rwLock(preferWriters ? RwLock.preferWriters() : RwLock.preferReaders());
    }
}
