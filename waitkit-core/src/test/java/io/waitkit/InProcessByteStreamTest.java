package io.waitkit;

import io.waitkit.contract.ByteStreamContract;
import io.waitkit.contract.ByteStreamUnderTest;
import io.waitkit.contract.InProcess;

/** Runs the byte stream contract against the in-process {@link ByteStream}. */
class InProcessByteStreamTest extends ByteStreamContract {
    @Override
    protected ByteStreamUnderTest newByteStream(int capacity) {
        return InProcess.byteStream(new ByteStream(capacity));
    }
}
