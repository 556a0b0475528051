package io.waitkit;

import io.waitkit.contract.BoundedChannelContract;
import io.waitkit.contract.BoundedChannelUnderTest;
import io.waitkit.contract.InProcess;
import io.waitkit.contract.Item;
import java.util.Comparator;

/**
 * Runs the bounded channel contract against the in-process {@link MessageQueue}: an item's key is
 * its message's priority, and the highest priority comes out first (POSIX order,
 * docs/semantics.md#decisions).
 */
class InProcessMessageQueueTest extends BoundedChannelContract {
    @Override
    protected BoundedChannelUnderTest newChannel(int capacity) {
        return InProcess.messageQueue(new MessageQueue(capacity, 16));
    }

    @Override
    protected Comparator<Item> receiveOrder() {
        return Comparator.comparingInt(Item::key).reversed();
    }
}
