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
 * <p><b>A send</b> is three steps. (1) The sender acquires one FREE unit on the send side: under
 * the locks, {@link SendSide#acquireFor} claims a free slot (CTL FREE to WRITING with the
 * sender's pid and start time, FREE minus 1) for the waiter's {@link SendTicket}. (2) Without
 * any lock, the sender writes the message, its length and priority into the slot. (3)
 * {@link #commit} takes the receive side's locks, gives the slot the next sequence number,
 * publishes it (CTL WRITING to READY, a release store), inserts its entry in ORDER behind every
 * entry of equal or higher priority, adds 1 to READY, serves this JVM's queued receivers and
 * wakes the other processes' receivers if a message is still ready.
 *
 * <p><b>A receive</b> acquires one READY unit: under the locks, {@link #acquireFor} copies the
 * best message (ORDER[HEAD]) into the waiter's {@link MessageSink}, frees its slot (READY to
 * FREE), advances HEAD, moves one unit from READY to FREE and, after the outside lock is
 * released, bumps the send side's futex word so that senders of every process see the room.
 *
 * <p><b>Crashes.</b> The value is only published by the outside lock's release store, and the
 * other words written under the lock are rebuilt from the slots by whoever takes the lock over
 * from a dead holder ({@link #repairAfterDeadLocker}): READY slots sorted by priority (highest
 * first) and sequence number (lowest first), the counts recounted, slots WRITING for a dead
 * process freed. A message is committed exactly when its CTL becomes READY: a sender killed
 * before that leaves a WRITING slot and no visible message (its send did not return); killed
 * after, the message is delivered once. A sender killed between the claim and the commit, out of
 * any critical section, leaves a slot WRITING for a dead process: the send side reclaims such
 * slots when senders find the queue full ({@link SendSide#periodicCheck}, within a slice of the
 * senders' sleep, 50 ms), and every rebuild does. A receiver killed inside its critical section
 * either removed the message (the CTL store happened: the message dies with the receiver, as
 * one that returned from {@code receive} and then died) or did not (it stays READY). No
 * message is ever half visible: a receiver only reads READY slots, whose contents were written
 * before the release store that made them READY.
 */
public final class QueueProxy extends NamedProxy {
    /** Where a receive acquisition puts the message it takes. */
    public interface MessageSink {
        /**
         * Takes the message (under the queue's locks: store it, nothing else).
         *
         * @param message the message
         */
        void deliver(MessageQueue.Message message);
    }

    /** The slot a send acquisition claimed for the waiter, set under the locks. */
    public static final class SendTicket extends WaitOperation {
        private final SendSide side;
        /** The claimed slot, -1 before the claim. */
        volatile int slot = -1;

        SendTicket(SendSide side) {
            this.side = side;
        }

        @Override
        protected io.waitkit.internal.WaitObject target() {
            return side;
        }

        /**
         * The slot claimed for this send.
         *
         * @return the slot index, or -1 if none was claimed
         */
        public int slot() {
            return slot;
        }
    }

    private final int capacity;
    private final int maxMessageSize;
    private final long slotSize;
    private final long slots;
    private final SendSide send;
    /** Set under the outside lock by a removal; read and cleared by the same holder before it unlocks. */
    private boolean roomMade;
    /** Set by a rebuild; both sides are woken after the unlock. */
    private boolean rebuilt;

    /**
     * Creates the proxy of a mapped queue file.
     *
     * @param mapping the file
     */
    public QueueProxy(Mapping mapping) {
        super(mapping, 0, 0);
        this.capacity = (int) mapping.header().param0();
        this.maxMessageSize = (int) mapping.header().param1();
        this.slotSize = QueueLayout.slotSize(maxMessageSize);
        this.slots = QueueLayout.slotsOffset(capacity);
        this.send = new SendSide(mapping, this);
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
     * A new ticket for one send.
     *
     * @return the ticket
     */
    public SendTicket newTicket() {
        return new SendTicket(send);
    }

    /**
     * The messages that can be received, a snapshot.
     *
     * @return the count
     */
    public int size() {
        return QueueLayout.ready(SyncLayout.peekValue(lockBody));
    }

    private long slot(int i) {
        return slots + i * slotSize;
    }

    // ---- receive side

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        int ready = QueueLayout.ready(value);
        if (ready == 0) {
            return UNAVAILABLE;
        }
        if (!(op instanceof MessageSink sink)) {
            throw new IllegalStateException("a receive from named queue " + mapping.name() + " without a place for the message");
        }
        int head = QueueLayout.getIntPlain(lockBody, QueueLayout.HEAD);
        long entry = QueueLayout.getLongPlain(lockBody, QueueLayout.ORDER + head * 8L);
        int i = (int) entry;
        long s = slot(i);
        int length = QueueLayout.getIntPlain(lockBody, s + QueueLayout.LENGTH);
        int priority = QueueLayout.getIntPlain(lockBody, s + QueueLayout.PRIORITY);
        if (length < 0 || length > maxMessageSize) {
            length = Math.max(0, Math.min(length, maxMessageSize)); // never read outside the slot
        }
        byte[] data = new byte[length];
        MemorySegment.copy(lockBody, ValueLayout.JAVA_BYTE, s + QueueLayout.DATA, data, 0, length);
        sink.deliver(new MessageQueue.Message(data, priority));
        QueueLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.FREE);
        QueueLayout.setIntPlain(lockBody, QueueLayout.HEAD, head + 1 == capacity ? 0 : head + 1);
        roomMade = true;
        return value - 1 + (1L << QueueLayout.FREE_SHIFT);
    }

    @Override
    protected boolean mayWake(long value) {
        return QueueLayout.ready(value) > 0;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        long w = SyncLayout.getLongVolatile(lockBody, SyncLayout.STATE);
        return !SyncLayout.isLocked(w) && QueueLayout.ready(w) == 0 ? POLL_FAILED : POLL_CONTENDED;
    }

    /** {@inheritDoc} Yes: an empty queue is one read of STATE. */
    @Override
    protected boolean lockFreePoll() {
        return true;
    }

    /** After-unlock flag: wake the senders. */
    static final int WAKE_SENDERS = 1;
    /** After-unlock flag: wake the receivers. */
    static final int WAKE_RECEIVERS = 2;

    @Override
    protected int beforeUnlockOutside() {
        int flags = (roomMade ? WAKE_SENDERS : 0) | (rebuilt ? WAKE_SENDERS | WAKE_RECEIVERS : 0);
        roomMade = false;
        rebuilt = false;
        return flags;
    }

    @Override
    protected void afterUnlockOutside(int flags) {
        if ((flags & WAKE_SENDERS) != 0) {
            send.wakeOthers();
        }
        if ((flags & WAKE_RECEIVERS) != 0) {
            wakeOthers();
        }
    }

    /**
     * Commits a written slot (see the class comment, step 3).
     *
     * @param i the slot, claimed by the caller's ticket and written
     * @param priority the message's priority (already in the slot)
     */
    public void commit(int i, int priority) {
        long v = lockForSignal();
        try {
            long s = slot(i);
            long seq = QueueLayout.getLongPlain(lockBody, QueueLayout.NEXT_SEQ);
            QueueLayout.setLongPlain(lockBody, s + QueueLayout.SEQ, seq);
            QueueLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.READY);
            QueueLayout.setLongPlain(lockBody, QueueLayout.NEXT_SEQ, seq + 1);
            int ready = QueueLayout.ready(v);
            int head = QueueLayout.getIntPlain(lockBody, QueueLayout.HEAD);
            int pos = ready;
            // insert behind every entry of equal or higher priority; the common case (no entry of
            // lower priority) appends without moving anything
            while (pos > 0) {
                long prev = QueueLayout.getLongPlain(lockBody, orderAt(head, pos - 1));
                if ((int) (prev >>> 32) >= priority) {
                    break;
                }
                QueueLayout.setLongPlain(lockBody, orderAt(head, pos), prev);
                pos--;
            }
            QueueLayout.setLongPlain(lockBody, orderAt(head, pos), ((long) priority << 32) | i);
            v = wake(v + 1);
        } finally {
            unlockAfterSignal(v);
        }
        if (QueueLayout.ready(v) > 0 || hasDirectSleepers()) {
            wakeOthers();
        }
    }

    private long orderAt(int head, int k) {
        int idx = head + k;
        if (idx >= capacity) {
            idx -= capacity;
        }
        return QueueLayout.ORDER + idx * 8L;
    }

    /**
     * Gives back a claimed slot whose message will not be sent (the sender failed between the
     * claim and the commit).
     *
     * @param i the slot
     */
    public void abandon(int i) {
        send.giveBack(i);
    }

    /**
     * Writes a message into a claimed slot (no lock: the slot is the caller's until it commits).
     *
     * @param i the slot
     * @param data the message, at most the largest size
     * @param priority its priority
     */
    public void write(int i, byte[] data, int priority) {
        long s = slot(i);
        MemorySegment.copy(data, 0, lockBody, ValueLayout.JAVA_BYTE, s + QueueLayout.DATA, data.length);
        QueueLayout.setIntPlain(lockBody, s + QueueLayout.LENGTH, data.length);
        QueueLayout.setIntPlain(lockBody, s + QueueLayout.PRIORITY, priority);
    }

    /** {@inheritDoc} Both sides' blocked waits. */
    @Override
    public int waiters() {
        return super.waiters() + send.waiters();
    }

    // ---- repair

    @Override
    protected long repairAfterDeadLocker(long value) {
        return rebuild();
    }

    /**
     * Rebuilds every derived word from the slots (outside lock held; see {@link QueueLayout}):
     * frees slots WRITING for dead processes, sorts the READY ones, recounts.
     *
     * @return the value matching the slots
     */
    long rebuild() {
        long[] keys = new long[capacity];
        long[] seqs = new long[capacity];
        int ready = 0;
        int free = 0;
        long maxSeq = -1;
        for (int i = 0; i < capacity; i++) {
            long s = slot(i);
            long ctl = QueueLayout.getLongAcquire(lockBody, s + QueueLayout.CTL);
            int state = (int) (ctl & QueueLayout.STATE_BITS);
            if (state == QueueLayout.READY) {
                long seq = QueueLayout.getLongPlain(lockBody, s + QueueLayout.SEQ);
                seqs[ready] = seq;
                keys[ready] = ((long) QueueLayout.getIntPlain(lockBody, s + QueueLayout.PRIORITY) << 32) | i;
                ready++;
                maxSeq = Math.max(maxSeq, seq);
            } else if (state == QueueLayout.WRITING && writerDead(ctl, s)) {
                QueueLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.FREE);
                free++;
            } else if (state == QueueLayout.FREE) {
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
            QueueLayout.setLongPlain(lockBody, QueueLayout.ORDER + k * 8L, keys[idx[k]]);
        }
        QueueLayout.setIntPlain(lockBody, QueueLayout.HEAD, 0);
        QueueLayout.setLongPlain(lockBody, QueueLayout.NEXT_SEQ,
                Math.max(QueueLayout.getLongPlain(lockBody, QueueLayout.NEXT_SEQ), maxSeq + 1));
        rebuilt = true;
        send.rebuilt = true;
        return ready | ((long) free << QueueLayout.FREE_SHIFT);
    }

    private boolean writerDead(long ctl, long s) {
        long pid = (ctl >>> 32) & 0x7FFF_FFFFL;
        long start = QueueLayout.getLongPlain(lockBody, s + QueueLayout.WRITER_START);
        if (pid == ProcessIdentity.self().pid() && start == ProcessIdentity.self().startTime()) {
            return false;
        }
        return !ProcessIdentity.isAlive(pid, start);
    }

    @Override
    public String stateText() {
        long v = SyncLayout.peekValue(lockBody);
        return stateText(v, capacity);
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
    public static final class SendSide extends NamedProxy {
        private final QueueProxy queue;
        /** Set by a rebuild made while this side held the lock. */
        boolean rebuilt;
        /** When senders last scanned for slots of dead writers (nanoTime), guarded by the outside lock. */
        private long lastReclaim;

        SendSide(Mapping mapping, QueueProxy queue) {
            super(mapping, 0, QueueLayout.SEND_BLOCK);
            this.queue = queue;
        }

        @Override
        protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
            if (QueueLayout.free(value) == 0) {
                return UNAVAILABLE;
            }
            if (!(op instanceof SendTicket t)) {
                throw new IllegalStateException("a send to named queue " + mapping.name() + " without a ticket");
            }
            int cap = queue.capacity;
            int hint = QueueLayout.getIntPlain(lockBody, QueueLayout.FREE_HINT);
            if (hint < 0 || hint >= cap) {
                hint = 0;
            }
            ProcessIdentity self = ProcessIdentity.self();
            for (int k = 0; k < cap; k++) {
                int i = hint + k < cap ? hint + k : hint + k - cap;
                long s = queue.slot(i);
                if ((QueueLayout.getLongAcquire(lockBody, s + QueueLayout.CTL) & QueueLayout.STATE_BITS) == QueueLayout.FREE) {
                    QueueLayout.setLongPlain(lockBody, s + QueueLayout.WRITER_START, self.startTime());
                    QueueLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.WRITING | (self.pid() << 32));
                    QueueLayout.setIntPlain(lockBody, QueueLayout.FREE_HINT, i + 1 == cap ? 0 : i + 1);
                    t.slot = i;
                    return value - (1L << QueueLayout.FREE_SHIFT);
                }
            }
            // FREE counted a slot that is not free: the derived words disagree with the slots
            long fixed = queue.rebuild();
            return QueueLayout.free(fixed) > 0 ? acquireFor(fixed, owner, arg, op) : UNAVAILABLE;
        }

        @Override
        protected boolean mayWake(long value) {
            return QueueLayout.free(value) > 0;
        }

        @Override
        protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
            long w = SyncLayout.getLongVolatile(lockBody, SyncLayout.STATE);
            return !SyncLayout.isLocked(w) && QueueLayout.free(w) == 0 ? POLL_FAILED : POLL_CONTENDED;
        }

        /** {@inheritDoc} Yes: a full queue is one read of STATE. */
        @Override
        protected boolean lockFreePoll() {
            return true;
        }

        @Override
        protected long repairAfterDeadLocker(long value) {
            return queue.rebuild();
        }

        @Override
        protected int beforeUnlockOutside() {
            int flags = rebuilt ? WAKE_SENDERS | WAKE_RECEIVERS : 0;
            rebuilt = false;
            return flags;
        }

        @Override
        protected void afterUnlockOutside(int flags) {
            wakeOthers();
            queue.wakeOthers();
        }

        /** {@inheritDoc} Senders of a full queue look for slots left WRITING by dead processes. */
        @Override
        protected boolean needsPeriodicCheck() {
            return true;
        }

        /**
         * {@inheritDoc} Frees the slots WRITING for dead processes while the queue is full (at
         * most every 10 ms per JVM), then serves this JVM's senders and wakes the others'.
         */
        @Override
        protected void periodicCheck() {
            if (QueueLayout.free(SyncLayout.peekValue(lockBody)) != 0) {
                return;
            }
            long v = lockForSignal();
            int reclaimed = 0;
            try {
                long now = System.nanoTime();
                if (QueueLayout.free(v) == 0 && now - lastReclaim > 10_000_000L) {
                    lastReclaim = now;
                    for (int i = 0; i < queue.capacity; i++) {
                        long s = queue.slot(i);
                        long ctl = QueueLayout.getLongAcquire(lockBody, s + QueueLayout.CTL);
                        if ((ctl & QueueLayout.STATE_BITS) == QueueLayout.WRITING && queue.writerDead(ctl, s)) {
                            QueueLayout.setLongRelease(lockBody, s + QueueLayout.CTL, QueueLayout.FREE);
                            reclaimed++;
                        }
                    }
                    v += (long) reclaimed << QueueLayout.FREE_SHIFT;
                    v = wake(v);
                }
            } finally {
                unlockAfterSignal(v);
            }
            if (reclaimed > 0) {
                wakeOthers();
            }
        }

        /** Frees a claimed slot that will not be committed. */
        void giveBack(int i) {
            long v = lockForSignal();
            try {
                QueueLayout.setLongRelease(lockBody, queue.slot(i) + QueueLayout.CTL, QueueLayout.FREE);
                v = wake(v + (1L << QueueLayout.FREE_SHIFT));
            } finally {
                unlockAfterSignal(v);
            }
            if (QueueLayout.free(v) > 0 || hasDirectSleepers()) {
                wakeOthers();
            }
        }

        /**
         * The free slots, a snapshot.
         *
         * @return the count
         */
        public int free() {
            return QueueLayout.free(SyncLayout.peekValue(lockBody));
        }

        @Override
        public String stateText() {
            return queue.stateText();
        }
    }
}
