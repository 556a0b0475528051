package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Event;
import io.waitkit.Semaphore;
import java.time.Duration;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
 * Wait-all is all or nothing. An auto-reset event and a one-permit semaphore, both available.
 *   actor 1: poll Wait.all(ZERO, event, semaphore);
 *   actor 2: take the semaphore's permit with tryAcquire() and, if it got it, give it back.
 * The wait-all either takes both (before actor 2's tryAcquire or after its release) or fails
 * while actor 2 holds the permit, and then must leave the event signalled. A failed wait-all
 * that consumed the event, or a successful one that left either object available, is a
 * partial acquisition.
 *
 * r1 = Wait.all result (0/1), r2 = actor 2's tryAcquire (0/1), r3 = event signalled (0/1),
 * r4 = semaphore permits afterwards.
 */
@JCStressTest
@Description("Wait.all: a polling wait-all racing a tryAcquire/release of one of its objects acquires both objects or neither.")
@Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "Wait-all took both first; tryAcquire failed.")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "tryAcquire and release happened first; wait-all then took both.")
@Outcome(id = "0, 1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "Wait-all ran while the permit was taken, and acquired nothing.")
@Outcome(id = "0, 1, 0, 1", expect = FORBIDDEN, desc = "Partial acquisition: the failed wait-all consumed the event.")
@Outcome(expect = FORBIDDEN, desc = "Any other outcome: an object acquired twice, or a partial acquisition.")
@State
public class WaitAllAcquiresAllOrNothing {
    private final Event event = Event.autoReset(true);
    private final Semaphore semaphore = new Semaphore(1, 1);

    @Actor
    public void waitAll(IIII_Result r) {
        r.r1 = Bounded.all(Duration.ZERO, event, semaphore) ? 1 : 0;
    }

    @Actor
    public void takeAndGiveBack(IIII_Result r) {
        boolean took = semaphore.tryAcquire();
        r.r2 = took ? 1 : 0;
        if (took) {
            semaphore.release();
        }
    }

    @Arbiter
    public void after(IIII_Result r) {
        r.r3 = event.isSignaled() ? 1 : 0;
        r.r4 = semaphore.availablePermits();
    }
}
