package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A byte stream with at most one pending reader and one pending writer, as the ao kernel's
 * {@code stream}: each read and write names a minimum and a maximum byte count.
 *
 * <p>A read completes when at least {@code min} bytes are buffered and takes as many as are
 * there, up to {@code max}; a write completes when at least {@code min} bytes fit and writes as
 * many as fit, up to {@code max} (ao case T31). A read that frees space lets the pending writer
 * in, and the other way round, before returning. Only one read and one write may be pending: a
 * second concurrent reader (or writer) is refused at once with
 * {@link IllegalStateException} (ao case T32, where the second pop fails immediately).
 * {@link #writeOverwriting} never blocks: it discards the oldest bytes to make room.
 *
 * <p>In {@link Wait#any} and {@link Wait#all}, wait on {@link #readOp} or {@link #writeOp}.
 *
 * <p>Memory visibility: actions before a write happen-before the actions after a read that
 * took its bytes.
 *
 * <pre>{@code
 * ByteStream uart = new ByteStream(256);
 * byte[] frame = new byte[16];
 * int n = uart.read(frame, 0, 4, 16);     // at least a 4-byte header, up to 16
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class ByteStream extends WaitObject {
    private final ByteRing ring;
    // Guarded by the object lock.
    private Transfer pendingRead;
    private Transfer pendingWrite;

    /**
     * Creates a byte stream.
     *
     * @param capacity the number of bytes it buffers
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public ByteStream(int capacity) {
        super(0L);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new ByteRing(capacity);
    }

    // ---- engine hooks

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        Transfer t = (Transfer) op;
        if (t.read) {
            if (pendingRead != null && pendingRead != t) {
                return REFUSED;
            }
            return ring.count() >= t.min ? value : UNAVAILABLE;
        }
        if (pendingWrite != null && pendingWrite != t) {
            return REFUSED;
        }
        return ring.free() >= t.min ? value : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        Transfer t = (Transfer) op;
        if (t.read) {
            int n = Math.min(ring.count(), t.max);
            ring.take(t.buffer, t.offset, n);
            t.count = n;
            if (wasQueued) {
                pendingRead = null;
            }
        } else {
            int n = Math.min(ring.free(), t.max);
            ring.put(t.buffer, t.offset, n);
            t.count = n;
            if (wasQueued) {
                pendingWrite = null;
            }
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        Transfer t = (Transfer) op;
        if (t.read) {
            pendingRead = t;
        } else {
            pendingWrite = t;
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        if (op == pendingRead) {
            pendingRead = null;
        } else if (op == pendingWrite) {
            pendingWrite = null;
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean rescanAfter(WaitOperation op) {
        return ((Transfer) op).read ? pendingWrite != null : pendingRead != null;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return (pendingRead != null && ring.count() >= pendingRead.min)
                || (pendingWrite != null && ring.free() >= pendingWrite.min);
    }

    /** {@inheritDoc} */
    @Override
    protected RuntimeException refused(long code, WaitOperation op) {
        return new IllegalStateException(((Transfer) op).read ? "another read of this stream is pending"
                : "another write to this stream is pending");
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_CONTENDED;
    }

    private Transfer transfer(boolean read, byte[] buffer, int offset, int min, int max) {
        Objects.requireNonNull(buffer, read ? "dst" : "src");
        Objects.checkFromIndexSize(offset, max, buffer.length);
        if (min < 0 || min > max) {
            throw new IllegalArgumentException("need 0 <= min <= max: min=" + min + ", max=" + max);
        }
        if (min > ring.capacity()) {
            throw new IllegalArgumentException("min " + min + " exceeds the capacity " + ring.capacity()
                    + ": the transfer could never complete");
        }
        return new Transfer(this, read, buffer, offset, min, max);
    }

    // ---- reading

    /**
     * Returns a read operation for {@link Wait#any}; after the wait reported it,
     * {@link Transfer#count()} tells how many bytes were read into {@code dst}.
     *
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return a new operation
     * @throws NullPointerException if {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code dst}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public Transfer readOp(byte[] dst, int offset, int min, int max) {
        return transfer(true, dst, offset, min, max);
    }

    /**
     * Reads between {@code min} and {@code max} bytes, waiting until at least {@code min} are
     * buffered.
     *
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return the number of bytes read
     * @throws InterruptedException if interrupted first (nothing read)
     * @throws IllegalStateException if another read is pending, or the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     * @throws NullPointerException if {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code dst}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public int read(byte[] dst, int offset, int min, int max) throws InterruptedException {
        Transfer t = readOp(dst, offset, min, max);
        Blocking.await(this, 1, t);
        return t.count;
    }

    /**
     * Reads between {@code min} and {@code max} bytes, waiting at most {@code timeout}.
     *
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @param timeout the longest time to wait; zero or negative polls
     * @return the number of bytes read, or -1 on timeout (nothing read)
     * @throws InterruptedException if interrupted first (nothing read)
     * @throws IllegalStateException if another read is pending, or the timeout is positive and
     *         the current thread runs at {@link Irql#DISPATCH_LEVEL}
     * @throws NullPointerException if {@code dst} or {@code timeout} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code dst}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public int read(byte[] dst, int offset, int min, int max, Duration timeout) throws InterruptedException {
        Transfer t = readOp(dst, offset, min, max);
        return Blocking.await(this, 1, t, timeout) == WaitEngine.ACQUIRED ? t.count : -1;
    }

    /**
     * Reads if at least {@code min} bytes are buffered now; never blocks.
     *
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return the number of bytes read, or -1 if fewer than {@code min} are buffered
     * @throws IllegalStateException if another read is pending
     * @throws NullPointerException if {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code dst}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public int tryRead(byte[] dst, int offset, int min, int max) {
        Transfer t = readOp(dst, offset, min, max);
        return Blocking.poll(this, 1, t) == WaitEngine.ACQUIRED ? t.count : -1;
    }

    /**
     * Reads asynchronously; the future completes with the number of bytes read into
     * {@code dst}. Cancelling a pending future withdraws the read.
     *
     * @param dst where the bytes go
     * @param offset the first index in {@code dst}
     * @param min the fewest bytes to read
     * @param max the most bytes to read
     * @return the future of the read
     * @throws IllegalStateException if another read is pending
     * @throws NullPointerException if {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code dst}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public CompletableFuture<Integer> readAsync(byte[] dst, int offset, int min, int max) {
        return WaitEngine.acquireAsync(this, 1, readOp(dst, offset, min, max));
    }

    // ---- writing

    /**
     * Returns a write operation for {@link Wait#any}; after the wait reported it,
     * {@link Transfer#count()} tells how many bytes were written from {@code src}.
     *
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return a new operation
     * @throws NullPointerException if {@code src} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code src}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public Transfer writeOp(byte[] src, int offset, int min, int max) {
        return transfer(false, src, offset, min, max);
    }

    /**
     * Writes between {@code min} and {@code max} bytes, waiting until at least {@code min} fit.
     *
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return the number of bytes written
     * @throws InterruptedException if interrupted first (nothing written)
     * @throws IllegalStateException if another write is pending, or the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     * @throws NullPointerException if {@code src} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code src}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public int write(byte[] src, int offset, int min, int max) throws InterruptedException {
        Transfer t = writeOp(src, offset, min, max);
        Blocking.await(this, 1, t);
        return t.count;
    }

    /**
     * Writes between {@code min} and {@code max} bytes, waiting at most {@code timeout}.
     *
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @param timeout the longest time to wait; zero or negative polls
     * @return the number of bytes written, or -1 on timeout (nothing written)
     * @throws InterruptedException if interrupted first (nothing written)
     * @throws IllegalStateException if another write is pending, or the timeout is positive and
     *         the current thread runs at {@link Irql#DISPATCH_LEVEL}
     * @throws NullPointerException if {@code src} or {@code timeout} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code src}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public int write(byte[] src, int offset, int min, int max, Duration timeout) throws InterruptedException {
        Transfer t = writeOp(src, offset, min, max);
        return Blocking.await(this, 1, t, timeout) == WaitEngine.ACQUIRED ? t.count : -1;
    }

    /**
     * Writes if at least {@code min} bytes fit now; never blocks.
     *
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return the number of bytes written, or -1 if fewer than {@code min} fit
     * @throws IllegalStateException if another write is pending
     * @throws NullPointerException if {@code src} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code src}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public int tryWrite(byte[] src, int offset, int min, int max) {
        Transfer t = writeOp(src, offset, min, max);
        return Blocking.poll(this, 1, t) == WaitEngine.ACQUIRED ? t.count : -1;
    }

    /**
     * Writes asynchronously; the future completes with the number of bytes written.
     *
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param min the fewest bytes to write
     * @param max the most bytes to write
     * @return the future of the write
     * @throws IllegalStateException if another write is pending
     * @throws NullPointerException if {@code src} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code max} do not fit {@code src}
     * @throws IllegalArgumentException unless {@code 0 <= min <= max} and {@code min <= capacity}
     */
    public CompletableFuture<Integer> writeAsync(byte[] src, int offset, int min, int max) {
        return WaitEngine.acquireAsync(this, 1, writeOp(src, offset, min, max));
    }

    /**
     * Writes {@code length} bytes without ever blocking, discarding the oldest buffered bytes
     * to make room (ao's {@code push_override}); then serves the pending reader. Never blocks.
     *
     * @param src the bytes to write
     * @param offset the first index in {@code src}
     * @param length how many bytes, at most the capacity
     * @return the number of old bytes discarded
     * @throws IllegalStateException if a write is pending (as in ao, overwriting does not
     *         overtake it)
     * @throws NullPointerException if {@code src} is null
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code src}
     * @throws IllegalArgumentException if {@code length} exceeds the capacity
     */
    public int writeOverwriting(byte[] src, int offset, int length) {
        Objects.requireNonNull(src, "src");
        Objects.checkFromIndexSize(offset, length, src.length);
        if (length > ring.capacity()) {
            throw new IllegalArgumentException("length " + length + " exceeds the capacity " + ring.capacity());
        }
        long v = lockForSignal();
        try {
            if (pendingWrite != null) {
                throw new IllegalStateException("another write to this stream is pending");
            }
            int dropped = Math.max(0, length - ring.free());
            ring.drop(dropped);
            ring.put(src, offset, length);
            if (pendingRead != null) {
                v = wake(v);
            }
            return dropped;
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Returns the number of buffered bytes (a snapshot).
     *
     * @return the bytes available to read
     */
    public int available() {
        long v = lockState();
        int n = ring.count();
        unlockState(v);
        return n;
    }

    /**
     * Returns the capacity.
     *
     * @return the number of bytes the stream buffers
     */
    public int capacity() {
        return ring.capacity();
    }

    /**
     * Describes the stream.
     *
     * @return for example {@code ByteStream[10/64, waiters=0]}; never blocks
     */
    @Override
    public String toString() {
        return "ByteStream[" + available() + "/" + capacity() + ", waiters=" + queuedCount() + "]";
    }

    /** A read or a write of a range of bytes: a {@link Waitable} operation. */
    public static final class Transfer extends WaitOperation implements Waitable {
        private final ByteStream stream;
        private final boolean read;
        private final byte[] buffer;
        private final int offset;
        private final int min;
        private final int max;
        private volatile int count = -1;

        private Transfer(ByteStream stream, boolean read, byte[] buffer, int offset, int min, int max) {
            this.stream = stream;
            this.read = read;
            this.buffer = buffer;
            this.offset = offset;
            this.min = min;
            this.max = max;
        }

        /** {@inheritDoc} */
        @Override
        protected WaitObject target() {
            return stream;
        }

        /** {@inheritDoc} */
        @Override
        protected Object result() {
            return count;
        }

        /**
         * Returns how many bytes the last completed wait on this operation transferred.
         *
         * @return the count, or -1 if none completed
         */
        public int count() {
            return count;
        }
    }
}
