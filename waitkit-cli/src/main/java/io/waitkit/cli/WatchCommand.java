package io.waitkit.cli;

import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.NamedObjectInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code waitkit watch}: a live view of a namespace, the table of {@code waitkit ls} refreshed
 * at an interval. On a terminal each refresh redraws the screen in place (the cursor goes home
 * and the screen is cleared, then the table is written); otherwise each refresh appends a
 * table headed by its time, so that the output of a pipe or a log stays readable. With
 * {@code --json} every refresh writes one JSON object per named object (the fields of
 * {@code ls --json}) and one {@code {"refresh":N,"time":"..."}} line after them.
 *
 * <p>It runs until interrupted (Ctrl-C) unless {@code --count} bounds the refreshes. Listing
 * never opens or maps an object and takes no lock of the objects, so watching changes nothing
 * (a watcher is not counted among the openers).
 */
@Command(name = "watch",
        description = "Live view of a namespace: every named object with its state, owner, waiters and openers, "
                + "refreshed in place on a terminal (plain tables otherwise). Ctrl-C stops it.",
        mixinStandardHelpOptions = true)
final class WatchCommand implements Callable<Integer> {
    private static final String HOME_AND_CLEAR = "\033[H\033[2J";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @ParentCommand
    private WaitkitCli parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--namespace", paramLabel = "DIR",
            description = "The namespace directory (default: the user's namespace).")
    private Path namespace;

    @Option(names = "--interval", paramLabel = "MILLIS", defaultValue = "1000",
            description = "Milliseconds between refreshes, 50 to 3600000 (default: ${DEFAULT-VALUE}).")
    private long intervalMillis;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N refreshes (default: 0, until interrupted).")
    private int count;

    @Option(names = "--json", description = "One JSON object per named object and per refresh, instead of a table.")
    private boolean json;

    /**
     * Refreshes until interrupted or {@code --count} refreshes are done.
     *
     * @return 0, or 2 for bad option values
     * @throws IOException if the namespace cannot be opened or read
     */
    @Override
    public Integer call() throws IOException {
        if (intervalMillis < 50 || intervalMillis > 3_600_000) {
            spec.commandLine().getErr().println("waitkit watch: --interval must be 50 to 3600000 ms: " + intervalMillis);
            return WaitkitCli.EXIT_USAGE;
        }
        if (count < 0) {
            spec.commandLine().getErr().println("waitkit watch: --count must not be negative: " + count);
            return WaitkitCli.EXIT_USAGE;
        }
        Namespace ns = namespace == null ? Namespace.user() : Namespace.open(namespace);
        PrintWriter out = spec.commandLine().getOut();
        boolean inPlace = parent != null && parent.isTerminal() && !json;
        for (int n = 1; count == 0 || n <= count; n++) {
            List<NamedObjectInfo> objects = ns.list();
            String now = LocalTime.now().format(TIME);
            if (json) {
                for (NamedObjectInfo o : objects) {
                    out.println(json(o));
                }
                out.println("{\"refresh\":" + n + ",\"time\":\"" + now + "\"}");
            } else {
                StringBuilder screen = new StringBuilder();
                if (inPlace) {
                    screen.append(HOME_AND_CLEAR);
                }
                screen.append("waitkit watch  ").append(ns.directory()).append("  ").append(now)
                        .append(inPlace ? "  (Ctrl-C to stop)" : "").append(System.lineSeparator());
                table(screen, objects);
                out.print(screen);
                if (!inPlace) {
                    out.println();
                }
            }
            out.flush();
            if (count != 0 && n == count) {
                break;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(intervalMillis); // the refresh interval: pacing, not synchronization
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
        return WaitkitCli.EXIT_OK;
    }

    /** Appends the objects as an aligned table (the columns of {@code ls}). */
    static void table(StringBuilder sb, List<NamedObjectInfo> objects) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "KIND", "STATE", "OWNER", "WAITERS", "OPENERS"});
        for (NamedObjectInfo o : objects) {
            rows.add(new String[] {o.name(), o.kind(), o.state(),
                o.ownerPid().isPresent() ? Long.toString(o.ownerPid().getAsLong()) : "-",
                Integer.toString(o.waiters()), Integer.toString(o.openers())});
        }
        int[] width = new int[6];
        for (String[] r : rows) {
            for (int c = 0; c < 6; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < 6; c++) {
                line.append(r[c]);
                if (c < 5) {
                    line.append(" ".repeat(width[c] - r[c].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        if (objects.isEmpty()) {
            sb.append("(no named objects)").append(System.lineSeparator());
        }
    }

    /** One object as a JSON line with the fields of {@link NamedObjectInfo}. */
    static String json(NamedObjectInfo o) {
        return "{\"name\":" + quote(o.name()) + ",\"kind\":" + quote(o.kind()) + ",\"state\":" + quote(o.state())
                + ",\"ownerPid\":" + (o.ownerPid().isPresent() ? Long.toString(o.ownerPid().getAsLong()) : "null")
                + ",\"waiters\":" + o.waiters() + ",\"openers\":" + o.openers() + "}";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
