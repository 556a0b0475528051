package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.SignalContract;
import io.waitkit.contract.SignalUnderTest;

/** Runs the signal contract against the in-process {@link Signal}. */
class InProcessSignalTest extends SignalContract {
    @Override
    protected SignalUnderTest newSignal() {
        return InProcess.signal(new Signal());
    }
}
