package io.waitkit.cli;

import io.waitkit.cli.demo.DemoCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
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
 * <p>Each subcommand is a picocli {@code @Command} class listed in {@link Command#subcommands()}
 * below; a subcommand reaches the shared settings (for example {@link #isTerminal()}) through a
 * {@code @ParentCommand} field. Today the tree holds {@code demo} (an in-process showcase of the
 * wait engine) and {@code help}; the commands that operate named cross-process objects join it
 * with the IPC module.
 *
 * <p>Exit codes: {@link #EXIT_OK} on success, {@link #EXIT_FAILED} when a command ran but did not
 * succeed (for {@code demo}: one of its checks failed, or it stopped with an error), and
 * {@link #EXIT_USAGE} for bad usage (unknown option or command, invalid value, missing command),
 * which is picocli's default for invalid input.
 *
 * <p>The {@code ./waitkit} launcher at the root of the repository runs {@link #main} on a JDK 25
 * or newer, with the module's jar and {@code target/lib/*} on the class path.
 */
@Command(name = "waitkit",
        mixinStandardHelpOptions = true,
        versionProvider = WaitkitCli.VersionProvider.class,
        description = "Kernel-grade synchronization for the JVM: events, owned mutexes with abandonment,"
                + " semaphores, and one wait engine under them (wait for one of many or all of many).",
        subcommands = {DemoCommand.class, WatchCommand.class, CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the command ran and did not succeed (demo: a check failed)",
            "2:usage error (unknown option or command, invalid value)"})
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
        CommandLine cmd = new CommandLine(new WaitkitCli(terminal));
        Ansi ansi = terminal && System.getenv("NO_COLOR") == null ? Ansi.ON : Ansi.OFF;
        cmd.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    /**
     * Runs one command line and returns its exit code, without exiting the JVM (for tests and for
     * embedding).
     *
     * @param out where normal output goes
     * @param err where error messages go
     * @param args the arguments, as after {@code waitkit} on a shell
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        try {
            return commandLine(out, err, false).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The program entry point: runs the command line and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        java.io.Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err, terminal).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The text of {@code --version}: Waitkit's version (from the build) and the running JVM.
     */
    public static final class VersionProvider implements IVersionProvider {
        /** Creates the provider; picocli instantiates it. */
        public VersionProvider() {
        }

        /**
         * Returns the version lines.
         *
         * @return Waitkit's version, then the Java runtime and the platform
         */
        @Override
        public String[] getVersion() {
            return new String[] {
                "waitkit " + version(),
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
            try (InputStream in = WaitkitCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version", "");
                    if (!v.isBlank() && !v.startsWith("${")) {
                        return v;
                    }
                }
            } catch (IOException e) {
                // fall through: the version is informational
            }
            return "unknown";
        }
    }
}
