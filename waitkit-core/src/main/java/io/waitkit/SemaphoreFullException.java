package io.waitkit;

/**
 * Thrown by {@link Semaphore#release(int)} when the release would raise the count above the
 * maximum (NT's {@code STATUS_SEMAPHORE_LIMIT_EXCEEDED}, Win32 {@code ERROR_TOO_MANY_POSTS}).
 * The semaphore is left unchanged.
 */
public class SemaphoreFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public SemaphoreFullException() {
        super();
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public SemaphoreFullException(String message) {
        super(message);
    }
}
