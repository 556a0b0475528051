package io.waitkit.internal;

/**
 * Read-only diagnostics of the engine's internal state, for tests and failure reports: what a
 * stress test prints when it finds a violation or a stuck thread. Every method reads without
 * taking a lock, so what it returns is a snapshot that may be inconsistent while the object is
 * in use; none of them changes anything.
 */
public final class EngineProbe {
    private EngineProbe() {
    }

    /**
     * Whether the object's wait queue is empty at the moment of the read.
     *
     * @param o an engine object (anything else has no queue: true)
     * @return true if no node is queued
     */
    public static boolean queueEmpty(Object o) {
        return !(o instanceof WaitObject w) || w.head == null;
    }

    /**
     * The number of nodes in the object's wait queue (a racy walk: stops at 10,000).
     *
     * @param o an engine object
     * @return the queue length, or 0 for anything else
     */
    public static int queueLength(Object o) {
        if (!(o instanceof WaitObject w)) {
            return 0;
        }
        int n = 0;
        for (WaitNode x = w.head; x != null && n < 10_000; x = x.next) {
            n++;
        }
        return n;
    }

    /**
     * The threads of the nodes in the object's wait queue, head first (a racy walk: stops at
     * 10,000); an async waiter is listed by the thread that started it.
     *
     * @param o an engine object
     * @return the owners in queue order, or an empty list for anything else
     */
    public static java.util.List<Thread> queuedOwners(Object o) {
        java.util.List<Thread> owners = new java.util.ArrayList<>();
        if (o instanceof WaitObject w) {
            for (WaitNode x = w.head; x != null && owners.size() < 10_000; x = x.next) {
                owners.add(x.waiter().owner);
            }
        }
        return owners;
    }

    /**
     * The number of queued waiters of a barging object that a release woke to compete again
     * and that have not competed yet (a racy walk: stops at 10,000).
     *
     * @param o an engine object
     * @return the number of woken waiters, or 0 for anything else
     */
    public static int wokenWaiters(Object o) {
        int n = 0;
        if (o instanceof WaitObject w) {
            int seen = 0;
            for (WaitNode x = w.head; x != null && seen < 10_000; x = x.next, seen++) {
                if (x.waiter().woken) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A one-line description of the engine state of an object: the raw state word with its
     * flag bits named, the queue length, the number of all-waiters, and whether a signaller
     * holds the global wait-all lock through it.
     *
     * @param o an engine object
     * @return the description, or {@code "not an engine object"}
     */
    public static String describe(Object o) {
        if (!(o instanceof WaitObject w)) {
            return "not an engine object";
        }
        long s = w.getStateVolatile();
        return "state=0x" + Long.toHexString(s) + ((s & WaitObject.LOCKED) != 0 ? "(LOCKED)" : "")
                + ((s & WaitObject.QUEUED) != 0 ? "(QUEUED)" : "") + ((s & WaitObject.WOKEN) != 0 ? "(WOKEN)" : "")
                + (w.proxy() ? " proxy" : "")
                + (w.barging() ? " barging woken=" + wokenWaiters(o) : "")
                + " queued=" + queueLength(o) + " allWaiters=" + w.allWaiterCount()
                + (w.holdsAllLockHint() ? " holdsAllLock" : "");
    }

    /**
     * The global wait-all lock's own description ({@link java.util.concurrent.locks.ReentrantLock#toString()}:
     * its holder, if any).
     *
     * @return the description
     */
    public static String allLock() {
        return AllLock.describe();
    }
}
