package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads (docs/semantics.md#virtual-threads): blocking parks with LockSupport, so a
 * blocked virtual thread unmounts and never pins its carrier: thousands can block on one object,
 * more virtual threads than carriers can block while others still run, and JFR records no
 * {@code jdk.VirtualThreadPinned} event for any engine wait (checked against a positive control
 * that does pin).
 */
class VirtualThreadTest {
    private static final Duration LONG = Threads.BOUND;

    private static int carriers() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        return p != null ? Integer.parseInt(p) : Runtime.getRuntime().availableProcessors();
    }

    @Test
    void tenThousandVirtualThreadsBlockedOnOneSemaphoreAllCompleteAfterReleases() {
        int n = 10_000;
        Semaphore s = new Semaphore(0, n);
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().name("vt-" + i).start(() -> {
                try {
                    s.acquire();
                    acquired.incrementAndGet();
                } catch (Throwable t) {
                    failed.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            Threads.awaitBlocked(t);
        }
        assertEquals(0, acquired.get());
        for (int released = 0; released < n; released += 1_000) {
            assertEquals(0, s.release(1_000));
            assertEquals(0, s.availablePermits(), "all 1000 permits handed to blocked virtual threads inside release");
        }
        for (Thread t : threads) {
            Threads.join(t);
        }
        assertEquals(0, failed.get());
        assertEquals(n, acquired.get());
        assertEquals(0, s.availablePermits());
    }

    @Test
    void moreBlockedVirtualThreadsThanCarriersLeaveRoomForOthersToRun() throws Exception {
        int perKind = carriers() + 2; // each kind alone would occupy every carrier if waits pinned
        Event event = Event.manualReset(false);
        Semaphore sem = new Semaphore(0, perKind);
        Mutex mutex = new Mutex();
        Mutex condMutex = new Mutex();
        Condition cond = condMutex.newCondition();
        Event anyEvent = Event.manualReset(false);
        Semaphore allSem = new Semaphore(0, perKind);
        mutex.lock();
        List<Forked<Void>> blocked = new ArrayList<>();
        for (int i = 0; i < perKind; i++) {
            blocked.add(Forked.runVirtual("event-" + i, event::await));
            blocked.add(Forked.runVirtual("sem-" + i, sem::acquire));
            blocked.add(Forked.runVirtual("mutex-" + i, () -> {
                mutex.lock();
                mutex.unlock();
            }));
            blocked.add(Forked.runVirtual("any-" + i, () -> assertEquals(1, Wait.any(LONG, new Semaphore(0, 1), anyEvent))));
            blocked.add(Forked.runVirtual("all-" + i, () -> assertTrue(Wait.all(LONG, allSem, Event.manualReset(true)))));
            blocked.add(Forked.runVirtual("cond-" + i, () -> {
                condMutex.lock();
                try {
                    assertTrue(cond.await(20, TimeUnit.SECONDS));
                } finally {
                    condMutex.unlock();
                }
            }));
        }
        for (Forked<Void> f : blocked) {
            f.awaitBlocked();
        }
        // every one of them is parked; a new virtual thread must still get a carrier
        Forked<Void> releaser = Forked.runVirtual("releaser", () -> {
            event.set();
            sem.release(perKind);
            anyEvent.set();
            allSem.release(perKind);
            condMutex.lock();
            cond.signalAll();
            condMutex.unlock();
        });
        releaser.join();
        mutex.unlock();
        for (Forked<Void> f : blocked) {
            f.join();
        }
        assertFalse(mutex.isAbandoned());
        assertEquals(0, sem.availablePermits());
        assertEquals(0, allSem.availablePermits());
    }

    /** Parks while its class is being initialized: a virtual thread that does this is pinned. */
    static final class PinsWhileInitializing {
        static {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30));
        }

        static void touch() {
        }
    }

    @Test
    void engineWaitsOfVirtualThreadsRecordNoPinnedEvent() throws Exception {
        Path file = Files.createTempFile("waitkit-pinned", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO);
            recording.start();

            // positive control: proves the recording sees pinning at all
            Forked.runVirtual("control-pinned", PinsWhileInitializing::touch).join();
            // One engine wait of each form that parks, alone, before the waits under test: the
            // first park of the JVM initializes the classes of that path (the wait registry, the
            // JFR probes), and the first wait-any or wait-all loads its own (a virtual thread
            // that meets another one loading or initializing a class waits pinned on the class
            // loader, whatever the class: seen as "engine-all" pinned in WaitEngine.arg, about
            // one run in three). That is the JVM's first use, not an engine wait.
            Forked.callVirtual("warm-up", () -> Event.autoReset(false).await(Duration.ofMillis(1))).join();
            Semaphore warm = new Semaphore(0, 1);
            Forked<Integer> warmAny = Forked.callVirtual("warm-up-any", () -> Wait.any(LONG, Event.autoReset(false), warm));
            warmAny.awaitBlocked();
            warm.release();
            assertEquals(1, warmAny.join());
            Forked<Boolean> warmAll = Forked.callVirtual("warm-up-all", () -> Wait.all(LONG, warm, Event.manualReset(true)));
            warmAll.awaitBlocked();
            warm.release();
            assertTrue(warmAll.join());

            Event e = Event.autoReset(false);
            Semaphore s = new Semaphore(0, 10);
            Mutex m = new Mutex();
            Mutex cm = new Mutex();
            Condition c = cm.newCondition();
            m.lock();
            List<Forked<?>> waits = new ArrayList<>();
            waits.add(Forked.runVirtual("engine-event", e::await));
            waits.add(Forked.runVirtual("engine-sem", s::acquire));
            waits.add(Forked.callVirtual("engine-timed", () -> s.tryAcquire(LONG)));
            waits.add(Forked.runVirtual("engine-mutex", () -> {
                m.lock();
                m.unlock();
            }));
            waits.add(Forked.callVirtual("engine-any", () -> Wait.any(LONG, e, s)));
            waits.add(Forked.callVirtual("engine-all", () -> Wait.all(LONG, s, Event.manualReset(true))));
            waits.add(Forked.runVirtual("engine-cond", () -> {
                cm.lock();
                try {
                    c.await();
                } finally {
                    cm.unlock();
                }
            }));
            Forked<Boolean> interrupted = Forked.callVirtual("engine-interrupted", () -> {
                try {
                    Wait.any(new Semaphore(0, 1));
                    return false;
                } catch (InterruptedException ex) {
                    return true;
                }
            });
            for (Forked<?> f : waits) {
                f.awaitBlocked();
            }
            interrupted.awaitBlocked();
            interrupted.interrupt();
            assertTrue(interrupted.join());
            CompletableFuture<Void> async = Forked.callVirtual("engine-async", e::awaitAsync).join();
            e.set();
            e.set();
            s.release(4);
            m.unlock();
            cm.lock();
            c.signalAll();
            cm.unlock();
            e.set();
            for (Forked<?> f : waits) {
                f.join();
            }
            Threads.awaitCondition(async::isDone, "async wait not completed");

            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            List<String> threads = new ArrayList<>();
            for (RecordedEvent ev : events) {
                // only the pinning events: the recording also holds the events enabled by
                // default, such as Waitkit's own io.waitkit.Wait of these same threads
                if (ev.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                    threads.add(ev.getThread() == null ? "?" : ev.getThread().getJavaName());
                }
            }
            assertTrue(threads.contains("control-pinned"),
                    "the positive control was not recorded, so the recording cannot see pinning: " + threads);
            List<String> engine = threads.stream().filter(n -> n != null && n.startsWith("engine-")).toList();
            assertTrue(engine.isEmpty(), "virtual threads pinned their carriers in engine waits: " + engine);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    @Test
    void timedWaitsOfVirtualThreadsNeverTimeOutEarly() {
        Duration timeout = Duration.ofMillis(30);
        List<Forked<Long>> waiters = new ArrayList<>();
        Semaphore s = new Semaphore(0, 1);
        for (int i = 0; i < 50; i++) {
            waiters.add(Forked.callVirtual("timed-" + i, () -> {
                long t0 = System.nanoTime();
                assertFalse(s.tryAcquire(timeout));
                return System.nanoTime() - t0;
            }));
        }
        for (Forked<Long> w : waiters) {
            assertTrue(w.join() >= timeout.toNanos());
        }
        assertEquals(0, s.availablePermits());
        assertEquals(0, s.release());
        assertEquals(1, s.availablePermits(), "no timed-out virtual waiter is left queued");
    }

    @Test
    void aVirtualThreadCanHoldAndHandOffAMutexToPlatformThreads() throws InterruptedException {
        Mutex m = new Mutex();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        Forked<Void> v = Forked.runVirtual("virtual-owner", () -> {
            m.lock();
            locked.countDown();
            go.await();
            m.unlock();
        });
        assertTrue(locked.await(20, TimeUnit.SECONDS));
        Forked<Thread> platform = Forked.call("platform-waiter", () -> {
            m.lock();
            Thread owner = m.owner();
            m.unlock();
            return owner;
        }).awaitBlocked();
        go.countDown();
        v.join();
        assertEquals(platform.thread(), platform.join());
    }
}
