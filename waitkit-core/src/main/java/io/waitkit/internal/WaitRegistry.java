package io.waitkit.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waits in progress that parked, and the pending async waits: what
 * {@code io.waitkit.Diagnostics} reads to describe blocked threads (virtual ones included,
 * which the JVM's thread dump and deadlock detection do not see) and to find wait-for cycles.
 *
 * <p><b>Cost.</b> Only a thread that is about to park for the first time in a wait registers
 * (after its spinning, right where it announces the park), and it deregisters when the wait
 * ends: nothing is done on the uncontended paths, nor by a wait that ends while spinning. The
 * registry is one {@link ConcurrentHashMap} keyed by thread (a thread is in at most one engine
 * wait at a time), so registering is a put into one bin and no global lock is taken; a parked
 * thread costs one map node (32 bytes), one {@link Registration} (24 bytes) and its share of
 * the map's table: about 60 bytes with compressed references, measured with a heap histogram
 * of 20,000 parked virtual threads. An async wait that queues is registered in a second map,
 * keyed weakly by its waiter, until its future completes or is cancelled: one more put and
 * remove on the async path that queues; a pending async wait that becomes unreachable is
 * collected as before and its entry purged at a later registration. The property
 * {@code io.waitkit.diagnostics=false} turns registration off.
 *
 * <p><b>Consistency.</b> A reader sees each registration as published by its put (the
 * waiter's nodes were all added before it, so they are visible); a wait that ends while
 * being read may still be listed, with a status that says it was claimed or cancelled. A wait
 * that leaves by an unexpected exception (a proxy failing to withdraw) may leave its entry
 * until the thread's next registration; readers skip entries whose wait is no longer pending.
 */
public final class WaitRegistry {
    /** Whether waits register (the property {@code io.waitkit.diagnostics}, true by default). */
    public static final boolean ENABLED =
            !"false".equalsIgnoreCase(System.getProperty("io.waitkit.diagnostics", "true"));

    /** What a reader of the registry sees of one wait. */
    public enum Kind {
        /** A wait for one object. */
        SINGLE,
        /** A wait for any one of several objects. */
        ANY,
        /** A wait for all of several objects at once. */
        ALL
    }

    /**
     * One registered wait.
     *
     * @param thread the waiting thread
     * @param kind single, any or all
     * @param objects the objects waited for, as given to the wait (an operation where one was
     *        given: a lock side, a flags match)
     * @param sinceNanos the {@link System#nanoTime()} of the first park
     * @param identity the identity of this wait: a thread's next wait has another
     * @param async whether it is an async wait (then {@code thread} started it and owns what
     *        it acquires, but is not blocked by it)
     */
    public record Entry(Thread thread, Kind kind, List<Object> objects, long sinceNanos, Object identity,
            boolean async) {
    }

    private static final class Registration {
        final Waiter waiter;
        final long since;

        Registration(Waiter waiter, long since) {
            this.waiter = waiter;
            this.since = since;
        }
    }

    private static final ConcurrentHashMap<Thread, Registration> WAITS = new ConcurrentHashMap<>();
    /**
     * Pending async waits that queued, with the {@link System#nanoTime()} they queued at. Held
     * weakly: a pending async wait on objects nobody references any more (a future dropped
     * unanswered) must stay collectable, as it is without the registry.
     */
    private static final ConcurrentHashMap<AsyncKey, Long> ASYNC = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Waiter> COLLECTED = new ReferenceQueue<>();

    /** A weak key that compares its waiter by identity. */
    private static final class AsyncKey extends WeakReference<Waiter> {
        private final int hash;

        AsyncKey(Waiter w, ReferenceQueue<Waiter> queue) {
            super(w, queue);
            this.hash = System.identityHashCode(w);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            Waiter w = get();
            return o instanceof AsyncKey k && w != null && k.get() == w;
        }
    }

    private WaitRegistry() {
    }

    /** Registers a blocked wait about to park for the first time (by its own thread). */
    static void parking(Waiter w) {
        if (ENABLED) {
            WAITS.put(w.owner, new Registration(w, System.nanoTime()));
        }
    }

    /** Deregisters a wait that parked, when it ends (by its own thread). */
    static void done(Waiter w) {
        if (ENABLED && w.hasParked()) {
            WAITS.remove(w.owner);
        }
    }

    /**
     * Registers an async wait once its registration on the objects is done. If it was completed
     * or cancelled meanwhile (its removal may have run before this put), it is removed again:
     * its status is final before either happens.
     */
    static void asyncPending(Waiter w) {
        if (ENABLED) {
            for (Reference<? extends Waiter> k; (k = COLLECTED.poll()) != null; ) {
                ASYNC.remove(k); // waits collected while pending
            }
            ASYNC.put(new AsyncKey(w, COLLECTED), System.nanoTime());
            int st = w.status();
            if (st >= 0 || st == Waiter.CANCELLED) {
                asyncDone(w);
            }
        }
    }

    /** Deregisters an async wait when its future completes or is cancelled (null: none). */
    static void asyncDone(Waiter w) {
        if (ENABLED && w != null) {
            ASYNC.remove(new AsyncKey(w, null));
        }
    }

    /**
     * The registered waits still pending now (claimed but not yet running waits included: they
     * are about to return).
     *
     * @return a snapshot, in no particular order
     */
    public static List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>();
        for (Registration r : WAITS.values()) {
            Entry e = entry(r.waiter, r.since, r, false);
            if (e != null) {
                out.add(e);
            }
        }
        ASYNC.forEach((k, since) -> {
            Waiter w = k.get();
            Entry e = w == null ? null : entry(w, since, w, true);
            if (e != null) {
                out.add(e);
            }
        });
        return out;
    }

    /**
     * The registered wait of one thread.
     *
     * @param t the thread
     * @return its wait, or null if it is not parked in a Waitkit wait
     */
    public static Entry of(Thread t) {
        Registration r = WAITS.get(t);
        return r == null ? null : entry(r.waiter, r.since, r, false);
    }

    private static Entry entry(Waiter w, long since, Object identity, boolean async) {
        int st = w.status();
        if (st == Waiter.CANCELLED || (async && st >= 0)) {
            return null;
        }
        int count = w.nodeCount();
        List<Object> objects = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            WaitNode n = w.node(i);
            if (n != null) {
                objects.add(n.op != null ? n.op : n.object);
            }
        }
        Kind kind = w.all ? Kind.ALL : count > 1 ? Kind.ANY : Kind.SINGLE;
        return new Entry(w.owner, kind, List.copyOf(objects), since, identity, async);
    }

    /**
     * Whether the wait {@code e} describes is still in progress and nothing was acquired for it
     * yet: its thread is still registered with the same wait, which has not been claimed.
     * Between two reads that both answer true, the thread was blocked in that one wait all
     * along (a wait is registered once, and is not claimed back and forth except by a pairing
     * operation, which a caller that needs this does not look at).
     *
     * @param e an entry from {@link #snapshot()} or {@link #of(Thread)}
     * @return true if the same wait is still pending
     */
    public static boolean stillWaiting(Entry e) {
        Registration r = WAITS.get(e.thread());
        return r == e.identity() && r.waiter.status() == Waiter.WAITING;
    }
}
