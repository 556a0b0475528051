package io.waitkit.contract;

import io.waitkit.Deadline;
import io.waitkit.Event;
import io.waitkit.Mutex;
import io.waitkit.Semaphore;
import io.waitkit.Waitable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Adapters from the in-process primitives to the contract interfaces. Public so that suites of
 * other backends can mix in-process objects into their wait-any / wait-all tests.
 */
public final class InProcess {
    private InProcess() {
    }

    /**
     * Adapts an event.
     *
     * @param e the event
     * @return the adapter
     */
    public static EventUnderTest event(Event e) {
        return new EventAdapter(e);
    }

    /**
     * Adapts a mutex.
     *
     * @param m the mutex
     * @return the adapter
     */
    public static MutexUnderTest mutex(Mutex m) {
        return new MutexAdapter(m);
    }

    /**
     * Adapts a semaphore.
     *
     * @param s the semaphore
     * @return the adapter
     */
    public static SemaphoreUnderTest semaphore(Semaphore s) {
        return new SemaphoreAdapter(s);
    }

    private record EventAdapter(Event e) implements EventUnderTest {
        @Override public boolean set() { return e.set(); }
        @Override public boolean reset() { return e.reset(); }
        @Override public boolean pulse() { return e.pulse(); }
        @Override public boolean isSignaled() { return e.isSignaled(); }
        @Override public boolean isManualReset() { return e.isManualReset(); }
        @Override public void await() throws InterruptedException { e.await(); }
        @Override public void awaitUninterruptibly() { e.awaitUninterruptibly(); }
        @Override public boolean await(Duration timeout) throws InterruptedException { return e.await(timeout); }
        @Override public boolean await(Deadline deadline) throws InterruptedException { return e.await(deadline); }
        @Override public boolean tryAwait() { return e.tryAwait(); }
        @Override public CompletableFuture<Void> awaitAsync() { return e.awaitAsync(); }
        @Override public Waitable waitable() { return e; }
        @Override public String toString() { return e.toString(); }
    }

    private record MutexAdapter(Mutex m) implements MutexUnderTest {
        @Override public void lock() { m.lock(); }
        @Override public void lockInterruptibly() throws InterruptedException { m.lockInterruptibly(); }
        @Override public boolean tryLock() { return m.tryLock(); }
        @Override public boolean tryLock(Duration timeout) throws InterruptedException { return m.tryLock(timeout); }
        @Override public boolean tryLock(Deadline deadline) throws InterruptedException { return m.tryLock(deadline); }
        @Override public int release() { return m.release(); }
        @Override public void unlock() { m.unlock(); }
        @Override public Thread owner() { return m.owner(); }
        @Override public int holdCount() { return m.holdCount(); }
        @Override public boolean isHeldByCurrentThread() { return m.isHeldByCurrentThread(); }
        @Override public boolean isAbandoned() { return m.isAbandoned(); }
        @Override public CompletableFuture<Void> lockAsync() { return m.lockAsync(); }
        @Override public Waitable waitable() { return m; }
        @Override public String toString() { return m.toString(); }
    }

    private record SemaphoreAdapter(Semaphore s) implements SemaphoreUnderTest {
        @Override public int release() { return s.release(); }
        @Override public int release(int n) { return s.release(n); }
        @Override public void acquire() throws InterruptedException { s.acquire(); }
        @Override public void acquireUninterruptibly() { s.acquireUninterruptibly(); }
        @Override public boolean tryAcquire() { return s.tryAcquire(); }
        @Override public boolean tryAcquire(Duration timeout) throws InterruptedException { return s.tryAcquire(timeout); }
        @Override public boolean tryAcquire(Deadline deadline) throws InterruptedException { return s.tryAcquire(1, deadline); }
        @Override public int availablePermits() { return s.availablePermits(); }
        @Override public int maxPermits() { return s.maxPermits(); }
        @Override public CompletableFuture<Void> acquireAsync() { return s.acquireAsync(); }
        @Override public Waitable waitable() { return s; }
        @Override public String toString() { return s.toString(); }
    }
}
