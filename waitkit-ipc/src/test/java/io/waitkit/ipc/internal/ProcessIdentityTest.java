package io.waitkit.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Process identities by pid and start time: this process is alive, a finished child is not, a
 * wrong start time is not, and the stat parser copes with any executable name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessIdentityTest {
    /** A stat line with fields 3..22 numbered by their position: field n holds n * 10. */
    private static String statLine(String comm, String state) {
        StringBuilder b = new StringBuilder("4242 (").append(comm).append(") ").append(state);
        for (int field = 4; field <= 52; field++) {
            b.append(' ').append(field * 10);
        }
        return b.append('\n').toString();
    }

    @BeforeEach
    void linux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
    }

    @Test
    void thisProcessIsAlive() {
        ProcessIdentity self = ProcessIdentity.self();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.startTime() >= 0);
        assertTrue(self.isAlive());
        assertTrue(ProcessIdentity.isAlive(self.pid(), self.startTime()));
        assertSame(self, ProcessIdentity.self(), "read once");
    }

    @Test
    void aChildIsAliveWhileItRunsAndNotAfterItFinished() throws Exception {
        Process cat = new ProcessBuilder("cat").start(); // runs until its stdin closes
        try {
            long start = ProcessIdentity.startTimeOf(cat.pid());
            assertTrue(start >= ProcessIdentity.self().startTime(), "started after this JVM: " + start);
            ProcessIdentity child = new ProcessIdentity(cat.pid(), start);
            assertTrue(child.isAlive());
            cat.getOutputStream().close();
            assertTrue(cat.waitFor(20, TimeUnit.SECONDS));
            assertFalse(child.isAlive());
        } finally {
            cat.destroyForcibly();
        }
    }

    @Test
    void aFinishedChildIsNotAlive() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        long start = ProcessIdentity.startTimeOf(pid); // -1 if it already exited unreaped (a zombie)
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        ProcessIdentity child = new ProcessIdentity(pid, start);
        assertFalse(child.isAlive());
        long now = ProcessIdentity.startTimeOf(pid);
        // reaped: gone, or (rarely) the pid already belongs to a later process
        assertTrue(now == -1 || now != start || start == -1, "start " + start + ", now " + now);
    }

    @Test
    void aWrongStartTimeIsNotAlive() {
        ProcessIdentity self = ProcessIdentity.self();
        assertFalse(ProcessIdentity.isAlive(self.pid(), self.startTime() + 1));
        assertFalse(ProcessIdentity.isAlive(self.pid(), -1));
        assertFalse(new ProcessIdentity(self.pid(), self.startTime() - 1).isAlive());
    }

    @Test
    void absentPidsHaveNoStartTime() {
        assertEquals(-1, ProcessIdentity.startTimeOf(0));
        assertEquals(-1, ProcessIdentity.startTimeOf(-5));
        assertEquals(-1, ProcessIdentity.startTimeOf(Long.MAX_VALUE));
    }

    @Test
    void theStartTimeIsField22AfterTheLastParenthesis() {
        assertEquals(220, ProcessIdentity.parseStartTime(statLine("java", "S")));
        assertEquals(220, ProcessIdentity.parseStartTime(statLine("a b) c) R 1 2", "R")));
        assertEquals(220, ProcessIdentity.parseStartTime(statLine(")(", "D")));
        assertEquals(220, ProcessIdentity.parseStartTime(statLine("", "S")));
    }

    @Test
    void zombiesAndDeadTasksHaveNoStartTime() {
        assertEquals(-1, ProcessIdentity.parseStartTime(statLine("defunct) S", "Z")));
        assertEquals(-1, ProcessIdentity.parseStartTime(statLine("x", "X")));
    }

    @Test
    void malformedLinesAreRefused() {
        assertThrows(IllegalStateException.class, () -> ProcessIdentity.parseStartTime("4242 java S 1 2 3"));
        assertThrows(IllegalStateException.class, () -> ProcessIdentity.parseStartTime("4242 (java) S 1 2 3"));
        assertThrows(IllegalStateException.class,
                () -> ProcessIdentity.parseStartTime(statLine("java", "S").replace(" 220 ", " x ")));
    }

    @Test
    void theRealStatLineOfThisProcessParses() throws Exception {
        String line = Files.readString(Path.of("/proc/self/stat"));
        assertTrue(ProcessIdentity.parseStartTime(line) >= 0);
        assertEquals(ProcessIdentity.self().startTime(), ProcessIdentity.parseStartTime(line));
    }
}
