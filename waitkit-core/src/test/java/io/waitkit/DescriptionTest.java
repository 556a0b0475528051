package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code toString()} of every primitive shows its state, its owner where it has one, and the
 * number of waits queued on it; reading it acquires nothing (the state and the waiters are
 * the same before and after). Waiters are pending async waits, cancelled at the end.
 */
class DescriptionTest {
    private final List<CompletableFuture<?>> pending = new ArrayList<>();

    @AfterEach
    void cancelPending() {
        for (CompletableFuture<?> f : pending) {
            f.cancel(false);
        }
    }

    private <T> CompletableFuture<T> pending(CompletableFuture<T> f) {
        pending.add(f);
        assertFalse(f.isDone(), "the wait must stay pending for the test");
        return f;
    }

    private static String me() {
        Thread t = Thread.currentThread();
        return t.getName() + " (#" + t.threadId() + ")";
    }

    /** Reads the description twice: reading changes nothing. */
    private static void assertDescribed(String expected, Object o) {
        assertEquals(expected, o.toString());
        assertEquals(expected, o.toString(), "a second read differs: the first one changed the state");
    }

    @Test
    void mutexShowsFreeOwnerHoldsAndWaiters() throws Exception {
        Mutex m = new Mutex();
        assertDescribed("Mutex[free, waiters=0]", m);
        m.lock();
        m.lock();
        assertDescribed("Mutex[owner=" + me() + ", holds=2, waiters=0]", m);
        CompletableFuture<CompletableFuture<Void>> other = CompletableFuture.supplyAsync(m::lockAsync,
                r -> Thread.ofPlatform().name("other").start(r));
        pending(other.get(30, TimeUnit.SECONDS));
        assertDescribed("Mutex[owner=" + me() + ", holds=2, waiters=1]", m);
        assertEquals(2, m.holdCount());
        m.unlock();
        m.unlock();
    }

    @Test
    void abandonedMutexShowsTheDeadOwner() throws Exception {
        Mutex m = new Mutex();
        Thread t = Thread.ofPlatform().name("short-lived").start(m::lock);
        t.join();
        assertDescribed("Mutex[abandoned by short-lived (#" + t.threadId() + ", terminated), waiters=0]", m);
    }

    @Test
    void rwLockShowsWriterReadersAndWaiters() throws Exception {
        RwLock rw = RwLock.preferWriters();
        assertDescribed("RwLock[prefer writers, readers=0, waiters=0]", rw);
        rw.writeLock().lock();
        pending(Wait.anyAsync(rw.readLock()));
        assertDescribed("RwLock[prefer writers, writer=" + me() + ", waiters=1]", rw);
        rw.writeLock().unlock(); // admits the pending reader
        assertDescribed("RwLock[prefer writers, readers=1, waiters=0]", rw);
        rw.readLock().unlock();
    }

    @Test
    void monitorShowsItsMutexAndConditionWaiters() throws Exception {
        Monitor mon = new Monitor();
        assertDescribed("Monitor[Mutex[free, waiters=0], condition waiters=0]", mon);
    }

    @Test
    void eventsAndTimersShowSignalStateAndWaiters() {
        assertDescribed("Event[manual-reset, signaled, waiters=0]", Event.manualReset(true));
        Event e = Event.autoReset(false);
        pending(Wait.anyAsync(e));
        pending(Wait.anyAsync(e));
        assertDescribed("Event[auto-reset, non-signaled, waiters=2]", e);
        WaitableTimer timer = WaitableTimer.manualReset();
        pending(timer.awaitAsync());
        assertDescribed("WaitableTimer[manual-reset, disarmed, non-signaled, waiters=1]", timer);
        Signal s = new Signal();
        assertDescribed("Signal[waiters=0]", s);
        pending(s.awaitAsync());
        assertDescribed("Signal[waiters=1]", s);
        EventFlags flags = new EventFlags(5);
        pending(Wait.anyAsync(flags.anyOf(0x8, false)));
        assertDescribed("EventFlags[0x5, waiters=1]", flags);
        PostWait pw = PostWait.current();
        pending(pw.awaitAsync());
        assertDescribed("PostWait[thread=" + me() + ", idle, waiters=1]", pw);
        Completion c = Wait.completion(new CompletableFuture<>());
        pending(Wait.anyAsync(c));
        assertDescribed("Completion[pending, waiters=1]", c);
    }

    @Test
    void countingObjectsShowTheirValueAndWaiters() {
        Semaphore sem = new Semaphore(0, 5);
        pending(Wait.anyAsync(sem));
        assertDescribed("Semaphore[permits=0/5, waiters=1]", sem);
        BinarySemaphore bin = new BinarySemaphore(false);
        pending(Wait.anyAsync(bin));
        assertDescribed("BinarySemaphore[taken, waiters=1]", bin);
        assertDescribed("BinarySemaphore[available, waiters=0]", new BinarySemaphore(true));
        Counter counter = new Counter(3);
        pending(counter.awaitAsync(ChangeMatch.atLeast(10)));
        assertDescribed("Counter[value=3, waiters=1]", counter);
        Threshold th = new Threshold(7, ChangeMatch.atLeast(100), v -> v);
        pending(th.awaitAsync());
        assertDescribed("Threshold[value=7, waiters=1]", th);
        Barrier b = new Barrier(3);
        pending(b.awaitAsync());
        assertDescribed("Barrier[1/3 arrived, waiters=1]", b);
    }

    @Test
    void pairingObjectsShowTheWaitingParties() {
        Rendezvous<String> r = new Rendezvous<>();
        assertDescribed("Rendezvous[empty, waiters=0]", r);
        pending(r.exchangeAsync("x"));
        assertDescribed("Rendezvous[a party waiting, waiters=1]", r);
        Exchange<String, String> ex = new Exchange<>();
        pending(ex.acceptAsync());
        assertDescribed("Exchange[pending=0, waiters=1]", ex);
    }

    @Test
    void streamsAndQueuesShowFillAndWaiters() throws Exception {
        ByteStream bs = new ByteStream(8);
        pending(bs.readAsync(new byte[4], 0, 1, 4));
        assertDescribed("ByteStream[0/8, waiters=1]", bs);
        MessageQueue mq = new MessageQueue(1, 8);
        mq.send(new byte[] {1}, 0);
        pending(mq.sendAsync(new byte[] {2}, 0));
        assertDescribed("MessageQueue[1/1, max 8 B, waiters=1]", mq);
        Pipe p = new Pipe(16);
        pending(Wait.anyAsync(p.readable()));
        assertDescribed("Pipe[0/16, waiters=1]", p);
    }

    @Test
    void spinLockShowsItsOwner() throws Exception {
        SpinLock s = new SpinLock();
        s.lock();
        try {
            assertDescribed("SpinLock[owner=" + me() + "]", s);
        } finally {
            s.unlock();
        }
        assertDescribed("SpinLock[free]", s);
    }

    @Test
    void describingAMutexHeldElsewhereNeitherBlocksNorAcquires() throws Exception {
        Mutex m = new Mutex();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().name("holder").start(() -> {
            m.lock();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                m.unlock();
            }
        });
        assertTrue(held.await(30, TimeUnit.SECONDS));
        assertDescribed("Mutex[owner=holder (#" + owner.threadId() + "), holds=1, waiters=0]", m);
        assertFalse(m.isHeldByCurrentThread());
        release.countDown();
        owner.join();
    }
}
