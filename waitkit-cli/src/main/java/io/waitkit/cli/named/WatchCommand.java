package io.waitkit.cli.named;

import io.waitkit.cli.WaitkitCli;
import io.waitkit.ipc.NamedObjectInfo;
import io.waitkit.ipc.Namespace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code waitkit watch}: a live view of a namespace, the table of {@code waitkit ls} refreshed
 * at an interval. On a terminal each refresh redraws the screen in place (the cursor goes home
 * and the screen is cleared, then the table is written in one piece); otherwise each refresh
 * appends a table headed by its time, so that a pipe or a log stays readable. With
 * {@code --json} every refresh writes one line per object (the fields of {@code ls --json})
 * and then {@code {"refresh":N,"time":"HH:MM:SS"}}.
 *
 * <p>It runs until interrupted (Ctrl-C), until {@code --count} refreshes are done, or until
 * {@code --timeout} has passed (exit code 0 in the last two cases). Listing never opens or maps
 * an object and takes no lock of the objects, so watching changes nothing (a watcher is not
 * counted among the openers).
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Shows the named objects of the namespace live.",
        description = "The table of 'ls', refreshed in place on a terminal (plain tables otherwise) until Ctrl-C,"
                + " --count refreshes or --timeout.")
public final class WatchCommand implements Callable<Integer> {
    private static final String HOME_AND_CLEAR = "\033[H\033[2J";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Mixin
    private ObjectOptions options;

    @ParentCommand
    private WaitkitCli parent;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "1s", converter = ObjectOptions.DurationConverter.class,
            description = "Time between refreshes, 50ms to 1h (default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "Stop after N refreshes (default: 0, no limit).")
    private int count;

    /** Creates the command; picocli instantiates it. */
    public WatchCommand() {
    }

    /**
     * Refreshes until interrupted, {@code --count} or {@code --timeout}.
     *
     * @return the exit code
     */
    @Override
    public Integer call() {
        if (options.onZk()) {
            return options.zkRun(() -> ZkObjects.watch(options, interval, count, parent != null && parent.isTerminal() && !options.json));
        }
        return options.run(() -> {
            Namespace ns = options.namespace();
            return watch(options, interval, count, parent != null && parent.isTerminal() && !options.json,
                    ns.directory().toString(), "(no named objects)", () -> {
                        List<NamedObjectInfo> all = ns.list();
                        List<Json> json = new ArrayList<>();
                        for (NamedObjectInfo i : all) {
                            json.add(LsCommand.json(i));
                        }
                        return new Screen(json, LsCommand.lines(all));
                    });
        });
    }

    /**
     * The objects at one refresh: the lines of {@code ls --json} and of the table.
     *
     * @param json one JSON line per object
     * @param lines one table line per object
     */
    record Screen(List<Json> json, List<LsCommand.Line> lines) {
    }

    /** Lists the objects for one refresh. */
    @FunctionalInterface
    interface Snapshot {
        /**
         * Lists the objects now.
         *
         * @return the objects
         * @throws Exception if they cannot be listed
         */
        Screen take() throws Exception;
    }

    /**
     * The refresh loop of {@code watch}, on this host's namespace and on ZooKeeper
     * ({@code ZkObjects}): prints a snapshot every {@code interval} until {@code count}
     * refreshes (0: no limit), the {@code --timeout} or an interrupt.
     *
     * @param o the options
     * @param interval the time between refreshes, 50 ms to 1 h
     * @param count the refreshes, 0 for no limit
     * @param inPlace whether to redraw the screen in place (a terminal, without {@code --json})
     * @param where what is watched, for the heading
     * @param none what an empty table says
     * @param snapshot lists the objects
     * @return {@link ExitCodes#OK}
     * @throws Exception a usage error ({@link Failure}), an interrupt, or a failed listing
     */
    static int watch(ObjectOptions o, Duration interval, int count, boolean inPlace, String where, String none,
            Snapshot snapshot) throws Exception {
        if (interval.compareTo(Duration.ofMillis(50)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new Failure(ExitCodes.USAGE, "--interval must be 50ms to 1h: " + interval.toMillis() + "ms");
        }
        if (count < 0) {
            throw new Failure(ExitCodes.USAGE, "--count must not be negative: " + count);
        }
        PrintWriter out = o.out();
        Duration limit = o.timeout();
        long end = limit == null ? 0L : System.nanoTime() + limit.toNanos();
        for (int n = 1; ; n++) {
            Screen all = snapshot.take();
            String now = LocalTime.now().format(TIME);
            if (o.json) {
                for (Json j : all.json()) {
                    out.println(j);
                }
                out.println("{\"refresh\":" + n + ",\"time\":\"" + now + "\"}");
            } else {
                StringWriter screen = new StringWriter();
                PrintWriter w = new PrintWriter(screen);
                if (inPlace) {
                    w.print(HOME_AND_CLEAR);
                }
                w.println("waitkit watch  " + where + "  " + now + (inPlace ? "  (Ctrl-C to stop)" : ""));
                LsCommand.print(w, all.lines());
                if (all.lines().isEmpty()) {
                    w.println(none);
                }
                if (!inPlace) {
                    w.println();
                }
                w.flush();
                out.print(screen);
            }
            out.flush();
            if ((count != 0 && n >= count) || (limit != null && System.nanoTime() - end >= 0)) {
                return ExitCodes.OK;
            }
            // the refresh interval (pacing, not synchronization), shortened to the --timeout
            long nanos = interval.toNanos();
            if (limit != null) {
                nanos = Math.min(nanos, Math.max(0L, end - System.nanoTime()));
            }
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
