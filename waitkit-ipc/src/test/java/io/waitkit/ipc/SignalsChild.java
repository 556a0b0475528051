package io.waitkit.ipc;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code signals} command of {@link IpcChild}: {@code signals - SIGNAL...}.
 *
 * <p>Adds a shutdown hook that prints {@code HOOK}, then for each named {@link PosixSignal}
 * calls {@link Signals#handle} with a consumer that prints {@code CAUGHT SIGNAL} and prints
 * {@code HANDLED SIGNAL}, or {@code REFUSED SIGNAL message} when it throws
 * {@link IllegalArgumentException}; then prints {@code READY}. Commands: {@code ping} prints
 * {@code PONG} (the child is alive and reading); {@code close} closes every handle and prints
 * {@code CLOSED}; {@code exit} ends the child with 0.
 */
final class SignalsChild {
    private SignalsChild() {
    }

    static void run(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> IpcChild.say("HOOK")));
        List<Signals.Handle> handles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            PosixSignal s = PosixSignal.valueOf(args[i]);
            try {
                handles.add(Signals.handle(s, x -> IpcChild.say("CAUGHT " + x)));
                IpcChild.say("HANDLED " + s);
            } catch (IllegalArgumentException e) {
                IpcChild.say("REFUSED " + s + " " + e.getMessage());
            }
        }
        IpcChild.say("READY " + ProcessHandle.current().pid());
        while (true) {
            String c = IpcChild.takeCommand();
            switch (c) {
                case "ping" -> IpcChild.say("PONG");
                case "close" -> {
                    handles.forEach(Signals.Handle::close);
                    handles.clear();
                    IpcChild.say("CLOSED");
                }
                case "exit" -> {
                    return;
                }
                default -> throw new IllegalArgumentException("unknown command " + c);
            }
        }
    }
}
