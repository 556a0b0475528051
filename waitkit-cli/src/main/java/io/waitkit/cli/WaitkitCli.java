package io.waitkit.cli;

import io.waitkit.cli.demo.DemoCommand;
import io.waitkit.cli.named.BarrierCommand;
import io.waitkit.cli.named.CompletionCommand;
import io.waitkit.cli.named.CounterCommand;
import io.waitkit.cli.named.EventCommand;
import io.waitkit.cli.named.InfoCommand;
import io.waitkit.cli.named.LsCommand;
import io.waitkit.cli.named.MqCommand;
import io.waitkit.cli.named.MutexCommand;
import io.waitkit.cli.named.PipeCommand;
import io.waitkit.cli.named.RmCommand;
import io.waitkit.cli.named.SemCommand;
import io.waitkit.cli.named.ShortCommands;
import io.waitkit.cli.named.SignalCommand;
import io.waitkit.cli.named.WatchCommand;
import io.waitkit.cli.named.WaitCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code waitkit} command: the top of the command tree and the program's entry point.
 *
 * <p>Each subcommand is a picocli {@code @Command} class listed in {@code COMMANDS} below and
 * added to the tree by {@link #commandLine(PrintWriter, PrintWriter, boolean, String)} (only the
 * one a run invokes, when it invokes one: building every command's model is most of a short
 * run's start-up); a subcommand reaches the shared settings (for example {@link #isTerminal()})
 * through a {@code @ParentCommand} field. The tree holds {@code demo} (worker processes sharing
 * named objects; {@code --local}: an in-process showcase of the wait engine), the commands on
 * named cross-process objects of {@code io.waitkit.ipc} ({@code ls}, {@code info},
 * {@code event}, {@code sem}, {@code mutex}, {@code mq}, {@code pipe}, {@code wait}, {@code rm},
 * {@code signal}, {@code watch}; package {@code io.waitkit.cli.named}), which with
 * {@code --zk CONNECT} work on the objects of {@code io.waitkit.zk} on a ZooKeeper ensemble
 * instead, together with {@code counter} and {@code barrier}, which exist there only; the hidden
 * {@code completion} and {@code help}.
 *
 * <p>Exit codes: {@link #EXIT_OK} on success, {@link #EXIT_FAILED} when a command ran but did not
 * succeed (for {@code demo}: one of its checks failed, or it stopped with an error), and
 * {@link #EXIT_USAGE} for bad usage (unknown option or command, invalid value, missing command),
 * which is picocli's default for invalid input, printed as one line. The commands on named objects
 * add their own codes ({@link io.waitkit.cli.named.ExitCodes}).
 *
 * <p>The {@code ./waitkit} launcher at the root of the repository runs {@link Main} (which runs
 * the short commands on events and semaphores without picocli, and the rest through this class)
 * on a JDK 25 or newer, with the module's jar and {@code target/lib/*} on the class path;
 * {@link #main} does the same.
 */
@Command(name = "waitkit",
        mixinStandardHelpOptions = true,
        versionProvider = WaitkitCli.VersionProvider.class,
        description = "Kernel-grade synchronization for the JVM: events, owned mutexes with abandonment,"
                + " semaphores, and one wait engine under them (wait for one of many or all of many).",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done: created, changed, acquired, received",
            "1:timeout; or not done: a refusal (rm of an object in use), an I/O error; demo: a check failed",
            "2:usage error (unknown option or command, invalid value or name, missing argument)",
            "3:an abandoned mutex was taken (not for mutex run, which exits with its command's status)",
            "4:no such object (signal send: no such process)",
            "5:the name holds another kind of object, a corrupt one, or (--barging) one created hand-off",
            "127:mutex run: the command was not found",
            "130:interrupted (SIGINT)",
            "141:pipe write: every reader has gone (as SIGPIPE)"})
public final class WaitkitCli implements Callable<Integer> {
    /** Exit code of a command that succeeded. */
    public static final int EXIT_OK = CommandLine.ExitCode.OK;
    /** Exit code of a command that ran and did not succeed (for {@code demo}: a check failed). */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad usage: unknown option or command, invalid value, missing command. */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    private final boolean terminal;

    @Spec
    private CommandSpec spec;

    /**
     * Creates the top command.
     *
     * @param terminal whether standard output is an interactive terminal (commands may then
     *        rewrite progress lines in place and use colours)
     */
    public WaitkitCli(boolean terminal) {
        this.terminal = terminal;
    }

    /**
     * Returns whether standard output is an interactive terminal.
     *
     * @return true if progress lines may be rewritten in place and colours used
     */
    public boolean isTerminal() {
        return terminal;
    }

    /**
     * Runs {@code waitkit} without a command: prints the usage on the error stream and reports a
     * usage error, as for any other incomplete command line.
     *
     * @return {@link #EXIT_USAGE}
     */
    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        cmd.getErr().println("Missing command: say which one to run.");
        cmd.usage(cmd.getErr());
        return EXIT_USAGE;
    }

    /**
     * Builds the command line: the command tree with its output streams and colour scheme.
     *
     * @param out where normal output and usage help go
     * @param err where error messages go
     * @param terminal whether {@code out} is an interactive terminal (enables colours and
     *        in-place progress lines, unless the {@code NO_COLOR} environment variable is set
     *        for colours)
     * @return a ready command line; call {@link CommandLine#execute(String...)} on it
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean terminal) {
        return commandLine(out, err, terminal, (String) null);
    }

    /** The commands of the tree, in the order of the help (see {@link #newCommand}). */
    private static final List<String> COMMANDS = List.of("demo", "ls", "info", "event", "sem", "mutex", "mq", "pipe",
            "counter", "barrier", "wait", "rm", "signal", "watch", "completion", "help");

    /**
     * Makes a command of the tree afresh: picocli reads a command's annotations when it is
     * added, so a run adds only what it needs (see
     * {@link #commandLine(PrintWriter, PrintWriter, boolean, String)}). A switch, not a table of
     * method references: the JDK's AOT cache assembly (this JDK 25) fails on an archived lambda
     * that names a class it leaves out of the cache (picocli's, compiled for Java 5).
     *
     * @param name a name of {@link #COMMANDS}
     * @return the command object, or null for another name
     */
    private static Object newCommand(String name) {
        return switch (name) {
            case "demo" -> new DemoCommand();
            case "ls" -> new LsCommand();
            case "info" -> new InfoCommand();
            case "event" -> new EventCommand();
            case "sem" -> new SemCommand();
            case "mutex" -> new MutexCommand();
            case "mq" -> new MqCommand();
            case "pipe" -> new PipeCommand();
            case "counter" -> new CounterCommand();
            case "barrier" -> new BarrierCommand();
            case "wait" -> new WaitCommand();
            case "rm" -> new RmCommand();
            case "signal" -> new SignalCommand();
            case "watch" -> new WatchCommand();
            case "completion" -> new CompletionCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
    }

    /**
     * Builds the command line for a run whose first argument is {@code first}: when it names a
     * command (other than {@code help} and {@code completion}, which describe the whole tree),
     * only that command joins the tree, since building every command's model from its
     * annotations is most of the start-up of a short run; otherwise (no command, an option of
     * {@code waitkit} itself, an unknown name) the whole tree, so that help and errors list every
     * command.
     *
     * @param out where normal output and usage help go
     * @param err where error messages go
     * @param terminal whether {@code out} is an interactive terminal
     * @param first the first argument of the run, or null for the whole tree
     * @return a ready command line; call {@link CommandLine#execute(String...)} on it
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean terminal, String first) {
        CommandLine cmd = new CommandLine(new WaitkitCli(terminal));
        Object only = first == null || first.equals("help") || first.equals("completion") ? null : newCommand(first);
        if (only != null) {
            cmd.addSubcommand(first, only);
        } else {
            for (String name : COMMANDS) {
                cmd.addSubcommand(name, newCommand(name));
            }
        }
        Ansi ansi = terminal && System.getenv("NO_COLOR") == null ? Ansi.ON : Ansi.OFF;
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.IParameterExceptionHandler standard = cmd.getParameterExceptionHandler();
        cmd.setParameterExceptionHandler((e, args) -> usageError(standard, e, args));
        return cmd;
    }

    /**
     * Reports bad usage: for the top command and the commands on named objects, on one line of
     * the error stream (the problem and where the help is); for the others, as picocli does (the
     * problem and the usage help).
     *
     * @param standard picocli's handler
     * @param e the problem picocli found
     * @param args the arguments
     * @return {@link #EXIT_USAGE}
     * @throws Exception if picocli's handler throws
     */
    private static int usageError(CommandLine.IParameterExceptionHandler standard, CommandLine.ParameterException e,
            String[] args) throws Exception {
        CommandLine c = e.getCommandLine();
        Object command = c.getCommandSpec().userObject();
        boolean oneLine = command instanceof WaitkitCli || isNamedObjectCommand(c.getCommandSpec());
        if (!oneLine) {
            return standard.handleParseException(e, args);
        }
        c.getErr().println("waitkit: " + e.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
        c.getErr().flush();
        return EXIT_USAGE;
    }

    /** Whether a command is one of the commands on named objects or a subcommand of one. */
    private static boolean isNamedObjectCommand(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            Object o = s.userObject();
            Class<?> type = o instanceof java.lang.reflect.Method m ? m.getDeclaringClass() : o == null ? null : o.getClass();
            if (type != null && type.getPackageName().equals("io.waitkit.cli.named")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs one command line and returns its exit code, without exiting the JVM (for tests and for
     * embedding). The short commands on events and semaphores in their plain forms run without
     * picocli ({@link ShortCommands}); everything else through {@link #commandLine}.
     *
     * @param out where normal output goes
     * @param err where error messages go
     * @param args the arguments, as after {@code waitkit} on a shell
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            int code = ShortCommands.run(out, err, args);
            if (code == ShortCommands.NOT_HANDLED) {
                code = commandLine(out, err, false, args.length > 0 ? args[0] : null).execute(args);
            }
            return code;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The program entry point, as {@link Main#main}: runs the command line and exits with its
     * exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Main.main(args);
    }

    /**
     * Runs a command line through picocli, for {@link Main}: whether standard output is a
     * terminal comes from the system property {@code waitkit.terminal} ({@code true} or
     * {@code false}) when the launcher sets it (a shell test, {@code [ -t 1 ]}, costs nothing,
     * where {@link System#console()} loads the JDK's console providers), else from
     * {@link System#console()}.
     *
     * @param out where normal output goes
     * @param err where error messages go
     * @param args the arguments
     * @return the exit code
     */
    static int runWithPicocli(PrintWriter out, PrintWriter err, String[] args) {
        String told = System.getProperty("waitkit.terminal");
        boolean terminal;
        if (told != null) {
            terminal = Boolean.parseBoolean(told);
        } else {
            java.io.Console console = System.console();
            terminal = console != null && console.isTerminal();
        }
        return commandLine(out, err, terminal, args.length > 0 ? args[0] : null).execute(args);
    }

    /**
     * The text of {@code --version}: which build this is (version, git commit, build time, from
     * the {@code build.properties} resource the build writes) and the running JVM.
     */
    public static final class VersionProvider implements IVersionProvider {
        /** Creates the provider; picocli instantiates it. */
        public VersionProvider() {
        }

        /**
         * Returns the version lines.
         *
         * @return Waitkit's version with the commit and build time, then the Java runtime and the platform
         */
        @Override
        public String[] getVersion() {
            Properties build = build();
            return new String[] {
                "waitkit " + version() + " (commit " + build.getProperty("commit", "unknown") + ", built "
                        + build.getProperty("time", "unknown") + ")",
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + ", " + Runtime.getRuntime().availableProcessors() + " CPUs"};
        }

        /**
         * Returns Waitkit's version as the build recorded it.
         *
         * @return for example {@code 0.1.0-SNAPSHOT}, or {@code unknown} when the build's
         *         version file is missing (classes run outside the Maven build)
         */
        public static String version() {
            String v = load("version.properties").getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "unknown" : v;
        }

        /**
         * Returns the build's identity: {@code version}, {@code commit} (12 hex digits of the git
         * commit, {@code -dirty} when the work tree had changes) and {@code time} (UTC, ISO-8601).
         *
         * @return the properties; empty when the build did not write them
         */
        public static Properties build() {
            return load("build.properties");
        }

        private static Properties load(String resource) {
            Properties p = new Properties();
            try (InputStream in = WaitkitCli.class.getResourceAsStream(resource)) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // the version is informational
            }
            return p;
        }
    }
}
