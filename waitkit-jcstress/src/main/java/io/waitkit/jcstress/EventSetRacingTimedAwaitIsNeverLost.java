package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Event;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/*
 * No lost wake-up, the state form: set() races a (bounded) blocking await() on a fresh
 * auto-reset event. Whatever the interleaving (signal first and the waiter takes it on the
 * fast path, or the waiter queued first and set() hands the signal over), the waiter gets the
 * signal and the event ends non-signalled. The forbidden "false, false, true" is the lost
 * wake-up: the signal is still there, unconsumed, while the waiter gave up after 10 s.
 *
 * r1 = set()'s previous state, r2 = await's result, r3 = isSignaled() afterwards.
 */
@JCStressTest
@Description("Event: set() racing a blocking await() on an auto-reset event: the waiter always takes the signal, which is consumed exactly once.")
@Outcome(id = "false, true, false", expect = ACCEPTABLE, desc = "The waiter took the signal; the event is non-signalled again.")
@Outcome(id = "false, false, true", expect = FORBIDDEN, desc = "Lost wake-up: the signal is unconsumed and the waiter timed out.")
@Outcome(expect = FORBIDDEN, desc = "Any other outcome breaks the auto-reset contract.")
@State
public class EventSetRacingTimedAwaitIsNeverLost {
    private final Event event = Event.autoReset(false);

    @Actor
    public void signaller(ZZZ_Result r) {
        r.r1 = event.set();
    }

    @Actor
    public void waiter(ZZZ_Result r) {
        r.r2 = Bounded.await(event);
    }

    @Arbiter
    public void after(ZZZ_Result r) {
        r.r3 = event.isSignaled();
    }
}
