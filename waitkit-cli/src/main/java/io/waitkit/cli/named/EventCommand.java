package io.waitkit.cli.named;

import io.waitkit.ipc.NamedEvent;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit event create|set|reset|pulse|wait NAME}: named events from the shell.
 */
@Command(name = "event", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Creates, signals and waits for named events.",
        description = "An event is signalled by 'set' and cleared by 'reset' (auto-reset events also by the wait"
                + " they release); 'pulse' releases the current waiters and leaves it cleared.")
public final class EventCommand {
    /** Creates the command; picocli instantiates it. */
    public EventCommand() {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Creates the event (auto-reset, not signalled, unless told); an existing one is kept as it is.")
    int create(@Mixin ObjectOptions o,
            @Option(names = "--manual", description = "Manual reset: stays signalled until reset.") boolean manual,
            @Option(names = "--signaled", description = "Created signalled.") boolean signaled,
            @Parameters(paramLabel = "NAME", description = "The event's name.") String name) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.eventCreate(o, manual, signaled, name));
        }
        return o.run(() -> {
            try (NamedEvent e = o.namespace().event(name, manual, signaled)) {
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("kind", "event").put("created", e.created())
                            .put("manualReset", e.isManualReset()).put("signaled", e.isSignaled()));
                }
            }
            return ExitCodes.OK;
        });
    }

    @Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Signals the event: releases every waiter (manual reset) or one (auto reset).")
    int set(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The event's name.") String name) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.eventChange(o, name, ZkObjects.EventChange.SET)) : change(o, name, NamedEvent::set);
    }

    @Command(name = "reset", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Clears the event.")
    int reset(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The event's name.") String name) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.eventChange(o, name, ZkObjects.EventChange.RESET)) : change(o, name, NamedEvent::reset);
    }

    @Command(name = "pulse", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Releases the waiters blocked now (all, or one for auto reset) and leaves the event cleared.")
    int pulse(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The event's name.") String name) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.eventChange(o, name, ZkObjects.EventChange.PULSE)) : change(o, name, NamedEvent::pulse);
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Waits until the event is signalled (an auto-reset event is cleared by this wait). Exit code 1 on timeout.")
    int await(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The event's name.") String name) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.eventWait(o, name));
        }
        return o.run(() -> {
            try (NamedEvent e = o.open(name, NamedEvent.class)) {
                Duration t = o.timeout();
                boolean ok;
                if (t == null) {
                    e.await();
                    ok = true;
                } else {
                    ok = e.await(t);
                }
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("signaled", ok).put("timedOut", !ok));
                }
                return ok ? ExitCodes.OK : ExitCodes.TIMEOUT;
            }
        });
    }

    /** One state change of an event. */
    @FunctionalInterface
    private interface Change {
        boolean apply(NamedEvent e);
    }

    private static int change(ObjectOptions o, String name, Change c) {
        return o.run(() -> {
            try (NamedEvent e = o.open(name, NamedEvent.class)) {
                c.apply(e);
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("signaled", e.isSignaled()));
                }
            }
            return ExitCodes.OK;
        });
    }
}
