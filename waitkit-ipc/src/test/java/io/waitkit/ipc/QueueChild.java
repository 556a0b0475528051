package io.waitkit.ipc;

import static io.waitkit.ipc.IpcChild.say;

import io.waitkit.MessageQueue;
import io.waitkit.Wait;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The child side of the queue and pipe crash tests ({@link QueueCrashTest}): producers and pipe
 * writers that work flat out and publish, after each completed send or write, how many they
 * completed (so that the parent knows which messages were surely committed when it kills one),
 * and a consumer that reports every message it receives on its standard output.
 *
 * <p>A record is {@value #RECORD} bytes: the writer's id, its sequence number, and filler bytes
 * derived from both, so that a torn or mixed record is recognised.
 */
final class QueueChild {
    static final int RECORD = 64;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private QueueChild() {
    }

    static byte[] record(int id, long seq) {
        ByteBuffer b = ByteBuffer.allocate(RECORD);
        b.putInt(id).putLong(seq);
        while (b.hasRemaining()) {
            b.put((byte) (id * 31 + seq * 7 + b.position()));
        }
        return b.array();
    }

    /** The id and sequence number of a record, or null if it is not one {@link #record} makes. */
    static long[] parse(byte[] r) {
        if (r.length != RECORD) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(r);
        int id = b.getInt();
        long seq = b.getLong();
        return java.util.Arrays.equals(r, record(id, seq)) ? new long[] {id, seq} : null;
    }

    /** The word of the progress section where writer {@code id} publishes its completed count. */
    static void publish(MemorySegment progress, int id, long completed) {
        LONG.setRelease(progress, id * 8L, completed);
    }

    static long completed(MemorySegment progress, int id) {
        return (long) LONG.getAcquire(progress, id * 8L);
    }

    static void run(Namespace ns, String command, String[] args) throws Exception {
        switch (command) {
            case "mq-produce" -> {
                // NAME PROGRESS ID
                NamedMessageQueue q = ns.openExisting(args[0], NamedMessageQueue.class);
                SharedSection progress = ns.openExisting(args[1], SharedSection.class);
                int id = Integer.parseInt(args[2]);
                say("READY");
                for (long i = 0; ; i++) {
                    q.send(record(id, i), id % 3);
                    publish(progress.segment(), id, i + 1);
                    if (i == 0) {
                        say("FIRST");
                    }
                }
            }
            case "mq-consume" -> {
                // NAME STOP: receive until the stop event is set, reporting each message
                NamedMessageQueue q = ns.openExisting(args[0], NamedMessageQueue.class);
                NamedEvent stop = ns.openExisting(args[1], NamedEvent.class);
                NamedMessageQueue.Receive op = q.receiveOp();
                say("READY");
                for (;;) {
                    int i = Wait.any(Duration.ofSeconds(60), stop, op);
                    if (i != 1) {
                        say("STOPPED");
                        return;
                    }
                    MessageQueue.Message m = op.item();
                    long[] r = parse(m.data());
                    say(r == null ? "CORRUPT" : "GOT " + r[0] + " " + r[1] + " " + m.priority());
                }
            }
            case "pipe-write" -> {
                // NAME PROGRESS ID
                NamedPipe p = ns.openExisting(args[0], NamedPipe.class);
                SharedSection progress = ns.openExisting(args[1], SharedSection.class);
                int id = Integer.parseInt(args[2]);
                OutputStream out = p.openWriter();
                say("READY");
                for (long i = 0; ; i++) {
                    out.write(record(id, i));
                    publish(progress.segment(), id, i + 1);
                    if (i == 0) {
                        say("FIRST");
                    }
                }
            }
            case "mq-send" -> {
                // NAME PRIORITY:TEXT...
                NamedMessageQueue q = ns.openExisting(args[0], NamedMessageQueue.class);
                for (int i = 1; i < args.length; i++) {
                    int colon = args[i].indexOf(':');
                    q.send(args[i].substring(colon + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            Integer.parseInt(args[i].substring(0, colon)));
                }
                say("SENT " + (args.length - 1));
            }
            case "mq-recv" -> {
                // NAME COUNT: blocks for each
                NamedMessageQueue q = ns.openExisting(args[0], NamedMessageQueue.class);
                say("READY");
                for (int i = Integer.parseInt(args[1]); i > 0; i--) {
                    MessageQueue.Message m = q.receive(IpcChild.MUST_SUCCEED);
                    say(m == null ? "TIMEOUT" : "GOT " + new String(m.data(), java.nio.charset.StandardCharsets.UTF_8) + " "
                            + m.priority());
                }
            }
            case "pipe-read" -> {
                // NAME: opens a reader, reads everything to EOF on the command "read"
                NamedPipe p = ns.openExisting(args[0], NamedPipe.class);
                java.io.InputStream in = p.openReader();
                say("READY");
                IpcChild.expect("read");
                say("READ " + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) + " EOF");
            }
            case "pipe-echo" -> {
                // NAME TEXT: writes the text and closes the writer (exit keeps nothing open)
                NamedPipe p = ns.openExisting(args[0], NamedPipe.class);
                try (OutputStream out = p.openWriter()) {
                    out.write(args[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                say("WROTE");
            }
            case "section-add" -> {
                // NAME SIZE COUNT: opens (or creates) the section, adds 1 to word 0 COUNT times atomically
                SharedSection s = ns.section(args[0], Long.parseLong(args[1]));
                VarHandle h = ValueLayout.JAVA_LONG.varHandle();
                for (long i = Long.parseLong(args[2]); i > 0; i--) {
                    h.getAndAdd(s.segment(), 0L, 1L);
                }
                say("SIZE " + s.size());
            }
            default -> throw new IllegalArgumentException(command);
        }
    }
}
