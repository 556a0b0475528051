package io.waitkit.compat.axis;

import io.waitkit.MessageQueue;
import io.waitkit.MessageTooLargeException;
import io.waitkit.ipc.NamedMessageQueue;
import io.waitkit.ipc.NamedObject;
import io.waitkit.ipc.NamedObjectInfo;
import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.SharedSection;
import io.waitkit.ipc.WrongKindException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The AxisOS kernel's {@code ipc} library, its shared sections and message queues, over the
 * named objects of a {@link Namespace}: every process of the host that opens the same name in
 * the same namespace directory shares the object. (The library's IRQL calls and
 * {@code ipcStats} are in {@link Sync}.)
 *
 * <pre>{@code
 * Ipc ipc = new Ipc();                                       // local ipc = require("ipc")
 * String hQ = ipc.createMqueue("my_queue", 64, 1024);        // local hQ = ipc.createMqueue("my_queue", 64, 1024)
 * ipc.mqSend(hQ, "urgent message", 10);                      // ipc.mqSend(hQ, "urgent message", 10)
 * Ipc.Message msg = ipc.mqReceive(hQ, 5000);                 // local msg = ipc.mqReceive(hQ, 5000)
 * String hSec = ipc.createSection("my_shm", 4096);           // local hSec = ipc.createSection("my_shm", 4096)
 * ipc.mapSection(hSec).putLong("counter", 0);                // ipc.mapSection(hSec).counter = 0
 * }</pre>
 *
 * <h2>Handles and results</h2>
 * One {@code Ipc} instance is one handle table, as one AxisOS process: sections and queues are
 * named by opaque handle strings {@code H-xxxxxx-xxxxx-xxxx-xxxx} as in {@link Sync}, usable by
 * every thread that holds the instance. An unknown string, {@code null}, a handle of another
 * table, a closed handle or a handle of the other kind (a queue's in {@link #mapSection}) is
 * invalid. Lua's {@code nil, "message"} becomes the Java failure value ({@code null},
 * {@code false}) plus AxisOS's message for the calling thread, read with {@link #lastError()}
 * ("Section exists", "No such section", "Queue exists", "No such queue", "Message too large",
 * "timeout", "Invalid handle", "Invalid parameter"); every call that succeeds clears it.
 *
 * <h2>Names</h2>
 * Names are create-exclusive, as AxisOS's registries: {@code createSection} and
 * {@code createMqueue} of a name that exists (also from an earlier run, or holding an object
 * of another kind: the namespace has one set of names where AxisOS has one per kind) fail with
 * "Section exists" / "Queue exists". The facade never removes a name: it stays taken until
 * {@link Namespace#unlink} removes it (AxisOS never releases one). A name the namespace refuses
 * (empty, with {@code /}, ...) fails with the namespace's reason.
 *
 * <h2>Blocking</h2>
 * {@link #mqSend} blocks while the queue is full, with no timeout (as AxisOS); {@link #mqReceive}
 * blocks while it is empty, up to its timeout. Both throw {@link InterruptedException} when
 * interrupted, with nothing sent or received. A call blocked on a handle that another thread
 * closes ({@link #closeHandle}, {@link #close()}) keeps waiting until it completes or times out:
 * its wait holds the queue. Section tables never block and take no lock
 * (see {@link SectionTable}). Actions before a send happen-before the actions after the receive
 * that took its message, also across processes.
 */
public final class Ipc implements AutoCloseable {
    /** The size of {@link #createSection(String)}. */
    public static final int DEFAULT_SECTION_SIZE = 4096;
    /** The capacity of {@link #createMqueue(String)}: messages. */
    public static final int DEFAULT_MQ_MAX = 64;
    /** The largest message of {@link #createMqueue(String)}: bytes. */
    public static final int DEFAULT_MQ_SIZE = 1024;

    static final String SECTION_EXISTS = "Section exists";
    static final String NO_SUCH_SECTION = "No such section";
    static final String QUEUE_EXISTS = "Queue exists";
    static final String NO_SUCH_QUEUE = "No such queue";
    static final String MESSAGE_TOO_LARGE = "Message too large";
    static final String TIMEOUT = "timeout";
    static final String INVALID_HANDLE = "Invalid handle";
    static final String INVALID_PARAMETER = "Invalid parameter";

    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();

    private final Namespace namespace;
    private final HandleTable<NamedObject> handles = new HandleTable<>();
    private final java.util.concurrent.ConcurrentHashMap<SharedSection, SectionTable> tables =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A facade over the user's namespace ({@link Namespace#user()}).
     *
     * @throws IOException if the user's namespace cannot be opened (the message says why)
     */
    public Ipc() throws IOException {
        this(Namespace.user());
    }

    /**
     * A facade over a namespace.
     *
     * @param namespace where names are created and found
     */
    public Ipc(Namespace namespace) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    /**
     * A received message: the seed's {@code msg, prio}.
     *
     * @param data the message's bytes (a copy)
     * @param priority its priority
     */
    public record Message(byte[] data, int priority) {
        /**
         * The message as UTF-8 text (Lua strings are bytes; seed code mostly sends text).
         *
         * @return the text
         */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        /**
         * Describes the message.
         *
         * @return for example {@code Message["urgent message", 10]} (the text, as far as it is
         *         printable UTF-8)
         */
        @Override
        public String toString() {
            return "Message[\"" + text() + "\", " + priority + "]";
        }
    }

    /**
     * Returns the message of the calling thread's last failed call on any {@code Ipc}, or
     * {@code null} if its last call succeeded. Never blocks.
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
    // Sections.

    /**
     * Creates a section of {@value #DEFAULT_SECTION_SIZE} bytes ({@code ipc.createSection(name)}).
     *
     * @param name the name
     * @return as {@link #createSection(String, long)}
     */
    public String createSection(String name) {
        return createSection(name, DEFAULT_SECTION_SIZE);
    }

    /**
     * Creates a named shared section of {@code size} zero bytes (an empty {@link SectionTable}).
     * Never blocks (beyond the file system).
     *
     * @param name the name
     * @param size bytes, 1 to 64 GiB (AxisOS does not enforce a size; here it bounds the table)
     * @return the handle, or {@code null} with "Section exists", "Invalid parameter" for a size
     *         out of range, the namespace's reason for a name it refuses, or the I/O error's
     *         message
     */
    public String createSection(String name, long size) {
        Objects.requireNonNull(name, "name");
        if (size < 1 || size > 64L << 30) {
            return fail(null, INVALID_PARAMETER);
        }
        SharedSection s;
        try {
            s = namespace.section(name, size);
        } catch (WrongKindException e) {
            return fail(null, SECTION_EXISTS);
        } catch (IOException | IllegalArgumentException e) {
            return fail(null, String.valueOf(e.getMessage()));
        }
        if (!s.created()) {
            s.close();
            return fail(null, SECTION_EXISTS);
        }
        return inserted(s);
    }

    /**
     * Opens an existing section ({@code ipc.openSection(name)}). Never blocks (beyond the file
     * system).
     *
     * @param name the name
     * @return the handle, or {@code null} with "No such section" (also for a name holding
     *         another kind), the namespace's reason for a name it refuses, or the I/O error's
     *         message
     */
    public String openSection(String name) {
        return open(name, SharedSection.class, NO_SUCH_SECTION);
    }

    /**
     * The table view of a section ({@code ipc.mapSection(h)}): the same {@link SectionTable}
     * object for every call with one handle, and a view of the same bytes through every other
     * handle, facade and process. The view works while its handle is open. Never blocks.
     *
     * @param h a section handle
     * @return the table, or {@code null} with "Invalid handle"
     */
    public SectionTable mapSection(String h) {
        SharedSection s = handles.get(h, SharedSection.class);
        if (s == null) {
            return fail(null, INVALID_HANDLE);
        }
        ok();
        return tables.computeIfAbsent(s, SectionTable::new);
    }

    // ---------------------------------------------------------------------------------------
    // Message queues.

    /**
     * Creates a queue of {@value #DEFAULT_MQ_MAX} messages of at most {@value #DEFAULT_MQ_SIZE}
     * bytes ({@code ipc.createMqueue(name)}).
     *
     * @param name the name, or {@code null} for an anonymous queue
     * @return as {@link #createMqueue(String, int, int)}
     */
    public String createMqueue(String name) {
        return createMqueue(name, DEFAULT_MQ_MAX, DEFAULT_MQ_SIZE);
    }

    /**
     * Creates a message queue. An anonymous queue ({@code name} null) is one no other call can
     * open: it is created under a random name that is removed at once, so only this handle
     * reaches it (AxisOS's anonymous queues reach child processes by handle inheritance, which
     * Java lacks). Never blocks (beyond the file system).
     *
     * @param name the name, or {@code null} for an anonymous queue
     * @param maxMsgs the most messages, 1 to 65535
     * @param maxMsgSize the largest message in bytes, 0 to 16 MiB
     * @return the handle, or {@code null} with "Queue exists", "Invalid parameter" for an
     *         argument out of range, the namespace's reason for a name it refuses, or the I/O
     *         error's message
     */
    public String createMqueue(String name, int maxMsgs, int maxMsgSize) {
        if (maxMsgs < 1 || maxMsgs > 65535 || maxMsgSize < 0 || maxMsgSize > 16 << 20) {
            return fail(null, INVALID_PARAMETER);
        }
        boolean anonymous = name == null;
        for (;;) {
            String n = anonymous ? "axis-anonymous-queue-" + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) : name;
            NamedMessageQueue q;
            try {
                q = namespace.messageQueue(n, maxMsgs, maxMsgSize);
            } catch (WrongKindException e) {
                if (anonymous) {
                    continue;
                }
                return fail(null, QUEUE_EXISTS);
            } catch (IllegalArgumentException e) {
                return fail(null, String.valueOf(e.getMessage()));
            } catch (IOException e) {
                return fail(null, String.valueOf(e.getMessage()));
            }
            if (!q.created()) {
                q.close();
                if (anonymous) {
                    continue; // a random name that exists: draw another
                }
                return fail(null, QUEUE_EXISTS);
            }
            if (anonymous) {
                try {
                    namespace.unlink(n);
                } catch (IOException e) {
                    q.close();
                    return fail(null, String.valueOf(e.getMessage()));
                }
            }
            return inserted(q);
        }
    }

    /**
     * Opens an existing message queue ({@code ipc.openMqueue(name)}). Never blocks (beyond the
     * file system).
     *
     * @param name the name
     * @return the handle, or {@code null} with "No such queue" (also for a name holding another
     *         kind), the namespace's reason for a name it refuses, or the I/O error's message
     */
    public String openMqueue(String name) {
        return open(name, NamedMessageQueue.class, NO_SUCH_QUEUE);
    }

    /**
     * Sends text as UTF-8 with priority 0 ({@code ipc.mqSend(h, msg)}).
     *
     * @param h a queue handle
     * @param msg the text
     * @return as {@link #mqSend(String, byte[], int)}
     * @throws InterruptedException as {@link #mqSend(String, byte[], int)}
     */
    public boolean mqSend(String h, String msg) throws InterruptedException {
        return mqSend(h, msg, 0);
    }

    /**
     * Sends text as UTF-8 ({@code ipc.mqSend(h, msg, prio)}).
     *
     * @param h a queue handle
     * @param msg the text
     * @param prio the priority
     * @return as {@link #mqSend(String, byte[], int)}
     * @throws InterruptedException as {@link #mqSend(String, byte[], int)}
     */
    public boolean mqSend(String h, String msg, int prio) throws InterruptedException {
        return mqSend(h, Objects.requireNonNull(msg, "msg").getBytes(StandardCharsets.UTF_8), prio);
    }

    /**
     * Sends a message: it is received after every message with a higher priority number and
     * after those of equal priority sent before it. Blocks while the queue is full, with no
     * timeout (as AxisOS), until a receive makes room.
     *
     * @param h a queue handle
     * @param msg the bytes (copied); exactly the maximum size is accepted
     * @param prio the priority, any {@code int}, negative ones included as AxisOS takes any
     *        number (higher is received first)
     * @return {@code true}; {@code false} with "Message too large" or "Invalid handle"
     * @throws InterruptedException if interrupted while blocked (nothing was sent)
     * @throws NullPointerException if {@code msg} is null
     */
    public boolean mqSend(String h, byte[] msg, int prio) throws InterruptedException {
        Objects.requireNonNull(msg, "msg");
        NamedMessageQueue q = handles.get(h, NamedMessageQueue.class);
        if (q == null) {
            return fail(false, INVALID_HANDLE);
        }
        try {
            q.send(msg, prio);
        } catch (MessageTooLargeException e) {
            return fail(false, MESSAGE_TOO_LARGE);
        } catch (IllegalStateException e) {
            return fail(false, INVALID_HANDLE); // closed before the send began
        }
        ok();
        return true;
    }

    /**
     * Receives the message with the highest priority, waiting for one with no timeout
     * ({@code ipc.mqReceive(h)}).
     *
     * @param h a queue handle
     * @return the message, or {@code null} with "Invalid handle"
     * @throws InterruptedException if interrupted while blocked (nothing was received)
     */
    public Message mqReceive(String h) throws InterruptedException {
        return receive(h, null);
    }

    /**
     * Receives the message with the highest priority (the oldest among equals), waiting at most
     * {@code ms} milliseconds while the queue is empty.
     *
     * @param h a queue handle
     * @param ms the longest wait; 0 or less polls (no wait)
     * @return the message, or {@code null} with "timeout" if none came, or "Invalid handle"
     * @throws InterruptedException if interrupted while blocked (nothing was received)
     */
    public Message mqReceive(String h, long ms) throws InterruptedException {
        return receive(h, Duration.ofMillis(Math.max(0, ms)));
    }

    private Message receive(String h, Duration timeout) throws InterruptedException {
        NamedMessageQueue q = handles.get(h, NamedMessageQueue.class);
        if (q == null) {
            return fail(null, INVALID_HANDLE);
        }
        MessageQueue.Message m;
        try {
            m = timeout == null ? q.receive() : timeout.isZero() ? q.tryReceive() : q.receive(timeout);
        } catch (IllegalStateException e) {
            return fail(null, INVALID_HANDLE); // closed before the receive began
        }
        if (m == null) {
            return fail(null, TIMEOUT);
        }
        ok();
        return new Message(m.data(), m.priority());
    }

    // ---------------------------------------------------------------------------------------
    // Handles (not in the seed's user libraries) and the facade's own lifetime.

    /**
     * Closes a section or queue handle (the kernel's {@code ObCloseHandle}, which AxisOS user
     * space cannot call): the handle becomes invalid, and the object is unmapped from this JVM
     * when no other handle uses it. The name and the object stay. The {@link SectionTable} of a
     * closed section handle throws {@link IllegalStateException}. Never blocks.
     *
     * @param h the handle
     * @return {@code true}, or {@code false} with "Invalid handle"
     */
    public boolean closeHandle(String h) {
        NamedObject o = handles.remove(h, NamedObject.class);
        if (o == null) {
            return fail(false, INVALID_HANDLE);
        }
        if (o instanceof SharedSection s) {
            tables.remove(s);
        }
        o.close();
        ok();
        return true;
    }

    /** A snapshot of a handle's object (for tests: waiters, state); null for an invalid handle. */
    NamedObjectInfo info(String h) {
        NamedObject o = handles.get(h, NamedObject.class);
        return o == null ? null : o.info();
    }

    /**
     * Closes every handle of this facade, as an AxisOS process's handles are released when it
     * ends. Names and objects stay. Idempotent; never blocks.
     */
    @Override
    public void close() {
        for (NamedObject o : handles.removeAll()) {
            o.close();
        }
        tables.clear();
    }

    private String inserted(NamedObject o) {
        String h = handles.insert(o);
        ok();
        return h;
    }

    private String open(String name, Class<? extends NamedObject> kind, String missing) {
        Objects.requireNonNull(name, "name");
        NamedObject o;
        try {
            o = namespace.openExisting(name, kind);
        } catch (NoSuchFileException | WrongKindException e) {
            return fail(null, missing);
        } catch (IllegalArgumentException e) {
            return fail(null, String.valueOf(e.getMessage()));
        } catch (IOException e) {
            return fail(null, String.valueOf(e.getMessage()));
        }
        return inserted(o);
    }
}
