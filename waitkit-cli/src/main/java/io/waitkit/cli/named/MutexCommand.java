package io.waitkit.cli.named;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Fairness;
import io.waitkit.ipc.NamedMutex;
import io.waitkit.ipc.PosixSignal;
import io.waitkit.ipc.Signals;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit mutex run NAME -- CMD ARGS…}: runs a command while holding a named robust
 * mutex, as {@code flock(1)} does with a lock file, with the mutex's abandonment report: a
 * previous holder that died holding it is reported on the error stream and to the command
 * ({@code WAITKIT_ABANDONED=1} in its environment).
 */
@Command(name = "mutex", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Runs a command while holding a named mutex.",
        description = "A robust mutex: a holder that dies (also by SIGKILL) leaves it abandoned, and the next one to"
                + " take it is told.")
public final class MutexCommand {
    /** Creates the command; picocli instantiates it. */
    public MutexCommand() {
    }

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Takes the mutex (created if missing), runs CMD with the standard streams of this command,"
                    + " releases the mutex when CMD ends, and exits with CMD's exit status (128+N if a signal N ended it).",
                "An abandoned mutex is taken, reported on the error stream, and CMD runs with WAITKIT_ABANDONED=1"
                    + " in its environment. SIGINT is left to CMD while it runs.",
                "Exit codes besides CMD's: 1 timeout (CMD not run), 2 no CMD, 127 CMD not found or not executable."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"N:CMD's exit status", "1:timeout: the mutex was not taken, CMD did not run",
                "2:usage error (no CMD after --)",
                "5:the name holds another kind, a corrupt object, or (--barging) a mutex created hand-off",
                "127:CMD was not found or could not be started", "130:interrupted while waiting for the mutex"})
    int run(@Mixin ObjectOptions o,
            @Option(names = "--barging", description = "Create a missing mutex with Fairness.BARGING (a release frees it and"
                    + " wakes a waiter, which competes with running threads); an existing mutex must have been created so"
                    + " (exit code 5 otherwise). Without it a missing mutex is created hand-off and an existing one is"
                    + " taken as it is.") boolean barging,
            @Parameters(index = "0", paramLabel = "NAME", description = "The mutex's name.") String name,
            @Parameters(index = "1..*", arity = "0..*", paramLabel = "CMD", description = "The command and its arguments, after --.") List<String> command) {
        return o.run(() -> {
            if (command == null || command.isEmpty()) {
                throw new Failure(ExitCodes.USAGE, "mutex run: no command to run (usage: waitkit mutex run NAME -- CMD [ARGS...])");
            }
            if (o.onZk()) {
                if (barging) {
                    throw new Failure(ExitCodes.USAGE, "mutex run: --barging is not available with --zk"
                            + " (a ZooKeeper mutex serves its waiters in the order they queued)");
                }
                return o.zkRun(() -> ZkObjects.mutexRun(o, name, command));
            }
            try (NamedMutex m = barging ? o.namespace().mutex(name, Fairness.BARGING) : o.namespace().mutex(name)) {
                return runHolding(o, name, command, () -> {
                    m.lockInterruptibly();
                    return true;
                }, m::tryLock, "it died holding it", m::unlock);
            }
        });
    }

    /**
     * {@code mutex run} once the mutex is open, on this host's mutexes and ZooKeeper's
     * ({@code ZkObjects}): takes it as {@code --timeout} says (a timeout fails with CMD not
     * run; an abandoned mutex is taken and reported), runs CMD holding it, then releases it.
     *
     * @param o the options
     * @param name the mutex's name
     * @param command CMD and its arguments
     * @param lock takes the mutex, interruptibly, without a bound
     * @param tryLock takes it within a timeout; false if it elapsed
     * @param abandonedWhy why an abandoned mutex was abandoned, for the warning
     * @param release releases the mutex after CMD (and says so if it was lost meanwhile)
     * @return CMD's exit status
     * @throws Exception a timeout ({@link Failure}), an interrupt, or CMD not started
     */
    static int runHolding(ObjectOptions o, String name, List<String> command, ObjectOptions.Forever<Boolean> lock,
            ObjectOptions.Bounded<Boolean> tryLock, String abandonedWhy, Runnable release) throws Exception {
        boolean abandoned = false;
        try {
            if (!o.await(lock, tryLock)) {
                throw new Failure(ExitCodes.TIMEOUT, "mutex '" + name + "' not taken within " + o.timeout().toMillis() + " ms; "
                        + command.get(0) + " not run");
            }
        } catch (AbandonedMutexException e) {
            abandoned = true;
            o.warn("mutex '" + name + "' was abandoned by its previous holder (" + abandonedWhy + "); taken");
        }
        try {
            return runHolding(command, abandoned, name);
        } finally {
            release.run();
        }
    }

    /**
     * Runs the command with this command's standard streams while the caller holds the mutex.
     *
     * @param command the command and its arguments
     * @param abandoned whether the mutex was taken abandoned ({@code WAITKIT_ABANDONED=1})
     * @param name the mutex's name, for messages
     * @return the command's exit status
     * @throws Exception if it cannot be started ({@link ExitCodes#COMMAND_NOT_FOUND})
     */
    static int runHolding(List<String> command, boolean abandoned, String name) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        if (abandoned) {
            pb.environment().put("WAITKIT_ABANDONED", "1");
        }
        Signals.Handle sigint = null;
        try {
            try {
                sigint = Signals.handle(PosixSignal.SIGINT, s -> { }); // CMD gets the terminal's SIGINT; we wait for it
            } catch (RuntimeException unavailable) {
                // ignored SIGINT (a background job) or no signal API: nothing to hold back
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                String msg = String.valueOf(e.getMessage());
                java.util.regex.Matcher errno = java.util.regex.Pattern.compile("error[:=] ?(\\d+)").matcher(msg);
                String why = !errno.find() ? msg : errno.group(1).equals("2") ? "command not found"
                        : errno.group(1).equals("13") ? "permission denied" : msg;
                throw new Failure(ExitCodes.COMMAND_NOT_FOUND, command.get(0) + ": " + why + " (mutex '" + name + "' released)");
            }
            try {
                return p.waitFor();
            } finally {
                if (p.isAlive()) {
                    p.destroy();
                }
            }
        } finally {
            if (sigint != null) {
                sigint.close();
            }
        }
    }
}
