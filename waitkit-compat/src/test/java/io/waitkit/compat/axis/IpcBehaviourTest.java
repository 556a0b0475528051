package io.waitkit.compat.axis;

import static io.waitkit.compat.TestThreads.awaitBlocked;
import static io.waitkit.compat.TestThreads.eventually;
import static io.waitkit.compat.TestThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads.Running;
import io.waitkit.ipc.NamedPipe;
import io.waitkit.ipc.Namespace;
import io.waitkit.ipc.SharedSection;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behavioural choices of the {@code pipe}, {@code ipc} and {@code signal_lib} facades where
 * the AxisOS code, its documentation and Java differ (docs/compat-axis-ipc.md), one test per
 * choice.
 */
class IpcBehaviourTest {
    private static IpcTestNamespaces namespaces;

    private Namespace ns;
    private Pipe pipe;
    private Ipc ipc;

    @BeforeAll
    static void createDirectory() throws Exception {
        namespaces = new IpcTestNamespaces("axis-ipc-behaviour");
    }

    @AfterAll
    static void deleteDirectory() throws Exception {
        namespaces.close();
    }

    @BeforeEach
    void openFacades() throws Exception {
        ns = namespaces.fresh();
        pipe = new Pipe(ns);
        ipc = new Ipc(ns);
    }

    @AfterEach
    void closeFacades() {
        pipe.close();
        ipc.close();
    }

    // ---- pipes

    @Test
    void closeReadThroughAWriteHandleIsRefusedAndKeepsTheHandle() throws Exception {
        Pipe.Ends p = pipe.create();
        assertFalse(pipe.closeRead(p.write()), "quirk 8: the side must be one the handle holds");
        assertEquals("Invalid pipe handle", Pipe.lastError());
        assertFalse(pipe.closeWrite(p.read()));
        assertEquals(1, pipe.write(p.write(), "a"), "both handles still work");
        assertEquals("a", pipe.read(p.read(), 1).text());
    }

    @Test
    void namedPipeEndsOnlyWhenEveryWriterOfEveryHandleClosed() throws Exception {
        Pipe.Ends p = pipe.createNamed("two-writers");
        Pipe.Connection c = pipe.connectNamed("two-writers");
        assertEquals(1, pipe.write(c.handle(), "c"), "the connection is a writer now");
        assertTrue(pipe.closeWrite(p.write()));
        assertEquals("c", pipe.read(p.read(), 10).text());
        Running<Pipe.ReadResult> reader = start("reader", () -> pipe.read(p.read(), 10));
        try (NamedPipe raw = ns.openExisting("two-writers", NamedPipe.class)) {
            eventually("the reader waits", () -> raw.info().waiters() == 1);
        }
        assertFalse(reader.isDone(), "a writer is left: no EOF (AxisOS's single flag would end it)");
        assertTrue(pipe.closeWrite(c.handle()));
        assertTrue(reader.get().eof());
    }

    @Test
    void closingAHandleWakesACallBlockedOnItWithInvalidPipeHandle() throws Exception {
        Pipe.Ends p = pipe.create();
        Running<Pipe.ReadResult> reader = start("reader", () -> pipe.read(p.read(), 10));
        awaitBlocked(reader.thread());
        assertTrue(pipe.closeRead(p.read()));
        Pipe.ReadResult r = reader.get();
        assertFalse(r.ok());
    }

    @Test
    void interruptedReadThrowsAndTakesNothing() throws Exception {
        Pipe.Ends p = pipe.create();
        Running<Pipe.ReadResult> reader = start("reader", () -> pipe.read(p.read(), 10));
        awaitBlocked(reader.thread());
        reader.thread().interrupt();
        assertThrows(InterruptedException.class, reader::get);
        assertEquals(1, pipe.write(p.write(), "x"));
        assertEquals("x", pipe.read(p.read(), 10).text());
    }

    @Test
    void badSizesAndNamesFailWithAMessage() {
        assertNull(pipe.create(0));
        assertEquals("Invalid parameter", Pipe.lastError());
        assertNull(pipe.createNamed("a/b"));
        assertNotNull(Pipe.lastError());
        assertNull(ipc.createMqueue("q", 0, 16));
        assertEquals("Invalid parameter", Ipc.lastError());
        assertNull(ipc.createSection("s", 0));
        assertEquals("Invalid parameter", Ipc.lastError());
    }

    @Test
    void aNameOfAnotherKindCountsAsTaken() {
        assertNotNull(ipc.createSection("shared-name"));
        assertNull(ipc.createMqueue("shared-name"));
        assertEquals("Queue exists", Ipc.lastError());
        assertNull(ipc.openMqueue("shared-name"));
        assertEquals("No such queue", Ipc.lastError());
        assertNull(pipe.createNamed("shared-name"));
        assertEquals("Pipe exists", Pipe.lastError());
        assertNull(pipe.connectNamed("shared-name"));
        assertEquals("No such pipe", Pipe.lastError());
    }

    @Test
    void namesStayTakenAfterEveryHandleClosedUntilUnlinked() throws Exception {
        Pipe.Ends p = pipe.createNamed("kept");
        pipe.close();
        assertNull(pipe.createNamed("kept"), "quirk 7: the name stays");
        ns.unlink("kept");
        assertNotNull(pipe.createNamed("kept"));
        assertFalse(pipe.closeWrite(p.write()), "closed with the facade");
    }

    // ---- queues

    @Test
    void anonymousQueueHasNoNameAndWorksThroughItsHandle() throws Exception {
        String q = ipc.createMqueue(null);
        assertNotNull(q);
        assertEquals(List.of(), ns.list(), "nothing is left in the namespace");
        assertTrue(ipc.mqSend(q, "x", 3));
        Ipc.Message m = ipc.mqReceive(q, 0);
        assertEquals("x", m.text());
        assertEquals(3, m.priority());
    }

    @Test
    void negativePrioritiesAreTakenAsAxisOsTakesAnyNumberAndBadHandlesAreInvalid() throws Exception {
        String q = ipc.createMqueue("q");
        assertTrue(ipc.mqSend(q, "low", -5));
        assertTrue(ipc.mqSend(q, "zero", 0));
        assertEquals("zero", ipc.mqReceive(q, 0).text());
        Ipc.Message low = ipc.mqReceive(q, 0);
        assertEquals("low", low.text());
        assertEquals(-5, low.priority());
        assertFalse(ipc.mqSend("H-bogus", "x", 0));
        assertEquals("Invalid handle", Ipc.lastError());
        assertNull(ipc.mqReceive("H-bogus", 0));
        assertEquals("Invalid handle", Ipc.lastError());
        String s = ipc.createSection("s");
        assertFalse(ipc.mqSend(s, "x", 0), "a section handle is no queue handle");
        assertNull(ipc.mapSection(q), "a queue handle is no section handle");
        assertTrue(ipc.closeHandle(q));
        assertFalse(ipc.closeHandle(q));
        assertNull(ipc.mqReceive(q, 0));
        assertEquals("Invalid handle", Ipc.lastError());
    }

    @Test
    void interruptedReceiveThrowsAndTakesNothing() throws Exception {
        String q = ipc.createMqueue("q");
        Running<Ipc.Message> receiver = start("receiver", () -> ipc.mqReceive(q));
        eventually("the receiver waits", () -> ipc.info(q).waiters() == 1);
        receiver.thread().interrupt();
        assertThrows(InterruptedException.class, receiver::get);
        assertTrue(ipc.mqSend(q, "kept"));
        assertEquals("kept", ipc.mqReceive(q, 0).text());
    }

    @Test
    void receiveBlockedOnAQueueHandleThatIsClosedKeepsWaitingUntilAMessageComes() throws Exception {
        String q = ipc.createMqueue("q");
        String other = ipc.openMqueue("q");
        Running<Ipc.Message> receiver = start("receiver", () -> ipc.mqReceive(q));
        eventually("the receiver waits", () -> ipc.info(q).waiters() == 1);
        assertTrue(ipc.closeHandle(q));
        assertFalse(receiver.isDone(), "the wait holds the queue");
        assertTrue(ipc.mqSend(other, "late"));
        assertEquals("late", receiver.get().text());
        assertNull(ipc.mqReceive(q, 0), "the handle itself is invalid now");
        assertEquals("Invalid handle", Ipc.lastError());
    }

    // ---- section tables

    @Test
    void sectionTableLayoutIsTheDocumentedOne() throws Exception {
        String h = ipc.createSection("layout", 256);
        SectionTable t = ipc.mapSection(h);
        assertEquals(List.of(), t.keys(), "zero bytes are an empty table");
        t.putLong("n", 0x1122334455667788L);
        try (SharedSection raw = ns.openExisting("layout", SharedSection.class)) {
            MemorySegment m = raw.segment();
            ValueLayout.OfInt i = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
            ValueLayout.OfLong l = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x42545841, m.get(i, 0), "magic AXTB");
            assertEquals(1, m.get(i, 4), "version");
            assertEquals(16 + 8 + 8, m.get(l, 8), "one entry: header, key padded to 8, the long");
            assertEquals(1, m.get(i, 16), "key length");
            assertEquals(1, m.get(i, 20), "type long");
            assertEquals(8, m.get(i, 24), "capacity");
            assertEquals(8, m.get(i, 28), "length");
            assertEquals('n', m.get(ValueLayout.JAVA_BYTE, 32));
            assertEquals(0x1122334455667788L, m.get(l, 40));
        }
    }

    @Test
    void sectionTableGrowsStringsAndChangesTypesByAppendingAndRemoves() throws Exception {
        SectionTable t = ipc.mapSection(ipc.createSection("grow", 4096));
        t.putString("a", "x");
        t.putLong("b", 2);
        t.putString("a", "a longer string than eight bytes");
        assertEquals(List.of("b", "a"), t.keys(), "the outgrown entry moved to the end");
        assertEquals("a longer string than eight bytes", t.get("a"));
        t.putLong("a", 5);
        assertEquals(5L, t.get("a"));
        assertThrows(ClassCastException.class, () -> t.getString("a"));
        assertTrue(t.remove("a"));
        assertNull(t.get("a"));
        assertFalse(t.containsKey("a"));
        assertEquals(7L, t.addLong("b", 5));
    }

    @Test
    void fullSectionTableRefusesANewEntry() {
        SectionTable t = ipc.mapSection(ipc.createSection("small", 48));
        t.putLong("k", 1); // 16 + 32 bytes: exactly full
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.putLong("j", 1));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        t.putLong("k", 2); // in place: still fits
        assertEquals(2L, t.getLong("k"));
    }

    @Test
    void sectionWrittenOtherwiseIsReportedNotMisread() throws Exception {
        String h = ipc.createSection("foreign", 64);
        try (SharedSection raw = ns.openExisting("foreign", SharedSection.class)) {
            raw.segment().set(ValueLayout.JAVA_INT_UNALIGNED, 0, 12345);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ipc.mapSection(h).keys());
        assertTrue(e.getMessage().contains("not a section table"), e.getMessage());
    }

    @Test
    void addLongIsAtomicAcrossThreads() throws Exception {
        SectionTable t = ipc.mapSection(ipc.createSection("counter"));
        t.putLong("counter", 0);
        List<Running<Void>> adders = List.of(1, 2, 3, 4).stream().map(i -> start("adder-" + i, () -> {
            for (int k = 0; k < 10_000; k++) {
                t.addLong("counter", 1);
            }
            return (Void) null;
        })).toList();
        for (Running<Void> r : adders) {
            r.get();
        }
        assertEquals(40_000L, t.getLong("counter"));
    }

    @Test
    void addLongIsAtomicAcrossProcesses() throws Exception {
        SectionTable t = ipc.mapSection(ipc.createSection("shared-counter"));
        t.putLong("counter", 0);
        int n = 200_000;
        try (AxisChildJvm child = AxisChildJvm.start("shm-add", ns.directory().toString(), "shared-counter",
                Integer.toString(n))) {
            child.awaitLine("READY");
            child.send("go");
            for (int i = 0; i < n; i++) {
                t.addLong("counter", 1);
            }
            child.awaitLine("ADDED");
        }
        assertEquals(2L * n, t.getLong("counter"), "no update lost between the two processes");
    }

    @Test
    void tableOfAClosedHandleThrows() {
        String h = ipc.createSection("closed");
        SectionTable t = ipc.mapSection(h);
        assertTrue(ipc.closeHandle(h));
        assertThrows(IllegalStateException.class, t::keys);
    }

    // ---- signals

    @Test
    void handlerThatReplacesAnotherIsInPlaceBeforeTheOldOneGoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(ignoredAtStart(1), "SIGHUP is ignored in this test run (started under nohup: the JVM keeps a signal ignored at its start ignored)");
        java.util.concurrent.CountDownLatch second = new java.util.concurrent.CountDownLatch(1);
        SignalLib.handle(SignalLib.SIGHUP, SignalLib.SIG_IGN);
        try {
            SignalLib.handle(SignalLib.SIGHUP, sig -> second.countDown());
            assertTrue(SignalLib.send(ProcessHandle.current().pid(), SignalLib.SIGHUP));
            assertTrue(second.await(20, java.util.concurrent.TimeUnit.SECONDS), "the new handler ran");
        } finally {
            SignalLib.handle(SignalLib.SIGHUP, null);
        }
    }

    @Test
    void handleOfSighupOrSigintIgnoredAtTheJvmsStartFailsWithTheReasonAndKeepsThemIgnored() throws Exception {
        try (AxisChildJvm child = AxisChildJvm.startIgnoring(List.of("HUP", "INT"), "signal-try", "1", "2", "30")) {
            for (int sig : new int[] {1, 2}) {
                String line = child.awaitLine("FAILED " + sig + " ");
                assertTrue(line.contains("this process ignores it") && line.contains("nohup"), child::describe);
            }
            child.awaitLine("SET 30");
            child.awaitLine("READY");
            assertTrue(SignalLib.send(child.pid(), SignalLib.SIGHUP));
            assertTrue(SignalLib.send(child.pid(), SignalLib.SIGINT));
            assertTrue(SignalLib.send(child.pid(), SignalLib.SIGUSR1));
            child.awaitLine("Got signal: 30");
            child.send("ping");
            child.awaitLine("PONG"); // still running: the ignored signals neither ended it nor ran a handler
            assertFalse(child.describe().contains("Got signal: 1") || child.describe().contains("Got signal: 2"),
                    child::describe);
        }
    }

    @Test
    void sigusr2SentToAJvmWithoutHandlerDoesNotEndIt() throws Exception {
        try (AxisChildJvm child = AxisChildJvm.start("signal-none")) {
            child.awaitLine("READY");
            assertTrue(SignalLib.send(child.pid(), SignalLib.SIGUSR2));
            child.send("ping");
            child.awaitLine("PONG"); // AxisOS would end the process; HotSpot keeps SIGUSR2 for itself
        }
    }

    @Test
    void sigpipeHandlerThatThrowsDoesNotChangeTheWriteResult() throws Exception {
        Pipe.Ends p = pipe.create();
        pipe.closeRead(p.read());
        SignalLib.handle(SignalLib.SIGPIPE, sig -> {
            throw new IllegalStateException("handler failure");
        });
        try {
            assertEquals(-1, pipe.write(p.write(), "z"));
            assertEquals("Broken pipe", Pipe.lastError());
        } finally {
            SignalLib.handle(SignalLib.SIGPIPE, null);
        }
    }

    /**
     * Whether this JVM started with signal {@code number} ignored (a run under {@code nohup}, or a
     * background job of a non-interactive shell, which ignores SIGINT): the JVM then leaves it
     * ignored, and so does every child it starts.
     */
    static boolean ignoredAtStart(int number) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (number - 1))) != 0;
                }
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return false;
    }
}
