package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.MonitorContract;
import io.waitkit.contract.MonitorUnderTest;

/** Runs the monitor contract against the in-process {@link Monitor}. */
class InProcessMonitorTest extends MonitorContract {
    @Override
    protected MonitorUnderTest newMonitor() {
        return InProcess.monitor(new Monitor());
    }

    @Override
    protected MonitorUnderTest newMonitorSharingTheMutexOf(MonitorUnderTest other) {
        return InProcess.monitor(new Monitor(InProcess.unwrap(other).mutex()));
    }
}
