package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** B5's stand-in queue must be a correct bounded FIFO, or its figures mean nothing. */
class SemaphoreRingTest {

    @Test
    void offerFailsWhenFullAndPollReturnsNullWhenEmpty() {
        SemaphoreRing<Integer> q = new SemaphoreRing<>(4);
        assertNull(q.poll());
        for (int i = 0; i < 4; i++) {
            assertTrue(q.offer(i));
        }
        assertFalse(q.offer(99));
        assertEquals(4, q.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, q.poll());
        }
        assertNull(q.poll());
    }

    @Test
    void wrapsAroundTheRingManyTimesInFifoOrder() {
        SemaphoreRing<Integer> q = new SemaphoreRing<>(8);
        int next = 0;
        for (int i = 0; i < 10_000; i++) {
            assertTrue(q.offer(i));
            if (q.size() == 8) {
                for (int k = 0; k < 5; k++) {
                    assertEquals(next++, q.poll());
                }
            }
        }
        while (q.size() > 0) {
            assertEquals(next++, q.poll());
        }
        assertEquals(10_000, next);
    }

    @Test
    void timedOfferAndPollGiveUpNoEarlierThanTheirTimeout() throws InterruptedException {
        SemaphoreRing<Integer> q = new SemaphoreRing<>(1);
        long t0 = System.nanoTime();
        assertNull(q.pollWaiting());
        assertTrue(System.nanoTime() - t0 >= BenchQueue.WAIT.toNanos());
        assertTrue(q.offer(1));
        t0 = System.nanoTime();
        assertFalse(q.offerWaiting(2));
        assertTrue(System.nanoTime() - t0 >= BenchQueue.WAIT.toNanos());
    }

    @Test
    void rejectsACapacityThatIsNotAPowerOfTwo() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SemaphoreRing<>(3));
    }

    @Test
    void mpmcDeliversEveryElementExactlyOnceAndEachProducersElementsInOrder() throws Exception {
        int producers = 3;
        int consumers = 3;
        int perProducer = 100_000;
        SemaphoreRing<long[]> q = new SemaphoreRing<>(16);
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        boolean[][] seen = new boolean[producers][perProducer];
        long[] taken = new long[consumers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                        // mix the blocking, timed and non-blocking forms
                        long[] x = {id, i};
                        if (i % 3 == 0) {
                            q.put(x);
                        } else if (!q.offer(x)) {
                            while (!q.offerWaiting(x)) {
                                Thread.onSpinWait();
                            }
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        int total = producers * perProducer;
        java.util.concurrent.atomic.AtomicInteger remaining = new java.util.concurrent.atomic.AtomicInteger(total);
        for (int c = 0; c < consumers; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().start(() -> {
                long[] last = new long[producers];
                java.util.Arrays.fill(last, -1);
                try {
                    start.await();
                    while (remaining.getAndDecrement() > 0) {
                        long[] x = id == 0 ? q.take() : q.pollWaiting();
                        while (x == null) {
                            x = q.pollWaiting();
                        }
                        int p = (int) x[0];
                        int i = (int) x[1];
                        if (i <= last[p]) {
                            throw new AssertionError("consumer " + id + " took " + p + "/" + i + " after " + p + "/" + last[p]);
                        }
                        last[p] = i;
                        synchronized (seen) {
                            if (seen[p][i]) {
                                throw new AssertionError("duplicate " + p + "/" + i);
                            }
                            seen[p][i] = true;
                        }
                        taken[id]++;
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "a thread is stuck: " + t);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        long sum = 0;
        for (long n : taken) {
            sum += n;
        }
        assertEquals(total, sum);
        for (boolean[] row : seen) {
            for (boolean b : row) {
                assertTrue(b, "an element was lost");
            }
        }
        assertNull(q.poll());
    }
}
