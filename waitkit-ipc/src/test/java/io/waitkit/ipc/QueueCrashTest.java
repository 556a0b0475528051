package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.MessageQueue;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL of producers in the middle of sends, of consumers in the middle of receives and of
 * pipe writers in the middle of writes, at random moments while they work flat out (so that
 * many kills land inside the objects' critical sections and the next process must take the
 * lock over and repair). Checked afterwards: every record is whole (never torn or mixed),
 * nothing is delivered twice, every send or write that returned is delivered (a queue may lose
 * at most one message per killed consumer: the one it held), each writer's records arrive in
 * order, nothing hangs, and a pipe whose writers all died ends with EOF.
 *
 * <p>{@code -Dwaitkit.ipc.crashes=N} sets the kills per test (default 50; a long run: 500);
 * {@code -Dwaitkit.ipc.crash.seed=S} replays the kill timing choices (the seed is printed).
 */
class QueueCrashTest {
    private static final int CRASHES = Integer.getInteger("waitkit.ipc.crashes", 50);
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int WRITERS = 2;

    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static long seed(String what) {
        long seed = Long.getLong("waitkit.ipc.crash.seed", System.nanoTime());
        System.out.printf("[QueueCrashTest] %s: %d kills, seed %d (-Dwaitkit.ipc.crash.seed=%d replays the choices)%n", what,
                CRASHES, seed, seed);
        return seed;
    }

    private static ChildJvm startWriter(String command, String object, String progress, int id) {
        ChildJvm c = ChildJvm.start(command, temp.dir.toString(), object, progress, Integer.toString(id));
        c.awaitLine("FIRST", BOUND);
        return c;
    }

    /** What the readers got, by writer id: the sequence numbers in arrival order per reader. */
    private static final class Received {
        final Map<Integer, List<List<Long>>> byWriter = new HashMap<>();
        int corrupt;

        void add(int reader, long id, long seq) {
            List<List<Long>> lists = byWriter.computeIfAbsent((int) id, k -> new ArrayList<>());
            while (lists.size() <= reader) {
                lists.add(new ArrayList<>());
            }
            lists.get(reader).add(seq);
        }

        /**
         * Checks each writer: no duplicates, each reader saw its records in order, nothing past the
         * one the writer may have been sending when killed, and at most {@code mayLose} records it
         * completed missing in all.
         */
        void check(MemorySegment progress, int writers, int mayLose, String what) {
            assertEquals(0, corrupt, what + ": torn or mixed records");
            int lost = 0;
            for (int id = 0; id < writers; id++) {
                long acked = QueueChild.completed(progress, id);
                TreeSet<Long> all = new TreeSet<>();
                for (List<Long> perReader : byWriter.getOrDefault(id, List.of())) {
                    for (int k = 1; k < perReader.size(); k++) {
                        assertTrue(perReader.get(k - 1) < perReader.get(k), what + ": writer " + id + "'s records out of order");
                    }
                    for (long seq : perReader) {
                        assertTrue(all.add(seq), what + ": writer " + id + "'s record " + seq + " delivered twice");
                    }
                }
                if (!all.isEmpty()) {
                    assertTrue(all.last() <= acked, what + ": writer " + id + " completed " + acked + " but record "
                            + all.last() + " arrived (only the one in flight may)");
                }
                for (long seq = 0; seq < acked; seq++) {
                    if (!all.contains(seq)) {
                        lost++;
                    }
                }
            }
            assertTrue(lost <= mayLose, what + ": " + lost + " completed records lost, at most " + mayLose + " may be");
            System.out.printf("[QueueCrashTest] %s: %d writers, %d completed records missing (at most %d may be)%n", what,
                    writers, lost, mayLose);
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.HOURS) // every wait inside is bounded; the count is configurable
    void queueDeliversEveryCommittedMessageOnceWholeAndInOrderWhileProducersAndConsumersAreKilled() throws Exception {
        Random rnd = new Random(seed("message queue"));
        String qn = TempNamespace.fresh("crash-q");
        String pn = TempNamespace.fresh("crash-progress");
        String sn = TempNamespace.fresh("crash-stop");
        try (NamedMessageQueue q = temp.ns.messageQueue(qn, 8, QueueChild.RECORD);
                SharedSection progress = temp.ns.section(pn, 8L * (CRASHES + WRITERS + 8));
                NamedEvent stop = temp.ns.event(sn, true, false)) {
            Received got = new Received();
            ConcurrentLinkedQueue<long[]> mine = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread parentConsumer = Thread.ofPlatform().start(() -> {
                try {
                    while (!done.get()) {
                        MessageQueue.Message m = q.receive(Duration.ofMillis(20));
                        if (m != null) {
                            long[] r = QueueChild.parse(m.data());
                            mine.add(r == null ? new long[] {-1, -1} : r);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            List<ChildJvm> producers = new ArrayList<>();
            List<ChildJvm> consumers = new ArrayList<>(); // every consumer ever started, for their lines
            ChildJvm consumer = null;
            int nextId = 0;
            int consumerKills = 0;
            try {
                for (int k = 0; k < CRASHES; k++) {
                    while (producers.size() < WRITERS) {
                        producers.add(startWriter("mq-produce", qn, pn, nextId++));
                    }
                    if (consumer == null) {
                        consumer = ChildJvm.start("mq-consume", temp.dir.toString(), qn, sn);
                        consumer.awaitLine("READY", BOUND);
                        consumers.add(consumer);
                    }
                    Thread.sleep(rnd.nextInt(30)); // the moment of the kill, not a synchronization
                    if (rnd.nextInt(3) == 0) {
                        consumer.kill();
                        consumer = null;
                        consumerKills++;
                    } else {
                        producers.remove(rnd.nextInt(producers.size())).kill();
                    }
                }
                for (ChildJvm p : producers) {
                    p.kill();
                }
                producers.clear();
                stop.set();
                if (consumer != null) {
                    consumer.awaitLine("STOPPED", BOUND);
                }
            } finally {
                for (ChildJvm p : producers) {
                    p.kill();
                }
                for (ChildJvm c : consumers) {
                    c.kill();
                }
                done.set(true);
                parentConsumer.join(BOUND.toMillis());
            }
            assertEquals(null, failure.get());
            for (MessageQueue.Message m = q.tryReceive(); m != null; m = q.tryReceive()) {
                long[] r = QueueChild.parse(m.data());
                mine.add(r == null ? new long[] {-1, -1} : r);
            }
            for (long[] r : mine) {
                if (r[0] < 0) {
                    got.corrupt++;
                } else {
                    got.add(0, r[0], r[1]);
                }
            }
            for (int c = 0; c < consumers.size(); c++) {
                // every consumer is dead or done: wait until its output is read to the end (under
                // load the reader of a consumer killed last may still be behind its pipe)
                consumers.get(c).awaitExit(BOUND);
                for (String line : consumers.get(c).lines()) {
                    if (line.equals("CORRUPT")) {
                        got.corrupt++;
                    } else if (line.startsWith("GOT ")) {
                        String[] f = line.split(" ");
                        got.add(c + 1, Long.parseLong(f[1]), Long.parseLong(f[2]));
                    }
                }
            }
            got.check(progress.segment(), nextId, consumerKills, "message queue");
            assertEquals(0, q.size(), "drained");
            assertTrue(q.trySend(QueueChild.record(999, 0), 1), "the queue still works");
            assertNotNull(q.tryReceive());
            assertEquals("0/8 messages", q.info().state());
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.HOURS)
    void pipeRecordsStayWholeAndInOrderWhileWritersAreKilledAndEndsWithEofWhenAllDied() throws Exception {
        Random rnd = new Random(seed("pipe"));
        String pipeName = TempNamespace.fresh("crash-pipe");
        String pn = TempNamespace.fresh("crash-progress");
        try (NamedPipe pipe = temp.ns.pipe(pipeName, 4096);
                SharedSection progress = temp.ns.section(pn, 8L * (CRASHES + WRITERS + 8));
                InputStream in = pipe.openReader()) {
            Received got = new Received();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean eof = new AtomicBoolean();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    for (;;) {
                        byte[] r = in.readNBytes(QueueChild.RECORD);
                        if (r.length == 0) {
                            eof.set(true);
                            return;
                        }
                        long[] p = QueueChild.parse(r);
                        if (p == null) {
                            got.corrupt++;
                        } else {
                            got.add(0, p[0], p[1]);
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            List<ChildJvm> writers = new ArrayList<>();
            int nextId = 0;
            try {
                for (int k = 0; k < CRASHES; k++) {
                    while (writers.size() < WRITERS) {
                        writers.add(startWriter("pipe-write", pipeName, pn, nextId++));
                    }
                    Thread.sleep(rnd.nextInt(30)); // the moment of the kill, not a synchronization
                    writers.remove(rnd.nextInt(writers.size())).kill();
                }
            } finally {
                for (ChildJvm w : writers) {
                    w.kill();
                }
            }
            reader.join(BOUND.toMillis());
            assertEquals(null, failure.get());
            assertTrue(eof.get(), "EOF once every writer died (the reader ended within " + BOUND + ")");
            got.check(progress.segment(), nextId, 0, "pipe");
            assertTrue(pipe.info().state().contains("EOF"), pipe.info().state());
        }
    }
}
