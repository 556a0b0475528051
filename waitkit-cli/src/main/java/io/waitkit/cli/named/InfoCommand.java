package io.waitkit.cli.named;

import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.NamedMessageQueue;
import io.waitkit.ipc.NamedMutex;
import io.waitkit.ipc.NamedObject;
import io.waitkit.ipc.NamedObjectInfo;
import io.waitkit.ipc.NamedPipe;
import io.waitkit.ipc.NamedSemaphore;
import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.SharedSection;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit info NAME}: one object in detail (its snapshot, the parameters fixed at its
 * creation, the files it lives in) and how this host blocks on named objects.
 */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Shows one named object in detail.",
        description = "The kind, state, owner, waiters and openers as 'ls' shows them, the parameters fixed at"
                + " creation (manual reset, maximum, fairness, capacity, message size), the file, and how this host blocks"
                + " (futex_waitv, futex or polling).")
public final class InfoCommand implements Callable<Integer> {
    @Mixin
    private ObjectOptions options;

    @Parameters(paramLabel = "NAME", description = "The object's name.")
    private String name;

    /** Creates the command; picocli instantiates it. */
    public InfoCommand() {
    }

    /**
     * Describes the object.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        if (options.onZk()) {
            return options.zkRun(() -> ZkObjects.info(options, name));
        }
        return options.run(() -> {
            Namespace ns = options.namespace();
            NamedObjectInfo info = RmCommand.find(ns, name);
            Map<String, Object> details = new LinkedHashMap<>();
            String fairness = null; // a mutex's or semaphore's, after the older fields
            try (NamedObject o = ns.openExisting(name, NamedObject.class)) {
                switch (o) {
                    case NamedEvent e -> {
                        details.put("manualReset", e.isManualReset());
                        details.put("signaled", e.isSignaled());
                    }
                    case NamedMutex m -> {
                        details.put("abandoned", m.isAbandoned());
                        fairness = SemCommand.label(m.fairness());
                    }
                    case NamedSemaphore s -> {
                        details.put("available", (long) s.availablePermits());
                        details.put("max", (long) s.maxPermits());
                        fairness = SemCommand.label(s.fairness());
                    }
                    case NamedMessageQueue q -> {
                        details.put("size", (long) q.size());
                        details.put("capacity", (long) q.capacity());
                        details.put("maxMessageSize", (long) q.maxMessageSize());
                    }
                    case NamedPipe p -> details.put("capacity", (long) p.capacity());
                    case SharedSection s -> details.put("size", s.size());
                }
            }
            details.put("file", ns.directory().resolve(name).toString());
            details.put("backend", Namespace.backend());
            if (fairness != null) {
                details.put("fairness", fairness);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", info.name());
            fields.put("kind", info.kind());
            fields.put("state", info.state());
            fields.put("owner pid", info.ownerPid().isPresent() ? info.ownerPid().getAsLong() : "-");
            fields.put("waiters", info.waiters());
            fields.put("openers", info.openers());
            return print(options, LsCommand.json(info), fields, details);
        });
    }

    /**
     * Prints what {@code info} prints, on this host's objects and ZooKeeper's
     * ({@code ZkObjects}): with {@code --json} one object, the fields of {@code ls} and then the
     * details; otherwise a line {@code LABEL: VALUE} for each field and then each detail.
     *
     * @param o the options
     * @param json the JSON line of {@code ls} for the object
     * @param fields the fields of {@code ls} as text, by label, in order
     * @param details the kind's details and where the object lives, by JSON field name, in order
     *        (booleans and longs are JSON literals, anything else a string)
     * @return {@link ExitCodes#OK}
     */
    static int print(ObjectOptions o, Json json, Map<String, Object> fields, Map<String, Object> details) {
        PrintWriter out = o.out();
        if (o.json) {
            details.forEach((k, v) -> {
                switch (v) {
                    case Boolean b -> json.put(k, b);
                    case Long l -> json.put(k, l);
                    default -> json.put(k, v.toString());
                }
            });
            out.println(json);
        } else {
            fields.forEach((k, v) -> out.printf("%-15s %s%n", k + ":", v));
            details.forEach((k, v) -> out.printf("%-15s %s%n", k + ":", v));
        }
        return ExitCodes.OK;
    }
}
