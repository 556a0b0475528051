package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Event;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZ_Result;

/*
 * Wait-any over a proxy and a heap object acquires exactly one member. The wait lists a
 * future member first and a signalled auto-reset event second; another actor completes the
 * future at any moment. A future member consumes nothing, so the wait either finds the future
 * done and takes it (index 0, the event stays signalled) or finds it pending and takes the
 * event (index 1, the event consumed). Taking both, neither, or reporting one and consuming
 * the other is forbidden.
 *
 * r1 = the index, r2 = whether the event is still signalled afterwards.
 */
@JCStressTest
@Description("Wait.any over a future member and a signalled auto-reset event, racing the future's completion: exactly one member is acquired.")
@Outcome(id = "1, false", expect = ACCEPTABLE, desc = "The future was pending: the event was taken.")
@Outcome(id = "0, true", expect = ACCEPTABLE_INTERESTING, desc = "The future completed first: it was taken and the event left signalled.")
@Outcome(expect = FORBIDDEN, desc = "Both or neither member taken, or an index that does not match what was consumed.")
@State
public class WaitAnyOverAnEventAndAFutureAcquiresExactlyOne {
    private final CompletableFuture<Void> future = new CompletableFuture<>();
    private final Event event = Event.autoReset(true);

    @Actor
    public void complete() {
        future.complete(null);
    }

    @Actor
    public void poll(IZ_Result r) {
        r.r1 = Bounded.any(Duration.ZERO, Wait.completion(future), event);
    }

    @Arbiter
    public void after(IZ_Result r) {
        r.r2 = event.isSignaled();
    }
}
