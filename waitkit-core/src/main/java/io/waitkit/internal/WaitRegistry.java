package io.waitkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <p><b>Algorithm.</b> The record of a blocked wait is its {@link Waiter}: it already names
 * the thread, the objects and the kind of wait, and three fields more hold the
 * {@link System#nanoTime()} of the first park and two links. Registered waiters form
 * intrusive doubly linked lists, one per stripe of a fixed table of {@value #STRIPES}
 * stripes; a thread's waits always go to the stripe its thread id hashes to, and each stripe
 * has its own small lock (a test-and-set bit, not a monitor: see {@code lock}), held for a
 * few link writes. Only a thread that is about to park for the first time in a wait
 * registers (after its spinning, right where it announces the park), linking its waiter at
 * the head of its stripe, and it unlinks it when the wait ends, also when it leaves by an
 * unexpected exception: nothing is done on the uncontended paths, nor by a wait that ends
 * while spinning, and no global lock is taken.
 *
 * <p><b>Cost.</b> A registered wait allocates nothing: the three fields make a waiter 80
 * bytes instead of 64 with compressed references, whether it parks or not, which is 16 bytes
 * per parked thread where a map of registrations took about 61 (a map node, a record and its
 * share of the table), measured with a heap histogram of 100,000 parked virtual threads.
 *
 * <p><b>Async waits.</b> A pending async wait must stay collectable when nobody references
 * its future or its objects any more (a future dropped unanswered), so it is never linked
 * from a static list. An async wait that stays queued is put in a second map, keyed weakly by
 * its waiter, until its future completes or is cancelled; its waiter's time field holds when
 * it queued. A pending async wait that becomes unreachable is collected as before and its
 * entry purged at a later registration. The property {@code io.waitkit.diagnostics=false}
 * turns all registration off.
 *
 * <p><b>Consistency.</b> A reader copies the waiters of one stripe at a time under its lock,
 * which also makes everything the waiting thread wrote before linking (its nodes, its time)
 * visible; it builds the entries after unlocking. A wait that ends while being read may still
 * be listed, with a status that says it was claimed or cancelled: readers skip entries whose
 * wait is no longer pending. Lists are written only under their stripe's lock; a waiter is
 * linked once and unlinked at most once (unlinking checks that it is still linked), so an
 * unlink that runs twice on an exceptional path changes nothing.
 */
public final class WaitRegistry {
    /** Whether waits register (the property {@code io.waitkit.diagnostics}, true by default). */
    public static final boolean ENABLED =
            !"false".equalsIgnoreCase(System.getProperty("io.waitkit.diagnostics", "true"));

    /** How many stripes the blocked waits are spread over (a power of two). */
    static final int STRIPES = 64;

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

    /** One list of registered blocked waits, with its lock. */
    private static final class Stripe {
        /** The most recently registered waiter, linked through {@link Waiter#regNext} (lock held). */
        Waiter head;
        /** 1 while the list is locked ({@link #lock}). */
        volatile int locked;
    }

    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(Stripe.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Stripe[] WAITS = new Stripe[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            WAITS[i] = new Stripe();
        }
    }

    /**
     * Pending async waits that queued. Held weakly: a pending async wait on objects nobody
     * references any more (a future dropped unanswered) must stay collectable, as it is
     * without the registry.
     */
    private static final ConcurrentHashMap<AsyncKey, Boolean> ASYNC = new ConcurrentHashMap<>();
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

    /** The stripe of a thread's waits (thread ids are mixed so that neighbours spread). */
    private static Stripe stripe(Thread t) {
        long h = t.threadId() * 0x9E3779B97F4A7C15L;
        return WAITS[(int) (h >>> 58) & (STRIPES - 1)];
    }

    /**
     * Locks a stripe: a test-and-set bit held for a few link writes, not a monitor, so that the
     * park loop that registers (and whose compiled frame a parked virtual thread keeps on the
     * heap) needs no lock record in its frame.
     */
    private static void lock(Stripe s) {
        if (!LOCKED.compareAndSet(s, 0, 1)) {
            lockContended(s);
        }
    }

    private static void lockContended(Stripe s) {
        int round = 0;
        while (s.locked != 0 || !LOCKED.compareAndSet(s, 0, 1)) {
            round = Backoff.pause(round);
        }
        Backoff.done(round);
    }

    private static void unlock(Stripe s) {
        s.locked = 0;
    }

    /** Whether {@code w} is linked in {@code s} (its lock held). */
    private static boolean linked(Stripe s, Waiter w) {
        return w.regPrev != null || s.head == w;
    }

    /** Registers a blocked wait about to park for the first time (by its own thread). */
    static void parking(Waiter w) {
        if (ENABLED) {
            w.regSince = System.nanoTime();
            Stripe s = stripe(w.owner);
            lock(s);
            try {
                Waiter h = s.head;
                w.regNext = h;
                if (h != null) {
                    h.regPrev = w;
                }
                s.head = w;
            } finally {
                unlock(s);
            }
        }
    }

    /**
     * Deregisters a wait that parked, when it ends (by its own thread); a second call, or a
     * call for a wait that never registered, changes nothing.
     */
    static void done(Waiter w) {
        if (ENABLED && w.hasParked()) {
            Stripe s = stripe(w.owner);
            lock(s);
            try {
                if (!linked(s, w)) {
                    return;
                }
                Waiter p = w.regPrev;
                Waiter n = w.regNext;
                if (p == null) {
                    s.head = n;
                } else {
                    p.regNext = n;
                }
                if (n != null) {
                    n.regPrev = p;
                }
                w.regPrev = null;
                w.regNext = null;
            } finally {
                unlock(s);
            }
        }
    }

    /**
     * Registers an async wait that stayed queued once its registration on the objects is
     * done. If it was completed or cancelled meanwhile (its removal may have run before this
     * put), it is removed again: its status is final before either happens.
     */
    static void asyncPending(Waiter w) {
        if (ENABLED) {
            for (Reference<? extends Waiter> k; (k = COLLECTED.poll()) != null; ) {
                ASYNC.remove(k); // waits collected while pending
            }
            w.regSince = System.nanoTime(); // published to readers by the put
            ASYNC.put(new AsyncKey(w, COLLECTED), Boolean.TRUE);
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
        List<Waiter> copy = new ArrayList<>();
        for (Stripe s : WAITS) {
            copy.clear();
            lock(s);
            try {
                for (Waiter w = s.head; w != null; w = w.regNext) {
                    copy.add(w);
                }
            } finally {
                unlock(s);
            }
            for (Waiter w : copy) {
                Entry e = entry(w, false);
                if (e != null) {
                    out.add(e);
                }
            }
        }
        ASYNC.forEach((k, unused) -> {
            Waiter w = k.get();
            Entry e = w == null ? null : entry(w, true);
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
        Stripe s = stripe(t);
        Waiter found = null;
        lock(s);
        try {
            for (Waiter w = s.head; w != null; w = w.regNext) {
                if (w.owner == t) {
                    found = w; // a thread is in at most one blocked wait at a time
                    break;
                }
            }
        } finally {
            unlock(s);
        }
        return found == null ? null : entry(found, false);
    }

    private static Entry entry(Waiter w, boolean async) {
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
        return new Entry(w.owner, kind, List.copyOf(objects), w.regSince, w, async);
    }

    /**
     * Whether the wait {@code e} describes is still in progress and nothing was acquired for it
     * yet: it is still registered and has not been claimed. Between two reads that both answer
     * true, the thread was blocked in that one wait all along (a wait is registered once, and
     * is not claimed back and forth except by a pairing operation, which a caller that needs
     * this does not look at).
     *
     * @param e an entry from {@link #snapshot()} or {@link #of(Thread)}
     * @return true if the same wait is still pending
     */
    public static boolean stillWaiting(Entry e) {
        if (e.async() || !(e.identity() instanceof Waiter w)) {
            return false;
        }
        Stripe s = stripe(w.owner);
        lock(s);
        try {
            if (!linked(s, w)) {
                return false;
            }
        } finally {
            unlock(s);
        }
        return w.status() == Waiter.WAITING;
    }
}
