package io.waitkit.contract;

import io.waitkit.Waitable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The pipe operations {@link PipeContract} checks, so that every backend (the in-process
 * {@link io.waitkit.Pipe}, later named pipes between processes) runs the same contract. Each
 * method has the meaning of the {@code Pipe} method of the same name.
 */
public interface PipeUnderTest {
    /** @return the read end (the same stream on every call) */
    InputStream source();

    /** @return the write end (the same stream on every call) */
    OutputStream sink();

    /** @return a waitable that is available, without consuming, while a read would not block */
    Waitable readable();

    /** @return the number of buffered bytes */
    int buffered();
}
