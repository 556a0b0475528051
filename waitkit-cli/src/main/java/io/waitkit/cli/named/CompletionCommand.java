package io.waitkit.cli.named;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code waitkit completion}: prints a bash completion script for the whole command tree,
 * generated from it by picocli; install it with {@code source <(./waitkit completion)}. Hidden
 * from the usage help.
 */
@Command(name = "completion", hidden = true, mixinStandardHelpOptions = true,
        description = "Prints a bash completion script: source <(waitkit completion)")
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli instantiates it. */
    public CompletionCommand() {
    }

    /**
     * Prints the script.
     *
     * @return {@link ExitCodes#OK}
     */
    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("waitkit", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
