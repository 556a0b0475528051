package io.waitkit;

import static io.waitkit.AoSupport.LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.waitkit.AoSupport.Worker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ao cases T22-T25 (docs/semantics.md#numbered-cases): {@link Counter} (ao {@code num}, a predicate
 * per waiter) and {@link Threshold} (one shared predicate plus an adjustment).
 */
class AoNumberCasesTest {

    @Test
    void ao_T22_counterReleasesEachWaiterByItsOwnPredicate() {
        Counter num = new Counter(0);
        Worker<Change> a = Worker.startParked("A new>=10", () -> num.await(ChangeMatch.atLeast(10), LONG));
        Worker<Change> b = Worker.startParked("B new odd", () -> num.await((o, n) -> (n & 1) == 1, LONG));

        assertEquals(5, num.add(5));
        assertEquals(new Change(0, 5), b.join());
        a.assertWaiting();

        assertEquals(10, num.add(5));
        assertEquals(new Change(5, 10), a.join());
        assertEquals(10, num.get(), "waits do not consume the value");
    }

    @Test
    void ao_T23_counterWaiterWhosePredicateHoldsNowSucceedsAtOnce() throws InterruptedException {
        Counter num = new Counter(7);
        assertEquals(new Change(7, 7), num.await(ChangeMatch.equalTo(7), Duration.ZERO));

        Counter.Watch watch = num.when(ChangeMatch.equalTo(7));
        assertEquals(0, Wait.any(Duration.ZERO, watch));
        assertEquals(new Change(7, 7), watch.change());
        assertNull(num.await(ChangeMatch.equalTo(8), Duration.ZERO), "a poll that does not match");
        assertEquals(7, num.get());
    }

    @Test
    void ao_T24_thresholdReleasesTheWholeBatchAndAdjusts() {
        Threshold batch = new Threshold(0, ChangeMatch.atLeast(3), v -> 0);
        Worker<Change> w1 = Worker.startParked("W1", () -> batch.await(LONG));
        Worker<Change> w2 = Worker.startParked("W2", () -> batch.await(LONG));

        assertEquals(1, batch.increment());
        assertEquals(2, batch.increment());
        w1.assertWaiting();
        w2.assertWaiting();

        assertEquals(0, batch.increment(), "the matching update is adjusted to 0");
        assertEquals(new Change(2, 3), w1.join());
        assertEquals(new Change(2, 3), w2.join());
        assertEquals(0, batch.get());
    }

    @Test
    void ao_T25_thresholdAdjustsEvenWithoutWaiters() {
        Threshold batch = new Threshold(0, ChangeMatch.atLeast(3), v -> 0);
        assertEquals(0, batch.set(5));
        assertEquals(0, batch.get());
        assertEquals(2, batch.set(2), "no match: no adjustment");
    }
}
