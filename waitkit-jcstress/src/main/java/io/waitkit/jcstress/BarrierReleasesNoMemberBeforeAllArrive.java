package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Barrier;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
 * A Barrier(2) releases a member only once both have arrived, and every member's writes
 * before its arrival are visible to the other after the release. Two rounds on the same
 * (cyclic) barrier; before each arrival an actor writes 1 into a plain field of its own for
 * that round, and after the release it reads the other actor's field of that round:
 *
 *   actor A: a1 = 1; await(10 s);            read b1;  a2 = 1; spin on tryAwait(); read b2.
 *   actor B: b1 = 1; Wait.any(10 s, barrier); read a1; b2 = 1; await(10 s);      read a2.
 *
 * Whichever actor arrives second completes the group and releases the first; both fields of
 * a round were written before both arrivals, so every read sees 1, in every interleaving. A 0
 * is a member released early (or a release without happens-before). Round 2 checks that the
 * barrier reset after round 1: A's tryAwait() succeeds only as the completing arrival, so it
 * spins until B is queued for round 2; a tryAwait that succeeds earlier reads b2 = 0. A's
 * spin gives up after 10 s and B's waits time out after 10 s; every interleaving completes
 * both rounds, so a timeout is a lost release.
 *
 * r1 = b1 as A read it, r2 = b2 as A read it, r3 = a1 as B read it, r4 = a2 as B read it;
 * -1 where the actor's wait timed out.
 */
@JCStressTest
@Description("Barrier(2), two rounds: a member is released only after the other arrived, and sees the other's writes from before its arrival.")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "Both rounds released both members together; every read saw the other's write.")
@Outcome(id = {"0, .*", ".*, 0, .*", ".*, 0"}, expect = FORBIDDEN, desc = "Stale read: a member was released before the other arrived, or the release did not publish.")
@Outcome(expect = FORBIDDEN, desc = "A wait timed out (-1: lost release), or another broken outcome.")
@State
public class BarrierReleasesNoMemberBeforeAllArrive {
    static final int TIMED_OUT = -1;

    private final Barrier barrier = new Barrier(2);
    private int a1;
    private int a2;
    private int b1;
    private int b2;

    @Actor
    public void memberA(IIII_Result r) {
        a1 = 1;
        if (!Bounded.await(barrier)) {
            r.r1 = TIMED_OUT;
            r.r2 = TIMED_OUT;
            return;
        }
        r.r1 = b1;
        a2 = 1;
        r.r2 = Bounded.until(barrier::tryAwait) ? b2 : TIMED_OUT;
    }

    @Actor
    public void memberB(IIII_Result r) {
        b1 = 1;
        if (Bounded.any(Bounded.PATIENCE, barrier) != 0) {
            r.r3 = TIMED_OUT;
            r.r4 = TIMED_OUT;
            return;
        }
        r.r3 = a1;
        b2 = 1;
        r.r4 = Bounded.await(barrier) ? a2 : TIMED_OUT;
    }
}
