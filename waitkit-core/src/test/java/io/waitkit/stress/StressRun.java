package io.waitkit.stress;

import io.waitkit.Event;
import io.waitkit.Fairness;
import io.waitkit.Mutex;
import io.waitkit.Semaphore;
import io.waitkit.SemaphoreFullException;
import io.waitkit.internal.EngineProbe;
import io.waitkit.stress.StressPlan.ObjKind;
import io.waitkit.stress.StressPlan.ObjectSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One seeded stress run of the wait engine: the world (the objects of a {@link StressPlan}),
 * the shadow model and counters the invariants are checked against, and the threads around
 * the workers: the coordinator (the calling thread), a chaos thread and a liveness watchdog.
 *
 * <h2>Shadow model and accounting</h2>
 * <ul>
 *   <li><b>Mutexes</b>: {@link #shadow} holds, per mutex, the token of the acquisition that
 *       currently owns it. A worker installs its token (CAS from {@code null}, or from the token
 *       of a dead "ghost" when it took over an abandoned mutex) right <i>after</i> each first
 *       acquisition and removes it (CAS back to {@code null}) right <i>before</i> the final
 *       release. The token interval therefore lies inside the real ownership interval, so a
 *       failed CAS proves that two threads owned the mutex at once, and a token seen unchanged
 *       around a read of {@link Mutex#owner()} proves who the owner must have been.</li>
 *   <li><b>Semaphores</b>: every successful {@code release} of permits that no worker held is
 *       counted as produced, every permit a worker acquired and then forgot (or could not give
 *       back because the semaphore was full) as dropped. At quiescence
 *       {@code availablePermits + permits held by workers == initial + produced - dropped}.</li>
 *   <li><b>Auto-reset events</b>: a signal is a token. {@code set()} returning {@code false}
 *       creates one (it either hands it to a waiter or leaves the event signalled);
 *       {@code reset()} returning {@code true} destroys one; a pulse creates a token when it
 *       returns {@code false} and then either hands that token (or the one already there) to
 *       one waiter or destroys it. With {@code c} consumptions (successful waits, per returned
 *       index), {@code f} the final state, {@code r} successful resets:
 *       {@code init + setFalse - pulseTrue <= c + f + r <= init + setFalse + pulseFalse}, an
 *       equality for events that are never pulsed. Between checkpoints each worker also checks
 *       that consumptions never outnumber the signals attempted since the last one.</li>
 * </ul>
 *
 * Mutexes and semaphores come in both fairness modes ({@link StressPlan#generate}): the shadow
 * model above needs no hand-off (it checks who owns, not who was chosen), so every check holds
 * for barging objects unchanged, and the watchdog below is what shows that a woken waiter that
 * keeps losing to running threads, or a wake-up that went nowhere, leaves no worker stuck.
 *
 * The other kinds' shadow model and checks are in {@link StressKinds}.
 *
 * <h2>Checkpoints</h2>
 * About once a second the coordinator pauses the world: workers finish their operation,
 * release their mutexes, binary semaphores and readers/writer locks (so that nobody stays
 * blocked in an uninterruptible {@code lock()}), keep their permits and arrive at a
 * {@link Phaser}; stragglers blocked in untimed waits are interrupted and, if that is not
 * enough, events are set, permits produced and signals notified (counted like any other
 * signal). With every thread still, the coordinator checks the exact invariants (mutexes free
 * or abandoned by a dead ghost, permit conservation, event balance, no leftover queued waiters,
 * free objects really acquirable, and those of {@link StressKinds}, whose probes also drain
 * and refill the containers and replace the pipes), then snapshots the state the workers'
 * incremental checks compare against and lets the world run again.
 *
 * <h2>Liveness</h2>
 * The watchdog fails the run when a worker completes no operation for {@code stallSeconds}
 * (outside checkpoints), when the coordinator stops beating, or when workers cannot be paused
 * or stopped in that time. It prints the seed, every worker's current operation, holdings and
 * stack (virtual threads included, through {@link Thread#getStackTrace()}), the state of every
 * object and the stacks of all platform threads.
 */
final class StressRun {
    /** An ownership token in the mutex shadow model (compared by identity). */
    record Hold(String holder, Thread thread, long seq, boolean ghost) {
        @Override
        public String toString() {
            return (ghost ? "ghost " : "") + holder + "#" + seq;
        }
    }

    final StressPlan plan;
    final long durationNanos;
    final long stallNanos;
    /** The world: a Waitable for the original kinds; see {@link StressKinds#create} for the others. */
    final Object[] objects;
    final ObjectSpec[] specs;
    /** The new kinds' shadow model and checks. */
    final StressKinds kinds;
    final List<StressWorker> workers = new ArrayList<>();

    // ---- accounting (see the class comment)
    final AtomicLongArray consumed;
    final AtomicLongArray setFalse;
    final AtomicLongArray setTrue;
    final AtomicLongArray pulseFalse;
    final AtomicLongArray pulseTrue;
    final AtomicLongArray resetTrue;
    /** set and pulse calls started (counted before the call) */
    final AtomicLongArray signalAttempts;
    final AtomicLongArray produced;
    final AtomicLongArray dropped;
    final AtomicReferenceArray<Hold> shadow;
    private final AtomicLong holdSeq = new AtomicLong();

    // ---- checkpoint snapshot: written by the coordinator while the world is paused
    final boolean[] signaledAtCheckpoint;
    final long[] attemptsAtCheckpoint;
    final long[] consumedAtCheckpoint;

    // ---- control
    /**
     * Fault injection for the self-tests of the checkers ({@link StressCheckerSelfTest}): run by
     * every worker before each operation; {@code null} in real runs.
     */
    volatile java.util.function.Consumer<StressWorker> beforeOp;
    /** The name the run prints its messages under. */
    volatile String label = "EngineStressTest";
    volatile boolean pauseRequested;
    volatile boolean stop;
    final Phaser phaser = new Phaser(1);
    final Map<Thread, String> ghosts = new ConcurrentHashMap<>();
    private final ReentrantLock chaosLock = new ReentrantLock();
    private volatile long coordinatorBeat;
    private volatile String coordinatorPhase = "starting";
    private volatile boolean watching = true;
    private Thread chaos;
    private Thread watchdog;
    private long startNanos;
    private int checkpoints;
    private final AtomicLong chaosInterrupts = new AtomicLong();
    private final AtomicLong rescueSignals = new AtomicLong();

    // ---- failures
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger violationCount = new AtomicInteger();
    private final AtomicReference<String> liveness = new AtomicReference<>();
    private volatile String summary = "";

    StressRun(StressPlan plan, long seconds, long stallSeconds) {
        this.plan = plan;
        this.durationNanos = TimeUnit.SECONDS.toNanos(seconds);
        this.stallNanos = TimeUnit.SECONDS.toNanos(stallSeconds);
        int n = plan.objects.size();
        this.objects = new Object[n];
        this.specs = plan.objects.toArray(new ObjectSpec[0]);
        this.kinds = new StressKinds(this);
        for (int i = 0; i < n; i++) {
            ObjectSpec s = specs[i];
            objects[i] = switch (s.kind()) {
                case AUTO_EVENT -> Event.autoReset(s.signaled());
                case MANUAL_EVENT -> Event.manualReset(s.signaled());
                case MUTEX -> new Mutex(fairness(s));
                case SEMAPHORE -> new Semaphore(s.permits(), s.max(), fairness(s));
                default -> kinds.create(i);
            };
        }
        consumed = new AtomicLongArray(n);
        setFalse = new AtomicLongArray(n);
        setTrue = new AtomicLongArray(n);
        pulseFalse = new AtomicLongArray(n);
        pulseTrue = new AtomicLongArray(n);
        resetTrue = new AtomicLongArray(n);
        signalAttempts = new AtomicLongArray(n);
        produced = new AtomicLongArray(n);
        dropped = new AtomicLongArray(n);
        shadow = new AtomicReferenceArray<>(n);
        signaledAtCheckpoint = new boolean[n];
        attemptsAtCheckpoint = new long[n];
        consumedAtCheckpoint = new long[n];
        snapshot();
    }

    Event event(int i) {
        return (Event) objects[i];
    }

    Mutex mutex(int i) {
        return (Mutex) objects[i];
    }

    Semaphore semaphore(int i) {
        return (Semaphore) objects[i];
    }

    Hold newHold(String holder, Thread thread, boolean ghost) {
        return new Hold(holder, thread, holdSeq.incrementAndGet(), ghost);
    }

    // ---------------------------------------------------------------------------------------
    // Signals, shared by workers, chaos and coordinator so that every one is counted.

    boolean set(int i) {
        signalAttempts.incrementAndGet(i);
        boolean previous = event(i).set();
        (previous ? setTrue : setFalse).incrementAndGet(i);
        return previous;
    }

    boolean pulse(int i) {
        signalAttempts.incrementAndGet(i);
        boolean previous = event(i).pulse();
        (previous ? pulseTrue : pulseFalse).incrementAndGet(i);
        return previous;
    }

    boolean reset(int i) {
        boolean previous = event(i).reset();
        if (previous) {
            resetTrue.incrementAndGet(i);
        }
        return previous;
    }

    /**
     * Releases {@code n} permits nobody holds.
     *
     * @return the previous count, or -1 if the semaphore was full (nothing changed)
     */
    int produce(int i, int n, boolean single) {
        Semaphore s = semaphore(i);
        try {
            int previous = single ? s.release() : s.release(n);
            produced.addAndGet(i, n);
            return previous;
        } catch (SemaphoreFullException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Failures.

    void violation(String who, String what) {
        int k = violationCount.incrementAndGet();
        String msg = "[" + who + "] " + what;
        if (k <= 50) {
            violations.add(msg);
        }
        if (k == 1) {
            System.err.println(label + " VIOLATION (seed " + plan.seed + "): " + msg);
        }
        stop = true;
    }

    private void livenessFailure(String reason) {
        String dump = dump(reason);
        if (liveness.compareAndSet(null, dump)) {
            System.err.println(dump);
        }
        stop = true;
        phaser.forceTermination();
    }

    boolean failed() {
        return violationCount.get() > 0 || liveness.get() != null;
    }

    /** The report of a failed run, for the assertion message (also usable while it hangs). */
    String failureReport() {
        StringBuilder sb = new StringBuilder();
        sb.append("stress run failed; seed ").append(plan.seed).append('\n').append(replayCommand()).append('\n')
                .append(plan).append('\n');
        if (violationCount.get() > 0) {
            sb.append(violationCount.get()).append(" violation(s), first ones:\n");
            for (String v : violations) {
                sb.append("  ").append(v).append('\n');
            }
        }
        String l = liveness.get();
        if (l != null) {
            sb.append(l).append('\n');
        }
        if (l == null && violationCount.get() == 0) {
            sb.append("no failure recorded: the run itself hung (coordinator phase: ").append(coordinatorPhase)
                    .append(")\n").append(dump("timed out"));
        }
        sb.append(summary);
        return sb.toString();
    }

    String replayCommand() {
        return "replay: ./mvnw -pl waitkit-core test -Dtest=EngineStressTest -Dwaitkit.stress.seed=" + plan.seed
                + " -Dwaitkit.stress.seconds=" + TimeUnit.NANOSECONDS.toSeconds(durationNanos);
    }

    // ---------------------------------------------------------------------------------------
    // The run.

    /**
     * Runs the workers for the configured time, checking all along, then stops them and runs
     * the final checks.
     *
     * @return whether the run passed
     */
    boolean execute() {
        System.out.println(label + ": " + plan + ", " + TimeUnit.NANOSECONDS.toSeconds(durationNanos)
                + " s, liveness limit " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s\n  " + replayCommand());
        for (int w = 0; w < plan.workers.size(); w++) {
            StressWorker worker = new StressWorker(this, plan.workers.get(w), plan.ops(w));
            workers.add(worker);
        }
        phaser.bulkRegister(workers.size());
        startNanos = System.nanoTime();
        coordinatorBeat = startNanos;
        for (StressWorker w : workers) {
            Thread t = w.spec.virtual()
                    ? Thread.ofVirtual().name(w.spec.name()).unstarted(w)
                    : Thread.ofPlatform().daemon().name(w.spec.name()).unstarted(w);
            w.thread = t;
            w.lastProgress = startNanos;
        }
        for (StressWorker w : workers) {
            w.thread.start();
        }
        chaos = Thread.ofPlatform().daemon().name("stress-chaos").start(this::chaos);
        watchdog = Thread.ofPlatform().daemon().name("stress-watchdog").start(this::watchdog);

        long end = startNanos + durationNanos;
        long nextCheckpoint = startNanos + TimeUnit.SECONDS.toNanos(1);
        while (!stop) {
            long now = System.nanoTime();
            coordinatorBeat = now;
            if (now - end >= 0) {
                break;
            }
            coordinatorPhase = "continuous checks";
            continuousChecks();
            if (now - nextCheckpoint >= 0) {
                if (!checkpoint()) {
                    break;
                }
                nextCheckpoint = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long elapsed = System.nanoTime() - startNanos;
        stop = true;
        boolean stopped = drain();
        try {
            chaos.join(TimeUnit.NANOSECONDS.toMillis(stallNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopped && liveness.get() == null) {
            coordinatorPhase = "final checks";
            verifyQuiescent("final", true);
        }
        watching = false;
        summary = summarize(elapsed);
        System.out.println(summary);
        return !failed();
    }

    /** Lets every worker finish (interrupting and signalling the blocked ones). */
    private boolean drain() {
        coordinatorPhase = "stopping workers";
        long deadline = System.nanoTime() + stallNanos;
        for (;;) {
            coordinatorBeat = System.nanoTime();
            boolean alive = false;
            for (StressWorker w : workers) {
                if (w.thread.isAlive()) {
                    alive = true;
                    w.thread.interrupt();
                }
            }
            if (!alive) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                livenessFailure("workers did not stop within " + TimeUnit.NANOSECONDS.toSeconds(stallNanos)
                        + " s after the end of the run");
                return false;
            }
            rescue();
            for (StressWorker w : workers) {
                try {
                    w.thread.join(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** The fairness mode of a mutex or semaphore of the plan (variant 1: barging). */
    private static Fairness fairness(ObjectSpec s) {
        return s.variant() == 1 ? Fairness.BARGING : Fairness.HAND_OFF;
    }

    /**
     * Signals of last resort, so that no worker stays in an uninterruptible wait: sets every
     * non-signalled event and produces a permit on every empty semaphore. Counted as usual.
     */
    private void rescue() {
        for (int i = 0; i < objects.length; i++) {
            if (specs[i].isEvent() && !event(i).isSignaled()) {
                set(i);
                rescueSignals.incrementAndGet();
            } else if (specs[i].kind() == ObjKind.SEMAPHORE && semaphore(i).availablePermits() == 0) {
                produce(i, 1, true);
                rescueSignals.incrementAndGet();
            }
        }
        kinds.rescue();
    }

    /** Pauses the world, checks it, resumes it. */
    private boolean checkpoint() {
        coordinatorPhase = "pausing workers";
        pauseRequested = true;
        int phase = phaser.arrive();
        long start = System.nanoTime();
        long nextRescue = start + TimeUnit.MILLISECONDS.toNanos(20);
        for (;;) {
            coordinatorBeat = System.nanoTime();
            try {
                if (phaser.awaitAdvanceInterruptibly(phase, 5, TimeUnit.MILLISECONDS) < 0) {
                    return false; // terminated by the watchdog
                }
                break;
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                if (stop && failed()) {
                    phaser.forceTermination();
                    return false;
                }
                if (now - start > stallNanos) {
                    livenessFailure("workers could not be paused for a checkpoint within "
                            + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s");
                    return false;
                }
                for (StressWorker w : workers) {
                    if (!w.inPause) {
                        w.thread.interrupt();
                    }
                }
                if (now - nextRescue >= 0) {
                    chaosLock.lock();
                    try {
                        rescue();
                    } finally {
                        chaosLock.unlock();
                    }
                    nextRescue = now + TimeUnit.MILLISECONDS.toNanos(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        coordinatorPhase = "checkpoint checks";
        chaosLock.lock();
        try {
            checkpoints++;
            verifyQuiescent("checkpoint " + checkpoints, false);
            snapshot();
            pauseRequested = false;
        } finally {
            chaosLock.unlock();
        }
        phaser.arrive();
        return true;
    }

    /** Records the state that the workers' incremental checks compare against. */
    private void snapshot() {
        for (int i = 0; i < objects.length; i++) {
            if (specs[i].isEvent()) {
                signaledAtCheckpoint[i] = event(i).isSignaled();
                attemptsAtCheckpoint[i] = signalAttempts.get(i);
                consumedAtCheckpoint[i] = consumed.get(i);
            }
        }
    }

    /** Checks cheap invariants while everything runs. */
    private void continuousChecks() {
        for (int i = 0; i < objects.length && !stop; i++) {
            switch (specs[i].kind()) {
                case MUTEX -> {
                    Hold before = shadow.get(i);
                    Thread owner = mutex(i).owner();
                    Hold after = shadow.get(i);
                    // a ghost's token stays until the next owner replaces it after taking over, so
                    // only worker tokens (installed after acquiring, removed before releasing) count
                    if (before != null && before == after && !before.ghost()) {
                        if (owner != before.thread()) {
                            violation("checker", "mutex #" + i + " is owned by " + owner + " while " + before
                                    + " holds it (shadow unchanged around the read)");
                        }
                    }
                }
                case SEMAPHORE -> {
                    int a = semaphore(i).availablePermits();
                    if (a < 0 || a > specs[i].max()) {
                        violation("checker", "semaphore #" + i + " has " + a + " permits, max " + specs[i].max());
                    }
                }
                case AUTO_EVENT -> {
                    long r = resetTrue.get(i);
                    long c = consumed.get(i);
                    long s = signalAttempts.get(i);
                    long init = specs[i].signaled() ? 1 : 0;
                    if (c + r > init + s) {
                        violation("checker", "auto-reset event #" + i + ": " + c + " consumptions + " + r
                                + " resets exceed the initial state + " + s + " set/pulse calls");
                    }
                }
                case MANUAL_EVENT -> {
                }
                default -> kinds.continuousChecks(i);
            }
        }
    }

    /**
     * The exact checks, with every worker paused or gone (holding no mutex) and the chaos
     * thread kept from signalling.
     */
    private void verifyQuiescent(String when, boolean workersGone) {
        for (int i = 0; i < objects.length; i++) {
            ObjectSpec spec = specs[i];
            switch (spec.kind()) {
                case AUTO_EVENT, MANUAL_EVENT -> verifyEvent(when, i);
                case MUTEX -> verifyMutex(when, i);
                case SEMAPHORE -> {
                    Semaphore s = semaphore(i);
                    int available = s.availablePermits();
                    long held = 0;
                    for (StressWorker w : workers) {
                        held += w.holds[i];
                    }
                    if (workersGone && held != 0) {
                        violation("checker", when + ": workers exited holding " + held + " permit(s) of semaphore #" + i);
                    }
                    long expected = spec.permits() + produced.get(i) - dropped.get(i);
                    if (available + held != expected) {
                        violation("checker", when + ": semaphore #" + i + " permits not conserved: available "
                                + available + " + held by workers " + held + " != initial " + spec.permits()
                                + " + produced " + produced.get(i) + " - dropped " + dropped.get(i));
                    }
                    if (available < 0 || available > spec.max()) {
                        violation("checker", when + ": semaphore #" + i + " count " + available + " outside [0, "
                                + spec.max() + "]");
                    }
                    if (!EngineProbe.queueEmpty(s)) {
                        violation("checker", when + ": semaphore #" + i + " still has queued waiters: " + s);
                    }
                    // a quiet semaphore must be exactly as acquirable as its count says
                    boolean got = s.tryAcquire();
                    if (got != (available > 0)) {
                        violation("checker", when + ": semaphore #" + i + " with count " + available
                                + " answered tryAcquire() = " + got);
                    }
                    if (got) {
                        s.release();
                    }
                }
                default -> kinds.verifyQuiescent(when, i, workersGone);
            }
        }
    }

    private void verifyEvent(String when, int i) {
        Event e = event(i);
        ObjectSpec spec = specs[i];
        String str = e.toString();
        if (!EngineProbe.queueEmpty(e)) {
            violation("checker", when + ": event #" + i + " still has queued waiters: " + str);
        }
        boolean signaled = e.isSignaled();
        if (spec.kind() == ObjKind.AUTO_EVENT) {
            long c = consumed.get(i);
            long f = signaled ? 1 : 0;
            long r = resetTrue.get(i);
            long init = spec.signaled() ? 1 : 0;
            long sf = setFalse.get(i);
            long pt = pulseTrue.get(i);
            long pf = pulseFalse.get(i);
            long v = c + f + r;
            if (!spec.pulses() && pt + pf != 0) {
                violation("checker", when + ": auto-reset event #" + i + " was pulsed against the plan");
            }
            if (v < init + sf - pt || v > init + sf + pf) {
                violation("checker", when + ": auto-reset event #" + i + " signal balance broken: consumed " + c
                        + " + signalled now " + f + " + resets " + r + " = " + v + " not in [initial " + init
                        + " + set()==false " + sf + " - pulse()==true " + pt + ", ... + pulse()==false " + pf
                        + "] (set()==true " + setTrue.get(i) + ")");
            }
            // probe: a quiet auto-reset event is acquirable exactly when signalled (net change 0)
            boolean got = e.tryAwait();
            if (got != signaled) {
                violation("checker", when + ": auto-reset event #" + i + " signalled=" + signaled
                        + " answered tryAwait() = " + got);
            }
            if (got && e.set()) {
                violation("checker", when + ": auto-reset event #" + i + " still signalled after tryAwait()");
            }
        } else {
            boolean got = e.tryAwait();
            if (got != signaled) {
                violation("checker", when + ": manual-reset event #" + i + " signalled=" + signaled
                        + " answered tryAwait() = " + got);
            }
            if (e.isSignaled() != signaled) {
                violation("checker", when + ": manual-reset event #" + i + " changed state on tryAwait()");
            }
        }
    }

    private void verifyMutex(String when, int i) {
        Mutex m = mutex(i);
        Hold h = shadow.get(i);
        Thread owner = m.owner();
        int holds = m.holdCount();
        boolean abandoned = m.isAbandoned();
        if (h == null) {
            if (owner != null || holds != 0 || abandoned) {
                violation("checker", when + ": mutex #" + i + " should be free but owner=" + owner + " holds=" + holds
                        + " abandoned=" + abandoned);
            }
            boolean got = m.tryLock();
            if (!got) {
                violation("checker", when + ": free mutex #" + i + " refused tryLock()");
            } else {
                m.unlock();
                if (m.owner() != null) {
                    violation("checker", when + ": mutex #" + i + " still owned after the probe's unlock");
                }
            }
        } else if (h.ghost()) {
            if (h.thread().isAlive()) {
                violation("checker", when + ": ghost " + h + " of mutex #" + i + " is still alive");
            } else if (owner != null || holds != 0 || !abandoned) {
                violation("checker", when + ": mutex #" + i + " left by dead " + h + " should be abandoned but owner="
                        + owner + " holds=" + holds + " abandoned=" + abandoned);
            }
        } else {
            violation("checker", when + ": mutex #" + i + " is still held by " + h + " (owner " + owner + ", holds "
                    + holds + ") although every worker released its mutexes");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Chaos and watchdog.

    /** Interrupts random workers; every ~10 ms also sets an event and refills an empty semaphore. */
    private void chaos() {
        SplittableRandom r = new SplittableRandom(plan.chaosSeed);
        int[] events = plan.indicesOf(ObjKind.AUTO_EVENT, ObjKind.MANUAL_EVENT);
        int[] sems = plan.indicesOf(ObjKind.SEMAPHORE);
        long nextSignal = System.nanoTime();
        while (!stop) {
            LockSupport.parkNanos(1_000L * (1 + r.nextInt(2 * plan.chaosMeanMicros)));
            StressWorker w = workers.get(r.nextInt(workers.size()));
            int e = events[r.nextInt(events.length)];
            int s = sems[r.nextInt(sems.length)];
            if (!w.inPause) {
                w.thread.interrupt();
                chaosInterrupts.incrementAndGet();
            }
            long now = System.nanoTime();
            if (now - nextSignal >= 0 && !pauseRequested) {
                nextSignal = now + TimeUnit.MILLISECONDS.toNanos(10);
                chaosLock.lock();
                try {
                    if (!pauseRequested && !stop) {
                        set(e);
                        if (semaphore(s).availablePermits() == 0) {
                            produce(s, 1, false);
                        }
                        kinds.chaosSignals(r);
                    }
                } finally {
                    chaosLock.unlock();
                }
            }
        }
    }

    private void watchdog() {
        while (watching) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            if (liveness.get() != null) {
                return;
            }
            long now = System.nanoTime();
            if (now - coordinatorBeat > stallNanos) {
                livenessFailure("the coordinator made no progress for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos)
                        + " s (phase: " + coordinatorPhase + ")");
                return;
            }
            if (stop) {
                continue; // the coordinator bounds the stopping phase itself
            }
            long latest = Long.MIN_VALUE;
            for (StressWorker w : workers) {
                long p = w.lastProgress;
                latest = Math.max(latest, p);
                if (!w.inPause && !w.done && now - p > stallNanos) {
                    livenessFailure("worker " + w.spec.name() + " completed no operation for "
                            + TimeUnit.NANOSECONDS.toSeconds(now - p) + " s");
                    return;
                }
            }
            if (!pauseRequested && now - latest > stallNanos) {
                livenessFailure("no worker made progress for " + TimeUnit.NANOSECONDS.toSeconds(now - latest) + " s");
                return;
            }
        }
    }

    /** Builds the liveness report: seed, workers with operations and stacks, objects, all threads. */
    String dump(String reason) {
        StringBuilder sb = new StringBuilder();
        long now = System.nanoTime();
        sb.append("==== ").append(label).append(" LIVENESS FAILURE: ").append(reason).append(" ====\n");
        sb.append("seed ").append(plan.seed).append(" (").append(replayCommand()).append(")\n");
        sb.append(plan).append('\n');
        sb.append("elapsed ").append(TimeUnit.NANOSECONDS.toMillis(now - startNanos)).append(" ms, coordinator phase: ")
                .append(coordinatorPhase).append(", pauseRequested=").append(pauseRequested).append(", stop=")
                .append(stop).append('\n');
        sb.append("---- workers\n");
        for (StressWorker w : workers) {
            Thread t = w.thread;
            sb.append(w.spec.name()).append(w.spec.virtual() ? " (virtual)" : " (platform)")
                    .append(" state=").append(t == null ? "-" : t.getState())
                    .append(" inPause=").append(w.inPause).append(" done=").append(w.done)
                    .append(" ops=").append(w.opsDone)
                    .append(" sinceProgress=").append(TimeUnit.NANOSECONDS.toMillis(now - w.lastProgress)).append(" ms")
                    .append("\n   last op: ").append(w.currentOp).append("\n   phase: ").append(w.phase)
                    .append("\n   holds: ").append(w.describeHoldings()).append('\n');
            if (t != null) {
                for (StackTraceElement e : t.getStackTrace()) {
                    sb.append("      at ").append(e).append('\n');
                }
            }
        }
        for (Map.Entry<Thread, String> g : ghosts.entrySet()) {
            sb.append("ghost ").append(g.getValue()).append(" state=").append(g.getKey().getState()).append('\n');
        }
        sb.append("---- objects\n").append(describeObjects()).append('\n');
        sb.append("---- raw engine state (read without waiting, for diagnosis)\n").append(rawEngineState());
        sb.append("---- all platform threads\n");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread t = e.getKey();
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append(t.isDaemon() ? " daemon" : "")
                    .append('\n');
            for (StackTraceElement el : e.getValue()) {
                sb.append("      at ").append(el).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Describes every object. Reading a state waits out a held object lock, so a lock that is
     * never released would hang the reader: the description is taken on a helper thread and
     * given up after two seconds.
     */
    private String describeObjects() {
        AtomicReference<String> out = new AtomicReference<>();
        Thread t = Thread.ofPlatform().daemon().name("stress-describe").start(() -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < objects.length; i++) {
                sb.append('#').append(i).append(' ').append(objects[i] == null ? specs[i].kind() : objects[i])
                        .append(kinds.describe(i));
                if (objects[i] instanceof Mutex || objects[i] instanceof Semaphore) {
                    sb.append(' ').append(EngineProbe.describe(objects[i])); // names barging and its woken waiters
                }
                if (specs[i].kind() == ObjKind.MUTEX) {
                    sb.append(" shadow=").append(shadow.get(i));
                }
                if (specs[i].isEvent()) {
                    sb.append(" consumed=").append(consumed.get(i)).append(" setFalse=").append(setFalse.get(i))
                            .append(" resets=").append(resetTrue.get(i));
                }
                if (specs[i].kind() == ObjKind.SEMAPHORE) {
                    sb.append(" produced=").append(produced.get(i)).append(" dropped=").append(dropped.get(i));
                }
                sb.append('\n');
                out.set(sb.toString());
            }
            out.set(sb + "(complete)");
        });
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String s = out.get();
        return s == null ? "(could not read any object state within 2 s: an object lock seems stuck)"
                : s.endsWith("(complete)") ? s.substring(0, s.length() - "(complete)".length())
                : s + "(reading the next object hung: its object lock seems stuck)";
    }

    /**
     * The engine's internal fields of every object, read by reflection without waiting for the
     * object locks (which a hang may have left held): the state word with its flag bits, the
     * queue head, the wait-all count, a mutex's owner field, and the holder of the global
     * wait-all lock. For the liveness report only; prints "n/a" if the fields are renamed.
     */
    private String rawEngineState() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < objects.length; i++) {
            sb.append('#').append(i).append(' ').append(specs[i].kind());
            if (objects[i] != null) {
                sb.append(' ').append(EngineProbe.describe(objects[i])); // no toString: it may wait for a stuck lock
            }
            sb.append('\n');
        }
        sb.append("wait-all lock: ").append(EngineProbe.allLock()).append('\n');
        return sb.toString();
    }

    private String summarize(long elapsedNanos) {
        long ops = 0;
        long[] perKind = new long[StressPlan.OpKind.values().length];
        long[] outcomes = new long[StressWorker.Outcome.values().length];
        for (StressWorker w : workers) {
            ops += w.opsDone;
            for (int k = 0; k < perKind.length; k++) {
                perKind[k] += w.perKind[k];
            }
            for (int k = 0; k < outcomes.length; k++) {
                outcomes[k] += w.outcomes[k];
            }
        }
        double seconds = elapsedNanos / 1e9;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s seed=%d: %s after %.1f s, %d ops (%.0f ops/s), %d checkpoints,"
                + " %d chaos interrupts, %d rescue signals%n", label, plan.seed, failed() ? "FAILED" : "passed", seconds, ops,
                ops / seconds, checkpoints, chaosInterrupts.get(), rescueSignals.get()));
        sb.append("  outcomes:");
        for (StressWorker.Outcome o : StressWorker.Outcome.values()) {
            sb.append(' ').append(o.name().toLowerCase()).append('=').append(outcomes[o.ordinal()]);
        }
        sb.append("\n  ops:");
        for (StressPlan.OpKind k : StressPlan.OpKind.values()) {
            sb.append(' ').append(k).append('=').append(perKind[k.ordinal()]);
        }
        long[] kindOps = new long[ObjKind.values().length];
        long[] kindAcquired = new long[ObjKind.values().length];
        for (StressWorker w : workers) {
            for (int k = 0; k < kindOps.length; k++) {
                kindOps[k] += w.kindOps[k];
                kindAcquired[k] += w.kindAcquired[k];
            }
        }
        sb.append("\n  kinds (operations naming one / acquisitions, receives, meetings):");
        for (ObjKind k : ObjKind.values()) {
            sb.append(' ').append(k).append('=').append(kindOps[k.ordinal()]).append('/').append(kindAcquired[k.ordinal()]);
        }
        sb.append("\n  ").append(kinds.totals());
        return sb.toString();
    }
}
