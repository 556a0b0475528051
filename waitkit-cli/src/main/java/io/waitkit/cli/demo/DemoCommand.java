package io.waitkit.cli.demo;

import io.waitkit.cli.WaitkitCli;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code waitkit demo}: an in-process showcase of the wait engine that checks its own invariants.
 *
 * <p>It runs, one after the other: dining philosophers taking both forks with {@code Wait.all};
 * a producer/consumer pipeline whose consumers block in {@code Wait.any} over several queues and
 * a shutdown event; a pipeline of a {@code Channel} and a {@code PriorityChannel} driven by
 * {@code WaitableTimer}s and a {@code Counter}; workers in lock-step on a {@code Barrier} with a
 * {@code Threshold} releasing batches; readers and writers on an {@code RwLock}; request/reply
 * over an {@code Exchange} with impatient clients; an abandoned mutex detected by the thread
 * blocked on it, then repaired; async waits racing against {@code cancel}; and five thousand
 * virtual threads through a {@code Wait.all} gate. Each part prints progress lines (every half second in the timed parts),
 * then PASS or FAIL for each invariant it checked; a summary table ends the run.
 *
 * <p>Exit code {@link WaitkitCli#EXIT_OK} when every check passed, {@link WaitkitCli#EXIT_FAILED}
 * when one failed, {@link WaitkitCli#EXIT_USAGE} for invalid options.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Shows the wait engine at work and checks its invariants.",
        description = "Runs in-process, one after the other: dining philosophers (Wait.all), a pipeline"
                + " (Wait.any over queues and a shutdown event), channels (Channel, PriorityChannel, Counter,"
                + " WaitableTimer), barrier rounds (Barrier, Threshold), readers/writers (RwLock), request/reply"
                + " (Exchange), an abandoned mutex recovered, async waits racing cancel(), and virtual threads."
                + " Prints PASS or FAIL for each check and a summary; the exit code is 1 if any check fails.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed", "1:a check failed", "2:invalid options"})
public final class DemoCommand implements Callable<Integer> {
    /** The longest {@code --seconds} accepted. */
    static final double MAX_SECONDS = 600;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private WaitkitCli parent;

    private double seconds = 1.5;
    private int philosophers = 5;

    @Option(names = {"-q", "--quiet", "--no-progress"},
            description = "Print no progress lines: only the checks and the summary.")
    private boolean quiet;

    private final Demo demo;

    /** Creates the command with the standard parts; picocli instantiates it. */
    public DemoCommand() {
        this(Demo.standard());
    }

    /** Creates the command running the given parts (tests). */
    DemoCommand(Demo demo) {
        this.demo = demo;
    }

    /**
     * Sets how long each timed part runs.
     *
     * @param seconds the duration in seconds, more than 0 and at most 600
     * @throws ParameterException if out of range
     */
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1.5",
            description = "How long each timed part (philosophers, pipelines, rounds, readers/writers) runs, in seconds (default: ${DEFAULT-VALUE}).")
    public void setSeconds(double seconds) {
        if (!(seconds > 0 && seconds <= MAX_SECONDS)) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--seconds': " + seconds + " is not in (0, " + (int) MAX_SECONDS + "]");
        }
        this.seconds = seconds;
    }

    /**
     * Sets the number of dining philosophers.
     *
     * @param n the number, 2 to 64
     * @throws ParameterException if out of range
     */
    @Option(names = "--philosophers", paramLabel = "N", defaultValue = "5",
            description = "Number of dining philosophers, 2 to 64 (default: ${DEFAULT-VALUE}).")
    public void setPhilosophers(int n) {
        if (n < 2 || n > 64) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--philosophers': " + n + " is not in [2, 64]");
        }
        this.philosophers = n;
    }

    /**
     * Runs the demo.
     *
     * @return {@link WaitkitCli#EXIT_OK} if every check passed, {@link WaitkitCli#EXIT_FAILED} otherwise
     * @throws InterruptedException if the calling thread is interrupted
     */
    @Override
    public Integer call() throws InterruptedException {
        boolean terminal = parent != null && parent.isTerminal();
        Ansi ansi = spec.commandLine().getColorScheme().ansi();
        Out out = new Out(spec.commandLine().getOut(), terminal, !quiet, ansi);
        DemoSettings settings = new DemoSettings(Duration.ofNanos((long) (seconds * 1e9)), philosophers);
        return demo.run(settings, out) ? WaitkitCli.EXIT_OK : WaitkitCli.EXIT_FAILED;
    }
}
