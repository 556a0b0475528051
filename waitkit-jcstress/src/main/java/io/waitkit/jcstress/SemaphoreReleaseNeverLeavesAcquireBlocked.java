package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Semaphore;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/*
 * No lost wake-up on the lock path, the liveness form. A semaphore spins before it queues and
 * its queued waiters spin before they park; a release unparks the waiter it served only if
 * that waiter announced a park (Waiter.announcePark / unpark: a Dekker pair of volatile
 * accesses). The actor blocks in acquireUninterruptibly() on a semaphore with no permit while
 * the harness releases one at an arbitrary moment: before the actor arrives, while it spins
 * before queueing, while it registers, while it spins queued, between its announcement and its
 * park, or after it parked. The actor must always return; a release that skipped a needed
 * unpark leaves it parked forever, which jcstress reports as STALE.
 */
@JCStressTest(Mode.Termination)
@Description("Semaphore: release() racing an untimed acquire() always releases the waiter, at every phase of its spinning and parking.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter got the permit and returned.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the waiter stays blocked although a permit was released to it.")
@State
public class SemaphoreReleaseNeverLeavesAcquireBlocked {
    private final Semaphore semaphore = new Semaphore(0, 1);

    @Actor
    public void waiter() {
        semaphore.acquireUninterruptibly();
    }

    @Signal
    public void signal() {
        semaphore.release();
    }
}
