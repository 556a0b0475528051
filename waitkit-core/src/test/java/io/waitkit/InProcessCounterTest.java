package io.waitkit;

import io.waitkit.contract.CounterContract;
import io.waitkit.contract.CounterUnderTest;
import io.waitkit.contract.InProcess;

/** Runs the counter contract (with the number contract) against the in-process {@link Counter}. */
class InProcessCounterTest extends CounterContract {
    @Override
    protected CounterUnderTest newCounter(long initial) {
        return InProcess.counter(new Counter(initial));
    }
}
