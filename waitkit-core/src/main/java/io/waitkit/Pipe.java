package io.waitkit;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A byte pipe with separate ends, as AxisOS's {@code pipe}: a bounded buffer written through
 * {@link #sink()} and read through {@link #source()}.
 *
 * <ul>
 *   <li>A read blocks until at least one byte is buffered and returns what is there (up to the
 *       requested length). After the write end is closed, buffered bytes are still delivered;
 *       only then does a read report end of stream ({@code -1}).</li>
 *   <li>A write blocks while the buffer is full and returns once every byte is in (large writes
 *       go in chunks, interleaving with reads). Writing after the read end was closed, or while
 *       it gets closed, fails with an {@link IOException} "Broken pipe"; bytes already in the
 *       buffer at that moment are discarded with the read end.</li>
 *   <li>Closing an end wakes the other side. Using a closed end fails with an
 *       {@link IOException}, also for a read or write that was blocked on that end when it
 *       was closed (by another thread).</li>
 * </ul>
 * Interrupting a blocked read or write throws {@link InterruptedIOException} (with the number
 * of bytes already written, for a write); the interrupt status stays set.
 *
 * <p>{@link #readable()} is a {@link Waitable} that becomes available, without consuming
 * anything, while bytes are buffered or the write end is closed (AxisOS pipes are waitable the
 * same way).
 *
 * <p>Memory visibility: actions before a write happen-before the actions after the read that
 * returned its bytes.
 *
 * <pre>{@code
 * Pipe pipe = new Pipe(4096);
 * try (OutputStream out = pipe.sink()) { out.write("Hello from pipe!".getBytes()); }
 * byte[] all = pipe.source().readAllBytes();     // ends at EOF, after the writer closed
 * }</pre>
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Pipe extends WaitObject {
    private final ByteRing ring;
    private final Readable readable = new Readable();
    private final Source source = new Source();
    private final Sink sink = new Sink();
    // Guarded by the object lock.
    private boolean readClosed;
    private boolean writeClosed;

    /**
     * Creates a pipe.
     *
     * @param capacity the number of bytes it buffers
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public Pipe(int capacity) {
        super(0L);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new ByteRing(capacity);
    }

    // ---- engine hooks: operations are Chunk (read or write) and Readable

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (op instanceof Chunk c) {
            // a transfer on a closed end completes at once and fails (see acquired): also a
            // transfer that was queued when its own end got closed, which must not stay blocked
            if (c.read) {
                return ring.count() > 0 || writeClosed || readClosed ? value : UNAVAILABLE;
            }
            return ring.free() > 0 || readClosed || writeClosed ? value : UNAVAILABLE;
        }
        return ring.count() > 0 || writeClosed || readClosed ? value : UNAVAILABLE;
    }

    /** {@inheritDoc} */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        if (op instanceof Chunk c) {
            if (c.read ? readClosed : writeClosed) {
                c.closed = true; // the caller's own end is closed: nothing moves
            } else if (c.read) {
                int n = Math.min(ring.count(), c.length);
                if (n == 0) {
                    c.count = -1; // end of stream: the writer closed and the buffer is drained
                } else {
                    ring.take(c.buffer, c.offset, n);
                    c.count = n;
                }
            } else if (readClosed) {
                c.broken = true;
            } else {
                int n = Math.min(ring.free(), c.length);
                ring.put(c.buffer, c.offset, n);
                c.count = n;
            }
        }
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean rescanAfter(WaitOperation op) {
        return op instanceof Chunk; // a read frees space, a write provides bytes
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_CONTENDED;
    }

    private int transfer(boolean read, byte[] b, int off, int len) throws IOException {
        Chunk c = new Chunk(this, read, b, off, len);
        try {
            Blocking.await(this, 1, c);
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(read ? "read interrupted" : "write interrupted");
        }
        if (c.closed) {
            throw new IOException(read ? "read end closed" : "write end closed");
        }
        if (c.broken) {
            throw new IOException("Broken pipe");
        }
        return c.count;
    }

    private void closeEnd(boolean readEnd) {
        long v = lockForSignal();
        try {
            if (readEnd) {
                readClosed = true;
                ring.drop(ring.count()); // nobody can read them any more
            } else {
                writeClosed = true;
            }
            v = wake(v);
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Returns the read end.
     *
     * @return the stream that reads from the pipe (the same object on every call)
     */
    public InputStream source() {
        return source;
    }

    /**
     * Returns the write end.
     *
     * @return the stream that writes into the pipe (the same object on every call)
     */
    public OutputStream sink() {
        return sink;
    }

    /**
     * Returns a {@link Waitable} that is available while bytes are buffered or the write end is
     * closed (also once the read end is closed, so that a waiter is not stranded); waiting on it
     * consumes nothing.
     *
     * @return the readability of the pipe
     */
    public Waitable readable() {
        return readable;
    }

    /**
     * Returns the number of buffered bytes (a snapshot).
     *
     * @return the bytes a read would find
     */
    public int buffered() {
        long v = lockState();
        int n = ring.count();
        unlockState(v);
        return n;
    }

    /**
     * Describes the pipe.
     *
     * @return for example {@code Pipe[12/4096, write end closed, waiters=0]}
     */
    @Override
    public String toString() {
        long v = lockState();
        String s = "Pipe[" + ring.count() + "/" + ring.capacity() + (readClosed ? ", read end closed" : "")
                + (writeClosed ? ", write end closed" : "") + ", waiters=" + queuedCount() + "]";
        unlockState(v);
        return s;
    }

    /** A read or a write in progress (engine payload; not a public operation). */
    private static final class Chunk extends WaitOperation {
        final Pipe pipe;
        final boolean read;
        final byte[] buffer;
        final int offset;
        final int length;
        int count;
        boolean broken;
        boolean closed;

        Chunk(Pipe pipe, boolean read, byte[] buffer, int offset, int length) {
            this.pipe = pipe;
            this.read = read;
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
        }

        @Override
        protected WaitObject target() {
            return pipe;
        }
    }

    private final class Readable extends WaitOperation implements Waitable {
        @Override
        protected WaitObject target() {
            return Pipe.this;
        }
    }

    private final class Source extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            return transfer(true, b, off, len);
        }

        @Override
        public int available() {
            return buffered();
        }

        @Override
        public void close() {
            closeEnd(true);
        }
    }

    private final class Sink extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            int done = 0;
            while (done < len) {
                try {
                    done += transfer(false, b, off + done, len - done);
                } catch (InterruptedIOException e) {
                    e.bytesTransferred = done;
                    throw e;
                }
            }
        }

        @Override
        public void close() {
            closeEnd(false);
        }
    }
}
