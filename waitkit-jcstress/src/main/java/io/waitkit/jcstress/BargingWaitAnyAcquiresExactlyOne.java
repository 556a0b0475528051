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
 * A blocking wait-any over two BARGING semaphores acquires exactly one of them, while a running
 * thread competes for the first. Both semaphores start empty (max 1).
 *   actor 1: k = Wait.any(10 s, s1, s2): it polls, may spin, registers on both and blocks;
 *   actor 2: s1.release(); s2.release(); then polls s1 (a running thread barging in).
 * Two permits in all. Actor 1 takes exactly one: s1, unless actor 2's poll took it first (it
 * then takes s2). Whatever nobody took stays available. A wait-any that took both, none (a
 * timeout after 10 s: a lost wake-up), or reported the wrong index, and a permit that
 * vanished or was taken twice, are forbidden.
 *
 * r1 = actor 1's index (-1 timeout), r2 = actor 2's poll (1 took s1), r3 = s1's permits
 * afterwards, r4 = s2's permits afterwards.
 */
@JCStressTest
@Description("Barging semaphores: a blocking Wait.any over two, racing two releases and a barging poll, acquires exactly one.")
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE, desc = "The wait-any took s1; s2's permit is left.")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "Actor 2's poll took s1 first; the wait-any took s2.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "The wait-any timed out although two permits were released: lost wake-up.")
@Outcome(expect = FORBIDDEN, desc = "A permit taken twice or lost, a wait-any that took two, or a wrong index.")
@State
public class BargingWaitAnyAcquiresExactlyOne {
    private final Semaphore s1 = new Semaphore(0, 1, Fairness.BARGING);
    private final Semaphore s2 = new Semaphore(0, 1, Fairness.BARGING);

    @Actor
    public void waitAny(IIII_Result r) {
        r.r1 = Bounded.any(Bounded.PATIENCE, s1, s2);
    }

    @Actor
    public void releaseBothThenBarge(IIII_Result r) {
        s1.release();
        s2.release();
        r.r2 = s1.tryAcquire() ? 1 : 0;
    }

    @Arbiter
    public void after(IIII_Result r) {
        r.r3 = s1.availablePermits();
        r.r4 = s2.availablePermits();
    }
}
