package io.waitkit.cli.named;

/**
 * A command that ends with an exit code and a one-line message on the error stream; thrown by
 * the commands of this package and turned into that exit code by {@link ObjectOptions#run}.
 */
final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    /** The exit code. */
    final int code;

    /**
     * Creates the failure.
     *
     * @param code the exit code
     * @param message the line printed after {@code waitkit: }, or null for none
     */
    Failure(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
