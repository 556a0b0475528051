package io.waitkit.cli.named;

import io.waitkit.ipc.NamedObjectInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code waitkit ls}: every object of the namespace with its kind, state, owner, waiters and
 * openers, as {@code ipcs} does for System V objects. Opens nothing.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Lists the named objects of the namespace.",
        description = "One line per object: name, kind, state, owner pid (a held mutex), waiters and openers."
                + " A file that cannot be read as an object is listed with kind 'corrupt'.")
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
        int w = 4;
        for (NamedObjectInfo i : all) {
            w = Math.max(w, i.name().length());
        }
        String f = "%-" + w + "s  %-13s  %-16s  %7s  %7s  %7s%n";
        out.printf(f, "NAME", "KIND", "STATE", "OWNER", "WAITERS", "OPENERS");
        for (NamedObjectInfo i : all) {
            out.printf(f, i.name(), i.kind(), i.state(), i.ownerPid().isPresent() ? i.ownerPid().getAsLong() : "-",
                    i.waiters(), i.openers());
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
