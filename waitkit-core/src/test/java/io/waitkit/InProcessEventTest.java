package io.waitkit;

import io.waitkit.contract.EventContract;
import io.waitkit.contract.EventUnderTest;
import io.waitkit.contract.InProcess;

/** Runs the event contract against the in-process {@link Event}. */
class InProcessEventTest extends EventContract {
    @Override
    protected EventUnderTest newEvent(boolean manualReset, boolean signaled) {
        return InProcess.event(manualReset ? Event.manualReset(signaled) : Event.autoReset(signaled));
    }
}
