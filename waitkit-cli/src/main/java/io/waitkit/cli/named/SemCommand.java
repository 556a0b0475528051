package io.waitkit.cli.named;

import io.waitkit.Fairness;
import io.waitkit.SemaphoreFullException;
import io.waitkit.ipc.NamedSemaphore;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit sem create|post|wait|get NAME}: named counting semaphores from the shell. A
 * permit taken by {@code wait} stays taken when the command ends (a semaphore has no owner;
 * with {@code --zk}, the permit is detached from the command's session for that).
 */
@Command(name = "sem", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Creates, posts, waits for and reads named semaphores.",
        description = "A semaphore counts permits from 0 to its maximum; 'wait' takes one (it stays taken), 'post' adds.")
public final class SemCommand {
    /** Creates the command; picocli instantiates it. */
    public SemCommand() {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Creates the semaphore; an existing one is kept with its own count and maximum.",
                "With --barging it is created barging (a release frees the permits and wakes a waiter, which competes"
                    + " with running threads), and an existing semaphore must have been created so (exit code 5"
                    + " otherwise); without it a new semaphore hands off and an existing one is taken as it is."})
    int create(@Mixin ObjectOptions o,
            @Option(names = "--initial", paramLabel = "N", defaultValue = "0", description = "Initial count (default: ${DEFAULT-VALUE}).") int initial,
            @Option(names = "--max", paramLabel = "M", defaultValue = "2147483647", description = "Maximum count (default: ${DEFAULT-VALUE}).") int max,
            @Option(names = "--barging", description = "Create with Fairness.BARGING; an existing semaphore must have it.") boolean barging,
            @Parameters(paramLabel = "NAME", description = "The semaphore's name.") String name) {
        if (o.onZk()) {
            if (barging) {
                return o.notOnZk("sem create: --barging is not available with --zk"
                        + " (a ZooKeeper semaphore serves its waiters in the order they queued)");
            }
            return o.zkRun(() -> ZkObjects.semCreate(o, initial, max, name));
        }
        return o.run(() -> {
            try (NamedSemaphore s = barging ? o.namespace().semaphore(name, initial, max, Fairness.BARGING)
                    : o.namespace().semaphore(name, initial, max)) {
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("kind", "semaphore").put("created", s.created())
                            .put("available", s.availablePermits()).put("max", s.maxPermits()).put("fairness", label(s.fairness())));
                }
            }
            return ExitCodes.OK;
        });
    }

    /**
     * A fairness mode as the commands print it.
     *
     * @param f the mode
     * @return {@code "hand-off"} or {@code "barging"}
     */
    static String label(Fairness f) {
        return f == Fairness.BARGING ? "barging" : "hand-off";
    }

    @Command(name = "post", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Adds permits. Exit code 1 (nothing changes) if the count would exceed the maximum.")
    int post(@Mixin ObjectOptions o,
            @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Permits to add (default: ${DEFAULT-VALUE}).") int count,
            @Parameters(paramLabel = "NAME", description = "The semaphore's name.") String name) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.semPost(o, count, name));
        }
        return o.run(() -> {
            try (NamedSemaphore s = o.open(name, NamedSemaphore.class)) {
                int before;
                try {
                    before = s.release(count);
                } catch (SemaphoreFullException e) {
                    throw new Failure(ExitCodes.TIMEOUT, "semaphore '" + name + "': posting " + count + " would exceed its maximum "
                            + s.maxPermits() + " (count " + s.availablePermits() + "); nothing changed");
                }
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("before", before).put("max", s.maxPermits()));
                }
            }
            return ExitCodes.OK;
        });
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Takes one permit, waiting while there is none. Exit code 1 on timeout.")
    int await(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The semaphore's name.") String name) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.semWait(o, name));
        }
        return o.run(() -> {
            try (NamedSemaphore s = o.open(name, NamedSemaphore.class)) {
                Duration t = o.timeout();
                boolean ok;
                if (t == null) {
                    s.acquire();
                    ok = true;
                } else {
                    ok = s.tryAcquire(t);
                }
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("acquired", ok).put("timedOut", !ok));
                }
                return ok ? ExitCodes.OK : ExitCodes.TIMEOUT;
            }
        });
    }

    @Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Prints the count (the available permits).")
    int get(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The semaphore's name.") String name) {
        if (o.onZk()) {
            return o.zkRun(() -> ZkObjects.semGet(o, name));
        }
        return o.run(() -> {
            try (NamedSemaphore s = o.open(name, NamedSemaphore.class)) {
                if (o.json) {
                    o.out().println(new Json().put("name", name).put("available", s.availablePermits()).put("max", s.maxPermits()));
                } else {
                    o.out().println(s.availablePermits());
                }
            }
            return ExitCodes.OK;
        });
    }
}
