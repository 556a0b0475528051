package io.waitkit.stress;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Deadline;
import io.waitkit.Event;
import io.waitkit.Irql;
import io.waitkit.Mutex;
import io.waitkit.Semaphore;
import io.waitkit.SemaphoreFullException;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import io.waitkit.stress.StressPlan.ObjKind;
import io.waitkit.stress.StressPlan.Op;
import io.waitkit.stress.StressPlan.OpGenerator;
import io.waitkit.stress.StressPlan.Timing;
import io.waitkit.stress.StressPlan.WorkerSpec;
import io.waitkit.stress.StressRun.Hold;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stress worker: performs its planned operations one after the other, keeps a private record
 * of what it holds (mutex hold counts, semaphore permits), updates the shared shadow model and
 * counters of {@link StressRun} right after each acquisition and right before each release,
 * and checks after every operation what a single thread can know for sure:
 * <ul>
 *   <li>after an acquisition: a mutex is owned by this thread with exactly the hold count the
 *       worker recorded, and the shadow token could be installed (no double ownership); an
 *       event that satisfied the wait was signalled at the last checkpoint or has been set
 *       since, and an auto-reset event was not consumed more often than signalled;</li>
 *   <li>after a wait-any: the result is the lowest index of its object, never after a mutex the
 *       worker already owns (which counts as available), and the other mutexes of the list are
 *       unchanged; after a wait-all that succeeded, every object was acquired; after any wait
 *       that failed (timeout, interrupt, withdrawn future, refused input), nothing changed;</li>
 *   <li>a timed wait that timed out did not return early;</li>
 *   <li>an async completion that the engine delivered on another thread ran at
 *       {@code DISPATCH_LEVEL}; {@code cancel()}, {@code complete()} or
 *       {@code completeExceptionally()} returning {@code false} means the engine acquired, and
 *       the worker then owns the result.</li>
 * </ul>
 * The new kinds' operations and checks are in {@link KindOps}; in wait lists they are
 * {@link KindOps.Member}s (see {@link WaitList}), told whether the wait reported them.
 *
 * <p>To keep the test itself free of deadlocks a worker never makes an untimed wait while it holds
 * anything (such a wait is bounded by the operation's timeout instead), and releases everything
 * after at most a few operations, at each checkpoint (mutexes) and when it stops.
 */
final class StressWorker implements Runnable {
    /** Counted outcomes, for the summary. */
    enum Outcome { ACQUIRED, TIMEOUT, INTERRUPTED, WITHDRAWN, ABANDONED_TAKEN, SIGNAL, FULL, REFUSED, GHOST }

    private static final Integer ANY_SENTINEL = -42;

    final StressRun run;
    final WorkerSpec spec;
    private final OpGenerator ops;
    /** Per object: the hold count of a mutex, the permits held of a semaphore. */
    final int[] holds;
    private final Hold[] tokens;
    /** Holdings of every kind (mutex holds, permits, binary semaphores, lock holds). */
    int held;
    private int keptFor;
    /** The operations on the new kinds; created in {@link #run()} once the thread is known. */
    KindOps kinds;

    volatile Thread thread;
    volatile Op currentOp;
    volatile String phase = "starting";
    volatile long lastProgress;
    volatile boolean inPause;
    volatile boolean done;
    volatile long opsDone;
    final long[] perKind = new long[StressPlan.OpKind.values().length];
    final long[] outcomes = new long[Outcome.values().length];
    /** Per object kind: operations naming an object of that kind, and acquisitions from it. */
    final long[] kindOps = new long[ObjKind.values().length];
    final long[] kindAcquired = new long[ObjKind.values().length];

    StressWorker(StressRun run, WorkerSpec spec, OpGenerator ops) {
        this.run = run;
        this.spec = spec;
        this.ops = ops;
        this.holds = new int[run.objects.length];
        this.tokens = new Hold[run.objects.length];
    }

    @Override
    public void run() {
        kinds = new KindOps(this);
        try {
            while (!run.stop) {
                if (run.pauseRequested) {
                    pause();
                    continue;
                }
                phase = "between operations";
                java.util.function.Consumer<StressWorker> hook = run.beforeOp;
                if (hook != null) {
                    hook.accept(this);
                }
                Op op = ops.next();
                currentOp = op;
                try {
                    execute(op);
                    afterOp(op);
                } catch (Throwable t) {
                    run.violation(spec.name(), "unexpected " + t + " in " + op + "\n" + stack(t));
                    break;
                }
                perKind[op.kind().ordinal()]++;
                countKinds(op);
                opsDone++;
                lastProgress = System.nanoTime();
            }
        } finally {
            phase = "stopping: releasing everything";
            try {
                releaseAll(0);
            } catch (Throwable t) {
                run.violation(spec.name(), "unexpected " + t + " while releasing at the end\n" + stack(t));
            }
            done = true;
            phase = "done";
        }
    }

    private void countKinds(Op op) {
        List<Integer> t = op.targets();
        for (int k = 0; k < t.size(); k++) {
            if (t.indexOf(t.get(k)) == k) {
                kindOps[kind(t.get(k)).ordinal()]++;
            }
        }
    }

    private static String stack(Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        return sw.toString();
    }

    private void pause() {
        phase = "checkpoint: releasing mutexes, binary semaphores and locks";
        for (int i = 0; i < holds.length; i++) {
            if (kind(i) == ObjKind.MUTEX) {
                while (holds[i] > 0) {
                    releaseMutex(i, (i & 1) == 0);
                }
            } else if (!kind(i).original() && holds[i] > 0) {
                kinds.releaseAll(i);
            }
        }
        phase = "checkpoint: paused";
        inPause = true;
        if (run.phaser.arriveAndAwaitAdvance() >= 0) {
            run.phaser.arriveAndAwaitAdvance();
        }
        lastProgress = System.nanoTime();
        inPause = false;
        phase = "running";
    }

    private void afterOp(Op op) {
        if (held == 0) {
            keptFor = 0;
            return;
        }
        keptFor++;
        if (!op.keep() || keptFor > 3 || held > 4) {
            releaseAll(op.choice());
        }
    }

    // ---------------------------------------------------------------------------------------
    // Helpers.

    private ObjKind kind(int i) {
        return run.specs[i].kind();
    }

    /**
     * The elements of one wait list: the objects of the original kinds, and for the other kinds
     * the {@link KindOps.Member} built for this wait (one per object, so that an object listed
     * twice is the same element twice), which accounts for what the wait did to it.
     */
    final class WaitList {
        final List<Integer> targets;
        final Waitable[] objs;
        private final KindOps.Member[] members;

        WaitList(List<Integer> targets, Op op, boolean all) {
            this.targets = targets;
            int n = targets.size();
            this.objs = new Waitable[n];
            this.members = new KindOps.Member[n];
            for (int k = 0; k < n; k++) {
                int i = targets.get(k);
                if (kind(i).original()) {
                    objs[k] = (Waitable) run.objects[i];
                    continue;
                }
                int first = targets.indexOf(i);
                members[k] = first < k ? members[first] : kinds.member(i, op, all);
                objs[k] = members[k].waitable;
            }
        }

        /** The wait acquired nothing from the new kinds' members (another object, timeout, refusal ...). */
        void lost() {
            wonAt(-1, false);
        }

        /** The wait-any reported index {@code k}; every other member lost. */
        void wonAt(int k, boolean poll) {
            KindOps.Member winner = k >= 0 ? members[k] : null;
            for (int j = 0; j < members.length; j++) {
                KindOps.Member m = members[j];
                if (m == null || targets.indexOf(m.index) != j) {
                    continue; // an original kind, or a repeat of an earlier member
                }
                if (m == winner) {
                    m.won(poll);
                } else {
                    m.lost();
                }
            }
        }

        /** The wait-all acquired the member at position {@code k}. */
        void wonAll(int k, boolean poll) {
            members[k].won(poll);
        }

        boolean isMember(int k) {
            return members[k] != null;
        }
    }

    void fail(String what) {
        run.violation(spec.name(), what + " in " + currentOp);
    }

    void count(Outcome o) {
        outcomes[o.ordinal()]++;
    }

    /** Whether a bound makes the wait a poll. */
    static boolean isPoll(Bound b) {
        return switch (b.timing) {
            case TRY, ZERO, NEGATIVE, DEADLINE_EXPIRED -> true;
            default -> false;
        };
    }

    /** The effective timing: untimed forms are bounded while the worker holds anything. */
    Timing timing(Op op) {
        Timing t = op.timing();
        if (held > 0 && (t == Timing.FOREVER || t == Timing.UNINTERRUPTIBLE || t == Timing.DEADLINE_NEVER)) {
            return Timing.DURATION;
        }
        return t;
    }

    /** The bound of one timed call, and its "never early" check. */
    static final class Bound {
        final Timing timing;
        final long nanos;
        final long start;
        final Duration duration;
        final Deadline deadline;

        Bound(Timing timing, long nanos) {
            this.timing = timing;
            this.nanos = nanos;
            this.duration = switch (timing) {
                case ZERO, TRY -> Duration.ZERO;
                case NEGATIVE -> Duration.ofNanos(-nanos);
                default -> Duration.ofNanos(nanos);
            };
            this.deadline = switch (timing) {
                case DEADLINE -> Deadline.after(duration);
                case DEADLINE_FROM -> Deadline.from(Deadline.now(), duration);
                case DEADLINE_EXPIRED -> (nanos & 1) == 0 ? Deadline.now() : Deadline.ofNanoTime(System.nanoTime() - nanos);
                case DEADLINE_NEVER -> Deadline.never();
                default -> null;
            };
            this.start = System.nanoTime();
        }

        boolean untimed() {
            return timing == Timing.FOREVER || timing == Timing.UNINTERRUPTIBLE || timing == Timing.DEADLINE_NEVER;
        }

        /** Returns why a timeout result is wrong, or null. */
        String checkTimeout() {
            if (untimed()) {
                return "an untimed wait (" + timing + ") reported a timeout";
            }
            long now = System.nanoTime();
            if ((timing == Timing.DURATION || timing == Timing.TIME_UNIT) && now - start < nanos) {
                return "timed out early: after " + (now - start) + " ns of " + nanos;
            }
            if ((timing == Timing.DEADLINE || timing == Timing.DEADLINE_FROM) && !deadline.isExpired()) {
                return "timed out before the deadline " + deadline;
            }
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Acquisition and release bookkeeping.

    /** Records that this thread acquired {@code n} units of object {@code i}. */
    private void acquired(int i, int n, boolean mayBeAbandoned, boolean mustBeAbandoned) {
        count(Outcome.ACQUIRED);
        if (kind(i) != ObjKind.MUTEX) {
            kindAcquired[kind(i).ordinal()]++; // mutexes count in acquiredMutex
        }
        switch (kind(i)) {
            case AUTO_EVENT -> {
                checkSignalled(i);
                long c = run.consumed.incrementAndGet(i);
                long attempts = run.signalAttempts.get(i);
                long allowed = (run.signaledAtCheckpoint[i] ? 1 : 0) + attempts - run.attemptsAtCheckpoint[i];
                if (c - run.consumedAtCheckpoint[i] > allowed) {
                    fail("auto-reset event #" + i + " consumed " + (c - run.consumedAtCheckpoint[i])
                            + " times since the last checkpoint but only " + allowed
                            + " signal(s) (state at checkpoint + set/pulse calls) could have produced them");
                }
            }
            case MANUAL_EVENT -> checkSignalled(i);
            case MUTEX -> acquiredMutex(i, mayBeAbandoned, mustBeAbandoned);
            case SEMAPHORE -> {
                holds[i] += n;
                held += n;
                int a = run.semaphore(i).availablePermits();
                if (a < 0 || a > run.specs[i].max()) {
                    fail("semaphore #" + i + " count " + a + " outside [0, " + run.specs[i].max() + "]");
                }
            }
        }
    }

    /** A wait was satisfied by event i: it must have been signalled at the checkpoint or set since. */
    private void checkSignalled(int i) {
        if (!run.signaledAtCheckpoint[i] && run.signalAttempts.get(i) == run.attemptsAtCheckpoint[i]) {
            fail("event #" + i + " satisfied a wait but was neither signalled at the last checkpoint nor set since");
        }
    }

    private void acquiredMutex(int i, boolean mayBeAbandoned, boolean mustBeAbandoned) {
        kindAcquired[ObjKind.MUTEX.ordinal()]++;
        Mutex m = run.mutex(i);
        int before = holds[i];
        holds[i]++;
        held++;
        if (before == 0) {
            Hold mine = run.newHold(spec.name(), thread, false);
            Hold current = run.shadow.get(i);
            if (current != null && current.ghost()) {
                if (!mayBeAbandoned) {
                    fail("took mutex #" + i + " left by dead " + current + " without AbandonedMutexException");
                }
                if (current.thread().isAlive()) {
                    fail("took mutex #" + i + " from " + current + " which is still alive");
                }
                if (!run.shadow.compareAndSet(i, current, mine)) {
                    fail("double ownership of mutex #" + i + ": acquired while " + run.shadow.get(i) + " holds it");
                }
            } else {
                if (mustBeAbandoned) {
                    fail("AbandonedMutexException for mutex #" + i + " which was not abandoned (shadow " + current + ")");
                }
                if (!run.shadow.compareAndSet(i, null, mine)) {
                    fail("double ownership of mutex #" + i + ": acquired while " + run.shadow.get(i) + " holds it");
                }
            }
            tokens[i] = mine;
        } else if (mustBeAbandoned) {
            fail("AbandonedMutexException for mutex #" + i + " which this thread already held " + before + " time(s)");
        }
        if (!m.isHeldByCurrentThread() || m.owner() != thread || m.holdCount() != holds[i] || m.isAbandoned()) {
            fail("after acquiring mutex #" + i + ": owner=" + m.owner() + " holdCount=" + m.holdCount()
                    + " (expected this thread, " + holds[i] + ") abandoned=" + m.isAbandoned());
        }
    }

    /** Checks that the mutexes of a list that were not acquired are as this worker left them. */
    private void checkUnchanged(List<Integer> targets, int except, String after) {
        for (int k = 0; k < targets.size(); k++) {
            int i = targets.get(k);
            if (i == except || kind(i) != ObjKind.MUTEX) {
                continue;
            }
            Mutex m = run.mutex(i);
            if (holds[i] == 0 ? m.isHeldByCurrentThread() : !m.isHeldByCurrentThread() || m.holdCount() != holds[i]) {
                fail(after + ": mutex #" + i + " changed for this thread: held=" + m.isHeldByCurrentThread()
                        + " holdCount=" + m.holdCount() + ", expected " + holds[i]);
            }
        }
    }

    /** Index of the first mutex in the list that this thread already owns, or -1. */
    private int firstOwnedMutex(List<Integer> targets) {
        for (int k = 0; k < targets.size(); k++) {
            int i = targets.get(k);
            if (kind(i) == ObjKind.MUTEX && holds[i] > 0) {
                return k;
            }
        }
        return -1;
    }

    private boolean allOwnedMutexes(List<Integer> targets) {
        for (int i : targets) {
            if (kind(i) != ObjKind.MUTEX || holds[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** Records a wait-any result (index k of the list). */
    private void anyResult(WaitList l, int k, boolean abandoned, int ownedAt, String form, boolean poll) {
        List<Integer> targets = l.targets;
        if (k < 0 || k >= targets.size()) {
            fail(form + " returned index " + k + " for " + targets.size() + " objects");
            l.lost();
            return;
        }
        int i = targets.get(k);
        if (targets.indexOf(i) != k) {
            fail(form + " returned index " + k + (abandoned ? " (taking over an abandoned mutex)" : "")
                    + " but the same object is at the lower index " + targets.indexOf(i));
        }
        if (ownedAt >= 0 && k > ownedAt) {
            fail(form + " returned index " + k + " although the mutex at index " + ownedAt
                    + " is owned by this thread (available)");
        }
        if (l.isMember(k)) {
            if (abandoned) {
                fail(form + " reported an abandoned mutex at index " + k + ", a " + kind(i));
            }
            l.wonAt(k, poll);
        } else {
            l.lost();
            acquired(i, 1, abandoned, abandoned);
        }
        checkUnchanged(targets, i, form + " acquiring index " + k);
    }

    /** Records a wait-all success. */
    private void allAcquired(WaitList l, AbandonedMutexException abandoned, boolean poll) {
        List<Integer> targets = l.targets;
        if (abandoned != null) {
            count(Outcome.ABANDONED_TAKEN);
            if (abandoned.mutexIndex() != -1) {
                fail("wait-all AbandonedMutexException with index " + abandoned.mutexIndex() + " (expected -1)");
            }
        }
        for (int k = 0; k < targets.size(); k++) {
            int i = targets.get(k);
            if (l.isMember(k)) {
                l.wonAll(k, poll);
                continue;
            }
            boolean named = abandoned != null && run.objects[i] == abandoned.mutex();
            acquired(i, 1, abandoned != null, named);
        }
        if (abandoned != null && targets.stream().noneMatch(i -> run.objects[i] == abandoned.mutex())) {
            fail("wait-all AbandonedMutexException names a mutex outside the list");
        }
    }

    private void releaseMutex(int i, boolean useUnlock) {
        Mutex m = run.mutex(i);
        int h = holds[i];
        if (!m.isHeldByCurrentThread() || m.holdCount() != h) {
            fail("before releasing mutex #" + i + ": held=" + m.isHeldByCurrentThread() + " holdCount=" + m.holdCount()
                    + ", expected " + h);
        }
        if (h == 1) {
            if (!run.shadow.compareAndSet(i, tokens[i], null)) {
                fail("shadow of mutex #" + i + " changed while this thread held it: " + run.shadow.get(i)
                        + " instead of " + tokens[i]);
            }
            tokens[i] = null;
        }
        int previous;
        if (useUnlock) {
            m.unlock();
            previous = h;
        } else {
            previous = m.release();
        }
        holds[i] = h - 1;
        held--;
        if (previous != h) {
            fail("release() of mutex #" + i + " returned " + previous + ", expected hold count " + h);
        }
        if (h == 1 && m.isHeldByCurrentThread()) {
            fail("mutex #" + i + " still held by this thread after its final release");
        }
    }

    private void releasePermits(int i, int n, boolean single) {
        Semaphore s = run.semaphore(i);
        holds[i] -= n;
        held -= n;
        try {
            int previous = single ? s.release() : s.release(n);
            if (previous < 0 || previous + n > s.maxPermits()) {
                fail("release(" + n + ") of semaphore #" + i + " returned previous count " + previous);
            }
        } catch (SemaphoreFullException e) {
            // others produced meanwhile: the permits cannot go back; they are forgotten
            run.dropped.addAndGet(i, n);
            count(Outcome.FULL);
        }
    }

    /** Releases one holding (the {@code choice}-th): one mutex hold, or some permits at once. */
    private void releaseSome(int choice) {
        if (held == 0) {
            return;
        }
        int objectsHeld = 0;
        for (int h : holds) {
            if (h > 0) {
                objectsHeld++;
            }
        }
        int pick = Math.floorMod(choice, objectsHeld);
        for (int i = 0; i < holds.length; i++) {
            if (holds[i] > 0 && pick-- == 0) {
                if (kind(i) == ObjKind.MUTEX) {
                    releaseMutex(i, (choice & 2) != 0);
                } else if (!kind(i).original()) {
                    kinds.releaseOne(i);
                } else {
                    int n = 1 + Math.floorMod(choice >> 3, holds[i]);
                    releasePermits(i, n, n == 1 && (choice & 4) != 0);
                }
                return;
            }
        }
    }

    private void releaseAll(int choice) {
        for (int i = 0; i < holds.length; i++) {
            if (kind(i) == ObjKind.MUTEX) {
                while (holds[i] > 0) {
                    releaseMutex(i, (choice & 1) != 0);
                }
            } else if (!kind(i).original()) {
                if (holds[i] > 0) {
                    kinds.releaseAll(i);
                }
            } else if (holds[i] > 0) {
                if ((choice & 2) != 0) {
                    releasePermits(i, holds[i], false);
                } else {
                    while (holds[i] > 0) {
                        releasePermits(i, 1, true);
                    }
                }
            }
        }
        keptFor = 0;
    }

    String describeHoldings() {
        StringBuilder sb = new StringBuilder();
        int[] h = holds;
        for (int i = 0; i < h.length; i++) {
            if (h[i] != 0) {
                sb.append('#').append(i).append('=').append(h[i]).append(' ');
            }
        }
        return sb.length() == 0 ? "nothing" : sb.toString();
    }

    private void spin(int n) {
        for (int k = 0; k < n; k++) {
            Thread.onSpinWait();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Operations.

    private void execute(Op op) throws InterruptedException {
        phase = "running";
        switch (op.kind()) {
            case ANY -> any(op);
            case ALL -> all(op);
            case AWAIT -> await(op);
            case LOCK -> lock(op);
            case ACQUIRE -> acquire(op);
            case ANY_ASYNC -> anyAsync(op);
            case ALL_ASYNC -> allAsync(op);
            case AWAIT_ASYNC, LOCK_ASYNC, ACQUIRE_ASYNC -> singleAsync(op);
            case SET -> {
                run.set(op.targets().get(0));
                count(Outcome.SIGNAL);
            }
            case RESET -> {
                run.reset(op.targets().get(0));
                count(Outcome.SIGNAL);
            }
            case PULSE -> {
                run.pulse(op.targets().get(0));
                count(Outcome.SIGNAL);
            }
            case PRODUCE -> produce(op);
            case CONSUME -> consume(op);
            case RELEASE -> releaseSome(op.choice());
            case BAD_INPUT -> badInput(op);
            case IRQL -> irql(op);
            case ABANDON -> abandon(op);
            case KIND_WAIT, KIND_ASYNC, KIND_SIGNAL -> kinds.execute(op);
        }
        if (held > 0 && op.spin() > 0) {
            spin(op.spin());
            if ((op.choice() & 7) == 0) {
                Thread.yield();
            }
        }
    }

    private void any(Op op) throws InterruptedException {
        List<Integer> targets = op.targets();
        WaitList l = new WaitList(targets, op, false);
        Waitable[] objs = l.objs;
        int ownedAt = firstOwnedMutex(targets);
        Bound b = new Bound(timing(op), op.timeoutNanos());
        phase = "Wait.any " + b.timing;
        int r;
        try {
            r = switch (b.timing) {
                case FOREVER, UNINTERRUPTIBLE -> Wait.any(objs);
                case DURATION, TIME_UNIT, ZERO, NEGATIVE, TRY -> Wait.any(b.duration, objs);
                case DEADLINE, DEADLINE_FROM, DEADLINE_EXPIRED, DEADLINE_NEVER -> Wait.any(b.deadline, objs);
            };
        } catch (InterruptedException e) {
            count(Outcome.INTERRUPTED);
            l.lost();
            checkUnchanged(targets, -1, "interrupted Wait.any");
            return;
        } catch (IllegalStateException e) {
            refused(l, e, "Wait.any");
            return;
        } catch (AbandonedMutexException e) {
            count(Outcome.ABANDONED_TAKEN);
            int k = e.mutexIndex();
            if (k < 0 || k >= objs.length || objs[k] != e.mutex()) {
                fail("Wait.any AbandonedMutexException with index " + k + " not naming its mutex");
                return;
            }
            anyResult(l, k, true, ownedAt, "Wait.any", isPoll(b));
            return;
        }
        if (r == Wait.TIMEOUT) {
            count(Outcome.TIMEOUT);
            l.lost();
            String why = b.checkTimeout();
            if (why != null) {
                fail("Wait.any " + why);
            }
            if (ownedAt >= 0) {
                fail("Wait.any timed out although the mutex at index " + ownedAt + " is owned by this thread");
            }
            checkUnchanged(targets, -1, "timed-out Wait.any");
            return;
        }
        anyResult(l, r, false, ownedAt, "Wait.any", isPoll(b));
    }

    /**
     * A wait refused with IllegalStateException: only a second pending reader or writer of a
     * byte stream may cause that here, and nothing was acquired.
     */
    private void refused(WaitList l, IllegalStateException e, String form) {
        if (!KindOps.refusal(e)) {
            throw e;
        }
        count(Outcome.REFUSED);
        l.lost();
        checkUnchanged(l.targets, -1, "refused " + form);
    }

    private void all(Op op) throws InterruptedException {
        List<Integer> targets = op.targets();
        WaitList l = new WaitList(targets, op, true);
        Waitable[] objs = l.objs;
        boolean mustSucceed = allOwnedMutexes(targets) || targets.isEmpty();
        Bound b = new Bound(timing(op), op.timeoutNanos());
        phase = "Wait.all " + b.timing;
        boolean ok;
        try {
            switch (b.timing) {
                case FOREVER, UNINTERRUPTIBLE -> {
                    Wait.all(objs);
                    ok = true;
                }
                case DURATION, TIME_UNIT, ZERO, NEGATIVE, TRY -> ok = Wait.all(b.duration, objs);
                default -> ok = Wait.all(b.deadline, objs);
            }
        } catch (InterruptedException e) {
            count(Outcome.INTERRUPTED);
            l.lost();
            checkUnchanged(targets, -1, "interrupted Wait.all");
            return;
        } catch (IllegalStateException e) {
            refused(l, e, "Wait.all");
            return;
        } catch (AbandonedMutexException e) {
            allAcquired(l, e, isPoll(b));
            return;
        }
        if (!ok) {
            count(Outcome.TIMEOUT);
            l.lost();
            String why = b.checkTimeout();
            if (why != null) {
                fail("Wait.all " + why);
            }
            if (mustSucceed) {
                fail("Wait.all timed out although every object is a mutex this thread owns (or the list is empty)");
            }
            checkUnchanged(targets, -1, "timed-out Wait.all");
            return;
        }
        allAcquired(l, null, isPoll(b));
    }

    private void await(Op op) throws InterruptedException {
        int i = op.targets().get(0);
        Event e = run.event(i);
        Bound b = new Bound(timing(op), op.timeoutNanos());
        phase = "Event.await " + b.timing;
        boolean ok;
        try {
            switch (b.timing) {
                case FOREVER -> {
                    e.await();
                    ok = true;
                }
                case UNINTERRUPTIBLE -> {
                    e.awaitUninterruptibly();
                    ok = true;
                }
                case TRY -> ok = e.tryAwait();
                case DURATION, TIME_UNIT, ZERO, NEGATIVE -> ok = e.await(b.duration);
                default -> ok = e.await(b.deadline);
            }
        } catch (InterruptedException ex) {
            count(Outcome.INTERRUPTED);
            return;
        }
        if (ok) {
            acquired(i, 1, false, false);
        } else {
            count(Outcome.TIMEOUT);
            String why = b.timing == Timing.TRY ? null : b.checkTimeout();
            if (why != null) {
                fail("Event.await " + why);
            }
        }
    }

    private void lock(Op op) throws InterruptedException {
        int i = op.targets().get(0);
        Mutex m = run.mutex(i);
        boolean owned = holds[i] > 0;
        Bound b = new Bound(timing(op), op.timeoutNanos());
        phase = "Mutex.lock " + b.timing;
        boolean ok;
        boolean abandoned = false;
        try {
            switch (b.timing) {
                case FOREVER -> {
                    m.lockInterruptibly();
                    ok = true;
                }
                case UNINTERRUPTIBLE -> {
                    m.lock();
                    ok = true;
                }
                case TRY -> ok = m.tryLock();
                case TIME_UNIT -> ok = m.tryLock(op.timeoutNanos(), TimeUnit.NANOSECONDS);
                case DURATION, ZERO, NEGATIVE -> ok = m.tryLock(b.duration);
                default -> ok = m.tryLock(b.deadline);
            }
        } catch (InterruptedException e) {
            count(Outcome.INTERRUPTED);
            checkUnchanged(op.targets(), -1, "interrupted lock");
            return;
        } catch (AbandonedMutexException e) {
            count(Outcome.ABANDONED_TAKEN);
            if (e.mutex() != m || e.mutexIndex() != -1) {
                fail("lock AbandonedMutexException names " + e.mutex() + " index " + e.mutexIndex());
            }
            ok = true;
            abandoned = true;
        }
        if (ok) {
            acquiredMutex(i, abandoned, abandoned);
            count(Outcome.ACQUIRED);
        } else {
            count(Outcome.TIMEOUT);
            String why = b.timing == Timing.TRY ? null : b.checkTimeout();
            if (why != null) {
                fail("tryLock " + why);
            }
            if (owned) {
                fail("tryLock failed on a mutex this thread owns");
            }
            checkUnchanged(op.targets(), -1, "timed-out tryLock");
        }
    }

    private void acquire(Op op) throws InterruptedException {
        int i = op.targets().get(0);
        Semaphore s = run.semaphore(i);
        int n = op.count();
        boolean single = n == 1 && (op.choice() & 1) != 0;
        Bound b = new Bound(timing(op), op.timeoutNanos());
        phase = "Semaphore.acquire(" + n + ") " + b.timing;
        boolean ok;
        try {
            switch (b.timing) {
                case FOREVER -> {
                    if (single) {
                        s.acquire();
                    } else {
                        s.acquire(n);
                    }
                    ok = true;
                }
                case UNINTERRUPTIBLE -> {
                    if (n == 1) {
                        s.acquireUninterruptibly();
                    } else {
                        s.acquire(n);
                    }
                    ok = true;
                }
                case TRY -> ok = single ? s.tryAcquire() : s.tryAcquire(n);
                case DURATION, TIME_UNIT, ZERO, NEGATIVE -> ok = single ? s.tryAcquire(b.duration) : s.tryAcquire(n, b.duration);
                default -> ok = s.tryAcquire(n, b.deadline);
            }
        } catch (InterruptedException e) {
            count(Outcome.INTERRUPTED);
            return;
        }
        if (ok) {
            acquired(i, n, false, false);
        } else {
            count(Outcome.TIMEOUT);
            if (n == 0) {
                fail("acquiring 0 permits failed");
            }
            String why = b.timing == Timing.TRY ? null : b.checkTimeout();
            if (why != null) {
                fail("tryAcquire " + why);
            }
        }
    }

    // ---- async

    /** The resolved outcome of an async wait. */
    record Resolved(boolean acquired, Object value, AbandonedMutexException abandoned) {
    }

    private static final Resolved WITHDRAWN = new Resolved(false, null, null);

    /**
     * Checks that a completion delivered by the engine on another thread runs at DISPATCH_LEVEL,
     * and outside every engine lock: the callback reads the state of the objects it waited on,
     * which waits out a held object lock and would hang (caught by the watchdog) if the
     * completing thread still held one.
     */
    void watchCompletion(CompletableFuture<?> f, String form, Waitable[] objs) {
        Thread me = thread;
        f.whenComplete((v, t) -> {
            if (Thread.currentThread() != me && (t == null || t instanceof AbandonedMutexException)
                    && Irql.current() < Irql.DISPATCH_LEVEL) {
                run.violation(spec.name(), form + " completed on " + Thread.currentThread() + " at IRQL "
                        + Irql.current() + " (expected DISPATCH_LEVEL)");
            }
            for (Waitable o : objs) {
                if (o.toString().isEmpty()) {
                    run.violation(spec.name(), "empty description of " + o.getClass());
                }
            }
        });
    }

    /**
     * Ends an async wait the way the plan says. If the worker's own withdrawal wins, nothing was
     * acquired; otherwise the engine acquired and the worker owns the result.
     */
    <T> Resolved resolve(CompletableFuture<T> f, Op op, T sentinel) {
        phase = "async: " + op.end();
        boolean withdrawn;
        switch (op.end()) {
            case CANCEL_AT_ONCE -> withdrawn = f.cancel(false);
            case CANCEL_AFTER_SPIN -> {
                spin(16 + 4 * op.spin());
                withdrawn = f.cancel(true);
            }
            case GET_THEN_CANCEL -> {
                try {
                    return engineResult(f.get(op.timeoutNanos(), TimeUnit.NANOSECONDS), null);
                } catch (TimeoutException | InterruptedException e) {
                    withdrawn = f.cancel(false);
                } catch (ExecutionException e) {
                    return engineFailure(e.getCause());
                } catch (CancellationException e) {
                    fail("async wait cancelled by nobody");
                    return WITHDRAWN;
                }
            }
            case OR_TIMEOUT -> {
                f.orTimeout(op.timeoutNanos(), TimeUnit.NANOSECONDS);
                try {
                    return engineResult(f.join(), null);
                } catch (CompletionException e) {
                    if (e.getCause() instanceof TimeoutException) {
                        withdrawn = true;
                    } else {
                        return engineFailure(e.getCause());
                    }
                }
            }
            case COMPLETE_VALUE -> withdrawn = f.complete(sentinel);
            case COMPLETE_EXCEPTIONALLY -> withdrawn = f.completeExceptionally(new IllegalStateException("withdrawn"));
            default -> throw new AssertionError(op.end());
        }
        if (withdrawn) {
            count(Outcome.WITHDRAWN);
            boolean consistent = switch (op.end()) {
                case CANCEL_AT_ONCE, CANCEL_AFTER_SPIN, GET_THEN_CANCEL -> f.isCancelled();
                case COMPLETE_VALUE -> f.isDone() && !f.isCompletedExceptionally() && f.join() == sentinel;
                default -> f.isCompletedExceptionally();
            };
            if (!consistent) {
                fail("a withdrawn async wait (" + op.end() + ") is in state " + f);
            }
            return WITHDRAWN;
        }
        // the engine claimed the wait first: it completes the future (now or within its signal)
        try {
            return engineResult(f.join(), null);
        } catch (CompletionException e) {
            return engineFailure(e.getCause());
        } catch (CancellationException e) {
            fail("cancel() returned false but the future ended cancelled");
            return WITHDRAWN;
        }
    }

    private static Resolved engineResult(Object value, AbandonedMutexException abandoned) {
        return new Resolved(true, value, abandoned);
    }

    private Resolved engineFailure(Throwable cause) {
        if (cause instanceof AbandonedMutexException a) {
            return new Resolved(true, null, a);
        }
        fail("async wait failed with " + cause);
        return WITHDRAWN;
    }

    private void anyAsync(Op op) {
        List<Integer> targets = op.targets();
        int ownedAt = firstOwnedMutex(targets);
        phase = "Wait.anyAsync";
        WaitList l = new WaitList(targets, op, false);
        Waitable[] objs = l.objs;
        CompletableFuture<Integer> f;
        try {
            f = Wait.anyAsync(objs);
        } catch (IllegalStateException e) {
            refused(l, e, "Wait.anyAsync");
            return;
        }
        if (ownedAt >= 0 && !f.isDone()) {
            fail("Wait.anyAsync did not complete at once although the mutex at index " + ownedAt
                    + " is owned by this thread");
        }
        watchCompletion(f, "Wait.anyAsync", objs);
        Resolved r = resolve(f, op, ANY_SENTINEL);
        if (!r.acquired()) {
            l.lost();
            checkUnchanged(targets, -1, "withdrawn Wait.anyAsync");
            return;
        }
        if (r.abandoned() != null) {
            count(Outcome.ABANDONED_TAKEN);
            int k = r.abandoned().mutexIndex();
            if (k < 0 || k >= targets.size() || run.objects[targets.get(k)] != r.abandoned().mutex()) {
                fail("Wait.anyAsync AbandonedMutexException with index " + k + " not naming its mutex");
                return;
            }
            anyResult(l, k, true, ownedAt, "Wait.anyAsync", false);
        } else {
            anyResult(l, (Integer) r.value(), false, ownedAt, "Wait.anyAsync", false);
        }
    }

    private void allAsync(Op op) {
        List<Integer> targets = op.targets();
        boolean mustComplete = allOwnedMutexes(targets) || targets.isEmpty();
        phase = "Wait.allAsync";
        WaitList l = new WaitList(targets, op, true);
        Waitable[] objs = l.objs;
        CompletableFuture<Void> f;
        try {
            f = Wait.allAsync(objs);
        } catch (IllegalStateException e) {
            refused(l, e, "Wait.allAsync");
            return;
        }
        if (mustComplete && !f.isDone()) {
            fail("Wait.allAsync did not complete at once although it needs only mutexes this thread owns");
        }
        watchCompletion(f, "Wait.allAsync", objs);
        Resolved r = resolve(f, op, null);
        if (!r.acquired()) {
            l.lost();
            checkUnchanged(targets, -1, "withdrawn Wait.allAsync");
            return;
        }
        allAcquired(l, r.abandoned(), false);
    }

    private void singleAsync(Op op) {
        int i = op.targets().get(0);
        CompletableFuture<Void> f;
        int n = 1;
        boolean owned = holds[i] > 0;
        switch (op.kind()) {
            case AWAIT_ASYNC -> {
                phase = "Event.awaitAsync";
                f = run.event(i).awaitAsync();
            }
            case LOCK_ASYNC -> {
                phase = "Mutex.lockAsync";
                f = run.mutex(i).lockAsync();
                if (owned && !f.isDone()) {
                    fail("lockAsync on a mutex this thread owns did not complete at once");
                }
            }
            default -> {
                n = op.count();
                phase = "Semaphore.acquireAsync(" + n + ")";
                f = n == 1 && (op.choice() & 1) != 0 ? run.semaphore(i).acquireAsync() : run.semaphore(i).acquireAsync(n);
            }
        }
        watchCompletion(f, op.kind().toString(), new Waitable[] {(Waitable) run.objects[i]});
        Resolved r = resolve(f, op, null);
        if (!r.acquired()) {
            checkUnchanged(op.targets(), -1, "withdrawn " + op.kind());
            return;
        }
        if (r.abandoned() != null) {
            count(Outcome.ABANDONED_TAKEN);
            if (r.abandoned().mutex() != run.objects[i] || r.abandoned().mutexIndex() != -1) {
                fail("lockAsync AbandonedMutexException names " + r.abandoned().mutex() + " index "
                        + r.abandoned().mutexIndex());
            }
        }
        acquired(i, n, r.abandoned() != null, r.abandoned() != null);
    }

    // ---- signals and permits

    private void produce(Op op) {
        int i = op.targets().get(0);
        int n = op.count();
        int previous = run.produce(i, n, n == 1 && (op.choice() & 1) != 0);
        if (previous < 0) {
            count(Outcome.FULL);
        } else {
            count(Outcome.SIGNAL);
            if (previous + n > run.specs[i].max()) {
                fail("release(" + n + ") of semaphore #" + i + " succeeded from count " + previous
                        + " past max " + run.specs[i].max());
            }
        }
    }

    private void consume(Op op) {
        int i = op.targets().get(0);
        if (holds[i] > 0) {
            holds[i]--;
            held--;
            run.dropped.incrementAndGet(i);
        } else if (run.semaphore(i).tryAcquire()) {
            acquired(i, 1, false, false);
            holds[i]--;
            held--;
            run.dropped.incrementAndGet(i);
        }
    }

    // ---- refused operations: a specific exception and nothing changed

    private void badInput(Op op) throws InterruptedException {
        List<Integer> targets = op.targets();
        int[] mutexes = run.plan.indicesOf(ObjKind.MUTEX);
        int[] sems = run.plan.indicesOf(ObjKind.SEMAPHORE);
        int choice = op.choice() % 9;
        phase = "bad input " + choice;
        switch (choice) {
            case 0 -> {
                int i = mutexes[op.choice() % mutexes.length];
                if (holds[i] == 0) {
                    Mutex m = run.mutex(i);
                    expect(IllegalMonitorStateException.class, () -> m.release(), "release() by a non-owner");
                    expect(IllegalMonitorStateException.class, () -> {
                        m.unlock();
                        return 0;
                    }, "unlock() by a non-owner");
                    if (m.isHeldByCurrentThread()) {
                        fail("a refused release made this thread the owner");
                    }
                }
            }
            case 1 -> {
                Semaphore s = run.semaphore(sems[op.choice() % sems.length]);
                expect(IllegalArgumentException.class, () -> s.release(-1), "release(-1)");
            }
            case 2 -> {
                Semaphore s = run.semaphore(sems[op.choice() % sems.length]);
                int over = s.maxPermits() + 1;
                expect(IllegalArgumentException.class, () -> s.tryAcquire(over) ? 1 : 0, "tryAcquire(max + 1)");
                expect(IllegalArgumentException.class, () -> {
                    s.acquire(over);
                    return 0;
                }, "acquire(max + 1)");
                expect(IllegalArgumentException.class, () -> s.acquireAsync(-1), "acquireAsync(-1)");
            }
            case 3 -> {
                if (!targets.isEmpty()) {
                    WaitList l = new WaitList(targets, op, false);
                    Waitable[] dup = new Waitable[targets.size() + 1];
                    System.arraycopy(l.objs, 0, dup, 0, targets.size());
                    dup[targets.size()] = dup[0];
                    expect(IllegalArgumentException.class, () -> Wait.all(Duration.ofMillis(1), dup) ? 1 : 0,
                            "Wait.all with a duplicate");
                    expect(IllegalArgumentException.class, () -> Wait.allAsync(dup), "Wait.allAsync with a duplicate");
                    l.lost();
                    checkUnchanged(targets, -1, "refused Wait.all with a duplicate");
                }
            }
            case 4 -> {
                WaitList l = new WaitList(targets, op, false);
                Waitable[] withNull = new Waitable[targets.size() + 1];
                System.arraycopy(l.objs, 0, withNull, 0, targets.size());
                expect(NullPointerException.class, () -> Wait.any(Duration.ZERO, withNull), "Wait.any with a null");
                expect(NullPointerException.class, () -> Wait.all(Duration.ZERO, withNull) ? 1 : 0, "Wait.all with a null");
                l.lost();
                checkUnchanged(targets, -1, "refused Wait.any/all with a null element");
            }
            case 5 -> {
                WaitList l = new WaitList(targets, op, false);
                Waitable[] objs = l.objs;
                expect(NullPointerException.class, () -> Wait.any((Duration) null, objs), "Wait.any(null timeout)");
                expect(NullPointerException.class, () -> Wait.all((Deadline) null, objs) ? 1 : 0, "Wait.all(null deadline)");
                l.lost();
                checkUnchanged(targets, -1, "refused Wait.any/all with a null timeout");
            }
            case 6 -> {
                // objects that cannot take part in a wait-all, sizes out of range
                io.waitkit.Barrier barrier = (io.waitkit.Barrier) run.objects[run.plan.indicesOf(ObjKind.BARRIER)[0]];
                @SuppressWarnings("unchecked")
                io.waitkit.Rendezvous<Long> rv = (io.waitkit.Rendezvous<Long>) run.objects[run.plan.indicesOf(ObjKind.RENDEZVOUS)[0]];
                io.waitkit.Channel<?> handOff = null;
                for (int i : run.plan.indicesOf(ObjKind.CHANNEL)) {
                    if (run.specs[i].max() == 0) {
                        handOff = (io.waitkit.Channel<?>) run.objects[i];
                    }
                }
                expect(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, barrier) ? 1 : 0, "Wait.all with a barrier");
                expect(IllegalArgumentException.class, () -> Wait.allAsync(rv.offer(-1L)), "Wait.allAsync with a rendezvous");
                io.waitkit.Channel<?> h = handOff;
                expect(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, h.receiveOp()) ? 1 : 0,
                        "Wait.all with a receive from a capacity-0 channel");
                expect(IllegalArgumentException.class, () -> new io.waitkit.Barrier(0), "new Barrier(0)");
                expect(IllegalArgumentException.class, () -> new io.waitkit.Channel<Long>(-1), "new Channel(-1)");
                expect(IllegalArgumentException.class, () -> new io.waitkit.ByteStream(0), "new ByteStream(0)");
                expect(IllegalArgumentException.class, () -> new io.waitkit.MessageQueue(1, -1), "new MessageQueue(1, -1)");
                expect(IllegalArgumentException.class, () -> new io.waitkit.Pipe(0), "new Pipe(0)");
            }
            case 7 -> {
                // operations built with bad arguments
                io.waitkit.EventFlags flags = (io.waitkit.EventFlags) run.objects[run.plan.indicesOf(ObjKind.FLAGS)[0]];
                io.waitkit.ByteStream stream = (io.waitkit.ByteStream) run.objects[run.plan.indicesOf(ObjKind.BYTESTREAM)[0]];
                expect(IllegalArgumentException.class, () -> flags.anyOf(0, false), "EventFlags.anyOf(0)");
                io.waitkit.EventFlags.Match foreign = new io.waitkit.EventFlags(1).anyOf(1, true);
                expect(IllegalArgumentException.class, () -> flags.await(foreign, Duration.ZERO), "await(a Match of another group)");
                byte[] buf = new byte[4];
                expect(IllegalArgumentException.class, () -> stream.readOp(buf, 0, 3, 2), "ByteStream.readOp(min > max)");
                int cap = stream.capacity();
                byte[] big = new byte[cap + 1];
                expect(IllegalArgumentException.class, () -> stream.writeOp(big, 0, cap + 1, cap + 1), "ByteStream.writeOp(min > capacity)");
                expect(IndexOutOfBoundsException.class, () -> stream.tryRead(buf, 2, 0, 3), "ByteStream.tryRead past the array");
                expect(IllegalArgumentException.class, () -> stream.writeOverwriting(big, 0, cap + 1), "writeOverwriting past the capacity");
            }
            default -> {
                // nulls where an item, offer, request or predicate is expected
                @SuppressWarnings("unchecked")
                io.waitkit.Mailbox<Long> mb = (io.waitkit.Mailbox<Long>) run.objects[run.plan.indicesOf(ObjKind.MAILBOX)[0]];
                @SuppressWarnings("unchecked")
                io.waitkit.Exchange<Long, Long> ex = (io.waitkit.Exchange<Long, Long>) run.objects[run.plan.indicesOf(ObjKind.EXCHANGE)[0]];
                io.waitkit.Counter counter = (io.waitkit.Counter) run.objects[run.plan.indicesOf(ObjKind.COUNTER)[0]];
                expect(NullPointerException.class, () -> {
                    mb.post(null);
                    return 0;
                }, "Mailbox.post(null)");
                expect(NullPointerException.class, () -> ex.callAsync(null), "Exchange.callAsync(null)");
                expect(NullPointerException.class, () -> counter.when(null), "Counter.when(null)");
                expect(NullPointerException.class, () -> io.waitkit.PostWait.postAll((Thread[]) null), "PostWait.postAll(null)");
                expect(NullPointerException.class, () -> new io.waitkit.Threshold(0, null, null), "new Threshold(match null)");
            }
        }
        count(Outcome.REFUSED);
    }

    @FunctionalInterface
    private interface Call {
        Object call() throws InterruptedException;
    }

    private void expect(Class<? extends Throwable> type, Call call, String what) {
        try {
            Object r = call.call();
            fail(what + " was accepted (returned " + r + ")");
        } catch (InterruptedException e) {
            fail(what + " threw InterruptedException instead of " + type.getSimpleName());
        } catch (Throwable t) {
            if (!type.isInstance(t)) {
                fail(what + " threw " + t + " instead of " + type.getSimpleName());
            }
        }
    }

    /** At DISPATCH_LEVEL polls work and blocking waits are refused at once with nothing acquired. */
    private void irql(Op op) {
        List<Integer> targets = op.targets();
        WaitList l = new WaitList(targets, op, false);
        Waitable[] objs = l.objs;
        boolean accounted = false;
        int ownedAt = firstOwnedMutex(targets);
        phase = "IRQL DISPATCH";
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            if (scope.level() != Irql.DISPATCH_LEVEL || Irql.canBlock()) {
                fail("Irql.raise(DISPATCH_LEVEL) gave level " + scope.level() + ", canBlock=" + Irql.canBlock());
            }
            if ((op.choice() & 1) == 0) {
                accounted = true;
                try {
                    int r = Wait.any(Duration.ZERO, objs);
                    if (r == Wait.TIMEOUT) {
                        count(Outcome.TIMEOUT);
                        l.lost();
                        if (ownedAt >= 0) {
                            fail("a poll at DISPATCH_LEVEL timed out although index " + ownedAt + " is owned");
                        }
                    } else {
                        anyResult(l, r, false, ownedAt, "Wait.any poll at DISPATCH_LEVEL", true);
                    }
                } catch (AbandonedMutexException e) {
                    count(Outcome.ABANDONED_TAKEN);
                    anyResult(l, e.mutexIndex(), true, ownedAt, "Wait.any poll at DISPATCH_LEVEL", true);
                } catch (InterruptedException e) {
                    count(Outcome.INTERRUPTED);
                    l.lost();
                    checkUnchanged(targets, -1, "interrupted poll at DISPATCH_LEVEL");
                } catch (IllegalStateException e) {
                    refused(l, e, "Wait.any poll at DISPATCH_LEVEL");
                }
            }
            boolean all = (op.choice() & 2) != 0;
            try {
                Object r = all ? (Object) Wait.all(Duration.ofMillis(5), objs) : (Object) Wait.any(Duration.ofMillis(5), objs);
                fail("a blocking " + (all ? "Wait.all" : "Wait.any") + " at DISPATCH_LEVEL returned " + r
                        + " instead of throwing IllegalStateException");
            } catch (IllegalStateException expected) {
                count(Outcome.REFUSED);
            } catch (InterruptedException | AbandonedMutexException e) {
                fail("a blocking wait at DISPATCH_LEVEL threw " + e + " instead of IllegalStateException");
            }
            if (!accounted) {
                l.lost();
            }
            checkUnchanged(targets, -1, "refused blocking wait at DISPATCH_LEVEL");
        }
        if (Irql.current() != Irql.PASSIVE_LEVEL) {
            fail("IRQL not restored: " + Irql.current());
        }
    }

    // ---- abandonment

    /**
     * A short-lived "ghost" thread tries to take a mutex and ends while holding it; whoever
     * acquires the mutex next must get AbandonedMutexException (checked through the shadow).
     */
    private void abandon(Op op) {
        int i = op.targets().get(0);
        Mutex m = run.mutex(i);
        long timeout = op.timeoutNanos();
        String name = spec.name() + "-ghost";
        Runnable body = () -> {
            Thread me = Thread.currentThread();
            boolean got;
            boolean abandoned = false;
            try {
                got = m.tryLock(Duration.ofNanos(timeout));
            } catch (AbandonedMutexException e) {
                got = true;
                abandoned = true;
            } catch (InterruptedException e) {
                got = false;
            }
            if (got) {
                Hold ghost = run.newHold(name, me, true);
                Hold current = run.shadow.get(i);
                boolean wasGhost = current != null && current.ghost();
                if (abandoned != wasGhost) {
                    run.violation(name, "ghost took mutex #" + i + " (abandoned=" + abandoned + ") from shadow " + current);
                }
                if (!run.shadow.compareAndSet(i, current, ghost) || (current != null && !current.ghost())) {
                    run.violation(name, "double ownership of mutex #" + i + ": ghost acquired while " + current
                            + " holds it");
                }
                if (m.owner() != me || m.holdCount() != 1) {
                    run.violation(name, "ghost's mutex #" + i + ": owner=" + m.owner() + " holdCount=" + m.holdCount());
                }
            }
            // ends holding the mutex
        };
        phase = "ghost on mutex #" + i;
        Thread ghost = (op.choice() & 1) == 0 ? Thread.ofVirtual().name(name).unstarted(body)
                : Thread.ofPlatform().daemon().name(name).unstarted(body);
        run.ghosts.put(ghost, name + " on mutex #" + i);
        ghost.start();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ghost.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                ghost.join(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (ghost.isAlive()) {
            fail("ghost thread did not end within 10 s (state " + ghost.getState() + ")");
        } else {
            run.ghosts.remove(ghost);
        }
        count(Outcome.GHOST);
    }
}
