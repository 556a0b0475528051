package io.waitkit.cli.named;

import io.waitkit.AbandonedMutexException;
import io.waitkit.MessageQueue;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.NamedMessageQueue;
import io.waitkit.ipc.NamedMutex;
import io.waitkit.ipc.NamedObject;
import io.waitkit.ipc.NamedSemaphore;
import io.waitkit.ipc.WrongKindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit wait --any|--all NAME…}: {@code Wait.any} / {@code Wait.all} over named
 * events, mutexes, semaphores and message queues from the shell. What a wait acquires: an event
 * is waited for (an auto-reset one cleared), a semaphore permit is taken (and stays taken), a
 * queue's next message is received and printed, and a mutex is taken and released again before
 * the command exits (a shell cannot hold it; {@code mutex run} can).
 */
@Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Waits for any or all of several named objects.",
        description = {"Events: waits until signalled (an auto-reset event is cleared). Semaphores: takes a permit"
                + " (it stays taken). Message queues: receives a message and prints it. Mutexes: takes the mutex and"
                + " releases it before exiting (exit code 3 if it had been abandoned).",
            "--any prints the index (from 0) of the object that was acquired, then, for a queue, the message;"
                + " --all acquires all atomically or nothing and prints the messages of the queues, in order."})
public final class WaitCommand implements Callable<Integer> {
    @Mixin
    private ObjectOptions options;

    /** Which wait: exactly one of {@code --any} and {@code --all}. */
    static final class Mode {
        @Option(names = "--any", required = true, description = "Wait for one of the objects (the first available).")
        boolean any;
        @Option(names = "--all", required = true, description = "Wait for all of them at once.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Mode mode;

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Events, mutexes, semaphores or message queues.")
    private List<String> names;

    /** Creates the command; picocli instantiates it. */
    public WaitCommand() {
    }

    /**
     * Waits.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        if (options.onZk()) {
            return options.zkRun(() -> ZkObjects.await(options, mode.any, names));
        }
        return options.run(this::await);
    }

    private int await() throws Exception {
        List<NamedObject> opened = new ArrayList<>();
        try {
            Waitable[] members = new Waitable[names.size()];
            for (int i = 0; i < members.length; i++) {
                NamedObject o = options.open(names.get(i), NamedObject.class);
                opened.add(o);
                members[i] = switch (o) {
                    case NamedEvent e -> e;
                    case NamedMutex m -> m;
                    case NamedSemaphore s -> s;
                    case NamedMessageQueue q -> q.receiveOp();
                    default -> throw new WrongKindException("named object '" + o.name() + "' is a " + o.info().kind()
                            + ": wait takes events, mutexes, semaphores and message queues");
                };
            }
            return await(options, mode.any, names, i -> opened.get(i).info().kind(), members,
                    m -> m instanceof NamedMessageQueue.Receive r ? r.item() : null, WaitCommand::release, "it died holding it");
        } finally {
            for (NamedObject o : opened) {
                o.close();
            }
        }
    }

    /**
     * Waits for any or all of the members, prints what the command prints and returns its exit
     * code: the wait of this command on this host's objects and on ZooKeeper's
     * ({@code ZkObjects}), which differ only in how they open the objects and in what becomes
     * of a member acquired when the command ends: {@code keep} is given every member acquired,
     * after it is reported, and releases a mutex (a shell cannot hold one; {@code mutex run}
     * can) or keeps a permit taken.
     *
     * @param o the options
     * @param any {@code --any} (else {@code --all})
     * @param names the names, in order
     * @param kind the kind of the object at an index, for the JSON lines
     * @param members what to wait for: an event, mutex or semaphore itself, a queue's receive
     * @param message the message a member received (a queue's receive), or null
     * @param keep what becomes of a member acquired: a mutex is released
     * @param abandonedWhy why an abandoned mutex was abandoned, for the warning
     * @return {@link ExitCodes#OK}, {@link ExitCodes#TIMEOUT}, or {@link ExitCodes#ABANDONED}
     * @throws InterruptedException if interrupted while waiting
     * @throws Failure with {@link ExitCodes#BROKEN_PIPE} if standard output is closed
     */
    static int await(ObjectOptions o, boolean any, List<String> names, IntFunction<String> kind, Waitable[] members,
            Function<Waitable, MessageQueue.Message> message, Consumer<Waitable> keep, String abandonedWhy)
            throws InterruptedException, Failure {
        Duration t = o.timeout();
        int code = ExitCodes.OK;
        if (any) {
            int index;
            try {
                index = t == null ? Wait.any(members) : Wait.any(t, members);
            } catch (AbandonedMutexException e) {
                index = e.mutexIndex();
                code = ExitCodes.ABANDONED;
                o.warn("mutex '" + names.get(index) + "' was abandoned by its previous holder (" + abandonedWhy + ")");
            }
            if (index == Wait.TIMEOUT) {
                if (o.json) {
                    o.out().println(new Json().put("index", -1).put("timedOut", true));
                }
                return ExitCodes.TIMEOUT;
            }
            report(o, true, index, names.get(index), kind, members[index], message, code == ExitCodes.ABANDONED);
            keep.accept(members[index]);
        } else {
            boolean ok;
            try {
                if (t == null) {
                    Wait.all(members);
                    ok = true;
                } else {
                    ok = Wait.all(t, members);
                }
            } catch (AbandonedMutexException e) {
                ok = true;
                code = ExitCodes.ABANDONED;
                o.warn("a mutex was abandoned by its previous holder (" + abandonedWhy + ")");
            }
            if (!ok) {
                if (o.json) {
                    o.out().println(new Json().put("index", -1).put("timedOut", true));
                }
                return ExitCodes.TIMEOUT;
            }
            for (int i = 0; i < members.length; i++) {
                if (o.json || message.apply(members[i]) != null) {
                    report(o, false, i, names.get(i), kind, members[i], message,
                            code == ExitCodes.ABANDONED && members[i] instanceof Lock);
                }
                keep.accept(members[i]);
            }
        }
        return code;
    }

    private static void report(ObjectOptions o, boolean any, int index, String name, IntFunction<String> kind, Waitable member,
            Function<Waitable, MessageQueue.Message> message, boolean abandoned) throws Failure {
        MessageQueue.Message m = message.apply(member);
        if (o.json) {
            Json j = new Json().put("index", index).put("name", name).put("kind", kind.apply(index));
            if (member instanceof Lock) {
                j.put("abandoned", abandoned);
            }
            if (m != null) {
                j.put("priority", m.priority()).put("message", new String(m.data(), java.nio.charset.StandardCharsets.UTF_8));
            }
            o.out().println(j);
        } else {
            if (any) {
                o.out().println(index);
            }
            if (m != null) {
                MqCommand.print(o, name, m, false);
            }
        }
    }

    /** After a wait on this host's objects: a mutex taken is released; a permit stays taken. */
    private static void release(Waitable member) {
        if (member instanceof NamedMutex m && m.isHeldByCurrentThread()) {
            m.unlock();
        }
    }
}
