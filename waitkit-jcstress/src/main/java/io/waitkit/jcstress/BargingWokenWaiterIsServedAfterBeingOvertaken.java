package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Fairness;
import io.waitkit.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/*
 * A queued waiter of a BARGING mutex is always served, even when a running thread takes the
 * mutex from under it. The holder actor locks first (a handshake makes the waiter arrive
 * second), unlocks, and at once tries to lock again (barging: it may win against the waiter it
 * just woke), and if it got the mutex, unlocks again. The waiter blocks in tryLock(10 s). In
 * every interleaving the mutex is free once the holder is done, so the waiter must get it: if
 * it was overtaken, it kept its place and the holder's second unlock woke it again. A waiter
 * that times out lost a wake-up.
 *
 * r1 = the waiter got the mutex (1) or timed out (0), r2 = the holder's second lock succeeded,
 * r3 = 1 if the mutex is free afterwards.
 */
@JCStressTest
@Description("Barging mutex: a waiter overtaken by the releasing thread's own re-lock is woken again and served.")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "The waiter got the mutex before the holder's re-lock.")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "The holder barged back in; the waiter was served after.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The waiter timed out: the wake-up was lost after it was overtaken.")
@Outcome(expect = FORBIDDEN, desc = "The mutex was left held, or another broken outcome.")
@State
public class BargingWokenWaiterIsServedAfterBeingOvertaken {
    private final Mutex mutex = new Mutex(Fairness.BARGING);
    private volatile boolean held;

    @Actor
    public void holder(III_Result r) {
        mutex.lock();
        held = true;
        mutex.unlock();
        boolean again = mutex.tryLock();
        if (again) {
            mutex.unlock();
        }
        r.r2 = again ? 1 : 0;
    }

    @Actor
    public void waiter(III_Result r) {
        if (!Bounded.until(() -> held)) {
            r.r1 = -1;
            return;
        }
        boolean got = Bounded.tryLock(mutex);
        if (got) {
            mutex.unlock();
        }
        r.r1 = got ? 1 : 0;
    }

    @Arbiter
    public void after(III_Result r) {
        r.r3 = mutex.owner() == null && mutex.holdCount() == 0 ? 1 : 0;
    }
}
