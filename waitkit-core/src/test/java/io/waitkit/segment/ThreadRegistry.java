package io.waitkit.segment;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the thread ids a {@link SegmentMutex} stores in its owner word back to threads, so
 * that the mutex can tell a live owner from a dead one: the registry of every thread that
 * acquired a segment mutex in this JVM.
 *
 * <p><b>Invariants.</b> A thread is registered before its id is stored in any owner word, so a
 * reader that finds an id there also finds the thread here while the thread exists. Thread ids
 * are never reused within a JVM, so an id maps to one thread forever: an entry is never
 * replaced, only removed once its thread was collected. The entries hold the threads weakly:
 * an id whose thread is unknown or was collected belongs to a thread that has terminated.
 */
final class ThreadRegistry {
    private static final ConcurrentHashMap<Long, Entry> THREADS = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Thread> COLLECTED = new ReferenceQueue<>();

    private ThreadRegistry() {
    }

    /** A weak entry that remembers its key for removal once its thread is collected. */
    private static final class Entry extends WeakReference<Thread> {
        final long id;

        Entry(Thread t) {
            super(t, COLLECTED);
            this.id = t.threadId();
        }
    }

    /**
     * Registers {@code t} (idempotent) and returns its id.
     *
     * @param t a thread
     * @return {@code t.threadId()}, positive
     */
    static long register(Thread t) {
        long id = t.threadId();
        if (!THREADS.containsKey(id)) {
            THREADS.putIfAbsent(id, new Entry(t));
            expunge();
        }
        return id;
    }

    /**
     * The registered thread with id {@code id}.
     *
     * @param id a thread id
     * @return the thread, or null if it is unknown or was collected (it has terminated)
     */
    static Thread resolve(long id) {
        Entry e = THREADS.get(id);
        return e == null ? null : e.get();
    }

    /**
     * Whether the thread with id {@code id} has terminated.
     *
     * @param id a registered thread's id
     * @return true if it is not alive
     */
    static boolean isDead(long id) {
        Thread t = resolve(id);
        return t == null || !t.isAlive();
    }

    private static void expunge() {
        for (Object r; (r = COLLECTED.poll()) != null; ) {
            Entry e = (Entry) r;
            THREADS.remove(e.id, e);
        }
    }
}
