package io.waitkit;

/**
 * Thrown when a message is larger than a {@link MessageQueue}'s maximum message size (AxisOS's
 * "Message too large"). Nothing is sent.
 */
public class MessageTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param size the size of the rejected message
     * @param max the queue's maximum message size
     */
    public MessageTooLargeException(int size, int max) {
        super("message too large: " + size + " bytes, the maximum is " + max);
    }
}
