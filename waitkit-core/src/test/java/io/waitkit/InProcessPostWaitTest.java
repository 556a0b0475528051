package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.PostWaitContract;
import io.waitkit.contract.PostWaitUnderTest;

/** Runs the post/wait contract against the in-process {@link PostWait} slots. */
class InProcessPostWaitTest extends PostWaitContract {
    @Override
    protected PostWaitUnderTest slotOf(Thread thread) {
        return InProcess.postWait(PostWait.of(thread));
    }

    @Override
    protected PostWaitUnderTest.Result[] postAll(Thread... targets) {
        return InProcess.postAll(targets);
    }
}
