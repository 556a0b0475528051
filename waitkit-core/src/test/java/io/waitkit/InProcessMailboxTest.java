package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.Item;
import io.waitkit.contract.ItemContainerContract;
import io.waitkit.contract.ItemContainerUnderTest;

/** Runs the item container contract against the in-process {@link Mailbox} (FIFO). */
class InProcessMailboxTest extends ItemContainerContract {
    @Override
    protected ItemContainerUnderTest newContainer() {
        return InProcess.mailbox(new Mailbox<Item>());
    }
}
