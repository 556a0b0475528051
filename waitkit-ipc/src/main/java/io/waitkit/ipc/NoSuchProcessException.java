package io.waitkit.ipc;

import java.io.IOException;

/**
 * No process has the pid a signal was sent to ({@code kill(2)} failed with {@code ESRCH}): it
 * never existed or has ended and been reaped. Thrown by {@link Signals#send}; nothing was sent.
 * A process that has ended but not yet been reaped by its parent (a zombie) still exists for
 * {@code kill(2)}: sending to it succeeds and does nothing.
 */
public class NoSuchProcessException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The pid that named no process. */
    private final long pid;

    /**
     * Creates the exception.
     *
     * @param pid the pid that named no process
     * @param message what was attempted, naming the pid and {@code ESRCH}
     */
    public NoSuchProcessException(long pid, String message) {
        super(message);
        this.pid = pid;
    }

    /**
     * The pid that named no process.
     *
     * @return the pid given to {@link Signals#send}
     */
    public long pid() {
        return pid;
    }
}
