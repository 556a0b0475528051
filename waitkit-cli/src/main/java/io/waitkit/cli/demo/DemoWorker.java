package io.waitkit.cli.demo;

import io.waitkit.AbandonedMutexException;
import io.waitkit.MessageQueue;
import io.waitkit.Wait;
import io.waitkit.WaitableTimer;
import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.NamedMessageQueue;
import io.waitkit.ipc.NamedMutex;
import io.waitkit.ipc.NamedSemaphore;
import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.SharedSection;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A worker process of {@code waitkit demo}: a separate JVM that the demo starts, coordinated
 * with the other workers only through the named objects of the demo's namespace.
 *
 * <p>It loops on one wait-any over named and in-process objects: the {@code shutdown} event
 * (manual reset), a receive from the {@code jobs} queue, a receive from the {@code done} queue
 * (completions reported by the shell worker, which cannot write the ledger itself) and a local
 * periodic timer (a heartbeat line). A job is claimed in the ledger, run while holding a permit
 * of the {@code slots} semaphore (the work is a timed wait that shutdown cuts short), then
 * recorded in the ledger under the {@code ledger-lock} mutex. A worker that gets
 * {@link AbandonedMutexException} repairs the ledger first: it notes the time of the detection,
 * rolls a half-done update forward and re-queues a job that a dead worker had claimed.
 *
 * <p>It reports on standard output, one line per event, for the demo to display: {@code S}
 * status, {@code W} about to wait for the ledger (with the wall-clock time in microseconds),
 * {@code M} the victim is mid-way through a ledger update, holding the mutex, and waits there to
 * be killed (with the job and the time),
 * {@code A} an abandonment detected and repaired, {@code Q} a job re-queued, {@code X} an error.
 * Each line is {@code CODE DONE TEXT}, where {@code DONE} is the number of jobs this worker has
 * recorded.
 */
public final class DemoWorker {
    /** The longest single wait of a worker: every wait is bounded. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final int id;
    private final int victimAfter;
    private final PrintStream out;
    private final NamedEvent shutdown;
    private final NamedMessageQueue jobs;
    private final NamedMessageQueue done;
    private final NamedSemaphore slots;
    private final NamedMutex lock;
    private final Ledger ledger;
    private int recorded;

    private DemoWorker(Namespace ns, int id, int victimAfter, PrintStream out) throws java.io.IOException {
        this.id = id;
        this.victimAfter = victimAfter;
        this.out = out;
        this.shutdown = ns.openExisting(ProcessDemo.SHUTDOWN, NamedEvent.class);
        this.jobs = ns.openExisting(ProcessDemo.JOBS, NamedMessageQueue.class);
        this.done = ns.openExisting(ProcessDemo.DONE, NamedMessageQueue.class);
        this.slots = ns.openExisting(ProcessDemo.SLOTS, NamedSemaphore.class);
        this.lock = ns.openExisting(ProcessDemo.LOCK, NamedMutex.class);
        SharedSection section = ns.openExisting(ProcessDemo.LEDGER, SharedSection.class);
        this.ledger = new Ledger(section.segment());
    }

    /**
     * Runs one worker.
     *
     * @param args the namespace directory, the worker's number (0 to 15), and after how many
     *        recorded jobs this worker stops mid-way through a ledger update to be killed
     *        (0: never)
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int code;
        try {
            Namespace ns = Namespace.open(Path.of(args[0]));
            new DemoWorker(ns, Integer.parseInt(args[1]), Integer.parseInt(args[2]), out).loop();
            code = 0;
        } catch (Exception | Error e) {
            out.println("X 0 " + e);
            code = 1;
        }
        out.flush();
        System.exit(code);
    }

    private void say(char code, String text) {
        out.println(code + " " + recorded + " " + text);
    }

    private void loop() throws InterruptedException {
        WaitableTimer heartbeat = WaitableTimer.autoReset();
        heartbeat.set(Duration.ofMillis(500), Duration.ofMillis(500));
        NamedMessageQueue.Receive job = jobs.receiveOp();
        NamedMessageQueue.Receive report = done.receiveOp();
        say('S', "waiting for a job");
        for (;;) {
            switch (Wait.any(LONGEST_WAIT, shutdown, job, report, heartbeat)) {
                case 0 -> {
                    say('S', "shut down");
                    heartbeat.cancel();
                    return;
                }
                case 1 -> runJob(job.item());
                case 2 -> recordReport(report.item());
                case 3 -> say('S', "idle");
                case Wait.TIMEOUT -> throw new IllegalStateException("no job, report or shutdown in " + LONGEST_WAIT);
                default -> throw new AssertionError();
            }
        }
    }

    /** A job message: {@code job ID MILLIS}. */
    private void runJob(MessageQueue.Message m) throws InterruptedException {
        String[] f = new String(m.data(), StandardCharsets.UTF_8).trim().split(" ");
        int j = Integer.parseInt(f[1]);
        long millis = Long.parseLong(f[2]);
        ledger.claim(id, ProcessHandle.current().pid(), j);
        say('S', "job " + j + " (priority " + m.priority() + "): waiting for a slot");
        if (!slots.tryAcquire(LONGEST_WAIT)) {
            throw new IllegalStateException("no slot in " + LONGEST_WAIT);
        }
        try {
            say('S', "job " + j + ": running");
            Wait.any(Duration.ofMillis(millis), shutdown); // the work: cut short by shutdown
        } finally {
            slots.release();
        }
        record(j, id, true);
    }

    /** A completion reported by the shell worker: {@code ID WORKER}. */
    private void recordReport(MessageQueue.Message m) throws InterruptedException {
        String[] f = new String(m.data(), StandardCharsets.UTF_8).trim().split(" ");
        record(Integer.parseInt(f[0]), Integer.parseInt(f[1]), false);
    }

    private void record(int j, int worker, boolean own) throws InterruptedException {
        say('W', Ledger.nowMicros() + " job " + j + ": waiting for the ledger" + (own ? "" : " (for worker " + worker + ")"));
        boolean held;
        try {
            held = lock.tryLock(LONGEST_WAIT);
        } catch (AbandonedMutexException e) {
            held = true;
            long micros = Ledger.nowMicros();
            int rolled = ledger.repair(id, micros);
            say('A', micros + " " + rolled + " ledger-lock abandoned: " + (rolled >= 0
                    ? "rolled job " + rolled + " forward from its intent record" : "no update was in progress"));
            requeueDeadClaims();
        }
        if (!held) {
            throw new IllegalStateException("ledger-lock not acquired in " + LONGEST_WAIT);
        }
        try {
            boolean victim = own && victimAfter > 0 && recorded + 1 == victimAfter;
            ledger.record(j, worker, victim ? () -> stopMidway(j) : () -> { });
            if (own) {
                ledger.unclaim(id);
            }
            if (ledger.totalDone() == ledger.jobs()) {
                say('S', "recorded the last job");
            }
        } finally {
            lock.unlock();
        }
        if (own) {
            recorded++;
        }
        say('S', "job " + j + ": recorded" + (own ? "" : " for worker " + worker));
    }

    /** The victim: reports that it holds the mutex mid-way through an update, then waits to be killed. */
    private void stopMidway(int j) {
        say('M', j + " " + Ledger.nowMicros());
        try {
            shutdown.await(LONGEST_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** After a repair: re-queues jobs claimed by dead workers and not recorded. Holds the mutex. */
    private void requeueDeadClaims() throws InterruptedException {
        for (int w = 0; w < Ledger.MAX_WORKERS; w++) {
            int j = ledger.claimed(w);
            if (j < 0 || w == id || ProcessHandle.of(ledger.claimPid(w)).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            if (ledger.completions(j) == 0) {
                if (!jobs.send(ProcessDemo.jobMessage(j), ProcessDemo.priority(j), LONGEST_WAIT)) {
                    throw new IllegalStateException("could not re-queue job " + j);
                }
                ledger.countRequeued();
                say('Q', j + " job " + j + " of dead worker " + w + " re-queued");
            }
            ledger.unclaim(w);
        }
    }
}
