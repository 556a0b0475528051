package io.waitkit.compat.axis;

import io.waitkit.ipc.NoSuchProcessException;
import io.waitkit.ipc.PosixSignal;
import io.waitkit.ipc.Signals;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The AxisOS kernel's {@code signal_lib}: handlers for the signals this process receives and
 * sending signals to other processes, over the host's signals ({@link Signals}). AxisOS signal
 * numbers go in and come out; {@link PosixSignal#ofAxisNumber} maps them to the host's
 * ({@link #SIGUSR1} is 30 here and 10 on Linux).
 *
 * <pre>{@code
 * SignalLib.handle(SignalLib.SIGUSR1, sig ->               // signal.handle(signal.SIGUSR1, function(sig)
 *         System.out.println("Got signal: " + sig));       //     print("Got signal: " .. sig) end)
 * SignalLib.send(targetPid, SignalLib.SIGUSR1);            // signal.send(targetPid, signal.SIGUSR1)
 * }</pre>
 *
 * <p>The handler table is the JVM's, as AxisOS's is the process's: the methods are static. A
 * failure returns the seed's failure value and records AxisOS's message for the calling thread
 * ({@link #lastError()}: "Cannot catch SIGKILL/SIGSTOP", "No such process", "Permission denied:
 * ..."); every call that succeeds clears it.
 *
 * <h2>Delivery</h2>
 * A handler runs on a thread the JVM starts for each delivery, soon after the signal arrives
 * (AxisOS runs it in the receiving process at its next syscall or checkpoint); it receives the
 * AxisOS number. Two deliveries may run at once, so a handler must be thread-safe; an exception
 * it throws is logged and ignored. While a handler is set, the signal no longer has its default
 * action: a handled SIGTERM, SIGINT or SIGHUP does not end the JVM. Standard signals are not
 * queued: several sends before one delivery may arrive as one (AxisOS queues duplicates).
 *
 * <h2>What the JVM does not allow</h2>
 * <ul>
 *   <li>{@link #SIGUSR2}: HotSpot keeps its own handler on it (it suspends and resumes threads
 *       with it), so {@code handle(31, f)} fails with the reason, and a JVM that receives it
 *       neither ends nor runs a handler.</li>
 *   <li>{@link #SIGPIPE}: the JVM ignores it at the host level (a write to a closed socket
 *       fails instead of ending the process). {@code handle(13, f)} is therefore kept in this
 *       facade only: {@link Pipe#write} runs it, in the writing thread, when a write fails with
 *       "Broken pipe" (AxisOS sends SIGPIPE to the writer). A SIGPIPE sent with {@link #send}
 *       is ignored by a JVM.</li>
 *   <li>The JVM refuses SIGHUP, SIGINT and SIGTERM when it runs with {@code -Xrs}; the message
 *       then quotes its reason.</li>
 *   <li>SIGHUP, SIGINT and SIGTERM that the process ignores, as a JVM started under
 *       {@code nohup} (SIGHUP) or as a background job of a non-interactive shell (SIGINT) does:
 *       HotSpot keeps them ignored and would install no handler, so {@code handle(1, f)} fails
 *       and {@link #lastError()} says the signal is ignored in this process and why. The
 *       signal stays ignored (AxisOS would run the handler).</li>
 * </ul>
 */
public final class SignalLib {
    /** Hangup: AxisOS 1; terminates by default. */
    public static final int SIGHUP = 1;
    /** Interrupt: AxisOS 2; terminates by default. */
    public static final int SIGINT = 2;
    /** Kill: AxisOS 9; terminates; cannot be caught. */
    public static final int SIGKILL = 9;
    /** Write to a pipe without readers: AxisOS 13; terminates by default. */
    public static final int SIGPIPE = 13;
    /** Termination request: AxisOS 15; terminates by default. */
    public static final int SIGTERM = 15;
    /** A child ended: AxisOS 17; ignored by default. */
    public static final int SIGCHLD = 17;
    /** Continue a stopped process: AxisOS 18. */
    public static final int SIGCONT = 18;
    /** Stop: AxisOS 19; cannot be caught. */
    public static final int SIGSTOP = 19;
    /** User signal 1: AxisOS 30 (Linux 10); terminates by default. */
    public static final int SIGUSR1 = 30;
    /** User signal 2: AxisOS 31 (Linux 12); terminates by default (not a JVM, see above). */
    public static final int SIGUSR2 = 31;

    /**
     * The seed's {@code SIG_IGN}: a handler that does nothing, so the signal is caught and has
     * no effect.
     */
    public static final IntConsumer SIG_IGN = sig -> { };

    static final String CANNOT_CATCH = "Cannot catch SIGKILL/SIGSTOP";
    static final String NO_SUCH_PROCESS = "No such process";
    static final String KERNEL_PROCESS = "Permission denied: cannot signal kernel process";
    static final String NOT_OWNER = "Permission denied: not owner";

    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();
    private static final Object LOCK = new Object();
    /** The handler of each AxisOS signal number and its registration; guarded by LOCK. */
    private static final Map<Integer, Installed> HANDLERS = new HashMap<>();

    /** A handler and the {@link Signals} registration that runs it (null for SIGPIPE). */
    private record Installed(IntConsumer handler, Signals.Handle registration) {
    }

    private SignalLib() {
    }

    /**
     * Returns the message of the calling thread's last failed call of this class, or
     * {@code null} if its last call succeeded. Never blocks.
     *
     * @return the message, or null
     */
    public static String lastError() {
        return LAST_ERROR.get();
    }

    private static <T> T fail(T result, String message) {
        LAST_ERROR.set(message);
        return result;
    }

    /**
     * Sets the handler of a signal ({@code signal.handle(sig, fn)}), or with {@code null}
     * restores the default action. The new handler is in place before the old one is removed,
     * so no delivery in between meets the default action. Does not wait for a signal; takes a
     * lock of this class for the time of a few {@code sigaction} calls.
     *
     * @param sig the AxisOS signal number
     * @param handler called with {@code sig} on each delivery, on a JVM signal thread; {@code null}
     *        for the default action; {@link #SIG_IGN} to ignore the signal
     * @return the previous handler, or {@code null} if there was none (then {@link #lastError()}
     *         is null) or on failure, with "Cannot catch SIGKILL/SIGSTOP" for 9 and 19,
     *         "Unsupported signal N" for a number outside the table of this class, or the JVM's
     *         reason for a signal it keeps (SIGUSR2, or SIGHUP, SIGINT, SIGTERM under
     *         {@code -Xrs}), or the reason a SIGHUP, SIGINT or SIGTERM that this process
     *         ignores cannot be handled (started under {@code nohup} or as a background job);
     *         the previous handler stays then
     */
    public static IntConsumer handle(int sig, IntConsumer handler) {
        if (sig == SIGKILL || sig == SIGSTOP) {
            return fail(null, CANNOT_CATCH);
        }
        PosixSignal signal = signalOf(sig);
        if (signal == null) {
            return fail(null, "Unsupported signal " + sig);
        }
        synchronized (LOCK) {
            Installed previous = HANDLERS.get(sig);
            if (handler == null) {
                HANDLERS.remove(sig);
            } else {
                Signals.Handle registration = null;
                if (signal != PosixSignal.SIGPIPE) {
                    try {
                        registration = Signals.handle(signal, s -> handler.accept(s.axisNumber()));
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        return fail(null, String.valueOf(e.getMessage()));
                    }
                }
                HANDLERS.put(sig, new Installed(handler, registration));
            }
            if (previous != null && previous.registration() != null) {
                previous.registration().close();
            }
            LAST_ERROR.remove();
            return previous == null ? null : previous.handler();
        }
    }

    /**
     * Sends a signal to one process ({@code signal.send(pid, sig)}) with {@code kill(2)}: returns
     * once the host has accepted it, without waiting for its delivery. Never blocks.
     *
     * @param pid the target process
     * @param sig the AxisOS signal number
     * @return {@code true}; {@code false} with "No such process" when no process has the pid,
     *         "Permission denied: cannot signal kernel process" for pids 1 and below (init, or
     *         a process group), "Permission denied: not owner" when the host refuses
     *         ({@code EPERM}), or "Unsupported signal N" for a number outside the table
     */
    public static boolean send(long pid, int sig) {
        PosixSignal signal = signalOf(sig);
        if (signal == null) {
            return fail(false, "Unsupported signal " + sig);
        }
        if (pid <= 1) {
            return fail(false, KERNEL_PROCESS);
        }
        try {
            Signals.send(pid, signal);
        } catch (NoSuchProcessException e) {
            return fail(false, NO_SUCH_PROCESS);
        } catch (IllegalArgumentException e) {
            return fail(false, NO_SUCH_PROCESS); // above the largest pid the host can give
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return fail(false, m.contains("permission denied") ? NOT_OWNER : m);
        }
        LAST_ERROR.remove();
        return true;
    }

    /**
     * Runs the facade-only handler of a signal, in the calling thread (for SIGPIPE on a broken
     * pipe write); an exception of the handler is ignored, as a delivery's.
     *
     * @return whether a handler ran
     */
    static boolean deliverLocal(int sig) {
        IntConsumer h;
        synchronized (LOCK) {
            Installed i = HANDLERS.get(sig);
            h = i == null ? null : i.handler();
        }
        if (h == null) {
            return false;
        }
        try {
            h.accept(sig);
        } catch (RuntimeException e) {
            System.getLogger(SignalLib.class.getName()).log(System.Logger.Level.WARNING,
                    "handler of signal " + sig + " threw", e);
        }
        return true;
    }

    private static PosixSignal signalOf(int sig) {
        try {
            return PosixSignal.ofAxisNumber(sig);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
