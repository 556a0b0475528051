package io.waitkit.ipc;

/**
 * The file under an object's name is not a valid object: empty, truncated, bad magic, an
 * unknown layout version or kind, a header checksum that does not match, or a size that
 * disagrees with the header. Creation is atomic (a file is linked under its name only once it
 * is complete), so such a file is always damage, never a creation in progress. The file is
 * neither mapped nor changed; {@link Namespace#unlink} removes it.
 */
public class CorruptObjectException extends NamedObjectException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the object's path and what is wrong with it
     */
    public CorruptObjectException(String message) {
        super(message);
    }
}
