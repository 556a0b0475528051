package io.waitkit.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The per-thread interrupt request level (IRQL) that decides whether a thread may block.
 *
 * <p>Blocking calls ask {@link #checkCanBlock()} before anything else. To keep that check free
 * for the common case, a global count of threads running above {@code PASSIVE_LEVEL} is kept:
 * while it is zero no thread-local is read at all. A thread only ever reads its own level, and
 * its own updates of the count are visible to itself, so a plain read of the count is enough
 * for the decision of the current thread.
 */
public final class Dispatch {
    /** Normal thread execution: every operation is allowed. */
    public static final int PASSIVE_LEVEL = 0;
    /** Asynchronous procedure calls masked; blocking is still allowed. */
    public static final int APC_LEVEL = 1;
    /** Scheduler level: blocking waits are refused, polls stay legal. */
    public static final int DISPATCH_LEVEL = 2;
    /** Device interrupt level, the highest level. */
    public static final int DEVICE_LEVEL = 3;

    private static final AtomicInteger RAISED = new AtomicInteger();
    private static final ThreadLocal<int[]> LEVEL = new ThreadLocal<>();

    private Dispatch() {
    }

    /**
     * Returns the current thread's level.
     *
     * @return a level between {@link #PASSIVE_LEVEL} and {@link #DEVICE_LEVEL}
     */
    public static int level() {
        if (RAISED.getPlain() == 0) {
            return PASSIVE_LEVEL;
        }
        int[] cell = LEVEL.get();
        return cell == null ? PASSIVE_LEVEL : cell[0];
    }

    /**
     * Sets the current thread's level, raising or lowering it.
     *
     * @param level the new level
     * @return the previous level
     * @throws IllegalArgumentException if {@code level} is outside the defined range
     */
    public static int set(int level) {
        checkLevel(level);
        int[] cell = LEVEL.get();
        int previous = cell == null ? PASSIVE_LEVEL : cell[0];
        if (previous == level) {
            return previous;
        }
        if (cell == null) {
            cell = new int[1];
            LEVEL.set(cell);
        }
        cell[0] = level;
        if (previous == PASSIVE_LEVEL) {
            RAISED.incrementAndGet();
        } else if (level == PASSIVE_LEVEL) {
            RAISED.decrementAndGet();
        }
        return previous;
    }

    /**
     * Throws unless the current thread may block.
     *
     * @throws IllegalStateException if the current thread runs at {@link #DISPATCH_LEVEL} or above
     */
    public static void checkCanBlock() {
        if (RAISED.getPlain() != 0) {
            int level = level();
            if (level >= DISPATCH_LEVEL) {
                throw new IllegalStateException("cannot block at IRQL " + name(level)
                        + ": poll with Duration.ZERO, use the async form, or lower the IRQL first");
            }
        }
    }

    /**
     * Validates a level.
     *
     * @param level the level to check
     * @throws IllegalArgumentException if it is not between PASSIVE_LEVEL and DEVICE_LEVEL
     */
    public static void checkLevel(int level) {
        if (level < PASSIVE_LEVEL || level > DEVICE_LEVEL) {
            throw new IllegalArgumentException("IRQL must be between " + PASSIVE_LEVEL + " (PASSIVE_LEVEL) and "
                    + DEVICE_LEVEL + " (DEVICE_LEVEL): " + level);
        }
    }

    /**
     * Returns the symbolic name of a level.
     *
     * @param level a level
     * @return its name, such as {@code DISPATCH_LEVEL}
     */
    public static String name(int level) {
        return switch (level) {
            case PASSIVE_LEVEL -> "PASSIVE_LEVEL";
            case APC_LEVEL -> "APC_LEVEL";
            case DISPATCH_LEVEL -> "DISPATCH_LEVEL";
            case DEVICE_LEVEL -> "DEVICE_LEVEL";
            default -> "IRQL " + level;
        };
    }
}
