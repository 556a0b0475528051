package io.waitkit.ipc;

/*
 * AxisOS signal_lib over the host's signals: send is kill(2) through the FFM bindings of
 * internal.Posix, handle multiplexes Java consumers over one JVM signal handler per signal
 * (sun.misc.Signal, reached through internal.JvmSignals).
 *
 * Invariants (all guarded by LOCK, except the volatile fields that deliveries read):
 * - For each signal, Slot.installed is true exactly when Slot.live holds at least one open
 *   Registration; then the JVM's handler of the signal is the slot's dispatcher (unless another
 *   library replaced it behind Waitkit's back, see restore) and Slot.previous is the handler it
 *   replaced.
 * - Slot.live is copy-on-write: a new array is published (volatile) for every change, in
 *   registration order; a delivery iterates the array it read and skips registrations closed
 *   since (volatile closed flag), so it never holds the lock and never blocks handle or close.
 * - A refusal (the JVM's own, or Waitkit's for a signal the JVM keeps a native handler on) is
 *   remembered in Slot.refusal; the JVM is not asked again for that signal. The refusal of an
 *   ignored SIGHUP, SIGINT or SIGTERM is not: it depends on the disposition of the moment, read
 *   again at each first handle, before the JVM is asked anything.
 *
 * Races: a delivery that arrives while the first handle of a signal is being installed or the
 * last one closed may find no open registration and is dropped; a delivery racing with close()
 * of one handle may still call that handle's consumer once (close does not wait for running
 * consumers, so a consumer may close its own handle). Standard signals are not queued by the
 * kernel: several sends before one delivery may arrive as one. When the first install of a
 * signal finds that the JVM keeps a native handler on it, Waitkit's dispatcher has been the
 * handler for the microseconds until the JVM's handler is put back; a delivery in that window
 * is dropped.
 */

import io.waitkit.ipc.internal.JvmSignals;
import io.waitkit.ipc.internal.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The AxisOS {@code signal_lib} over the host's signals: sending a {@link PosixSignal} to a
 * process ({@code kill(2)}) and running Java code when this process receives one.
 *
 * <h2>Sending</h2>
 * {@link #send} sends to exactly one process, never to a process group: pids 0 and below are
 * refused. Sending to this JVM itself a signal it has no handler for has the signal's effect
 * (for {@link PosixSignal#SIGUSR1}: the JVM ends at once, without shutdown hooks).
 *
 * <h2>Handling</h2>
 * {@link #handle} registers a consumer and returns a {@link Handle}; the rules:
 * <ul>
 * <li>Several handles of one signal may be open at once. Each delivery calls the consumer of
 *     every open handle of the signal, one after the other in registration order, on a thread
 *     the JVM starts for that delivery (named {@code "SIGUSR1 handler"} and so on), never on the
 *     thread that called {@code handle}. Two deliveries may run on two such threads at once, so
 *     a consumer must be thread-safe. A consumer that throws is logged (WARNING, on the
 *     {@link System.Logger} named {@code io.waitkit.ipc.Signals}) and the next one still runs.
 * <li>Waitkit installs one JVM handler per signal, when the first handle of it opens, and puts
 *     back the handler the JVM had before when the last handle of it closes. While a handle is
 *     open, the signal no longer has its previous effect: for {@link PosixSignal#SIGTERM},
 *     {@link PosixSignal#SIGINT} and {@link PosixSignal#SIGHUP} the JVM's own handler (which
 *     runs the shutdown hooks and exits with 128 + the signal number) is replaced, so the
 *     consumers run and the JVM keeps running; a consumer that wants the JVM to end calls
 *     {@link System#exit}. After the last handle closes, the signal ends the JVM with its
 *     shutdown hooks again.
 * <li>Refused, with {@link IllegalArgumentException}: {@link PosixSignal#SIGKILL} and
 *     {@link PosixSignal#SIGSTOP} (no process can catch them); a signal the JVM refuses, with
 *     the JVM's reason in the message (with {@code -Xrs}, HotSpot refuses SIGHUP, SIGINT and
 *     SIGTERM: "Signal already used by VM or OS"); and a signal on which the JVM keeps a native
 *     handler of its own, which a Java handler would replace (HotSpot on Linux: SIGUSR2, which
 *     it uses to suspend and resume threads, and SIGPIPE, which it ignores so that a write to a
 *     closed pipe or socket fails instead of ending the process). A refusal is remembered: the
 *     JVM is asked once per signal.
 * <li>Refused too, with {@link IllegalArgumentException}: {@link PosixSignal#SIGHUP},
 *     {@link PosixSignal#SIGINT} or {@link PosixSignal#SIGTERM} while this process ignores it
 *     ({@code SIG_IGN}), which is how a JVM started under {@code nohup} (SIGHUP) or as a
 *     background job of a non-interactive shell (SIGINT) finds them. HotSpot leaves these
 *     three ignored when they are ignored at its start, and then accepts a Java handler without
 *     installing it: the handler would never run, and the signal would keep being ignored. The
 *     disposition is read from the kernel ({@code SigIgn} in {@code /proc/self/status}) at each
 *     call, since HotSpot too looks at the disposition of the moment; this refusal is not
 *     remembered. Any other signal ignored at the JVM's start (SIGUSR1, say) is handled
 *     normally: the handler replaces {@code SIG_IGN}, which is put back when the last handle
 *     closes.
 * <li>Waitkit assumes it alone sets the JVM's handler of a signal while a handle of it is open.
 *     If other code replaced Waitkit's handler meanwhile, closing the last handle keeps that
 *     code's handler (and logs a WARNING) instead of putting back the older one.
 * </ul>
 *
 * <h2>Threads and memory visibility</h2>
 * Every method may be called from any thread, consumers included. {@code handle} and
 * {@code close} take one lock of this class for the time of two or three calls of
 * {@code sun.misc.Signal.handle} (each a {@code sigaction}); they never wait for a consumer.
 * What a thread did before {@code handle} returned is visible to the consumer on every later
 * delivery. There is no happens-before edge from a sender to the consumer: a signal carries no
 * data and crosses processes.
 */
public final class Signals {
    /**
     * The largest pid Linux can give: {@code PID_MAX_LIMIT} (2^22) less one; pid_max cannot be
     * set higher.
     */
    static final long MAX_PID = (1L << 22) - 1;

    private static final System.Logger LOG = System.getLogger(Signals.class.getName());
    private static final Object LOCK = new Object();
    private static final Slot[] SLOTS;

    static {
        PosixSignal[] all = PosixSignal.values();
        SLOTS = new Slot[all.length];
        for (PosixSignal s : all) {
            SLOTS[s.ordinal()] = new Slot(s);
        }
    }

    private Signals() {
    }

    /**
     * A registration made by {@link Signals#handle}; closing it removes the consumer. When the
     * last open handle of a signal closes, the JVM's previous handler of the signal is put back.
     */
    public interface Handle extends AutoCloseable {
        /**
         * Removes the consumer. Idempotent: a second call does nothing. After it returns, no
         * delivery that starts later calls the consumer; a delivery already under way may still
         * call it once (close does not wait, so a consumer may close its own handle). Takes the
         * lock of {@link Signals} briefly; may be called from any thread. Never throws: a
         * failure to put back the JVM's previous handler is logged (ERROR).
         */
        @Override
        void close();
    }

    /**
     * Sends a signal to one process with {@code kill(2)}. Returns when the kernel has accepted
     * the signal (it is then pending in the target); does not wait for its delivery or effect.
     * May be called from any thread; takes no lock.
     *
     * @param pid the target process, 1 to 4194303 (Linux's largest possible pid)
     * @param signal the signal
     * @throws NullPointerException when {@code signal} is null
     * @throws IllegalArgumentException when {@code pid} is 0 or negative (kill would address a
     *         process group, or with -1 every process the user may signal) or above 4194303
     * @throws NoSuchProcessException when no process has the pid ({@code ESRCH})
     * @throws IOException when the target may not be signalled by this process ({@code EPERM},
     *         the message says permission denied and names the pid), or for any other errno
     * @throws IllegalStateException when the libc bindings are unavailable (not Linux on x86_64
     *         or aarch64, or native access denied)
     */
    public static void send(long pid, PosixSignal signal) throws IOException {
        Objects.requireNonNull(signal, "signal");
        if (pid <= 0 || pid > MAX_PID) {
            String why = pid == 0 ? " (kill(0) would signal the caller's process group)"
                    : pid == -1 ? " (kill(-1) would signal every process the user may signal)"
                    : pid < 0 ? " (a negative pid would signal a process group)" : "";
            throw new IllegalArgumentException("cannot send " + signal + ": pid " + pid
                    + " is out of range 1.." + MAX_PID + why);
        }
        int errno = Posix.kill(pid, signal.hostNumber());
        switch (errno) {
            case 0 -> {
            }
            case Posix.ESRCH -> throw new NoSuchProcessException(pid, "cannot send " + signal + " to pid "
                    + pid + ": no such process (" + Posix.describe(errno) + ")");
            case Posix.EPERM -> throw new IOException("cannot send " + signal + " to pid " + pid
                    + ": permission denied (" + Posix.describe(errno) + ")");
            default -> throw new IOException("cannot send " + signal + " to pid " + pid + ": "
                    + Posix.describe(errno));
        }
    }

    /**
     * Runs {@code handler} on every delivery of {@code signal} to this process until the
     * returned handle is closed; see the class description for the rules (order, threads,
     * replaced JVM behaviour, refusals). Does not wait for a signal; takes the lock of this
     * class for the time of a few {@code sigaction} calls. Everything the calling thread did
     * before this method returns is visible to the handler when it runs.
     *
     * @param signal the signal
     * @param handler called with {@code signal} on each delivery, on a JVM signal thread
     * @return the handle that removes the handler
     * @throws NullPointerException when {@code signal} or {@code handler} is null
     * @throws IllegalArgumentException for {@link PosixSignal#SIGKILL} and
     *         {@link PosixSignal#SIGSTOP} (the message says they cannot be caught), for a signal
     *         the JVM refuses (the message quotes the JVM's reason), for a signal on which
     *         the JVM keeps a native handler of its own (the message says so), and for SIGHUP,
     *         SIGINT or SIGTERM while this process ignores it (the message says it is ignored,
     *         as under {@code nohup} or in a background job, and that the JVM would install
     *         nothing)
     * @throws IllegalStateException when the JVM's signal API ({@code jdk.unsupported}) is
     *         unavailable, or numbers the signal otherwise than Linux does
     */
    public static Handle handle(PosixSignal signal, Consumer<PosixSignal> handler) {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(handler, "handler");
        if (!signal.catchable()) {
            throw new IllegalArgumentException(signal + " cannot be caught: no process can catch, block or ignore "
                    + "SIGKILL or SIGSTOP");
        }
        return SLOTS[signal.ordinal()].add(handler);
    }

    /**
     * The signals this process ignores now: the {@code SigIgn} mask of {@code /proc/self/status}
     * (bit n-1 for signal n; dispositions are shared by all threads of a process), or 0 when it
     * cannot be read.
     */
    static long ignoredNow() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0L;
        }
        return 0L;
    }

    /** The state of one signal. */
    private static final class Slot {
        private static final Registration[] NONE = new Registration[0];

        final PosixSignal signal;
        /** Open registrations in registration order; replaced, never changed; written under LOCK. */
        volatile Registration[] live = NONE;
        // the rest is guarded by LOCK
        private Object jvmSignal;
        private Object dispatcher;
        private Object previous;
        private boolean installed;
        private String refusal;
        private IllegalArgumentException refusalCause;

        Slot(PosixSignal signal) {
            this.signal = signal;
        }

        Registration add(Consumer<PosixSignal> consumer) {
            synchronized (LOCK) {
                if (refusal == null && !installed) {
                    refuseIfIgnored();
                    install();
                }
                if (refusal != null) {
                    throw new IllegalArgumentException(refusal, refusalCause);
                }
                Registration r = new Registration(this, consumer);
                Registration[] now = live;
                Registration[] next = Arrays.copyOf(now, now.length + 1);
                next[now.length] = r;
                live = next;
                return r;
            }
        }

        /**
         * Refuses SIGHUP, SIGINT and SIGTERM while the process ignores them. HotSpot leaves
         * these three ignored when they are ignored at its start (it installs its shutdown
         * handler only on a signal that is not), and every later registration of a Java
         * handler for one of them answers "ignored" without installing anything: it reads the
         * disposition of that moment, so the disposition now, read from the kernel, is what
         * decides, not a copy taken at start (native code may have changed it since). Not
         * remembered: the next call reads it again. When /proc cannot be read, the check after
         * the installation in {@link #install} still catches it. Called under LOCK.
         */
        private void refuseIfIgnored() {
            if (signal != PosixSignal.SIGHUP && signal != PosixSignal.SIGINT && signal != PosixSignal.SIGTERM) {
                return; // HotSpot installs a handler of any other signal over SIG_IGN
            }
            long ignored = ignoredNow();
            if ((ignored & (1L << (signal.hostNumber() - 1))) != 0) {
                throw new IllegalArgumentException(signal + " (host signal " + signal.hostNumber()
                        + ") cannot be handled in this JVM: this process ignores it (SIG_IGN, bit "
                        + (signal.hostNumber() - 1) + " of SigIgn in /proc/self/status), as a process started under "
                        + "nohup ignores SIGHUP and a background job of a non-interactive shell ignores SIGINT; the "
                        + "JVM keeps SIGHUP, SIGINT and SIGTERM ignored when they were ignored at its start and "
                        + "installs no handler for them, so a handler would never run");
            }
        }

        /** Installs the dispatcher, or sets the refusal. Called under LOCK. */
        private void install() {
            if (!JvmSignals.available()) {
                throw new IllegalStateException("cannot handle " + signal + ": " + JvmSignals.unavailableReason());
            }
            if (jvmSignal == null) {
                Object s = JvmSignals.signal(signal.name().substring(3));
                int number = JvmSignals.number(s);
                if (number != signal.hostNumber()) {
                    throw new IllegalStateException("cannot handle " + signal + ": the JVM numbers it " + number
                            + ", Linux " + signal.hostNumber());
                }
                jvmSignal = s;
                dispatcher = JvmSignals.newHandler("Waitkit handler of " + signal, this::dispatch);
            }
            String what = signal + " (host signal " + signal.hostNumber() + ") cannot be handled in this JVM: ";
            Object old;
            try {
                old = JvmSignals.install(jvmSignal, dispatcher);
            } catch (IllegalArgumentException e) {
                refusal = what + "the JVM refuses it: " + e.getMessage();
                refusalCause = e;
                return;
            }
            if (JvmSignals.isJvmNative(old)) {
                JvmSignals.install(jvmSignal, old);
                refusal = what + "the JVM keeps a native handler of its own on it (" + JvmSignals.describe(old)
                        + "), which a Java handler would replace" + nativeUse(signal);
                return;
            }
            // the JVM accepts SIGHUP, SIGINT and SIGTERM without installing anything when they
            // were ignored at its start (nohup): check that the dispatcher is in place now
            Object now = JvmSignals.install(jvmSignal, dispatcher);
            if (now != dispatcher) {
                JvmSignals.install(jvmSignal, old);
                refusal = what + "the JVM accepted a handler but left " + JvmSignals.describe(now)
                        + " in place (it does so for SIGHUP, SIGINT and SIGTERM when they were ignored at its start)";
                return;
            }
            previous = old;
            installed = true;
        }

        private static String nativeUse(PosixSignal signal) {
            return switch (signal) {
                case SIGUSR2 -> "; HotSpot on Linux suspends and resumes threads with SIGUSR2";
                case SIGPIPE -> "; the JVM ignores SIGPIPE so that a write to a closed pipe or socket fails with "
                        + "EPIPE instead of ending the process";
                default -> "";
            };
        }

        void remove(Registration r) {
            synchronized (LOCK) {
                if (r.closed) {
                    return;
                }
                r.closed = true;
                Registration[] now = live;
                Registration[] next = new Registration[now.length - 1];
                int j = 0;
                for (Registration x : now) {
                    if (x != r) {
                        next[j++] = x;
                    }
                }
                live = next;
                if (next.length == 0 && installed) {
                    installed = false;
                    Object back = previous;
                    previous = null;
                    restore(back);
                }
            }
        }

        /** Puts back the JVM's previous handler. Called under LOCK. */
        private void restore(Object back) {
            try {
                Object current = JvmSignals.install(jvmSignal, back);
                if (current != dispatcher) {
                    JvmSignals.install(jvmSignal, current);
                    LOG.log(System.Logger.Level.WARNING, () -> "the JVM's handler of " + signal
                            + " was replaced by other code while Waitkit handled it (" + JvmSignals.describe(current)
                            + "); keeping that handler instead of the one Waitkit replaced ("
                            + JvmSignals.describe(back) + ")");
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, () -> "cannot put back the JVM's handler of " + signal
                        + " (" + JvmSignals.describe(back) + ")", e);
            }
        }

        /** Runs on the JVM's signal thread of one delivery; takes no lock. */
        private void dispatch() {
            for (Registration r : live) {
                if (r.closed) {
                    continue;
                }
                try {
                    r.consumer.accept(signal);
                } catch (Throwable t) {
                    LOG.log(System.Logger.Level.WARNING, () -> "a handler of " + signal + " threw; the others still run",
                            t);
                }
            }
        }
    }

    /** One handle: a consumer and whether it was closed. */
    private static final class Registration implements Handle {
        final Slot slot;
        final Consumer<PosixSignal> consumer;
        /** Written under LOCK, read by deliveries without it. */
        volatile boolean closed;

        Registration(Slot slot, Consumer<PosixSignal> consumer) {
            this.slot = slot;
            this.consumer = consumer;
        }

        @Override
        public void close() {
            slot.remove(this);
        }

        @Override
        public String toString() {
            return "Signals.Handle[" + slot.signal + (closed ? ", closed]" : "]");
        }
    }
}
