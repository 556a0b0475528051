package io.waitkit.cli.demo;

import io.waitkit.Event;
import io.waitkit.Wait;
import io.waitkit.zk.ZkCounter;
import io.waitkit.zk.ZkEvent;
import io.waitkit.zk.ZkMessageQueue;
import io.waitkit.zk.ZkMutex;
import io.waitkit.zk.ZkNamespace;
import io.waitkit.zk.ZkSemaphore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Socket;
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
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryUntilElapsed;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code waitkit demo --zk}: worker processes coordinated only by objects on a ZooKeeper ensemble,
 * one of the ensemble's three servers killed in the middle of the run, and checks that the work
 * carried on with nothing lost, duplicated or left inconsistent.
 *
 * <p>The demo starts an embedded ensemble of three ZooKeeper servers in this JVM (Curator's
 * {@code TestingCluster}: ZooKeeper's own quorum peers on local ports, data in temporary folders
 * deleted at the end), creates the objects under a root path of its own, and starts Java worker
 * processes ({@link ZkDemoWorker}, a separate JVM each, with this JVM's {@code java} command and
 * class path) that connect to all three servers, and a {@code /bin/sh} worker that takes part
 * through {@code waitkit ... --zk CONNECT} commands only ({@link ShellWorker}, script
 * {@code zk-shell-worker.sh}). The objects:
 * <ul>
 * <li>{@code next-job}: a counter handing out job numbers, one increment each;
 * <li>{@code slots}: a semaphore bounding how many jobs run at once (leases of the workers'
 *     sessions);
 * <li>{@code ledger-lock}: the mutex guarding the ledger: {@code job-J}, one counter per job
 *     (its completions), and the totals {@code ledger-jobs} and {@code ledger-sum};
 * <li>{@code done}: completions reported by the shell worker, recorded by a Java worker;
 * <li>{@code shutdown}: a manual-reset event that ends the workers.
 * </ul>
 *
 * <p>Each command of the shell worker starts a JVM and opens a ZooKeeper session of its own,
 * so it does a job in four commands (take a number, take a slot, return it, report) in the
 * time a Java worker does several: it shows a script taking part in the same work on the same
 * objects, and takes one job in sixty at most (at least one, {@link #shellJobs}) so that the
 * run does not wait for it. The Java workers take their first job once it has
 * taken its own (they start meanwhile; bounded), so that it has a job in a short run on a busy
 * machine too.
 *
 * <p>Once a third of the jobs are recorded the demo kills the server that leads the ensemble (as
 * the {@code srvr} command of each server says); the two left elect a new leader, the workers
 * whose server went away reconnect to another one with their sessions (and their mutex, leases
 * and watches) intact, and the work goes on. The board shows each server's state and which
 * server each worker talks to. When every job is recorded the demo sets {@code shutdown}, waits
 * for the workers, reads the ledger under the mutex and checks it, then deletes the root path
 * and stops the ensemble. A shutdown hook does the same when the demo is interrupted (Ctrl-C):
 * it kills the workers and stops the servers. Every wait is bounded.
 */
final class ZkDemo {
    /** Name of the shutdown event. */
    static final String SHUTDOWN = "shutdown";
    /** Name of the counter handing out job numbers. */
    static final String NEXT = "next-job";
    /** Name of the semaphore bounding the jobs run at once. */
    static final String SLOTS = "slots";
    /** Name of the mutex guarding the ledger. */
    static final String LOCK = "ledger-lock";
    /** Name of the counter of recorded jobs. */
    static final String TOTAL = "ledger-jobs";
    /** Name of the queue of completions reported by the shell worker. */
    static final String DONE = "done";
    /** Name of the counter of the recorded jobs' values. */
    static final String SUM = "ledger-sum";
    /** The root path of the demo's objects. */
    static final String ROOT = "/waitkit-demo";

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(90);

    /**
     * The session timeout of the demo's clients: the longest the embedded servers grant (20
     * ticks of 1 s). A leader election whose first round fails waits out the servers'
     * {@code initLimit} (10 ticks) before the next one, so the clients can be without a server
     * for more than 10 s; a 20 s session outlives that, and with it the workers' mutex, leases
     * and watches.
     */
    static final Duration SESSION = Duration.ofSeconds(20);

    /**
     * How long a call of the demo's clients keeps trying while no server answers (Curator's
     * retries), before it throws: the longest wait of a worker, {@link ZkDemoWorker#LONGEST_WAIT}.
     */
    static final Duration RETRYING = ZkDemoWorker.LONGEST_WAIT;

    /**
     * A namespace of the demo (its own JVM's, or a worker's) on a Curator client of its own,
     * with {@link #SESSION} and calls retried for {@link #RETRYING}; closing it closes both.
     *
     * @param client the client, started and connected
     * @param ns the namespace over it
     */
    record Connection(CuratorFramework client, ZkNamespace ns) implements AutoCloseable {
        /**
         * Connects to the ensemble and opens the namespace at {@code root}.
         *
         * @param connectString the servers
         * @param root the root path
         * @param wait the longest wait for a first connection
         * @return the connection
         * @throws IOException if no server answered within {@code wait} (the client is closed)
         * @throws InterruptedException if interrupted meanwhile (the client is closed)
         */
        static Connection open(String connectString, String root, Duration wait) throws IOException, InterruptedException {
            CuratorFramework c = CuratorFrameworkFactory.builder().connectString(connectString)
                    .sessionTimeoutMs((int) SESSION.toMillis()).connectionTimeoutMs(5_000)
                    .retryPolicy(new RetryUntilElapsed((int) RETRYING.toMillis(), 250)).build();
            boolean ok = false;
            try {
                c.start();
                if (!c.blockUntilConnected((int) wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException("no ZooKeeper server of \"" + connectString + "\" answered within "
                            + wait.toSeconds() + " s");
                }
                Connection conn = new Connection(c, new ZkNamespace(c, root));
                ok = true;
                return conn;
            } finally {
                if (!ok) {
                    c.close();
                }
            }
        }

        @Override
        public void close() {
            try {
                ns.close();
            } finally {
                client.close();
            }
        }
    }

    /** The name of job {@code j}'s counter of completions. */
    static String record(int j) {
        return "job-" + j;
    }

    /** The value job {@code j} adds to {@code ledger-sum}: 1 to 97. */
    static long value(int j) {
        return 1 + (j * 31L) % 97;
    }

    /** How long job {@code j} works: 40 to 159 ms. */
    static long workMillis(int j) {
        return 40 + (j * 37L) % 120;
    }

    /**
     * What to run.
     *
     * @param jobs the number of jobs
     * @param workers the number of worker processes
     * @param slots the permits of the semaphore: jobs run at once
     * @param shell whether a shell worker takes part too
     */
    record Settings(int jobs, int workers, int slots, boolean shell) {
        static Settings standard(int jobs) {
            return new Settings(jobs, 3, 2, true);
        }
    }

    private final Settings settings;
    private final PrintWriter w;
    private final LiveBoard board;
    private final Event changed = Event.autoReset(false);
    private final List<Worker> workers = new ArrayList<>();
    private TestingCluster cluster;
    private Connection conn;
    private ZkNamespace ns;
    private ZkCounter total;
    private ZkSemaphore slots;
    private volatile InstanceSpec killed;
    private volatile long killNanos;
    private volatile long recordedAtKill = -1;
    private volatile long firstAfterKillNanos;
    private volatile long lastTotal;
    /** The slots free and the servers' modes as last read by the main thread (the board does no I/O). */
    private volatile int lastFree = -1;
    private volatile String lastServers = "";
    /** The shell worker's reports that the Java workers recorded. */
    private volatile int shellRecorded;
    /** The folder of the shell worker's script and wrapper (0700), or null. */
    private Path dir;
    private long serversReadAt;
    private boolean cleaned;

    ZkDemo(Settings settings, PrintWriter w, boolean live, boolean progress, Ansi ansi) {
        this.settings = settings;
        this.w = w;
        this.board = new LiveBoard(w, live, progress, ansi, this::lines);
    }

    /** One worker process and what it last said. */
    private final class Worker {
        final int id;
        final String label;
        final boolean shell;
        final Process process;
        volatile String status = "starting";
        volatile String error;
        volatile boolean lostSession;
        volatile int reconnects;
        final WorkerOutput output;

        Worker(int id, boolean shell, Process process) {
            this.id = id;
            this.label = "worker " + id + (shell ? " (sh)  " : " (java)");
            this.shell = shell;
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
                    status = text;
                    if (text.endsWith(" recorded")) {
                        recordedAfterKill();
                    }
                }
                case 'R' -> {
                    synchronized (ZkDemo.this) {
                        shellRecorded++;
                    }
                    status = text + " recorded";
                    recordedAfterKill();
                }
                case 'C' -> {
                    if (text.startsWith("session LOST")) {
                        lostSession = true;
                    } else if (text.startsWith("reconnected")) {
                        reconnects++;
                    }
                    status = text;
                    event(label + ": " + text);
                }
                case 'A' -> {
                    status = "repaired the ledger";
                    event(label + ": " + text);
                }
                case 'X' -> {
                    error = text;
                    status = "error: " + text;
                }
                default -> { }
            }
        }

        int done() {
            return output.done();
        }

        String transcript() {
            return output.transcript();
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
        boolean rootGone = false;
        try {
            w.println(board.bold("waitkit demo --zk") + ": " + settings.jobs() + " jobs, " + settings.workers()
                    + " Java worker processes" + (settings.shell() ? " and a shell worker" : "") + ", " + settings.slots() + " at once, on an embedded ensemble of 3 ZooKeeper"
                    + " servers; Java " + Runtime.version().feature() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
            w.flush();
            long t0 = System.nanoTime();
            setUp();
            w.println(String.format(Locale.ROOT, "ensemble %s up in %.1f s; objects under %s: %s, %s, %s, %s, %s, %s, %s, %s",
                    cluster.getConnectString(), (System.nanoTime() - t0) / 1e9, ROOT, NEXT, SLOTS, LOCK, TOTAL, SUM,
                    record(0) + ".." + record(settings.jobs() - 1), DONE, SHUTDOWN));
            w.flush();
            startWorkers();
            long startedAt = System.nanoTime();
            finished = awaitJobs(startedAt);
            ns.openExisting(SHUTDOWN, ZkEvent.class).set();
            stopWorkers();
            render(true);
            check(checks, finished, startedAt);
        } catch (Exception e) {
            checks.add(new LiveBoard.Check(false, "the demo ran", "stopped with " + e));
        } finally {
            rootGone = cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs and finds everything clean
            }
        }
        checks.add(new LiveBoard.Check(rootGone, "nothing left behind",
                rootGone ? "workers ended, " + ROOT + " deleted, ensemble stopped and its data folders deleted"
                        + (dir != null ? ", " + dir + " deleted" : "")
                        : "could not delete " + ROOT + " or the shell worker's folder, or stop the ensemble"));
        return board.summary(checks, System.nanoTime() - start);
    }

    private void setUp() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
        conn = Connection.open(cluster.getConnectString(), ROOT, Duration.ofSeconds(30));
        ns = conn.ns();
        createObjects(ns, settings);
        slots = ns.openExisting(SLOTS, ZkSemaphore.class);
        total = ns.openExisting(TOTAL, ZkCounter.class);
    }

    /** Creates the demo's objects under the namespace's root, as the workers expect them. */
    static void createObjects(ZkNamespace ns, Settings settings) {
        ns.event(SHUTDOWN, true, false);
        ns.semaphore(SLOTS, settings.slots(), settings.slots());
        ns.mutex(LOCK);
        ns.counter(NEXT, 0);
        ns.counter(TOTAL, 0);
        ns.counter(SUM, 0);
        ns.messageQueue(DONE, settings.jobs(), 64);
        for (int j = 0; j < settings.jobs(); j++) {
            ns.counter(record(j), 0);
        }
    }

    private void startWorkers() throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot find this JVM's java command"));
        String cp = System.getProperty("java.class.path");
        // small JVMs: quick to start
        List<String> jvm = List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms8m", "-Xmx96m",
                "-XX:ReservedCodeCacheSize=32m", "-XX:-UsePerfData", "-Xshare:auto", "-cp", cp);
        if (settings.shell()) {
            startShell();
        }
        for (int i = 1; i <= settings.workers(); i++) {
            List<String> cmd = new ArrayList<>(jvm);
            cmd.addAll(List.of(ZkDemoWorker.class.getName(), cluster.getConnectString(), ROOT, Integer.toString(i),
                    Integer.toString(settings.jobs()), settings.shell() ? "1" : "0"));
            start(i, false, cmd);
        }
    }

    /**
     * The most jobs the shell worker takes: one in sixty, at least one. Each of its jobs takes
     * four commands, each a JVM start (seconds on a busy machine), while the Java workers do
     * several jobs a second; a job it took late would keep the run going until it is done.
     */
    static int shellJobs(int jobs) {
        return Math.max(1, jobs / 60);
    }

    /**
     * Starts the shell worker. Not niced: its commands mostly wait for the ensemble, and niced
     * they would crawl on a machine busy with other work.
     */
    private void startShell() throws IOException {
        dir = Files.createTempDirectory("waitkit-demo-zk-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        int id = settings.workers() + 1;
        start(id, true, ShellWorker.command(dir, "zk-shell-worker.sh", List.of(cluster.getConnectString(), ROOT,
                Integer.toString(id), Integer.toString(settings.jobs()), Integer.toString(shellJobs(settings.jobs()))), false));
    }

    private Worker start(int id, boolean shell, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        Worker worker = new Worker(id, shell, p);
        synchronized (this) {
            workers.add(worker);
        }
        Thread.ofPlatform().daemon().name("waitkit-demo-" + id).start(worker::read);
        return worker;
    }

    /** The server that leads the ensemble now, asked with its {@code srvr} command; null if none says so. */
    private InstanceSpec leader() {
        for (InstanceSpec spec : cluster.getInstances()) {
            String mode = mode(spec);
            if (mode.equals("leader")) {
                return spec;
            }
        }
        return null;
    }

    /** A server's mode ({@code leader}, {@code follower}), {@code down}, or {@code ?}. */
    private static String mode(InstanceSpec spec) {
        try (Socket sock = new Socket("127.0.0.1", spec.getPort())) {
            sock.setSoTimeout(1_000);
            sock.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(sock.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            int at = reply.indexOf("Mode: ");
            return at < 0 ? "?" : reply.substring(at + 6).split("\\s", 2)[0];
        } catch (IOException e) {
            return "down";
        }
    }

    /** Shows progress, kills the leader once a third of the jobs are in, until every job is recorded. */
    private boolean awaitJobs(long start) throws Exception {
        long lastPlain = 0;
        for (;;) {
            long done = total.get();
            lastTotal = done;
            lastFree = slots.availablePermits();
            if (System.nanoTime() - serversReadAt > TimeUnit.MILLISECONDS.toNanos(500)) {
                serversReadAt = System.nanoTime();
                lastServers = servers();
            }
            if (done >= settings.jobs()) {
                return true;
            }
            if (killed == null && done >= settings.jobs() / 3) {
                killLeader(done);
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
            Wait.any(Duration.ofMillis(150), changed); // a worker said something, or redraw anyway
        }
    }

    /** A worker recorded a job: the first one after the kill is shown with the time since the kill. */
    private void recordedAfterKill() {
        synchronized (this) {
            if (killed == null || firstAfterKillNanos != 0) {
                return;
            }
            firstAfterKillNanos = System.nanoTime();
        }
        event(String.format(Locale.ROOT, "the work carries on: the first job after the kill recorded %.0f ms after it",
                (firstAfterKillNanos - killNanos) / 1e6));
    }

    private void killLeader(long done) throws Exception {
        InstanceSpec leader = leader();
        InstanceSpec victim = leader != null ? leader : cluster.getInstances().iterator().next();
        synchronized (this) {
            recordedAtKill = done;
            killNanos = System.nanoTime();
            killed = victim;
        }
        if (!cluster.killServer(victim)) {
            throw new IllegalStateException("could not stop the ZooKeeper server on port " + victim.getPort());
        }
        lastServers = servers();
        event(String.format(Locale.ROOT, "killed ZooKeeper server %d (%s, port %d) with %d of %d jobs recorded: the two"
                + " left elect a leader, its clients move to them", victim.getServerId(), leader != null ? "the leader"
                : "no server said it leads", victim.getPort(), done, settings.jobs()));
    }

    private synchronized boolean anyFailed() {
        for (Worker k : workers) {
            if (k.error != null || (!k.process.isAlive() && k.process.exitValue() != 0)) {
                return true;
            }
        }
        return false;
    }

    /** Lets the workers see {@code shutdown} and end; kills those still there after 15 s. */
    private void stopWorkers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Worker k : snapshot()) {
            long left = deadline - System.nanoTime();
            if (!k.process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                event(k.label + " still running after shutdown: killed");
                k.error = "did not end after shutdown";
                killTree(k.process);
            }
        }
    }

    /** The workers in the order of their numbers. */
    private synchronized List<Worker> snapshot() {
        return workers.stream().sorted(Comparator.comparingInt((Worker k) -> k.id)).toList();
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    // ---- checks

    private void check(List<LiveBoard.Check> checks, boolean finished, long startedAt) throws InterruptedException {
        ZkMutex lock = ns.openExisting(LOCK, ZkMutex.class);
        boolean held;
        try {
            held = lock.tryLock(Duration.ofSeconds(15));
        } catch (io.waitkit.AbandonedMutexException e) {
            held = true; // nobody was left to repair: the figures below show the damage
        }
        if (!held) {
            checks.add(new LiveBoard.Check(false, "ledger readable", LOCK + " still held 15 s after the workers ended"));
            return;
        }
        try {
            int n = settings.jobs();
            int lost = 0;
            int dup = 0;
            long records = 0;
            long sum = 0;
            for (int j = 0; j < n; j++) {
                long c = ns.openExisting(record(j), ZkCounter.class).get();
                lost += c == 0 ? 1 : 0;
                dup += c > 1 ? 1 : 0;
                records += c;
                sum += c * value(j);
            }
            long handedOut = ns.openExisting(NEXT, ZkCounter.class).get();
            int unrecorded = ns.openExisting(DONE, ZkMessageQueue.class).size();
            checks.add(new LiveBoard.Check(finished && lost == 0 && unrecorded == 0, "nothing lost",
                    (n - lost) + " of " + n + " jobs recorded (" + Math.min(handedOut, n) + " handed out), " + unrecorded
                    + " reports left in " + DONE));
            checks.add(new LiveBoard.Check(dup == 0, "nothing duplicated", dup == 0 ? "every job recorded exactly once"
                    : dup + " jobs recorded more than once"));
            long t = total.get();
            long s = ns.openExisting(SUM, ZkCounter.class).get();
            boolean consistent = t == records && s == sum;
            checks.add(new LiveBoard.Check(consistent, "ledger consistent", "totals " + t + " jobs, sum " + s
                    + (consistent ? " match the job records" : " vs records " + records + ", sum " + sum)));
        } finally {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
        InstanceSpec k = killed;
        boolean carried = k != null && firstAfterKillNanos != 0 && lastTotal > recordedAtKill;
        checks.add(new LiveBoard.Check(carried, "work carried on after a server was killed", k == null
                ? "no server was killed" : String.format(Locale.ROOT, "server %d killed at %d of %d jobs; %s",
                k.getServerId(), recordedAtKill, settings.jobs(), firstAfterKillNanos == 0 ? "no job recorded after it"
                : String.format(Locale.ROOT, "the next job recorded %.0f ms later, %d jobs after it",
                (firstAfterKillNanos - killNanos) / 1e6, lastTotal - recordedAtKill))));
        StringBuilder lostBy = new StringBuilder();
        int moved = 0;
        for (Worker x : snapshot()) {
            if (x.lostSession) {
                lostBy.append(lostBy.isEmpty() ? "" : ", ").append(x.id);
            }
            moved += x.reconnects;
        }
        checks.add(new LiveBoard.Check(lostBy.isEmpty(), "sessions survived the kill", lostBy.isEmpty()
                ? moved + " reconnection" + (moved == 1 ? "" : "s") + " to another server, no session lost (mutex, leases"
                + " and watches kept)" : "worker " + lostBy + " lost its session"));
        StringBuilder took = new StringBuilder();
        boolean allTookPart = true;
        for (Worker x : snapshot()) {
            took.append(took.isEmpty() ? "" : ", ").append(x.id).append(": ").append(x.done());
            allTookPart &= x.done() > 0;
        }
        checks.add(new LiveBoard.Check(allTookPart, "every worker took part", "jobs per worker " + took
                + String.format(Locale.ROOT, "; workers ran %.1f s", (System.nanoTime() - startedAt) / 1e9)));
        for (Worker x : snapshot()) {
            if (x.shell) {
                int reported = x.done();
                int recorded = shellRecorded;
                boolean ok = reported > 0 && recorded == reported;
                checks.add(new LiveBoard.Check(ok, "shell worker took part with waitkit --zk", "worker " + x.id + " took "
                        + reported + " job" + (reported == 1 ? "" : "s") + " (counter add), ran " + (reported == 1 ? "it" : "them")
                        + " under a slot (sem wait, sem post) and reported " + (reported == 1 ? "it" : "them") + " (mq send); the"
                        + " Java workers recorded " + recorded + (ok ? "" : reported == 0 ? ": it took no job" : ": not every report")));
            }
        }
        List<String> bad = new ArrayList<>();
        for (Worker x : snapshot()) {
            if (x.error != null) {
                bad.add(x.label + ": " + x.error);
            } else if (x.process.exitValue() != 0) {
                bad.add(x.label + ": exit " + x.process.exitValue());
            }
        }
        checks.add(new LiveBoard.Check(bad.isEmpty(), "workers ended cleanly", bad.isEmpty()
                ? "all saw " + SHUTDOWN + " and exited 0" : String.join("; ", bad)));
        if (!bad.isEmpty()) {
            for (Worker x : snapshot()) {
                w.println("--- " + x.label + " said:");
                w.print(x.transcript().indent(4));
            }
        }
    }

    // ---- output

    /** Each server's id, port and mode (asked with {@code srvr}), or KILLED. */
    private String servers() {
        StringBuilder servers = new StringBuilder();
        InstanceSpec k = killed;
        for (InstanceSpec spec : cluster.getInstances()) {
            servers.append(servers.isEmpty() ? "" : ", ").append(spec.getServerId()).append(" :").append(spec.getPort())
                    .append(' ').append(spec.equals(k) ? "KILLED" : mode(spec));
        }
        return servers.toString();
    }

    private List<String> lines() {
        List<String> lines = new ArrayList<>();
        int free = lastFree;
        lines.add(String.format(Locale.ROOT, "  ledger %d/%d jobs recorded, %s of %d slots free; servers %s", lastTotal,
                settings.jobs(), free < 0 ? "?" : Integer.toString(free), settings.slots(), lastServers));
        for (Worker x : snapshot()) {
            lines.add(String.format(Locale.ROOT, "  %s pid %-7d %3d done  %s", x.label, x.process.pid(), x.done(), x.status));
        }
        return lines;
    }

    private synchronized void render(boolean last) {
        board.render(last);
    }

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
            w.println("waitkit demo --zk: interrupted; workers killed, ensemble stopped");
            w.flush();
        }
    }

    /**
     * Kills the workers that are left, deletes the root path, closes the namespace and stops
     * the ensemble; idempotent.
     *
     * @return true if the root path was deleted and the ensemble stopped
     */
    private synchronized boolean cleanUp() {
        if (cleaned) {
            return true;
        }
        cleaned = true;
        for (Worker k : workers) {
            killTree(k.process);
        }
        for (Worker k : workers) {
            try {
                k.process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the checks
            }
        }
        boolean ok = true;
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                ok = false;
            }
        }
        if (ns != null) {
            try {
                ns.client().delete().deletingChildrenIfNeeded().forPath(ROOT);
                ok = ns.client().checkExists().forPath(ROOT) == null;
            } catch (Exception e) {
                ok = false;
            }
            conn.close();
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (IOException e) {
                ok = false;
            }
        }
        return ok;
    }
}
