package io.waitkit.segment;

import static io.waitkit.segment.SegmentLayout.ALIGNMENT;
import static io.waitkit.segment.SegmentLayout.OBJECT_SIZE;
import static io.waitkit.segment.SegmentLayout.STATE_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.SemaphoreFullException;
import io.waitkit.Wait;
import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Signals from outside: a "remote writer" thread that knows only an object's segment slice and
 * a signal callback changes the segment word under the outside lock protocol, as another
 * process would, and then calls the proxy's {@link io.waitkit.internal.Proxy#signal()}. Local
 * waits (single, wait-any, wait-all, async) mixing heap objects and segment proxies must be
 * served exactly as by a local release. The segments come from a plain {@link Arena#ofShared()}
 * per test. Every wait is bounded; nothing sleeps to synchronize.
 */
class SegmentRemoteSignalTest {
    private static final Duration SHORT = Duration.ofMillis(50);
    private static final Duration LONG = Threads.BOUND;

    /** The STATE word of an object's slice, read while no lock holder is expected. */
    private static long state(MemorySegment slice) {
        return SegmentLayout.getVolatile(slice, STATE_OFFSET);
    }

    /** Both words of every object in {@code words}. */
    private static long[] words(MemorySegment words) {
        return words.toArray(ValueLayout.JAVA_LONG);
    }

    /** Runs a remote writer's action on a thread of its own and returns its result. */
    private static <T> T onRemoteWriter(String name, java.util.concurrent.Callable<T> action) {
        return Forked.call(name, action).join();
    }

    @Test
    void waitAnyOverAHeapEventAndASegmentSemaphoreIsReleasedByARemoteWriterAndTakesExactlyTheSegmentPermit()
            throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment slice = arena.allocate(OBJECT_SIZE, ALIGNMENT);
            SegmentSemaphore sem = new SegmentSemaphore(slice, 0, 1);
            Event heap = Event.autoReset(false);
            Forked<Integer> waiter = Forked.call("waiter", () -> Wait.any(LONG, heap, sem));
            waiter.awaitBlocked();

            SegmentSemaphore.Remote remote = new SegmentSemaphore.Remote(slice, sem::signal);
            assertEquals(Integer.valueOf(0), onRemoteWriter("remote-writer", remote::release));

            assertEquals(1, waiter.join(), "the segment semaphore was acquired, and only it");
            assertEquals(0L, state(slice), "the permit was consumed from the segment");
            assertFalse(sem.hasLocalWaiters());
            assertFalse(heap.isSignaled());
            heap.set();
            assertTrue(heap.tryAwait(), "the withdrawn node on the heap event took nothing");
        }
    }

    @Test
    void autoResetSegmentEventReleasesExactlyOneOfTwoWaitAnyWaitersPerRemoteSet() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment slice = arena.allocate(OBJECT_SIZE, ALIGNMENT);
            SegmentEvent event = new SegmentEvent(slice, false, false);
            Event heap = Event.autoReset(false);
            Forked<Integer> first = Forked.call("first", () -> Wait.any(LONG, heap, event)).awaitBlocked();
            Forked<Integer> second = Forked.callVirtual("second", () -> Wait.any(LONG, heap, event)).awaitBlocked();
            SegmentEvent.Remote remote = new SegmentEvent.Remote(slice, event::signal);

            assertFalse(onRemoteWriter("remote-writer-1", remote::set));
            // signal() handed the signal off before it returned: the first waiter consumed it
            assertEquals(0L, state(slice), "the first waiter consumed the signal in the segment");
            assertEquals(1, first.join());
            assertFalse(second.isDone(), "one remote set releases one waiter of an auto-reset event");
            second.awaitBlocked();
            assertTrue(event.hasLocalWaiters());

            assertFalse(onRemoteWriter("remote-writer-2", remote::set));
            assertEquals(1, second.join());
            assertEquals(0L, state(slice));
            assertFalse(event.hasLocalWaiters());
            heap.set();
            assertTrue(heap.tryAwait(), "the withdrawn nodes on the heap event took nothing");
        }
    }

    @Test
    void manualResetSegmentEventReleasesEveryWaiterOnOneRemoteSetAndStaysSignaled() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment slice = arena.allocate(OBJECT_SIZE, ALIGNMENT);
            SegmentEvent event = new SegmentEvent(slice, true, false);
            Event heap = Event.autoReset(false);
            List<Forked<Integer>> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Forked<Integer> w = switch (i) {
                    case 0 -> Forked.call("waiter-0", () -> Wait.any(LONG, heap, event));
                    case 1 -> Forked.callVirtual("waiter-1", () -> Wait.any(LONG, heap, event));
                    case 2 -> Forked.call("waiter-2", () -> {
                        event.await();
                        return 1;
                    });
                    default -> Forked.callVirtual("waiter-3", () -> {
                        event.await();
                        return 1;
                    });
                };
                waiters.add(w.awaitBlocked());
            }
            assertFalse(onRemoteWriter("remote-writer", new SegmentEvent.Remote(slice, event::signal)::set));
            for (Forked<Integer> w : waiters) {
                assertEquals(1, w.join());
            }
            assertEquals(SegmentEvent.SIGNALED, state(slice), "a manual-reset event stays signalled");
            assertTrue(event.tryAwait());
            assertFalse(event.hasLocalWaiters());
            assertFalse(heap.isSignaled());
        }
    }

    @Test
    void waitAllOverAHeapSemaphoreASegmentSemaphoreAndASegmentEventTakesAllAtOnceWhenTheLastIsSignalledRemotely() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment words = arena.allocate(2 * OBJECT_SIZE, ALIGNMENT);
            MemorySegment semSlice = words.asSlice(0, OBJECT_SIZE);
            MemorySegment eventSlice = words.asSlice(OBJECT_SIZE, OBJECT_SIZE);
            Semaphore heap = new Semaphore(0, 1);
            SegmentSemaphore sem = new SegmentSemaphore(semSlice, 0, 1);
            SegmentEvent event = new SegmentEvent(eventSlice, false, false);
            Forked<Boolean> waiter = Forked.call("all-waiter", () -> Wait.all(LONG, heap, sem, event)).awaitBlocked();

            heap.release();
            assertEquals(Integer.valueOf(0), onRemoteWriter("remote-semaphore-writer",
                    new SegmentSemaphore.Remote(semSlice, sem::signal)::release));
            // two of three available: nothing is taken or reserved, the wait goes on
            assertEquals(1, heap.availablePermits());
            assertEquals(1L, state(semSlice));
            assertFalse(waiter.isDone());
            waiter.awaitBlocked();

            assertFalse(onRemoteWriter("remote-event-writer", new SegmentEvent.Remote(eventSlice, event::signal)::set));
            // the wait-all was completed inside that signal(): every member taken in one step
            assertEquals(0, heap.availablePermits());
            assertEquals(0L, state(semSlice), "the segment permit was taken");
            assertEquals(0L, state(eventSlice), "the auto-reset signal was consumed");
            assertTrue(waiter.join());
            assertFalse(sem.hasLocalWaiters());
            assertFalse(event.hasLocalWaiters());
        }
    }

    @Test
    void timedOutWaitAllLeavesEverySegmentWordUnchangedAndALaterRemoteSignalStays() throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment words = arena.allocate(2 * OBJECT_SIZE, ALIGNMENT);
            MemorySegment semSlice = words.asSlice(0, OBJECT_SIZE);
            MemorySegment eventSlice = words.asSlice(OBJECT_SIZE, OBJECT_SIZE);
            Semaphore heap = new Semaphore(1, 1);
            SegmentSemaphore sem = new SegmentSemaphore(semSlice, 1, 2);
            SegmentEvent event = new SegmentEvent(eventSlice, false, false);
            long[] before = words(words);

            long t0 = System.nanoTime();
            assertFalse(Wait.all(SHORT, heap, sem, event), "the event is not signalled");
            assertTrue(System.nanoTime() - t0 >= SHORT.toNanos(), "never early");

            assertArrayEquals(before, words(words), "a timed-out wait-all changes no segment word");
            assertEquals(1, heap.availablePermits());
            assertFalse(sem.hasLocalWaiters());
            assertFalse(event.hasLocalWaiters());
            assertFalse(onRemoteWriter("remote-writer", new SegmentEvent.Remote(eventSlice, event::signal)::set));
            assertEquals(SegmentEvent.SIGNALED, state(eventSlice), "no stale waiter consumed the later signal");
        }
    }

    @Test
    void asyncWaitAnyOverASegmentObjectCompletesOnARemoteSignal() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment slice = arena.allocate(OBJECT_SIZE, ALIGNMENT);
            SegmentSemaphore sem = new SegmentSemaphore(slice, 0, 1);
            CompletableFuture<Integer> f = Wait.anyAsync(sem);
            assertFalse(f.isDone());

            assertEquals(Integer.valueOf(0), onRemoteWriter("remote-writer", new SegmentSemaphore.Remote(slice, sem::signal)::release));
            assertTrue(f.isDone(), "completed inside the remote writer's signal()");
            assertEquals(0, f.get(LONG.toNanos(), TimeUnit.NANOSECONDS));
            assertEquals(0L, state(slice), "the permit was consumed from the segment");
            assertFalse(sem.hasLocalWaiters());
        }
    }

    @Test
    void asyncWaitAnyCancelledBeforeTheRemoteSignalIsWithdrawnAndLeavesTheSegmentAsWritten() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment slice = arena.allocate(OBJECT_SIZE, ALIGNMENT);
            SegmentEvent event = new SegmentEvent(slice, false, false);
            CompletableFuture<Integer> f = Wait.anyAsync(event);
            long[] before = words(slice);

            assertTrue(f.cancel(false));
            assertArrayEquals(before, words(slice), "withdrawing changes no segment word");
            assertFalse(event.hasLocalWaiters());

            assertFalse(onRemoteWriter("remote-writer", new SegmentEvent.Remote(slice, event::signal)::set));
            assertEquals(SegmentEvent.SIGNALED, state(slice), "the cancelled wait took nothing");
            assertTrue(f.isCancelled());
        }
    }

    @Test
    void everyRemoteReleaseIsTakenExactlyOnceByPlatformAndVirtualAcquirersWithinTheBound() throws Exception {
        final int writers = 2;
        final int platform = 4;
        final int virtual = 4;
        final int perAcquirer = 1_000;
        final int n = (platform + virtual) * perAcquirer;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment slice = arena.allocate(OBJECT_SIZE, ALIGNMENT);
            SegmentSemaphore sem = new SegmentSemaphore(slice, 0, 4); // a small maximum: writers wait for room
            Event never = Event.manualReset(false);
            AtomicInteger acquired = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Forked<Void>> threads = new ArrayList<>();
            for (int a = 0; a < platform + virtual; a++) {
                int id = a;
                Forked.Body body = () -> {
                    start.await();
                    for (int i = 0; i < perAcquirer; i++) {
                        take(sem, never, (id + i) % 3);
                        acquired.incrementAndGet();
                    }
                };
                threads.add(a < platform ? Forked.run("acquirer-" + a, body) : Forked.runVirtual("acquirer-" + a, body));
            }
            for (int w = 0; w < writers; w++) {
                SegmentSemaphore.Remote remote = new SegmentSemaphore.Remote(slice, sem::signal);
                threads.add(Forked.run("remote-writer-" + w, () -> {
                    start.await();
                    for (int i = 0; i < n / writers; i++) {
                        releaseWhenThereIsRoom(remote);
                    }
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Forked<Void> t : threads) {
                t.join(); // bounded: a lost wake-up fails here with the thread's stack
            }
            assertEquals(n, acquired.get(), "every acquirer got all its permits");
            assertEquals(0L, state(slice), "n released, n taken: none lost, none duplicated");
            assertFalse(sem.hasLocalWaiters());
            assertTrue(System.nanoTime() - t0 < LONG.toNanos(), "finished within " + LONG);
        }
    }

    /** One acquisition of one permit, in one of three forms. */
    private static void take(SegmentSemaphore sem, Event never, int form) throws InterruptedException {
        switch (form) {
            case 0 -> sem.acquire();
            case 1 -> assertTrue(sem.tryAcquire(LONG));
            default -> assertEquals(1, Wait.any(LONG, never, sem));
        }
    }

    /** A remote release that retries while the semaphore is at its maximum. */
    private static void releaseWhenThereIsRoom(SegmentSemaphore.Remote remote) {
        for (int round = 0; ; round++) {
            try {
                remote.release();
                return;
            } catch (SemaphoreFullException full) {
                // the acquirers have not caught up yet: let them run, then retry
                if (round < 16) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }
}
