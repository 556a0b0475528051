package io.waitkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Detects owners that died holding an object while others wait for it (abandoned mutexes),
 * so that a waiter learns of the death without help from the application.
 *
 * <p>Java offers no hook on thread termination, so liveness is polled, and only where it
 * matters: an object registers itself ({@link #watch}) when a waiter queues on it while it is
 * owned. One daemon thread checks the registered objects every {@link #PERIOD_MILLIS} ms through
 * {@link WaitObject#checkOwner()}, which abandons the object and hands it off if the owner is
 * dead, and answers whether it should stay registered (false once its queue is empty; it
 * registers again on the next contention). Registration is a lock-free queue offer, done at
 * most once per contention episode, so the uncontended paths never touch this class. The
 * thread parks indefinitely while nothing is registered.
 */
public final class OwnerWatchdog {
    /** How often registered objects are checked; waiters learn of a death within about this. */
    public static final long PERIOD_MILLIS = 20;

    private static final ConcurrentLinkedQueue<WaitObject> INBOX = new ConcurrentLinkedQueue<>();
    private static final Thread THREAD = Thread.ofPlatform().daemon().name("waitkit-owner-watchdog")
            .unstarted(OwnerWatchdog::run);

    static {
        THREAD.start();
    }

    private OwnerWatchdog() {
    }

    /**
     * Registers an object whose owner must be watched; called with its lock held.
     *
     * @param o the object
     */
    public static void watch(WaitObject o) {
        INBOX.offer(o);
        LockSupport.unpark(THREAD);
    }

    private static void run() {
        List<WaitObject> watched = new ArrayList<>();
        for (;;) {
            for (WaitObject o; (o = INBOX.poll()) != null; ) {
                watched.add(o);
            }
            if (watched.isEmpty()) {
                LockSupport.park(OwnerWatchdog.class);
                continue;
            }
            for (int i = watched.size() - 1; i >= 0; i--) {
                boolean keep;
                try {
                    keep = watched.get(i).checkOwner();
                } catch (Throwable t) {
                    keep = true; // an object must never stop the watchdog; try again next period
                }
                if (!keep) {
                    watched.remove(i);
                }
            }
            LockSupport.parkNanos(OwnerWatchdog.class, TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
        }
    }
}
