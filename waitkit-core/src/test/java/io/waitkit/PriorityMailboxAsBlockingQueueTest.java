package io.waitkit;

import io.waitkit.contract.BlockingQueueContract;
import io.waitkit.contract.Item;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;

/** Runs the {@code BlockingQueue} contract against the unbounded {@link PriorityMailbox}: least key first. */
class PriorityMailboxAsBlockingQueueTest extends BlockingQueueContract {
    private static final Comparator<Item> LEAST_KEY_FIRST = Comparator.comparingInt(Item::key);

    @Override
    protected BlockingQueue<Item> newQueue() {
        return new PriorityMailbox<>(LEAST_KEY_FIRST);
    }

    @Override
    protected int capacity() {
        return Integer.MAX_VALUE;
    }

    @Override
    protected Comparator<Item> receiveOrder() {
        return LEAST_KEY_FIRST;
    }
}
