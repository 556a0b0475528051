package io.waitkit;

import io.waitkit.internal.Dispatch;

/**
 * Non-blocking contexts, after the interrupt request levels (IRQL) of the NT and AxisOS
 * kernels: code running at {@link #DISPATCH_LEVEL} or above must not block.
 *
 * <p>Each thread has a level, {@link #PASSIVE_LEVEL} by default. Inside a
 * {@link #raise(int) raise(DISPATCH_LEVEL)} scope every blocking wait of Waitkit (an untimed or
 * timed wait, {@code lock()}, {@code acquire()} …) throws {@link IllegalStateException} at
 * once, before looking at the object, even if the object is available: a blocking call in such
 * a context is a bug whether or not it happens to find the object free. Polls
 * ({@code tryX()}, a {@link java.time.Duration#ZERO} timeout) and signalling calls stay legal,
 * as do async waits.
 *
 * <pre>{@code
 * try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
 *     if (queueReady.tryAwait()) drain();        // polling is fine
 *     queueReady.await();                        // throws IllegalStateException
 * }
 * }</pre>
 *
 * <p>The engine completes async waits at {@code DISPATCH_LEVEL}, so dependent actions that run
 * synchronously in the completing thread ({@code thenRun} on an incomplete future, for
 * example) cannot block by mistake. The level belongs to the current thread; checking it costs
 * a single read while no thread is above {@code PASSIVE_LEVEL}.
 */
public final class Irql {
    /** Normal execution; everything is allowed. */
    public static final int PASSIVE_LEVEL = Dispatch.PASSIVE_LEVEL;
    /** Asynchronous procedure calls masked; blocking is still allowed. */
    public static final int APC_LEVEL = Dispatch.APC_LEVEL;
    /** Scheduler level: blocking waits throw, polls and signals are allowed. */
    public static final int DISPATCH_LEVEL = Dispatch.DISPATCH_LEVEL;
    /** Device interrupt level, the highest; as {@code DISPATCH_LEVEL} for Waitkit. */
    public static final int DEVICE_LEVEL = Dispatch.DEVICE_LEVEL;

    private Irql() {
    }

    /**
     * Returns the current thread's level.
     *
     * @return one of the level constants
     */
    public static int current() {
        return Dispatch.level();
    }

    /**
     * Whether the current thread may block (its level is below {@link #DISPATCH_LEVEL}).
     *
     * @return true if blocking waits are allowed
     */
    public static boolean canBlock() {
        return Dispatch.level() < DISPATCH_LEVEL;
    }

    /**
     * Raises the current thread's level until the returned scope is closed. Scopes nest and
     * must be closed in reverse order, by the same thread.
     *
     * @param level the new level, not below the current one
     * @return the scope that restores the previous level when closed
     * @throws IllegalArgumentException if {@code level} is not a defined level or is below the
     *         current level (lowering is done by closing scopes)
     */
    public static Scope raise(int level) {
        Dispatch.checkLevel(level);
        int current = Dispatch.level();
        if (level < current) {
            throw new IllegalArgumentException("cannot raise IRQL from " + Dispatch.name(current) + " down to "
                    + Dispatch.name(level) + "; close the enclosing scope instead");
        }
        Dispatch.set(level);
        return new Scope(Thread.currentThread(), current, level);
    }

    /** A raised level; closing it restores the level it was raised from. */
    public static final class Scope implements AutoCloseable {
        private final Thread thread;
        private final int previous;
        private final int level;
        private boolean closed;

        private Scope(Thread thread, int previous, int level) {
            this.thread = thread;
            this.previous = previous;
            this.level = level;
        }

        /**
         * Returns the level this scope raised to.
         *
         * @return the level
         */
        public int level() {
            return level;
        }

        /**
         * Returns the level restored on close.
         *
         * @return the previous level
         */
        public int previousLevel() {
            return previous;
        }

        /**
         * Restores the previous level. Closing twice does nothing.
         *
         * @throws IllegalStateException if called by another thread, or while an inner scope
         *         is still open
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("an IRQL scope must be closed by the thread that raised it");
            }
            if (Dispatch.level() != level) {
                throw new IllegalStateException("IRQL scopes must be closed in reverse order: the current level is "
                        + Dispatch.name(Dispatch.level()) + ", this scope raised to " + Dispatch.name(level));
            }
            closed = true;
            Dispatch.set(previous);
        }
    }
}
