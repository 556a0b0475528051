package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Fairness;
import io.waitkit.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/*
 * No lost wake-up between a releasing owner and a waiter that is queueing at that moment: the
 * final unlock frees the mutex's lock word with a store and then reads the state word, while
 * the waiter takes the object lock, reads the lock word and queues (a Dekker pair). The owner
 * actor locks both mutexes (hand-off and barging), raises `held` and unlocks them at once,
 * without waiting for the waiter to park, so the unlock races the waiter's registration; the
 * waiter waits for `held` and locks each mutex with a 10 s timeout. Whichever side sees the
 * other, the waiter must get both: a timed-out lock is a lost wake-up.
 *
 * r1 = 1 if the owner locked both, r2 / r3 = the waiter's hold count on the hand-off / the
 * barging mutex once its tryLock returned (0 if it timed out).
 */
@JCStressTest
@Description("Mutex: an unlock racing a waiter that is queueing never loses its wake-up (hand-off and barging).")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "The waiter got both mutexes.")
@Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "The waiter timed out on the hand-off mutex: lost wake-up.")
@Outcome(id = "1, .*, 0", expect = FORBIDDEN, desc = "The waiter timed out on the barging mutex: lost wake-up.")
@Outcome(expect = FORBIDDEN, desc = "Any other outcome: the owner did not get the mutexes, or a wrong hold count.")
@State
public class MutexUnlockRacingAQueuingWaiterWakesIt {
    private final Mutex handOff = new Mutex();
    private final Mutex barging = new Mutex(Fairness.BARGING);
    private volatile boolean held;

    @Actor
    public void owner(III_Result r) {
        boolean both = Bounded.tryLock(handOff);
        if (both && !Bounded.tryLock(barging)) {
            handOff.unlock();
            both = false;
        }
        held = true; // raised either way: the waiter never waits past its bound
        if (both) {
            handOff.unlock();
            barging.unlock();
        }
        r.r1 = both ? 1 : 0;
    }

    @Actor
    public void waiter(III_Result r) {
        if (!Bounded.until(() -> held)) {
            return;
        }
        r.r2 = take(handOff);
        r.r3 = take(barging);
    }

    private static int take(Mutex m) {
        if (!Bounded.tryLock(m)) {
            return 0;
        }
        int holds = m.holdCount();
        m.unlock();
        return holds;
    }
}
