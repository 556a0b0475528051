package io.waitkit.contract;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The byte stream operations {@link ByteStreamContract} checks (ranged reads and writes with a
 * minimum and a maximum count, one pending reader and one pending writer), so that every
 * backend runs the same contract. Each method has the meaning of the
 * {@link io.waitkit.ByteStream} method of the same name.
 */
public interface ByteStreamUnderTest {
    /**
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return the number of bytes read
     * @throws InterruptedException if interrupted first (nothing read)
     */
    int read(byte[] dst, int offset, int min, int max) throws InterruptedException;

    /**
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @param timeout the longest wait; zero or negative polls
     * @return the number of bytes read, or -1 on timeout
     * @throws InterruptedException if interrupted first (nothing read)
     */
    int read(byte[] dst, int offset, int min, int max, Duration timeout) throws InterruptedException;

    /**
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return the number of bytes read, or -1 if fewer than {@code min} are buffered
     */
    int tryRead(byte[] dst, int offset, int min, int max);

    /**
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return a future completed with the number of bytes read
     */
    CompletableFuture<Integer> readAsync(byte[] dst, int offset, int min, int max);

    /**
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return a read operation for {@code Wait.any} whose result is the count read (-1 before)
     */
    OpUnderTest<Integer> readOp(byte[] dst, int offset, int min, int max);

    /**
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return the number of bytes written
     * @throws InterruptedException if interrupted first (nothing written)
     */
    int write(byte[] src, int offset, int min, int max) throws InterruptedException;

    /**
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @param timeout the longest wait; zero or negative polls
     * @return the number of bytes written, or -1 on timeout
     * @throws InterruptedException if interrupted first (nothing written)
     */
    int write(byte[] src, int offset, int min, int max, Duration timeout) throws InterruptedException;

    /**
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return the number of bytes written, or -1 if fewer than {@code min} fit
     */
    int tryWrite(byte[] src, int offset, int min, int max);

    /**
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return a future completed with the number of bytes written
     */
    CompletableFuture<Integer> writeAsync(byte[] src, int offset, int min, int max);

    /**
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return a write operation for {@code Wait.any} whose result is the count written (-1
     *         before)
     */
    OpUnderTest<Integer> writeOp(byte[] src, int offset, int min, int max);

    /**
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param length how many bytes, at most the capacity
     * @return the number of old bytes discarded
     */
    int writeOverwriting(byte[] src, int offset, int length);

    /** @return the number of buffered bytes */
    int available();

    /** @return the capacity in bytes */
    int capacity();
}
