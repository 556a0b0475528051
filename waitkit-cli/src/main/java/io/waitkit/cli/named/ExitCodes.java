package io.waitkit.cli.named;

/**
 * The exit codes of the commands on named objects (the README's table; {@code waitkit --help}
 * lists them too).
 */
public final class ExitCodes {
    /** Done: the object was created, changed, acquired or received. */
    public static final int OK = 0;
    /**
     * Not done: the timeout elapsed; also a refusal ({@code rm} of an object in use, a semaphore
     * post beyond the maximum) or an I/O error, with a line on the error stream.
     */
    public static final int TIMEOUT = 1;
    /** Bad usage: unknown command or option, bad value, bad name, missing argument. */
    public static final int USAGE = 2;
    /** An abandoned mutex was taken (its previous holder died holding it); not by {@code mutex run}. */
    public static final int ABANDONED = 3;
    /** No object of that name (or, for {@code signal send}, no process of that pid). */
    public static final int NO_SUCH_OBJECT = 4;
    /** The name holds another kind of object, or its file is corrupt. */
    public static final int WRONG_KIND = 5;
    /** {@code mutex run}: the command after {@code --} was not found or could not be started. */
    public static final int COMMAND_NOT_FOUND = 127;
    /** Interrupted by SIGINT (128 + 2). */
    public static final int INTERRUPTED = 130;
    /**
     * A write to a pipe whose readers are gone ({@code pipe write}, or {@code pipe read} and
     * {@code mq recv} writing to a closed standard output): 128 + 13, as a shell reports a
     * process killed by SIGPIPE.
     */
    public static final int BROKEN_PIPE = 141;

    private ExitCodes() {
    }
}
