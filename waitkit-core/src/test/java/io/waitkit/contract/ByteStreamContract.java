package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Wait;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract of a byte stream, after the ao kernel's {@code stream}: a read completes once at
 * least {@code min} bytes are buffered and takes as many as are there up to {@code max}; a write
 * completes once at least {@code min} bytes fit and writes as many as fit up to {@code max}; a
 * write serves the pending reader and a read the pending writer before returning; only one read and
 * one write may be pending, a second is refused at once; a transfer that does not report success
 * moved nothing; overwriting discards the oldest bytes.
 *
 * <p>A backend extends this class and implements {@link #newByteStream}.
 */
public abstract class ByteStreamContract extends ContractBase {
    /**
     * Creates the stream under test.
     *
     * @param capacity the number of bytes it buffers
     * @return the stream, empty
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    protected abstract ByteStreamUnderTest newByteStream(int capacity);

    private static byte[] bytes(int from, int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void newStreamIsEmptyAndACapacityBelowOneIsRejected() {
        ByteStreamUnderTest s = newByteStream(5);
        assertEquals(5, s.capacity());
        assertEquals(0, s.available());
        assertThrows(IllegalArgumentException.class, () -> newByteStream(0));
    }

    @Test
    public void readTakesTheBufferedBytesInOrderUpToItsMaximum() {
        ByteStreamUnderTest s = newByteStream(8);
        assertEquals(5, s.tryWrite(bytes(1, 5), 0, 5, 5));
        byte[] dst = new byte[10];
        assertEquals(3, s.tryRead(dst, 0, 1, 3));
        assertEquals(2, s.tryRead(dst, 3, 1, 7), "takes what is there, below its maximum");
        assertArrayEquals(Arrays.copyOf(bytes(1, 5), 10), dst);
        assertEquals(0, s.available());
        assertEquals(0, s.tryRead(dst, 0, 0, 4), "a minimum of 0 completes with what is there: nothing");
    }

    @Test
    public void writeWritesAsManyBytesAsFitUpToItsMaximum() {
        ByteStreamUnderTest s = newByteStream(8);
        assertEquals(6, s.tryWrite(bytes(0, 6), 0, 6, 6));
        assertEquals(2, s.tryWrite(bytes(6, 6), 0, 1, 6), "two fit");
        assertEquals(8, s.available());
        assertEquals(-1, s.tryWrite(bytes(0, 1), 0, 1, 1));
        assertEquals(0, s.tryWrite(bytes(0, 1), 0, 0, 1));
        byte[] dst = new byte[8];
        assertEquals(8, s.tryRead(dst, 0, 8, 8));
        assertArrayEquals(bytes(0, 8), dst);
    }

    @Test
    public void pollsBelowTheMinimumFailAndMoveNothing() throws InterruptedException {
        ByteStreamUnderTest s = newByteStream(8);
        s.tryWrite(bytes(1, 3), 0, 3, 3);
        byte[] dst = new byte[8];
        assertEquals(-1, s.tryRead(dst, 0, 4, 8));
        assertEquals(-1, s.read(dst, 0, 4, 8, Duration.ZERO));
        assertEquals(-1, s.read(dst, 0, 4, 8, Duration.ofMillis(-1)));
        assertArrayEquals(new byte[8], dst, "nothing was read");
        assertEquals(-1, s.tryWrite(bytes(0, 6), 0, 6, 6), "five fit, six are needed");
        assertEquals(-1, s.write(bytes(0, 6), 0, 6, 6, Duration.ZERO));
        assertEquals(3, s.available());
    }

    @Test
    public void timedTransfersTimeOutNeverEarlyAndLeaveNoPendingSlotTaken() throws InterruptedException {
        ByteStreamUnderTest s = newByteStream(2);
        long t0 = System.nanoTime();
        assertEquals(-1, s.read(new byte[2], 0, 1, 2, SHORT));
        assertNeverEarly(t0, SHORT);
        CompletableFuture<Integer> reader = s.readAsync(new byte[2], 0, 1, 2);
        assertPending(reader);
        assertTrue(reader.cancel(false), "the timed-out reader had left the single reader slot");
        s.tryWrite(bytes(0, 2), 0, 2, 2);
        t0 = System.nanoTime();
        assertEquals(-1, s.write(bytes(0, 1), 0, 1, 1, SHORT));
        assertNeverEarly(t0, SHORT);
        CompletableFuture<Integer> writer = s.writeAsync(bytes(0, 1), 0, 1, 1);
        assertPending(writer);
        assertTrue(writer.cancel(false));
        assertEquals(2, s.available());
    }

    @Test
    public void badRangesAreRejectedAndTheStreamStaysUsable() {
        ByteStreamUnderTest s = newByteStream(4);
        byte[] src = bytes(0, 4);
        assertThrows(IllegalArgumentException.class, () -> s.tryWrite(src, 0, 3, 2), "min > max");
        assertThrows(IllegalArgumentException.class, () -> s.tryWrite(src, 0, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> s.writeAsync(bytes(0, 8), 0, 5, 8), "min > capacity");
        assertThrows(IndexOutOfBoundsException.class, () -> s.tryWrite(src, 2, 1, 3));
        assertThrows(NullPointerException.class, () -> s.tryWrite(null, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> s.writeOverwriting(bytes(0, 5), 0, 5), "longer than the capacity");
        assertThrows(IndexOutOfBoundsException.class, () -> s.writeOverwriting(src, 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> s.readOp(new byte[2], 0, 1, 3));
        assertEquals(0, s.available());
        assertEquals(4, s.tryWrite(src, 0, 4, 4));
    }

    @Test
    public void ringWrapsAroundWithoutCorruptingTheStream() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        ByteStreamUnderTest s = newByteStream(7);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        int next = 0;
        for (int step = 0; step < 2_000; step++) {
            String where = "step " + step + " (seed " + seed + ")";
            if (random.nextBoolean()) {
                int max = random.nextInt(1, 10);
                byte[] src = bytes(next, max);
                int n = s.tryWrite(src, 0, 0, max);
                assertEquals(Math.min(max, 7 - model.size()), n, where);
                for (int i = 0; i < n; i++) {
                    model.addLast(src[i]);
                }
                next += n;
            } else {
                int max = random.nextInt(1, 10);
                byte[] dst = new byte[max];
                int n = s.tryRead(dst, 0, 0, max);
                assertEquals(Math.min(max, model.size()), n, where);
                for (int i = 0; i < n; i++) {
                    assertEquals(model.removeFirst(), dst[i], where);
                }
            }
            assertEquals(model.size(), s.available(), where);
        }
    }

    // ---------------------------------------------------------------- hand-off

    @Test
    public void writeHandsTheBytesToThePendingReaderBeforeReturning() {
        ByteStreamUnderTest s = newByteStream(8);
        byte[] dst = new byte[8];
        Forked<Integer> reader = blockedCall("reader", () -> s.read(dst, 0, 4, 8));
        assertEquals(2, s.tryWrite(bytes(1, 2), 0, 2, 2));
        assertEquals(2, s.available(), "below the reader's minimum: it still waits");
        assertFalse(reader.isDone());
        assertEquals(3, s.tryWrite(bytes(3, 3), 0, 3, 3));
        assertEquals(0, s.available(), "the reader took all five before the write returned");
        assertEquals(5, reader.join());
        assertArrayEquals(Arrays.copyOf(bytes(1, 5), 8), dst);
    }

    @Test
    public void readFreesSpaceAndLetsThePendingWriterInBeforeReturning() {
        ByteStreamUnderTest s = newByteStream(4);
        s.tryWrite(bytes(0, 4), 0, 4, 4);
        Forked<Integer> writer = blockedCall("writer", () -> s.write(bytes(10, 6), 0, 3, 6, LONG));
        byte[] dst = new byte[4];
        assertEquals(2, s.tryRead(dst, 0, 2, 2));
        assertEquals(2, s.available(), "two free, the writer needs three");
        assertFalse(writer.isDone());
        assertEquals(1, s.tryRead(dst, 2, 1, 1));
        assertEquals(4, s.available(), "the writer put three in before the read returned");
        assertEquals(3, writer.join());
        assertEquals(4, s.tryRead(dst, 0, 4, 4));
        assertArrayEquals(new byte[] {3, 10, 11, 12}, dst);
    }

    @Test
    public void secondPendingWriterIsRefusedAtOnceAndTheFirstIsUnaffected() {
        ByteStreamUnderTest s = newByteStream(2);
        s.tryWrite(bytes(0, 2), 0, 2, 2);
        Forked<Integer> first = blockedCall("first", () -> s.write(bytes(5, 1), 0, 1, 1));
        assertThrows(IllegalStateException.class, () -> s.write(bytes(0, 1), 0, 1, 1, LONG));
        assertThrows(IllegalStateException.class, () -> s.tryWrite(bytes(0, 1), 0, 1, 1));
        assertThrows(IllegalStateException.class, () -> s.writeAsync(bytes(0, 1), 0, 1, 1));
        assertThrows(IllegalStateException.class, () -> s.writeOverwriting(bytes(0, 1), 0, 1),
                "overwriting does not overtake a pending writer");
        assertFalse(first.isDone());
        byte[] dst = new byte[2];
        assertEquals(1, s.tryRead(dst, 0, 1, 1));
        assertEquals(1, first.join());
        assertEquals(2, s.tryRead(dst, 0, 2, 2));
        assertArrayEquals(new byte[] {1, 5}, dst);
    }

    @Test
    public void overwritingDiscardsTheOldestBytesAndServesThePendingReader() {
        ByteStreamUnderTest s = newByteStream(4);
        s.tryWrite(bytes(1, 3), 0, 3, 3);
        assertEquals(2, s.writeOverwriting(bytes(4, 3), 0, 3));
        byte[] dst = new byte[4];
        assertEquals(4, s.tryRead(dst, 0, 4, 4));
        assertArrayEquals(new byte[] {3, 4, 5, 6}, dst);
        Forked<Integer> reader = blockedCall("reader", () -> s.read(dst, 0, 2, 4, LONG));
        assertEquals(0, s.writeOverwriting(bytes(7, 2), 0, 2));
        assertEquals(0, s.available(), "handed to the reader before returning");
        assertEquals(2, reader.join());
        assertEquals(7, dst[0]);
        assertEquals(8, dst[1]);
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeTransferringThrowsAndMovesNothing() {
        ByteStreamUnderTest s = newByteStream(4);
        s.tryWrite(bytes(0, 2), 0, 2, 2);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.read(new byte[2], 0, 1, 2));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> s.write(bytes(0, 1), 0, 1, 1, LONG));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(2, s.available());
    }

    @Test
    public void interruptedReaderIsWithdrawnSoTheBytesStayAndANewReaderMayWait() {
        ByteStreamUnderTest s = newByteStream(4);
        Forked<Integer> reader = blockedCall("reader", () -> s.read(new byte[4], 0, 1, 4));
        reader.interrupt();
        reader.joinFailure(InterruptedException.class);
        assertEquals(3, s.tryWrite(bytes(0, 3), 0, 3, 3));
        assertEquals(3, s.available());
        byte[] dst = new byte[4];
        assertEquals(3, assertCompleted(s.readAsync(dst, 0, 1, 4)));
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncTransfersCompleteInsideTheirCounterpartWithTheCount() {
        ByteStreamUnderTest s = newByteStream(2);
        byte[] dst = new byte[4];
        CompletableFuture<Integer> read = s.readAsync(dst, 0, 2, 4);
        assertEquals(1, s.tryWrite(bytes(1, 1), 0, 1, 1));
        assertPending(read);
        assertEquals(1, s.tryWrite(bytes(2, 1), 0, 1, 1));
        assertEquals(2, assertCompleted(read));
        assertArrayEquals(new byte[] {1, 2, 0, 0}, dst);
        s.tryWrite(bytes(0, 2), 0, 2, 2);
        CompletableFuture<Integer> write = s.writeAsync(bytes(9, 2), 0, 1, 2);
        assertPending(write);
        assertEquals(1, s.tryRead(dst, 0, 1, 1));
        assertEquals(1, assertCompleted(write), "one byte fit when the read returned");
    }

    @Test
    public void cancelledAsyncReadIsWithdrawnAndCancelAfterCompletionKeepsTheBytesRead() {
        ByteStreamUnderTest s = newByteStream(4);
        CompletableFuture<Integer> cancelled = s.readAsync(new byte[4], 0, 1, 4);
        assertTrue(cancelled.cancel(false));
        s.tryWrite(bytes(0, 2), 0, 2, 2);
        assertEquals(2, s.available(), "the cancelled read took nothing");
        s.tryRead(new byte[2], 0, 2, 2);
        CompletableFuture<Integer> kept = s.readAsync(new byte[4], 0, 1, 4);
        s.tryWrite(bytes(0, 3), 0, 3, 3);
        assertFalse(kept.cancel(false));
        assertEquals(3, assertCompleted(kept));
        assertEquals(0, s.available());
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyReportsTheReadIndexAndDeliversTheCount() {
        EventUnderTest other = newCompanionEvent(false);
        ByteStreamUnderTest s = newByteStream(4);
        byte[] dst = new byte[4];
        OpUnderTest<Integer> read = s.readOp(dst, 0, 2, 4);
        Forked<Integer> w = blockedCall("any", () -> Wait.any(LONG, other.waitable(), read.waitable()));
        s.tryWrite(bytes(1, 1), 0, 1, 1);
        assertFalse(w.isDone());
        s.tryWrite(bytes(2, 2), 0, 2, 2);
        assertEquals(1, w.join());
        assertEquals(3, read.result());
        assertArrayEquals(new byte[] {1, 2, 3, 0}, dst);
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void readOfAWaitAnyWonByAnotherMemberReadsNothing() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(true);
        ByteStreamUnderTest s = newByteStream(4);
        s.tryWrite(bytes(0, 2), 0, 2, 2);
        OpUnderTest<Integer> read = s.readOp(new byte[4], 0, 1, 4);
        assertEquals(0, Wait.any(Duration.ZERO, other.waitable(), read.waitable()));
        assertEquals(-1, read.result());
        assertEquals(2, s.available());
    }

    @Test
    public void waitAllWritesOnlyTogetherWithTheOtherMember() throws InterruptedException {
        EventUnderTest other = newCompanionEvent(false);
        ByteStreamUnderTest s = newByteStream(4);
        OpUnderTest<Integer> write = s.writeOp(bytes(0, 3), 0, 3, 3);
        assertFalse(Wait.all(Duration.ZERO, write.waitable(), other.waitable()));
        assertEquals(0, s.available());
        other.set();
        assertTrue(Wait.all(Duration.ZERO, write.waitable(), other.waitable()));
        assertEquals(3, write.result());
        assertEquals(3, s.available());
    }
}
