package io.waitkit.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * The training run of the launcher's AOT cache: runs the typical short commands of a shell loop
 * once each, in this JVM, so that the cache the JVM writes at exit ({@code -XX:AOTCacheOutput})
 * holds the classes (and profiles) those commands need.
 *
 * <p>The {@code ./waitkit} launcher starts it when the cache for the current jars and JDK is
 * missing, with a fresh temporary folder as its argument (and as {@code XDG_RUNTIME_DIR}), so the
 * named objects it creates land in a throw-away namespace. Output is discarded; a command that fails (for
 * example one this build does not have) is skipped, as it still loads the parsing and error
 * paths a user meets.
 */
public final class AotTraining {
    /**
     * The command lines the training runs, in order: help and version, then the named-object
     * commands on an event and a semaphore (created first, removed last).
     */
    public static final List<List<String>> COMMANDS = List.of(
            List.of("--help"),
            List.of("--version"),
            List.of("help", "event"),
            List.of("no-such-command"),
            List.of("event", "create", "aot-train-event"),
            List.of("event", "set", "aot-train-event"),
            List.of("event", "reset", "aot-train-event"),
            List.of("event", "wait", "aot-train-event", "--timeout", "0"),
            List.of("event", "set", "aot-train-event"),
            List.of("event", "wait", "aot-train-event", "--timeout", "0"),
            List.of("sem", "create", "aot-train-sem", "--initial", "1"),
            List.of("sem", "wait", "aot-train-sem", "--timeout", "0"),
            List.of("sem", "wait", "aot-train-sem", "--timeout", "0"),
            List.of("sem", "post", "aot-train-sem"),
            List.of("sem", "get", "aot-train-sem"),
            List.of("ls"),
            List.of("ls", "--json"),
            List.of("info", "aot-train-event"),
            List.of("event", "set", "aot-train-missing"),
            List.of("rm", "aot-train-event", "aot-train-sem"));

    private AotTraining() {
    }

    /**
     * Runs every command of {@link #COMMANDS} once, discarding their output, and exits 0.
     *
     * @param args the namespace folder to use (given as {@code --namespace} to the commands that
     *        take it); none: the commands use the default namespace
     */
    public static void main(String[] args) {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> command : COMMANDS) {
            try {
                List<String> line = new java.util.ArrayList<>(command);
                if (args.length > 0 && !command.get(0).startsWith("-") && !command.get(0).equals("help")
                        && !command.get(0).equals("no-such-command")) {
                    line.add("--namespace");
                    line.add(args[0]);
                }
                WaitkitCli.run(sink, sink, line.toArray(String[]::new));
            } catch (RuntimeException | LinkageError e) {
                // a command this build lacks, or one that failed: the cache just holds less
            }
        }
        System.exit(0);
    }
}
