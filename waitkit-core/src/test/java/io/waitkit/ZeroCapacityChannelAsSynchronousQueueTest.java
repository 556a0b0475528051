package io.waitkit;

import io.waitkit.contract.Item;
import io.waitkit.contract.SynchronousQueueContract;
import java.util.concurrent.BlockingQueue;

/** Runs the capacity-0 {@code BlockingQueue} contract against a {@link Channel} of capacity 0. */
class ZeroCapacityChannelAsSynchronousQueueTest extends SynchronousQueueContract {
    @Override
    protected BlockingQueue<Item> newQueue() {
        return new Channel<>(0);
    }
}
