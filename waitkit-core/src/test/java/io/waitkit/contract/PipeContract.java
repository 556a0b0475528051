package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Wait;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a byte pipe, after AxisOS's {@code pipe}: a read blocks until at least one byte
 * is buffered and returns what is there; a write returns once every byte is in, in chunks that
 * interleave with reads; after the write end closes the buffered bytes are still delivered, then
 * reads report end of stream; a closed read end breaks the pipe for writers; interrupting a blocked
 * transfer throws {@link InterruptedIOException} with the interrupt status kept and nothing lost;
 * {@link PipeUnderTest#readable()} is available without consuming while a read would not block.
 *
 * <p>A backend extends this class and implements {@link #newPipe}.
 */
public abstract class PipeContract extends ContractBase {
    /**
     * Creates the pipe under test.
     *
     * @param capacity the number of bytes it buffers
     * @return the pipe, empty, both ends open
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    protected abstract PipeUnderTest newPipe(int capacity);

    private static byte[] bytes(int from, int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void bytesComeOutInOrderAndAReadReturnsWhatIsThere() throws IOException {
        PipeUnderTest p = newPipe(16);
        p.sink().write(bytes(1, 5));
        p.sink().write(6);
        assertEquals(6, p.buffered());
        assertEquals(6, p.source().available());
        byte[] dst = new byte[10];
        assertEquals(4, p.source().read(dst, 0, 4));
        assertEquals(2, p.source().read(dst, 4, 6), "a read returns what is buffered, not what it asked for");
        assertArrayEquals(Arrays.copyOf(bytes(1, 6), 10), dst);
        assertEquals(0, p.buffered());
        p.sink().write(200);
        assertEquals(200, p.source().read(), "single bytes read back unsigned");
    }

    @Test
    public void readOfZeroBytesReturnsAtOnceEvenWhenEmpty() throws IOException {
        PipeUnderTest p = newPipe(4);
        assertEquals(0, p.source().read(new byte[2], 0, 0));
    }

    @Test
    public void afterTheWriterClosesTheBufferedBytesAreDeliveredThenEndOfStreamForever() throws IOException {
        PipeUnderTest p = newPipe(8);
        p.sink().write(bytes(1, 3));
        p.sink().close();
        byte[] dst = new byte[8];
        assertEquals(3, p.source().read(dst));
        assertEquals(-1, p.source().read(dst));
        assertEquals(-1, p.source().read());
        assertEquals(-1, p.source().read(dst), "end of stream stays");
        assertThrows(IOException.class, () -> p.sink().write(1), "the closed write end cannot be used");
    }

    @Test
    public void readingFromTheClosedReadEndFails() throws IOException {
        PipeUnderTest p = newPipe(8);
        p.sink().write(bytes(0, 2));
        p.source().close();
        assertThrows(IOException.class, () -> p.source().read());
        assertThrows(IOException.class, () -> p.source().read(new byte[4]));
    }

    @Test
    public void badRangesAreRejectedAndThePipeStaysUsable() throws IOException {
        PipeUnderTest p = newPipe(4);
        p.sink().write(bytes(0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> p.source().read(new byte[2], 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> p.sink().write(new byte[2], -1, 1));
        assertThrows(NullPointerException.class, () -> p.sink().write(null, 0, 1));
        assertEquals(2, p.buffered());
        byte[] dst = new byte[2];
        assertEquals(2, p.source().read(dst));
        assertArrayEquals(bytes(0, 2), dst);
    }

    // ---------------------------------------------------------------- blocking and hand-off

    @Test
    public void blockedReadReturnsTheBytesOfTheWriteThatEndedItsWait() throws IOException {
        PipeUnderTest p = newPipe(8);
        byte[] dst = new byte[8];
        Forked<Integer> reader = blockedCall("reader", () -> p.source().read(dst));
        p.sink().write(bytes(7, 3));
        assertEquals(0, p.buffered(), "the reader took the bytes before the write returned");
        assertEquals(3, reader.join());
        assertArrayEquals(Arrays.copyOf(bytes(7, 3), 8), dst);
    }

    @Test
    public void writeLargerThanTheBufferGoesInChunksAndReturnsOnceEveryByteIsIn() throws IOException {
        PipeUnderTest p = newPipe(4);
        byte[] data = bytes(0, 100);
        Forked<Void> writer = Forked.run("writer", () -> {
            try (OutputStream out = p.sink()) {
                out.write(data);
            }
        });
        byte[] got = p.source().readAllBytes();
        writer.join();
        assertArrayEquals(data, got);
    }

    @Test
    public void writerBlockedOnAFullPipeIsLetInByTheRead() throws IOException {
        PipeUnderTest p = newPipe(2);
        Forked<Void> writer = Forked.run("writer", () -> p.sink().write(bytes(1, 3)));
        Threads.awaitCondition(() -> p.buffered() == 2, "the first chunk did not arrive");
        awaitBlocked(writer.thread());
        byte[] dst = new byte[1];
        assertEquals(1, p.source().read(dst));
        writer.join();
        assertEquals(2, p.buffered(), "the last byte went in once there was room");
        byte[] rest = new byte[2];
        assertEquals(2, p.source().read(rest));
        assertArrayEquals(new byte[] {2, 3}, rest);
    }

    @Test
    public void transfersBlockedOnAnEndThatGetsClosedFailInsteadOfStayingBlocked() throws IOException {
        PipeUnderTest p = newPipe(1);
        Forked<Integer> reader = blockedCall("reader", () -> p.source().read(new byte[2]));
        p.source().close();
        p.sink().close(); // even with both ends closed, the reader must not stay blocked
        IOException e = reader.joinFailure(IOException.class);
        assertFalse(e instanceof InterruptedIOException, "the read end was closed, nobody interrupted: " + e);
        PipeUnderTest q = newPipe(1);
        q.sink().write(1);
        Forked<Void> writer = blockedRun("writer", () -> q.sink().write(2));
        q.sink().close();
        assertFalse(writer.joinFailure(IOException.class) instanceof InterruptedIOException);
        assertEquals(1, q.source().read(), "the byte written before the close is still delivered");
        assertEquals(-1, q.source().read());
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptedReadThrowsInterruptedIoKeepsTheStatusAndLosesNothing() throws IOException {
        PipeUnderTest p = newPipe(8);
        Forked<Boolean> reader = blockedCall("reader", () -> {
            try {
                p.source().read(new byte[4]);
                return false;
            } catch (InterruptedIOException e) {
                return Thread.currentThread().isInterrupted();
            }
        });
        reader.interrupt();
        assertTrue(reader.join(), "InterruptedIOException with the interrupt status still set");
        p.sink().write(bytes(1, 2));
        assertEquals(2, p.buffered(), "the interrupted reader took nothing");
    }

    @Test
    public void interruptedWriteReportsTheBytesAlreadyWritten() throws IOException {
        PipeUnderTest p = newPipe(3);
        Forked<Integer> writer = Forked.call("writer", () -> {
            try {
                p.sink().write(bytes(1, 5));
                return -1;
            } catch (InterruptedIOException e) {
                return e.bytesTransferred;
            }
        });
        Threads.awaitCondition(() -> p.buffered() == 3, "the first chunk did not arrive");
        awaitBlocked(writer.thread());
        writer.interrupt();
        assertEquals(3, writer.join());
        byte[] dst = new byte[8];
        assertEquals(3, p.source().read(dst));
        assertArrayEquals(Arrays.copyOf(bytes(1, 3), 8), dst);
    }

    // ---------------------------------------------------------------- readable as a waitable

    @Test
    public void readableIsAvailableWithoutConsumingWhileBytesAreBuffered() throws Exception {
        PipeUnderTest p = newPipe(8);
        assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, p.readable()));
        long t0 = System.nanoTime();
        assertEquals(Wait.TIMEOUT, Wait.any(SHORT, p.readable()));
        assertNeverEarly(t0, SHORT);
        p.sink().write(bytes(0, 2));
        assertEquals(0, Wait.any(Duration.ZERO, p.readable()));
        assertEquals(0, Wait.any(Duration.ZERO, p.readable()), "waiting on it consumed nothing");
        assertEquals(2, p.buffered());
        assertTrue(Wait.all(Duration.ZERO, p.readable()));
        assertEquals(2, p.buffered());
    }

    @Test
    public void readableIsAvailableOnceTheWriterClosedEvenWhenEmpty() throws Exception {
        PipeUnderTest p = newPipe(8);
        CompletableFuture<Integer> w = Wait.anyAsync(p.readable());
        assertPending(w);
        p.sink().close();
        assertEquals(0, assertCompleted(w));
        assertEquals(0, Wait.any(Duration.ZERO, p.readable()));
    }

    @Test
    public void blockedWaitAnyOnReadableIsWokenByAWriteWithItsIndex() throws IOException {
        EventUnderTest other = newCompanionEvent(false);
        PipeUnderTest p = newPipe(8);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), p.readable()));
        p.sink().write(9);
        assertEquals(1, w.join());
        assertEquals(1, p.buffered(), "nothing consumed");
        assertEquals(9, p.source().read());
        other.set();
        assertTrue(other.isSignaled());
    }
}
