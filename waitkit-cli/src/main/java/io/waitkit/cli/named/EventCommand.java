package io.waitkit.cli.named;

import io.waitkit.ipc.NamedEvent;
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
                return created(o, name, e.created(), e.isManualReset(), e.isSignaled());
            }
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
                return waited(o, name, o.await(() -> {
                    e.await();
                    return true;
                }, e::await));
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
                return changed(o, name, e.isSignaled());
            }
        });
    }

    // the output of the event commands, on this host's events and ZooKeeper's (ZkObjects)

    /**
     * What {@code event create} prints: nothing, or with {@code --json} the event's parameters.
     *
     * @param o the options
     * @param name the name
     * @param created false if the event existed
     * @param manualReset whether it is manual-reset
     * @param signaled whether it is signalled now
     * @return {@link ExitCodes#OK}
     */
    static int created(ObjectOptions o, String name, boolean created, boolean manualReset, boolean signaled) {
        if (o.json) {
            o.out().println(new Json().put("name", name).put("kind", "event").put("created", created)
                    .put("manualReset", manualReset).put("signaled", signaled));
        }
        return ExitCodes.OK;
    }

    /**
     * What {@code event set|reset|pulse} print: nothing, or with {@code --json} the state after.
     *
     * @param o the options
     * @param name the name
     * @param signaled whether it is signalled after the change
     * @return {@link ExitCodes#OK}
     */
    static int changed(ObjectOptions o, String name, boolean signaled) {
        if (o.json) {
            o.out().println(new Json().put("name", name).put("signaled", signaled));
        }
        return ExitCodes.OK;
    }

    /**
     * What {@code event wait} prints and returns.
     *
     * @param o the options
     * @param name the name
     * @param signaled false if the wait timed out
     * @return {@link ExitCodes#OK}, or {@link ExitCodes#TIMEOUT}
     */
    static int waited(ObjectOptions o, String name, boolean signaled) {
        if (o.json) {
            o.out().println(new Json().put("name", name).put("signaled", signaled).put("timedOut", !signaled));
        }
        return signaled ? ExitCodes.OK : ExitCodes.TIMEOUT;
    }
}
