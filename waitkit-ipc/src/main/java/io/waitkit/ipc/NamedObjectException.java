package io.waitkit.ipc;

import java.io.IOException;

/**
 * A named object's file cannot be used as asked: the base of {@link WrongKindException} and
 * {@link CorruptObjectException}. Thrown by {@link Namespace}'s factories and
 * {@link Namespace#openExisting}; nothing is opened or changed when it is thrown.
 */
public class NamedObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the object
     */
    public NamedObjectException(String message) {
        super(message);
    }
}
