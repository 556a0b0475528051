package io.waitkit.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The global lock of wait-all, as in ntsync: held while an all-waiter registers on its objects
 * and while a signaller serves an object that has all-waiters queued, so that several object
 * locks can be held at once without a lock-order cycle (see {@link WaitObject}). Operations on
 * objects without all-waiters never touch it. It is a {@link ReentrantLock}, so a virtual
 * thread that has to wait for it unmounts instead of pinning its carrier.
 */
final class AllLock {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private AllLock() {
    }

    static void lock() {
        LOCK.lock();
    }

    static void unlock() {
        LOCK.unlock();
    }

    /** The lock's description, with its holder (diagnostics). */
    static String describe() {
        return LOCK.toString();
    }
}
