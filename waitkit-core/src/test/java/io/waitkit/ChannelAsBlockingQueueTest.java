package io.waitkit;

import io.waitkit.contract.BoundedBlockingQueueContract;
import io.waitkit.contract.Item;
import java.util.concurrent.BlockingQueue;

/** Runs the bounded {@code BlockingQueue} contract against {@link Channel} (FIFO). */
class ChannelAsBlockingQueueTest extends BoundedBlockingQueueContract {
    @Override
    protected BlockingQueue<Item> newQueue(int capacity) {
        return new Channel<>(capacity);
    }
}
