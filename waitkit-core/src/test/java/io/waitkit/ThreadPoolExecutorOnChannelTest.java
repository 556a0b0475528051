package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.ContractBase;
import io.waitkit.contract.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link ThreadPoolExecutor} whose work queue is a {@link Channel} (or a {@link Mailbox}):
 * the executor uses {@code offer} to queue a task, {@code take} and {@code poll(keepAlive)} in
 * its workers, {@code drainTo}, {@code toArray} and {@code remove} on {@code shutdownNow}, and
 * {@code isEmpty} to decide when it has terminated.
 */
class ThreadPoolExecutorOnChannelTest extends ContractBase {
    private final List<ThreadPoolExecutor> executors = new ArrayList<>();

    private ThreadPoolExecutor executor(int core, int max, BlockingQueue<Runnable> queue) {
        ThreadPoolExecutor e = new ThreadPoolExecutor(core, max, 30, TimeUnit.SECONDS, queue);
        executors.add(e);
        return e;
    }

    @AfterEach
    void stopExecutors() {
        for (ThreadPoolExecutor e : executors) {
            e.shutdownNow();
        }
    }

    private static void awaitTermination(ThreadPoolExecutor e) throws InterruptedException {
        assertTrue(e.awaitTermination(Threads.BOUND.toMillis(), TimeUnit.MILLISECONDS),
                "the executor did not terminate within " + Threads.BOUND);
    }

    private void runsEveryTaskOnce(BlockingQueue<Runnable> queue) throws InterruptedException {
        ThreadPoolExecutor e = executor(3, 3, queue);
        int tasks = 2000;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            int id = i;
            e.execute(() -> {
                runs.incrementAndGet(id);
                done.countDown();
            });
        }
        await(done);
        e.shutdown();
        awaitTermination(e);
        for (int i = 0; i < tasks; i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
        assertEquals(tasks, e.getCompletedTaskCount());
        assertTrue(queue.isEmpty());
    }

    @Test
    public void anExecutorOnABoundedChannelRunsEveryTaskOnceAndTerminates() throws InterruptedException {
        runsEveryTaskOnce(new Channel<>(4096));
    }

    @Test
    public void anExecutorOnAMailboxRunsEveryTaskOnceAndTerminates() throws InterruptedException {
        runsEveryTaskOnce(new Mailbox<>());
    }

    @Test
    public void aFullChannelMakesTheExecutorAddThreadsUpToTheMaximumThenReject() throws InterruptedException {
        Channel<Runnable> queue = new Channel<>(1);
        ThreadPoolExecutor e = executor(1, 2, queue);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger ran = new AtomicInteger();
        Runnable blocking = () -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        };
        e.execute(blocking); // the core thread
        Threads.awaitCondition(() -> e.getActiveCount() == 1, "the core thread did not start its task");
        e.execute(ran::incrementAndGet); // queued
        assertEquals(1, queue.size());
        e.execute(blocking); // the channel is full: a second thread
        await(started);
        assertEquals(2, e.getPoolSize());
        assertThrows(RejectedExecutionException.class, () -> e.execute(ran::incrementAndGet),
                "a full channel with every thread busy must reject");
        assertEquals(1, queue.size(), "the rejected task must not be queued");
        gate.countDown();
        e.shutdown();
        awaitTermination(e);
        assertEquals(3, ran.get());
        assertEquals(2, e.getLargestPoolSize());
    }

    @Test
    public void aCapacityZeroChannelMakesTheExecutorStartAThreadPerBusyTaskAsASynchronousQueue()
            throws InterruptedException {
        Channel<Runnable> queue = new Channel<>(0);
        ThreadPoolExecutor e = executor(0, 5, queue);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(5);
        for (int i = 0; i < 5; i++) {
            e.execute(() -> {
                started.countDown();
                try {
                    gate.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        await(started);
        assertEquals(5, e.getPoolSize(), "no idle worker waited: every task needs a thread of its own");
        assertEquals(0, queue.size());
        assertThrows(RejectedExecutionException.class, () -> e.execute(() -> { }),
                "with the maximum reached and no idle worker the hand-off fails");
        gate.countDown();
        e.shutdown();
        awaitTermination(e);
        assertEquals(5, e.getCompletedTaskCount());
    }

    @Test
    public void shutdownNowReturnsTheQueuedTasksInOrderAndRemoveWithdrawsOne() throws InterruptedException {
        Channel<Runnable> queue = new Channel<>(16);
        ThreadPoolExecutor e = executor(1, 1, queue);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        e.execute(() -> {
            started.countDown();
            try {
                gate.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt(); // shutdownNow interrupts the running task
            }
        });
        await(started);
        List<Runnable> queued = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Runnable r = () -> { };
            queued.add(r);
            e.execute(r);
        }
        assertEquals(6, queue.size());
        assertTrue(e.remove(queued.get(2)), "remove(task) goes through the queue's remove(Object)");
        queued.remove(2);
        List<Runnable> pending = e.shutdownNow();
        assertEquals(queued.size(), pending.size());
        for (int i = 0; i < queued.size(); i++) {
            assertSame(queued.get(i), pending.get(i), "shutdownNow returns the tasks in queue order");
        }
        assertTrue(queue.isEmpty());
        awaitTermination(e);
        assertFalse(e.remove(queued.get(0)));
    }
}
