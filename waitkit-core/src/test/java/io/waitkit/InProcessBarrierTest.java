package io.waitkit;

import io.waitkit.contract.BarrierContract;
import io.waitkit.contract.BarrierUnderTest;
import io.waitkit.contract.InProcess;

/** Runs the barrier contract against the in-process {@link Barrier}. */
class InProcessBarrierTest extends BarrierContract {
    @Override
    protected BarrierUnderTest newBarrier(int parties) {
        return InProcess.barrier(new Barrier(parties));
    }
}
