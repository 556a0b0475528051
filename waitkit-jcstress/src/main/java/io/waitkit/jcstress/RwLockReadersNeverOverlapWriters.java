package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.RwLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
 * No reader holds an RwLock together with a writer, and a reader that comes after a writer
 * sees its writes. Two locks, one of each kind (preferReaders, preferWriters); on each, one
 * actor takes a write hold and the other a read hold, and each marks itself inside (a volatile
 * flag) and looks for the other inside:
 *
 *   writer: lock; writerInside = true; look at readerInside; data = 1 (a plain field);
 *           writerInside = false; unlock; writerDone = true (volatile).
 *   reader: lock; readerInside = true; look at writerInside; read data, then writerDone;
 *           readerInside = false; unlock.
 *
 * With exclusion the holds are ordered. Reader first: it sees data 0 and writerDone false.
 * Writer first: the write unlock happens-before the read lock, so the reader sees data 1 (and
 * writerDone either way, since writerDone is set after the unlock). "data 0 but writerDone
 * true" is a stale read: writerDone true means the writer's hold ended before the reader read
 * it, so the reader's hold came after the writer's (or overlapped it), and data was read
 * before writerDone, in the reader's hold. Holds that overlap show up as an actor that sees
 * the other inside (most of the time, the window is wide: both flags are volatile) or as the
 * stale read.
 *
 * Front ends: on the prefer-readers lock the writer uses tryLock(10 s) and the reader polls
 * with tryLock(), which fails only while the writer holds the lock (a refusal is fine); on the
 * prefer-writers lock the writer waits through Wait.any and the reader with tryLock(10 s), so
 * a queued reader is admitted by the write unlock's hand-off.
 *
 * Per lock, the writer records 0 (alone) or 1 (saw a reader inside); the reader records
 * BEFORE, AFTER, STALE, OVERLAP or REFUSED (constants below); either records -1 if its 10 s
 * wait timed out (a lost wake-up: every interleaving lets both in).
 * r1 = writer, r2 = reader on the prefer-readers lock; r3 = writer, r4 = reader on the
 * prefer-writers lock.
 */
@JCStressTest
@Description("RwLock (prefer readers and prefer writers): a read hold never overlaps a write hold, and a reader after a writer sees its writes.")
@Outcome(id = {"0, 0, 0, 0", "0, 0, 0, 1", "0, 1, 0, 0", "0, 1, 0, 1"}, expect = ACCEPTABLE,
        desc = "On each lock the reader went entirely before (0) or after (1) the writer.")
@Outcome(id = {"0, 4, 0, 0", "0, 4, 0, 1"}, expect = ACCEPTABLE_INTERESTING,
        desc = "The reader's poll of the prefer-readers lock was refused while the writer held it.")
@Outcome(id = {"1, .*", "0, .*, 1, .*", ".*, 3, .*", ".*, 3"}, expect = FORBIDDEN,
        desc = "Overlap: a writer saw a reader inside, or a reader saw the writer inside.")
@Outcome(id = {".*, 2, .*", ".*, 2"}, expect = FORBIDDEN,
        desc = "Stale read: the writer had finished, yet the reader missed its write.")
@Outcome(expect = FORBIDDEN, desc = "A 10 s wait timed out (-1: lost wake-up), or another broken outcome.")
@State
public class RwLockReadersNeverOverlapWriters {
    static final int TIMED_OUT = -1;
    static final int BEFORE = 0;
    static final int AFTER = 1;
    static final int STALE = 2;
    static final int OVERLAP = 3;
    static final int REFUSED = 4;

    private final Probe readersFirst = new Probe(RwLock.preferReaders());
    private final Probe writersFirst = new Probe(RwLock.preferWriters());

    /** One lock and what its holders leave for each other. */
    static final class Probe {
        final RwLock lock;
        volatile boolean writerInside;
        volatile boolean readerInside;
        volatile boolean writerDone;
        int data;

        Probe(RwLock lock) {
            this.lock = lock;
        }

        /** The write side's critical section, lock held. */
        int write() {
            writerInside = true;
            boolean sawReader = readerInside;
            data = 1;
            writerInside = false;
            return sawReader ? 1 : 0;
        }

        /** The read side's critical section, lock held. */
        int read() {
            readerInside = true;
            boolean sawWriter = writerInside;
            int d = data;
            boolean done = writerDone;
            readerInside = false;
            if (sawWriter) {
                return OVERLAP;
            }
            if (d == 1) {
                return AFTER;
            }
            return done ? STALE : BEFORE;
        }
    }

    @Actor
    public void writer(IIII_Result r) {
        Probe p = readersFirst;
        if (Bounded.tryLock(p.lock.writeLock())) {
            try {
                r.r1 = p.write();
            } finally {
                p.lock.writeLock().unlock();
            }
            p.writerDone = true;
        } else {
            r.r1 = TIMED_OUT;
        }
        p = writersFirst;
        if (Bounded.any(Bounded.PATIENCE, p.lock.writeLock()) == 0) {
            try {
                r.r3 = p.write();
            } finally {
                p.lock.writeLock().unlock();
            }
            p.writerDone = true;
        } else {
            r.r3 = TIMED_OUT;
        }
    }

    @Actor
    public void reader(IIII_Result r) {
        Probe p = readersFirst;
        if (p.lock.readLock().tryLock()) {
            try {
                r.r2 = p.read();
            } finally {
                p.lock.readLock().unlock();
            }
        } else {
            r.r2 = REFUSED;
        }
        p = writersFirst;
        if (Bounded.tryLock(p.lock.readLock())) {
            try {
                r.r4 = p.read();
            } finally {
                p.lock.readLock().unlock();
            }
        } else {
            r.r4 = TIMED_OUT;
        }
    }
}
