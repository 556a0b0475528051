package io.waitkit.cli.named;

import io.waitkit.ipc.NamedObjectInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code waitkit ls}: every object of the namespace with its kind, state, owner, waiters and
 * openers, as {@code ipcs} does for System V objects. Opens nothing. With {@code --zk} the
 * objects of a ZooKeeper root ({@code ZkObjects}), with the waits ZooKeeper records
 * ({@code ZkNamespace.waiters}) and no openers ({@code -}), which it does not record.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Lists the named objects of the namespace.",
        description = {"One line per object: name, kind, state, owner pid (a held mutex), waiters and openers."
                + " A file that cannot be read as an object is listed with kind 'corrupt'.",
            "With --zk: OWNER is the holder's ZooKeeper session (0x...). WAITERS counts what ZooKeeper records of"
                + " the waits, in every process: for a mutex the processes queued for it (the holder not counted),"
                + " for an event the processes waiting on it, for a message queue those waiting to receive or for"
                + " room, for a barrier the arrivals waiting for the round; a process counts once however many of"
                + " its threads wait. It is '-' for semaphores and counters, whose waiters only watch the object's"
                + " node and leave no trace there. OPENERS is always '-': opening an object on ZooKeeper reads its"
                + " node and records nothing, so who has it open is not known."})
public final class LsCommand implements Callable<Integer> {
    @Mixin
    private ObjectOptions options;

    /** Creates the command; picocli instantiates it. */
    public LsCommand() {
    }

    /**
     * Lists the objects.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        if (options.onZk()) {
            return options.zkRun(() -> ZkObjects.ls(options));
        }
        return options.run(() -> {
            List<NamedObjectInfo> all = options.namespace().list();
            PrintWriter out = options.out();
            if (options.json) {
                for (NamedObjectInfo i : all) {
                    out.println(json(i));
                }
            } else {
                table(out, all);
            }
            return ExitCodes.OK;
        });
    }

    /**
     * Prints snapshots as the table of {@code ls}: a header line, then one aligned line per
     * object.
     *
     * @param out where to print
     * @param all the snapshots
     */
    static void table(PrintWriter out, List<NamedObjectInfo> all) {
        print(out, lines(all));
    }

    /**
     * The snapshots as lines of the table.
     *
     * @param all the snapshots
     * @return one line per snapshot
     */
    static List<Line> lines(List<NamedObjectInfo> all) {
        List<Line> lines = new ArrayList<>();
        for (NamedObjectInfo i : all) {
            lines.add(new Line(i.name(), i.kind(), i.state(), i.ownerPid().isPresent() ? Long.toString(i.ownerPid().getAsLong())
                    : "-", Integer.toString(i.waiters()), Integer.toString(i.openers())));
        }
        return lines;
    }

    /**
     * One object's line in the table of {@code ls}, {@code watch} and their ZooKeeper forms, as
     * text ({@code -} for what is not known).
     *
     * @param name the name
     * @param kind the kind
     * @param state the state
     * @param owner the owner (a pid, a ZooKeeper session), or {@code -}
     * @param waiters the waits blocked on it, or {@code -}
     * @param openers the processes that have it open, or {@code -}
     */
    record Line(String name, String kind, String state, String owner, String waiters, String openers) {
    }

    /**
     * Prints the table: a header line, then one aligned line per object.
     *
     * @param out where to print
     * @param lines the objects
     */
    static void print(PrintWriter out, List<Line> lines) {
        int w = 4;
        for (Line l : lines) {
            w = Math.max(w, l.name().length());
        }
        String f = "%-" + w + "s  %-13s  %-16s  %7s  %7s  %7s%n";
        out.printf(f, "NAME", "KIND", "STATE", "OWNER", "WAITERS", "OPENERS");
        for (Line l : lines) {
            out.printf(f, l.name(), l.kind(), l.state(), l.owner(), l.waiters(), l.openers());
        }
    }

    /**
     * The JSON form of a snapshot: {@code name}, {@code kind}, {@code state}, {@code ownerPid}
     * (null unless a mutex is held), {@code waiters}, {@code openers}.
     *
     * @param i the snapshot
     * @return the object
     */
    static Json json(NamedObjectInfo i) {
        Json j = new Json().put("name", i.name()).put("kind", i.kind()).put("state", i.state());
        if (i.ownerPid().isPresent()) {
            j.put("ownerPid", i.ownerPid().getAsLong());
        } else {
            j.raw("ownerPid", "null");
        }
        return j.put("waiters", i.waiters()).put("openers", i.openers());
    }
}
