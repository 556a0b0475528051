package io.waitkit.compat.axis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The woken counts of {@code pulseEvent} are exact under concurrency: a pulse never leaves an
 * event signalled, so every wait that succeeds was woken by exactly one pulse, and the sum of
 * the counts the pulses return must equal the number of successful waits, even while waits
 * time out, use wait-any over several events, and race with the pulses. Seeded; the seed is
 * printed on failure.
 */
class SyncWokenCountStressTest {
    @Test
    void sumOfPulseCountsEqualsTheNumberOfWaitsThatSucceeded() throws Exception {
        long seed = Long.getLong("waitkit.compat.seed", System.nanoTime());
        try {
            run(seed, 1500);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("failed with -Dwaitkit.compat.seed=" + seed, e);
        }
    }

    private static void run(long seed, long millis) throws Exception {
        SplittableRandom root = new SplittableRandom(seed);
        Sync sync = new Sync();
        String[] events = {sync.createEvent(false, false), sync.createEvent(true, false), sync.createEvent(false, false)};
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong counted = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch waitersDone = new CountDownLatch(4);
        for (int w = 0; w < 4; w++) {
            SplittableRandom r = root.split();
            threads.add(Thread.ofPlatform().name("waiter-" + w).start(() -> {
                try {
                    while (!stop.get()) {
                        int kind = r.nextInt(3);
                        int status;
                        if (kind == 0) {
                            status = sync.wait(events[r.nextInt(events.length)], r.nextInt(3));
                        } else if (kind == 1) {
                            status = sync.waitMultiple(List.of(events[0], events[2]), false, r.nextInt(3));
                        } else {
                            status = sync.waitMultiple(List.of(events[1], events[2], events[0]), false, r.nextInt(3));
                        }
                        if (status >= 0 && status < events.length) {
                            succeeded.incrementAndGet();
                        } else if (status != Sync.WAIT_TIMEOUT) {
                            throw new AssertionError("unexpected status " + status + " " + Sync.lastError());
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    waitersDone.countDown();
                }
            }));
        }
        for (int p = 0; p < 2; p++) {
            SplittableRandom r = root.split();
            threads.add(Thread.ofPlatform().name("pulser-" + p).start(() -> {
                try {
                    while (waitersDone.getCount() > 0) {
                        counted.addAndGet(sync.pulseEvent(events[r.nextInt(events.length)]));
                        if (r.nextInt(4) == 0) {
                            Thread.yield();
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - end < 0 && failure.get() == null) {
            Thread.sleep(10); // the run's duration, not synchronization
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join(20_000);
            assertTrue(!t.isAlive(), t.getName() + " did not finish");
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(succeeded.get() > 0, "the run exercised no wake-up");
        assertEquals(succeeded.get(), counted.get(), "waits that succeeded vs waiters the pulses reported");
        for (String e : events) {
            assertEquals(0, sync.waiters(e));
        }
    }
}
