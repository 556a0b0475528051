package io.waitkit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for {@link JstackDeadlockTest}: two platform threads, {@code account-1} and
 * {@code account-2}, deadlock on two Waitkit mutexes (each holds one and blocks on the other).
 * Once both are parked it prints {@code READY}; it ends when its standard input closes.
 */
public final class DeadlockChild {
    private DeadlockChild() {
    }

    /**
     * Runs the deadlock.
     *
     * @param args unused
     * @throws Exception on a failure to set it up
     */
    public static void main(String[] args) throws Exception {
        Mutex from = new Mutex();
        Mutex to = new Mutex();
        CountDownLatch holding = new CountDownLatch(2);
        Thread t1 = transfer("account-1", from, to, holding);
        Thread t2 = transfer("account-2", to, from, holding);
        while (!(parked(t1) && parked(t2))) {
            LockSupport.parkNanos(1_000_000L);
        }
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // the parent closes our input (or kills us) when it is done
        }
    }

    private static boolean parked(Thread t) {
        return t.getState() == Thread.State.WAITING && LockSupport.getBlocker(t) != null;
    }

    private static Thread transfer(String name, Mutex first, Mutex second, CountDownLatch holding) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            first.lock();
            try {
                holding.countDown();
                holding.await();
                second.lock();
                second.unlock();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                first.unlock();
            }
        });
    }
}
