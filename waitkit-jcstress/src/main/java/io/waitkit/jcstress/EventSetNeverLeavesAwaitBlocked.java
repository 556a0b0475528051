package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Event;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/*
 * No lost wake-up, the liveness form: an actor blocks in an untimed await() on a fresh
 * auto-reset event while the harness calls set() at an arbitrary moment (before the actor
 * arrives, while it registers, or after it parked). The actor must always return. A lost
 * wake-up leaves it parked forever, which jcstress reports as STALE.
 */
@JCStressTest(Mode.Termination)
@Description("Event: set() racing an untimed await() on an auto-reset event always releases the waiter (no lost wake-up).")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter took the signal and returned.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the waiter stays blocked although the event was set.")
@State
public class EventSetNeverLeavesAwaitBlocked {
    private final Event event = Event.autoReset(false);

    @Actor
    public void waiter() {
        event.awaitUninterruptibly();
    }

    @Signal
    public void signal() {
        event.set();
    }
}
