package io.waitkit.cli.demo;

import io.waitkit.Event;
import io.waitkit.Wait;
import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.NamedMessageQueue;
import io.waitkit.ipc.NamedMutex;
import io.waitkit.ipc.NamedObject;
import io.waitkit.ipc.NamedSemaphore;
import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.SharedSection;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code waitkit demo}: worker processes coordinated only by named objects, one of them killed
 * with SIGKILL in the middle of a ledger update, and checks that nothing was lost, duplicated
 * or left inconsistent.
 *
 * <p>The demo makes a fresh private namespace (a 0700 directory under {@code /dev/shm}, or the
 * temporary directory), creates the objects in it, queues the jobs and starts the workers: Java
 * worker processes ({@link DemoWorker}, a separate JVM each, started with this JVM's
 * {@code java} command and class path) and one {@code /bin/sh} script that uses the
 * {@code waitkit} command (the launcher named by the {@code waitkit.launcher} system property or
 * the {@code WAITKIT_LAUNCHER} environment variable, else a generated wrapper that runs this
 * JVM's class path). The objects:
 * <ul>
 * <li>{@code jobs}: a priority message queue of jobs ({@code job ID MILLIS});
 * <li>{@code slots}: a semaphore bounding how many jobs run at once;
 * <li>{@code ledger-lock}: the robust mutex guarding {@code ledger}, a shared section of per-job
 *     records, totals and an intent record ({@link Ledger});
 * <li>{@code done}: completions reported by the shell worker, recorded by a Java worker;
 * <li>{@code shutdown}: a manual-reset event that ends the workers.
 * </ul>
 *
 * <p>One Java worker stops mid-way through a ledger update, holding the mutex, and says so; the
 * demo kills it with SIGKILL at once. The next worker to lock the ledger gets
 * {@code AbandonedMutexException}, writes the time of detection into the ledger, rolls the
 * half-done update forward from the intent record and carries on. Once every job is recorded
 * the demo sets {@code shutdown}, waits for the workers, checks the ledger, prints the summary,
 * and removes the namespace; a shutdown hook does the same when the demo is interrupted
 * (Ctrl-C): it kills the workers and deletes everything.
 */
final class ProcessDemo {
    /** Name of the shutdown event. */
    static final String SHUTDOWN = "shutdown";
    /** Name of the job queue. */
    static final String JOBS = "jobs";
    /** Name of the queue of completions reported by the shell worker. */
    static final String DONE = "done";
    /** Name of the semaphore bounding the jobs run at once. */
    static final String SLOTS = "slots";
    /** Name of the robust mutex guarding the ledger. */
    static final String LOCK = "ledger-lock";
    /** Name of the shared section holding the ledger. */
    static final String LEDGER = "ledger";

    private static final List<String> NAMES = List.of(SHUTDOWN, JOBS, DONE, SLOTS, LOCK, LEDGER);
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long DETECTION_LIMIT_MICROS = 100_000;

    /**
     * What to run.
     *
     * @param jobs the number of jobs
     * @param javaWorkers the number of Java worker processes
     * @param shell whether a shell worker takes part
     * @param slots the permits of the semaphore: jobs run at once
     * @param victimAfter the victim (Java worker 2) is killed while recording this job of its own
     */
    record Settings(int jobs, int javaWorkers, boolean shell, int slots, int victimAfter) {
        static Settings standard(int jobs) {
            return new Settings(jobs, 3, true, 2, 6);
        }
    }

    private final Settings settings;
    private final PrintWriter w;
    private final LiveBoard board;
    private final Event changed = Event.autoReset(false);
    private final List<Worker> workers = new ArrayList<>();
    private final List<NamedObject> handles = new ArrayList<>();
    private NamedEvent shutdown;
    private NamedMessageQueue jobQueue;
    private NamedSemaphore slots;
    private NamedMutex ledgerLock;
    private Ledger ledger;
    private Path base;
    private Namespace ns;
    private boolean cleaned;
    private volatile long killMicros;
    private volatile int killedJob = -1;
    private volatile long firstAbandonMicros;
    private volatile long goneMicros;

    ProcessDemo(Settings settings, PrintWriter w, boolean live, boolean progress, Ansi ansi) {
        this.settings = settings;
        this.w = w;
        this.board = new LiveBoard(w, live, progress, ansi, this::board);
    }

    /** The message of job {@code j}: {@code job ID MILLIS}, the work lasting 80 to 199 ms. */
    static byte[] jobMessage(int j) {
        return ("job " + j + " " + (80 + (j * 37) % 120)).getBytes(StandardCharsets.UTF_8);
    }

    /** The priority of job {@code j}: 1 to 4, higher ones taken first. */
    static int priority(int j) {
        return 1 + j % 4;
    }

    /** One worker process and what it last said. */
    private final class Worker {
        final int id;
        final String label;
        final boolean victim;
        final Process process;
        volatile String status = "starting";
        volatile boolean killed;
        volatile boolean skipped;
        volatile String error;
        volatile int midway = -1;
        volatile long midwaySince;
        volatile long waitingSince;
        final WorkerOutput output;

        Worker(int id, String label, boolean victim, Process process) {
            this.id = id;
            this.label = label;
            this.victim = victim;
            this.process = process;
            this.output = new WorkerOutput(process, changed);
        }

        void read() {
            output.read(this::heard);
        }

        /** One protocol line of this worker (see {@link WorkerOutput}). */
        private void heard(char kind, String text) {
            switch (kind) {
                case 'S' -> {
                    waitingSince = 0;
                    status = text;
                }
                case 'W' -> {
                    String[] a = text.split(" ", 2);
                    status = a[1];
                    waitingSince = Long.parseLong(a[0]);
                    killWhenContended();
                }
                case 'M' -> {
                    if (victim) {
                        String[] a = text.split(" ");
                        midwaySince = Long.parseLong(a[1]);
                        midway = Integer.parseInt(a[0]);
                        status = "job " + midway + ": holding " + LOCK + " mid-way through the update";
                        killWhenContended();
                    }
                }
                case 'A' -> {
                    String[] a = text.split(" ", 3);
                    long micros = Long.parseLong(a[0]);
                    synchronized (ProcessDemo.this) {
                        if (firstAbandonMicros == 0) {
                            firstAbandonMicros = micros;
                        }
                    }
                    long after = killMicros == 0 ? -1 : micros - killMicros;
                    event(label + ": " + a[2] + (after >= 0 ? String.format(Locale.ROOT, " (%.1f ms after the kill)",
                            after / 1e3) : ""));
                    status = "repaired the ledger";
                }
                case 'Q' -> event(label + ": " + text.split(" ", 2)[1]);
                case 'X' -> {
                    if (text.contains("skipped")) {
                        skipped = true;
                        status = text;
                    } else {
                        error = text;
                        status = "error: " + text;
                    }
                }
                default -> { }
            }
        }

        /** The victim is mid-way through a ledger update, holding the mutex: SIGKILL it now. */
        void kill(int job) {
            long at = Ledger.nowMicros();
            process.onExit().thenRun(() -> goneMicros = Ledger.nowMicros());
            process.destroyForcibly(); // SIGKILL on Linux
            killMicros = at;
            killedJob = job;
            killed = true;
            status = "KILLED with SIGKILL while recording job " + job;
            event(label + " (pid " + process.pid() + ") killed with SIGKILL holding " + LOCK
                    + ", mid-way through recording job " + job);
        }

        int done() {
            return output.done();
        }

        String transcript() {
            return output.transcript();
        }
    }

    /**
     * Kills the victim once it holds the mutex mid-way through an update and another worker waits
     * for the mutex: the abandonment is then seen by a waiter already blocked on it, and the time
     * to detect it measures the mutex, not how long the others' jobs happen to run. A worker that
     * said it was about to wait after the victim said it held the mutex (times from the one wall
     * clock of the host) is surely blocked: the victim never lets go. The lines come through
     * separate pipes, so their order of arrival alone would not tell.
     */
    private synchronized void killWhenContended() {
        Worker v = null;
        boolean contended = false;
        for (Worker k : workers) {
            if (k.victim && !k.killed && k.midway >= 0) {
                v = k;
            }
        }
        for (Worker k : workers) {
            contended |= v != null && k != v && k.waitingSince > v.midwaySince;
        }
        if (v != null && contended) {
            v.kill(v.midway);
        }
    }

    /**
     * Runs the demo.
     *
     * @return true if every check passed
     * @throws InterruptedException if the calling thread is interrupted
     */
    boolean run() throws InterruptedException {
        long start = System.nanoTime();
        Thread hook = new Thread(this::interrupted, "waitkit-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        List<LiveBoard.Check> checks = new ArrayList<>();
        boolean finished = false;
        try {
            setUp();
            w.println(bold("waitkit demo") + ": " + settings.jobs() + " jobs, " + settings.javaWorkers()
                    + " Java worker processes" + (settings.shell() ? " and a shell worker" : "") + ", "
                    + settings.slots() + " at once; Java " + Runtime.version().feature() + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            w.println("namespace " + ns.directory() + ": " + String.join(", ", NAMES));
            w.flush();
            startWorkers();
            long startedAt = System.nanoTime();
            finished = awaitJobs(start);
            shutdown.set();
            stopWorkers();
            render(true);
            check(checks, finished, start, startedAt);
        } catch (IOException | RuntimeException e) {
            checks.add(new LiveBoard.Check(false, "the demo ran", "stopped with " + e));
        } finally {
            for (NamedObject h : handles) {
                h.close();
            }
            try {
                cleanUp();
            } catch (UncheckedIOException e) {
                w.println("cannot remove the namespace: " + e.getCause());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs and finds everything clean
            }
        }
        checks.add(new LiveBoard.Check(base == null || !Files.exists(base), "nothing left behind",
                "workers ended, objects unlinked, " + (base == null ? "no namespace" : base + " deleted")));
        return summary(checks, System.nanoTime() - start);
    }

    private void setUp() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        base = Files.createTempDirectory(parent, "waitkit-demo-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ns = Namespace.open(base.resolve("ns"));
        int jobs = settings.jobs();
        shutdown = keep(ns.event(SHUTDOWN, true, false));
        NamedMessageQueue queue = keep(ns.messageQueue(JOBS, jobs, 64));
        keep(ns.messageQueue(DONE, jobs, 64));
        slots = keep(ns.semaphore(SLOTS, settings.slots(), settings.slots()));
        ledgerLock = keep(ns.mutex(LOCK));
        SharedSection section = keep(ns.section(LEDGER, Ledger.size(jobs)));
        ledger = new Ledger(section.segment());
        ledger.init(jobs);
        jobQueue = queue;
        for (int j = 0; j < jobs; j++) {
            if (!queue.trySend(jobMessage(j), priority(j))) {
                throw new IllegalStateException("the job queue is full at job " + j);
            }
        }
    }

    /** Notes a handle to close at the end. */
    private <T extends NamedObject> T keep(T handle) {
        handles.add(handle);
        return handle;
    }

    private void startWorkers() throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot find this JVM's java command"));
        String cp = System.getProperty("java.class.path");
        // small JVMs: quick to start, and quick to tear down when killed
        List<String> jvm = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:ReservedCodeCacheSize=32m", "-XX:-UsePerfData",
                "-Xshare:auto", "-cp", cp);
        for (int i = 1; i <= settings.javaWorkers(); i++) {
            boolean victim = i == 2 || settings.javaWorkers() == 1;
            List<String> cmd = new ArrayList<>(jvm);
            cmd.addAll(List.of(DemoWorker.class.getName(), ns.directory().toString(), Integer.toString(i),
                    Integer.toString(victim ? settings.victimAfter() : 0)));
            start(i, "worker " + i + " (java)", victim, cmd);
        }
        if (settings.shell()) {
            int id = settings.javaWorkers() + 1;
            // niced: each of its commands starts a JVM, which on a small machine would slow the
            // Java workers (and the detection of the abandonment) more than the demo means to
            start(id, "worker " + id + " (sh)  ", false, ShellWorker.command(base, "shell-worker.sh",
                    List.of(ns.directory().toString(), Integer.toString(id)), true));
        }
    }

    private void start(int id, String label, boolean victim, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        Worker worker = new Worker(id, label, victim, p);
        synchronized (this) {
            workers.add(worker);
        }
        Thread.ofPlatform().daemon().name("waitkit-demo-" + id).start(worker::read);
    }

    /** Shows progress until every job is recorded or a worker fails; false if that took too long. */
    private boolean awaitJobs(long start) throws InterruptedException {
        long lastPlain = 0;
        for (;;) {
            // progress only: the final figures are read under the mutex once the workers are gone
            if (ledger.totalDone() >= settings.jobs()) {
                return true;
            }
            if (System.nanoTime() - start > LIMIT_NANOS) {
                event("not finished in " + TimeUnit.NANOSECONDS.toSeconds(LIMIT_NANOS) + " s: stopping");
                return false;
            }
            if (anyFailed()) {
                event("a worker failed: stopping");
                return false;
            }
            if (board.live()) {
                render(false);
            } else if (System.nanoTime() - lastPlain > TimeUnit.SECONDS.toNanos(1)) {
                lastPlain = System.nanoTime();
                render(false);
            }
            Wait.any(Duration.ofMillis(100), changed); // a worker said something, or redraw anyway
        }
    }

    private synchronized boolean anyFailed() {
        for (Worker k : workers) {
            if (k.error != null || (!k.process.isAlive() && !k.killed && !k.skipped && k.process.exitValue() != 0)) {
                return true;
            }
        }
        return false;
    }

    /** Lets the workers see {@code shutdown} and end; kills those still there after 10 s. */
    private void stopWorkers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Worker k : snapshot()) {
            long left = deadline - System.nanoTime();
            if (!k.process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                event(k.label + " still running after shutdown: killed");
                k.error = "did not end after shutdown";
                killTree(k.process);
            }
        }
    }

    private synchronized List<Worker> snapshot() {
        return List.copyOf(workers);
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    // ---- checks and summary

    private void check(List<LiveBoard.Check> checks, boolean finished, long start, long startedAt) throws InterruptedException {
        NamedMutex lock = ledgerLock;
        NamedMessageQueue jobs = jobQueue;
        boolean held;
        try {
            held = lock.tryLock(Duration.ofSeconds(5));
        } catch (io.waitkit.AbandonedMutexException e) {
            held = true; // nobody was left to notice the victim: the figures below show the damage
        }
        if (!held) {
            checks.add(new LiveBoard.Check(false, "ledger readable", LOCK + " still held 5 s after the workers ended"));
            return;
        }
        try {
            int n = settings.jobs();
            int lost = 0;
            int dup = 0;
            long records = 0;
            long sum = 0;
            for (int j = 0; j < n; j++) {
                long c = ledger.completions(j);
                lost += c == 0 ? 1 : 0;
                dup += c > 1 ? 1 : 0;
                records += c;
                sum += c * Ledger.value(j);
            }
            checks.add(new LiveBoard.Check(finished && lost == 0 && jobs.size() == 0, "nothing lost",
                    (n - lost) + " of " + n + " jobs recorded, " + jobs.size() + " left in the queue"));
            checks.add(new LiveBoard.Check(dup == 0, "nothing duplicated", dup == 0 ? "every job recorded exactly once"
                    : dup + " jobs recorded more than once"));
            boolean consistent = !ledger.intentOpen() && ledger.totalDone() == records && ledger.totalSum() == sum;
            checks.add(new LiveBoard.Check(consistent, "ledger consistent", "totals " + ledger.totalDone() + " jobs, sum "
                    + ledger.totalSum() + (consistent ? " match the records" : " vs records " + records + ", sum " + sum
                    + (ledger.intentOpen() ? ", an update left half-done" : ""))));
            int kj = killedJob;
            boolean victimCounted = kj >= 0 && ledger.completions(kj) == 1
                    && (ledger.repairedJob() == kj || ledger.requeued() > 0);
            checks.add(new LiveBoard.Check(victimCounted, "killed worker's job counted once", kj < 0 ? "no worker was killed"
                    : "job " + kj + (ledger.repairedJob() == kj ? " completed by the repair (rolled forward)"
                    : ledger.requeued() > 0 ? " re-queued and done again" : " not repaired")));
            long detect = firstAbandonMicros != 0 ? firstAbandonMicros : ledger.detectedMicros();
            long latency = detect == 0 || killMicros == 0 ? -1 : detect - killMicros;
            checks.add(new LiveBoard.Check(latency >= 0 && latency <= DETECTION_LIMIT_MICROS, "abandonment detected within 100 ms",
                    latency < 0 ? "no AbandonedMutexException was reported"
                    : String.format(Locale.ROOT, "%.1f ms from SIGKILL to AbandonedMutexException in worker %d%s", latency / 1e3,
                    ledger.detector(), goneMicros == 0 ? "" : String.format(Locale.ROOT, " (the process was reaped after %.1f ms)",
                    (goneMicros - killMicros) / 1e3))));
        } finally {
            lock.unlock();
        }
        StringBuilder took = new StringBuilder();
        boolean allTookPart = true;
        for (Worker k : snapshot()) {
            took.append(took.isEmpty() ? "" : ", ").append(k.id).append(": ")
                    .append(k.skipped ? "skipped" : k.done() + (k.killed ? "+killed" : ""));
            allTookPart &= k.skipped || k.done() > 0 || k.killed;
        }
        checks.add(new LiveBoard.Check(allTookPart, "every worker took part", "jobs per worker " + took
                + String.format(Locale.ROOT, "; workers ran %.1f s", (System.nanoTime() - startedAt) / 1e9)));
        List<String> bad = new ArrayList<>();
        for (Worker k : snapshot()) {
            if (k.error != null) {
                bad.add(k.label.strip() + ": " + k.error);
            } else if (!k.killed && !k.skipped && k.process.exitValue() != 0) {
                bad.add(k.label.strip() + ": exit " + k.process.exitValue());
            }
        }
        checks.add(new LiveBoard.Check(bad.isEmpty(), "workers ended cleanly", bad.isEmpty()
                ? "all saw " + SHUTDOWN + " and exited 0 (the killed one aside)" : String.join("; ", bad)));
        if (!bad.isEmpty()) {
            for (Worker k : snapshot()) {
                w.println("--- " + k.label.strip() + " said:");
                w.print(k.transcript().indent(4));
            }
        }
    }

    private boolean summary(List<LiveBoard.Check> checks, long nanos) {
        return board.summary(checks, nanos);
    }

    // ---- output

    private String bold(String s) {
        return board.bold(s);
    }

    private List<String> board() {
        List<String> lines = new ArrayList<>();
        long done = ledger.totalDone();
        int queued = jobQueue.size();
        int free = slots.availablePermits();
        lines.add(String.format(Locale.ROOT, "  ledger %d/%d jobs recorded, %d queued, %d of %d slots free",
                done, settings.jobs(), queued, free, settings.slots()));
        for (Worker k : snapshot()) {
            lines.add(String.format(Locale.ROOT, "  %s pid %-7d %3d done  %s", k.label, k.process.pid(), k.done(), k.status));
        }
        return lines;
    }

    /** Redraws the board in place on a terminal, or prints it as plain lines. */
    private synchronized void render(boolean last) {
        board.render(last);
    }

    /** Prints an event line above the board (which is drawn again below it on a terminal). */
    private synchronized void event(String text) {
        board.event(text);
    }

    // ---- clean-up

    /** The shutdown hook: only does something when the demo did not finish (Ctrl-C, SIGTERM). */
    private void interrupted() {
        boolean was;
        synchronized (this) {
            was = cleaned;
            board.silence(); // the main thread may still be running: it prints nothing more
        }
        if (!was) {
            cleanUp();
            w.println();
            w.println("waitkit demo: interrupted; workers killed, namespace " + (base == null ? "" : base + " ") + "removed");
            w.flush();
        }
    }

    /** Kills the workers that are left, unlinks the objects and deletes the directory; idempotent. */
    private synchronized void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        for (Worker k : workers) {
            killTree(k.process);
        }
        for (Worker k : workers) {
            try {
                k.process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported below if the directory cannot go
            }
        }
        if (ns != null) {
            for (String name : NAMES) {
                try {
                    ns.unlink(name);
                } catch (IOException | RuntimeException e) {
                    // deleted with the directory below
                }
            }
        }
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + base, e);
            }
        }
    }
}
