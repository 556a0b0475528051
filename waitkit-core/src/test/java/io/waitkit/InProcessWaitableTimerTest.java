package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.WaitableTimerContract;
import io.waitkit.contract.WaitableTimerUnderTest;

/** Runs the waitable timer contract against the in-process {@link WaitableTimer}, all three kinds. */
class InProcessWaitableTimerTest extends WaitableTimerContract {
    @Override
    protected WaitableTimerUnderTest newTimer(WaitableTimerUnderTest.Mode mode) {
        return InProcess.waitableTimer(switch (mode) {
            case MANUAL_RESET -> WaitableTimer.manualReset();
            case AUTO_RESET -> WaitableTimer.autoReset();
            case PULSING -> WaitableTimer.pulsing();
        });
    }
}
