package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/*
 * Hand-off: the final unlock gives the mutex to the first queued waiter before it returns, so
 * owner() read right after unlock() already names the waiter (never null, never the old
 * owner). The schedule is made deterministic by a handshake: the owner actor locks and raises
 * `held`; the waiter actor waits for `held`, publishes its thread and calls tryLock(10 s); the
 * owner waits until that thread is parked (so it is queued on the mutex), then unlocks and
 * reads owner() at once, and only then raises `observed`, which the waiter awaits before it
 * unlocks: otherwise the woken waiter could run through its critical section and unlock
 * before the old owner's read, and owner() would rightly be null. The unlock meets the queued
 * waiter in every sample, racing only the waiter's wake-up.
 *
 * r1 = what owner() said right after unlock (see the constants), r2 = the waiter's hold count
 * once its tryLock returned (0 if it timed out).
 */
@JCStressTest
@Description("Mutex: unlock() with a queued waiter hands the mutex over before returning: owner() right after it is the waiter.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Handed off: owner() named the waiter, which then held the mutex once.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "owner() was null right after unlock although a waiter was queued: no hand-off.")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "owner() still named the unlocking thread.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "Handshake timed out (10 s): the waiter never parked, or the owner never got the lock.")
@Outcome(expect = FORBIDDEN, desc = "Any other outcome: wrong owner, or the waiter did not get the mutex.")
@State
public class MutexUnlockHandsOffToQueuedWaiter {
    static final int HANDSHAKE_TIMED_OUT = -1;
    static final int FREE = 0;
    static final int WAITER = 1;
    static final int STILL_ME = 2;
    static final int SOMEONE_ELSE = 3;

    private final Mutex mutex = new Mutex();
    private volatile boolean held;
    private volatile Thread waiter;
    private volatile boolean observed;

    @Actor
    public void owner(II_Result r) {
        if (!Bounded.tryLock(mutex)) {
            r.r1 = HANDSHAKE_TIMED_OUT;
            return;
        }
        held = true;
        Thread w = Bounded.until(() -> waiter != null) ? waiter : null;
        if (w == null || !Bounded.untilParked(w)) {
            mutex.unlock();
            observed = true;
            r.r1 = HANDSHAKE_TIMED_OUT;
            return;
        }
        mutex.unlock();
        Thread o = mutex.owner();
        observed = true;
        r.r1 = o == w ? WAITER : o == null ? FREE : o == Thread.currentThread() ? STILL_ME : SOMEONE_ELSE;
    }

    @Actor
    public void waiter(II_Result r) {
        if (!Bounded.until(() -> held)) {
            r.r2 = HANDSHAKE_TIMED_OUT;
            return;
        }
        waiter = Thread.currentThread();
        if (Bounded.tryLock(mutex)) {
            r.r2 = mutex.holdCount();
            Bounded.until(() -> observed);
            mutex.unlock();
        } else {
            r.r2 = 0;
        }
    }
}
