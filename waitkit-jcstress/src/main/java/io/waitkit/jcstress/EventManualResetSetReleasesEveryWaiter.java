package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Event;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

/*
 * Manual-reset broadcast: one set() releases every waiter and the event stays signalled.
 * jcstress on two cores runs two actors, so the waiting actor holds three waits at once: two
 * async waits (queued waiters that set() completes before it returns) and then a bounded
 * blocking await. set() races all three registrations: each wait is either queued when set()
 * runs (and must be released by it) or arrives afterwards (and must pass at once). The
 * arbiter runs after set() returned, so both futures must be complete by then.
 *
 * r1, r2 = the two futures are done, r3 = the blocking await's result, r4 = isSignaled().
 */
@JCStressTest
@Description("Event: set() on a manual-reset event releases every waiter (two async, one blocking) and the event stays signalled.")
@Outcome(id = "true, true, true, true", expect = ACCEPTABLE, desc = "All three waits released; the event is still signalled.")
@Outcome(expect = FORBIDDEN, desc = "A waiter was left behind, or the signal was consumed.")
@State
public class EventManualResetSetReleasesEveryWaiter {
    private final Event event = Event.manualReset(false);
    private CompletableFuture<Void> first;
    private CompletableFuture<Void> second;
    private boolean awaited;

    @Actor
    public void signaller() {
        event.set();
    }

    @Actor
    public void waiter() {
        first = event.awaitAsync();
        second = event.awaitAsync();
        awaited = Bounded.await(event);
    }

    @Arbiter
    public void after(ZZZZ_Result r) {
        r.r1 = first.isDone() && !first.isCompletedExceptionally();
        r.r2 = second.isDone() && !second.isCompletedExceptionally();
        r.r3 = awaited;
        r.r4 = event.isSignaled();
    }
}
