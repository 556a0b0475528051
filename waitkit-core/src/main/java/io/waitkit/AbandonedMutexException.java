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
    private final transient Waitable object;

    /**
     * Creates the exception.
     *
     * @param mutexIndex the mutex's index in a wait-any array, or -1 for wait-all and
     *        single-object waits
     * @param mutex the abandoned mutex, now owned by the caller
     */
    public AbandonedMutexException(int mutexIndex, Mutex mutex) {
        this(mutexIndex, (Waitable) mutex);
    }

    /**
     * Creates the exception for an abandoned mutex of any kind (an in-process {@link Mutex},
     * a mutex shared between processes, one on a coordination service).
     *
     * @param mutexIndex the mutex's index in a wait-any array, or -1 for wait-all and
     *        single-object waits
     * @param object the abandoned mutex, now owned by the caller
     */
    public AbandonedMutexException(int mutexIndex, Waitable object) {
        super(mutexIndex >= 0
                ? "the mutex at index " + mutexIndex + " was abandoned by its owner; it is now owned by the caller"
                : "a mutex was abandoned by its owner; it is now owned by the caller");
        this.mutexIndex = mutexIndex;
        this.object = object;
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
     * Returns the abandoned mutex if it is an in-process {@link Mutex}, now owned by the thread
     * the acquisition was made for.
     *
     * @return the mutex; null when the abandoned mutex is of another kind (see {@link #object()}),
     *         and after deserialization
     */
    public Mutex mutex() {
        return object instanceof Mutex m ? m : null;
    }

    /**
     * Returns the abandoned mutex of whatever kind, now owned by the thread the acquisition was
     * made for.
     *
     * @return the mutex (null only after deserialization)
     */
    public Waitable object() {
        return object;
    }
}
