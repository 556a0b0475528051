package io.waitkit.cli.named;

import io.waitkit.ipc.PosixSignal;
import io.waitkit.ipc.Signals;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit signal send PID SIG}: sends a signal ({@code kill(2)}) by name or by AxisOS
 * number.
 */
@Command(name = "signal", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Sends signals to processes.",
        description = "Signals by name (USR1 or SIGUSR1, any case) or AxisOS number (USR1 is 30 there, 10 on Linux).")
public final class SignalCommand {
    /** Creates the command; picocli instantiates it. */
    public SignalCommand() {
    }

    @Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Sends SIG to PID. Exit code 4 if no process has the pid.")
    int send(@Mixin ObjectOptions o,
            @Parameters(index = "0", paramLabel = "PID", description = "The process id.") long pid,
            @Parameters(index = "1", paramLabel = "SIG", description = "HUP INT KILL PIPE TERM CHLD CONT STOP USR1 USR2 (with or without SIG), or an AxisOS number.") String sig) {
        if (o.onZk()) {
            return o.notOnZk("signal send: signals go to processes of this host; --zk does not apply");
        }
        return o.run(() -> {
            PosixSignal s = parse(sig);
            Signals.send(pid, s);
            if (o.json) {
                o.out().println(new Json().put("pid", pid).put("signal", s.name()).put("hostNumber", s.hostNumber()));
            }
            return ExitCodes.OK;
        });
    }

    /**
     * Parses a signal name or AxisOS number.
     *
     * @param sig the text
     * @return the signal
     * @throws IllegalArgumentException if it names no signal
     */
    static PosixSignal parse(String sig) {
        String s = sig.trim().toUpperCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 4) {
            return PosixSignal.ofAxisNumber(Integer.parseInt(s));
        }
        String name = s.startsWith("SIG") ? s : "SIG" + s;
        for (PosixSignal p : PosixSignal.values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown signal '" + sig + "' (known: HUP INT KILL PIPE TERM CHLD CONT STOP USR1 USR2,"
                + " or an AxisOS number)");
    }
}
