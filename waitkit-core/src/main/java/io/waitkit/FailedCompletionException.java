package io.waitkit;

/**
 * Thrown by a wait that acquired a {@link Completion} whose future completed exceptionally or
 * was cancelled; the cause is the future's exception (a {@link
 * java.util.concurrent.CancellationException} for a cancelled future).
 *
 * <p>As for {@link AbandonedMutexException}, the acquisition has happened when this is thrown:
 * in a wait-any nothing else was acquired, in a wait-all every other member was acquired as
 * usual and is now the caller's to release. The async forms complete exceptionally with it.
 *
 * <p>It is not a {@link java.util.concurrent.CompletionException} on purpose:
 * {@link java.util.concurrent.CompletableFuture#get()} unwraps those, and the async form's
 * {@code get()} would then report the member future's exception without saying which member
 * failed.
 */
public class FailedCompletionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The index of the member in the wait-any array, or -1 (serialized). */
    private final int index;
    private final transient Completion completion;

    /**
     * Creates the exception.
     *
     * @param index the member's index in a wait-any array, or -1 for wait-all and
     *        single-object waits
     * @param completion the member whose future failed
     * @param cause the future's exception
     */
    public FailedCompletionException(int index, Completion completion, Throwable cause) {
        super((index >= 0 ? "the future at index " + index : "a future") + " of the wait "
                + (cause instanceof java.util.concurrent.CancellationException ? "was cancelled"
                        : "completed exceptionally: " + cause), cause);
        this.index = index;
        this.completion = completion;
    }

    /**
     * Returns the index of the failed member in the wait-any array.
     *
     * @return the index, or -1 for wait-all and single-object waits
     */
    public int index() {
        return index;
    }

    /**
     * Returns the member whose future failed.
     *
     * @return the member, or null after deserialization
     */
    public Completion completion() {
        return completion;
    }
}
