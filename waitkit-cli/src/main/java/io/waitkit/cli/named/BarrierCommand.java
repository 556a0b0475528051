package io.waitkit.cli.named;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code waitkit barrier create|wait NAME --zk CONNECT}: the cyclic barriers of a ZooKeeper
 * ensemble from the shell. This host's named objects have no barrier: without {@code --zk} the
 * commands say so (exit code 2).
 */
@Command(name = "barrier", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        header = "Creates and waits at cyclic barriers on ZooKeeper (--zk).",
        description = "A barrier of N parties: each 'wait' arrives and blocks until N arrivals, from any processes"
                + " connected to the ensemble, complete the round. Barriers exist on ZooKeeper only: give --zk CONNECT.")
public final class BarrierCommand {
    /** Creates the command; picocli instantiates it. */
    public BarrierCommand() {
    }

    private static int local(ObjectOptions o) {
        o.warn("barriers are objects on ZooKeeper only (this host's named objects have none): give --zk CONNECT");
        return ExitCodes.USAGE;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Creates the barrier; an existing one keeps its number of parties.")
    int create(@Mixin ObjectOptions o,
            @Option(names = "--parties", paramLabel = "N", required = true, description = "The arrivals that complete a round.") int parties,
            @Parameters(paramLabel = "NAME", description = "The barrier's name.") String name) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.barrierCreate(o, parties, name)) : local(o);
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Arrives and waits until the round is complete. Exit code 1 on timeout (the arrival is taken back).")
    int await(@Mixin ObjectOptions o, @Parameters(paramLabel = "NAME", description = "The barrier's name.") String name) {
        return o.onZk() ? o.zkRun(() -> ZkObjects.barrierWait(o, name)) : local(o);
    }
}
