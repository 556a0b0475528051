package io.waitkit.cli.named;

import io.waitkit.MessageQueue;
import io.waitkit.ipc.NamedMessageQueue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit mq create|send|recv NAME}: named priority message queues from the shell, this
 * host's or, with {@code --zk CONNECT}, those of a ZooKeeper ensemble ({@code ZkObjects}), with
 * the same output, exit codes and error lines. Blocking as each subcommand's description says;
 * {@code --timeout} bounds the wait.
 */
@Command(name = "mq", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Creates named message queues, sends and receives messages.",
        description = "A bounded queue of byte messages, highest priority first, FIFO among equal priorities.")
public final class MqCommand {
    /** Creates the command; picocli instantiates it. */
    public MqCommand() {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Creates the queue; an existing one is kept with its own capacity and message size.")
    int create(@Mixin ObjectOptions o,
            @Option(names = "--capacity", paramLabel = "N", defaultValue = "64", description = "The most messages, 1 to 65535 (default: ${DEFAULT-VALUE}).") int capacity,
            @Option(names = "--max-size", paramLabel = "B", defaultValue = "4096", description = "The largest message in bytes (default: ${DEFAULT-VALUE}).") int maxSize,
            @Parameters(paramLabel = "NAME", description = "The queue's name.") String name) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.mqCreate(o, capacity, maxSize, name));
        }
        return o.run(() -> {
            try (NamedMessageQueue q = o.namespace().messageQueue(name, capacity, maxSize)) {
                return created(o, name, q.created(), q.capacity(), q.maxMessageSize());
            }
        });
    }

    @Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Sends MESSAGE (or, without it, all of standard input as one message), waiting while the"
                    + " queue is full. Exit code 1 on timeout (nothing sent).")
    int send(@Mixin ObjectOptions o,
            @Option(names = "--priority", paramLabel = "P", defaultValue = "0", description = "Any int, negative ones too; higher is received first (default: ${DEFAULT-VALUE}).") int priority,
            @Parameters(index = "0", paramLabel = "NAME", description = "The queue's name.") String name,
            @Parameters(index = "1", arity = "0..1", paramLabel = "MESSAGE", description = "The message (UTF-8); standard input if absent.") String message) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.mqSend(o, priority, name, message));
        }
        return o.run(() -> {
            try (NamedMessageQueue q = o.open(name, NamedMessageQueue.class)) {
                return send(o, name, priority, message, q::send, q::send);
            }
        });
    }

    @Command(name = "recv", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Receives the next message (the highest priority) and prints it with a newline, waiting while"
                    + " the queue is empty. Exit code 1 on timeout.")
    int recv(@Mixin ObjectOptions o,
            @Option(names = {"-n", "--no-newline"}, description = "Print the message's bytes only, without a newline.") boolean noNewline,
            @Parameters(paramLabel = "NAME", description = "The queue's name.") String name) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.mqRecv(o, noNewline, name));
        }
        return o.run(() -> {
            try (NamedMessageQueue q = o.open(name, NamedMessageQueue.class)) {
                return received(o, name, o.await(q::receive, q::receive), noNewline);
            }
        });
    }

    // the output of the queue commands, on this host's queues and ZooKeeper's (ZkObjects)

    /**
     * What {@code mq create} prints: nothing, or with {@code --json} the queue's parameters.
     *
     * @param o the options
     * @param name the name
     * @param created false if the queue existed
     * @param capacity its capacity in messages
     * @param maxSize its largest message in bytes
     * @return {@link ExitCodes#OK}
     */
    static int created(ObjectOptions o, String name, boolean created, int capacity, int maxSize) {
        if (o.json) {
            o.out().println(new Json().put("name", name).put("kind", "message-queue").put("created", created)
                    .put("capacity", capacity).put("maxMessageSize", maxSize));
        }
        return ExitCodes.OK;
    }

    /** A queue's send without a bound. */
    @FunctionalInterface
    interface Send {
        /**
         * Sends, waiting while the queue is full.
         *
         * @param data the message
         * @param priority its priority
         * @throws InterruptedException if interrupted while waiting
         */
        void send(byte[] data, int priority) throws InterruptedException;
    }

    /** A queue's send bounded by a timeout. */
    @FunctionalInterface
    interface TimedSend {
        /**
         * Sends, waiting at most {@code timeout} while the queue is full.
         *
         * @param data the message
         * @param priority its priority
         * @param timeout the longest wait
         * @return false if the timeout elapsed (nothing sent)
         * @throws InterruptedException if interrupted while waiting
         */
        boolean send(byte[] data, int priority, Duration timeout) throws InterruptedException;
    }

    /**
     * {@code mq send}: sends the argument's bytes, or all of standard input, waiting as
     * {@code --timeout} says, and prints the outcome.
     *
     * @param o the options
     * @param name the queue's name
     * @param priority the priority
     * @param message the message, or null to read standard input
     * @param forever the queue's send without a bound
     * @param bounded its send bounded by a timeout
     * @return {@link ExitCodes#OK}, or {@link ExitCodes#TIMEOUT}
     * @throws IOException if standard input cannot be read
     * @throws InterruptedException if interrupted while waiting
     */
    static int send(ObjectOptions o, String name, int priority, String message, Send forever, TimedSend bounded)
            throws IOException, InterruptedException {
        byte[] data = message != null ? message.getBytes(StandardCharsets.UTF_8) : System.in.readAllBytes();
        boolean ok = o.await(() -> {
            forever.send(data, priority);
            return true;
        }, t -> bounded.send(data, priority, t));
        if (o.json) {
            o.out().println(new Json().put("name", name).put("sent", ok).put("timedOut", !ok).put("priority", priority)
                    .put("bytes", data.length));
        }
        return ok ? ExitCodes.OK : ExitCodes.TIMEOUT;
    }

    /**
     * What {@code mq recv} prints and returns: the message, or on a timeout nothing (with
     * {@code --json} a line saying so).
     *
     * @param o the options
     * @param name the queue's name
     * @param m the message received, or null if the wait timed out
     * @param noNewline whether to leave out the newline after the message
     * @return {@link ExitCodes#OK}, or {@link ExitCodes#TIMEOUT}
     * @throws Failure with {@link ExitCodes#BROKEN_PIPE} if standard output is closed
     */
    static int received(ObjectOptions o, String name, MessageQueue.Message m, boolean noNewline) throws Failure {
        if (m == null) {
            if (o.json) {
                o.out().println(new Json().put("name", name).put("received", false).put("timedOut", true));
            }
            return ExitCodes.TIMEOUT;
        }
        print(o, name, m, noNewline);
        return ExitCodes.OK;
    }

    /**
     * Prints a received message: its bytes and a newline, or with {@code --json} an object with
     * {@code name}, {@code received}, {@code priority} and {@code message} (UTF-8 text).
     *
     * @param o the options
     * @param name the queue's name
     * @param m the message
     * @param noNewline whether to leave out the newline
     * @throws Failure with {@link ExitCodes#BROKEN_PIPE} if standard output is closed
     */
    static void print(ObjectOptions o, String name, MessageQueue.Message m, boolean noNewline) throws Failure {
        if (o.json) {
            o.out().println(new Json().put("name", name).put("received", true).put("priority", m.priority())
                    .put("message", new String(m.data(), StandardCharsets.UTF_8)));
            return;
        }
        try {
            OutputStream out = o.rawOut();
            out.write(m.data());
            if (!noNewline) {
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new Failure(ExitCodes.BROKEN_PIPE, null);
        }
    }
}
