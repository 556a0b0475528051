package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Barrier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/*
 * Liveness of a Barrier(2): the actor blocks in an untimed await() while the harness arrives
 * with a second await at an arbitrary moment (before the actor, while it registers, or after
 * it parked). Whichever arrives second completes the group; both must return. A lost release
 * leaves the actor parked (jcstress reports STALE); the harness's own await is bounded (10 s)
 * and throws if it times out, which jcstress reports as ERROR.
 */
@JCStressTest(Mode.Termination)
@Description("Barrier(2): an untimed await() racing a second await() always returns, and so does the second.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The group completed and both awaits returned.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost release: the actor stays blocked although both arrived.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "The harness's await timed out (10 s) or an await threw.")
@Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
@State
public class BarrierLetsBothAwaitsReturn {
    private final Barrier barrier = new Barrier(2);

    @Actor
    public void member() {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the barrier member was interrupted", e);
        }
    }

    @Signal
    public void secondMember() {
        if (!Bounded.await(barrier)) {
            throw new IllegalStateException("the second arrival timed out: the actor's arrival was lost");
        }
    }
}
