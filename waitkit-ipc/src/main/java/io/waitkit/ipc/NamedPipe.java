package io.waitkit.ipc;

import io.waitkit.Waitable;
import io.waitkit.ipc.internal.HandleState;
import io.waitkit.ipc.internal.PipeProxy;
import io.waitkit.ipc.internal.Waits;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A byte stream between the processes of one host under a name, with a buffer of
 * {@link #capacity()} bytes fixed at creation: any number of readers and writers in any
 * processes, each end a stream of its own.
 *
 * <pre>{@code
 * NamedPipe p = Namespace.user().pipe("log", 65536);
 * try (OutputStream out = p.openWriter()) { out.write(line); }     // one process
 * try (InputStream in = p.openReader()) { in.transferTo(System.out); } // another: ends at EOF
 * }</pre>
 *
 * <p><b>Rules.</b> Opening an end never blocks (unlike a POSIX FIFO). A read blocks while the
 * buffer is empty and EOF has not happened; it returns what is there, up to the length asked.
 * EOF (-1) happens once at least one writer has opened and every writer has since closed or
 * died, and the buffer is drained; a writer opening again ends it. A write blocks while the
 * buffer is full and returns once every byte is in it; a write of at most 4096 bytes (or the
 * capacity, if smaller) is never interleaved with other writers' bytes, a longer one may be. A
 * write fails with an {@link IOException} saying "broken pipe" once at least one reader has
 * opened and every reader has since closed or died (bytes of the same call already in the
 * buffer stay there). The death of a process with open ends is noticed by the other side's
 * waiting threads within about 50 ms.
 *
 * <p><b>Crashes.</b> Bytes become readable all at once per chunk, by one store after they are
 * copied: a writer killed mid-write leaves no torn chunk, and a process killed inside the
 * pipe's critical section leaves the lock to the next process, which recomputes the pipe's
 * bookkeeping. A reader killed after taking bytes takes them with it.
 *
 * <p><b>Streams.</b> The streams are thread-safe (each call is atomic with respect to the
 * others) and independent of this handle: they stay usable after it closes, and each keeps the
 * pipe mapped until it is closed. A blocked read or write is interrupted by
 * {@link Thread#interrupt()}: it throws {@link InterruptedIOException} (with the bytes already
 * transferred) and keeps the interrupt status. A stream used after its {@code close()} throws
 * {@link IOException}. Bytes written by one process happen-before the reads that return them.
 */
public final class NamedPipe extends NamedHandle<PipeProxy> implements NamedObject {
    NamedPipe(HandleState<PipeProxy> state) {
        super(state, "pipe");
    }

    /**
     * Opens a read end.
     *
     * @return a new stream
     * @throws IOException if 64 processes already have ends of this pipe open
     * @throws IllegalStateException if this handle is closed
     */
    public InputStream openReader() throws IOException {
        return new Reader(new End(state, false));
    }

    /**
     * Opens a write end.
     *
     * @return a new stream
     * @throws IOException if 64 processes already have ends of this pipe open
     * @throws IllegalStateException if this handle is closed
     */
    public OutputStream openWriter() throws IOException {
        return new Writer(new End(state, true));
    }

    /**
     * A wait member available while the buffer holds data or EOF has happened; acquiring it
     * consumes nothing (level-triggered, like a manual-reset event).
     *
     * @return a new wait member
     * @throws IllegalStateException if this handle is closed
     */
    public Waitable readable() {
        return proxy().newPeek();
    }

    /**
     * The buffer's capacity fixed at creation (reopening with another keeps this one).
     *
     * @return bytes
     */
    public int capacity() {
        return proxy().capacity();
    }

    /** One open end: its registration in the pipe and its own reference to the mapping. */
    private static final class End {
        final PipeProxy proxy;
        final boolean writer;
        private final HandleState<PipeProxy> own;
        final AtomicBoolean closed = new AtomicBoolean();

        End(HandleState<PipeProxy> handle, boolean writer) throws IOException {
            this.own = handle.duplicate();
            this.proxy = own.proxy();
            this.writer = writer;
            try {
                proxy.openEnd(writer);
            } catch (IOException | RuntimeException | Error e) {
                own.close();
                throw e;
            }
        }

        PipeProxy open() throws IOException {
            if (closed.get()) {
                throw closedException();
            }
            return proxy;
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                try {
                    proxy.closeEnd(writer);
                    proxy.kick(writer); // a transfer blocked on this end fails instead of staying blocked
                } finally {
                    own.close();
                }
            }
        }

        IOException closedException() {
            return new IOException("this " + (writer ? "writer" : "reader") + " of named pipe " + own.name() + " is closed");
        }
    }

    private static final class Reader extends InputStream {
        private final End end;

        Reader(End end) {
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            PipeProxy p = end.open();
            if (len == 0) {
                return 0;
            }
            PipeProxy.ReadOp op = p.newRead(b, off, len, end.closed);
            try {
                Waits.await(p, op, true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading named pipe " + p.mapping().name());
            }
            if (op.n() == PipeProxy.CLOSED) {
                throw end.closedException();
            }
            if (op.n() > 0) {
                p.writeSide().serveLocalQueue(); // a writer of this JVM waiting for room goes in before the read returns
            }
            return op.n();
        }

        @Override
        public int available() throws IOException {
            return end.open().used();
        }

        @Override
        public void close() {
            end.close();
        }

        @Override
        public String toString() {
            return "NamedPipe.reader[" + end.proxy.mapping().name() + "]";
        }
    }

    private static final class Writer extends OutputStream {
        private final End end;

        Writer(End end) {
            this.end = end;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            PipeProxy p = end.open();
            if (len == 0) {
                return;
            }
            PipeProxy.WriteOp op = p.newWrite(b, off, len, end.closed);
            while (op.done() < len) {
                try {
                    Waits.await(p.writeSide(), op, true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException x = new InterruptedIOException("interrupted while writing named pipe "
                            + p.mapping().name());
                    x.bytesTransferred = op.done();
                    throw x;
                }
                if (op.closed()) {
                    throw end.closedException();
                }
                p.serveLocalQueue(); // a reader of this JVM takes the bytes before the write returns
                if (op.broken()) {
                    throw new IOException("broken pipe: every reader of named pipe " + p.mapping().name()
                            + " has closed or died (" + op.done() + " of " + len + " bytes written)");
                }
            }
        }

        @Override
        public void close() {
            end.close();
        }

        @Override
        public String toString() {
            return "NamedPipe.writer[" + end.proxy.mapping().name() + "]";
        }
    }
}
