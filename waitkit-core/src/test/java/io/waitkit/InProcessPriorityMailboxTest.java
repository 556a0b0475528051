package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.Item;
import io.waitkit.contract.ItemContainerContract;
import io.waitkit.contract.ItemContainerUnderTest;
import java.util.Comparator;

/** Runs the item container contract against the in-process {@link PriorityMailbox}: least key first. */
class InProcessPriorityMailboxTest extends ItemContainerContract {
    private static final Comparator<Item> LEAST_KEY_FIRST = Comparator.comparingInt(Item::key);

    @Override
    protected ItemContainerUnderTest newContainer() {
        return InProcess.priorityMailbox(new PriorityMailbox<>(LEAST_KEY_FIRST));
    }

    @Override
    protected Comparator<Item> receiveOrder() {
        return LEAST_KEY_FIRST;
    }
}
