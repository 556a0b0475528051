package io.waitkit.segment;

import static io.waitkit.segment.SegmentLayout.STATE_OFFSET;

import io.waitkit.internal.Proxy;
import io.waitkit.internal.WaitEngine;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What the segment-backed proxies share: the slice of words ({@link SegmentLayout}), the outside
 * lock on its STATE word, the lock order (the slice's address: distinct for distinct objects of
 * this process), and the single-object waits through the engine's one entry sequence
 * ({@link WaitEngine#enter}, then {@link WaitEngine#acquire}).
 */
abstract class SegmentObject extends Proxy {
    /** The slice holding this object's words. */
    final MemorySegment segment;

    SegmentObject(MemorySegment slice, int traits) {
        super(traits);
        this.segment = SegmentLayout.checkSlice(Objects.requireNonNull(slice, "slice"));
    }

    /**
     * The slice holding this object's words.
     *
     * @return the slice
     */
    public final MemorySegment segment() {
        return segment;
    }

    @Override
    protected final long lockOutside() {
        return SegmentLayout.lock(segment);
    }

    @Override
    protected final void unlockOutside(long value) {
        SegmentLayout.unlock(segment, value);
    }

    @Override
    protected final long lockOrder() {
        return segment.address();
    }

    /** {@inheritDoc} The segment's STATE word: the local word holds no value. */
    @Override
    protected long spinSnapshot() {
        return SegmentLayout.getVolatile(segment, STATE_OFFSET);
    }

    /** An untimed wait for one unit; interruptible or not (an interrupt is then re-asserted). */
    final int waitOne(boolean interruptible) throws InterruptedException {
        int r = WaitEngine.enter(this, 1, null, false, interruptible);
        return r != WaitEngine.NOT_ACQUIRED ? r : WaitEngine.acquire(this, 1, null, false, 0L, interruptible);
    }

    /** An untimed wait for one unit ignoring interrupts (re-asserted on return). */
    final int waitOneUninterruptibly() {
        try {
            return waitOne(false);
        } catch (InterruptedException e) {
            throw new AssertionError(e); // not interruptible: never thrown
        }
    }

    /** A timed or polling wait for one unit; interruptible. */
    final int waitOne(Timeouts t) throws InterruptedException {
        int r = WaitEngine.enter(this, 1, null, t.poll(), true);
        return r != WaitEngine.NOT_ACQUIRED || t.poll() ? r : WaitEngine.acquire(this, 1, null, t.timed(), t.deadline(), true);
    }
}
