package io.waitkit;

import io.waitkit.contract.Item;
import io.waitkit.contract.SynchronousQueueContract;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;

/** Runs the capacity-0 {@code BlockingQueue} contract against a {@link PriorityChannel} of capacity 0. */
class ZeroCapacityPriorityChannelAsSynchronousQueueTest extends SynchronousQueueContract {
    @Override
    protected BlockingQueue<Item> newQueue() {
        return new PriorityChannel<>(0, Comparator.comparingInt(Item::key));
    }
}
