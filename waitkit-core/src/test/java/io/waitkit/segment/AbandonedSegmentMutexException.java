package io.waitkit.segment;

import io.waitkit.AbandonedMutexException;

/**
 * The {@link AbandonedMutexException} of a {@link SegmentMutex}. The core exception can name
 * only an {@link io.waitkit.Mutex} ({@link #mutex()} is null here); this one names the segment
 * mutex that was taken over, now owned by the thread the acquisition was made for.
 */
public final class AbandonedSegmentMutexException extends AbandonedMutexException {
    private static final long serialVersionUID = 1L;

    private final transient SegmentMutex segmentMutex;

    /**
     * Creates the exception.
     *
     * @param mutexIndex the index in a wait-any, or -1 for wait-all and single waits
     * @param segmentMutex the abandoned mutex, now owned by the caller
     */
    public AbandonedSegmentMutexException(int mutexIndex, SegmentMutex segmentMutex) {
        super(mutexIndex, null);
        this.segmentMutex = segmentMutex;
    }

    /**
     * The abandoned mutex, now owned by the thread the acquisition was made for.
     *
     * @return the mutex (null only after deserialization)
     */
    public SegmentMutex segmentMutex() {
        return segmentMutex;
    }
}
