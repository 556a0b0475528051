package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Fairness;
import io.waitkit.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
 * Permit conservation on a BARGING semaphore, whose release adds the permits and wakes the
 * queued waiter to take one itself. Semaphore(1 initial, max 3, BARGING).
 *   actor 1: a = tryAcquire(10 s) (blocks if the count is 0), then b = tryAcquire() (poll);
 *   actor 2: release(); c = tryAcquire(2) ? 2 : 0; release().
 * Supply: 1 initial + 2 released = 3, so a + b + c + available == 3, and the blocking acquire
 * always succeeds: the final release makes a permit available in every interleaving, and if
 * actor 1 is queued then, the release wakes it and nobody else competes for that permit. The
 * interleavings give the same outcomes as with hand-off; what differs is the path a queued
 * acquire takes (woken, then taking the permit itself under the object lock).
 *
 * r1 = a, r2 = b, r3 = c, r4 = availablePermits() afterwards.
 */
@JCStressTest
@Description("Barging semaphore: racing blocking acquire, polls, a 2-permit poll and releases conserve permits.")
@Outcome(id = "1, 0, 0, 2", expect = ACCEPTABLE, desc = "Actor 1 took one permit, its poll and the 2-permit poll failed.")
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "Actor 1 took two permits, the 2-permit poll failed.")
@Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "The 2-permit poll won both permits between the releases.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "Lost wake-up: the blocking acquire timed out although a permit was released.")
@Outcome(expect = FORBIDDEN, desc = "A permit was lost or created: taken + available != initial + released.")
@State
public class BargingSemaphorePermitsAreConserved {
    private final Semaphore semaphore = new Semaphore(1, 3, Fairness.BARGING);

    @Actor
    public void acquirer(IIII_Result r) {
        r.r1 = Bounded.tryAcquire(semaphore) ? 1 : 0;
        r.r2 = semaphore.tryAcquire() ? 1 : 0;
    }

    @Actor
    public void releaser(IIII_Result r) {
        semaphore.release();
        r.r3 = semaphore.tryAcquire(2) ? 2 : 0;
        semaphore.release();
    }

    @Arbiter
    public void after(IIII_Result r) {
        r.r4 = semaphore.availablePermits();
    }
}
