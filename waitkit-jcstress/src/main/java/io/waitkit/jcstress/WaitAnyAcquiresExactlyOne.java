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
 * Wait-any acquires exactly one object, and the index it reports is the one it consumed.
 * Two objects of different kinds: an auto-reset event, signalled at the start, and a
 * semaphore with no permit (max 1).
 *   actor 1: release the semaphore, then poll Wait.any(ZERO, event, semaphore);
 *   actor 2: poll Wait.any(ZERO, semaphore, event) at any moment (reverse order).
 * Two signals in all; actor 1 polls after its own release, so it always finds one. Every
 * interleaving of the per-object checks gives one of the three acceptable outcomes: each poll
 * that succeeded consumed exactly the object it names, and whatever nobody took is still
 * signalled. A poll that consumed both, reported the wrong index, or a signal that vanished,
 * is forbidden.
 *
 * r1 = actor 1's index (0 event, 1 semaphore), r2 = actor 2's index (0 semaphore, 1 event),
 * -1 = TIMEOUT; r3 = event signalled (0/1), r4 = semaphore permits afterwards.
 */
@JCStressTest
@Description("Wait.any: racing polls over an event and a semaphore, with a racing release: each poll consumes exactly the one object it reports.")
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "Actor 1 took the event, actor 2 the semaphore.")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE, desc = "Actor 2 took the event first, actor 1 then the semaphore.")
@Outcome(id = "0, -1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "Actor 2 checked the semaphore before the release and the event after actor 1 took it.")
@Outcome(expect = FORBIDDEN, desc = "An object consumed twice or not at all, a poll that took two objects, or a wrong index.")
@State
public class WaitAnyAcquiresExactlyOne {
    private final Event event = Event.autoReset(true);
    private final Semaphore semaphore = new Semaphore(0, 1);

    @Actor
    public void releaseThenPoll(IIII_Result r) {
        semaphore.release();
        r.r1 = Bounded.any(Duration.ZERO, event, semaphore);
    }

    @Actor
    public void poll(IIII_Result r) {
        r.r2 = Bounded.any(Duration.ZERO, semaphore, event);
    }

    @Arbiter
    public void after(IIII_Result r) {
        r.r3 = event.isSignaled() ? 1 : 0;
        r.r4 = semaphore.availablePermits();
    }
}
