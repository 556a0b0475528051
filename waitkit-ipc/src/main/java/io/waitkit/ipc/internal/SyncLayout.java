package io.waitkit.ipc.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The synchronization block of an event, mutex or semaphore file (after the
 * {@link HeaderLayout header}), and the only code that reads or writes it. Every accessor names
 * its memory order.
 *
 * <pre>
 *   offset (from the body)
 *   +-----+----+-----------------------------------------------------------------------+
 *   |   0 |  8 | STATE        63: LOCK | 62..32: locker pid | 31..0: value               |
 *   |   8 |  8 | LOCKER_START start time of the locker process (written after locking)  |
 *   |  16 |  4 | SEQ          futex word: changes after every change that can make the  |
 *   |     |    |              object available                                          |
 *   |  20 |  4 | SLEEPERS     threads of any process that sleep (or are about to) on SEQ|
 *   |  24 |  4 | WAITERS      blocked waits of every process (diagnostic)               |
 *   |  28 |  4 | PULSE_GEN    event: pulses made while another process had a sleeper    |
 *   |  32 |  4 | PULSE_TOKEN  auto-reset event: 1 while the last pulse's release is      |
 *   |     |    |              unclaimed by other processes                              |
 *   |  36 |  4 | reserved                                                               |
 *   |  40 |  8 | OWNER_PID    mutex: owner's pid (0: none)                              |
 *   |  48 |  8 | OWNER_START  mutex: owner's process start time                         |
 *   |  56 |  8 | OWNER_TID    mutex: owner's Java thread id                             |
 *   +-----+----+-----------------------------------------------------------------------+
 *   64
 * </pre>
 *
 * <p><b>Values</b> (STATE bits 31..0): an event's bit 0 is SIGNALED; a semaphore's count; a
 * mutex's bit 31 ABANDONED and bits 30..0 its hold count.
 *
 * <p><b>The outside lock.</b> Every change of the value and of the owner words is made under
 * the lock in bit 63 of STATE: a locker CASes a word without the bit into one with the bit and
 * its pid, reads and writes what it needs, and stores the new value without the bit in one
 * release store ({@link #unlock}). A holder that dies (SIGKILL at any instruction) leaves the
 * value as it was before it locked, since the new value is only published by that store; the
 * words it wrote meanwhile (a mutex's owner) are only read together with a value that makes
 * them meaningful (a hold count above 0 written by the same critical section), so they are
 * harmless. Lockers spin; a lock held for more than {@link #STALE_CHECK_ROUNDS} rounds is
 * checked: if its pid names no live process, the checker takes the lock over at once; if it
 * names a live process with another start time than LOCKER_START (a pid reused after the holder
 * died), it takes it over only when a second check at least a second after the first still
 * finds that, and every read in between returned the same locked word. Either takeover is one
 * CAS from the stale word, so exactly one checker wins. A holder that is merely stopped
 * (SIGSTOP) or descheduled is alive and keeps its lock. LOCKER_START is written right after the
 * CAS that locks, so for an instant a live holder's word shows the previous locker's start
 * time: one check that lands there is not enough, and a read that finds the word unlocked (or
 * locked with another word) starts the count again (a process that locks and unlocks with the
 * same word over and over would otherwise add up to one long hold).
 *
 * <p><b>Waking other processes</b> ({@link #bumpAndWake}): a change that can make the object
 * available increments SEQ (volatile) and then, if SLEEPERS is not 0, wakes every sleeper on
 * SEQ. A sleeper increments SLEEPERS, reads SEQ, checks the object, and sleeps only while SEQ
 * still holds what it read (the kernel compares atomically). With both sides' accesses
 * volatile, either the waker sees the sleeper counted, or the sleeper's read of SEQ (or the
 * kernel's compare) sees the increment: no wake-up is lost. A process killed while counted in
 * SLEEPERS leaves the count too high, which costs wakers a needless system call and nothing
 * else.
 *
 * <p><b>Alignment.</b> The body starts at offset 64 of a page-aligned mapping; every word is
 * aligned to its size, as atomic access and the futex calls need.
 */
public final class SyncLayout {
    /** Bytes of the block. */
    public static final long SIZE = 64;

    /** Offset of STATE in the body. */
    public static final long STATE = 0;
    /** Offset of LOCKER_START. */
    public static final long LOCKER_START = 8;
    /** Offset of the SEQ futex word. */
    public static final long SEQ = 16;
    /** Offset of SLEEPERS. */
    public static final long SLEEPERS = 20;
    /** Offset of WAITERS. */
    public static final long WAITERS = 24;
    /** Offset of PULSE_GEN. */
    public static final long PULSE_GEN = 28;
    /** Offset of PULSE_TOKEN. */
    public static final long PULSE_TOKEN = 32;
    /** Offset of OWNER_PID. */
    public static final long OWNER_PID = 40;
    /** Offset of OWNER_START. */
    public static final long OWNER_START = 48;
    /** Offset of OWNER_TID. */
    public static final long OWNER_TID = 56;

    /** The lock bit of STATE. */
    public static final long LOCK_BIT = 1L << 63;
    /** The value bits of STATE. */
    public static final long VALUE_BITS = 0xFFFF_FFFFL;
    private static final int PID_SHIFT = 32;
    private static final long PID_BITS = 0x7FFF_FFFFL;

    /** Spin rounds on a held lock before its holder's liveness is checked (and again every as many). */
    static final int STALE_CHECK_ROUNDS = 1 << 12;
    private static final long REUSED_PID_GRACE_NANOS = 1_000_000_000L;

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private SyncLayout() {
    }

    // ---- raw accessors, named by memory order

    /**
     * Reads a 64-bit word, volatile.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @return the word
     */
    public static long getLongVolatile(MemorySegment body, long offset) {
        return (long) LONG.getVolatile(body, offset);
    }

    /**
     * Reads a 64-bit word with acquire semantics.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @return the word
     */
    public static long getLongAcquire(MemorySegment body, long offset) {
        return (long) LONG.getAcquire(body, offset);
    }

    /**
     * Writes a 64-bit word with release semantics.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param value the word
     */
    public static void setLongRelease(MemorySegment body, long offset, long value) {
        LONG.setRelease(body, offset, value);
    }

    /**
     * Reads a 64-bit word, plain: for words only accessed under the outside lock.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @return the word
     */
    public static long getLongPlain(MemorySegment body, long offset) {
        return (long) LONG.get(body, offset);
    }

    /**
     * Writes a 64-bit word, plain: for words only accessed under the outside lock.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param value the word
     */
    public static void setLongPlain(MemorySegment body, long offset, long value) {
        LONG.set(body, offset, value);
    }

    /**
     * Reads a 32-bit word, plain: for words only accessed under the outside lock.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @return the word
     */
    public static int getIntPlain(MemorySegment body, long offset) {
        return (int) INT.get(body, offset);
    }

    /**
     * Writes a 32-bit word, plain: for words only accessed under the outside lock.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param value the word
     */
    public static void setIntPlain(MemorySegment body, long offset, int value) {
        INT.set(body, offset, value);
    }

    /**
     * Writes a 64-bit word, opaque (atomic, no ordering): for words only read under the lock.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param value the word
     */
    public static void setLongOpaque(MemorySegment body, long offset, long value) {
        LONG.setOpaque(body, offset, value);
    }

    /**
     * Reads a 32-bit word, volatile.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @return the word
     */
    public static int getIntVolatile(MemorySegment body, long offset) {
        return (int) INT.getVolatile(body, offset);
    }

    /**
     * Writes a 32-bit word, volatile.
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param value the word
     */
    public static void setIntVolatile(MemorySegment body, long offset, int value) {
        INT.setVolatile(body, offset, value);
    }

    /**
     * Adds to a 32-bit word atomically (volatile).
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param delta the amount
     * @return the previous value
     */
    public static int getAndAddInt(MemorySegment body, long offset, int delta) {
        return (int) INT.getAndAdd(body, offset, delta);
    }

    /**
     * Compare-and-sets a 32-bit word (volatile).
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param expected the expected value
     * @param update the new value
     * @return whether it was {@code expected}
     */
    public static boolean compareAndSetInt(MemorySegment body, long offset, int expected, int update) {
        return INT.compareAndSet(body, offset, expected, update);
    }

    /**
     * Compare-and-sets a 64-bit word (volatile).
     *
     * @param body the body segment
     * @param offset the word's offset
     * @param expected the expected value
     * @param update the new value
     * @return whether it was {@code expected}
     */
    public static boolean compareAndSetLong(MemorySegment body, long offset, long expected, long update) {
        return LONG.compareAndSet(body, offset, expected, update);
    }

    // ---- the outside lock on STATE

    /**
     * Whether a STATE word has the lock bit.
     *
     * @param state a STATE word
     * @return true if locked
     */
    public static boolean isLocked(long state) {
        return (state & LOCK_BIT) != 0;
    }

    /**
     * The pid of the locker recorded in a locked STATE word.
     *
     * @param state a locked STATE word
     * @return the pid
     */
    static long lockerPid(long state) {
        return (state >>> PID_SHIFT) & PID_BITS;
    }

    /**
     * Takes the outside lock (see the class comment), taking over a lock whose holder died.
     * Acquire semantics.
     *
     * @param body the body segment
     * @return the value bits when the lock was taken
     */
    public static long lock(MemorySegment body) {
        return lockReportingTakeover(body) & VALUE_BITS;
    }

    /**
     * Set in what {@link #lockReportingTakeover} returns when the lock was taken over from a
     * holder that died.
     */
    public static final long TAKEN_OVER = 1L << 62;

    /**
     * Takes the outside lock as {@link #lock} does, and says whether it was taken over from a
     * dead holder (whose critical section may have been cut short).
     *
     * @param body the body segment
     * @return the value bits, with {@link #TAKEN_OVER} set after a takeover
     */
    public static long lockReportingTakeover(MemorySegment body) {
        ProcessIdentity self = ProcessIdentity.self();
        long mine = LOCK_BIT | ((self.pid() & PID_BITS) << PID_SHIFT);
        long heldWord = 0L; // the locked word every read since it was first seen returned: one hold, as far as this loop can tell
        long suspectSince = 0L; // when a check of heldWord first found its pid's start time unlike LOCKER_START; 0: none
        for (int round = 1; ; round++) {
            long w = getLongVolatile(body, STATE);
            if (!isLocked(w)) {
                heldWord = 0L;
                if (LONG.compareAndSet(body, STATE, w, mine | (w & VALUE_BITS))) {
                    setLongOpaque(body, LOCKER_START, self.startTime());
                    return w & VALUE_BITS;
                }
                continue;
            }
            if (w != heldWord) {
                heldWord = w;
                suspectSince = 0L;
            }
            Thread.onSpinWait();
            if (round % 64 == 0) {
                Thread.yield();
            }
            if (round % STALE_CHECK_ROUNDS == 0) {
                int holder = holder(body, w);
                boolean stale = holder == HOLDER_DEAD;
                if (holder == HOLDER_OTHER_START) {
                    long now = System.nanoTime();
                    if (suspectSince == 0L) {
                        suspectSince = now | 1L; // never 0
                    } else {
                        stale = now - suspectSince > REUSED_PID_GRACE_NANOS;
                    }
                } else {
                    suspectSince = 0L;
                }
                if (stale && LONG.compareAndSet(body, STATE, w, mine | (w & VALUE_BITS))) {
                    setLongOpaque(body, LOCKER_START, self.startTime());
                    return (w & VALUE_BITS) | TAKEN_OVER;
                }
            }
        }
    }

    /** {@link #holder}: the pid names no live process. */
    private static final int HOLDER_DEAD = 0;
    /** {@link #holder}: the pid names a live process whose start time LOCKER_START records. */
    private static final int HOLDER_ALIVE = 1;
    /**
     * {@link #holder}: the pid names a live process with another start time than LOCKER_START:
     * a process that reused the pid of a holder that died, or the holder itself between its
     * CAS and its store of LOCKER_START (which still holds the previous locker's start).
     */
    private static final int HOLDER_OTHER_START = 2;

    /** What the pid in locked word {@code w} names (see the HOLDER_ constants). */
    private static int holder(MemorySegment body, long w) {
        long start = ProcessIdentity.startTimeOf(lockerPid(w));
        if (start < 0) {
            return HOLDER_DEAD; // no such process: it died holding the lock
        }
        return getLongVolatile(body, LOCKER_START) == start ? HOLDER_ALIVE : HOLDER_OTHER_START;
    }

    /**
     * Stores a new value and releases the outside lock in one release store.
     *
     * @param body the body segment, locked by the caller
     * @param value the new value bits
     */
    public static void unlock(MemorySegment body, long value) {
        if ((value & ~VALUE_BITS) != 0) {
            throw new IllegalArgumentException("a value outside the value bits: " + Long.toHexString(value));
        }
        LONG.setRelease(body, STATE, value);
    }

    /**
     * The value bits of STATE, read without the lock (volatile): what the value was when last
     * unlocked, or is while someone holds the lock.
     *
     * @param body the body segment
     * @return the value bits
     */
    public static long peekValue(MemorySegment body) {
        return getLongVolatile(body, STATE) & VALUE_BITS;
    }

    // ---- waking other processes

    /**
     * After a change that can make the object available: increments SEQ and wakes every sleeper
     * of every process if one is counted (see the class comment).
     *
     * @param body the body segment
     * @param seqWord the SEQ word as a 4-byte segment (for the futex call)
     */
    public static void bumpAndWake(MemorySegment body, MemorySegment seqWord) {
        getAndAddInt(body, SEQ, 1);
        if (getIntVolatile(body, SLEEPERS) != 0 && Futex.linked()) {
            Futex.wake(seqWord, Integer.MAX_VALUE);
        }
    }
}
