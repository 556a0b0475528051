package io.waitkit.cli.demo;

import io.waitkit.AbandonedMutexException;
import io.waitkit.ChangeMatch;
import io.waitkit.MessageQueue;
import io.waitkit.Wait;
import io.waitkit.zk.ZkCounter;
import io.waitkit.zk.ZkEvent;
import io.waitkit.zk.ZkMessageQueue;
import io.waitkit.zk.ZkMutex;
import io.waitkit.zk.ZkNamespace;
import io.waitkit.zk.ZkSemaphore;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;

/**
 * A worker process of {@code waitkit demo --zk}: a separate JVM that the demo starts, coordinated
 * with the other workers only through the objects of one root path on the demo's ZooKeeper
 * ensemble.
 *
 * <p>It takes the next job from the {@code next-job} counter (one atomic increment: each number
 * is handed out once, a retried increment included), runs it while holding a permit of the
 * {@code slots} semaphore (the work is a timed wait that {@code shutdown} would cut short), then
 * records it under the {@code ledger-lock} mutex: the job's own counter ({@code job-J}) goes up
 * by one, then the totals {@code ledger-jobs} and {@code ledger-sum} are read and written back
 * (a read-modify-write that only the mutex keeps whole). A worker that gets
 * {@link AbandonedMutexException} (the previous holder's session ended mid-update) recomputes
 * the totals from the job counters before its own update. It also records, the same way, the
 * jobs that the shell worker reports on the {@code done} queue ({@code J W}: job J, done by
 * worker W): after each job of its own it takes the reports waiting there, and when the jobs
 * run out it waits for a report or the {@code shutdown} event (manual reset) in one
 * {@link Wait#any}, until {@code shutdown}; then it exits 0.
 *
 * <p>It reports on standard output, one line per event, in the format of the local demo's
 * workers ({@code CODE DONE TEXT}, {@code DONE} the jobs this worker has recorded): {@code S}
 * status, {@code R} a report of the shell worker recorded ({@code job J of worker W}),
 * {@code C} a change of its connection to the ensemble (suspended, reconnected, lost, with the
 * server it talks to), {@code A} an abandonment detected and repaired, {@code X} an error.
 * Every wait is bounded by {@link #LONGEST_WAIT}; a connection that does not come back within
 * it ends the worker with exit code 1. Its client ({@link ZkDemo.Connection}) asks for a session
 * of {@link ZkDemo#SESSION} and keeps trying a call for {@link #LONGEST_WAIT} while no server
 * answers, so that an election that takes more than 10 s costs the worker neither its session
 * nor a call.
 */
public final class ZkDemoWorker {
    /** The longest single wait of a worker: every wait is bounded. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(40);

    private final int id;
    private final int jobs;
    /** The job numbers others take first before this worker takes one. */
    private final int first;
    private final PrintStream out;
    private final ZkNamespace ns;
    private final ZkEvent shutdown;
    private final ZkSemaphore slots;
    private final ZkMutex lock;
    private final ZkCounter next;
    private final ZkCounter total;
    private final ZkCounter sum;
    private final ZkMessageQueue done;
    private volatile int recorded;

    private ZkDemoWorker(ZkNamespace ns, int id, int jobs, int first, PrintStream out) {
        this.ns = ns;
        this.id = id;
        this.jobs = jobs;
        this.first = first;
        this.out = out;
        this.shutdown = ns.openExisting(ZkDemo.SHUTDOWN, ZkEvent.class);
        this.slots = ns.openExisting(ZkDemo.SLOTS, ZkSemaphore.class);
        this.lock = ns.openExisting(ZkDemo.LOCK, ZkMutex.class);
        this.next = ns.openExisting(ZkDemo.NEXT, ZkCounter.class);
        this.total = ns.openExisting(ZkDemo.TOTAL, ZkCounter.class);
        this.sum = ns.openExisting(ZkDemo.SUM, ZkCounter.class);
        this.done = ns.openExisting(ZkDemo.DONE, ZkMessageQueue.class);
    }

    /**
     * Runs a worker: {@code CONNECT ROOT ID JOBS [FIRST]}. With {@code FIRST} 1 it takes no job
     * before {@code next-job} has handed out its first number (to the shell worker, which needs
     * a JVM start per command), waiting for that at most {@link #LONGEST_WAIT} and then going
     * on anyway. Exit code 0 after {@code shutdown}, 1 on an error (reported with an {@code X}
     * line first), 2 for bad arguments.
     *
     * @param args the connect string, the root path, the worker's number, the number of jobs,
     *        and optionally the job numbers to let others take first (0 or 1)
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = work(args, out);
        out.flush();
        System.exit(code);
    }

    /**
     * The worker's whole run, as {@link #main} does it, reporting to {@code out}.
     *
     * @param args as for {@link #main}
     * @param out where the protocol lines go
     * @return the exit code
     */
    static int work(String[] args, PrintStream out) {
        if (args.length != 4 && args.length != 5) {
            out.println("X 0 usage: ZkDemoWorker CONNECT ROOT ID JOBS [FIRST]");
            return 2;
        }
        try (ZkDemo.Connection conn = ZkDemo.Connection.open(args[0], args[1], LONGEST_WAIT)) {
            ZkDemoWorker w = new ZkDemoWorker(conn.ns(), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    args.length == 5 ? Integer.parseInt(args[4]) : 0, out);
            return w.run();
        } catch (Exception | Error e) {
            out.println("X 0 " + e);
            return 1;
        }
    }

    private void say(char code, String text) {
        synchronized (out) {
            out.println(code + " " + recorded + " " + text);
        }
    }

    /** The server this worker's client talks to now, from the ZooKeeper handle's description. */
    private String server() {
        try {
            String s = ns.client().getZookeeperClient().getZooKeeper().toString();
            int at = s.indexOf("remoteserver:");
            if (at < 0) {
                return "no server";
            }
            String addr = s.substring(at + "remoteserver:".length()).split(" ", 2)[0];
            int colon = addr.lastIndexOf(':');
            return colon < 0 || addr.startsWith("null") ? "no server" : "server :" + addr.substring(colon + 1);
        } catch (Exception e) {
            return "no server";
        }
    }

    /** The session timeout the servers granted, in seconds. */
    private String sessionSeconds() {
        try {
            return Integer.toString(ns.client().getZookeeperClient().getZooKeeper().getSessionTimeout() / 1000);
        } catch (Exception e) {
            return "?";
        }
    }

    private int run() throws InterruptedException {
        ConnectionStateListener states = (c, s) -> {
            if (s == ConnectionState.SUSPENDED) {
                say('C', "connection suspended: its server went away; Curator tries the others");
            } else if (s == ConnectionState.RECONNECTED) {
                say('C', "reconnected to " + server() + ", same session");
            } else if (s == ConnectionState.LOST) {
                say('C', "session LOST");
            }
        };
        ns.client().getConnectionStateListenable().addListener(states);
        say('S', "connected to " + server() + ", session timeout " + sessionSeconds() + " s");
        try {
            if (first > 0) {
                say('S', "waiting for the shell worker's first job (" + server() + ")");
                if (next.await(ChangeMatch.atLeast(first), LONGEST_WAIT) == null) {
                    say('S', "no job handed out in " + LONGEST_WAIT.toSeconds() + " s: going on");
                }
            }
            for (;;) {
                int job = (int) (next.increment() - 1);
                if (job >= jobs) {
                    break;
                }
                say('S', "job " + job + ": waiting for a slot (" + server() + ")");
                if (!slots.tryAcquire(LONGEST_WAIT)) {
                    say('X', "no slot within " + LONGEST_WAIT.toSeconds() + " s");
                    return 1;
                }
                try {
                    say('S', "job " + job + ": working (" + server() + ")");
                    if (shutdown.await(Duration.ofMillis(ZkDemo.workMillis(job)))) {
                        say('X', "shutdown before job " + job + " was recorded");
                        return 1;
                    }
                } finally {
                    slots.release();
                }
                say('S', "job " + job + ": recording (" + server() + ")");
                if (!record(job)) {
                    return 1;
                }
                recorded++;
                say('S', "job " + job + " recorded");
                for (MessageQueue.Message m; (m = done.tryReceive()) != null; ) {
                    if (!recordReport(m)) {
                        return 1;
                    }
                }
            }
            say('S', "no jobs left: waiting for shutdown or a report");
            ZkMessageQueue.Receive report = done.receiveOp();
            for (;;) {
                switch (Wait.any(LONGEST_WAIT.multipliedBy(2), shutdown, report)) {
                    case 0 -> {
                        say('S', "shutdown: done");
                        return 0;
                    }
                    case 1 -> {
                        if (!recordReport(report.item())) {
                            return 1;
                        }
                        say('S', "no jobs left: waiting for shutdown or a report");
                    }
                    default -> {
                        say('X', "no shutdown within " + LONGEST_WAIT.toSeconds() * 2 + " s");
                        return 1;
                    }
                }
            }
        } catch (IllegalStateException e) {
            say('X', e.getMessage());
            return 1;
        } finally {
            ns.client().getConnectionStateListenable().removeListener(states);
        }
    }

    /** Records a job the shell worker reported: {@code J W}. */
    private boolean recordReport(MessageQueue.Message m) throws InterruptedException {
        String[] f = new String(m.data(), StandardCharsets.UTF_8).trim().split(" ");
        int job = Integer.parseInt(f[0]);
        say('S', "job " + job + " of worker " + f[1] + ": recording (" + server() + ")");
        if (!record(job)) {
            return false;
        }
        say('R', "job " + job + " of worker " + f[1]);
        return true;
    }

    /** Records a job under the mutex: its own counter, then the two totals. */
    private boolean record(int job) throws InterruptedException {
        boolean held;
        try {
            held = lock.tryLock(LONGEST_WAIT);
        } catch (AbandonedMutexException e) {
            held = true;
            repair();
        }
        if (!held) {
            say('X', "no ledger lock within " + LONGEST_WAIT.toSeconds() + " s");
            return false;
        }
        try {
            ns.openExisting(ZkDemo.record(job), ZkCounter.class).increment();
            total.set(total.get() + 1);
            sum.set(sum.get() + ZkDemo.value(job));
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            } else {
                say('C', "the ledger lock ended with the session mid-update: the next holder repairs the totals");
            }
        }
        return true;
    }

    /** Recomputes the totals from the job counters, after an update that a lost session cut short. */
    private void repair() {
        long n = 0;
        long s = 0;
        for (int j = 0; j < jobs; j++) {
            long c = ns.openExisting(ZkDemo.record(j), ZkCounter.class).get();
            n += c;
            s += c * ZkDemo.value(j);
        }
        total.set(n);
        sum.set(s);
        say('A', "ledger-lock was abandoned (its holder's session ended mid-update): totals recomputed from the"
                + " job records, " + n + " jobs (worker " + id + ")");
    }
}
