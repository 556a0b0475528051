package io.waitkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Deadline;
import io.waitkit.Wait;
import io.waitkit.contract.PostWaitUnderTest.Result;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The contract of per-thread post/wait, after HP-UX {@code postwait(2)}: each thread has one slot
 * that holds at most one pending post; a post to a slot with a post pending is discarded; a wait
 * consumes the pending post or waits for the next, which the post hands to it before returning;
 * only the slot's own thread may wait on it; a post to a thread that is not alive fails; a
 * multi-post reports a result per target. Every test runs its slots on fresh threads, so that slots
 * of the shared test thread never carry a post over.
 *
 * <p>A backend extends this class and implements {@link #slotOf} and {@link #postAll}.
 */
public abstract class PostWaitContract extends ContractBase {
    /**
     * Returns a thread's slot.
     *
     * @param thread the thread
     * @return its slot
     * @throws NullPointerException if {@code thread} is null
     */
    protected abstract PostWaitUnderTest slotOf(Thread thread);

    /**
     * Posts to each target.
     *
     * @param targets the threads
     * @return one result per target, in order
     * @throws NullPointerException if {@code targets} or an element is null
     */
    protected abstract Result[] postAll(Thread... targets);

    private PostWaitUnderTest mine() {
        return slotOf(Thread.currentThread());
    }

    private static void onFreshThread(Forked.Body body) {
        Forked.run("slot-owner", body).join();
    }

    /** A live thread that waits until {@link #close()}, doing nothing with its slot. */
    private static final class Idle implements AutoCloseable {
        final CountDownLatch done = new CountDownLatch(1);
        final Forked<Void> thread = Forked.run("idle", done::await);

        @Override
        public void close() {
            done.countDown();
            thread.join();
        }
    }

    // ---------------------------------------------------------------- single thread

    @Test
    public void freshSlotBelongsToItsThreadHasNoPostAndPollsFail() {
        onFreshThread(() -> {
            PostWaitUnderTest me = mine();
            assertSame(Thread.currentThread(), me.thread());
            assertFalse(me.isPosted());
            assertFalse(me.tryAwait());
            assertFalse(me.await(Duration.ZERO));
            assertFalse(me.await(Deadline.now()));
            assertEquals(Wait.TIMEOUT, Wait.any(Duration.ZERO, me.waitable()));
        });
    }

    @Test
    public void onePostIsPendingAtATimeAndOneWaitConsumesIt() {
        onFreshThread(() -> {
            PostWaitUnderTest me = mine();
            assertTrue(me.post());
            assertFalse(me.post(), "a second post while one is pending is discarded");
            assertTrue(me.isPosted());
            assertTrue(me.tryAwait());
            assertFalse(me.isPosted());
            assertFalse(me.tryAwait(), "the discarded post left nothing");
            me.post();
            assertTrue(me.await(Duration.ZERO));
            me.post();
            me.await();
            assertFalse(me.isPosted());
        });
    }

    @Test
    public void timedWaitTimesOutNeverEarlyAndALaterPostStaysPending() {
        onFreshThread(() -> {
            PostWaitUnderTest me = mine();
            long t0 = System.nanoTime();
            assertFalse(me.await(SHORT));
            assertNeverEarly(t0, SHORT);
            t0 = System.nanoTime();
            assertFalse(me.await(Deadline.after(SHORT)));
            assertNeverEarly(t0, SHORT);
            assertTrue(me.post());
            assertTrue(me.isPosted(), "no withdrawn wait consumed it");
        });
    }

    @Test
    public void nullArgumentsAreRejectedAndTheSlotStaysUsable() {
        assertThrows(NullPointerException.class, () -> slotOf(null));
        assertThrows(NullPointerException.class, () -> postAll((Thread[]) null));
        onFreshThread(() -> {
            PostWaitUnderTest me = mine();
            assertThrows(NullPointerException.class, () -> postAll(Thread.currentThread(), null));
            assertFalse(me.isPosted(), "a rejected multi-post posts to no target");
            assertThrows(NullPointerException.class, () -> me.await((Duration) null));
            assertThrows(NullPointerException.class, () -> me.await((Deadline) null));
            me.post();
            assertTrue(me.tryAwait());
        });
    }

    // ---------------------------------------------------------------- other threads

    @Test
    public void postHandsOffToTheWaitingThreadBeforeReturning() {
        Forked<Void> target = blockedRun("target", () -> mine().await());
        PostWaitUnderTest slot = slotOf(target.thread());
        assertTrue(slot.post());
        assertFalse(slot.isPosted(), "the waiting thread consumed the post before post returned");
        target.join();
    }

    @Test
    public void waitingOnAnotherThreadsSlotIsRefusedInEveryFormAndTheSlotKeepsItsPost() {
        try (Idle other = new Idle()) {
            PostWaitUnderTest slot = slotOf(other.thread.thread());
            assertTrue(slot.post());
            assertThrows(IllegalMonitorStateException.class, slot::tryAwait);
            assertThrows(IllegalMonitorStateException.class, () -> slot.await(LONG));
            assertThrows(IllegalMonitorStateException.class, slot::awaitAsync);
            assertThrows(IllegalMonitorStateException.class, () -> Wait.any(Duration.ZERO, slot.waitable()));
            assertTrue(slot.isPosted());
            assertFalse(slot.post(), "the post is still the pending one");
        }
    }

    @Test
    public void postToAThreadThatIsNotAliveFailsAndMultiPostReportsPerTarget() {
        Thread unstarted = Thread.ofPlatform().unstarted(() -> { });
        assertThrows(IllegalStateException.class, () -> slotOf(unstarted).post());
        try (Idle pending = new Idle(); Idle idle = new Idle()) {
            slotOf(pending.thread.thread()).post();
            Result[] r = postAll(pending.thread.thread(), idle.thread.thread(), unstarted, idle.thread.thread());
            assertArrayEquals(new Result[] {Result.DISCARDED, Result.POSTED, Result.NO_SUCH_THREAD, Result.DISCARDED}, r);
            assertTrue(slotOf(idle.thread.thread()).isPosted());
        }
        assertEquals(0, postAll().length);
    }

    // ---------------------------------------------------------------- interrupts

    @Test
    public void interruptBeforeWaitingThrowsAndThePostStaysPending() {
        onFreshThread(() -> {
            PostWaitUnderTest me = mine();
            me.post();
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, me::await);
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> me.await(LONG));
            assertFalse(Thread.currentThread().isInterrupted());
            assertTrue(me.isPosted(), "nothing consumed");
        });
    }

    @Test
    public void interruptedWaitIsWithdrawnSoTheNextPostStaysPending() {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch posted = new CountDownLatch(1);
        Forked<Boolean> target = blockedCall("target", () -> {
            PostWaitUnderTest me = mine();
            try {
                me.await(LONG);
                return false;
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            posted.await();
            return me.isPosted() && me.tryAwait();
        });
        target.interrupt();
        await(interrupted);
        assertTrue(slotOf(target.thread()).post());
        posted.countDown();
        assertTrue(target.join(), "the post waited for the next wait");
    }

    // ---------------------------------------------------------------- async

    @Test
    public void asyncWaitCompletesInsideThePostAndCancelWithdrawsIt() {
        onFreshThread(() -> {
            PostWaitUnderTest me = mine();
            CompletableFuture<Void> f = me.awaitAsync();
            assertPending(f);
            assertTrue(Forked.call("poster", me::post).join());
            assertCompleted(f);
            assertFalse(me.isPosted(), "consumed by the async wait");
            assertFalse(f.cancel(false));
            CompletableFuture<Void> cancelled = me.awaitAsync();
            assertTrue(cancelled.cancel(false));
            assertTrue(me.post());
            assertTrue(me.isPosted(), "the cancelled wait consumed nothing");
        });
    }

    // ---------------------------------------------------------------- wait-any / wait-all

    @Test
    public void blockedWaitAnyOnTheOwnSlotIsEndedByAPostWithItsIndex() {
        EventUnderTest other = newCompanionEvent(false);
        Forked<Integer> target = blockedCall("target", () -> Wait.any(LONG, other.waitable(), mine().waitable()));
        assertTrue(slotOf(target.thread()).post());
        assertEquals(1, target.join());
        other.set();
        assertTrue(other.isSignaled());
    }

    @Test
    public void waitAllConsumesThePostOnlyTogetherWithTheOtherMember() {
        EventUnderTest other = newCompanionEvent(false);
        onFreshThread(() -> {
            PostWaitUnderTest me = mine();
            me.post();
            assertFalse(Wait.all(Duration.ZERO, me.waitable(), other.waitable()));
            assertTrue(me.isPosted());
            other.set();
            assertTrue(Wait.all(Duration.ZERO, me.waitable(), other.waitable()));
            assertFalse(me.isPosted());
            assertFalse(other.isSignaled());
        });
    }
}
