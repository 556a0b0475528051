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
            Duration t = options.timeout();
            int code = ExitCodes.OK;
            if (mode.any) {
                int index;
                try {
                    index = t == null ? Wait.any(members) : Wait.any(t, members);
                } catch (AbandonedMutexException e) {
                    index = e.mutexIndex();
                    code = ExitCodes.ABANDONED;
                    options.warn("mutex '" + names.get(index) + "' was abandoned by its previous holder (it died holding it)");
                }
                if (index == Wait.TIMEOUT) {
                    if (options.json) {
                        options.out().println(new Json().put("index", -1).put("timedOut", true));
                    }
                    return ExitCodes.TIMEOUT;
                }
                report(index, members[index], opened.get(index), code == ExitCodes.ABANDONED);
                release(opened.get(index));
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
                    options.warn("a mutex was abandoned by its previous holder (it died holding it)");
                }
                if (!ok) {
                    if (options.json) {
                        options.out().println(new Json().put("index", -1).put("timedOut", true));
                    }
                    return ExitCodes.TIMEOUT;
                }
                for (int i = 0; i < members.length; i++) {
                    if (options.json || members[i] instanceof NamedMessageQueue.Receive) {
                        report(i, members[i], opened.get(i), code == ExitCodes.ABANDONED && opened.get(i) instanceof NamedMutex);
                    }
                    release(opened.get(i));
                }
            }
            return code;
        } finally {
            for (NamedObject o : opened) {
                o.close();
            }
        }
    }

    private void report(int index, Waitable member, NamedObject o, boolean abandoned) throws Failure {
        MessageQueue.Message m = member instanceof NamedMessageQueue.Receive r ? r.item() : null;
        if (options.json) {
            Json j = new Json().put("index", index).put("name", o.name()).put("kind", o.info().kind());
            if (o instanceof NamedMutex) {
                j.put("abandoned", abandoned);
            }
            if (m != null) {
                j.put("priority", m.priority()).put("message", new String(m.data(), java.nio.charset.StandardCharsets.UTF_8));
            }
            options.out().println(j);
        } else {
            if (mode.any) {
                options.out().println(index);
            }
            if (m != null) {
                MqCommand.print(options, o.name(), m, false);
            }
        }
    }

    private static void release(NamedObject o) {
        if (o instanceof NamedMutex m && m.isHeldByCurrentThread()) {
            m.unlock();
        }
    }
}
