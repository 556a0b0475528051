package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Event;
import io.waitkit.MessageQueue;
import io.waitkit.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message queues, pipes and shared sections across JVMs: the parent test JVM and child JVMs
 * ({@link ChildJvm} running {@link IpcChild}/{@link QueueChild}) share objects in a temporary
 * namespace. Synchronization with the children is by their output lines and by the objects'
 * own states; every wait is bounded and a failure quotes the children's output.
 */
class CrossProcessQueuesTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static String dir() {
        return temp.dir.toString();
    }

    private static String text(MessageQueue.Message m) {
        return new String(m.data(), StandardCharsets.UTF_8) + ":" + m.priority();
    }

    @Test
    void messagesSentByAnotherProcessArriveHighestPriorityFirstAndInSendOrderAmongEquals() throws Exception {
        String name = TempNamespace.fresh("xq");
        try (NamedMessageQueue q = temp.ns.messageQueue(name, 16, 64);
                ChildJvm sender = ChildJvm.start("mq-send", dir(), name, "1:low", "10:high", "5:med", "5:med2", "0:zero")) {
            sender.awaitSuccess(BOUND);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(text(q.receive(BOUND)));
            }
            assertEquals(List.of("high:10", "med:5", "med2:5", "low:1", "zero:0"), got);
        }
    }

    @Test
    void receiversBlockedInAnotherProcessEachGetOneMessageOfTheSends() throws Exception {
        String name = TempNamespace.fresh("xq");
        try (NamedMessageQueue q = temp.ns.messageQueue(name, 4, 64);
                ChildJvm a = ChildJvm.start("mq-recv", dir(), name, "1");
                ChildJvm b = ChildJvm.start("mq-recv", dir(), name, "1")) {
            a.awaitLine("READY", ChildJvm.START_TIMEOUT);
            b.awaitLine("READY", ChildJvm.START_TIMEOUT);
            ChildJvm.until(() -> q.info().waiters() == 2, BOUND, () -> "both receivers blocked: " + q.info() + "\n" + a.describe()
                    + b.describe());
            q.send("one".getBytes(StandardCharsets.UTF_8), 3);
            q.send("two".getBytes(StandardCharsets.UTF_8), 3);
            a.awaitSuccess(BOUND);
            b.awaitSuccess(BOUND);
            List<String> got = new ArrayList<>(List.of(a.awaitLine("GOT", BOUND), b.awaitLine("GOT", BOUND)));
            got.sort(null);
            assertEquals(List.of("GOT one 3", "GOT two 3"), got);
            assertEquals(0, q.size());
        }
    }

    @Test
    void waitAnyOverAQueueOfAnotherProcessAndAnInProcessEventTakesExactlyOne() throws Exception {
        String name = TempNamespace.fresh("xq");
        try (NamedMessageQueue q = temp.ns.messageQueue(name, 4, 64)) {
            Event local = Event.manualReset(false);
            NamedMessageQueue.Receive op = q.receiveOp();
            CompletableFuture<Integer> f = Wait.anyAsync(local, op);
            try (ChildJvm sender = ChildJvm.start("mq-send", dir(), name, "2:from-child", "2:second")) {
                sender.awaitSuccess(BOUND);
            }
            assertEquals(1, f.get(BOUND.toSeconds(), TimeUnit.SECONDS));
            assertEquals("from-child:2", text(op.item()));
            assertEquals(1, q.size(), "the wait took exactly one message");
            local.set();
            assertEquals(0, Wait.any(BOUND, local, op));
            assertEquals(1, q.size());
        }
    }

    @Test
    void bytesWrittenByAnotherProcessAreReadInOrderThenEofOnceItsWriterClosed() throws Exception {
        String name = TempNamespace.fresh("xp");
        try (NamedPipe p = temp.ns.pipe(name, 64); InputStream in = p.openReader()) {
            try (ChildJvm w = ChildJvm.start("pipe-echo", dir(), name, "hello-from-the-child-process-across-a-small-buffer")) {
                byte[] all = in.readAllBytes(); // blocks until the child closed its writer
                assertEquals("hello-from-the-child-process-across-a-small-buffer", new String(all, StandardCharsets.UTF_8));
                w.awaitSuccess(BOUND);
            }
            assertEquals(-1, in.read(), "EOF stays");
        }
    }

    @Test
    void aReaderInAnotherProcessReadsToEofAfterThisProcessWritesAndCloses() throws Exception {
        String name = TempNamespace.fresh("xp");
        try (NamedPipe p = temp.ns.pipe(name, 16); ChildJvm r = ChildJvm.start("pipe-read", dir(), name)) {
            r.awaitLine("READY", ChildJvm.START_TIMEOUT);
            r.send("read");
            try (OutputStream out = p.openWriter()) {
                out.write("more-than-sixteen-bytes-through-the-pipe".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("READ more-than-sixteen-bytes-through-the-pipe EOF", r.awaitLine("READ", BOUND));
        }
    }

    @Test
    void aWriteFailsWithBrokenPipeOnceTheOnlyReaderProcessIsKilled() throws Exception {
        String name = TempNamespace.fresh("xp");
        try (NamedPipe p = temp.ns.pipe(name, 8); OutputStream out = p.openWriter()) {
            try (ChildJvm r = ChildJvm.start("pipe-read", dir(), name)) {
                r.awaitLine("READY", ChildJvm.START_TIMEOUT);
                out.write(new byte[8]); // fills the buffer: the next write blocks
                r.kill();
            }
            IOException e = assertThrows(IOException.class, () -> out.write(new byte[4]));
            assertTrue(e.getMessage().contains("broken pipe"), e.getMessage());
            assertTrue(p.info().state().contains("broken"), p.info().state());
        }
    }

    @Test
    void aReaderBlockedOnAPipeSeesEofWhenTheOnlyWriterProcessIsKilled() throws Exception {
        String name = TempNamespace.fresh("xp");
        String progress = TempNamespace.fresh("progress");
        try (NamedPipe p = temp.ns.pipe(name, 4096); SharedSection s = temp.ns.section(progress, 64);
                InputStream in = p.openReader(); ChildJvm w = ChildJvm.start("pipe-write", dir(), name, progress, "0")) {
            w.awaitLine("FIRST", BOUND);
            w.kill();
            byte[] all = in.readAllBytes();
            assertEquals(0, all.length % QueueChild.RECORD, "whole records only");
            assertEquals(-1, in.read());
        }
    }

    @Test
    void aSectionIsSharedAtomicallyAcrossProcessesAndReopenedWithItsRealSize() throws Exception {
        String name = TempNamespace.fresh("xs");
        try (SharedSection s = temp.ns.section(name, 4096);
                ChildJvm a = ChildJvm.start("section-add", dir(), name, "64", "20000");
                ChildJvm b = ChildJvm.start("section-add", dir(), name, "1000000", "20000")) {
            assertEquals(4096, s.size());
            assertEquals("SIZE 4096", a.awaitLine("SIZE", BOUND), "reopened as it is, whatever size the opener asked");
            assertEquals("SIZE 4096", b.awaitLine("SIZE", BOUND));
            a.awaitSuccess(BOUND);
            b.awaitSuccess(BOUND);
            assertEquals(40000L, (long) ValueLayout.JAVA_LONG.varHandle().getVolatile(s.segment(), 0L),
                    "no increment lost between the processes");
            assertEquals("section", s.info().kind());
            assertEquals("4096 bytes", s.info().state());
            assertFalse(s.segment().isReadOnly());
        }
    }
}
