package io.waitkit.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.waitkit.Barrier;
import io.waitkit.RwLock;
import io.waitkit.Wait;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Focused reproducers for a bug the extended stress test found (its invariant "the successful
 * waits on a barrier between two checkpoints are a whole number of rounds" failed within
 * seconds on most seeds): a barrier round was completed with the arrival of a wait that had
 * already ended, so the other members passed without it while it reported a timeout or a
 * cancellation.
 *
 * <p>The completing arrival counted every node queued on the barrier, including the node of a
 * waiter whose cancel (timeout, interrupt, {@code cancel()}, or another object won in a
 * wait-any) had already succeeded but which had not yet taken the barrier's lock to withdraw.
 * The fix forms a round only of waits the completing arrival can claim, all of them at once
 * before anything is committed, as pairs of a hand-off already were.
 */
class BarrierRoundTest {

    /**
     * A cancelled async arrival races with the completing {@code tryAwait()} of a second party
     * of a two-party barrier: either the arrival was withdrawn and nobody passed, or both
     * passed. Without the fix about one cancellation in two let the other party pass alone on
     * the 2-core development machine; the loop stops after 20000 cancellations or 15 s.
     */
    @Test
    void cancelledArrivalIsNeverCountedInARoundThatPassesWithoutIt() throws InterruptedException {
        AtomicReference<Barrier> current = new AtomicReference<>();
        AtomicInteger phase = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(); // 0 pending, 1 passed, 2 not passed
        AtomicBoolean stop = new AtomicBoolean();
        Thread other = Thread.ofPlatform().daemon().name("completing-party").start(() -> {
            int seen = 0;
            while (!stop.get()) {
                int p = phase.get();
                if (p == seen) {
                    Thread.onSpinWait();
                    continue;
                }
                seen = p;
                result.set(current.get().tryAwait() ? 1 : 2);
            }
        });
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int cancellations = 0;
            for (int round = 1; cancellations < 20_000 && System.nanoTime() - end < 0; round++) {
                Barrier barrier = new Barrier(2);
                current.set(barrier);
                CompletableFuture<Void> arrival = barrier.awaitAsync();
                result.set(0);
                phase.set(round);
                for (int k = round % 97; k > 0; k--) {
                    Thread.onSpinWait();
                }
                boolean cancelled = arrival.cancel(false);
                int r;
                while ((r = result.get()) == 0) {
                    Thread.onSpinWait();
                }
                if (cancelled) {
                    cancellations++;
                    if (r == 1) {
                        fail("round " + round + ": cancel() returned true (the arrival was taken back) but the other"
                                + " party of the 2-party barrier passed");
                    }
                } else {
                    assertEquals(1, r, "round " + round + ": the arrival passed but the completing party did not");
                    assertTrue(arrival.isDone() && !arrival.isCompletedExceptionally(), "round " + round);
                }
                assertEquals(0, barrier.waiting(), "round " + round);
            }
        } finally {
            stop.set(true);
            other.join(10_000);
        }
    }

    /**
     * One wait-any that lists a barrier twice is one arrival. The former Barrier counted its
     * two queued nodes as two arrivals, so such a wait passed a 2-party barrier alone; the
     * first version of the group completion counted them as two candidates, failed to claim
     * the second, undid the claims and rescanned, over and over (a stack overflow in the
     * stress run). A round of three needs two other waits, and reports the lowest index.
     */
    @Test
    void waitAnyListingABarrierTwiceIsOneArrival() throws InterruptedException {
        Barrier two = new Barrier(2);
        assertEquals(Wait.TIMEOUT, Wait.any(java.time.Duration.ofMillis(20), two, two),
                "a wait listing a 2-party barrier twice passed alone");
        assertEquals(0, two.waiting());

        Barrier three = new Barrier(3);
        CompletableFuture<Integer> twice = Wait.anyAsync(three, three);
        assertFalse(three.tryAwait(), "the wait listing the barrier twice and a try are two arrivals, not three");
        assertFalse(twice.isDone());
        CompletableFuture<Void> other = three.awaitAsync();
        assertFalse(twice.isDone() || other.isDone(), "two waits are not a round of three");
        assertTrue(three.tryAwait(), "a third arrival completes the round");
        assertTrue(twice.isDone() && other.isDone());
        assertEquals(0, twice.join(), "the barrier is reported at its lowest index");
        assertEquals(0, three.waiting());
    }

    /**
     * Deterministic interleaving: cancelling a wait-any withdraws its first member (a writer
     * queued on a preferWriters lock), which admits a queued reader whose completion callback
     * runs {@code tryAwait()} while the cancelled wait's barrier node is still queued. Without
     * the fix the callback completed a round of three with that node and the live member,
     * releasing the member although only two live arrivals had met.
     */
    @Test
    void arrivalOfACancelledWaitAnyDoesNotCompleteARoundWithTheLiveMembers() {
        Barrier barrier = new Barrier(3);
        RwLock trigger = RwLock.preferWriters();
        trigger.readLock().lock();
        CompletableFuture<Void> member = barrier.awaitAsync();
        CompletableFuture<Integer> wait = Wait.anyAsync(trigger.writeLock(), barrier);
        assertEquals(2, barrier.waiting());
        CompletableFuture<Void> reader = trigger.readLock().lockAsync();
        assertFalse(reader.isDone(), "held back by the queued writer");
        AtomicBoolean passed = new AtomicBoolean();
        reader.thenRun(() -> passed.set(barrier.tryAwait()));

        assertTrue(wait.cancel(true), "nothing was acquired");
        assertTrue(reader.isDone(), "the withdrawal of the writer admitted the reader");
        assertFalse(passed.get(), "the cancelled wait's arrival completed a round");
        assertFalse(member.isDone(), "the live member passed in a round of two arrivals");
        assertEquals(1, barrier.waiting(), "only the live member waits");

        // the round completes with two more live arrivals, releasing the member with them
        CompletableFuture<Void> second = barrier.awaitAsync();
        assertTrue(barrier.tryAwait());
        assertTrue(member.isDone() && second.isDone());
        assertEquals(0, barrier.waiting());
    }
}
