package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
 * Mutual exclusion and release/acquire visibility: two actors each lock the mutex, increment a
 * plain (non-volatile) field and unlock. One locks with tryLock(timeout), the other through
 * Wait.any on the mutex, so both front ends meet on the same state word. A broken exclusion
 * (or a missing happens-before from unlock to the next lock) loses an increment: the arbiter
 * then sees 1. A lock that times out (after 10 s) is a lost hand-off.
 *
 * r1 = the counter, r2 = how many lock attempts timed out.
 */
@JCStressTest
@Description("Mutex: two actors lock, increment a plain field and unlock; no increment is lost.")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "Both critical sections ran, one after the other.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "Lost update: the critical sections overlapped or an unlock did not publish.")
@Outcome(expect = FORBIDDEN, desc = "A lock attempt timed out (lost hand-off) or another broken outcome.")
@State
public class MutexCriticalSectionsNeverOverlap {
    private final Mutex mutex = new Mutex();
    private int counter;
    private int timeouts1;
    private int timeouts2;

    @Actor
    public void viaTryLock() {
        if (Bounded.tryLock(mutex)) {
            try {
                counter = counter + 1;
            } finally {
                mutex.unlock();
            }
        } else {
            timeouts1++;
        }
    }

    @Actor
    public void viaWaitAny() {
        if (Bounded.any(Bounded.PATIENCE, mutex) == 0) {
            try {
                counter = counter + 1;
            } finally {
                mutex.unlock();
            }
        } else {
            timeouts2++;
        }
    }

    @Arbiter
    public void after(II_Result r) {
        r.r1 = counter;
        r.r2 = timeouts1 + timeouts2;
    }
}
