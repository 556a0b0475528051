package io.waitkit.compat.axis;

import static io.waitkit.compat.TestThreads.awaitBlocked;
import static io.waitkit.compat.TestThreads.eventually;
import static io.waitkit.compat.TestThreads.millisSince;
import static io.waitkit.compat.TestThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads.Running;
import io.waitkit.ipc.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The given/when/then cases of AxisOS's behaviour (docs/semantics.md#numbered-cases) that concern
 * the {@code pipe} and {@code ipc} libraries, C14-C23, and the checks of {@code signal_lib} that
 * have a meaning in a JVM (methods {@code axis_signal_...}). Every test gets a fresh namespace in a
 * temporary directory of this class. "Thread" in the cases is a Java thread sharing the facade;
 * where a case needs another process, a child JVM plays it. Not checked: the signal mask (no
 * {@code mask} in the facade) and the death of a process that receives SIGUSR2 without a handler
 * (HotSpot keeps SIGUSR2 for itself: a JVM survives it, as {@link IpcBehaviourTest} checks).
 */
class IpcReferenceCasesTest {
    /** The cases' 2000 ms waits, made generous: they must not time out on a loaded machine. */
    private static final long LONG = 20_000;

    private static IpcTestNamespaces namespaces;

    private Namespace ns;
    private Pipe pipe;
    private Ipc ipc;

    @BeforeAll
    static void createDirectory() throws Exception {
        namespaces = new IpcTestNamespaces("axis-ipc-cases");
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

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    // ---- pipe

    @Test
    void axis_C14_pipeRoundTripReturnsTheBytesWritten() throws Exception {
        Pipe.Ends p = pipe.create(256);
        assertEquals(12, pipe.write(p.write(), "Hello, Pipe!"));
        Pipe.ReadResult r = pipe.read(p.read(), 1024);
        assertTrue(r.ok());
        assertEquals("Hello, Pipe!", r.text());
        assertNull(Pipe.lastError());
    }

    @Test
    void axis_C15_partialReadsThenBufferedBytesAfterCloseWriteThenEofAndASecondCloseFails() throws Exception {
        Pipe.Ends p = pipe.create();
        assertEquals(6, pipe.write(p.write(), "abcdef"));
        assertEquals("abcd", pipe.read(p.read(), 4).text());
        assertEquals("ef", pipe.read(p.read(), 4).text());

        assertEquals(2, pipe.write(p.write(), "xy"));
        assertTrue(pipe.closeWrite(p.write()));
        assertEquals("xy", pipe.read(p.read()).text(), "buffered bytes come before EOF");
        Pipe.ReadResult end = pipe.read(p.read());
        assertTrue(end.ok());
        assertTrue(end.eof(), "true, nil");
        assertFalse(pipe.closeWrite(p.write()), "already closed");
    }

    @Test
    void axis_C15_namedPipeEndsWhenTheCreatorsWriterClosed() throws Exception {
        Pipe.Ends p = pipe.createNamed("eof");
        Pipe.Connection c = pipe.connectNamed("eof");
        assertEquals(2, pipe.write(p.write(), "xy"));
        assertTrue(pipe.closeWrite(p.write()));
        assertEquals("xy", pipe.read(c.handle()).text());
        assertTrue(pipe.read(c.handle()).eof(), "the connection never wrote, so it is no writer");
    }

    @Test
    void axis_C16_writeAfterCloseReadIsBrokenPipeAndASigpipeHandlerReceives13() throws Exception {
        Pipe.Ends p = pipe.create();
        assertTrue(pipe.closeRead(p.read()));
        assertEquals(-1, pipe.write(p.write(), "z"));
        assertEquals("Broken pipe", Pipe.lastError());
        // no handler: the writer survives (the JVM ignores SIGPIPE), as this test does

        List<Integer> got = new ArrayList<>();
        assertNull(SignalLib.handle(SignalLib.SIGPIPE, got::add));
        try {
            assertEquals(-1, pipe.write(p.write(), "z"));
            assertEquals("Broken pipe", Pipe.lastError());
            assertEquals(List.of(13), got, "the handler ran in the writer, before write returned");
        } finally {
            assertNotNull(SignalLib.handle(SignalLib.SIGPIPE, null));
        }
    }

    @Test
    void axis_C16_namedPipeBreaksWhenItsOnlyReaderCloses() throws Exception {
        Pipe.Ends p = pipe.createNamed("broken");
        assertTrue(pipe.closeRead(p.read()));
        assertEquals(-1, pipe.write(p.write(), "z"));
        assertEquals("Broken pipe", Pipe.lastError());
    }

    @Test
    void axis_C17_writeLargerThanTheBufferBlocksUntilAReadMakesRoom() throws Exception {
        Pipe.Ends p = pipe.create(32);
        Running<Integer> writer = start("C17-writer", () -> pipe.write(p.write(), repeat('X', 64)));
        eventually("32 bytes buffered", () -> pipe.buffered(p.read()) == 32);
        awaitBlocked(writer.thread());
        assertFalse(writer.isDone(), "the writer is blocked on the full buffer");

        assertEquals(repeat('X', 32), pipe.read(p.read(), 32).text());
        assertEquals(64, writer.get(), "true, 64: the total after blocking");
        assertEquals(repeat('X', 32), pipe.read(p.read(), 32).text());
    }

    @Test
    void axis_C18_capacityIsClampedAndEndsRefuseTheOtherDirection() throws Exception {
        Pipe.Ends p = pipe.create(100_000);
        assertEquals(65536, pipe.capacity(p.read()));
        assertEquals(-1, pipe.write(p.read(), "a"));
        assertEquals("Invalid pipe handle", Pipe.lastError());
        Pipe.ReadResult r = pipe.read(p.write(), 1);
        assertFalse(r.ok());
        assertEquals("Invalid pipe handle", Pipe.lastError());
        assertEquals(-1, pipe.write(p.write(), (String) null));
        assertEquals("No data", Pipe.lastError());
        assertEquals(65536, pipe.capacity(pipe.createNamed("big", 100_000).read()));
    }

    @Test
    void axis_C19_namedPipesAreCreateExclusiveAndAConnectionReadsTheCreatorsBytes() throws Exception {
        Pipe.Ends p = pipe.createNamed("ch", 4096);
        assertNotNull(p.read());
        assertNotNull(p.write());
        assertEquals("ch", p.name());
        assertNull(pipe.createNamed("ch"));
        assertEquals("Pipe exists", Pipe.lastError());
        try (Pipe other = new Pipe(ns)) { // another process's table: the name is taken there too
            assertNull(other.createNamed("ch"));
            assertEquals("Pipe exists", Pipe.lastError());
        }

        Pipe.Connection c = pipe.connectNamed("ch");
        assertEquals("ch", c.name());
        assertEquals(2, pipe.write(p.write(), "hi"));
        assertEquals("hi", pipe.read(c.handle(), 10).text());
        assertNull(pipe.connectNamed("nope"));
        assertEquals("No such pipe", Pipe.lastError());
    }

    // ---- message queues

    @Test
    void axis_C20_messageQueueDeliversHighestPriorityFirstAndEqualPrioritiesInSendOrder() throws Exception {
        String q = ipc.createMqueue("test_mq", 16, 256);
        assertTrue(ipc.mqSend(q, "low", 1));
        assertTrue(ipc.mqSend(q, "high", 10));
        assertTrue(ipc.mqSend(q, "med", 5));
        assertTrue(ipc.mqSend(q, "med2", 5));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ipc.Message m = ipc.mqReceive(q, 100);
            got.add(m.text() + "," + m.priority());
        }
        assertEquals(List.of("high,10", "med,5", "med2,5", "low,1"), got);
    }

    @Test
    void axis_C21_messageSizeLimitIsInclusiveAndASendToAFullQueueBlocksUntilAReceive() throws Exception {
        String q = ipc.createMqueue("test_mq", 16, 256);
        assertFalse(ipc.mqSend(q, repeat('m', 257)));
        assertEquals("Message too large", Ipc.lastError());
        assertTrue(ipc.mqSend(q, repeat('m', 256)));

        String q2 = ipc.createMqueue("q2", 2, 16);
        assertTrue(ipc.mqSend(q2, "one"));
        assertTrue(ipc.mqSend(q2, "two"));
        Running<Boolean> third = start("C21-sender", () -> ipc.mqSend(q2, "three"));
        eventually("the third send blocks on the full queue", () -> ipc.info(q2).waiters() == 1);
        assertFalse(third.isDone());
        assertEquals("one", ipc.mqReceive(q2).text());
        assertTrue(third.get());
        assertEquals("two", ipc.mqReceive(q2, 0).text());
        assertEquals("three", ipc.mqReceive(q2, 0).text());
    }

    @Test
    void axis_C22_receiveTimesOutAtOnceOrAfterItsTimeoutAndQueueNamesAreExclusive() throws Exception {
        String q = ipc.createMqueue("test_mq");
        long start = System.nanoTime();
        assertNull(ipc.mqReceive(q, 0));
        assertEquals("timeout", Ipc.lastError());
        assertTrue(millisSince(start) < 1000, "ms = 0 polls");

        start = System.nanoTime();
        assertNull(ipc.mqReceive(q, 100));
        assertEquals("timeout", Ipc.lastError());
        assertTrue(millisSince(start) >= 100, "never early");

        assertNull(ipc.createMqueue("test_mq"));
        assertEquals("Queue exists", Ipc.lastError());
        assertNull(ipc.openMqueue("missing"));
        assertEquals("No such queue", Ipc.lastError());

        Running<Ipc.Message> receiver = start("C22-receiver", () -> ipc.mqReceive(q, LONG));
        eventually("the receiver waits", () -> ipc.info(q).waiters() == 1);
        assertTrue(ipc.mqSend(ipc.openMqueue("test_mq"), "delayed_msg", 0));
        Ipc.Message m = receiver.get();
        assertEquals("delayed_msg", m.text());
        assertEquals(0, m.priority());
    }

    // ---- sections

    @Test
    void axis_C23_sectionMappingsShareOneTableAndSectionNamesAreExclusive() throws Exception {
        String h = ipc.createSection("test_shm", 4096);
        SectionTable t = ipc.mapSection(h);
        t.putLong("counter", 0);

        String h2 = ipc.openSection("test_shm");
        SectionTable t2 = ipc.mapSection(h2);
        assertEquals(0L, t2.getLong("counter"));
        t2.putLong("counter", 7);
        assertEquals(7L, t.getLong("counter"), "a write through one mapping is seen through the other");
        t.putString("owner", "A");
        assertEquals("A", t2.getString("owner"));
        assertSame(t, ipc.mapSection(h), "one handle maps one table");

        try (Ipc other = new Ipc(ns)) { // another process's table
            SectionTable t3 = other.mapSection(other.openSection("test_shm"));
            assertEquals(7L, t3.getLong("counter"));
            assertEquals(List.of("counter", "owner"), t3.keys());
        }

        assertNull(ipc.createSection("test_shm"));
        assertEquals("Section exists", Ipc.lastError());
        assertNull(ipc.openSection("nope"));
        assertEquals("No such section", Ipc.lastError());
        assertNull(ipc.mapSection("H-bogus"));
        assertEquals("Invalid handle", Ipc.lastError());
    }

    // ---- signal_lib

    @Test
    void axis_signal_killAndStopCannotBeCaught() {
        IntConsumer f = sig -> { };
        assertNull(SignalLib.handle(SignalLib.SIGKILL, f));
        assertEquals("Cannot catch SIGKILL/SIGSTOP", SignalLib.lastError());
        assertNull(SignalLib.handle(SignalLib.SIGSTOP, f));
        assertEquals("Cannot catch SIGKILL/SIGSTOP", SignalLib.lastError());
    }

    @Test
    void axis_signal_handleReturnsThePreviousHandler() {
        IntConsumer f = sig -> { };
        IntConsumer g = sig -> { };
        assertNull(SignalLib.handle(SignalLib.SIGUSR1, f), "the first handler replaces nothing");
        assertNull(SignalLib.lastError());
        try {
            assertSame(f, SignalLib.handle(SignalLib.SIGUSR1, g));
        } finally {
            assertSame(g, SignalLib.handle(SignalLib.SIGUSR1, null), "nil restores the default action");
        }
        assertNull(SignalLib.handle(SignalLib.SIGUSR1, null), "no handler left");
    }

    @Test
    void axis_signal_sendToSelfRunsTheHandlerWithTheAxisNumber() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicInteger number = new AtomicInteger();
        SignalLib.handle(SignalLib.SIGUSR1, sig -> {
            number.set(sig);
            delivered.countDown();
        });
        try {
            assertTrue(SignalLib.send(ProcessHandle.current().pid(), SignalLib.SIGUSR1));
            assertTrue(delivered.await(LONG, TimeUnit.MILLISECONDS), "the handler ran");
            assertEquals(30, number.get(), "AxisOS numbers, not Linux's 10");
        } finally {
            SignalLib.handle(SignalLib.SIGUSR1, null);
        }
    }

    @Test
    void axis_signal_sendToAMissingProcessIsNoSuchProcess() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(LONG, TimeUnit.MILLISECONDS));
        long pid = gone.pid(); // ended and reaped
        assertFalse(SignalLib.send(pid, SignalLib.SIGTERM));
        assertEquals("No such process", SignalLib.lastError());
        assertFalse(SignalLib.send(999_999_999L, SignalLib.SIGTERM), "beyond any pid the host gives");
        assertEquals("No such process", SignalLib.lastError());
    }

    @Test
    void axis_signal_kernelProcessesCannotBeSignalled() {
        assertFalse(SignalLib.send(1, SignalLib.SIGTERM));
        assertEquals("Permission denied: cannot signal kernel process", SignalLib.lastError());
        assertFalse(SignalLib.send(0, SignalLib.SIGTERM));
        assertEquals("Permission denied: cannot signal kernel process", SignalLib.lastError());
    }

    @Test
    void axis_signal_sigchldWithoutHandlerIsIgnoredAndSigusr1WithoutHandlerEndsTheProcess() throws Exception {
        try (AxisChildJvm child = AxisChildJvm.start("signal-none")) {
            child.awaitLine("READY");
            assertTrue(SignalLib.send(child.pid(), SignalLib.SIGCHLD));
            child.send("ping");
            child.awaitLine("PONG"); // alive after SIGCHLD
            assertTrue(SignalLib.send(child.pid(), SignalLib.SIGUSR1));
            assertEquals(128 + 10, child.awaitExit(), "ended by SIGUSR1 (Linux number 10); " + child.describe());
        }
    }

    @Test
    void axis_signal_sigusr2CannotBeHandledInAJvmAndUnknownNumbersAreRefused() {
        assertNull(SignalLib.handle(SignalLib.SIGUSR2, sig -> { }));
        assertTrue(SignalLib.lastError().contains("SIGUSR2"), SignalLib.lastError());
        assertNull(SignalLib.handle(3, sig -> { }));
        assertEquals("Unsupported signal 3", SignalLib.lastError());
        assertFalse(SignalLib.send(ProcessHandle.current().pid(), 3));
        assertEquals("Unsupported signal 3", SignalLib.lastError());
    }
}
