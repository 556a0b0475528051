package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Fairness;
import io.waitkit.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
 * Mutual exclusion and release/acquire visibility on a BARGING mutex, whose final unlock frees
 * the mutex and wakes the queued waiter instead of handing it over. Each actor runs two
 * critical sections back to back (lock, increment a plain field, unlock), so the second lock of
 * one actor races the woken waiter of the other: the running thread may take the mutex first,
 * and the woken waiter then competes again and queues at the head. One actor locks with
 * tryLock(timeout), the other through Wait.any on the mutex alone (a single-object wait, which
 * is woken like a lock). A broken exclusion or a missing happens-before loses an increment
 * (the arbiter sees less than 4); a lock that times out (after 10 s) is a lost wake-up.
 *
 * r1 = the counter, r2 = how many lock attempts timed out.
 */
@JCStressTest
@Description("Barging mutex: two actors each run two critical sections; none overlaps, no increment is lost, no wake-up is lost.")
@Outcome(id = "4, 0", expect = ACCEPTABLE, desc = "All four critical sections ran, one after the other.")
@Outcome(id = "[0-3], 0", expect = FORBIDDEN, desc = "Lost update: critical sections overlapped or an unlock did not publish.")
@Outcome(expect = FORBIDDEN, desc = "A lock attempt timed out (lost wake-up) or another broken outcome.")
@State
public class BargingMutexCriticalSectionsNeverOverlap {
    private final Mutex mutex = new Mutex(Fairness.BARGING);
    private int counter;
    private int timeouts1;
    private int timeouts2;

    @Actor
    public void viaTryLock() {
        for (int i = 0; i < 2; i++) {
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
    }

    @Actor
    public void viaWaitAny() {
        for (int i = 0; i < 2; i++) {
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
    }

    @Arbiter
    public void after(II_Result r) {
        r.r1 = counter;
        r.r2 = timeouts1 + timeouts2;
    }
}
