package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
 * Permit conservation: no permit is created or lost, whichever path moves it (fast-path CAS,
 * hand-off to a queued waiter, multi-permit request). Semaphore(1 initial, max 3).
 *   actor 1: a = tryAcquire(10 s) (blocks if the count is 0), then b = tryAcquire() (poll);
 *   actor 2: release(); c = tryAcquire(2) ? 2 : 0; release().
 * Supply: 1 initial + 2 released = 3, so the arbiter must find a + b + c + available == 3, and
 * the blocking acquire must always succeed (the final release makes a permit available in every
 * interleaving). Enumerating the interleavings of these atomic steps gives exactly the three
 * acceptable outcomes below; everything else is a conservation or liveness failure.
 *
 * r1 = a, r2 = b, r3 = c, r4 = availablePermits() afterwards.
 */
@JCStressTest
@Description("Semaphore: racing blocking acquire, polls, a 2-permit poll and releases conserve permits: taken + available == initial + released.")
@Outcome(id = "1, 0, 0, 2", expect = ACCEPTABLE, desc = "Actor 1 took one permit, its poll and the 2-permit poll failed.")
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "Actor 1 took two permits, the 2-permit poll failed.")
@Outcome(id = "1, 0, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "The 2-permit poll won both permits between the releases.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "Lost wake-up: the blocking acquire timed out although a permit was released.")
@Outcome(expect = FORBIDDEN, desc = "A permit was lost or created: taken + available != initial + released.")
@State
public class SemaphorePermitsAreConserved {
    private final Semaphore semaphore = new Semaphore(1, 3);

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
