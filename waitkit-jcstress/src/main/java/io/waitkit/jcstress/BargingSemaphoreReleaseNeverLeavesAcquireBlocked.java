package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Fairness;
import io.waitkit.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/*
 * No lost wake-up on a BARGING semaphore, the liveness form. A release with a queued waiter
 * does not take the permit for it: it marks the waiter woken and unparks it if it announced a
 * park; the waiter re-reads the mark after its announcement (a Dekker pair of volatile
 * accesses, as for a claimed waiter's status) and then takes the permit itself. The actor
 * blocks in acquireUninterruptibly() on a semaphore with no permit while the harness releases
 * one at an arbitrary moment: before it arrives, while it spins, while it registers, between
 * its announcement and its park, or after it parked. It must always return; a woken mark that
 * it never sees leaves it parked forever, which jcstress reports as STALE.
 */
@JCStressTest(Mode.Termination)
@Description("Barging semaphore: release() racing an untimed acquire() always lets the waiter take the permit.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter took the permit and returned.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the waiter stays blocked although a permit was released.")
@State
public class BargingSemaphoreReleaseNeverLeavesAcquireBlocked {
    private final Semaphore semaphore = new Semaphore(0, 1, Fairness.BARGING);

    @Actor
    public void waiter() {
        semaphore.acquireUninterruptibly();
    }

    @Signal
    public void signal() {
        semaphore.release();
    }
}
