package io.waitkit.cli.named;

import io.waitkit.Fairness;
import io.waitkit.SemaphoreFullException;
import io.waitkit.ipc.NamedSemaphore;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
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
                return created(o, name, s.created(), s.availablePermits(), s.maxPermits(), label(s.fairness()));
            }
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
                return posted(o, name, count, s::release, s::maxPermits, s::availablePermits);
            }
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
                return acquired(o, name, o.await(() -> {
                    s.acquire();
                    return true;
                }, s::tryAcquire));
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
                return count(o, name, s.availablePermits(), s.maxPermits());
            }
        });
    }

    // the output of the semaphore commands, on this host's semaphores and ZooKeeper's (ZkObjects)

    /**
     * What {@code sem create} prints: nothing, or with {@code --json} the semaphore's count and
     * parameters.
     *
     * @param o the options
     * @param name the name
     * @param created false if the semaphore existed
     * @param available its count
     * @param max its maximum
     * @param fairness its {@link #label fairness}, or null where it has none to show (ZooKeeper)
     * @return {@link ExitCodes#OK}
     */
    static int created(ObjectOptions o, String name, boolean created, int available, int max, String fairness) {
        if (o.json) {
            Json j = new Json().put("name", name).put("kind", "semaphore").put("created", created)
                    .put("available", available).put("max", max);
            o.out().println(fairness == null ? j : j.put("fairness", fairness));
        }
        return ExitCodes.OK;
    }

    /**
     * {@code sem post}: adds the permits with {@code release} and prints the outcome; beyond
     * the maximum, nothing changes and the command fails with one line saying so.
     *
     * @param o the options
     * @param name the name
     * @param count the permits to add
     * @param release adds permits and returns the count before, or throws
     *        {@link SemaphoreFullException} having changed nothing
     * @param max the semaphore's maximum
     * @param available its count now
     * @return {@link ExitCodes#OK}
     * @throws Failure {@link ExitCodes#TIMEOUT} beyond the maximum
     */
    static int posted(ObjectOptions o, String name, int count, IntUnaryOperator release, IntSupplier max, IntSupplier available)
            throws Failure {
        int before;
        try {
            before = release.applyAsInt(count);
        } catch (SemaphoreFullException e) {
            throw new Failure(ExitCodes.TIMEOUT, "semaphore '" + name + "': posting " + count + " would exceed its maximum "
                    + max.getAsInt() + " (count " + available.getAsInt() + "); nothing changed");
        }
        if (o.json) {
            o.out().println(new Json().put("name", name).put("before", before).put("max", max.getAsInt()));
        }
        return ExitCodes.OK;
    }

    /**
     * What {@code sem wait} prints and returns.
     *
     * @param o the options
     * @param name the name
     * @param acquired false if the wait timed out
     * @return {@link ExitCodes#OK}, or {@link ExitCodes#TIMEOUT}
     */
    static int acquired(ObjectOptions o, String name, boolean acquired) {
        if (o.json) {
            o.out().println(new Json().put("name", name).put("acquired", acquired).put("timedOut", !acquired));
        }
        return acquired ? ExitCodes.OK : ExitCodes.TIMEOUT;
    }

    /**
     * What {@code sem get} prints: the count, or with {@code --json} the count and maximum.
     *
     * @param o the options
     * @param name the name
     * @param available the count
     * @param max the maximum
     * @return {@link ExitCodes#OK}
     */
    static int count(ObjectOptions o, String name, int available, int max) {
        if (o.json) {
            o.out().println(new Json().put("name", name).put("available", available).put("max", max));
        } else {
            o.out().println(available);
        }
        return ExitCodes.OK;
    }
}
