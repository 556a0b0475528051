package io.waitkit;

import io.waitkit.contract.EventFlagsContract;
import io.waitkit.contract.EventFlagsUnderTest;
import io.waitkit.contract.InProcess;

/** Runs the event flags contract against the in-process {@link EventFlags}. */
class InProcessEventFlagsTest extends EventFlagsContract {
    @Override
    protected EventFlagsUnderTest newEventFlags(int initial) {
        return InProcess.eventFlags(new EventFlags(initial));
    }
}
