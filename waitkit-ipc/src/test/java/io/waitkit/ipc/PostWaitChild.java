package io.waitkit.ipc;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The post/wait commands of {@link IpcChild} ({@code IpcChild pw DIR COMMAND ...}), for
 * {@link NamedPostWaitTest}:
 * <ul>
 * <li>{@code pw DIR wait TIMEOUT_MS}: registers, prints {@code UKID n}, waits at most
 *     TIMEOUT_MS for a post, prints {@code POSTED} or {@code TIMEOUT}, closes, exits 0.
 * <li>{@code pw DIR hold}: registers, prints {@code UKID n}, then waits for the command
 *     {@code exit} (the tests kill it instead).
 * <li>{@code pw DIR post UKID...}: posts the targets with {@link NamedPostWait#postv} without
 *     registering, prints {@code RESULT r1,r2,...}, exits 0.
 * </ul>
 */
final class PostWaitChild {
    private PostWaitChild() {
    }

    static void run(Namespace ns, String[] args) throws Exception {
        switch (args[0]) {
            case "wait" -> {
                try (NamedPostWait me = ns.postWait()) {
                    IpcChild.say("UKID " + me.ukid());
                    IpcChild.say(me.await(Duration.ofMillis(Long.parseLong(args[1]))) ? "POSTED" : "TIMEOUT");
                }
            }
            case "hold" -> {
                NamedPostWait me = ns.postWait();
                IpcChild.say("UKID " + me.ukid());
                IpcChild.expect("exit");
                me.close();
            }
            case "post" -> {
                long[] targets = Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray();
                NamedPostWait.Result[] r = NamedPostWait.postv(ns, targets);
                IpcChild.say("RESULT " + Arrays.stream(r).map(Enum::name).collect(Collectors.joining(",")));
            }
            default -> throw new IllegalArgumentException("unknown pw command " + args[0]);
        }
    }
}
