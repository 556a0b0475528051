package io.waitkit;

import io.waitkit.contract.BoundedBlockingQueueContract;
import io.waitkit.contract.Item;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs the bounded {@code BlockingQueue} contract against the JDK's {@link ArrayBlockingQueue}:
 * the contract states {@code java.util.concurrent}'s behaviour, not only Waitkit's.
 */
class JdkArrayBlockingQueueFollowsTheContractTest extends BoundedBlockingQueueContract {
    @Override
    protected BlockingQueue<Item> newQueue(int capacity) {
        return new ArrayBlockingQueue<>(capacity);
    }
}
