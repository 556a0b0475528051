package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Counter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/*
 * Counter updates are atomic: actor 1 calls increment() twice, actor 2 calls add(10) once;
 * each update returns the value after it. The three updates are atomic steps, and actor 1's
 * two are ordered, so add(10) comes before both, between them or after both:
 *   add first:    10, then 11, 12            -> "11, 12, 10, 12"
 *   add between:  1, then 11, then 12        -> "1, 12, 11, 12"
 *   add last:     1, 2, then 12              -> "1, 2, 12, 12"
 * A lost update leaves the arbiter's get() below 12; a torn one returns a value that no
 * order produces.
 *
 * r1, r2 = what actor 1's increments returned, r3 = what add(10) returned, r4 = get() after.
 */
@JCStressTest
@Description("Counter: two increments racing an add(10): no update is lost, each returns the value right after it.")
@Outcome(id = {"11, 12, 10, 12", "1, 12, 11, 12", "1, 2, 12, 12"}, expect = ACCEPTABLE,
        desc = "add(10) came before, between or after the two increments.")
@Outcome(id = {".*, 11", ".*, 10", ".*, 2", ".*, 1"}, expect = FORBIDDEN, desc = "Lost update: the final value is below 12.")
@Outcome(expect = FORBIDDEN, desc = "A return value that no order of the three updates produces.")
@State
public class CounterUpdatesAreNeverLost {
    private final Counter counter = new Counter(0);

    @Actor
    public void incrementTwice(JJJJ_Result r) {
        r.r1 = counter.increment();
        r.r2 = counter.increment();
    }

    @Actor
    public void addTen(JJJJ_Result r) {
        r.r3 = counter.add(10);
    }

    @Arbiter
    public void after(JJJJ_Result r) {
        r.r4 = counter.get();
    }
}
