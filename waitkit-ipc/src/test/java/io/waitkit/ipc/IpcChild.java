package io.waitkit.ipc;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Event;
import io.waitkit.Semaphore;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The main class of the child JVMs of the cross-process tests ({@link ChildJvm}). The first
 * argument is a command, the second the namespace directory; each command prints progress
 * lines (flushed at once) that the parent waits for, and reads further commands from stdin.
 *
 * <p>Exit codes: 0 done; {@value #VIOLATION} an invariant the child checks was broken (the line
 * before says which); {@value #TIMEOUT} a bounded wait that must succeed timed out;
 * {@value #FAILED} an unexpected exception (printed); {@value #USAGE} bad arguments;
 * {@value #ORPHANED} stdin closed (the parent is gone); {@value #TOO_OLD} the child outlived
 * {@code waitkit.ipc.child.maxSeconds} (default 600). The last two make sure no child outlives
 * a crashed or hung test JVM for long.
 *
 * <p>Commands (DIR is the namespace directory; objects are opened with
 * {@link Namespace#openExisting}, the parent creates them):
 * <ul>
 * <li>{@code hold-mutex DIR NAME}: locks, prints {@code LOCKED} (or {@code ABANDONED} first if
 *     the previous owner died); on {@code release} unlocks, prints {@code RELEASED}, exits 0;
 *     otherwise holds until killed.
 * <li>{@code open DIR NAME}: opens the object, prints {@code READY}; exits 0 on {@code exit}.
 * <li>{@code set-event DIR NAME [on-go]}: prints {@code READY}, (waits for {@code go},) sets,
 *     prints {@code SET}, exits 0.
 * <li>{@code wait-event DIR NAME TIMEOUT_MS}: prints {@code WAITING}, waits, prints
 *     {@code SIGNALED} or {@code TIMEOUT}, exits 0.
 * <li>{@code await-any DIR NAME...} / {@code await-all DIR NAME...}: prints {@code WAITING},
 *     waits without timeout in {@code Wait.any}/{@code Wait.all}, prints {@code ACQUIRED i}
 *     ({@code ACQUIRED all}; {@code ABANDONED} first if a mutex was abandoned), then on
 *     {@code release} gives back what it took (an event is set again), prints
 *     {@code RELEASED}, exits 0.
 * <li>{@code pingpong DIR PING PONG N}: prints {@code READY}; N times waits for PING and sets
 *     PONG; prints {@code DONE}.
 * <li>{@code sem-worker DIR SEM ITERATIONS PAUSE_EVERY}: acquires (in turn by acquire,
 *     tryAcquire, acquireAsync, Wait.any and Wait.all with an in-process semaphore) and
 *     releases one permit ITERATIONS times (forever if negative); with PAUSE_EVERY above 0,
 *     after every PAUSE_EVERY iterations prints {@code IDLE k} (holding nothing) and waits
 *     for {@code go}; prints {@code DONE n}.
 * <li>{@code crash-loop DIR MUTEX SEM EVENT WORDS PACE}: see {@link CrashLoop}.
 * <li>{@code random-ops DIR SEED MILLIS}: see {@link RandomOps}.
 * <li>{@code barging-loop DIR MUTEX WORDS}: see {@link BargingChild}.
 * <li>{@code signals - SIGNAL...}: see {@link SignalsChild} (the second argument is ignored).
 * <li>{@code pw DIR COMMAND ...}: post/wait, see {@link PostWaitChild}.
 * <li>{@code mq-produce}, {@code mq-consume}, {@code mq-send}, {@code mq-recv},
 *     {@code pipe-write}, {@code pipe-read}, {@code pipe-echo}, {@code section-add}: queues,
 *     pipes and sections, see {@link QueueChild}.
 * </ul>
 */
public final class IpcChild {
    static final int VIOLATION = 2;
    static final int TIMEOUT = 4;
    static final int FAILED = 3;
    static final int USAGE = 64;
    static final int ORPHANED = 97;
    static final int TOO_OLD = 98;
    /** The bound of every wait a child expects to succeed. */
    static final Duration MUST_SUCCEED = Duration.ofSeconds(60);

    private static final BlockingQueue<String> COMMANDS = new LinkedBlockingQueue<>();

    private IpcChild() {
    }

    public static void main(String[] args) {
        startGuards();
        try {
            run(args);
            System.out.flush();
            System.exit(0);
        } catch (Violation v) {
            say("VIOLATION " + v.getMessage());
            System.exit(VIOLATION);
        } catch (Timeout t) {
            say("TIMEOUT-FAILURE " + t.getMessage());
            System.exit(TIMEOUT);
        } catch (Throwable t) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            say("FAILED " + w);
            System.exit(FAILED);
        }
    }

    /** Reads stdin into the command queue (end-of-file: the parent is gone), and caps the lifetime. */
    private static void startGuards() {
        Thread.ofPlatform().daemon().name("child-stdin").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    COMMANDS.add(line.strip());
                }
            } catch (Throwable ignored) {
                // treated as end-of-file
            }
            Runtime.getRuntime().halt(ORPHANED);
        });
        long maxSeconds = Long.getLong("waitkit.ipc.child.maxSeconds", 600);
        Thread.ofPlatform().daemon().name("child-lifetime").start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
            } catch (InterruptedException ignored) {
                // halt anyway
            }
            say("TOO-OLD");
            Runtime.getRuntime().halt(TOO_OLD);
        });
    }

    static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Waits for the command {@code expected} from stdin; another command is a usage error. */
    static void expect(String expected) throws InterruptedException {
        String c = COMMANDS.take();
        if (!c.equals(expected)) {
            throw new IllegalArgumentException("expected command " + expected + ", got " + c);
        }
    }

    /** Waits for the next command from stdin. */
    static String takeCommand() throws InterruptedException {
        return COMMANDS.take();
    }

    /** The next command from stdin, or null if none came (without waiting). */
    static String pollCommand() {
        return COMMANDS.poll();
    }

    static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message, null, false, false);
        }
    }

    static final class Timeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Timeout(String message) {
            super(message, null, false, false);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new Violation(what);
        }
    }

    private static void run(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: IpcChild COMMAND DIR ...: " + Arrays.toString(args));
        }
        if (args[0].equals("signals")) {
            SignalsChild.run(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Namespace ns = Namespace.open(Path.of(args[1]));
        String[] rest = Arrays.copyOfRange(args, 2, args.length);
        switch (args[0]) {
            case "hold-mutex" -> holdMutex(ns, rest[0]);
            case "open" -> open(ns, rest[0]);
            case "set-event" -> setEvent(ns, rest[0], rest.length > 1 && rest[1].equals("on-go"));
            case "wait-event" -> waitEvent(ns, rest[0], Long.parseLong(rest[1]));
            case "await-any" -> awaitMany(ns, rest, false);
            case "await-all" -> awaitMany(ns, rest, true);
            case "pingpong" -> pingPong(ns, rest[0], rest[1], Integer.parseInt(rest[2]));
            case "sem-worker" -> semWorker(ns, rest[0], Long.parseLong(rest[1]), Integer.parseInt(rest[2]));
            case "crash-loop" -> CrashLoop.run(ns, Path.of(args[1]), rest);
            case "barging-loop" -> BargingChild.run(ns, Path.of(args[1]), rest);
            case "random-ops" -> RandomOps.run(ns, Path.of(args[1]), Long.parseLong(rest[0]), Long.parseLong(rest[1]));
            case "mq-produce", "mq-consume", "pipe-write", "mq-send", "mq-recv", "pipe-read", "pipe-echo", "section-add" ->
                QueueChild.run(ns, args[0], rest);
            case "pw" -> PostWaitChild.run(ns, rest);
            default -> {
                say("unknown command " + args[0]);
                System.exit(USAGE);
            }
        }
    }

    private static void holdMutex(Namespace ns, String name) throws Exception {
        NamedMutex m = ns.openExisting(name, NamedMutex.class);
        try {
            m.lock();
        } catch (AbandonedMutexException e) {
            say("ABANDONED");
        }
        say("LOCKED " + ProcessHandle.current().pid() + " " + Thread.currentThread().threadId());
        expect("release");
        m.unlock();
        say("RELEASED");
    }

    private static void open(Namespace ns, String name) throws Exception {
        try (NamedObject o = ns.openExisting(name, NamedObject.class)) {
            say("READY " + o.info().openers());
            expect("exit");
        }
    }

    private static void setEvent(Namespace ns, String name, boolean onGo) throws Exception {
        NamedEvent e = ns.openExisting(name, NamedEvent.class);
        say("READY");
        if (onGo) {
            expect("go");
        }
        e.set();
        say("SET");
    }

    private static void waitEvent(Namespace ns, String name, long timeoutMillis) throws Exception {
        NamedEvent e = ns.openExisting(name, NamedEvent.class);
        say("WAITING");
        say(e.await(Duration.ofMillis(timeoutMillis)) ? "SIGNALED" : "TIMEOUT");
    }

    private static void awaitMany(Namespace ns, String[] names, boolean all) throws Exception {
        NamedObject[] objects = new NamedObject[names.length];
        for (int i = 0; i < names.length; i++) {
            objects[i] = ns.openExisting(names[i], NamedObject.class);
        }
        Waitable[] w = Arrays.copyOf(objects, objects.length, Waitable[].class);
        say("WAITING");
        int index;
        if (all) {
            try {
                Wait.all(w);
            } catch (AbandonedMutexException e) {
                say("ABANDONED");
            }
            say("ACQUIRED all");
            index = -1;
        } else {
            try {
                index = Wait.any(w);
            } catch (AbandonedMutexException e) {
                say("ABANDONED");
                index = e.mutexIndex();
            }
            say("ACQUIRED " + index);
        }
        expect("release");
        for (int i = 0; i < objects.length; i++) {
            if (index == -1 || index == i) {
                giveBack(objects[i]);
            }
        }
        say("RELEASED");
    }

    /** Gives back one acquisition of a named object (an event is set again). */
    static void giveBack(NamedObject o) {
        switch (o) {
            case NamedMutex m -> m.unlock();
            case NamedSemaphore s -> s.release();
            case NamedEvent e -> e.set();
            default -> throw new IllegalArgumentException("not acquired by a wait: " + o);
        }
    }

    private static void pingPong(Namespace ns, String ping, String pong, int n) throws Exception {
        NamedEvent pi = ns.openExisting(ping, NamedEvent.class);
        NamedEvent po = ns.openExisting(pong, NamedEvent.class);
        say("READY");
        for (int i = 0; i < n; i++) {
            if (!pi.await(MUST_SUCCEED)) {
                throw new Timeout("no ping " + i + " within " + MUST_SUCCEED);
            }
            po.set();
        }
        say("DONE " + n);
    }

    private static void semWorker(Namespace ns, String name, long iterations, int pauseEvery) throws Exception {
        NamedSemaphore s = ns.openExisting(name, NamedSemaphore.class);
        Semaphore local = new Semaphore(1, 1);
        say("READY");
        long i = 0;
        for (; iterations < 0 || i < iterations; i++) {
            switch ((int) (i % 5)) {
                case 0 -> s.acquire();
                case 1 -> {
                    if (!s.tryAcquire(MUST_SUCCEED)) {
                        throw new Timeout("tryAcquire " + i);
                    }
                }
                case 2 -> s.acquireAsync().get(MUST_SUCCEED.toSeconds(), TimeUnit.SECONDS);
                case 3 -> check(Wait.any(MUST_SUCCEED, s) == 0, "Wait.any of one semaphore");
                default -> {
                    if (!Wait.all(MUST_SUCCEED, s, local)) {
                        throw new Timeout("Wait.all " + i);
                    }
                    local.release();
                }
            }
            check(s.availablePermits() < s.maxPermits(), "a permit is held, yet the count is at the maximum");
            s.release();
            if (pauseEvery > 0 && (i + 1) % pauseEvery == 0) {
                say("IDLE " + (i + 1));
                expect("go");
            }
        }
        say("DONE " + i);
    }

    // ---------------------------------------------------------------------------------------

    /**
     * {@code crash-loop DIR MUTEX SEM EVENT WORDS PACE}: loops forever (until killed, or until
     * the command {@code stop}); each round locks MUTEX and, holding it, works on data that is
     * inconsistent while it works, so that a holder killed at any instruction leaves a state
     * only the abandonment report lets the next holder repair:
     *
     * <ul>
     * <li>word {@link #OCC} is 1 inside and 0 outside: a normal lock (not abandoned) must find 0;
     * <li>SEM (1 of max 1) is acquired and released inside, with intent word {@link #SEM_INTENT}
     *     1 around it: with intent 0 the count must be 1, with intent 1 it is 0 or 1;
     * <li>EVENT (auto-reset, signalled outside) is taken and set again inside, with intent word
     *     {@link #EVT_INTENT}: with intent 0 it must be signalled.
     * </ul>
     *
     * <p>The first round prints {@code READY} (the loop is running). {@code pause k} makes it
     * finish its round and print {@code PAUSED k} holding nothing, then wait for
     * {@code resume}. PACE 0 loops flat out; otherwise it parks up to PACE microseconds
     * between rounds. Word {@link #ROUNDS} counts rounds, {@link #REPAIRS} repairs.
     */
    static final class CrashLoop {
        static final int OCC = 0;
        static final int SEM_INTENT = 1;
        static final int EVT_INTENT = 2;
        static final int ROUNDS = 3;
        static final int REPAIRS = 4;

        private CrashLoop() {
        }

        static void run(Namespace ns, Path dir, String[] a) throws Exception {
            NamedMutex m = ns.openExisting(a[0], NamedMutex.class);
            NamedSemaphore s = ns.openExisting(a[1], NamedSemaphore.class);
            NamedEvent e = ns.openExisting(a[2], NamedEvent.class);
            long pace = Long.parseLong(a[4]);
            SplittableRandom rnd = new SplittableRandom(ProcessHandle.current().pid());
            try (SharedWords w = SharedWords.open(dir.resolve(a[3]))) {
                for (long round = 0; ; round++) {
                    lockAndRepair(m, s, e, w);
                    try {
                        roundBody(s, e, w);
                    } finally {
                        m.unlock();
                    }
                    if (round == 0) {
                        say("READY");
                    }
                    String c = pollCommand();
                    if (c != null) {
                        if (c.equals("stop")) {
                            say("STOPPED " + round);
                            return;
                        }
                        if (c.startsWith("pause ")) {
                            say("PAUSED " + c.substring(6));
                            expect("resume");
                        }
                    }
                    if (pace > 0 && rnd.nextBoolean()) {
                        LockSupport.parkNanos(rnd.nextLong(pace * 1000 + 1));
                    }
                }
            }
        }

        /**
         * Locks; on abandonment repairs the data (see the class comment); checks it.
         *
         * @return true if the mutex was abandoned
         */
        static boolean lockAndRepair(NamedMutex m, NamedSemaphore s, NamedEvent e, SharedWords w) throws InterruptedException {
            boolean abandoned;
            try {
                if (!m.tryLock(MUST_SUCCEED)) {
                    throw new Timeout("lock of " + m);
                }
                abandoned = false;
            } catch (AbandonedMutexException x) {
                check(x.object() == m, "AbandonedMutexException.object() is not the handle");
                abandoned = true;
            }
            check(m.holdCount() == 1, "hold count after the lock: " + m.holdCount());
            if (abandoned) {
                repair(s, e, w);
            }
            checkConsistent(s, e, w);
            return abandoned;
        }

        static void repair(NamedSemaphore s, NamedEvent e, SharedWords w) {
            w.getAndAdd(REPAIRS, 1);
            long occ = w.get(OCC);
            check(occ == 0 || occ == 1, "occupancy " + occ);
            w.set(OCC, 0);
            int permits = s.availablePermits();
            if (w.get(SEM_INTENT) == 1) {
                check(permits == 0 || permits == 1, "permits with intent: " + permits);
                if (permits == 0) {
                    s.release();
                }
                w.set(SEM_INTENT, 0);
            }
            if (w.get(EVT_INTENT) == 1) {
                if (!e.isSignaled()) {
                    e.set();
                }
                w.set(EVT_INTENT, 0);
            }
        }

        static void checkConsistent(NamedSemaphore s, NamedEvent e, SharedWords w) {
            check(w.get(OCC) == 0, "occupancy " + w.get(OCC) + " after a lock (mutual exclusion or abandonment report broken)");
            check(w.get(SEM_INTENT) == 0 && w.get(EVT_INTENT) == 0,
                    "intents " + w.get(SEM_INTENT) + "/" + w.get(EVT_INTENT) + " after a lock");
            check(s.availablePermits() == 1, "semaphore count " + s.availablePermits() + " (permit lost or made)");
            check(e.isSignaled(), "event not signalled (its signal was lost)");
        }

        private static void roundBody(NamedSemaphore s, NamedEvent e, SharedWords w) throws InterruptedException {
            w.set(OCC, 1);
            w.set(SEM_INTENT, 1);
            if (!s.tryAcquire(Duration.ZERO)) {
                throw new Violation("the semaphore guarded by the mutex has no permit");
            }
            check(s.availablePermits() == 0, "count after acquiring the only permit: " + s.availablePermits());
            s.release();
            w.set(SEM_INTENT, 0);
            w.set(EVT_INTENT, 1);
            check(e.tryAwait(), "the event guarded by the mutex is not signalled");
            check(!e.isSignaled(), "an auto-reset event stayed signalled after a wait");
            e.set();
            w.set(EVT_INTENT, 0);
            w.set(OCC, 0);
            w.getAndAdd(ROUNDS, 1);
        }
    }

    // ---------------------------------------------------------------------------------------

    /**
     * {@code random-ops DIR SEED MILLIS}: a random mix of waits on the shared objects of the
     * stress test for MILLIS after the manual-reset event {@code go} is set, by two threads (a
     * platform and a virtual one) with their own random streams, checking the
     * invariants this process can see; prints {@code DONE ops=.. incs=.. timeouts=..
     * cancels=..}. The objects (created by the parent): mutex {@code m}, semaphore {@code s}
     * (max N), auto-reset event {@code t} (signalled when nobody holds its "token"), manual-reset
     * event {@code go}, words file {@code .words}:
     *
     * <ul>
     * <li>{@link #A}, {@link #B}: incremented one after the other under {@code m}; equal at every
     *     lock;
     * <li>{@link #H}: holders of a permit of {@code s}: never above N; {@link #H_MAX} the peak;
     * <li>{@link #TK}: holders of the token of {@code t}: at most 1, and {@code t} not signalled
     *     while held.
     * </ul>
     */
    static final class RandomOps {
        static final int A = 0;
        static final int B = 1;
        static final int H = 2;
        static final int TK = 3;
        static final int H_MAX = 4;
        static final int OPS = 5;
        /** Messages sent to the queue, and the sum of their values (wrapping). */
        static final int Q_SENT = 6;
        static final int Q_SENT_SUM = 7;
        /** Messages received from the queue, and the sum of their values (wrapping). */
        static final int Q_RECV = 8;
        static final int Q_RECV_SUM = 9;
        /**
         * The {@link System#nanoTime()} (one clock for every process of the host) at which the
         * latest receive attempt began, written before the attempt: a message is only ever taken
         * by an attempt that began at or before this (and every attempt ends within a few
         * milliseconds: its timeouts are at most 3 ms). A stamp written after the receive would
         * not do: a receive that returned just before the check but had not written its stamp yet
         * would make old room out of room that had just appeared.
         */
        static final int Q_LAST_RECV = 10;
        /**
         * A timed-out long send is a lost wake-up if the queue had room for this long before
         * the timeout: no receive attempt began in that time, so only sends happened and the room
         * seen after the timeout was there all that time. A receive that freed a slot shortly
         * before the timeout while the sender's wake-up was still on its way is not one (the
         * timeout wins the race, as it should); nor is room seen only because the checking thread
         * was descheduled after its timeout while others received.
         */
        static final long LOST_WAKEUP_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

        private final NamedMutex m;
        private NamedMessageQueue q;
        private final NamedSemaphore s;
        private final NamedEvent t;
        private final SharedWords w;
        private final Semaphore localSem = new Semaphore(1, 1);
        private final Event localEvent = Event.autoReset(false);
        private final SplittableRandom rnd;
        private final int max;
        private long ops;
        private long incs;
        private long timeouts;
        private long cancels;

        private RandomOps(NamedMutex m, NamedSemaphore s, NamedEvent t, SharedWords w, long seed) {
            this.m = m;
            this.s = s;
            this.t = t;
            this.w = w;
            this.rnd = new SplittableRandom(seed);
            this.max = s.maxPermits();
        }

        static void run(Namespace ns, Path dir, long seed, long millis) throws Exception {
            NamedMutex m = ns.openExisting("m", NamedMutex.class);
            NamedSemaphore s = ns.openExisting("s", NamedSemaphore.class);
            NamedEvent t = ns.openExisting("t", NamedEvent.class);
            NamedEvent go = ns.openExisting("go", NamedEvent.class);
            try (SharedWords w = SharedWords.open(dir.resolve(".words"))) {
                // two workers per process, a platform and a virtual thread: they block differently
                RandomOps[] workers = {new RandomOps(m, s, t, w, seed), new RandomOps(m, s, t, w, ~seed)};
                NamedMessageQueue q = ns.openExisting("q", NamedMessageQueue.class);
                for (RandomOps r : workers) {
                    r.q = q;
                }
                Throwable[] failures = new Throwable[workers.length];
                say("READY");
                if (!go.await(MUST_SUCCEED)) {
                    throw new Timeout("no go");
                }
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                Thread[] threads = new Thread[workers.length];
                for (int i = 0; i < workers.length; i++) {
                    RandomOps r = workers[i];
                    int k = i;
                    Runnable body = () -> {
                        try {
                            while (System.nanoTime() - end < 0) {
                                r.step();
                                r.ops++;
                            }
                            check(m.holdCount() == 0, "still holding the mutex at the end");
                        } catch (Throwable x) {
                            failures[k] = x;
                        }
                    };
                    threads[i] = i == 0 ? Thread.ofPlatform().name("worker-platform").start(body)
                            : Thread.ofVirtual().name("worker-virtual").start(body);
                }
                long ops = 0;
                long incs = 0;
                long timeouts = 0;
                long cancels = 0;
                for (int i = 0; i < workers.length; i++) {
                    if (!threads[i].join(Duration.ofMillis(millis).plus(MUST_SUCCEED))) {
                        throw new Timeout("worker " + threads[i] + " did not finish");
                    }
                    if (failures[i] instanceof Violation v) {
                        throw v;
                    }
                    if (failures[i] != null) {
                        throw new IllegalStateException("worker " + i + " failed", failures[i]);
                    }
                    ops += workers[i].ops;
                    incs += workers[i].incs;
                    timeouts += workers[i].timeouts;
                    cancels += workers[i].cancels;
                }
                w.getAndAdd(OPS, ops);
                say("DONE ops=" + ops + " incs=" + incs + " timeouts=" + timeouts + " cancels=" + cancels);
            }
        }

        private Duration shortTimeout() {
            return Duration.ofNanos(rnd.nextLong(3_000_000L));
        }

        private void sent(long v) {
            w.getAndAdd(Q_SENT, 1);
            w.getAndAdd(Q_SENT_SUM, v);
        }

        private void received(io.waitkit.MessageQueue.Message msg) {
            check(msg.data().length == 16, "a message of " + msg.data().length + " bytes");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(msg.data());
            long v = b.getLong();
            check(b.getLong() == ~v, "a torn message");
            check(msg.priority() == (int) (v & 3), "the priority does not match the message");
            w.getAndAdd(Q_RECV, 1);
            w.getAndAdd(Q_RECV_SUM, v);
        }

        /** One random send or receive on the queue: blocking, timed, polled, async (cancelled at random), or in a wait-any. */
        private void queueStep() throws Exception {
            if (rnd.nextBoolean()) {
                long v = rnd.nextLong();
                byte[] msg = java.nio.ByteBuffer.allocate(16).putLong(v).putLong(~v).array();
                int prio = (int) (v & 3);
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        if (q.send(msg, prio, shortTimeout())) {
                            sent(v);
                        } else {
                            timeouts++;
                        }
                    }
                    case 1 -> {
                        if (q.trySend(msg, prio)) {
                            sent(v);
                        }
                    }
                    case 2 -> {
                        if (acquiredAsync(q.sendAsync(msg, prio))) {
                            sent(v);
                        }
                    }
                    default -> {
                        // a long wait: the others keep receiving while they run; at the very end
                        // nobody may, so it is bounded, and a failure while the queue had room
                        // for a long time is a lost wake-up (see LOST_WAKEUP_NANOS)
                        long begin = System.nanoTime();
                        if (q.send(msg, prio, Duration.ofSeconds(2))) {
                            sent(v);
                        } else {
                            long end = System.nanoTime();
                            int size = q.size();
                            long lastReceive = w.getVolatile(Q_LAST_RECV);
                            check(size == q.capacity() || end - lastReceive < LOST_WAKEUP_NANOS,
                                    "a send that waited " + (end - begin) / 1_000_000 + " ms failed although the queue had room for the last "
                                            + (end - lastReceive) / 1_000_000 + " ms of it (size " + size + ")");
                            timeouts++;
                        }
                    }
                }
            } else {
                w.accumulateMax(Q_LAST_RECV, System.nanoTime()); // before the attempt (see Q_LAST_RECV)
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        io.waitkit.MessageQueue.Message msg = q.receive(shortTimeout());
                        if (msg != null) {
                            received(msg);
                        } else {
                            timeouts++;
                        }
                    }
                    case 1 -> {
                        io.waitkit.MessageQueue.Message msg = q.tryReceive();
                        if (msg != null) {
                            received(msg);
                        }
                    }
                    case 2 -> {
                        CompletableFuture<io.waitkit.MessageQueue.Message> f = q.receiveAsync();
                        if (acquiredAsync(f)) {
                            received(f.join());
                        }
                    }
                    default -> {
                        NamedMessageQueue.Receive op = q.receiveOp();
                        Waitable[] objs = {localEvent, op, t};
                        int i = Wait.any(shortTimeout(), objs);
                        if (i == 1) {
                            received(op.item());
                        } else if (i == 2) {
                            inToken();
                        } else {
                            check(i == Wait.TIMEOUT, "acquired the never-set local event");
                            timeouts++;
                        }
                    }
                }
            }
        }

        private void step() throws Exception {
            if (rnd.nextInt(4) == 0) {
                queueStep();
                return;
            }
            switch (rnd.nextInt(12)) {
                case 0 -> {
                    m.lock();
                    inMutex(1);
                    m.unlock();
                }
                case 1 -> {
                    if (m.tryLock(shortTimeout())) {
                        inMutex(1);
                        if (rnd.nextBoolean() && m.tryLock()) { // recursion
                            inMutex(2);
                            check(m.release() == 2, "release of a recursive hold");
                        }
                        m.unlock();
                    } else {
                        timeouts++;
                    }
                }
                case 2 -> {
                    m.lockAsync().get(MUST_SUCCEED.toSeconds(), TimeUnit.SECONDS);
                    inMutex(1);
                    m.unlock();
                }
                case 3 -> {
                    if (rnd.nextBoolean()) {
                        s.acquire();
                    } else if (!s.tryAcquire(shortTimeout())) {
                        timeouts++;
                        return;
                    }
                    inSemaphore();
                    s.release();
                }
                case 4 -> {
                    if (rnd.nextBoolean()) {
                        t.await();
                    } else if (!t.await(shortTimeout())) {
                        timeouts++;
                        return;
                    }
                    inToken();
                }
                case 5, 6 -> {
                    Waitable[] objs = rnd.nextBoolean() ? new Waitable[] {m, s, t} : new Waitable[] {localEvent, t, s, m};
                    int i = rnd.nextBoolean() ? Wait.any(objs) : Wait.any(shortTimeout(), objs);
                    if (i == Wait.TIMEOUT) {
                        timeouts++;
                    } else {
                        acquiredOne(objs[i]);
                    }
                }
                case 7, 8 -> {
                    boolean withLocal = rnd.nextBoolean();
                    Waitable[] objs = withLocal ? new Waitable[] {s, localSem, m, t} : new Waitable[] {m, s, t};
                    boolean ok;
                    if (rnd.nextInt(4) == 0) {
                        Wait.all(objs);
                        ok = true;
                    } else {
                        ok = Wait.all(Duration.ofNanos(rnd.nextLong(20_000_000L)), objs);
                    }
                    if (ok) {
                        acquiredAll(withLocal);
                    } else {
                        timeouts++;
                        check(localSem.availablePermits() == 1, "a timed-out Wait.all took the local semaphore");
                        check(m.holdCount() == 0, "a timed-out Wait.all left the mutex held");
                    }
                }
                case 9 -> {
                    Waitable[] objs = {m, s, t};
                    CompletableFuture<Integer> f = Wait.anyAsync(objs);
                    if (acquiredAsync(f)) {
                        acquiredOne(objs[f.join()]);
                    } else {
                        check(m.holdCount() == 0, "a cancelled anyAsync left the mutex held");
                    }
                }
                case 10 -> {
                    CompletableFuture<Void> f = Wait.allAsync(m, s, t);
                    if (acquiredAsync(f)) {
                        acquiredAll(false);
                    } else {
                        check(m.holdCount() == 0, "a cancelled allAsync left the mutex held");
                    }
                }
                default -> {
                    int kind = rnd.nextInt(3);
                    CompletableFuture<Void> f = switch (kind) {
                        case 0 -> m.lockAsync();
                        case 1 -> s.acquireAsync();
                        default -> t.awaitAsync();
                    };
                    if (acquiredAsync(f)) {
                        acquiredOne(kind == 0 ? m : kind == 1 ? s : t);
                    } else {
                        check(m.holdCount() == 0, "a cancelled async wait left the mutex held");
                    }
                }
            }
        }

        /**
         * Waits a random short time for the future of an async wait; on timeout (or at random
         * at once) cancels it.
         *
         * @return true if the acquisition happened (completed, or the cancel lost)
         */
        private boolean acquiredAsync(CompletableFuture<?> f) throws Exception {
            if (rnd.nextInt(3) != 0) {
                try {
                    f.get(rnd.nextLong(3_000L), TimeUnit.MICROSECONDS);
                    return true;
                } catch (TimeoutException e) {
                    // cancel below
                }
            }
            if (f.cancel(false)) {
                cancels++;
                check(f.isCancelled(), "cancel returned true but the future is not cancelled");
                return false;
            }
            f.get(MUST_SUCCEED.toSeconds(), TimeUnit.SECONDS); // the acquisition won the race
            return true;
        }

        private void acquiredOne(Waitable o) {
            if (o == m) {
                inMutex(1);
                m.unlock();
            } else if (o == s) {
                inSemaphore();
                s.release();
            } else if (o == t) {
                inToken();
            } else {
                throw new Violation("acquired the never-set local event");
            }
        }

        private void acquiredAll(boolean withLocal) {
            check(m.holdCount() == 1, "Wait.all did not leave the mutex held once: " + m.holdCount());
            long h = w.getAndAdd(H, 1) + 1;
            check(h <= max, "permit holders " + h + " above the maximum " + max);
            long tk = w.getAndAdd(TK, 1);
            check(tk == 0, "token holders " + (tk + 1));
            check(!t.isSignaled(), "event signalled while its token is held");
            if (withLocal) {
                check(localSem.availablePermits() == 0, "Wait.all did not take the local semaphore");
                localSem.release();
            }
            inMutex(1);
            w.getAndAdd(TK, -1);
            t.set();
            w.getAndAdd(H, -1);
            s.release();
            m.unlock();
        }

        private void inMutex(int expectedHolds) {
            check(m.holdCount() == expectedHolds, "hold count " + m.holdCount() + ", expected " + expectedHolds);
            long a = w.get(A);
            long b = w.get(B);
            check(a == b, "mutex invariant broken: A=" + a + " B=" + b);
            w.set(A, a + 1);
            if (rnd.nextInt(8) == 0) {
                Thread.yield();
            }
            w.set(B, b + 1);
            incs++;
        }

        private void inSemaphore() {
            long h = w.getAndAdd(H, 1) + 1;
            check(h <= max, "permit holders " + h + " above the maximum " + max);
            w.accumulateMax(H_MAX, h);
            check(s.availablePermits() <= max - 1, "count " + s.availablePermits() + " while holding one of max " + max);
            if (rnd.nextInt(8) == 0) {
                Thread.yield();
            }
            w.getAndAdd(H, -1);
        }

        private void inToken() {
            long tk = w.getAndAdd(TK, 1);
            check(tk == 0, "token holders " + (tk + 1));
            check(!t.isSignaled(), "event signalled while its token is held");
            if (rnd.nextInt(8) == 0) {
                Thread.yield();
            }
            w.getAndAdd(TK, -1);
            t.set();
        }
    }
}
