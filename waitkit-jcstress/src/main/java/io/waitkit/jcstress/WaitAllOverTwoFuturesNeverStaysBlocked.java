package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Completion;
import io.waitkit.Wait;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/*
 * No lost wake-up through the engine's proxy seam, the liveness form: an actor blocks in an
 * untimed Wait.all over two future members while the harness completes both futures at an
 * arbitrary moment (before the actor arrives, while it registers on the first or the second
 * member, or after it parked). Futures are proxies: their completion signals the engine from
 * outside, and a wait-all over two proxies is completed after the signaller released its own
 * locks, with every lock taken afresh in order. The actor must always return; a lost
 * completion leaves it parked forever, which jcstress reports as STALE.
 */
@JCStressTest(Mode.Termination)
@Description("Wait.all over two future members: completing both futures at any moment always releases the waiter.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The wait-all acquired both members and returned.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the waiter stays blocked although both futures completed.")
@State
public class WaitAllOverTwoFuturesNeverStaysBlocked {
    private final CompletableFuture<Void> first = new CompletableFuture<>();
    private final CompletableFuture<Void> second = new CompletableFuture<>();
    private final Completion a = Wait.completion(first);
    private final Completion b = Wait.completion(second);

    @Actor
    public void waiter() {
        try {
            Wait.all(a, b);
        } catch (InterruptedException e) {
            // the harness interrupts a waiter it already judged STALE
        }
    }

    @Signal
    public void complete() {
        first.complete(null);
        second.complete(null);
    }
}
