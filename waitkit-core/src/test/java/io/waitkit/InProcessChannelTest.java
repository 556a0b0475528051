package io.waitkit;

import io.waitkit.contract.BoundedChannelContract;
import io.waitkit.contract.BoundedChannelUnderTest;
import io.waitkit.contract.InProcess;
import io.waitkit.contract.Item;

/** Runs the bounded channel contract against the in-process {@link Channel} (FIFO). */
class InProcessChannelTest extends BoundedChannelContract {
    @Override
    protected BoundedChannelUnderTest newChannel(int capacity) {
        return InProcess.channel(new Channel<Item>(capacity));
    }
}
