package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Counter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJJ_Result;

/*
 * A Counter waiter is released by the first update that satisfies its predicate on
 * (old, new), with that update's values, or at once with (v, v) if the predicate already
 * holds for the current value v; and the updater's writes before that update are visible to
 * it. Two counters, both starting at 0; the updater runs add(1), writes a plain field, then
 * add(2) (values 0 -> 1 -> 3) on each, first on `first`, then on `second`:
 *
 *   `first`: the waiter blocks in await(atLeast(2), 10 s). Registered at 0 or 1, it is
 *   released by the update (1 -> 3) and must see data1 = 1, written before that update.
 *   Registered at 3, it succeeds at once with (3, 3), again after data1 = 1. Never (0, 1) or
 *   (1, 1): those do not satisfy atLeast(2).
 *
 *   `second`: the waiter waits through Wait.any on when(atLeast(1)). Registered at 0, it is
 *   released by (0 -> 1), the first satisfying update, not by (1 -> 3); registered at 1 it
 *   succeeds at once with (1, 1); in both cases data2 (written after add(1)) may be 0 or 1.
 *   Registered at 3, it gets (3, 3) and data2 = 1.
 *
 * A predicate that holds for the final value always ends the wait, so a 10 s timeout is a
 * lost wake-up.
 *
 * The updater starts only once the waiter has raised a volatile flag, right before its first
 * wait. jcstress lines the actors up only at the start of each stride of samples, and an
 * updater that never blocks would otherwise run far ahead of a waiter that parks, so nearly
 * every wait would start after all the updates. The flag excludes no interleaving of the
 * counter operations: the waiter registers after raising it, so the updates may still come
 * before, during or after its registration.
 *
 * r1, r2 = the (old, new) that released the `first` waiter, r3 = data1 read after it;
 * r4, r5, r6 the same for `second`. -1, -1 for a wait that timed out.
 */
@JCStressTest
@Description("Counter: a waiter with a predicate on (old, new) is released by the first update that satisfies it, and sees the updater's earlier writes.")
@Outcome(id = {"1, 3, 1, 0, 1, 0", "1, 3, 1, 0, 1, 1", "3, 3, 1, 0, 1, 0", "3, 3, 1, 0, 1, 1"}, expect = ACCEPTABLE,
        desc = "`second`'s waiter was queued at 0 and released by add(1).")
@Outcome(id = {"1, 3, 1, 1, 1, 0", "1, 3, 1, 1, 1, 1", "3, 3, 1, 1, 1, 0", "3, 3, 1, 1, 1, 1"}, expect = ACCEPTABLE,
        desc = "`second`'s waiter arrived at 1 and succeeded at once.")
@Outcome(id = {"1, 3, 1, 3, 3, 1", "3, 3, 1, 3, 3, 1"}, expect = ACCEPTABLE,
        desc = "`second`'s waiter arrived after both of its updates.")
@Outcome(id = {"0, 1, .*", "1, 1, .*", ".*, 1, 3, [01]"}, expect = FORBIDDEN,
        desc = "Released by an update that did not satisfy the predicate, or not by the first one that did.")
@Outcome(id = {"[13], 3, 0, .*", ".*, 3, 3, 0"}, expect = FORBIDDEN,
        desc = "Stale read: the releasing update did not publish the updater's earlier write.")
@Outcome(expect = FORBIDDEN, desc = "A wait timed out (-1: lost wake-up), or another broken outcome.")
@State
public class CounterWaiterIsReleasedByTheFirstMatchingUpdate {
    static final long TIMED_OUT = -1;

    private final Counter first = new Counter(0);
    private final Counter second = new Counter(0);
    private int data1;
    private int data2;
    private volatile boolean waiterStarted;

    @Actor
    public void updater() {
        Bounded.until(() -> waiterStarted); // only lines the actors up: proceeds either way
        first.add(1);
        data1 = 1;
        first.add(2);
        second.add(1);
        data2 = 1;
        second.add(2);
    }

    @Actor
    public void waiter(JJJJJJ_Result r) {
        waiterStarted = true;
        Change c = Bounded.await(first, ChangeMatch.atLeast(2));
        if (c == null) {
            r.r1 = TIMED_OUT;
            r.r2 = TIMED_OUT;
        } else {
            r.r1 = c.oldValue();
            r.r2 = c.newValue();
            r.r3 = data1;
        }
        Counter.Watch w = second.when(ChangeMatch.atLeast(1));
        if (Bounded.any(Bounded.PATIENCE, w) == 0) {
            c = w.change();
            r.r4 = c.oldValue();
            r.r5 = c.newValue();
            r.r6 = data2;
        } else {
            r.r4 = TIMED_OUT;
            r.r5 = TIMED_OUT;
        }
    }
}
