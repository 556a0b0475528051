package io.waitkit;

import io.waitkit.contract.BlockingQueueContract;
import io.waitkit.contract.Item;
import java.util.concurrent.BlockingQueue;

/** Runs the {@code BlockingQueue} contract against the unbounded {@link Mailbox} (FIFO). */
class MailboxAsBlockingQueueTest extends BlockingQueueContract {
    @Override
    protected BlockingQueue<Item> newQueue() {
        return new Mailbox<>();
    }

    @Override
    protected int capacity() {
        return Integer.MAX_VALUE;
    }
}
