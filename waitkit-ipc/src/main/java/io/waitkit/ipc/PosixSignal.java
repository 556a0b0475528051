package io.waitkit.ipc;

/*
 * The AxisOS signal table (signal_lib) as the host's signals.
 *
 * Invariants: every constant carries its AxisOS number, its host number and its AxisOS default
 * action; the AxisOS numbers are unique, and so are the host numbers, so ofAxisNumber and
 * ofHostNumber are inverse to axisNumber and hostNumber. The host numbers are those of Linux on
 * x86_64 and aarch64 (the generic ABI), the only hosts the ipc module links on; Signals checks
 * them against the JVM's own numbering when it first installs a handler. The AxisOS and Linux
 * numbers differ only for SIGUSR1 (30 against 10) and SIGUSR2 (31 against 12). No state is
 * mutable: the enum is safe to use from any thread without synchronization.
 */

/**
 * The ten signals of the AxisOS {@code signal_lib}, each with its AxisOS number, the number of
 * the same signal on the host (Linux on x86_64 or aarch64), its AxisOS default action and
 * whether a program may catch it.
 *
 * <table>
 * <caption>The signal table</caption>
 * <tr><th>signal</th><th>AxisOS</th><th>Linux</th><th>default action</th><th>catchable</th></tr>
 * <tr><td>SIGHUP</td><td>1</td><td>1</td><td>terminate</td><td>yes</td></tr>
 * <tr><td>SIGINT</td><td>2</td><td>2</td><td>terminate</td><td>yes</td></tr>
 * <tr><td>SIGKILL</td><td>9</td><td>9</td><td>terminate</td><td>no</td></tr>
 * <tr><td>SIGPIPE</td><td>13</td><td>13</td><td>terminate</td><td>yes</td></tr>
 * <tr><td>SIGTERM</td><td>15</td><td>15</td><td>terminate</td><td>yes</td></tr>
 * <tr><td>SIGCHLD</td><td>17</td><td>17</td><td>ignore</td><td>yes</td></tr>
 * <tr><td>SIGCONT</td><td>18</td><td>18</td><td>continue</td><td>yes</td></tr>
 * <tr><td>SIGSTOP</td><td>19</td><td>19</td><td>stop</td><td>no</td></tr>
 * <tr><td>SIGUSR1</td><td>30</td><td>10</td><td>terminate</td><td>yes</td></tr>
 * <tr><td>SIGUSR2</td><td>31</td><td>12</td><td>terminate</td><td>yes</td></tr>
 * </table>
 *
 * <p>{@link #catchable()} is the AxisOS (and POSIX) rule; the running JVM may refuse more, see
 * {@link Signals#handle}. Every method is a pure function of the constant: nothing blocks, and
 * the values may be read from any thread without synchronization.
 */
public enum PosixSignal {
    /** Hang-up: AxisOS 1, Linux 1; terminates. */
    SIGHUP(1, 1, DefaultAction.TERMINATE),
    /** Interrupt from the terminal: AxisOS 2, Linux 2; terminates. */
    SIGINT(2, 2, DefaultAction.TERMINATE),
    /** Kill: AxisOS 9, Linux 9; terminates; cannot be caught, blocked or ignored. */
    SIGKILL(9, 9, DefaultAction.TERMINATE),
    /** Write to a pipe with no reader: AxisOS 13, Linux 13; terminates. */
    SIGPIPE(13, 13, DefaultAction.TERMINATE),
    /** Termination request: AxisOS 15, Linux 15; terminates. */
    SIGTERM(15, 15, DefaultAction.TERMINATE),
    /** A child stopped or ended: AxisOS 17, Linux 17; ignored. */
    SIGCHLD(17, 17, DefaultAction.IGNORE),
    /** Continue a stopped process: AxisOS 18, Linux 18; continues. */
    SIGCONT(18, 18, DefaultAction.CONTINUE),
    /** Stop: AxisOS 19, Linux 19; stops; cannot be caught, blocked or ignored. */
    SIGSTOP(19, 19, DefaultAction.STOP),
    /** User-defined signal 1: AxisOS 30, Linux 10; terminates. */
    SIGUSR1(30, 10, DefaultAction.TERMINATE),
    /** User-defined signal 2: AxisOS 31, Linux 12; terminates. */
    SIGUSR2(31, 12, DefaultAction.TERMINATE);

    /**
     * What a process does on a signal it has no handler for and does not ignore (the AxisOS
     * default action). Immutable; safe to use from any thread.
     */
    public enum DefaultAction {
        /** The process ends. */
        TERMINATE,
        /** Nothing happens. */
        IGNORE,
        /** A stopped process continues (a running one is unaffected). */
        CONTINUE,
        /** The process stops until it receives {@link PosixSignal#SIGCONT}. */
        STOP
    }

    private static final PosixSignal[] VALUES = values();

    private final int axisNumber;
    private final int hostNumber;
    private final DefaultAction defaultAction;

    PosixSignal(int axisNumber, int hostNumber, DefaultAction defaultAction) {
        this.axisNumber = axisNumber;
        this.hostNumber = hostNumber;
        this.defaultAction = defaultAction;
    }

    /**
     * The signal's number in AxisOS's {@code signal_lib}. Does not block.
     *
     * @return the AxisOS number (1, 2, 9, 13, 15, 17, 18, 19, 30 or 31)
     */
    public int axisNumber() {
        return axisNumber;
    }

    /**
     * The signal's number on the host, as {@code kill(2)} takes it (Linux on x86_64 and
     * aarch64). Does not block.
     *
     * @return the host number (1, 2, 9, 13, 15, 17, 18, 19, 10 or 12)
     */
    public int hostNumber() {
        return hostNumber;
    }

    /**
     * Whether a program may catch the signal: false only for {@link #SIGKILL} and
     * {@link #SIGSTOP}, which no process can catch, block or ignore. This is the AxisOS and
     * POSIX rule; {@link Signals#handle} also refuses the signals the running JVM keeps for
     * itself. Does not block.
     *
     * @return whether the signal can be caught
     */
    public boolean catchable() {
        return this != SIGKILL && this != SIGSTOP;
    }

    /**
     * The AxisOS default action: what a process without a handler does on the signal. Does not
     * block.
     *
     * @return {@link DefaultAction#TERMINATE} for SIGHUP, SIGINT, SIGKILL, SIGPIPE, SIGTERM,
     *         SIGUSR1 and SIGUSR2; {@link DefaultAction#IGNORE} for SIGCHLD;
     *         {@link DefaultAction#CONTINUE} for SIGCONT; {@link DefaultAction#STOP} for SIGSTOP
     */
    public DefaultAction defaultAction() {
        return defaultAction;
    }

    /**
     * The signal with this AxisOS number. Does not block.
     *
     * @param axisNumber an AxisOS signal number
     * @return the signal
     * @throws IllegalArgumentException when no signal of the table has that AxisOS number (the
     *         message names the number and lists the known ones)
     */
    public static PosixSignal ofAxisNumber(int axisNumber) {
        for (PosixSignal s : VALUES) {
            if (s.axisNumber == axisNumber) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown AxisOS signal number " + axisNumber
                + " (known: 1, 2, 9, 13, 15, 17, 18, 19, 30, 31)");
    }

    /**
     * The signal with this host number. Does not block.
     *
     * @param hostNumber a Linux signal number
     * @return the signal
     * @throws IllegalArgumentException when no signal of the table has that host number (the
     *         message names the number and lists the known ones)
     */
    public static PosixSignal ofHostNumber(int hostNumber) {
        for (PosixSignal s : VALUES) {
            if (s.hostNumber == hostNumber) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown host signal number " + hostNumber
                + " (known: 1, 2, 9, 10, 12, 13, 15, 17, 18, 19)");
    }
}
