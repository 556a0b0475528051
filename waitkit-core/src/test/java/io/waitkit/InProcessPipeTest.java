package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.PipeContract;
import io.waitkit.contract.PipeUnderTest;

/** Runs the pipe contract against the in-process {@link Pipe}. */
class InProcessPipeTest extends PipeContract {
    @Override
    protected PipeUnderTest newPipe(int capacity) {
        return InProcess.pipe(new Pipe(capacity));
    }
}
