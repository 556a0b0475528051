package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Deadline;
import io.waitkit.RwLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
 * Write holds are exclusive, and a write unlock publishes to the next writer: on each of two
 * locks (preferReaders, preferWriters), both actors take the write hold, increment a plain
 * field and mark themselves inside with a volatile flag that the other looks at. Overlapping
 * holds lose an increment (the arbiter then sees 1) or show up as an actor that saw the other
 * inside; a write unlock that does not publish loses an increment too. The actors wait for
 * the hold in different ways: actor 1 with tryLock(10 s) on the first lock and Wait.any on
 * the second, actor 2 the other way round, so the fast path, the queued path and the hand-off
 * of the write unlock meet on each lock. Every interleaving lets both in, so a 10 s timeout is
 * a lost hand-off.
 *
 * r1 = the counter of the prefer-readers lock, r2 = the counter of the prefer-writers lock,
 * r3 = how many holds saw another writer inside, r4 = how many waits timed out.
 */
@JCStressTest
@Description("RwLock (prefer readers and prefer writers): two writers increment a plain field under the write lock; no hold overlaps, no increment is lost.")
@Outcome(id = "2, 2, 0, 0", expect = ACCEPTABLE, desc = "On each lock the two write holds ran one after the other.")
@Outcome(id = {"1, ., ., 0", "., 1, ., 0"}, expect = FORBIDDEN, desc = "Lost update: two write holds overlapped or a write unlock did not publish.")
@Outcome(id = "2, 2, [12], 0", expect = FORBIDDEN, desc = "A writer saw the other writer inside its hold.")
@Outcome(expect = FORBIDDEN, desc = "A wait timed out (lost hand-off), or another broken outcome.")
@State
public class RwLockWriteHoldsAreExclusive {
    private final Exclusive readersFirst = new Exclusive(RwLock.preferReaders());
    private final Exclusive writersFirst = new Exclusive(RwLock.preferWriters());
    private int overlaps1;
    private int overlaps2;
    private int timeouts1;
    private int timeouts2;

    /** One lock, its plain counter and its inside flag. */
    static final class Exclusive {
        final RwLock lock;
        volatile boolean inside;
        int counter;

        Exclusive(RwLock lock) {
            this.lock = lock;
        }

        /** The critical section, write hold held; returns 1 if another writer was inside. */
        int increment() {
            boolean other = inside;
            inside = true;
            counter = counter + 1;
            inside = false;
            return other ? 1 : 0;
        }
    }

    @Actor
    public void writer1() {
        Exclusive e = readersFirst;
        if (Bounded.tryLock(e.lock.writeLock())) {
            try {
                overlaps1 += e.increment();
            } finally {
                e.lock.writeLock().unlock();
            }
        } else {
            timeouts1++;
        }
        e = writersFirst;
        if (Bounded.any(Bounded.PATIENCE, e.lock.writeLock()) == 0) {
            try {
                overlaps1 += e.increment();
            } finally {
                e.lock.writeLock().unlock();
            }
        } else {
            timeouts1++;
        }
    }

    @Actor
    public void writer2() {
        Exclusive e = readersFirst;
        if (Bounded.any(Deadline.after(Bounded.PATIENCE), e.lock.writeLock()) == 0) {
            try {
                overlaps2 += e.increment();
            } finally {
                e.lock.writeLock().unlock();
            }
        } else {
            timeouts2++;
        }
        e = writersFirst;
        if (Bounded.tryLock(e.lock.writeLock())) {
            try {
                overlaps2 += e.increment();
            } finally {
                e.lock.writeLock().unlock();
            }
        } else {
            timeouts2++;
        }
    }

    @Arbiter
    public void after(IIII_Result r) {
        r.r1 = readersFirst.counter;
        r.r2 = writersFirst.counter;
        r.r3 = overlaps1 + overlaps2;
        r.r4 = timeouts1 + timeouts2;
    }
}
