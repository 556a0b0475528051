package io.waitkit.ipc.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform threads that sleep on named objects' SEQ words on behalf of this JVM's parked
 * waiters (virtual threads, async waits, waits on several objects), so that a virtual thread
 * never blocks in a system call: such a waiter queues in the engine and parks; a watcher of this pool is woken by the kernel when another
 * process changes the object, and serves the proxy's queue ({@link NamedProxy#remoteChange()}).
 *
 * <p><b>Backends</b> ({@link Futex#backend()}): with {@code futex_waitv} one watcher sleeps on
 * up to 127 objects' words and its own control word (a new object, or a request to stop
 * sleeping); more objects start more watchers. With plain {@code futex} a watcher sleeps on one
 * object's word at a time, so there is one watcher per watched object (they are reused and end
 * after {@link #IDLE_NANOS} without work). Without futex (other kernels, no native access) one
 * watcher re-reads every watched word every {@link #POLL_NANOS}: the same semantics, with up to
 * that much more latency and some CPU.
 *
 * <p><b>No lost wake-up.</b> Before sleeping, a watcher increments SLEEPERS of every watched
 * object and then reads SEQ; it serves every object whose SEQ differs from the value it last
 * served at, and otherwise sleeps while every SEQ still holds that value (the kernel compares).
 * A process that changes an object increments SEQ and then reads SLEEPERS (both volatile), so
 * either it sees the watcher counted and wakes it, or the watcher's read (or the kernel's
 * compare) sees the new SEQ. A proxy is registered ({@link #watch}) by its first queued waiter
 * and dropped by its watcher only under its local lock once its queue is empty.
 *
 * <p><b>Changes whose wake-up died.</b> A process killed between storing a change and moving
 * SEQ leaves an available object that no SEQ change announces: a watcher looks at the value of
 * every object it watches at least every {@link #LOOK_PERIOD_NANOS} and serves it if it is
 * available ({@link NamedProxy#serveIfStillAvailable()}), as a direct sleeper does after every
 * sleep slice.
 *
 * <p><b>Owner checks.</b> While a watcher watches an object with an owner (a mutex), it wakes
 * at least every {@link #CHECK_PERIOD_NANOS} to check that the owner process is alive
 * ({@link NamedProxy#periodicCheck()}), so that blocked waiters learn of a holder killed by
 * SIGKILL within about that time.
 *
 * <p>Completions of async waits that a watcher serves are run on the engine's dispatch path,
 * never on the watcher thread (see {@link NamedProxy#remoteChange()}).
 */
public final class WaiterPool {
    /** How often a watcher checks owner liveness of the mutexes it watches. */
    public static final long CHECK_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The polling interval of the fallback backend. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A watcher without work for this long ends. */
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A sleeping watcher re-checks its objects at least this often (drops idle ones). */
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How often a watcher looks whether an object it watches is available although SEQ did not
     * move (a process killed between storing a change and moving SEQ; see
     * {@link NamedProxy#serveIfStillAvailable()}): its waiters learn of it within about this.
     */
    static final long LOOK_PERIOD_NANOS = RECHECK_NANOS;

    private static final Futex.Backend BACKEND = Futex.backend();
    private static final int CAPACITY = switch (BACKEND) {
        case FUTEX_WAITV -> Futex.WAITV_MAX - 1;
        case FUTEX -> 1;
        case POLLING -> 4096;
    };
    private static final List<Watcher> WATCHERS = new ArrayList<>();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final Arena CONTROL_ARENA = Arena.ofShared(); // lives as long as the JVM
    private static int watcherCount;

    private WaiterPool() {
    }

    /**
     * The backend in use.
     *
     * @return the backend
     */
    public static Futex.Backend backend() {
        return BACKEND;
    }

    /**
     * Registers a proxy whose queue just got its first waiter; called under its local lock.
     * The watch holds a reference to the mapping until it is dropped.
     *
     * @param p the proxy
     */
    static void watch(NamedProxy p) {
        if (!p.mapping().retain()) {
            throw new IllegalStateException("the named object " + p.mapping().name() + " is closed");
        }
        Watcher w;
        synchronized (WATCHERS) {
            w = null;
            for (Watcher candidate : WATCHERS) {
                if (candidate.assigned < CAPACITY) {
                    w = candidate;
                    break;
                }
            }
            if (w == null) {
                w = new Watcher(++watcherCount);
                WATCHERS.add(w);
                w.thread.start();
            }
            w.assigned++;
        }
        w.pending.offer(p);
        w.kick();
    }

    /** One platform thread of the pool and the objects it watches. */
    private static final class Watcher {
        final Thread thread;
        final ConcurrentLinkedQueue<NamedProxy> pending = new ConcurrentLinkedQueue<>();
        /** Objects assigned to this watcher (pending or watched); guarded by WATCHERS. */
        int assigned;
        final MemorySegment control = CONTROL_ARENA.allocate(4, 4);
        final Futex.WaitvBatch batch = BACKEND == Futex.Backend.FUTEX_WAITV ? new Futex.WaitvBatch() : null;

        Watcher(int n) {
            thread = Thread.ofPlatform().daemon().name("waitkit-ipc-waiter-" + n).unstarted(this::run);
        }

        void kick() {
            if (BACKEND == Futex.Backend.POLLING) {
                LockSupport.unpark(thread);
            } else {
                INT.getAndAdd(control, 0L, 1);
                Futex.wake(control, 1);
            }
        }

        private void run() {
            List<NamedProxy> watched = new ArrayList<>();
            List<NamedProxy> changed = new ArrayList<>();
            long nextCheck = System.nanoTime() + CHECK_PERIOD_NANOS;
            long nextLook = System.nanoTime() + LOOK_PERIOD_NANOS;
            long idleSince = System.nanoTime();
            for (;;) {
                int ctl = (int) INT.getVolatile(control, 0L);
                for (NamedProxy p; (p = pending.poll()) != null; ) {
                    watched.add(p);
                }
                for (int i = watched.size() - 1; i >= 0; i--) {
                    NamedProxy p = watched.get(i);
                    boolean drop;
                    try {
                        drop = p.unwatchIfIdle();
                    } catch (RuntimeException e) {
                        drop = false; // never stop watching on a failure; try again next round
                    }
                    if (drop) {
                        watched.remove(i);
                        synchronized (WATCHERS) {
                            assigned--;
                        }
                        p.mapping().release();
                    }
                }
                long now = System.nanoTime();
                if (watched.isEmpty()) {
                    if (now - idleSince > IDLE_NANOS && retire()) {
                        return;
                    }
                    sleepIdle(ctl);
                    continue;
                }
                idleSince = now;
                boolean periodic = false;
                for (NamedProxy p : watched) {
                    SyncLayout.getAndAddInt(p.body, SyncLayout.SLEEPERS, 1);
                    periodic |= p.needsPeriodicCheck();
                }
                changed.clear();
                for (NamedProxy p : watched) {
                    int s = SyncLayout.getIntVolatile(p.body, SyncLayout.SEQ);
                    if (s != p.lastSeq) {
                        p.lastSeq = s;
                        changed.add(p);
                    }
                }
                if (changed.isEmpty()) {
                    long deadline = now + (periodic ? Math.min(RECHECK_NANOS, Math.max(0L, nextCheck - now)) : RECHECK_NANOS);
                    sleep(watched, ctl, deadline);
                }
                for (NamedProxy p : watched) {
                    SyncLayout.getAndAddInt(p.body, SyncLayout.SLEEPERS, -1);
                }
                for (NamedProxy p : changed) {
                    serve(p, false);
                }
                if (periodic && System.nanoTime() - nextCheck >= 0) {
                    nextCheck = System.nanoTime() + CHECK_PERIOD_NANOS;
                    for (NamedProxy p : watched) {
                        if (p.needsPeriodicCheck()) {
                            serve(p, true);
                        }
                    }
                }
                if (System.nanoTime() - nextLook >= 0) {
                    nextLook = System.nanoTime() + LOOK_PERIOD_NANOS;
                    for (NamedProxy p : watched) {
                        look(p);
                    }
                }
            }
        }

        /** The periodic look for a change whose maker died before it moved SEQ (see NamedProxy#serveIfStillAvailable). */
        private static void look(NamedProxy p) {
            try {
                p.serveIfStillAvailable();
            } catch (RuntimeException | Error e) {
                // as in serve: an object must never stop the pool
            }
        }

        private static void serve(NamedProxy p, boolean check) {
            try {
                if (check) {
                    p.periodicCheck();
                } else {
                    p.remoteChange();
                }
            } catch (RuntimeException | Error e) {
                // an object must never stop the pool (a failing async callback runs elsewhere)
            }
        }

        /** Sleeps until a watched word or the control word changes, or the deadline. */
        private void sleep(List<NamedProxy> watched, int ctl, long deadline) {
            switch (BACKEND) {
                case FUTEX_WAITV -> {
                    batch.clear();
                    batch.add(control, ctl);
                    for (NamedProxy p : watched) {
                        batch.add(p.seqWord(), p.lastSeq);
                    }
                    batch.await(deadline);
                }
                case FUTEX -> {
                    NamedProxy p = watched.get(0);
                    Futex.wait(p.seqWord(), p.lastSeq, Math.max(0L, deadline - System.nanoTime()));
                }
                case POLLING -> {
                    long end = Math.min(deadline, System.nanoTime() + RECHECK_NANOS);
                    while (System.nanoTime() - end < 0 && pending.isEmpty()) {
                        boolean moved = false;
                        for (NamedProxy p : watched) {
                            if (SyncLayout.getIntVolatile(p.body, SyncLayout.SEQ) != p.lastSeq) {
                                moved = true;
                                break;
                            }
                        }
                        if (moved) {
                            return;
                        }
                        LockSupport.parkNanos(this, POLL_NANOS);
                    }
                }
            }
        }

        private void sleepIdle(int ctl) {
            if (!pending.isEmpty()) {
                return;
            }
            if (BACKEND == Futex.Backend.POLLING) {
                LockSupport.parkNanos(this, RECHECK_NANOS);
            } else {
                Futex.wait(control, ctl, RECHECK_NANOS);
            }
        }

        /** Ends this watcher if nothing was assigned meanwhile. */
        private boolean retire() {
            synchronized (WATCHERS) {
                if (assigned != 0 || !pending.isEmpty()) {
                    return false;
                }
                WATCHERS.remove(this);
                return true;
            }
        }
    }
}
