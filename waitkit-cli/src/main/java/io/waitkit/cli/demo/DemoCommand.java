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
 * {@code waitkit demo}: worker processes coordinated only by named objects, one of them killed
 * mid-way through an update, and checks that nothing was lost, duplicated or left inconsistent;
 * with {@code --local}, an in-process showcase of the wait engine.
 *
 * <p>Without {@code --local} it runs the multi-process demo (see {@code ProcessDemo}): Java
 * worker processes and a {@code /bin/sh} worker using the {@code waitkit} command take jobs from a
 * named priority queue, run them under a named semaphore and record them in a shared ledger
 * guarded by a named robust mutex; one worker is killed with SIGKILL while it holds the mutex,
 * and the others detect the abandonment, repair the ledger and go on. With {@code --zk} it runs
 * the same kind of job on an embedded ZooKeeper ensemble (see {@code ZkDemo}), with Java
 * workers and a shell worker, and kills the ensemble's leader mid-run.
 *
 * <p>With {@code --local} it runs, one after the other: dining philosophers taking both forks
 * with {@code Wait.all}; a producer/consumer pipeline whose consumers block in {@code Wait.any}
 * over several queues and a shutdown event; a pipeline of a {@code Channel} and a
 * {@code PriorityChannel} driven by {@code WaitableTimer}s and a {@code Counter}; workers in
 * lock-step on a {@code Barrier} with a {@code Threshold} releasing batches; readers and writers
 * on an {@code RwLock}; request/reply over an {@code Exchange} with impatient clients; an
 * abandoned mutex detected by the thread blocked on it, then repaired; async waits racing
 * against {@code cancel}; and five thousand virtual threads through a {@code Wait.all} gate.
 * Each part prints progress lines (every half second in the timed parts), then PASS or FAIL for
 * each invariant it checked; a summary table ends the run.
 *
 * <p>Exit code {@link WaitkitCli#EXIT_OK} when every check passed, {@link WaitkitCli#EXIT_FAILED}
 * when one failed, {@link WaitkitCli#EXIT_USAGE} for invalid options.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Shows named objects and the wait engine at work across processes, and checks the results.",
        description = {"Starts worker processes (Java, and a /bin/sh script using the waitkit command) that"
                + " share only named objects in a fresh private namespace: a priority message queue of jobs, a"
                + " semaphore bounding how many run at once, a robust mutex guarding a shared ledger, a shutdown"
                + " event. One worker is killed with SIGKILL while it holds the mutex mid-way through an update;"
                + " the others get AbandonedMutexException, repair the ledger and go on. Checks that nothing was"
                + " lost or duplicated, that the ledger is consistent and that the abandonment was seen within"
                + " 100 ms, then removes the namespace (also on Ctrl-C).",
            "",
            "With --zk: the same on ZooKeeper: starts an embedded ensemble of three ZooKeeper servers in this JVM,"
                + " Java worker processes and a /bin/sh worker using 'waitkit ... --zk' that share only objects on it (a"
                + " counter handing out jobs, a semaphore, a mutex guarding a ledger of counters, a queue of the shell"
                + " worker's completions, a shutdown event); kills the server that leads the ensemble"
                + " once a third of the jobs are recorded, shows the workers move to the other servers with their"
                + " sessions and the work carry on, and checks that nothing was lost or duplicated and the ledger is"
                + " consistent; then deletes the objects and stops the ensemble (also on Ctrl-C).",
            "",
            "With --local: runs in-process, one after the other: dining philosophers (Wait.all), a pipeline"
                + " (Wait.any over queues and a shutdown event), channels (Channel, PriorityChannel, Counter,"
                + " WaitableTimer), barrier rounds (Barrier, Threshold), readers/writers (RwLock), request/reply"
                + " (Exchange), an abandoned mutex recovered, async waits racing cancel(), and virtual threads.",
            "",
            "Prints PASS or FAIL for each check and a summary; the exit code is 1 if any check fails."},
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

    @Option(names = "--local",
            description = "Run the in-process showcase of the wait engine instead of the worker processes.")
    private boolean local;

    @Option(names = "--zk",
            description = "Run the worker processes on the objects of an embedded ensemble of three ZooKeeper servers,"
                    + " one of which is killed mid-run.")
    private boolean zk;

    private int jobs = 60;

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
            description = "With --local: how long each timed part (philosophers, pipelines, rounds, readers/writers) runs, in seconds (default: ${DEFAULT-VALUE}).")
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
            description = "With --local: number of dining philosophers, 2 to 64 (default: ${DEFAULT-VALUE}).")
    public void setPhilosophers(int n) {
        if (n < 2 || n > 64) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--philosophers': " + n + " is not in [2, 64]");
        }
        this.philosophers = n;
    }

    /**
     * Sets the number of jobs of the multi-process demo.
     *
     * @param n the number, 8 to 1000
     * @throws ParameterException if out of range
     */
    @Option(names = "--jobs", paramLabel = "N", defaultValue = "60",
            description = "The number of jobs the worker processes share, 8 to 1000 (default: ${DEFAULT-VALUE}).")
    public void setJobs(int n) {
        if (n < 8 || n > 1000) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--jobs': " + n + " is not in [8, 1000]");
        }
        this.jobs = n;
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
        if (local && zk) {
            throw new ParameterException(spec.commandLine(), "--local and --zk are two different demos: give one of them");
        }
        if (zk) {
            try {
                return new ZkDemo(ZkDemo.Settings.standard(jobs), spec.commandLine().getOut(), terminal, !quiet, ansi)
                        .run() ? WaitkitCli.EXIT_OK : WaitkitCli.EXIT_FAILED;
            } catch (LinkageError e) {
                spec.commandLine().getErr().println("waitkit: demo --zk: the ZooKeeper jars are not on the class path (" + e
                        + "); run the waitkit launcher, which adds lib/zk/*.jar for --zk");
                return WaitkitCli.EXIT_FAILED;
            }
        }
        if (!local) {
            return new ProcessDemo(ProcessDemo.Settings.standard(jobs), spec.commandLine().getOut(), terminal, !quiet, ansi)
                    .run() ? WaitkitCli.EXIT_OK : WaitkitCli.EXIT_FAILED;
        }
        Out out = new Out(spec.commandLine().getOut(), terminal, !quiet, ansi);
        DemoSettings settings = new DemoSettings(Duration.ofNanos((long) (seconds * 1e9)), philosophers);
        return demo.run(settings, out) ? WaitkitCli.EXIT_OK : WaitkitCli.EXIT_FAILED;
    }
}
