package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
 * Auto-reset: one set(), two racing tryAwait() polls, exactly one succeeds. The first actor sets
 * and then polls; the second polls at any moment. The second either comes before the set (and
 * fails, leaving the signal to the first actor), or races the first actor for the one signal.
 * Either way exactly one poll consumes it and the event ends non-signalled. Two winners would
 * be a double consumption; no winner a lost signal.
 *
 * r1 = the setter's poll, r2 = the other poll, r3 = isSignaled() afterwards.
 */
@JCStressTest
@Description("Event: one set() on an auto-reset event with two racing tryAwait() polls: exactly one poll takes the signal.")
@Outcome(id = "true, false, false", expect = ACCEPTABLE, desc = "The setter's own poll took the signal.")
@Outcome(id = "false, true, false", expect = ACCEPTABLE_INTERESTING, desc = "The other poll took the signal between set() and the setter's poll.")
@Outcome(id = "true, true, false", expect = FORBIDDEN, desc = "One set released two polls.")
@Outcome(id = "false, false, true", expect = FORBIDDEN, desc = "Lost signal: both polls failed although the event is signalled.")
@Outcome(expect = FORBIDDEN, desc = "Any other outcome breaks the auto-reset contract.")
@State
public class EventAutoResetOneSetReleasesExactlyOnePoll {
    private final Event event = Event.autoReset(false);

    @Actor
    public void setterThenPoll(ZZZ_Result r) {
        event.set();
        r.r1 = event.tryAwait();
    }

    @Actor
    public void poll(ZZZ_Result r) {
        r.r2 = event.tryAwait();
    }

    @Arbiter
    public void after(ZZZ_Result r) {
        r.r3 = event.isSignaled();
    }
}
