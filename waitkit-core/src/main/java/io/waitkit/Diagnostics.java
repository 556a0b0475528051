package io.waitkit;

import io.waitkit.internal.RecordedOwner;
import io.waitkit.internal.WaitRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What threads blocked in Waitkit wait for, and the deadlocks among them: the waits the JVM's
 * own tools cannot see.
 *
 * <p>{@code jstack} and {@code ThreadMXBean.findDeadlockedThreads()}
 * already report a deadlock among platform threads blocked on {@link Mutex}es and the write
 * side of {@link RwLock}s (they park on a synchronizer that names the owner). They do not see
 * virtual threads (a parked virtual thread is not a JVM thread), waits for any or all of
 * several objects, or semaphores, events and other objects without an owner. This class reads
 * Waitkit's own registry of the waits in progress:
 * <ul>
 *   <li>{@link #waits()} lists every thread parked in a Waitkit wait, platform or virtual,
 *       with the {@link Kind kind} of wait, the objects it waits for, who holds the owned ones,
 *       and since when it is parked, and the pending async waits;</li>
 *   <li>{@link #waitOf(Thread)} answers that for one thread;</li>
 *   <li>{@link #findDeadlocks()} finds wait-for cycles among threads blocked on owned locks
 *       (mutexes, the write holder of a reader/writer lock), virtual threads included, in the
 *       manner of a wait chain traversal: a thread waiting for any of several objects is in a
 *       deadlock only if every one of them is held by a deadlocked thread;</li>
 *   <li>{@link #report()} prints both, for a log or a console.</li>
 * </ul>
 *
 * <p><b>Design.</b> Only a thread that is about to park registers its wait (after spinning,
 * at the point where it announces its park), linking the engine's own record of the wait into
 * one of several lists, and unlinks it when the wait ends: nothing happens on an uncontended
 * path or in a wait that ends while spinning, no global lock is taken, and nothing is
 * allocated for it (the record is 16 bytes larger than it would be without the links and the
 * park time). Reading takes a snapshot without stopping anyone, so a
 * report describes a moment that may already be over for some threads. A cycle suspected in
 * that snapshot is confirmed before it is reported: its threads are read again, each still in
 * the same wait before and after their holders are read again; a blocked thread acquires and
 * releases nothing, so the confirmed holders belong to one moment, and no cycle is reported
 * that did not exist. Registration can be turned off with the
 * system property {@code io.waitkit.diagnostics=false}, after which this class sees nothing.
 * Waits that end while spinning are not listed. A thread parked in
 * {@link java.util.concurrent.locks.Condition#await()} of a mutex's condition or in
 * {@link Monitor#await()} is listed as waiting for a signal of the condition (or the monitor:
 * {@link Kind#CONDITION}); once signalled it waits for the mutex it re-acquires. Async waits
 * are listed while queued; they block no thread, so they are never part of a deadlock.
 *
 * <p><b>Owners.</b> A {@link Mutex} is held by its {@linkplain Mutex#owner() owner}, an
 * {@link RwLock} (either side) by its writer, a named mutex of {@code io.waitkit.ipc} by the
 * thread and process its shared record names ({@link Owner}: pid and thread id, and the
 * {@link Thread} when it is one of this JVM; the waiter's object is then the JVM's shared
 * proxy of the named mutex, whose {@code toString()} names it). A condition, a lock held by
 * readers, a semaphore, an event or any other object has no holder this class can name, so a
 * thread waiting for one is never counted as deadlocked (it may be, through whoever should
 * signal the object: the graph of such promises is not known).
 *
 * <p><b>Example.</b>
 * <pre>{@code
 * for (Diagnostics.ThreadWait w : Diagnostics.waits()) {
 *     log.info(w.toString());   // "worker-7 (#41, virtual) waits 2.5 s for Mutex[...] held by worker-3 (#37)"
 * }
 * List<Diagnostics.Deadlock> deadlocks = Diagnostics.findDeadlocks();
 * if (!deadlocks.isEmpty()) {
 *     log.error(Diagnostics.report());
 * }
 * }</pre>
 *
 * <p>Every method is safe to call from any thread at any time; none blocks or acquires any
 * Waitkit object.
 */
public final class Diagnostics {
    private Diagnostics() {
    }

    /** The kind of a wait. */
    public enum Kind {
        /** A wait for one object (a lock, a {@code tryLock}, {@link Wait#any} of one object). */
        SINGLE,
        /** {@link Wait#any}: a wait for any one of several objects. */
        ANY,
        /** {@link Wait#all}: a wait for all of several objects at once. */
        ALL,
        /**
         * A wait for a signal: {@link java.util.concurrent.locks.Condition#await() await} on the
         * condition of a {@link Mutex}, or {@link Monitor#await()}. The object is the condition
         * (or the monitor); nobody holds it, so such a thread is never counted as deadlocked.
         * Once signalled (or timed out, or interrupted) the thread re-acquires the mutex: from
         * then on its wait is {@link #SINGLE}, for the mutex, held by whoever holds it.
         */
        CONDITION
    }

    /**
     * The owner of a lock as the lock records it: a thread of this JVM, or, for a named mutex
     * ({@code io.waitkit.ipc.NamedMutex}), possibly a thread of another process.
     *
     * @param pid the owner's process ({@link ProcessHandle#pid()} of this JVM for a thread here)
     * @param threadId the owner's {@link Thread#threadId()} in that process
     * @param thread the owner when it is a live thread of this JVM, else null (a thread of
     *        another process, whose waits this process cannot see)
     */
    public record Owner(long pid, long threadId, Thread thread) {
        /**
         * The owner of an in-process lock.
         *
         * @param thread the owner thread of this JVM
         * @return its owner record
         */
        static Owner of(Thread thread) {
            return new Owner(SELF, thread.threadId(), thread);
        }

        /**
         * Whether the owner is a thread of this JVM.
         *
         * @return true if {@link #pid()} is this JVM's
         */
        public boolean inThisProcess() {
            return pid == SELF;
        }

        /**
         * Describes the owner.
         *
         * @return for example {@code worker-3 (#37)}, or {@code thread #12 of process 4711}
         */
        @Override
        public String toString() {
            if (thread != null) {
                return Describe.thread(thread);
            }
            return "thread #" + threadId + (inThisProcess() ? " of this process" : " of process " + pid);
        }
    }

    private static final long SELF = ProcessHandle.current().pid();

    /**
     * One thread's wait.
     *
     * @param thread the waiting thread (platform or virtual)
     * @param kind the kind of wait
     * @param objects what it waits for, as given to the wait (a lock side or another
     *        operation where one was given)
     * @param holders for each object, the thread of this JVM that holds it (owned locks only),
     *        or null (no holder, or one in another process: see {@code owners})
     * @param owners for each object, its owner as the object records it (owned locks only,
     *        named mutexes held in other processes included), or null
     * @param parkedFor how long it has been parked (its wait began up to a short spin earlier);
     *        for an async wait, how long it has been queued
     * @param async whether this is an async wait ({@code lockAsync()}, {@link Wait#anyAsync}
     *        …): {@code thread} started it and will own what it acquires, but is not blocked
     */
    public record ThreadWait(Thread thread, Kind kind, List<Object> objects, List<Thread> holders,
            List<Owner> owners, Duration parkedFor, boolean async) {
        /**
         * Describes the wait on one line.
         *
         * @return for example {@code worker-7 (#41, virtual) waits 2.5 s for Mutex[owner=worker-3
         *         (#37), holds=1, waiters=1] held by worker-3 (#37)}
         */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(Describe.thread(thread))
                    .append(async ? " started an async wait, queued " : " waits ")
                    .append(seconds(parkedFor)).append(async ? ", for " : " for ")
                    .append(kind == Kind.ANY ? "any of " : kind == Kind.ALL ? "all of "
                            : kind == Kind.CONDITION ? "a signal of " : "");
            for (int i = 0; i < objects.size(); i++) {
                if (i > 0) {
                    b.append(kind == Kind.ANY ? " or " : " and ");
                }
                b.append(objects.get(i));
                Owner o = owners.get(i);
                if (o != null) {
                    b.append(" held by ").append(o);
                }
            }
            return b.toString();
        }
    }

    /**
     * A wait-for cycle: each thread waits for an object held by the next one, the last for one
     * held by the first. None of them can go on unless something outside the cycle interrupts
     * or times out one of its waits.
     *
     * @param waits the waits of the threads in the cycle, in cycle order, starting with the
     *        thread with the lowest id
     */
    public record Deadlock(List<ThreadWait> waits) {
        /**
         * The threads of the cycle.
         *
         * @return the threads, in cycle order
         */
        public List<Thread> threads() {
            return waits.stream().map(ThreadWait::thread).toList();
        }

        /**
         * Describes the cycle, one thread a line.
         *
         * @return the description
         */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("Waitkit deadlock among ").append(waits.size()).append(" threads:");
            for (ThreadWait w : waits) {
                b.append("\n  ").append(w);
            }
            return b.toString();
        }
    }

    /**
     * Returns the waits of every thread parked in a Waitkit wait now, and the pending async
     * waits that queued (marked {@linkplain ThreadWait#async() async}).
     *
     * @return a snapshot, ordered by thread id, blocked waits before async ones
     */
    public static List<ThreadWait> waits() {
        long now = System.nanoTime();
        List<ThreadWait> out = new ArrayList<>();
        for (WaitRegistry.Entry e : snapshot()) {
            out.add(wait(e, now));
        }
        out.sort(Comparator.comparingLong((ThreadWait w) -> w.thread().threadId()).thenComparing(ThreadWait::async));
        return out;
    }

    /**
     * Returns what {@code thread} waits for now.
     *
     * @param thread the thread
     * @return its wait, or empty if it is not parked in a Waitkit wait
     * @throws NullPointerException if {@code thread} is null
     */
    public static Optional<ThreadWait> waitOf(Thread thread) {
        Objects.requireNonNull(thread, "thread");
        WaitRegistry.Entry e = entryOf(thread);
        return e == null ? Optional.empty() : Optional.of(wait(e, System.nanoTime()));
    }

    /**
     * Finds the wait-for cycles among threads parked on owned locks, virtual threads included.
     * Named mutexes take part when threads of this JVM hold them. A named mutex held by a
     * thread of another process ends the chain here: this process cannot see what that thread
     * waits for, so a cycle through another process is not reported (each process's
     * {@link #report()} shows its part: who waits here for a mutex held by which thread of
     * which process).
     *
     * @return the cycles found, each once (empty if none)
     */
    public static List<Deadlock> findDeadlocks() {
        // First pass: a snapshot, read while threads run, so it may combine a wait read at one
        // moment with an owner read at another and show a cycle that never existed.
        List<WaitRegistry.Entry> first = snapshot();
        long now = System.nanoTime();
        Map<Thread, ThreadWait> waits = new LinkedHashMap<>();
        for (WaitRegistry.Entry e : first) {
            if (!e.async()) { // an async wait blocks no thread
                waits.put(e.thread(), wait(e, now));
            }
        }
        Set<Thread> suspects = stuck(waits);
        if (suspects.isEmpty()) {
            return List.of();
        }
        // Second pass, over the suspects only: each still in the same wait (not claimed), then
        // every holder read again, then each still in the same wait. A thread blocked in one
        // wait all along acquires and releases nothing meanwhile, so the holders read in
        // between are those of one common moment: a cycle found in them existed.
        List<WaitRegistry.Entry> again = new ArrayList<>();
        for (WaitRegistry.Entry e : first) {
            if (!e.async() && suspects.contains(e.thread()) && stillWaiting(e)) {
                again.add(e);
            }
        }
        Map<Thread, ThreadWait> confirmed = new LinkedHashMap<>();
        for (WaitRegistry.Entry e : again) {
            confirmed.put(e.thread(), wait(e, now));
        }
        for (WaitRegistry.Entry e : again) {
            if (!stillWaiting(e)) {
                confirmed.remove(e.thread());
            }
        }
        return cycles(confirmed, stuck(confirmed));
    }

    /**
     * The threads of {@code waits} that cannot go on: a greatest fixed point. Every waiting
     * thread starts stuck; a thread is freed when its wait can end through a thread that is not
     * stuck or not waiting (or an object without a holder).
     */
    private static Set<Thread> stuck(Map<Thread, ThreadWait> waits) {
        Set<Thread> stuck = new HashSet<>(waits.keySet());
        for (boolean changed = true; changed; ) {
            changed = false;
            for (ThreadWait w : waits.values()) {
                if (stuck.contains(w.thread()) && !staysStuck(w, stuck)) {
                    stuck.remove(w.thread());
                    changed = true;
                }
            }
        }
        return stuck;
    }

    /** The cycles among the stuck threads: follow a stuck holder from each until one repeats. */
    private static List<Deadlock> cycles(Map<Thread, ThreadWait> waits, Set<Thread> stuck) {
        List<Deadlock> out = new ArrayList<>();
        Set<Thread> reported = new HashSet<>();
        for (Thread start : waits.keySet()) {
            if (!stuck.contains(start) || reported.contains(start)) {
                continue;
            }
            List<Thread> path = new ArrayList<>();
            Map<Thread, Integer> at = new HashMap<>();
            Thread t = start;
            while (t != null && !at.containsKey(t) && !reported.contains(t)) {
                at.put(t, path.size());
                path.add(t);
                t = stuckHolder(waits.get(t), stuck);
            }
            if (t != null && at.containsKey(t)) {
                List<Thread> cycle = new ArrayList<>(path.subList(at.get(t), path.size()));
                int first = 0;
                for (int i = 1; i < cycle.size(); i++) {
                    if (cycle.get(i).threadId() < cycle.get(first).threadId()) {
                        first = i;
                    }
                }
                Collections.rotate(cycle, -first);
                reported.addAll(cycle);
                out.add(new Deadlock(cycle.stream().map(waits::get).toList()));
            }
            reported.addAll(path); // threads blocked behind a cycle are not cycles of their own
        }
        return out;
    }

    /**
     * Describes every Waitkit wait in progress and every deadlock found, as text.
     *
     * @return the report
     */
    public static String report() {
        List<ThreadWait> waits = waits();
        StringBuilder b = new StringBuilder("Waitkit waits: ").append(waits.size())
                .append(waits.size() == 1 ? " thread parked" : " threads parked");
        for (ThreadWait w : waits) {
            b.append("\n  ").append(w);
        }
        List<Deadlock> deadlocks = findDeadlocks();
        if (deadlocks.isEmpty()) {
            b.append("\nNo Waitkit deadlock found.");
        }
        for (Deadlock d : deadlocks) {
            b.append('\n').append(d);
        }
        Set<String> elsewhere = new java.util.TreeSet<>();
        for (ThreadWait w : waits) {
            for (Owner o : w.owners()) {
                if (!w.async() && o != null && !o.inThisProcess()) {
                    elsewhere.add(o.toString());
                }
            }
        }
        if (!elsewhere.isEmpty()) {
            b.append("\nNot visible from process ").append(SELF).append(": what ").append(String.join(", ", elsewhere))
                    .append(elsewhere.size() == 1 ? " waits" : " wait")
                    .append(" for (a cycle through another process shows only in the reports of both)");
        }
        return b.toString();
    }

    /** Whether a wait cannot end while the threads in {@code stuck} stay stuck. */
    private static boolean staysStuck(ThreadWait w, Set<Thread> stuck) {
        boolean any = w.kind() == Kind.ANY;
        for (Thread h : w.holders()) {
            boolean blocked = h != null && h != w.thread() && stuck.contains(h);
            if (any && !blocked) {
                return false; // one way out is open
            }
            if (!any && blocked) {
                return true; // one object it needs is held by a stuck thread
            }
        }
        return any && !w.holders().isEmpty();
    }

    /** A stuck thread holding something {@code w} needs, or null. */
    private static Thread stuckHolder(ThreadWait w, Set<Thread> stuck) {
        for (Thread h : w.holders()) {
            if (h != null && h != w.thread() && stuck.contains(h)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Every registered wait: the engine's registry (blocked and pending async waits), then the
     * threads parked in a condition wait, which the engine does not run.
     */
    private static List<WaitRegistry.Entry> snapshot() {
        List<WaitRegistry.Entry> out = new ArrayList<>(WaitRegistry.snapshot());
        for (MutexCondition.Node n : MutexCondition.parked()) {
            out.add(conditionEntry(n));
        }
        return out;
    }

    /** The registered wait of one thread, or null. */
    private static WaitRegistry.Entry entryOf(Thread t) {
        WaitRegistry.Entry e = WaitRegistry.of(t);
        if (e != null) {
            return e;
        }
        MutexCondition.Node n = MutexCondition.parkedNode(t);
        return n == null ? null : conditionEntry(n);
    }

    /** The identity of a condition wait in one phase: waiting for a signal, or woken. */
    private record ConditionPhase(MutexCondition.Node node, boolean awaitingSignal) {
    }

    /**
     * A condition wait as an entry: waiting for a signal of the condition (shown as the
     * condition, or its monitor), or, once woken, for the mutex it re-acquires.
     */
    private static WaitRegistry.Entry conditionEntry(MutexCondition.Node n) {
        boolean awaitingSignal = n.awaitingSignal();
        Object o = awaitingSignal ? n.condition.shownAs() : n.condition.mutex();
        return new WaitRegistry.Entry(n.thread, WaitRegistry.Kind.SINGLE, List.of(o), n.since,
                new ConditionPhase(n, awaitingSignal), false);
    }

    /**
     * Whether the wait of {@code e} is still in progress, in the same phase, with nothing
     * acquired for it (see {@link WaitRegistry#stillWaiting}): a condition waiter's node is still
     * registered and its state moved not (it moves once, and the node is removed before the
     * mutex is re-acquired).
     */
    private static boolean stillWaiting(WaitRegistry.Entry e) {
        if (e.identity() instanceof ConditionPhase p) {
            return MutexCondition.parkedNode(p.node().thread) == p.node() && p.node().awaitingSignal() == p.awaitingSignal();
        }
        return WaitRegistry.stillWaiting(e);
    }

    private static ThreadWait wait(WaitRegistry.Entry e, long now) {
        List<Object> objects = e.objects();
        Thread[] holders = new Thread[objects.size()];
        Owner[] owners = new Owner[objects.size()];
        for (int i = 0; i < holders.length; i++) {
            Owner o = owner(objects.get(i));
            owners[i] = o;
            holders[i] = o != null && o.inThisProcess() ? o.thread() : null;
        }
        Kind kind = switch (e.kind()) {
            case SINGLE -> e.identity() instanceof ConditionPhase p && p.awaitingSignal() ? Kind.CONDITION : Kind.SINGLE;
            case ANY -> Kind.ANY;
            case ALL -> Kind.ALL;
        };
        return new ThreadWait(e.thread(), kind, objects, Collections.unmodifiableList(Arrays.asList(holders)),
                Collections.unmodifiableList(Arrays.asList(owners)),
                Duration.ofNanos(Math.max(0L, now - e.sinceNanos())), e.async());
    }

    /**
     * The owner of an owned lock, or null (free, abandoned, or no owner to name): a
     * {@link Mutex}'s owner, the writer of an {@link RwLock}, or what a lock recording its owner
     * outside the heap says (a named mutex, or its handle in a wait-any, through
     * {@link RecordedOwner}).
     */
    private static Owner owner(Object o) {
        Thread t = null;
        if (o instanceof Mutex m) {
            t = m.owner();
        } else if (o instanceof RwLock rw) {
            t = rw.writerThread();
        } else if (o instanceof RwLock.Side s) {
            t = s.lockObject().writerThread();
        } else {
            try {
                RecordedOwner r = RecordedOwner.of(o);
                return r == null ? null : r.recordedOwner();
            } catch (RuntimeException e) {
                return null; // a named object closed and unmapped meanwhile: nothing to name
            }
        }
        return t == null ? null : Owner.of(t);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
