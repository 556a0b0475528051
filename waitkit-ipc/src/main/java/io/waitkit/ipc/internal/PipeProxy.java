package io.waitkit.ipc.internal;

import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The proxy of a named pipe's read side, and the owner of its ring and ends (see
 * {@link PipeLayout}); {@link #writeSide()} is the proxy writers wait on. Both sides share the
 * outside lock and the value (USED, EOF, BROKEN) in block R; each has its own futex word, queue
 * and waiter count.
 *
 * <p><b>Reads</b> are acquisitions of the read side with a {@link ReadOp}: under the locks,
 * {@link #acquireFor} plans (in the op, changing nothing shared: the engine may discard its
 * answer) and {@link #acquired} copies up to the op's length from HEAD into its array and moves HEAD; on
 * an empty pipe at EOF it reports -1 and consumes nothing; on an empty pipe before EOF the op
 * waits. A {@linkplain ReadOp#peek() peek} (the {@code readable()} member) is acquired while
 * data or EOF is there and consumes nothing. After a read the writers of every process are
 * woken (their futex word is bumped once the outside lock is released).
 *
 * <p><b>Writes</b> are acquisitions of the write side with a {@link WriteOp}, one chunk at a
 * time: a write of at most {@link #ATOMIC} bytes (or the capacity, if smaller) waits until it
 * fits whole, so it is never interleaved with another writer's bytes; a longer one takes what
 * room there is, at most {@link #CHUNK} bytes per critical section, and waits again for the
 * rest. Bytes are copied past TAIL, then TAIL moves (one release store: they are committed).
 * Once every reader has closed or died, a write's acquisition reports BROKEN instead.
 *
 * <p><b>Ends.</b> Each process with open readers or writers has one entry per role in ENDS with
 * its count of open ends; {@link #openEnd}/{@link #closeEnd} change it under the locks. EOF and
 * BROKEN are recomputed from the entries and the liveness of their processes when an end opens
 * or closes, by waiters every {@code 10 ms} at most ({@link #periodicCheck}: an entry of a dead
 * process is removed), and after a takeover of the lock from a dead holder (which also
 * recomputes USED from the positions). A change of EOF or BROKEN wakes both sides in every
 * process.
 */
public final class PipeProxy extends SideProxy {
    /** Writes up to this many bytes (or the capacity) are never interleaved with others. */
    public static final int ATOMIC = 4096;
    /** The most bytes one critical section copies. */
    static final int CHUNK = 1 << 16;

    /** A read, or a peek (a wait for data or EOF that consumes nothing). */
    public static final class ReadOp extends WaitOperation implements io.waitkit.Waitable {
        private final WaitObject target;
        private final byte[] b;
        private final int off;
        private final int len;
        private final AtomicBoolean endClosed;
        /** Bytes read, -1 at EOF, {@link #CLOSED} if its end was closed; set under the locks. */
        private volatile int n;

        ReadOp(WaitObject target, byte[] b, int off, int len, AtomicBoolean endClosed) {
            this.target = target;
            this.b = b;
            this.off = off;
            this.len = len;
            this.endClosed = endClosed;
        }

        @Override
        protected WaitObject target() {
            return target;
        }

        /**
         * Whether this is a peek.
         *
         * @return true for a peek
         */
        public boolean peek() {
            return b == null;
        }

        /**
         * Describes the op.
         *
         * @return for example {@code NamedPipe.readable[log]}
         */
        @Override
        public String toString() {
            return (peek() ? "NamedPipe.readable[" : "NamedPipe.read[") + ((NamedProxy) target).mapping().name() + "]";
        }

        /**
         * What the read got.
         *
         * @return bytes read, or -1 at EOF
         */
        public int n() {
            return n;
        }
    }

    /** What {@link ReadOp#n()} is when the read's own end was closed while it waited. */
    public static final int CLOSED = -2;
    private static final int PLAN_CLOSED = -1;
    private static final int PLAN_BROKEN = -2;

    /** One write call's progress. */
    public static final class WriteOp extends WaitOperation {
        private final WaitObject target;
        private final byte[] b;
        private final int off;
        private final int len;
        private final AtomicBoolean endClosed;
        private volatile int done;
        private volatile boolean broken;
        private volatile boolean closed;
        /** What the last {@code acquireFor} decided; scratch, used under the locks only. */
        private int plan;

        WriteOp(WaitObject target, byte[] b, int off, int len, AtomicBoolean endClosed) {
            this.target = target;
            this.b = b;
            this.off = off;
            this.len = len;
            this.endClosed = endClosed;
        }

        /**
         * Whether the write's own end was closed while it waited.
         *
         * @return true if closed
         */
        public boolean closed() {
            return closed;
        }

        @Override
        protected WaitObject target() {
            return target;
        }

        /**
         * Bytes written so far.
         *
         * @return the count
         */
        public int done() {
            return done;
        }

        /**
         * Whether the write found every reader gone.
         *
         * @return true if broken
         */
        public boolean broken() {
            return broken;
        }
    }

    private final int capacity;
    private final WriteSide write;
    /** When waiters last checked the ends (nanoTime), guarded by the outside lock. */
    private long lastCheck;

    /**
     * Creates the proxy of a mapped pipe file.
     *
     * @param mapping the file
     */
    public PipeProxy(Mapping mapping) {
        super(mapping, 0);
        this.capacity = (int) mapping.header().param0();
        this.write = new WriteSide(mapping, this);
        pair(this, write);
    }

    /**
     * The capacity fixed at creation.
     *
     * @return bytes
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The proxy writers wait on.
     *
     * @return the write side
     */
    public WriteSide writeSide() {
        return write;
    }

    /**
     * A new read of up to {@code len} bytes into {@code b} at {@code off}.
     *
     * @param b the array
     * @param off the offset
     * @param len at least 1
     * @param endClosed the closed flag of the reader making it
     * @return the op
     */
    public ReadOp newRead(byte[] b, int off, int len, AtomicBoolean endClosed) {
        return new ReadOp(this, b, off, len, endClosed);
    }

    /**
     * A new peek: a wait member available while data or EOF is there.
     *
     * @return the op
     */
    public ReadOp newPeek() {
        return new ReadOp(this, null, 0, 0, null);
    }

    /**
     * A new write of {@code len} bytes from {@code b} at {@code off}.
     *
     * @param b the array
     * @param off the offset
     * @param len the length
     * @param endClosed the closed flag of the writer making it
     * @return the op
     */
    public WriteOp newWrite(byte[] b, int off, int len, AtomicBoolean endClosed) {
        return new WriteOp(write, b, off, len, endClosed);
    }

    /**
     * After an end of this JVM was closed: serves the queue of its side, so that a transfer
     * blocked on that end completes at once (and fails) instead of staying blocked.
     *
     * @param writer the side of the closed end
     */
    public void kick(boolean writer) {
        if (writer) {
            write.kickQueue();
        } else {
            kickQueue();
        }
    }

    /**
     * The bytes buffered, a snapshot.
     *
     * @return the count
     */
    public int used() {
        return (int) (settledValue() & PipeLayout.USED_BITS);
    }

    /** {@inheritDoc} Both sides' blocked waits. */
    @Override
    public int waiters() {
        return super.waiters() + write.waiters();
    }

    // ---- read side

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (!(op instanceof ReadOp r)) {
            throw new IllegalStateException("a wait on named pipe " + mapping.name() + " without a read");
        }
        if (r.endClosed != null && r.endClosed.get()) {
            r.n = CLOSED;
            return value;
        }
        long used = value & PipeLayout.USED_BITS;
        boolean eof = (value & PipeLayout.EOF) != 0;
        if (r.peek()) {
            return used > 0 || eof ? value : UNAVAILABLE;
        }
        if (used == 0) {
            if (eof) {
                r.n = -1;
                return value;
            }
            return UNAVAILABLE;
        }
        int n = (int) Math.min(used, r.len);
        r.n = n; // the plan; acquired() carries it out
        return value - n;
    }

    /**
     * {@inheritDoc} Carries out what {@link #acquireFor} planned in the op (it changes nothing
     * shared, since the engine may discard its answer): copies the bytes and moves HEAD.
     */
    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        value = super.acquired(value, owner, arg, op, wasQueued);
        ReadOp r = (ReadOp) op;
        int n = r.n;
        if (r.peek() || n <= 0) {
            return value; // a peek, EOF, or a closed reader: nothing moves
        }
        long head = SyncLayout.getLongPlain(lockBody, PipeLayout.HEAD);
        int at = (int) Long.remainderUnsigned(head, capacity);
        int first = Math.min(n, capacity - at);
        MemorySegment.copy(lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA + at, r.b, r.off, first);
        if (first < n) {
            MemorySegment.copy(lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA, r.b, r.off + first, n - first);
        }
        SyncLayout.setLongRelease(lockBody, PipeLayout.HEAD, head + n);
        wakeOtherSideAfterUnlock(); // room for the writers
        return value;
    }

    /** {@inheritDoc} Data or EOF. */
    @Override
    protected boolean available(long value) {
        return (value & PipeLayout.USED_BITS) > 0 || (value & PipeLayout.EOF) != 0;
    }

    /** {@inheritDoc} A read of a closed reader. */
    @Override
    protected boolean completesAtOnce(WaitOperation op) {
        return op instanceof ReadOp r && r.endClosed != null && r.endClosed.get();
    }

    @Override
    protected boolean needsPeriodicCheck() {
        return true;
    }

    /** {@inheritDoc} Readers of an empty pipe check whether its last writer died. */
    @Override
    protected void periodicCheck() {
        if ((SyncLayout.peekValue(lockBody) & PipeLayout.EOF) == 0) {
            recheck(v -> checkDue() ? recompute(v, false, this) : v);
        }
    }

    @Override
    protected long repairAfterDeadLocker(long value) {
        return recompute(value, true, this);
    }

    /** Whether waiters may check the ends again (at most every 10 ms); outside lock held. */
    boolean checkDue() {
        long now = System.nanoTime();
        if (now - lastCheck > 10_000_000L) {
            lastCheck = now;
            return true;
        }
        return false;
    }

    /**
     * Recomputes the value from the truth (outside lock held): removes entries of dead
     * processes, derives EOF and BROKEN and, when {@code positions}, USED; a change of EOF or
     * BROKEN wakes both sides after {@code holder}'s release.
     */
    long recompute(long value, boolean positions, SideProxy holder) {
        int readers = 0;
        int writers = 0;
        ProcessIdentity self = ProcessIdentity.self();
        for (int e = 0; e < PipeLayout.END_COUNT; e++) {
            long at = PipeLayout.ENDS + e * PipeLayout.END_SIZE;
            long w = SyncLayout.getLongAcquire(lockBody, at);
            if (w == 0) {
                continue;
            }
            long pid = (w >>> 32) & 0x7FFF_FFFFL;
            long start = SyncLayout.getLongPlain(lockBody, at + 8);
            boolean mine = pid == self.pid() && start == self.startTime();
            if (!mine && !ProcessIdentity.isAlive(pid, start)) {
                SyncLayout.setLongRelease(lockBody, at, 0L);
                continue;
            }
            if ((w & 3) == PipeLayout.READER) {
                readers++;
            } else if ((w & 3) == PipeLayout.WRITER) {
                writers++;
            }
        }
        int seen = SyncLayout.getIntPlain(lockBody, PipeLayout.SEEN);
        long used = value & PipeLayout.USED_BITS;
        if (positions) {
            long head = SyncLayout.getLongPlain(lockBody, PipeLayout.HEAD);
            long tail = SyncLayout.getLongPlain(lockBody, PipeLayout.TAIL);
            used = Math.max(0, Math.min(capacity, tail - head));
            SyncLayout.setLongRelease(lockBody, PipeLayout.TAIL, head + used);
        }
        long v = used;
        if ((seen & PipeLayout.SEEN_WRITER) != 0 && writers == 0) {
            v |= PipeLayout.EOF;
        }
        if ((seen & PipeLayout.SEEN_READER) != 0 && readers == 0) {
            v |= PipeLayout.BROKEN;
        }
        if ((v & (PipeLayout.EOF | PipeLayout.BROKEN)) != (value & (PipeLayout.EOF | PipeLayout.BROKEN)) || positions) {
            holder.wakeBothSidesAfterUnlock();
        }
        return v;
    }

    /**
     * Registers one open end of this process.
     *
     * @param writer true for a writer, false for a reader
     * @throws IOException if 64 processes already have ends of this pipe open
     */
    public void openEnd(boolean writer) throws IOException {
        changeEnd(writer, +1);
    }

    /**
     * Unregisters one open end of this process.
     *
     * @param writer true for a writer, false for a reader
     */
    public void closeEnd(boolean writer) {
        try {
            changeEnd(writer, -1);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void changeEnd(boolean writer, int delta) throws IOException {
        int role = writer ? PipeLayout.WRITER : PipeLayout.READER;
        ProcessIdentity self = ProcessIdentity.self();
        long v = lockForSignal();
        try {
            long found = -1;
            long unused = -1;
            for (int e = 0; e < PipeLayout.END_COUNT; e++) {
                long at = PipeLayout.ENDS + e * PipeLayout.END_SIZE;
                long w = SyncLayout.getLongAcquire(lockBody, at);
                if (w == 0) {
                    unused = unused < 0 ? at : unused;
                } else if (((w >>> 32) & 0x7FFF_FFFFL) == self.pid() && (w & 3) == role
                        && SyncLayout.getLongPlain(lockBody, at + 8) == self.startTime()) {
                    found = at;
                    break;
                }
            }
            if (found >= 0) {
                long w = SyncLayout.getLongPlain(lockBody, found);
                long count = ((w >>> 8) & 0xFFFF) + delta;
                SyncLayout.setLongRelease(lockBody, found, count <= 0 ? 0L : (w & ~(0xFFFFL << 8)) | (count << 8));
            } else if (delta > 0) {
                if (unused < 0) {
                    v = recompute(v, false, this); // entries of dead processes free their places
                    for (int e = 0; e < PipeLayout.END_COUNT && unused < 0; e++) {
                        long at = PipeLayout.ENDS + e * PipeLayout.END_SIZE;
                        if (SyncLayout.getLongAcquire(lockBody, at) == 0) {
                            unused = at;
                        }
                    }
                    if (unused < 0) {
                        throw new IOException("named pipe " + mapping.name() + " has ends open in " + PipeLayout.END_COUNT
                                + " processes, the most it records");
                    }
                }
                SyncLayout.setLongRelease(lockBody, unused + 8, self.startTime());
                SyncLayout.setLongRelease(lockBody, unused, (self.pid() << 32) | (1L << 8) | role);
                int seen = SyncLayout.getIntPlain(lockBody, PipeLayout.SEEN);
                SyncLayout.setIntVolatile(lockBody, PipeLayout.SEEN, seen | (writer ? PipeLayout.SEEN_WRITER : PipeLayout.SEEN_READER));
            }
            v = wake(recompute(v, false, this));
        } finally {
            unlockAfterSignal(v);
        }
    }

    @Override
    public String stateText() {
        return stateText(settledValue(), capacity);
    }

    /**
     * The state text of a pipe: {@code "12/4096 bytes"}, with {@code ", EOF"} or
     * {@code ", broken"} when so.
     *
     * @param value the value bits
     * @param capacity the capacity
     * @return the text
     */
    public static String stateText(long value, long capacity) {
        return (value & PipeLayout.USED_BITS) + "/" + capacity + " bytes"
                + ((value & PipeLayout.EOF) != 0 ? ", EOF" : "") + ((value & PipeLayout.BROKEN) != 0 ? ", broken" : "");
    }

    // ---- write side

    /** The write side: a writer acquires room for one chunk; it waits on block W. */
    public static final class WriteSide extends SideProxy {
        private final PipeProxy pipe;

        WriteSide(Mapping mapping, PipeProxy pipe) {
            super(mapping, PipeLayout.WRITE_BLOCK);
            this.pipe = pipe;
        }

        @Override
        protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
            if (!(op instanceof WriteOp w)) {
                throw new IllegalStateException("a wait on named pipe " + mapping.name() + " without a write");
            }
            if (w.endClosed != null && w.endClosed.get()) {
                w.plan = PLAN_CLOSED;
                return value;
            }
            if ((value & PipeLayout.BROKEN) != 0) {
                w.plan = PLAN_BROKEN;
                return value;
            }
            int cap = pipe.capacity;
            long used = value & PipeLayout.USED_BITS;
            long room = cap - used;
            int remaining = w.len - w.done;
            int need = remaining <= Math.min(cap, ATOMIC) ? remaining : 1;
            if (remaining == 0) {
                w.plan = 0;
                return value;
            }
            if (room < need) {
                return UNAVAILABLE;
            }
            int n = (int) Math.min(Math.min(room, remaining), CHUNK);
            w.plan = n;
            return value + n;
        }

        /**
         * {@inheritDoc} Carries out what {@link #acquireFor} planned in the op (it changes
         * nothing shared, since the engine may discard its answer): copies the bytes past TAIL
         * and moves TAIL (the commit), or records that the write found its end closed or the
         * pipe broken.
         */
        @Override
        protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
            value = super.acquired(value, owner, arg, op, wasQueued);
            WriteOp w = (WriteOp) op;
            int n = w.plan;
            if (n == PLAN_CLOSED) {
                w.closed = true;
                return value;
            }
            if (n == PLAN_BROKEN) {
                w.broken = true;
                return value;
            }
            if (n == 0) {
                return value;
            }
            int cap = pipe.capacity;
            long tail = SyncLayout.getLongPlain(lockBody, PipeLayout.TAIL);
            int at = (int) Long.remainderUnsigned(tail, cap);
            int first = Math.min(n, cap - at);
            MemorySegment.copy(w.b, w.off + w.done, lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA + at, first);
            if (first < n) {
                MemorySegment.copy(w.b, w.off + w.done + first, lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA, n - first);
            }
            SyncLayout.setLongRelease(lockBody, PipeLayout.TAIL, tail + n);
            w.done += n;
            wakeOtherSideAfterUnlock(); // data for the readers
            return value;
        }

        /** {@inheritDoc} Room, or every reader gone. */
        @Override
        protected boolean available(long value) {
            return (value & PipeLayout.BROKEN) != 0 || (value & PipeLayout.USED_BITS) < pipe.capacity;
        }

        /** {@inheritDoc} A write of a closed writer. */
        @Override
        protected boolean completesAtOnce(WaitOperation op) {
            return op instanceof WriteOp o && o.endClosed != null && o.endClosed.get();
        }

        @Override
        protected boolean needsPeriodicCheck() {
            return true;
        }

        /** {@inheritDoc} Writers of a full pipe check whether its last reader died. */
        @Override
        protected void periodicCheck() {
            if ((SyncLayout.peekValue(lockBody) & PipeLayout.BROKEN) == 0) {
                recheck(v -> pipe.checkDue() ? pipe.recompute(v, false, this) : v);
            }
        }

        @Override
        protected long repairAfterDeadLocker(long value) {
            return pipe.recompute(value, true, this);
        }

        @Override
        public String stateText() {
            return pipe.stateText();
        }
    }
}
