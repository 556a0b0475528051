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
 * {@link #acquireFor} copies up to the op's length from HEAD into its array and moves HEAD; on
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
public final class PipeProxy extends NamedProxy {
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
    /** Set under the outside lock by a read; read and cleared by the same holder before it unlocks. */
    private boolean roomMade;
    /** Set under the outside lock when EOF or BROKEN changed: both sides are woken after the unlock. */
    private boolean flagsChanged;
    /** When waiters last checked the ends (nanoTime), guarded by the outside lock. */
    private long lastCheck;

    static final int WAKE_READERS = 1;
    static final int WAKE_WRITERS = 2;

    /**
     * Creates the proxy of a mapped pipe file.
     *
     * @param mapping the file
     */
    public PipeProxy(Mapping mapping) {
        super(mapping, 0, 0);
        this.capacity = (int) mapping.header().param0();
        this.write = new WriteSide(mapping, this);
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

    /** See {@link #kick}; guarded by the local lock. */
    private boolean kicking;

    private void kickQueue() {
        long v = lockForSignal();
        try {
            kicking = true;
            v = wake(v);
        } finally {
            kicking = false;
            unlockAfterSignal(v);
        }
    }

    /**
     * The bytes buffered, a snapshot.
     *
     * @return the count
     */
    public int used() {
        return (int) (SyncLayout.peekValue(lockBody) & PipeLayout.USED_BITS);
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
        long head = PipeLayout.getLongPlain(lockBody, PipeLayout.HEAD);
        int at = (int) Long.remainderUnsigned(head, capacity);
        int first = Math.min(n, capacity - at);
        MemorySegment.copy(lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA + at, r.b, r.off, first);
        if (first < n) {
            MemorySegment.copy(lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA, r.b, r.off + first, n - first);
        }
        PipeLayout.setLongRelease(lockBody, PipeLayout.HEAD, head + n);
        r.n = n;
        roomMade = true;
        return value - n;
    }

    @Override
    protected boolean mayWake(long value) {
        return kicking || readable(value);
    }

    private static boolean readable(long value) {
        return (value & PipeLayout.USED_BITS) > 0 || (value & PipeLayout.EOF) != 0;
    }

    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        long w = SyncLayout.getLongVolatile(lockBody, SyncLayout.STATE);
        return !SyncLayout.isLocked(w) && !readable(w & SyncLayout.VALUE_BITS)
                && !(op instanceof ReadOp r && r.endClosed != null && r.endClosed.get()) ? POLL_FAILED : POLL_CONTENDED;
    }

    /** {@inheritDoc} Yes: an empty pipe is one read of STATE. */
    @Override
    protected boolean lockFreePoll() {
        return true;
    }

    @Override
    protected int beforeUnlockOutside() {
        int flags = (roomMade ? WAKE_WRITERS : 0) | (flagsChanged ? WAKE_READERS | WAKE_WRITERS : 0);
        roomMade = false;
        flagsChanged = false;
        return flags;
    }

    @Override
    protected void afterUnlockOutside(int flags) {
        if ((flags & WAKE_WRITERS) != 0) {
            write.wakeOthers();
        }
        if ((flags & WAKE_READERS) != 0) {
            wakeOthers();
        }
    }

    @Override
    protected boolean needsPeriodicCheck() {
        return true;
    }

    /** {@inheritDoc} Readers of an empty pipe check whether its last writer died. */
    @Override
    protected void periodicCheck() {
        if ((SyncLayout.peekValue(lockBody) & PipeLayout.EOF) != 0) {
            return;
        }
        long v = lockForSignal();
        try {
            if (checkDue()) {
                v = wake(recompute(v, false));
            }
        } finally {
            unlockAfterSignal(v);
        }
    }

    @Override
    protected long repairAfterDeadLocker(long value) {
        return recompute(value, true);
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
     * processes, derives EOF and BROKEN and, when {@code positions}, USED.
     */
    long recompute(long value, boolean positions) {
        int readers = 0;
        int writers = 0;
        ProcessIdentity self = ProcessIdentity.self();
        for (int e = 0; e < PipeLayout.END_COUNT; e++) {
            long at = PipeLayout.ENDS + e * PipeLayout.END_SIZE;
            long w = PipeLayout.getLongAcquire(lockBody, at);
            if (w == 0) {
                continue;
            }
            long pid = (w >>> 32) & 0x7FFF_FFFFL;
            long start = PipeLayout.getLongPlain(lockBody, at + 8);
            boolean mine = pid == self.pid() && start == self.startTime();
            if (!mine && !ProcessIdentity.isAlive(pid, start)) {
                PipeLayout.setLongRelease(lockBody, at, 0L);
                continue;
            }
            if ((w & 3) == PipeLayout.READER) {
                readers++;
            } else if ((w & 3) == PipeLayout.WRITER) {
                writers++;
            }
        }
        int seen = PipeLayout.getIntPlain(lockBody, PipeLayout.SEEN);
        long used = value & PipeLayout.USED_BITS;
        if (positions) {
            long head = PipeLayout.getLongPlain(lockBody, PipeLayout.HEAD);
            long tail = PipeLayout.getLongPlain(lockBody, PipeLayout.TAIL);
            used = Math.max(0, Math.min(capacity, tail - head));
            PipeLayout.setLongRelease(lockBody, PipeLayout.TAIL, head + used);
        }
        long v = used;
        if ((seen & PipeLayout.SEEN_WRITER) != 0 && writers == 0) {
            v |= PipeLayout.EOF;
        }
        if ((seen & PipeLayout.SEEN_READER) != 0 && readers == 0) {
            v |= PipeLayout.BROKEN;
        }
        if ((v & (PipeLayout.EOF | PipeLayout.BROKEN)) != (value & (PipeLayout.EOF | PipeLayout.BROKEN)) || positions) {
            flagsChanged = true;
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
                long w = PipeLayout.getLongAcquire(lockBody, at);
                if (w == 0) {
                    unused = unused < 0 ? at : unused;
                } else if (((w >>> 32) & 0x7FFF_FFFFL) == self.pid() && (w & 3) == role
                        && PipeLayout.getLongPlain(lockBody, at + 8) == self.startTime()) {
                    found = at;
                    break;
                }
            }
            if (found >= 0) {
                long w = PipeLayout.getLongPlain(lockBody, found);
                long count = ((w >>> 8) & 0xFFFF) + delta;
                PipeLayout.setLongRelease(lockBody, found, count <= 0 ? 0L : (w & ~(0xFFFFL << 8)) | (count << 8));
            } else if (delta > 0) {
                if (unused < 0) {
                    v = recompute(v, false); // entries of dead processes free their places
                    for (int e = 0; e < PipeLayout.END_COUNT && unused < 0; e++) {
                        long at = PipeLayout.ENDS + e * PipeLayout.END_SIZE;
                        if (PipeLayout.getLongAcquire(lockBody, at) == 0) {
                            unused = at;
                        }
                    }
                    if (unused < 0) {
                        throw new IOException("named pipe " + mapping.name() + " has ends open in " + PipeLayout.END_COUNT
                                + " processes, the most it records");
                    }
                }
                PipeLayout.setLongRelease(lockBody, unused + 8, self.startTime());
                PipeLayout.setLongRelease(lockBody, unused, (self.pid() << 32) | (1L << 8) | role);
                int seen = PipeLayout.getIntPlain(lockBody, PipeLayout.SEEN);
                PipeLayout.setIntRelease(lockBody, PipeLayout.SEEN, seen | (writer ? PipeLayout.SEEN_WRITER : PipeLayout.SEEN_READER));
            }
            v = wake(recompute(v, false));
        } finally {
            unlockAfterSignal(v);
        }
    }

    @Override
    public String stateText() {
        return stateText(SyncLayout.peekValue(lockBody), capacity);
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
    public static final class WriteSide extends NamedProxy {
        private final PipeProxy pipe;
        private boolean dataMade;
        /** See {@link PipeProxy#kick}; guarded by the local lock. */
        private boolean kicking;

        WriteSide(Mapping mapping, PipeProxy pipe) {
            super(mapping, 0, PipeLayout.WRITE_BLOCK);
            this.pipe = pipe;
        }

        @Override
        protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
            if (!(op instanceof WriteOp w)) {
                throw new IllegalStateException("a wait on named pipe " + mapping.name() + " without a write");
            }
            if (w.endClosed != null && w.endClosed.get()) {
                w.closed = true;
                return value;
            }
            if ((value & PipeLayout.BROKEN) != 0) {
                w.broken = true;
                return value;
            }
            int cap = pipe.capacity;
            long used = value & PipeLayout.USED_BITS;
            long room = cap - used;
            int remaining = w.len - w.done;
            int need = remaining <= Math.min(cap, ATOMIC) ? remaining : 1;
            if (room < need || remaining == 0) {
                return remaining == 0 ? value : UNAVAILABLE;
            }
            int n = (int) Math.min(Math.min(room, remaining), CHUNK);
            long tail = PipeLayout.getLongPlain(lockBody, PipeLayout.TAIL);
            int at = (int) Long.remainderUnsigned(tail, cap);
            int first = Math.min(n, cap - at);
            MemorySegment.copy(w.b, w.off + w.done, lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA + at, first);
            if (first < n) {
                MemorySegment.copy(w.b, w.off + w.done + first, lockBody, ValueLayout.JAVA_BYTE, PipeLayout.DATA, n - first);
            }
            PipeLayout.setLongRelease(lockBody, PipeLayout.TAIL, tail + n);
            w.done += n;
            dataMade = true;
            return value + n;
        }

        @Override
        protected boolean mayWake(long value) {
            return kicking || writable(value);
        }

        private boolean writable(long value) {
            return (value & PipeLayout.BROKEN) != 0 || (value & PipeLayout.USED_BITS) < pipe.capacity;
        }

        void kickQueue() {
            long v = lockForSignal();
            try {
                kicking = true;
                v = wake(v);
            } finally {
                kicking = false;
                unlockAfterSignal(v);
            }
        }

        @Override
        protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
            long w = SyncLayout.getLongVolatile(lockBody, SyncLayout.STATE);
            return !SyncLayout.isLocked(w) && !writable(w & SyncLayout.VALUE_BITS)
                    && !(op instanceof WriteOp o && o.endClosed != null && o.endClosed.get()) ? POLL_FAILED : POLL_CONTENDED;
        }

        /** {@inheritDoc} Yes: a full pipe is one read of STATE. */
        @Override
        protected boolean lockFreePoll() {
            return true;
        }

        @Override
        protected int beforeUnlockOutside() {
            int flags = (dataMade ? WAKE_READERS : 0) | (pipe.flagsChanged ? WAKE_READERS | WAKE_WRITERS : 0);
            dataMade = false;
            pipe.flagsChanged = false;
            return flags;
        }

        @Override
        protected void afterUnlockOutside(int flags) {
            if ((flags & WAKE_READERS) != 0) {
                pipe.wakeOthers();
            }
            if ((flags & WAKE_WRITERS) != 0) {
                wakeOthers();
            }
        }

        @Override
        protected boolean needsPeriodicCheck() {
            return true;
        }

        /** {@inheritDoc} Writers of a full pipe check whether its last reader died. */
        @Override
        protected void periodicCheck() {
            if ((SyncLayout.peekValue(lockBody) & PipeLayout.BROKEN) != 0) {
                return;
            }
            long v = lockForSignal();
            try {
                if (pipe.checkDue()) {
                    v = wake(pipe.recompute(v, false));
                }
            } finally {
                unlockAfterSignal(v);
            }
        }

        @Override
        protected long repairAfterDeadLocker(long value) {
            return pipe.recompute(value, true);
        }

        @Override
        public String stateText() {
            return pipe.stateText();
        }
    }
}
