package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.ipc.PosixSignal.DefaultAction;
import io.waitkit.ipc.internal.JvmSignals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Signals} and {@link PosixSignal}: the AxisOS table, sending with {@code kill(2)}, and
 * handlers. In this JVM only SIGUSR1 is handled, and only while a handle of it is open (its
 * default action would end the test JVM); every test that sends it waits (bounded) for the
 * delivery before it closes its handles. Restoration of the JVM's behaviour and the effect of
 * signals without handlers are checked in child JVMs ({@link SignalsChild}), which are always
 * killed at the end.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SignalsTest {
    /** The bound of a delivery to this JVM (the expectation is milliseconds). */
    private static final long DELIVERY_SECONDS = 30;
    /** The bound of a child's lines and exit once it runs. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static final long SELF = ProcessHandle.current().pid();

    // ---- the table ----

    @Test
    void tableGivesEachSignalItsAxisNumberHostNumberCatchabilityAndDefaultAction() {
        record Row(PosixSignal s, int axis, int host, DefaultAction action, boolean catchable) {
        }
        List<Row> table = List.of(
                new Row(PosixSignal.SIGHUP, 1, 1, DefaultAction.TERMINATE, true),
                new Row(PosixSignal.SIGINT, 2, 2, DefaultAction.TERMINATE, true),
                new Row(PosixSignal.SIGKILL, 9, 9, DefaultAction.TERMINATE, false),
                new Row(PosixSignal.SIGPIPE, 13, 13, DefaultAction.TERMINATE, true),
                new Row(PosixSignal.SIGTERM, 15, 15, DefaultAction.TERMINATE, true),
                new Row(PosixSignal.SIGCHLD, 17, 17, DefaultAction.IGNORE, true),
                new Row(PosixSignal.SIGCONT, 18, 18, DefaultAction.CONTINUE, true),
                new Row(PosixSignal.SIGSTOP, 19, 19, DefaultAction.STOP, false),
                new Row(PosixSignal.SIGUSR1, 30, 10, DefaultAction.TERMINATE, true),
                new Row(PosixSignal.SIGUSR2, 31, 12, DefaultAction.TERMINATE, true));
        assertEquals(PosixSignal.values().length, table.size(), "the table has exactly ten signals");
        for (Row r : table) {
            assertEquals(r.axis(), r.s().axisNumber(), r.s() + " AxisOS number");
            assertEquals(r.host(), r.s().hostNumber(), r.s() + " host number");
            assertEquals(r.action(), r.s().defaultAction(), r.s() + " default action");
            assertEquals(r.catchable(), r.s().catchable(), r.s() + " catchable");
        }
    }

    @Test
    void hostNumbersAreTheNumbersTheRunningJvmGivesTheSignals() {
        for (PosixSignal s : PosixSignal.values()) {
            assertEquals(s.hostNumber(), JvmSignals.number(JvmSignals.signal(s.name().substring(3))), s.name());
        }
    }

    @Test
    void ofAxisNumberAndOfHostNumberRoundTripEverySignal() {
        for (PosixSignal s : PosixSignal.values()) {
            assertSame(s, PosixSignal.ofAxisNumber(s.axisNumber()));
            assertSame(s, PosixSignal.ofHostNumber(s.hostNumber()));
        }
        assertSame(PosixSignal.SIGUSR1, PosixSignal.ofHostNumber(PosixSignal.ofAxisNumber(30).hostNumber()));
    }

    @Test
    void unknownAxisAndHostNumbersAreRefusedWithAnExceptionNamingTheNumber() {
        for (int n : new int[] {0, -1, 3, 10, 12, 32, 64, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PosixSignal.ofAxisNumber(n));
            assertTrue(e.getMessage().contains("unknown AxisOS signal number " + n), e.getMessage());
        }
        for (int n : new int[] {0, -1, 3, 30, 31, 64, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PosixSignal.ofHostNumber(n));
            assertTrue(e.getMessage().contains("unknown host signal number " + n), e.getMessage());
        }
    }

    // ---- refusals ----

    @Test
    void handleRefusesSigkillAndSigstopSayingTheyCannotBeCaught() {
        for (PosixSignal s : List.of(PosixSignal.SIGKILL, PosixSignal.SIGSTOP)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.handle(s, x -> {
            }));
            assertTrue(e.getMessage().contains(s + " cannot be caught"), e.getMessage());
        }
    }

    @Test
    void handleRefusesSigusr2AndSigpipeOnWhichTheJvmKeepsANativeHandlerEveryTime() {
        for (PosixSignal s : List.of(PosixSignal.SIGUSR2, PosixSignal.SIGPIPE)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.handle(s, x -> {
                }));
                assertTrue(e.getMessage().contains(s + " (host signal " + s.hostNumber() + ") cannot be handled in this JVM")
                        && e.getMessage().contains("native handler of its own"), e.getMessage());
            }
        }
    }

    @Test
    void handleAndSendRejectNullArguments() {
        assertThrows(NullPointerException.class, () -> Signals.handle(null, x -> {
        }));
        assertThrows(NullPointerException.class, () -> Signals.handle(PosixSignal.SIGUSR1, null));
        assertThrows(NullPointerException.class, () -> Signals.send(SELF, null));
    }

    @Test
    void sendRefusesPidZeroNegativePidsAndPidsAboveTheLinuxPidRange() {
        for (long pid : new long[] {0, -1, -42, Signals.MAX_PID + 1, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Signals.send(pid, PosixSignal.SIGCHLD));
            assertTrue(e.getMessage().contains("pid " + pid + " is out of range"), e.getMessage());
        }
    }

    // ---- sending ----

    @Test
    void sendToAnEndedAndReapedProcessThrowsNoSuchProcessExceptionNamingThePidAndEsrch() throws Exception {
        Process p = new ProcessBuilder("true").start();
        try {
            assertTrue(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS), "true did not end");
        } finally {
            p.destroyForcibly();
        }
        long pid = p.pid();
        // SIGCHLD: harmless (ignored by default) should the pid have been reused meanwhile
        NoSuchProcessException e = assertThrows(NoSuchProcessException.class, () -> Signals.send(pid, PosixSignal.SIGCHLD));
        assertEquals(pid, e.pid());
        assertTrue(e.getMessage().contains("pid " + pid) && e.getMessage().contains("ESRCH"), e.getMessage());
    }

    @Test
    void sendToAPidAbovePidMaxThrowsNoSuchProcessException() throws IOException {
        // readAllLines: Files.readString and readAllBytes return only the first byte of this
        // procfs file on JDK 25 (measured: "3" for 32768)
        long pidMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).getFirst().strip());
        assertTrue(pidMax > 300, "implausible pid_max " + pidMax);
        long pid = Math.min(pidMax, Signals.MAX_PID); // pids are below pid_max
        if (pid == Signals.MAX_PID && pidMax > Signals.MAX_PID) {
            return; // pid_max at its limit: every pid in range may exist
        }
        NoSuchProcessException e = assertThrows(NoSuchProcessException.class, () -> Signals.send(pid, PosixSignal.SIGCHLD));
        assertTrue(e.getMessage().contains("pid " + pid) && e.getMessage().contains("ESRCH"), e.getMessage());
    }

    @Test
    void sigtermSentToAChildJvmWithoutHandlersEndsItThroughItsShutdownHooks() throws IOException {
        try (ChildJvm child = ChildJvm.start("signals", "-")) {
            child.awaitLine("READY", ChildJvm.START_TIMEOUT);
            Signals.send(child.pid(), PosixSignal.SIGTERM);
            assertEquals(128 + 15, child.awaitExit(BOUND), child::describe);
            assertTrue(child.hasLine("HOOK"), child::describe);
        }
    }

    // ---- handlers in this JVM (SIGUSR1) ----

    @Test
    void aHandlerOfSigusr1ReceivesTheSignalThisProcessSendsItselfOnAJvmSignalThread() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicReference<PosixSignal> got = new AtomicReference<>();
        AtomicReference<Thread> on = new AtomicReference<>();
        try (Signals.Handle h = Signals.handle(PosixSignal.SIGUSR1, s -> {
            got.set(s);
            on.set(Thread.currentThread());
            delivered.countDown();
        })) {
            Signals.send(SELF, PosixSignal.SIGUSR1);
            assertTrue(delivered.await(DELIVERY_SECONDS, TimeUnit.SECONDS), "SIGUSR1 not delivered to " + h);
        }
        assertSame(PosixSignal.SIGUSR1, got.get());
        assertNotSame(Thread.currentThread(), on.get());
        assertTrue(on.get().getName().contains("SIGUSR1"), on.get().getName());
    }

    @Test
    void everyOpenHandleOfOneSignalIsCalledInRegistrationOrder() throws Exception {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        CountDownLatch delivered = new CountDownLatch(3);
        try (Signals.Handle a = Signals.handle(PosixSignal.SIGUSR1, s -> {
            calls.add(1);
            delivered.countDown();
        });
                Signals.Handle b = Signals.handle(PosixSignal.SIGUSR1, s -> {
                    calls.add(2);
                    delivered.countDown();
                });
                Signals.Handle c = Signals.handle(PosixSignal.SIGUSR1, s -> {
                    calls.add(3);
                    delivered.countDown();
                })) {
            Signals.send(SELF, PosixSignal.SIGUSR1);
            assertTrue(delivered.await(DELIVERY_SECONDS, TimeUnit.SECONDS), "calls so far " + calls);
        }
        assertEquals(List.of(1, 2, 3), calls);
    }

    @Test
    void aHandlerThatThrowsDoesNotStopTheHandlersAfterIt() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        AtomicInteger thrown = new AtomicInteger();
        try (Signals.Handle bad = Signals.handle(PosixSignal.SIGUSR1, s -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("a handler that throws (expected by the test)");
        });
                Signals.Handle good = Signals.handle(PosixSignal.SIGUSR1, s -> delivered.countDown())) {
            Signals.send(SELF, PosixSignal.SIGUSR1);
            assertTrue(delivered.await(DELIVERY_SECONDS, TimeUnit.SECONDS), "the second handler was not called");
        }
        assertEquals(1, thrown.get());
    }

    @Test
    void aClosedHandleIsNotCalledAgainAndCloseIsIdempotent() throws Exception {
        AtomicInteger closedCalls = new AtomicInteger();
        CountDownLatch delivered = new CountDownLatch(1);
        Signals.Handle closed = Signals.handle(PosixSignal.SIGUSR1, s -> closedCalls.incrementAndGet());
        try (Signals.Handle open = Signals.handle(PosixSignal.SIGUSR1, s -> delivered.countDown())) {
            closed.close();
            closed.close();
            assertTrue(closed.toString().contains("closed"), closed.toString());
            Signals.send(SELF, PosixSignal.SIGUSR1);
            assertTrue(delivered.await(DELIVERY_SECONDS, TimeUnit.SECONDS), "the open handle was not called");
            open.close();
            open.close();
        }
        assertEquals(0, closedCalls.get());
    }

    @Test
    void aSignalCanBeHandledAgainAfterItsLastHandleClosed() throws Exception {
        for (int round = 0; round < 3; round++) {
            CountDownLatch delivered = new CountDownLatch(1);
            try (Signals.Handle h = Signals.handle(PosixSignal.SIGUSR1, s -> delivered.countDown())) {
                Signals.send(SELF, PosixSignal.SIGUSR1);
                assertTrue(delivered.await(DELIVERY_SECONDS, TimeUnit.SECONDS), "round " + round + ": " + h);
            }
        }
    }

    // ---- restoring the JVM's behaviour (child JVMs) ----

    @Test
    void closingTheLastSigusr1HandleRestoresTheDefaultActionSoTheNextSigusr1EndsTheChild() throws IOException {
        try (ChildJvm child = ChildJvm.start("signals", "-", "SIGUSR1")) {
            child.awaitLine("READY", ChildJvm.START_TIMEOUT);
            assertTrue(child.hasLine("HANDLED SIGUSR1"), child::describe);
            Signals.send(child.pid(), PosixSignal.SIGUSR1);
            child.awaitLine("CAUGHT SIGUSR1", BOUND);
            child.send("ping");
            child.awaitLine("PONG", BOUND);
            child.send("close");
            child.awaitLine("CLOSED", BOUND);
            Signals.send(child.pid(), PosixSignal.SIGUSR1);
            assertEquals(128 + 10, child.awaitExit(BOUND), child::describe);
            assertFalse(child.hasLine("HOOK"), child::describe);
        }
    }

    @Test
    void aSigtermHandlerReplacesTheJvmShutdownUntilClosedThenSigtermRunsTheShutdownHooksAgain() throws IOException {
        try (ChildJvm child = ChildJvm.start("signals", "-", "SIGTERM")) {
            child.awaitLine("READY", ChildJvm.START_TIMEOUT);
            assertTrue(child.hasLine("HANDLED SIGTERM"), child::describe);
            Signals.send(child.pid(), PosixSignal.SIGTERM);
            child.awaitLine("CAUGHT SIGTERM", BOUND);
            child.send("ping");
            child.awaitLine("PONG", BOUND);
            assertTrue(child.isAlive() && !child.hasLine("HOOK"), child::describe);
            child.send("close");
            child.awaitLine("CLOSED", BOUND);
            Signals.send(child.pid(), PosixSignal.SIGTERM);
            assertEquals(128 + 15, child.awaitExit(BOUND), child::describe);
            assertTrue(child.hasLine("HOOK"), child::describe);
        }
    }

    @Test
    void aRefusedSigusr2LeavesTheJvmsOwnHandlerSoSigusr2DoesNotEndTheChild() throws IOException {
        try (ChildJvm child = ChildJvm.start("signals", "-", "SIGUSR2")) {
            child.awaitLine("READY", ChildJvm.START_TIMEOUT);
            String refused = child.awaitLine("REFUSED SIGUSR2", BOUND);
            assertTrue(refused.contains("native handler of its own"), child::describe);
            Signals.send(child.pid(), PosixSignal.SIGUSR2);
            child.send("ping");
            child.awaitLine("PONG", BOUND);
            child.send("exit");
            assertEquals(0, child.awaitExit(BOUND), child::describe);
        }
    }

    @Test
    void withXrsTheJvmRefusesSighupSigintAndSigtermAndHandleQuotesTheJvmsReason() throws IOException {
        try (ChildJvm child = ChildJvm.startWithOptions(List.of("-Xrs"), "signals", "-", "SIGHUP", "SIGINT", "SIGTERM",
                "SIGUSR1")) {
            child.awaitLine("READY", ChildJvm.START_TIMEOUT);
            for (String s : List.of("SIGHUP", "SIGINT", "SIGTERM")) {
                String line = child.awaitLine("REFUSED " + s, BOUND);
                // a test run started under nohup (SIGHUP) or as a background job (SIGINT) passes
                // the ignored disposition on to the child, which then names that reason first
                String reason = ignoredHere(PosixSignal.valueOf(s).hostNumber()) ? "this process ignores it"
                        : "the JVM refuses it: Signal already used by VM or OS: " + s;
                assertTrue(line.contains(reason), child::describe);
            }
            assertTrue(child.hasLine("HANDLED SIGUSR1"), child::describe);
            child.send("exit");
            assertEquals(0, child.awaitExit(BOUND), child::describe);
        }
    }

    @Test
    void sighupAndSigintIgnoredAtTheJvmsStartAreRefusedSayingSoWhileAnIgnoredSigusr1IsHandledAndIgnoredAgainAfterClose()
            throws IOException {
        boolean termIgnoredHere = (Signals.ignoredNow() & (1L << 14)) != 0; // a child inherits what this JVM ignores
        try (ChildJvm child = ChildJvm.startIgnoring(List.of("HUP", "INT", "USR1"), "signals", "-", "SIGHUP",
                "SIGINT", "SIGINT", "SIGTERM", "SIGUSR1")) {
            String ready = child.awaitLine("READY", ChildJvm.START_TIMEOUT);
            assertEquals("READY " + child.pid(), ready, "exec keeps the pid: the signals reach the JVM");
            for (String s : List.of("SIGHUP", "SIGINT")) {
                String line = child.awaitLine("REFUSED " + s, BOUND);
                assertTrue(line.contains("this process ignores it (SIG_IGN") && line.contains("nohup")
                        && line.contains("installs no handler"), child::describe);
            }
            assertEquals(2, child.lines().stream().filter(l -> l.startsWith("REFUSED SIGINT ")).count(),
                    "asked again, refused again: " + child.describe());
            assertTrue(child.hasLine(termIgnoredHere ? "REFUSED SIGTERM" : "HANDLED SIGTERM"), child::describe);
            assertTrue(child.hasLine("HANDLED SIGUSR1"), child::describe);
            // the JVM replaced SIG_IGN of SIGUSR1 with the handler: it runs
            Signals.send(child.pid(), PosixSignal.SIGUSR1);
            child.awaitLine("CAUGHT SIGUSR1", BOUND);
            // the refused signals stay ignored: the child neither ends nor runs a handler
            Signals.send(child.pid(), PosixSignal.SIGINT);
            Signals.send(child.pid(), PosixSignal.SIGHUP);
            child.send("ping");
            child.awaitLine("PONG", BOUND);
            // closing the last handle puts SIG_IGN back: SIGUSR1 is ignored again, not fatal
            child.send("close");
            child.awaitLine("CLOSED", BOUND);
            Signals.send(child.pid(), PosixSignal.SIGUSR1);
            child.send("ping");
            child.awaitLine(l -> l.equals("PONG") && child.lines().stream().filter("PONG"::equals).count() == 2,
                    "a second PONG", BOUND);
            child.send("exit");
            assertEquals(0, child.awaitExit(BOUND), child::describe);
            assertFalse(child.hasLine("CAUGHT SIGINT") || child.hasLine("CAUGHT SIGHUP"), child::describe);
            assertEquals(1, child.lines().stream().filter(l -> l.equals("CAUGHT SIGUSR1")).count(), child::describe);
        }
    }

    /** Whether this JVM's process ignores host signal {@code number} (SigIgn in /proc/self/status): its children start so too. */
    private static boolean ignoredHere(int number) throws IOException {
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (l.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(l.substring(7).strip(), 16) >>> (number - 1) & 1L) != 0;
            }
        }
        return false;
    }
}
