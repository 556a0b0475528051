package io.waitkit.compat.axis;

import io.waitkit.ipc.NamedPipe;
import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.WrongKindException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AxisOS kernel's {@code pipe} library: blocking, buffered byte streams, anonymous within
 * this JVM or named across the processes of the host.
 *
 * <pre>{@code
 * Pipe pipe = new Pipe();                                    // local pipe = require("pipe")
 * Pipe.Ends p = pipe.create(4096);                           // local p = pipe.create(4096)
 * pipe.write(p.write(), "Hello from pipe!");                 // pipe.write(p.write, "Hello from pipe!")
 * pipe.closeWrite(p.write());                                // pipe.closeWrite(p.write)
 * Pipe.ReadResult r = pipe.read(p.read(), 1024);             // local ok, data = pipe.read(p.read, 1024)
 * System.out.println(r.text());                              // "Hello from pipe!"
 * }</pre>
 *
 * <h2>Handles and results</h2>
 * One {@code Pipe} instance is one handle table, as one AxisOS process: pipe ends are named by
 * opaque handle strings {@code H-xxxxxx-xxxxx-xxxx-xxxx} as in {@link Sync}, usable by every
 * thread that holds the instance. A read handle has READ access, a write handle WRITE access
 * and a handle of {@link #connectNamed} both. An unknown string, {@code null}, a handle of
 * another table, or a closed handle is invalid. The seed's results become:
 * <ul>
 *   <li>{@code create}/{@code createNamed}: an {@link Ends} record (the seed's table
 *       {@code {read, write, name}}), or {@code null} with the message;</li>
 *   <li>{@code connectNamed}: a {@link Connection} ({@code {handle, name}}), or {@code null};</li>
 *   <li>{@code read}: a {@link ReadResult} ({@code true, data}; {@code true, nil} at EOF;
 *       {@code nil, message} as {@link ReadResult#ok()} false);</li>
 *   <li>{@code write}: the number of bytes written, or {@code -1} with the message;</li>
 *   <li>{@code closeRead}/{@code closeWrite}: {@code true} or {@code false}.</li>
 * </ul>
 * A failure records AxisOS's message for the calling thread, read with {@link #lastError()}
 * ("Pipe exists", "No such pipe", "No data", "Broken pipe", "Invalid pipe handle", "Invalid
 * parameter"); every call that succeeds clears it.
 *
 * <h2>Anonymous and named pipes</h2>
 * {@link #create} makes an in-process pipe (an {@link io.waitkit.Pipe}): Java has no handle
 * inheritance, so an anonymous pipe can only join the threads of this JVM, and it needs no
 * file. {@link #createNamed} makes a {@link NamedPipe} in the {@link Namespace} this facade was
 * given, which any process of the host can {@link #connectNamed connect} to. Names are
 * create-exclusive, as AxisOS's registry: a name that exists (also from an earlier run, or
 * holding another kind of object) gives {@code null}, "Pipe exists". The facade never removes
 * a name: it stays taken until {@link Namespace#unlink} removes it (AxisOS never releases
 * one).
 *
 * <h2>Ends</h2>
 * The read and write handles of {@code create} and {@code createNamed} are ends from the
 * start. A {@code connectNamed} handle becomes a reader on its first {@link #read} and a
 * writer on its first {@link #write}, so a process that only reads does not keep the stream
 * from ending. A named pipe ends (EOF) once every writer end that was ever opened, in every
 * process, is closed (or its process died) and the buffer is drained; writes fail with "Broken
 * pipe" once every reader end is closed or died. An anonymous pipe ends at its write handle's
 * {@code closeWrite} and breaks at its read handle's {@code closeRead}.
 *
 * <h2>Blocking</h2>
 * {@link #read} blocks while the buffer is empty and the stream has not ended; {@link #write}
 * blocks while the buffer is full, until every byte is in. Neither has a timeout (as AxisOS).
 * An interrupt makes them throw {@link InterruptedException}: a read then took nothing, a write
 * may have put a first part of the data in the buffer (which stays there). Closing a handle
 * while another thread is blocked on it makes that call fail with "Invalid pipe handle".
 * Actions before a write happen-before the actions after the read that returned its bytes.
 */
public final class Pipe implements AutoCloseable {
    /** The buffer size of {@link #create()} and {@link #createNamed(String)}. */
    public static final int DEFAULT_SIZE = 4096;
    /** The largest buffer: larger sizes are clamped to it. */
    public static final int MAX_SIZE = 65536;

    static final String PIPE_EXISTS = "Pipe exists";
    static final String NO_SUCH_PIPE = "No such pipe";
    static final String NO_DATA = "No data";
    static final String BROKEN_PIPE = "Broken pipe";
    static final String INVALID_PIPE_HANDLE = "Invalid pipe handle";
    static final String INVALID_PARAMETER = "Invalid parameter";

    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();

    private final Namespace namespace;
    private final HandleTable<End> handles = new HandleTable<>();

    /**
     * A facade whose named pipes live in the user's namespace ({@link Namespace#user()}).
     *
     * @throws IOException if the user's namespace cannot be opened (the message says why)
     */
    public Pipe() throws IOException {
        this(Namespace.user());
    }

    /**
     * A facade whose named pipes live in {@code namespace}.
     *
     * @param namespace where {@link #createNamed} and {@link #connectNamed} find names
     */
    public Pipe(Namespace namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    // ---------------------------------------------------------------------------------------
    // Results.

    /**
     * The two handles of a new pipe: the seed's table {@code {read = hR, write = hW, name}}.
     *
     * @param read the handle with READ access
     * @param write the handle with WRITE access
     * @param name the pipe's name, or {@code null} for an anonymous pipe
     */
    public record Ends(String read, String write, String name) {
    }

    /**
     * A connection to a named pipe: the seed's table {@code {handle = h, name}}.
     *
     * @param handle the handle, with READ and WRITE access on the pipe's one stream
     * @param name the pipe's name
     */
    public record Connection(String handle, String name) {
    }

    /**
     * The result of {@link #read}: the seed's {@code true, data}, {@code true, nil} (EOF) or
     * {@code nil, message}.
     *
     * @param ok false when the read failed ({@link Pipe#lastError()} says why)
     * @param data the bytes read (never shared with the pipe), or {@code null} at EOF or on
     *        failure
     */
    public record ReadResult(boolean ok, byte[] data) {
        /**
         * Whether the stream ended: every writer closed and the buffer drained.
         *
         * @return true for the seed's {@code true, nil}
         */
        public boolean eof() {
            return ok && data == null;
        }

        /**
         * The data as UTF-8 text (Lua strings are bytes; seed code mostly writes text).
         *
         * @return the text, or {@code null} at EOF or on failure
         */
        public String text() {
            return data == null ? null : new String(data, StandardCharsets.UTF_8);
        }

        /**
         * Describes the result.
         *
         * @return for example {@code ReadResult[ok, 12 bytes]} or {@code ReadResult[EOF]}
         */
        @Override
        public String toString() {
            return !ok ? "ReadResult[failed]" : data == null ? "ReadResult[EOF]" : "ReadResult[ok, " + data.length + " bytes]";
        }
    }

    /**
     * Returns the message of the calling thread's last failed call on any {@code Pipe}, or
     * {@code null} if its last call succeeded: the second value of the seed's
     * {@code nil, "message"} results. Never blocks.
     *
     * @return the message, or null
     */
    public static String lastError() {
        return LAST_ERROR.get();
    }

    private static void ok() {
        LAST_ERROR.remove();
    }

    private static <T> T fail(T result, String message) {
        LAST_ERROR.set(message);
        return result;
    }

    // ---------------------------------------------------------------------------------------
    // The streams behind the handles.

    /** One pipe as this facade sees it, shared by the handles of this facade on it. */
    private abstract static class Stream {
        private final AtomicInteger users = new AtomicInteger(1);

        abstract InputStream openReader() throws IOException;

        abstract OutputStream openWriter() throws IOException;

        abstract int capacity();

        abstract int buffered() throws IOException;

        /** Releases whatever the stream holds open. */
        abstract void free();

        void use() {
            users.incrementAndGet();
        }

        void release() {
            if (users.decrementAndGet() == 0) {
                free();
            }
        }
    }

    /** An anonymous pipe: in-process. */
    private static final class LocalStream extends Stream {
        final io.waitkit.Pipe pipe;
        final int capacity;

        LocalStream(int capacity) {
            this.pipe = new io.waitkit.Pipe(capacity);
            this.capacity = capacity;
        }

        @Override
        InputStream openReader() {
            return pipe.source();
        }

        @Override
        OutputStream openWriter() {
            return pipe.sink();
        }

        @Override
        int capacity() {
            return capacity;
        }

        @Override
        int buffered() {
            return pipe.buffered();
        }

        @Override
        void free() {
            // nothing outside the heap
        }
    }

    /** A named pipe: its ends are ends of the {@link NamedPipe}. */
    private static final class NamedStream extends Stream {
        final NamedPipe pipe;

        NamedStream(NamedPipe pipe) {
            this.pipe = pipe;
        }

        @Override
        InputStream openReader() throws IOException {
            return pipe.openReader();
        }

        @Override
        OutputStream openWriter() throws IOException {
            return pipe.openWriter();
        }

        @Override
        int capacity() {
            return pipe.capacity();
        }

        @Override
        int buffered() {
            String state = pipe.info().state(); // "used/capacity bytes..."
            return Integer.parseInt(state.substring(0, state.indexOf('/')));
        }

        @Override
        void free() {
            pipe.close();
        }
    }

    /** A handle: its access and the ends it opened. */
    private static final class End {
        final Stream stream;
        final boolean canRead;
        final boolean canWrite;
        // guarded by this
        private InputStream reader;
        private OutputStream writer;
        private boolean closed;

        End(Stream stream, boolean canRead, boolean canWrite) {
            this.stream = stream;
            this.canRead = canRead;
            this.canWrite = canWrite;
        }

        /** The reader end, opened now if needed; null once closed. */
        synchronized InputStream reader() throws IOException {
            if (!closed && reader == null) {
                reader = stream.openReader();
            }
            return closed ? null : reader;
        }

        /** The writer end, opened now if needed; null once closed. */
        synchronized OutputStream writer() throws IOException {
            if (!closed && writer == null) {
                writer = stream.openWriter();
            }
            return closed ? null : writer;
        }

        synchronized boolean isClosed() {
            return closed;
        }

        void close() {
            InputStream r;
            OutputStream w;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                r = reader;
                w = writer;
            }
            try {
                if (w != null) {
                    w.close();
                }
                if (r != null) {
                    r.close();
                }
            } catch (IOException ignored) {
                // the ends of both stream kinds do not throw on close
            } finally {
                stream.release();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Creating and connecting.

    /**
     * Creates an anonymous pipe with a buffer of {@value #DEFAULT_SIZE} bytes
     * ({@code pipe.create()}). Never blocks.
     *
     * @return the read and write handles ({@link Ends#name()} is null)
     */
    public Ends create() {
        return create(DEFAULT_SIZE);
    }

    /**
     * Creates an anonymous pipe: an in-process stream for the threads of this JVM. Never
     * blocks.
     *
     * @param size the buffer's size in bytes; above {@value #MAX_SIZE} it is clamped to
     *        {@value #MAX_SIZE}
     * @return the read and write handles ({@link Ends#name()} is null), or {@code null} with
     *         "Invalid parameter" for a size below 1
     */
    public Ends create(int size) {
        if (size < 1) {
            return fail(null, INVALID_PARAMETER);
        }
        Stream s = new LocalStream(Math.min(size, MAX_SIZE));
        return ends(s, null);
    }

    private Ends ends(Stream s, String name) {
        End r = new End(s, true, false);
        End w = new End(s, false, true);
        s.use(); // two handles share the stream
        try {
            r.reader();
            w.writer();
        } catch (IOException | RuntimeException e) {
            r.close();
            w.close();
            return fail(null, String.valueOf(e.getMessage()));
        }
        Ends e = new Ends(handles.insert(r), handles.insert(w), name);
        ok();
        return e;
    }

    /**
     * Creates a named pipe with a buffer of {@value #DEFAULT_SIZE} bytes
     * ({@code pipe.createNamed(name)}).
     *
     * @param name the name
     * @return the read and write handles, or {@code null} (see {@link #createNamed(String, int)})
     */
    public Ends createNamed(String name) {
        return createNamed(name, DEFAULT_SIZE);
    }

    /**
     * Creates a named pipe that other processes can {@link #connectNamed connect} to; the
     * caller gets a read end and a write end. Never blocks (beyond the file system).
     *
     * @param name the name, as {@link Namespace} accepts them
     * @param size the buffer's size in bytes; above {@value #MAX_SIZE} it is clamped to
     *        {@value #MAX_SIZE}
     * @return the read and write handles with the name, or {@code null} with "Pipe exists" if
     *         the name exists (of whatever kind), "Invalid parameter" for a size below 1, the
     *         namespace's reason for a name it refuses, or the I/O error's message
     */
    public Ends createNamed(String name, int size) {
        if (size < 1) {
            return fail(null, INVALID_PARAMETER);
        }
        NamedPipe p;
        try {
            p = namespace.pipe(Objects.requireNonNull(name, "name"), Math.min(size, MAX_SIZE));
        } catch (WrongKindException e) {
            return fail(null, PIPE_EXISTS);
        } catch (IOException | IllegalArgumentException e) {
            return fail(null, String.valueOf(e.getMessage()));
        }
        if (!p.created()) {
            p.close();
            return fail(null, PIPE_EXISTS);
        }
        return ends(new NamedStream(p), name);
    }

    /**
     * Connects to a named pipe: one handle with READ and WRITE access on the pipe's single
     * stream (a shared simplex stream, not a duplex channel). The handle opens its reader end
     * on its first {@link #read} and its writer end on its first {@link #write}. Never blocks
     * (beyond the file system).
     *
     * @param name the name
     * @return the connection, or {@code null} with "No such pipe" if no pipe has this name, the
     *         namespace's reason for a name it refuses, or the I/O error's message
     */
    public Connection connectNamed(String name) {
        NamedPipe p;
        try {
            p = namespace.openExisting(Objects.requireNonNull(name, "name"), NamedPipe.class);
        } catch (NoSuchFileException | WrongKindException e) {
            return fail(null, NO_SUCH_PIPE);
        } catch (IOException | IllegalArgumentException e) {
            return fail(null, String.valueOf(e.getMessage()));
        }
        Connection c = new Connection(handles.insert(new End(new NamedStream(p), true, true)), name);
        ok();
        return c;
    }

    // ---------------------------------------------------------------------------------------
    // Reading and writing.

    /**
     * Reads whatever is buffered, up to the buffer's capacity ({@code pipe.read(h)}, whose
     * {@code n} defaults to {@code math.huge}). Blocks as {@link #read(String, int)}.
     *
     * @param h a handle with READ access
     * @return as {@link #read(String, int)}
     * @throws InterruptedException if interrupted while blocked (nothing was read)
     */
    public ReadResult read(String h) throws InterruptedException {
        return read(h, Integer.MAX_VALUE);
    }

    /**
     * Reads up to {@code n} bytes: blocks while the buffer is empty and the stream has not
     * ended, then returns what is buffered, up to {@code n} bytes. Buffered bytes are still
     * returned after the writers closed; EOF comes once they are drained. No timeout.
     *
     * @param h a handle with READ access
     * @param n the most bytes to return; 0 or less returns an empty result at once
     * @return {@code ok} with the bytes; {@code ok} with {@code null} data at EOF; not
     *         {@code ok} with "Invalid pipe handle" for an invalid handle or one without READ
     *         access (also when it is closed while this call is blocked)
     * @throws InterruptedException if interrupted while blocked (nothing was read)
     */
    public ReadResult read(String h, int n) throws InterruptedException {
        End e = handles.get(h, End.class);
        if (e == null || !e.canRead) {
            return fail(new ReadResult(false, null), INVALID_PIPE_HANDLE);
        }
        if (n <= 0) {
            ok();
            return new ReadResult(true, new byte[0]);
        }
        byte[] buf = new byte[Math.min(n, e.stream.capacity())];
        int got;
        try {
            InputStream in = e.reader();
            if (in == null) {
                return fail(new ReadResult(false, null), INVALID_PIPE_HANDLE);
            }
            got = in.read(buf, 0, buf.length);
        } catch (InterruptedIOException x) {
            Thread.interrupted(); // reported by the exception instead
            throw new InterruptedException("interrupted while reading pipe handle " + h);
        } catch (IOException | RuntimeException x) {
            return fail(new ReadResult(false, null), e.isClosed() ? INVALID_PIPE_HANDLE : String.valueOf(x.getMessage()));
        }
        ok();
        return new ReadResult(true, got < 0 ? null : Arrays.copyOf(buf, got));
    }

    /**
     * Writes text as UTF-8 bytes; see {@link #write(String, byte[])}.
     *
     * @param h a handle with WRITE access
     * @param data the text
     * @return as {@link #write(String, byte[])}
     * @throws InterruptedException as {@link #write(String, byte[])}
     */
    public int write(String h, String data) throws InterruptedException {
        return write(h, data == null ? null : data.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes every byte: blocks while the buffer is full until readers make room, with no
     * timeout. A write longer than the buffer goes in chunks and may interleave with reads (and,
     * for a named pipe, with other writers' bytes beyond the first 4096). When the pipe is
     * broken (every reader closed), the call fails with "Broken pipe"; bytes of it already in the
     * buffer stay there. A broken write also runs the handler of SIGPIPE (13) set with
     * {@link SignalLib#handle}, if any, in this thread before returning (AxisOS sends SIGPIPE to
     * the writer); without one nothing else happens (the JVM ignores SIGPIPE).
     *
     * @param h a handle with WRITE access
     * @param data the bytes
     * @return the number of bytes written (all of them; 0 for empty data), or {@code -1} with
     *         "No data" for {@code null} data, "Invalid pipe handle" for an invalid handle or one
     *         without WRITE access (also when it is closed while this call is blocked), or
     *         "Broken pipe"
     * @throws InterruptedException if interrupted while blocked (a first part of the data may be
     *         in the buffer)
     */
    public int write(String h, byte[] data) throws InterruptedException {
        if (data == null) {
            return fail(-1, NO_DATA);
        }
        End e = handles.get(h, End.class);
        if (e == null || !e.canWrite) {
            return fail(-1, INVALID_PIPE_HANDLE);
        }
        try {
            OutputStream out = e.writer();
            if (out == null) {
                return fail(-1, INVALID_PIPE_HANDLE);
            }
            out.write(data);
        } catch (InterruptedIOException x) {
            Thread.interrupted(); // reported by the exception instead
            throw new InterruptedException("interrupted while writing pipe handle " + h + " ("
                    + x.bytesTransferred + " of " + data.length + " bytes written)");
        } catch (IOException | RuntimeException x) {
            if (e.isClosed()) {
                return fail(-1, INVALID_PIPE_HANDLE);
            }
            String m = String.valueOf(x.getMessage());
            if (m.toLowerCase(Locale.ROOT).startsWith("broken pipe")) {
                SignalLib.deliverLocal(SignalLib.SIGPIPE);
                return fail(-1, BROKEN_PIPE);
            }
            return fail(-1, m);
        }
        ok();
        return data.length;
    }

    // ---------------------------------------------------------------------------------------
    // Closing.

    /**
     * Closes a read handle ({@code pipe.closeRead(h)}): the handle becomes invalid and every end
     * it opened is closed. When no reader end of the pipe is left, writes fail with "Broken
     * pipe" (a writer blocked on a full buffer wakes up and fails). Never blocks.
     *
     * @param h a handle with READ access (a read handle or a connection)
     * @return {@code true}; {@code false} if the handle is invalid, already closed, or has no
     *         READ access (AxisOS accepts a write handle here; see the class comment)
     */
    public boolean closeRead(String h) {
        return close(h, true);
    }

    /**
     * Closes a write handle ({@code pipe.closeWrite(h)}): the handle becomes invalid and every
     * end it opened is closed. When no writer end of the pipe is left, readers get EOF once the
     * buffer is drained. Never blocks.
     *
     * @param h a handle with WRITE access (a write handle or a connection)
     * @return {@code true}; {@code false} if the handle is invalid, already closed, or has no
     *         WRITE access
     */
    public boolean closeWrite(String h) {
        return close(h, false);
    }

    private boolean close(String h, boolean readSide) {
        End e = handles.get(h, End.class);
        if (e == null || !(readSide ? e.canRead : e.canWrite) || handles.remove(h, End.class) != e) {
            return fail(false, INVALID_PIPE_HANDLE);
        }
        e.close();
        ok();
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Introspection (not in the seed) and the facade's own lifetime.

    /**
     * The capacity of a handle's pipe (after the clamp). Never blocks.
     *
     * @param h any handle of the pipe
     * @return bytes, or {@code -1} with "Invalid pipe handle"
     */
    public int capacity(String h) {
        End e = handles.get(h, End.class);
        if (e == null) {
            return fail(-1, INVALID_PIPE_HANDLE);
        }
        ok();
        return e.stream.capacity();
    }

    /**
     * The number of bytes buffered in a handle's pipe now (a snapshot; for a named pipe, across
     * every process). Never blocks.
     *
     * @param h any handle of the pipe
     * @return bytes, or {@code -1} with "Invalid pipe handle"
     */
    public int buffered(String h) {
        End e = handles.get(h, End.class);
        if (e == null) {
            return fail(-1, INVALID_PIPE_HANDLE);
        }
        try {
            int b = e.stream.buffered();
            ok();
            return b;
        } catch (IOException | RuntimeException x) {
            return fail(-1, e.isClosed() ? INVALID_PIPE_HANDLE : String.valueOf(x.getMessage()));
        }
    }

    /**
     * Closes every handle of this facade, as an AxisOS process's handles are released when it
     * ends: its ends close (readers elsewhere may get EOF, writers "Broken pipe"). Names stay.
     * Idempotent; never blocks.
     */
    @Override
    public void close() {
        for (End e : handles.removeAll()) {
            e.close();
        }
    }
}
