package io.waitkit.ipc.internal;

import io.waitkit.MessageQueue;
import io.waitkit.internal.WaitOperation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The proxy of a named message queue's receive side, and the owner of its slots (see
 * {@link QueueLayout}); {@link #sendSide()} is the proxy senders wait on. Both sides share the
 * outside lock and the value (READY and FREE) in block R; each has its own futex word, queue
 * and waiter count.
 *
 * <p><b>A send</b> acquires one FREE unit on the send side with a {@link SendOp}: under the
 * locks, {@link SendSide#acquireFor} finds a free slot (and changes nothing: the engine may
 * discard its answer, when the waiter was claimed elsewhere), then {@link SendSide#acquired}
 * copies the message, its length,
 * priority and the next sequence number into it, publishes it (CTL FREE to READY, a release
 * store: the commit), inserts its entry in ORDER behind every entry of equal or higher
 * priority, and moves one unit from FREE to READY; after the outside lock is released the
 * receivers of every process are woken, and the sending call serves this JVM's queued
 * receivers before it returns.
 *
 * <p><b>A receive</b> acquires one READY unit: under the locks, {@link #acquireFor} decides
 * and {@link #acquired} copies the best message (ORDER[HEAD]) into the waiter's {@link MessageSink}, frees its slot (READY to
 * FREE), advances HEAD and moves one unit from READY to FREE; after the outside lock is
 * released the senders of every process are woken.
 *
 * <p><b>Crashes.</b> A whole send and a whole receive are one critical section, and the slot's
 * CTL store is its one change of the truth. The value is only published by the outside lock's
 * release store, and the other words written under the lock are rebuilt from the slots by
 * whoever takes the lock over from a dead holder ({@link #repairAfterDeadLocker}): READY slots
 * sorted by priority (highest first) and sequence number (lowest first), the counts recounted.
 * So a sender killed before its CTL store leaves a free slot (holding bytes nobody reads) and
 * no message; killed after it, its message is committed and delivered once; either way the
 * slot it was filling is back in use as soon as the next process takes the lock. A receiver
 * killed inside its critical section either removed the message (the CTL store happened: the
 * message dies with the receiver, as one that returned from {@code receive} and then died) or
 * did not (it stays READY). No message is ever half visible: a receiver only reads READY
 * slots, whose contents were written before the release store that made them READY. Copying
 * under the lock makes other processes spin while a large message is copied (about 20 us per
 * 64 KiB).
 */
public final class QueueProxy extends SideProxy {
    /** Where a receive acquisition puts the message it takes. */
    public interface MessageSink {
        /**
         * Takes the message (under the queue's locks: store it, nothing else).
         *
         * @param message the message
         */
        void deliver(MessageQueue.Message message);
    }

    /** One message to send: read by the send side's acquisition under the locks. */
    public static final class SendOp extends WaitOperation {
        private final SendSide side;
        private final byte[] data;
        private final int priority;
        /** The free slot the last {@code acquireFor} found; scratch, used under the locks only. */
        private int slot = -1;

        SendOp(SendSide side, byte[] data, int priority) {
            this.side = side;
            this.data = data;
            this.priority = priority;
        }

        @Override
        protected io.waitkit.internal.WaitObject target() {
            return side;
        }
    }

    private final int capacity;
    private final int maxMessageSize;
    private final long slotSize;
    private final long slots;
    private final SendSide send;

    /**
     * Creates the proxy of a mapped queue file.
     *
     * @param mapping the file
     */
    public QueueProxy(Mapping mapping) {
        super(mapping, 0);
        this.capacity = (int) mapping.header().param0();
        this.maxMessageSize = (int) mapping.header().param1();
        this.slotSize = QueueLayout.slotSize(maxMessageSize);
        this.slots = QueueLayout.slotsOffset(capacity);
        this.send = new SendSide(mapping, this);
        pair(this, send);
    }

    /**
     * The capacity fixed at creation.
     *
     * @return the most messages the queue holds
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The largest message fixed at creation.
     *
     * @return bytes
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * The proxy senders wait on.
     *
     * @return the send side
     */
    public SendSide sendSide() {
        return send;
    }

    /**
     * A new send of one message.
     *
     * @param data the message, at most the largest size; read when the send is acquired, so it
     *        must not change until then
     * @param priority its priority (any {@code int})
     * @return the op
     */
    public SendOp newSend(byte[] data, int priority) {
        return new SendOp(send, data, priority);
    }

    /**
     * The messages that can be received, a snapshot.
     *
     * @return the count
     */
    public int size() {
        return QueueLayout.ready(settledValue());
    }

    private long slot(int i) {
        return slots + i * slotSize;
    }

    // ---- receive side

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (QueueLayout.ready(value) == 0) {
            return UNAVAILABLE;
        }
        if (!(op instanceof MessageSink)) {
            throw new IllegalStateException("a receive from named queue " + mapping.name() + " without a place for the message");
        }
        return value - 1 + (1L << QueueLayout.FREE_SHIFT);
    }

    /**
     * {@inheritDoc} Takes the best message into the operation: the acquisition decided by
     * {@link #acquireFor} (which changes nothing, since the engine may discard its answer).
     */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        value = super.acquired(value, owner, arg, op, wasQueued);
        MessageSink sink = (MessageSink) op;
        int head = SyncLayout.getIntPlain(lockBody, QueueLayout.HEAD);
        long entry = SyncLayout.getLongPlain(lockBody, QueueLayout.ORDER + head * 8L);
        int i = (int) entry;
        long s = slot(i);
        int length = SyncLayout.getIntPlain(lockBody, s + QueueLayout.LENGTH);
        int priority = SyncLayout.getIntPlain(lockBody, s + QueueLayout.PRIORITY);
        if (length < 0 || length > maxMessageSize) {
            length = Math.max(0, Math.min(length, maxMessageSize)); // never read outside the slot
        }
        byte[] data = new byte[length];
        MemorySegment.copy(lockBody, ValueLayout.JAVA_BYTE, s + QueueLayout.DATA, data, 0, length);
        sink.deliver(new MessageQueue.Message(data, priority));
        SyncLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.FREE);
        SyncLayout.setIntPlain(lockBody, QueueLayout.HEAD, head + 1 == capacity ? 0 : head + 1);
        wakeOtherSideAfterUnlock(); // room for the senders
        return value;
    }

    /** {@inheritDoc} A message is ready. */
    @Override
    protected boolean available(long value) {
        return QueueLayout.ready(value) > 0;
    }

    /**
     * Fills free slot {@code i} and commits it (outside lock held; see the class comment).
     *
     * @param ready READY before this message
     */
    void fill(int i, long s, byte[] data, int priority, int ready) {
        MemorySegment.copy(data, 0, lockBody, ValueLayout.JAVA_BYTE, s + QueueLayout.DATA, data.length);
        SyncLayout.setIntPlain(lockBody, s + QueueLayout.LENGTH, data.length);
        SyncLayout.setIntPlain(lockBody, s + QueueLayout.PRIORITY, priority);
        long seq = SyncLayout.getLongPlain(lockBody, QueueLayout.NEXT_SEQ);
        SyncLayout.setLongPlain(lockBody, s + QueueLayout.SEQ, seq);
        SyncLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.READY); // the commit
        SyncLayout.setLongPlain(lockBody, QueueLayout.NEXT_SEQ, seq + 1);
        int head = SyncLayout.getIntPlain(lockBody, QueueLayout.HEAD);
        int pos = ready;
        // insert behind every entry of equal or higher priority; the common case (no entry of
        // lower priority) appends without moving anything
        while (pos > 0) {
            long prev = SyncLayout.getLongPlain(lockBody, orderAt(head, pos - 1));
            if ((int) (prev >>> 32) >= priority) {
                break;
            }
            SyncLayout.setLongPlain(lockBody, orderAt(head, pos), prev);
            pos--;
        }
        SyncLayout.setLongPlain(lockBody, orderAt(head, pos), ((long) priority << 32) | i);
    }

    private long orderAt(int head, int k) {
        int idx = head + k;
        if (idx >= capacity) {
            idx -= capacity;
        }
        return QueueLayout.ORDER + idx * 8L;
    }

    /** {@inheritDoc} Both sides' blocked waits. */
    @Override
    public int waiters() {
        return super.waiters() + send.waiters();
    }

    // ---- repair

    @Override
    protected long repairAfterDeadLocker(long value) {
        return rebuild(this);
    }

    /**
     * Rebuilds every derived word from the slots (outside lock held; see {@link QueueLayout}):
     * sorts the READY ones, counts the others as free; both sides are woken after the holder's
     * release.
     *
     * @param holder the side that holds the lock
     * @return the value matching the slots
     */
    long rebuild(SideProxy holder) {
        long[] keys = new long[capacity];
        long[] seqs = new long[capacity];
        int ready = 0;
        int free = 0;
        long maxSeq = -1;
        for (int i = 0; i < capacity; i++) {
            long s = slot(i);
            long ctl = SyncLayout.getLongAcquire(lockBody, s + QueueLayout.CTL);
            int state = (int) (ctl & QueueLayout.STATE_BITS);
            if (state == QueueLayout.READY) {
                long seq = SyncLayout.getLongPlain(lockBody, s + QueueLayout.SEQ);
                seqs[ready] = seq;
                keys[ready] = ((long) SyncLayout.getIntPlain(lockBody, s + QueueLayout.PRIORITY) << 32) | i;
                ready++;
                maxSeq = Math.max(maxSeq, seq);
            } else {
                if (ctl != QueueLayout.FREE) {
                    SyncLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.FREE); // not a state: damage
                }
                free++;
            }
        }
        Integer[] idx = new Integer[ready];
        for (int k = 0; k < ready; k++) {
            idx[k] = k;
        }
        long[] k2 = keys;
        long[] s2 = seqs;
        Arrays.sort(idx, (a, b) -> {
            int pa = (int) (k2[a] >>> 32);
            int pb = (int) (k2[b] >>> 32);
            return pa != pb ? Integer.compare(pb, pa) : Long.compare(s2[a], s2[b]);
        });
        for (int k = 0; k < ready; k++) {
            SyncLayout.setLongPlain(lockBody, QueueLayout.ORDER + k * 8L, keys[idx[k]]);
        }
        SyncLayout.setIntPlain(lockBody, QueueLayout.HEAD, 0);
        SyncLayout.setLongPlain(lockBody, QueueLayout.NEXT_SEQ,
                Math.max(SyncLayout.getLongPlain(lockBody, QueueLayout.NEXT_SEQ), maxSeq + 1));
        holder.wakeBothSidesAfterUnlock();
        return ready | ((long) free << QueueLayout.FREE_SHIFT);
    }

    @Override
    public String stateText() {
        return stateText(settledValue(), capacity);
    }

    /**
     * The state text of a queue: {@code "3/64 messages"}.
     *
     * @param value the value bits
     * @param capacity the capacity
     * @return the text
     */
    public static String stateText(long value, long capacity) {
        return QueueLayout.ready(value) + "/" + capacity + " messages";
    }

    // ---- send side

    /**
     * The send side: a sender acquires one FREE unit, which claims a slot for its ticket. It
     * shares the receive side's outside lock and value and waits on block S.
     */
    public static final class SendSide extends SideProxy {
        private final QueueProxy queue;

        SendSide(Mapping mapping, QueueProxy queue) {
            super(mapping, QueueLayout.SEND_BLOCK);
            this.queue = queue;
        }

        @Override
        protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
            if (QueueLayout.free(value) == 0) {
                return UNAVAILABLE;
            }
            if (!(op instanceof SendOp m)) {
                throw new IllegalStateException("a send to named queue " + mapping.name() + " without a message");
            }
            int cap = queue.capacity;
            int hint = SyncLayout.getIntPlain(lockBody, QueueLayout.FREE_HINT);
            if (hint < 0 || hint >= cap) {
                hint = 0;
            }
            for (int k = 0; k < cap; k++) {
                int i = hint + k < cap ? hint + k : hint + k - cap;
                if (SyncLayout.getLongAcquire(lockBody, queue.slot(i) + QueueLayout.CTL) == QueueLayout.FREE) {
                    m.slot = i;
                    return value - (1L << QueueLayout.FREE_SHIFT) + 1;
                }
            }
            // FREE counted a slot that is not free: the derived words disagree with the slots
            long fixed = queue.rebuild(this);
            if (QueueLayout.free(fixed) > 0) {
                return acquireFor(fixed, owner, arg, op);
            }
            replaceValueAtUnlock(fixed);
            return UNAVAILABLE;
        }

        /**
         * {@inheritDoc} Fills and commits the slot {@link #acquireFor} found (it changes nothing,
         * since the engine may discard its answer).
         */
        @Override
        protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
            value = super.acquired(value, owner, arg, op, wasQueued);
            SendOp m = (SendOp) op;
            int i = m.slot;
            queue.fill(i, queue.slot(i), m.data, m.priority, QueueLayout.ready(value) - 1);
            SyncLayout.setIntPlain(lockBody, QueueLayout.FREE_HINT, i + 1 == queue.capacity ? 0 : i + 1);
            wakeOtherSideAfterUnlock(); // a message for the receivers
            return value;
        }

        /** {@inheritDoc} A slot is free. */
        @Override
        protected boolean available(long value) {
            return QueueLayout.free(value) > 0;
        }

        @Override
        protected long repairAfterDeadLocker(long value) {
            return queue.rebuild(this);
        }

        @Override
        public String stateText() {
            return queue.stateText();
        }
    }
}
