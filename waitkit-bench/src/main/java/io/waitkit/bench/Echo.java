package io.waitkit.bench;

/**
 * The second party of a ping-pong benchmark: a daemon platform thread that answers every ping
 * until stopped. Started in a trial-level {@code @Setup}, stopped in the matching
 * {@code @TearDown}; between iterations it simply stays blocked waiting for the next ping.
 */
final class Echo {
    /** The answering loop; it returns (or throws InterruptedException) once asked to stop. */
    @FunctionalInterface
    interface Loop {
        void run(Echo echo) throws InterruptedException;
    }

    private final Thread thread;
    private volatile boolean stopping;

    private Echo(String name, Loop loop) {
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                loop.run(this);
            } catch (InterruptedException e) {
                if (!stopping) {
                    throw new IllegalStateException("echo thread interrupted while not stopping", e);
                }
            }
        });
    }

    /**
     * Starts an echo thread.
     *
     * @param name the thread name
     * @param loop what it runs
     * @return the started echo
     */
    static Echo start(String name, Loop loop) {
        Echo echo = new Echo(name, loop);
        echo.thread.start();
        return echo;
    }

    /** Whether {@link #stop()} was called: the loop should return. */
    boolean stopping() {
        return stopping;
    }

    /** The echo thread (to unpark it). */
    Thread thread() {
        return thread;
    }

    /**
     * Stops the loop (interrupting it out of any wait) and joins it.
     *
     * @throws InterruptedException if interrupted while joining
     * @throws IllegalStateException if the thread did not end within 10 s
     */
    void stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("echo thread " + thread.getName() + " did not stop");
        }
    }
}
