package io.waitkit.compat.axis;

import static io.waitkit.compat.TestThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads.Running;
import io.waitkit.ipc.Namespace;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Lua examples of sections 13.5 (pipes), 13.6 (shared memory), 13.7 (message queues) and
 * 13.8 (signals) of the AxisOS documentation, translated line by line (the Lua is in the
 * comments) and run across two processes: "Process A" is this JVM, "Process B" a child JVM
 * ({@link AxisChild}) on the same namespace directory. The anonymous pipe of 13.5 joins two
 * threads, as in the example (an anonymous pipe cannot leave its JVM). Every wait is bounded;
 * every child is killed in the end.
 */
class IpcSeedExamplesTest {
    private static IpcTestNamespaces namespaces;

    private Namespace ns;

    @BeforeAll
    static void createDirectory() throws Exception {
        namespaces = new IpcTestNamespaces("axis-ipc-seed");
    }

    @AfterAll
    static void deleteDirectory() throws Exception {
        namespaces.close();
    }

    @BeforeEach
    void freshNamespace() throws Exception {
        ns = namespaces.fresh();
    }

    private String dir() {
        return ns.directory().toString();
    }

    /** 13.5, first example: a writer thread and a reader thread on an anonymous pipe. */
    @Test
    void seed_13_5_anonymousPipeCarriesTheWritersTextToTheReaderThread() throws Exception {
        try (Pipe pipe = new Pipe(ns)) {
            // local p = pipe.create(4096)  -- 4KB buffer
            Pipe.Ends p = pipe.create(4096);
            // Writer thread: pipe.write(p.write, "Hello from pipe!"); pipe.closeWrite(p.write)
            Running<Boolean> writer = start("13.5-writer", () -> pipe.write(p.write(), "Hello from pipe!") == 16
                    && pipe.closeWrite(p.write()));
            // Reader thread: local ok, data = pipe.read(p.read, 1024); print(data)
            Running<String> reader = start("13.5-reader", () -> {
                StringBuilder data = new StringBuilder();
                for (Pipe.ReadResult r = pipe.read(p.read(), 1024); !r.eof(); r = pipe.read(p.read(), 1024)) {
                    assertTrue(r.ok(), Pipe.lastError());
                    data.append(r.text());
                }
                return data.toString();
            });
            assertTrue(writer.get());
            assertEquals("Hello from pipe!", reader.get());
        }
    }

    /** 13.5, named pipes: process A creates "my_channel", process B connects and reads it. */
    @Test
    void seed_13_5_namedPipeCreatedInOneProcessIsConnectedAndReadInAnother() throws Exception {
        try (Pipe pipe = new Pipe(ns)) {
            // Process A: pipe.createNamed("my_channel", 4096)
            Pipe.Ends p = pipe.createNamed("my_channel", 4096);
            assertNotNull(p, Pipe.lastError());
            // Process B: local p = pipe.connectNamed("my_channel") -- then reads to EOF
            try (AxisChildJvm b = AxisChildJvm.start("pipe-read", dir(), "my_channel")) {
                b.awaitLine("CONNECTED");
                assertEquals(16, pipe.write(p.write(), "Hello from pipe!"));
                assertTrue(pipe.closeWrite(p.write()));
                assertEquals("EOF", b.awaitLine("EOF"));
                String all = String.join("", b.lines().stream().filter(l -> l.startsWith("DATA "))
                        .map(l -> l.substring(5)).toList());
                assertEquals("Hello from pipe!", all, b.describe());
            }
        }
    }

    /** 13.5, named pipes the other way: B's connection writes, A's read end gets it. */
    @Test
    void seed_13_5_namedPipeConnectionInAnotherProcessWritesToTheCreator() throws Exception {
        try (Pipe pipe = new Pipe(ns)) {
            Pipe.Ends p = pipe.createNamed("my_channel", 4096);
            try (AxisChildJvm b = AxisChildJvm.start("pipe-write", dir(), "my_channel", "Hello back")) {
                assertEquals("WROTE 10", b.awaitLine("WROTE"));
                assertEquals("Hello back", pipe.read(p.read(), 1024).text());
            }
        }
    }

    /** 13.6: process A creates the section and sets the counter; process B adds one. */
    @Test
    void seed_13_6_sectionCounterIncrementedByAnotherProcessIsSeenByTheCreator() throws Exception {
        try (Ipc ipc = new Ipc(ns)) {
            // local hSec = ipc.createSection("my_shm", 4096)
            String hSec = ipc.createSection("my_shm", 4096);
            assertNotNull(hSec, Ipc.lastError());
            // local tView = ipc.mapSection(hSec); tView.counter = 0
            SectionTable tView = ipc.mapSection(hSec);
            tView.putLong("counter", 0);
            // Process B: local tView2 = ipc.mapSection(ipc.openSection("my_shm")); tView2.counter = tView2.counter + 1
            try (AxisChildJvm b = AxisChildJvm.start("shm-increment", dir(), "my_shm")) {
                assertEquals("COUNTER 1", b.awaitLine("COUNTER"));
            }
            assertEquals(1L, tView.getLong("counter"), "modifies same table!");
        }
    }

    /** 13.7: A sends an urgent and a normal message; B receives the urgent one first. */
    @Test
    void seed_13_7_urgentMessageIsReceivedFirstByAnotherProcess() throws Exception {
        try (Ipc ipc = new Ipc(ns)) {
            // local hQ = ipc.createMqueue("my_queue", 64, 1024)
            String hQ = ipc.createMqueue("my_queue", 64, 1024);
            // ipc.mqSend(hQ, "urgent message", 10); ipc.mqSend(hQ, "normal message", 1)
            assertTrue(ipc.mqSend(hQ, "normal message", 1));
            assertTrue(ipc.mqSend(hQ, "urgent message", 10));
            // Process B: local msg = ipc.mqReceive(hQ, 5000); print(msg) -- "urgent message"
            try (AxisChildJvm b = AxisChildJvm.start("mq-receive", dir(), "my_queue")) {
                assertEquals("MSG 10 urgent message", b.awaitLine("MSG"));
            }
            Ipc.Message rest = ipc.mqReceive(hQ, 0);
            assertEquals("normal message", rest.text());
            assertEquals(1, rest.priority());
            assertNull(ipc.mqReceive(hQ, 0));
            assertEquals("timeout", Ipc.lastError());
        }
    }

    /** 13.8: B handles SIGUSR1; A sends it; B's handler prints the AxisOS number. */
    @Test
    void seed_13_8_signalSentToAnotherProcessRunsItsHandler() throws Exception {
        // Process B: signal.handle(signal.SIGUSR1, function(sig) print("Got signal: " .. sig) end)
        try (AxisChildJvm b = AxisChildJvm.start("signal-handle")) {
            b.awaitLine("READY");
            // signal.send(targetPid, signal.SIGUSR1)
            assertTrue(SignalLib.send(b.pid(), SignalLib.SIGUSR1), SignalLib.lastError());
            assertEquals("Got signal: 30", b.awaitLine("Got signal"));
            b.send("ping");
            b.awaitLine("PONG"); // the handled signal did not end B
        }
    }

    /** 13.8: the signal table's numbers and which ones can be caught. */
    @Test
    void seed_13_8_signalTableNumbersAndCatchability() {
        assertEquals(List.of(1, 2, 9, 13, 15, 17, 18, 19, 30, 31), List.of(SignalLib.SIGHUP, SignalLib.SIGINT,
                SignalLib.SIGKILL, SignalLib.SIGPIPE, SignalLib.SIGTERM, SignalLib.SIGCHLD, SignalLib.SIGCONT,
                SignalLib.SIGSTOP, SignalLib.SIGUSR1, SignalLib.SIGUSR2));
        assertNull(SignalLib.handle(SignalLib.SIGKILL, SignalLib.SIG_IGN));
        assertEquals("Cannot catch SIGKILL/SIGSTOP", SignalLib.lastError());
        assertNull(SignalLib.handle(SignalLib.SIGSTOP, SignalLib.SIG_IGN));
        assertEquals("Cannot catch SIGKILL/SIGSTOP", SignalLib.lastError());
    }
}
