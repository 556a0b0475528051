package io.waitkit;

import io.waitkit.contract.BoundedChannelContract;
import io.waitkit.contract.BoundedChannelUnderTest;
import io.waitkit.contract.InProcess;
import io.waitkit.contract.Item;
import java.util.Comparator;

/** Runs the bounded channel contract against the in-process {@link PriorityChannel}: least key first. */
class InProcessPriorityChannelTest extends BoundedChannelContract {
    private static final Comparator<Item> LEAST_KEY_FIRST = Comparator.comparingInt(Item::key);

    @Override
    protected BoundedChannelUnderTest newChannel(int capacity) {
        return InProcess.priorityChannel(new PriorityChannel<>(capacity, LEAST_KEY_FIRST));
    }

    @Override
    protected Comparator<Item> receiveOrder() {
        return LEAST_KEY_FIRST;
    }
}
