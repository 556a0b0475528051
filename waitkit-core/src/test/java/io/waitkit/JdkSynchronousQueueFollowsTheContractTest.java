package io.waitkit;

import io.waitkit.contract.Item;
import io.waitkit.contract.SynchronousQueueContract;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * Runs the capacity-0 {@code BlockingQueue} contract against the JDK's {@link SynchronousQueue}:
 * the contract states its behaviour, which capacity-0 channels must match.
 */
class JdkSynchronousQueueFollowsTheContractTest extends SynchronousQueueContract {
    @Override
    protected BlockingQueue<Item> newQueue() {
        return new SynchronousQueue<>();
    }
}
