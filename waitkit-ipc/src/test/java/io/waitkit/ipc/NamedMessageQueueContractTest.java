package io.waitkit.ipc;

import io.waitkit.MessageQueue;
import io.waitkit.contract.Item;
import io.waitkit.contract.ItemContainerContract;
import io.waitkit.contract.ItemContainerUnderTest;
import io.waitkit.contract.MessageQueueItems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the item container contract (the receive side of every queue kind) against
 * {@link NamedMessageQueue}, through two handles of one object in one JVM: one that sends and
 * one that receives (they share one state and one proxy). An item's key is its message's
 * priority, highest first. The send side is checked by {@link NamedMessageQueueTest}.
 */
class NamedMessageQueueContractTest extends ItemContainerContract {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** {@inheritDoc} A platform thread's wait on a named object sleeps in futex (see {@link DirectSleep}). */
    @Override
    protected void awaitBlocked(Thread t) {
        DirectSleep.awaitBlocked(t);
    }

    /**
     * {@inheritDoc} A send serves this JVM's queued receivers before it returns, but the
     * module's waiter pool, which watches the queue for the async receive, may see the send's
     * change first: it then hands the message to the receive and completes the future on
     * another thread, an instant after the send returned.
     */
    @Override
    protected Item servedByThePut(CompletableFuture<Item> f) {
        return await(f);
    }

    @Override
    protected ItemContainerUnderTest newContainer() {
        try {
            String name = TempNamespace.fresh("queue");
            NamedMessageQueue sender = temp.ns.messageQueue(name, ROOM, 16);
            return new Adapter(sender, temp.ns.openExisting(name, NamedMessageQueue.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Comparator<Item> receiveOrder() {
        return Comparator.comparingInt(Item::key).reversed();
    }

    private static final class Adapter extends MessageQueueItems {
        private final NamedMessageQueue sender;
        private final NamedMessageQueue receiver;

        Adapter(NamedMessageQueue sender, NamedMessageQueue receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }

        @Override
        protected boolean trySend(byte[] data, int priority) {
            return sender.trySend(data, priority);
        }

        @Override
        protected MessageQueue.Message receiveMessage() throws InterruptedException {
            return receiver.receive();
        }

        @Override
        protected MessageQueue.Message receiveMessage(Duration timeout) throws InterruptedException {
            return receiver.receive(timeout);
        }

        @Override
        protected MessageQueue.Message tryReceiveMessage() {
            return receiver.tryReceive();
        }

        @Override
        protected CompletableFuture<MessageQueue.Message> receiveMessageAsync() {
            return receiver.receiveAsync();
        }

        @Override
        protected Receiving receiveMessageOp() {
            NamedMessageQueue.Receive r = receiver.receiveOp();
            return new Receiving(r, r::item);
        }

        @Override
        public int size() {
            return receiver.size();
        }
    }
}
