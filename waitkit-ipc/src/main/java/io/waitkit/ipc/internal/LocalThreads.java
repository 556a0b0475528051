package io.waitkit.ipc.internal;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The threads of this JVM that have owned a named mutex, by {@link Thread#threadId()} (never
 * reused within a JVM), so that an owner id read from shared memory can be checked for life.
 * Threads are held weakly: a thread that was collected is dead.
 */
final class LocalThreads {
    private static final ConcurrentHashMap<Long, WeakReference<Thread>> THREADS = new ConcurrentHashMap<>();

    private LocalThreads() {
    }

    /** Records {@code t} before its id is stored as an owner. */
    static void register(Thread t) {
        long id = t.threadId();
        WeakReference<Thread> r = THREADS.get(id);
        if (r == null || r.get() != t) {
            THREADS.put(id, new WeakReference<>(t));
        }
    }

    /** The thread of this JVM with id {@code id} if it is known and alive, else null. */
    static Thread resolve(long id) {
        WeakReference<Thread> r = THREADS.get(id);
        Thread t = r == null ? null : r.get();
        return t != null && t.isAlive() ? t : null;
    }

    /** Whether the thread of this JVM with id {@code id} is alive (unknown ids are dead). */
    static boolean isAlive(long id) {
        WeakReference<Thread> r = THREADS.get(id);
        Thread t = r == null ? null : r.get();
        if (t != null && t.isAlive()) {
            return true;
        }
        if (r != null) {
            THREADS.remove(id, r);
        }
        return false;
    }
}
