package io.waitkit;

/**
 * Thrown by an acquisition that took over an abandoned {@link Mutex}: one whose owner thread
 * terminated while holding it.
 *
 * <p>As in .NET, the acquisition has happened when this is thrown: the calling thread owns the
 * mutex with hold count 1, the abandoned mark is cleared, and in a wait-any or wait-all every
 * other object of the wait is acquired as usual. The state the mutex protected may be
 * inconsistent; repair it, then release the mutex as normal. The async forms complete
 * exceptionally with this exception, ownership likewise taken.
 */
public class AbandonedMutexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The index of the abandoned mutex in the wait-any array, or -1 (serialized). */
    private final int mutexIndex;
    private final transient Mutex mutex;

    /**
     * Creates the exception.
     *
     * @param mutexIndex the mutex's index in a wait-any array, or -1 for wait-all and
     *        single-object waits
     * @param mutex the abandoned mutex, now owned by the caller
     */
    public AbandonedMutexException(int mutexIndex, Mutex mutex) {
        super(mutexIndex >= 0
                ? "the mutex at index " + mutexIndex + " was abandoned by its owner; it is now owned by the caller"
                : "a mutex was abandoned by its owner; it is now owned by the caller");
        this.mutexIndex = mutexIndex;
        this.mutex = mutex;
    }

    /**
     * Returns the index of the abandoned mutex in the wait-any array.
     *
     * @return the index, or -1 for wait-all and single-object waits
     */
    public int mutexIndex() {
        return mutexIndex;
    }

    /**
     * Returns the abandoned mutex, now owned by the thread the acquisition was made for.
     *
     * @return the mutex (null only after deserialization)
     */
    public Mutex mutex() {
        return mutex;
    }
}
