package io.waitkit.segment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The layout of one segment-backed object (event, mutex, semaphore): two 64-bit words in a
 * {@link MemorySegment}, and the only code that reads or writes them. Every accessor names its
 * memory order; nothing here knows about the wait engine.
 *
 * <pre>
 *   offset 0: STATE word                                       offset 8: ATTRIBUTE word
 *   +----+--------------------------------------------------+  +--------------------------+
 *   | 63 | 62 .. 0                                          |  | 63 .. 0                  |
 *   |LOCK| value (event: bit 0 SIGNALED;                    |  | event: bit 0 manual-reset|
 *   |    |  semaphore: the count;                           |  | semaphore: the maximum   |
 *   |    |  mutex: bit 31 ABANDONED, bits 30..0 hold count) |  | mutex: owner thread id   |
 *   +----+--------------------------------------------------+  +--------------------------+
 *   0                                                      8   8                          16
 * </pre>
 *
 * <p><b>The outside lock</b> is bit 63 of the STATE word. Whoever sets it with a CAS (from a
 * word without it) owns the value bits until it stores a new value without the bit, with
 * release semantics ({@link #lock}, {@link #unlock}). A lock-free change is a single CAS from an
 * observed word without the bit, so it never lands while the lock is held. The lock is held for
 * a few stores only and its holder never waits for anything, so lockers spin (and yield after a
 * while, for a holder that was preempted).
 *
 * <p><b>Values</b> stay within the engine's value mask (bits 58..0): a semaphore's maximum is an
 * {@code int}, an event uses one bit and a mutex 32.
 *
 * <p><b>The ATTRIBUTE word</b> is written once at creation for an event (its kind) and a
 * semaphore (its maximum), before the object is published; a mutex's owner id changes with
 * ownership (see {@link SegmentMutex} for when it is written).
 *
 * <p><b>Alignment.</b> Every word is 8-byte aligned: atomic access modes on a segment need it.
 * Slices handed to the objects must start at a multiple of 8 and hold {@link #OBJECT_SIZE} bytes.
 */
public final class SegmentLayout {
    /** Offset of the STATE word: outside lock bit and value. */
    public static final long STATE_OFFSET = 0L;
    /** Offset of the ATTRIBUTE word: event kind, semaphore maximum or mutex owner id. */
    public static final long ATTRIBUTE_OFFSET = 8L;
    /** Bytes of one object. */
    public static final long OBJECT_SIZE = 16L;
    /** Alignment every object's slice needs. */
    public static final long ALIGNMENT = 8L;

    /** The outside lock bit of the STATE word. */
    public static final long LOCK_BIT = 1L << 63;
    /** The value bits of the STATE word. */
    public static final long VALUE_BITS = ~LOCK_BIT;

    /** Event ATTRIBUTE bit: a manual-reset event (else auto-reset). */
    public static final long EVENT_MANUAL_RESET = 1L;

    /** Coordinates {@code (MemorySegment, long offset)}. */
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    /**
     * The arena of {@link #allocateObject()}: shared by every thread and never closed, since
     * an object may stay registered with the engine's owner watchdog after a test ends.
     */
    private static final Arena OBJECTS = Arena.ofShared();

    private SegmentLayout() {
    }

    /**
     * Allocates one zeroed object slice from a shared arena that lives as long as the JVM
     * (test objects are few and small).
     *
     * @return a slice of {@link #OBJECT_SIZE} bytes aligned to {@link #ALIGNMENT}
     */
    public static MemorySegment allocateObject() {
        return OBJECTS.allocate(OBJECT_SIZE, ALIGNMENT);
    }

    /**
     * Checks that {@code slice} can hold one object.
     *
     * @param slice the slice
     * @return the slice
     * @throws IllegalArgumentException if it is too small or misaligned
     */
    public static MemorySegment checkSlice(MemorySegment slice) {
        if (slice.byteSize() < OBJECT_SIZE) {
            throw new IllegalArgumentException("an object needs " + OBJECT_SIZE + " bytes: " + slice);
        }
        if (slice.maxByteAlignment() < ALIGNMENT) {
            throw new IllegalArgumentException("an object needs " + ALIGNMENT + "-byte alignment: " + slice);
        }
        if (slice.isReadOnly()) {
            throw new IllegalArgumentException("read-only segment: " + slice);
        }
        return slice;
    }

    // ---- raw accessors, named by memory order

    /**
     * Reads a word with volatile semantics.
     *
     * @param s the object's slice
     * @param offset {@link #STATE_OFFSET} or {@link #ATTRIBUTE_OFFSET}
     * @return the word
     */
    public static long getVolatile(MemorySegment s, long offset) {
        return (long) LONG.getVolatile(s, offset);
    }

    /**
     * Reads a word with acquire semantics.
     *
     * @param s the object's slice
     * @param offset the word's offset
     * @return the word
     */
    public static long getAcquire(MemorySegment s, long offset) {
        return (long) LONG.getAcquire(s, offset);
    }

    /**
     * Writes a word with release semantics.
     *
     * @param s the object's slice
     * @param offset the word's offset
     * @param value the new word
     */
    public static void setRelease(MemorySegment s, long offset, long value) {
        LONG.setRelease(s, offset, value);
    }

    /**
     * Writes a word with volatile semantics.
     *
     * @param s the object's slice
     * @param offset the word's offset
     * @param value the new word
     */
    public static void setVolatile(MemorySegment s, long offset, long value) {
        LONG.setVolatile(s, offset, value);
    }

    /**
     * Compare-and-sets a word (volatile semantics).
     *
     * @param s the object's slice
     * @param offset the word's offset
     * @param expected the expected word
     * @param update the new word
     * @return whether the word was {@code expected} and is now {@code update}
     */
    public static boolean compareAndSet(MemorySegment s, long offset, long expected, long update) {
        return LONG.compareAndSet(s, offset, expected, update);
    }

    // ---- the outside lock protocol on the STATE word

    /**
     * Whether a STATE word has the outside lock bit.
     *
     * @param state a STATE word
     * @return true if locked
     */
    public static boolean isLocked(long state) {
        return (state & LOCK_BIT) != 0;
    }

    /**
     * Takes the outside lock: spins (with {@link Thread#onSpinWait()}) until a CAS sets the
     * lock bit on a word without it. Acquire semantics (the CAS is volatile).
     *
     * @param s the object's slice
     * @return the value bits at the time the lock was taken
     */
    public static long lock(MemorySegment s) {
        for (int round = 0; ; round++) {
            long w = getVolatile(s, STATE_OFFSET);
            if (!isLocked(w) && compareAndSet(s, STATE_OFFSET, w, w | LOCK_BIT)) {
                return w;
            }
            pause(round);
        }
    }

    /**
     * Stores a new value and releases the outside lock in one release store.
     *
     * @param s the object's slice, locked by the caller
     * @param value the new value bits
     * @throws IllegalArgumentException if {@code value} has the lock bit
     */
    public static void unlock(MemorySegment s, long value) {
        if (isLocked(value)) {
            throw new IllegalArgumentException("a value with the lock bit: " + Long.toHexString(value));
        }
        setRelease(s, STATE_OFFSET, value);
    }

    /**
     * Reads the value bits, waiting out a held outside lock so that a holder's intermediate
     * value is never seen.
     *
     * @param s the object's slice
     * @return the value bits
     */
    public static long stableValue(MemorySegment s) {
        for (int round = 0; ; round++) {
            long w = getVolatile(s, STATE_OFFSET);
            if (!isLocked(w)) {
                return w;
            }
            pause(round);
        }
    }

    /**
     * One pause of a thread waiting for the outside lock: a spin-wait hint, and after a while
     * a yield too, so that a holder preempted on a busy machine (or a virtual thread sharing the
     * waiter's carrier) gets a CPU to finish its few stores.
     */
    private static void pause(int round) {
        Thread.onSpinWait();
        if (round >= 64) {
            Thread.yield();
        }
    }
}
