package io.waitkit.cli.named;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit counter create|get|add|set|wait NAME --zk CONNECT}: the counters of a ZooKeeper
 * ensemble from the shell (a 64-bit number every process updates atomically and waits on with a
 * bound). This host's named objects have no counter: without {@code --zk} the commands say so
 * (exit code 2).
 */
@Command(name = "counter", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Creates, reads, updates and waits on counters on ZooKeeper (--zk).",
        description = "A 64-bit number shared by every process connected to one ZooKeeper ensemble: updated atomically,"
                + " waited on until it reaches a bound. Counters exist on ZooKeeper only: give --zk CONNECT.")
public final class CounterCommand {
    /** Creates the command; picocli instantiates it. */
    public CounterCommand() {
    }

    private static int local(ObjectOptions o) {
        o.warn("counters are objects on ZooKeeper only (this host's named objects have none): give --zk CONNECT");
        return ExitCodes.USAGE;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Creates the counter; an existing one keeps its value.")
    int create(@Mixin ObjectOptions o,
            @Option(names = "--initial", paramLabel = "N", defaultValue = "0", description = "The value when created (default: ${DEFAULT-VALUE}).") long initial,
            @Parameters(paramLabel = "NAME", description = "The counter's name.") String name) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.counterCreate(o, initial, name)) : local(o);
    }

    @Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false, description = "Prints the value.")
    int get(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The counter's name.") String name) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.counterGet(o, name)) : local(o);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Adds DELTA (negative subtracts) atomically and prints the value after.")
    int add(@Mixin ObjectOptions o,
            @Parameters(index = "0", paramLabel = "NAME", description = "The counter's name.") String name,
            @Parameters(index = "1", paramLabel = "DELTA", description = "What to add.") long delta) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.counterAdd(o, delta, name)) : local(o);
    }

    @Command(name = "set", mixinStandardHelpOptions = true, sortOptions = false, description = "Sets the value.")
    int set(@Mixin ObjectOptions o,
            @Parameters(index = "0", paramLabel = "NAME", description = "The counter's name.") String name,
            @Parameters(index = "1", paramLabel = "VALUE", description = "The new value.") long value) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.counterSet(o, value, name)) : local(o);
    }

    /** The bound of {@code wait}: exactly one. */
    static final class Bound {
        @Option(names = "--at-least", paramLabel = "N", required = true, description = "Until the value is N or more.")
        Long atLeast;
        @Option(names = "--at-most", paramLabel = "N", required = true, description = "Until the value is N or less.")
        Long atMost;
        @Option(names = "--equal", paramLabel = "N", required = true, description = "Until the value is N.")
        Long equal;
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Waits until the value meets the bound (at once if it does now). Exit code 1 on timeout.")
    int await(@Mixin ObjectOptions o,
            @ArgGroup(exclusive = true, multiplicity = "1") Bound bound,
            @Parameters(paramLabel = "NAME", description = "The counter's name.") String name) {
        if (!o.onZk()) {
            return local(o);
        }
        if (bound.atLeast != null) {
            return o.zkRun(() -> ZkObjects.counterWait(o, ZkObjects.Bound.AT_LEAST, bound.atLeast, name));
        }
        if (bound.atMost != null) {
            return o.zkRun(() -> ZkObjects.counterWait(o, ZkObjects.Bound.AT_MOST, bound.atMost, name));
        }
        return o.zkRun(() -> ZkObjects.counterWait(o, ZkObjects.Bound.EQUAL, bound.equal, name));
    }
}
