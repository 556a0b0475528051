package io.waitkit.internal;

import io.waitkit.Waitable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test proxy whose outside state is an {@link AtomicLong} standing for a word that another
 * process shares: bit 62 is the outside lock, the rest a count of tokens. {@link #remoteGive}
 * changes the word the way another process would (outside lock only, no engine call) and then
 * signals the proxy. It can be told to fail, as a proxy whose outside state cannot be read.
 */
final class OutsideCounter extends Proxy implements Waitable {
    private static final long LOCK = 1L << 62;

    final AtomicLong word;
    private final long order;
    volatile boolean failPoll;
    volatile boolean failLock;

    OutsideCounter(long initial, long order) {
        this.word = new AtomicLong(initial);
        this.order = order;
    }

    @Override
    protected long lockOutside() {
        if (failLock) {
            throw new IllegalStateException("outside state unreadable");
        }
        for (;;) {
            long w = word.get();
            if ((w & LOCK) == 0 && word.compareAndSet(w, w | LOCK)) {
                return w;
            }
            Thread.onSpinWait();
        }
    }

    @Override
    protected void unlockOutside(long value) {
        word.set(value);
    }

    @Override
    protected long spinSnapshot() {
        return word.get();
    }

    @Override
    protected long lockOrder() {
        return order;
    }

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return value >= arg ? value - arg : UNAVAILABLE;
    }

    @Override
    protected boolean mayWake(long value) {
        return value > 0;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        if (failPoll) {
            throw new IllegalStateException("outside state unreadable");
        }
        for (;;) {
            long w = word.get();
            if ((w & LOCK) != 0) {
                return POLL_CONTENDED;
            }
            if (w < arg) {
                return POLL_FAILED;
            }
            if (word.compareAndSet(w, w - arg)) {
                return POLL_ACQUIRED;
            }
        }
    }

    /** Adds tokens as another process would, then signals this JVM's waiters. */
    void remoteGive(long n) {
        for (;;) {
            long w = word.get();
            if ((w & LOCK) == 0 && word.compareAndSet(w, w + n)) {
                break;
            }
            Thread.onSpinWait();
        }
        signal();
    }

    /** The tokens in the outside word (waits out a held outside lock). */
    long count() {
        long w;
        while (((w = word.get()) & LOCK) != 0) {
            Thread.onSpinWait();
        }
        return w;
    }
}
