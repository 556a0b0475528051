package io.waitkit.ipc;

import io.waitkit.Fairness;
import java.util.Objects;

/**
 * The name holds a mutex or semaphore made with another {@link Fairness} than the one an open
 * asked for explicitly ({@link Namespace#mutex(String, Fairness)},
 * {@link Namespace#semaphore(String, int, int, Fairness)}). The mode is chosen when the object
 * is created and kept for its life; an open that names a mode relies on it (hand-off's order
 * and state after a release, or barging's throughput), so it is refused rather than given the
 * other one. The message names both modes; the existing object is left as it is. To open the
 * object whatever its mode, use the factory without a fairness argument or
 * {@link Namespace#openExisting}, and read the mode with {@code fairness()}.
 */
public class WrongFairnessException extends NamedObjectException {
    private static final long serialVersionUID = 1L;

    private final Fairness requested;
    private final Fairness actual;

    /**
     * Creates the exception.
     *
     * @param message what was asked for and what the name holds
     * @param requested the mode the open asked for
     * @param actual the mode the object was created with
     */
    public WrongFairnessException(String message, Fairness requested, Fairness actual) {
        super(message);
        this.requested = Objects.requireNonNull(requested, "requested");
        this.actual = Objects.requireNonNull(actual, "actual");
    }

    /**
     * The mode the open asked for.
     *
     * @return the requested mode
     */
    public Fairness requested() {
        return requested;
    }

    /**
     * The mode the existing object was created with.
     *
     * @return the stored mode
     */
    public Fairness actual() {
        return actual;
    }
}
