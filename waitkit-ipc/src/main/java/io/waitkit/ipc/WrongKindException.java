package io.waitkit.ipc;

/**
 * The name holds an object of another kind than the one asked for (an event opened as a
 * mutex). The message names both kinds. The existing object is left as it is.
 */
public class WrongKindException extends NamedObjectException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was asked for and what the name holds
     */
    public WrongKindException(String message) {
        super(message);
    }
}
