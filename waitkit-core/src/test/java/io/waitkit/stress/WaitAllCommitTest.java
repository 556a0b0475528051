package io.waitkit.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Counter;
import io.waitkit.Event;
import io.waitkit.Exchange;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Focused reproducers for a bug the extended stress test found (an {@code AssertionError
 * "io.waitkit.Exchange cannot be abandoned"} out of {@code Wait.all}, then every thread that
 * touched that exchange hung): wait-all evaluated each object's {@code acquireFor} twice, once
 * to check that all objects were available and once more to commit, and committed the second
 * answer without looking at it. An answer that changed in between, {@code UNAVAILABLE} (-1),
 * was committed as the object's new value: its bits set the "abandoned mutex" flag of the
 * result and the LOCKED bit of the object's state word, which then stayed locked for ever.
 *
 * <p>Answers may legitimately change between the two evaluations: an {@link Exchange} answers
 * from its pending requests, whose clients give up under their own lock (a timeout, a
 * cancelled future), and a {@link Counter} predicate may read state of its own. The fix commits
 * the answers the check pass computed. Both reproducers are deterministic: the predicate, run
 * in the check pass after the other object was checked, changes what the second evaluation
 * would answer.
 */
class WaitAllCommitTest {
    @Test
    void waitAllCommitsThePredicateAnswerItChecked() {
        Counter counter = new Counter(5);
        Event event = Event.manualReset(true);
        AtomicBoolean gate = new AtomicBoolean(true);
        ChangeMatch onceOpen = (o, n) -> gate.getAndSet(false); // another thread could close it as well
        Counter.Watch watch = counter.when(onceOpen);
        boolean all = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Wait.all(Duration.ZERO, event, watch));
        assertTrue(all, "every object was available when checked");
        assertEquals(new Change(5, 5), watch.change());
        assertEquals(6, assertTimeoutPreemptively(Duration.ofSeconds(10), counter::increment),
                "the counter stays usable (its lock was left held)");
        assertTrue(event.isSignaled());
    }

    @Test
    void queuedWaitAllCompletedByASignalCommitsThePredicateAnswerItChecked() {
        Counter counter = new Counter(7);
        Event event = Event.autoReset(false);
        AtomicBoolean gate = new AtomicBoolean(true);
        Counter.Watch watch = counter.when((o, n) -> gate.getAndSet(false));
        CompletableFuture<Void> all = Wait.allAsync(event, watch); // the event is checked first: queued
        assertFalse(all.isDone());
        assertTimeoutPreemptively(Duration.ofSeconds(10), event::set); // completes the wait-all
        assertTrue(all.isDone() && !all.isCompletedExceptionally(), "completed by the set: " + all);
        assertEquals(new Change(7, 7), watch.change());
        assertFalse(event.isSignaled(), "the wait-all consumed the auto-reset event");
        assertEquals(8, assertTimeoutPreemptively(Duration.ofSeconds(10), counter::increment),
                "the counter stays usable (its lock was left held)");
    }

    @Test
    void waitAllAcceptsARequestWhoseClientGivesUpBetweenTheCheckAndTheCommit() {
        Exchange<String, String> exchange = new Exchange<>();
        CompletableFuture<String> call = exchange.callAsync("query");
        Counter counter = new Counter(0);
        // runs in the check pass, after the exchange was checked: the client gives up now
        ChangeMatch clientGivesUp = (o, n) -> call.cancel(true);
        Exchange.Accept<String, String> accept = exchange.acceptOp();
        boolean all = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> Wait.all(Duration.ZERO, accept, counter.when(clientGivesUp)));
        assertTrue(all, "the request was pending when checked");
        assertNotNull(accept.request(), "the accept took the request");
        assertTrue(call.isCancelled());
        assertFalse(accept.request().reply("late"), "the client gave up: the reply reports false");
        assertEquals(0, assertTimeoutPreemptively(Duration.ofSeconds(10), exchange::pendingRequests),
                "the exchange stays usable (its lock was left held)");
        CompletableFuture<String> next = exchange.callAsync("next");
        Exchange.Request<String, String> r = exchange.tryAccept();
        assertNotNull(r);
        assertTrue(r.reply("answer"));
        assertEquals("answer", next.join());
    }
}
