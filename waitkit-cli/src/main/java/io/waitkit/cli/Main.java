package io.waitkit.cli;

import io.waitkit.cli.named.ShortCommands;
import java.io.PrintWriter;

/**
 * The entry point of the {@code waitkit} command, which the launcher runs: the short commands on
 * events and semaphores run through {@link ShortCommands}, everything else through picocli
 * ({@link WaitkitCli}). This class names no picocli type, so a short command never loads one:
 * a class that does (such as {@link WaitkitCli}) makes the JVM load picocli's classes from its
 * jar when it verifies it, before {@code main} runs.
 */
public final class Main {
    private Main() {
    }

    /**
     * Runs the command line and exits with its exit code. Whether standard output is a
     * terminal (for the commands that draw on it) comes from the system property
     * {@code waitkit.terminal} when the launcher sets it, else from {@link System#console()}.
     *
     * @param args the arguments, as after {@code waitkit} on a shell
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /**
     * Runs a command line as {@link #main} does, without exiting (for the AOT cache's training
     * run, which must go the way of a real run).
     *
     * @param out where normal output goes
     * @param err where error messages go
     * @param args the arguments
     * @return the exit code
     */
    static int run(PrintWriter out, PrintWriter err, String[] args) {
        try {
            int code = ShortCommands.run(out, err, args);
            if (code == ShortCommands.NOT_HANDLED) {
                code = WaitkitCli.runWithPicocli(out, err, args);
            }
            return code;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
