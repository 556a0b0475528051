package io.waitkit.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.zk.ZkCounter;
import io.waitkit.zk.ZkEvent;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/**
 * A worker of {@code waitkit demo --zk} keeps its session and finishes its jobs through an
 * outage longer than ZooKeeper's usual 10-second session: two of the ensemble's three servers
 * are killed (no quorum: no server answers at all) while the worker runs a job, for 11 s, then
 * restarted. An election whose first round fails leaves the clients without a server about as
 * long; a worker with a 10 s session and Curator's short retries lost its session there and
 * died on its next call. The worker runs on a thread of this JVM ({@link ZkDemoWorker#work});
 * every wait is bounded.
 */
class ZkDemoWorkerOutageTest {
    private static final int JOBS = 4;
    private static final Duration OUTAGE = Duration.ofSeconds(11);

    /** Collects the worker's protocol lines. */
    private static final class Lines extends OutputStream {
        final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();
        private final StringBuilder line = new StringBuilder();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String s = line.toString();
                line.setLength(0);
                all.add(s);
                queue.add(s);
            } else {
                line.append((char) b);
            }
        }

        synchronized String transcript() {
            return String.join("\n", all);
        }

        /** Waits (at most 60 s) for a line containing {@code text}. */
        String await(String text) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (;;) {
                String s = queue.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (s == null) {
                    throw new AssertionError("no line with \"" + text + "\" within 60 s; the worker said:\n" + transcript());
                }
                if (s.contains(text)) {
                    return s;
                }
            }
        }
    }

    @Test
    void aWorkerKeepsItsSessionAndFinishesItsJobsThroughAnElevenSecondLossOfQuorum() throws Exception {
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            String cs = cluster.getConnectString();
            try (ZkDemo.Connection conn = ZkDemo.Connection.open(cs, ZkDemo.ROOT, Duration.ofSeconds(30))) {
                ZkDemo.createObjects(conn.ns(), new ZkDemo.Settings(JOBS, 1, 1, false));
                Lines lines = new Lines();
                PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);
                CompletableFuture<Integer> worker = CompletableFuture.supplyAsync(
                        () -> ZkDemoWorker.work(new String[] {cs, ZkDemo.ROOT, "1", Integer.toString(JOBS)}, out),
                        r -> Thread.ofPlatform().name("demo-worker").start(r));
                String connected = lines.await("connected to");
                assertTrue(connected.endsWith("session timeout " + ZkDemo.SESSION.toSeconds() + " s"), connected);
                lines.await("job 0: working");

                List<InstanceSpec> down = new ArrayList<>(cluster.getInstances()).subList(0, 2);
                for (InstanceSpec s : down) {
                    assertTrue(cluster.killServer(s), "killed " + s);
                }
                long killed = System.nanoTime();
                lines.await("connection suspended");
                // the outage itself: the worker has no server for its whole length
                TimeUnit.NANOSECONDS.sleep(Math.max(0, OUTAGE.toNanos() - (System.nanoTime() - killed)));
                assertTrue(!worker.isDone(), "the worker gave up during the outage:\n" + lines.transcript());
                for (InstanceSpec s : down) {
                    assertTrue(cluster.restartServer(s), "restarted " + s);
                }

                lines.await("no jobs left");
                conn.ns().openExisting(ZkDemo.SHUTDOWN, ZkEvent.class).set();
                Integer code = worker.get(60, TimeUnit.SECONDS);
                String said = lines.transcript();
                assertEquals(0, code, said);
                assertTrue(said.lines().noneMatch(l -> l.contains("session LOST") || l.startsWith("X ")), said);
                assertTrue(said.lines().anyMatch(l -> l.contains("reconnected")), said);
                for (int j = 0; j < JOBS; j++) {
                    assertEquals(1, conn.ns().openExisting(ZkDemo.record(j), ZkCounter.class).get(), "job " + j + "\n" + said);
                }
                assertEquals(JOBS, conn.ns().openExisting(ZkDemo.TOTAL, ZkCounter.class).get(), said);
            }
        }
    }
}
