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
     * The short commands as a shell loop runs them, with no {@code --namespace} (the user's
     * namespace): run only when that namespace is a throw-away one (see {@link #main}).
     */
    public static final List<List<String>> USER_NAMESPACE_COMMANDS = List.of(
            List.of("event", "create", "aot-train-user-event"),
            List.of("event", "set", "aot-train-user-event"),
            List.of("sem", "create", "aot-train-user-sem", "--initial", "1"),
            List.of("sem", "wait", "aot-train-user-sem", "--timeout", "0"),
            List.of("rm", "aot-train-user-event", "aot-train-user-sem"));

    /**
     * The training of the short commands' own cache ({@code --short}): the commands that
     * {@link io.waitkit.cli.named.ShortCommands} runs, on a throw-away namespace given as
     * {@code --namespace}, then as a shell loop runs them (see {@link #USER_NAMESPACE_COMMANDS}).
     */
    public static final List<List<String>> SHORT_COMMANDS = List.of(
            List.of("event", "create", "aot-train-event"),
            List.of("event", "set", "aot-train-event"),
            List.of("event", "reset", "aot-train-event"),
            List.of("event", "pulse", "aot-train-event"),
            List.of("event", "wait", "aot-train-event", "--timeout", "0"),
            List.of("event", "set", "aot-train-event", "--json"),
            List.of("event", "wait", "aot-train-event", "--timeout", "0"),
            List.of("sem", "create", "aot-train-sem", "--initial", "1"),
            List.of("sem", "wait", "aot-train-sem", "--timeout", "0"),
            List.of("sem", "wait", "aot-train-sem", "--timeout", "0"),
            List.of("sem", "post", "aot-train-sem"),
            List.of("sem", "get", "aot-train-sem"),
            List.of("event", "set", "aot-train-missing"));

    /**
     * Runs every command of {@link #COMMANDS} once (of {@link #SHORT_COMMANDS} with
     * {@code --short}: the launcher's cache for the short commands), then, when {@code XDG_RUNTIME_DIR} is the
     * folder of the namespace given (so that the user's namespace is a throw-away one too, as
     * the launcher arranges), those of {@link #USER_NAMESPACE_COMMANDS}; discards their output
     * and exits 0. The commands run as {@link Main} runs them.
     *
     * @param args optionally {@code --short}, then the namespace folder to use (given as
     *        {@code --namespace} to the commands that take it); none: the commands use the
     *        default namespace
     */
    public static void main(String[] args) {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        boolean onlyShort = args.length > 0 && args[0].equals("--short");
        if (onlyShort) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        List<List<String>> all = new java.util.ArrayList<>(onlyShort ? SHORT_COMMANDS : COMMANDS);
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (args.length > 0 && xdg != null && !xdg.isEmpty()
                && java.nio.file.Path.of(xdg).toAbsolutePath().equals(java.nio.file.Path.of(args[0]).toAbsolutePath().getParent())) {
            for (List<String> command : USER_NAMESPACE_COMMANDS) {
                if (!onlyShort || !command.get(0).equals("rm")) { // rm runs through picocli
                    all.add(command);
                }
            }
        }
        for (List<String> command : all) {
            try {
                List<String> line = new java.util.ArrayList<>(command);
                if (args.length > 0 && !command.get(0).startsWith("-") && !command.get(0).equals("help")
                        && !command.get(0).equals("no-such-command") && !USER_NAMESPACE_COMMANDS.contains(command)) {
                    line.add("--namespace");
                    line.add(args[0]);
                }
                Main.run(sink, sink, line.toArray(String[]::new));
            } catch (RuntimeException | LinkageError e) {
                // a command this build lacks, or one that failed: the cache just holds less
            }
        }
        System.exit(0);
    }
}
