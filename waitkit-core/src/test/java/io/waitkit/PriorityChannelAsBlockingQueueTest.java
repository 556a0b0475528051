package io.waitkit;

import io.waitkit.contract.BoundedBlockingQueueContract;
import io.waitkit.contract.Item;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;

/** Runs the bounded {@code BlockingQueue} contract against {@link PriorityChannel}: least key first. */
class PriorityChannelAsBlockingQueueTest extends BoundedBlockingQueueContract {
    private static final Comparator<Item> LEAST_KEY_FIRST = Comparator.comparingInt(Item::key);

    @Override
    protected BlockingQueue<Item> newQueue(int capacity) {
        return new PriorityChannel<>(capacity, LEAST_KEY_FIRST);
    }

    @Override
    protected Comparator<Item> receiveOrder() {
        return LEAST_KEY_FIRST;
    }
}
