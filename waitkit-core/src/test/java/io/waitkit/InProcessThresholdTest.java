package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.ThresholdContract;
import io.waitkit.contract.ThresholdUnderTest;
import java.util.function.LongUnaryOperator;

/** Runs the threshold contract (with the number contract) against the in-process {@link Threshold}. */
class InProcessThresholdTest extends ThresholdContract {
    @Override
    protected ThresholdUnderTest newThreshold(long initial, ChangeMatch match, LongUnaryOperator adjust) {
        return InProcess.threshold(new Threshold(initial, match, adjust));
    }
}
