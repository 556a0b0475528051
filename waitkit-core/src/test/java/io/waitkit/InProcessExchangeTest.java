package io.waitkit;

import io.waitkit.contract.ExchangeContract;
import io.waitkit.contract.ExchangeUnderTest;
import io.waitkit.contract.InProcess;

/** Runs the client/server exchange contract against the in-process {@link Exchange}. */
class InProcessExchangeTest extends ExchangeContract {
    @Override
    protected ExchangeUnderTest newExchange() {
        return InProcess.exchange(new Exchange<String, String>());
    }
}
