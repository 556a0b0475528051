package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Channel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/*
 * A capacity-0 channel is a synchronous hand-off: a send and a receive complete together or
 * not at all. Two such channels, one race on each, in opposite directions:
 *
 *   `toReceiver`: actor S polls trySend(1) while actor R waits in receive(100 us). trySend
 *   succeeds only if R's receive is queued at that moment, and then R returns the item; if R
 *   is not queued yet, or its timeout already withdrew it, trySend fails and R's receive
 *   returns nothing.
 *
 *   `toSender`: S starts sendAsync(2), waits up to 100 us for its future and then cancels it,
 *   while R polls tryReceive(). tryReceive gets 2 only if the asynchronous send is queued and
 *   not yet withdrawn, and then the cancel must fail (the send completed). A cancel that
 *   succeeds means the send was withdrawn first, and tryReceive must have found nobody.
 *
 * Both actors spend about 100 us per sample, so they stay in step (jcstress lines up the
 * actors only at the start of each stride of samples): S's trySend meets R's receive as it
 * registers or while it waits, and R's tryReceive, which follows its receive, meets S's async
 * send while it waits or as its wait expires and the cancel withdraws it.
 *
 * Each race has exactly two results, and the two races are independent (each actor's two
 * operations are on different channels), so all four combinations are reachable.
 *
 * r1 = trySend(1) succeeded (0/1), r2 = the item R's receive returned (0 on timeout),
 * r3 = the async send completed, its cancel failed (0/1), r4 = the item tryReceive() got (0 if
 * none).
 */
@JCStressTest
@Description("Channel(0): trySend racing a short timed receive, and a briefly awaited then cancelled sendAsync racing tryReceive: both sides complete together or neither does.")
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "Neither race paired: each send found no receiver, each wait gave up.")
@Outcome(id = "1, 1, 0, 0", expect = ACCEPTABLE_INTERESTING, desc = "trySend met the queued receive; the async send was withdrawn before tryReceive came.")
@Outcome(id = "0, 0, 1, 2", expect = ACCEPTABLE_INTERESTING, desc = "tryReceive took the queued async send, whose cancel then failed.")
@Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE_INTERESTING, desc = "Both races paired.")
@Outcome(id = {"1, 0, .*", "0, 1, .*"}, expect = FORBIDDEN, desc = "trySend and the timed receive disagree: an item lost or conjured.")
@Outcome(id = {"[01], [01], 1, 0", "[01], [01], 0, 2"}, expect = FORBIDDEN, desc = "The async send and tryReceive disagree: an item lost or duplicated.")
@Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
@State
public class ChannelHandOffCompletesBothSidesOrNeither {
    /** Short enough that many samples time out, long enough that many pair. */
    static final Duration SHORT = Duration.ofNanos(100_000);

    private final Channel<Integer> toReceiver = new Channel<>(0);
    private final Channel<Integer> toSender = new Channel<>(0);

    @Actor
    public void sender(IIII_Result r) {
        r.r1 = toReceiver.trySend(1) ? 1 : 0;
        CompletableFuture<Void> pending = toSender.sendAsync(2);
        awaitBriefly(pending);
        r.r3 = pending.cancel(false) ? 0 : 1;
    }

    @Actor
    public void receiver(IIII_Result r) {
        Integer waited = Bounded.receive(toReceiver, SHORT);
        r.r2 = waited == null ? 0 : waited;
        Integer polled = toSender.tryReceive();
        r.r4 = polled == null ? 0 : polled;
    }

    /** Waits up to SHORT for the future; whether it completed is decided by the cancel after. */
    private static void awaitBriefly(CompletableFuture<Void> future) {
        try {
            future.get(SHORT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // expected in many samples: the cancel that follows withdraws the send or fails
        } catch (ExecutionException e) {
            throw new IllegalStateException("an asynchronous send failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("a jcstress actor was interrupted", e);
        }
    }
}
