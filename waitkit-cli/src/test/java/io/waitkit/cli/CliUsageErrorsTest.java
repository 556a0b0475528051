package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the commands on named objects: exit code 2 and one line on the error stream, no stack trace. */
class CliUsageErrorsTest {
    @TempDir
    Path tmp;
    CliProcess cli;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(tmp.resolve("scratch"));
        cli = new CliProcess(tmp.resolve("ns"), tmp.resolve("scratch"));
        assertEquals(0, cli.run("event", "create", "e").code());
    }

    private void usage(String... args) {
        CliProcess.Result r = cli.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r);
        assertEquals(1, r.err().lines().count(), "one line: " + r);
        assertTrue(r.err().startsWith("waitkit: "), r.toString());
    }

    @Test
    void unknownCommandsAndOptionsAreUsageErrorsOnOneLine() {
        usage("frobnicate");
        usage("event", "explode", "e");
        usage("event", "set", "e", "--no-such-option");
        usage("ls", "--jsn");
        usage("event");
        usage("mq", "send");
    }

    @Test
    void badDurationsAreUsageErrors() {
        for (String d : List.of("5x", "-1s", "5", "1.5s", "", "s", "10 s")) {
            usage("event", "wait", "e", "--timeout", d);
        }
    }

    @Test
    void badNamesAreUsageErrors() {
        usage("event", "create", "a/b");
        usage("event", "create", ".hidden");
        usage("sem", "get", "..");
        usage("info", "x".repeat(300));
    }

    @Test
    void badNumbersAreUsageErrors() {
        usage("sem", "create", "s", "--initial", "5", "--max", "2");
        usage("sem", "create", "s", "--max", "0");
        usage("sem", "post", "e", "--count", "many");
        usage("mq", "create", "q", "--capacity", "0");
        usage("signal", "send", "abc", "USR1");
    }

    @Test
    void debugPrintsTheStackTraceThatIsOtherwiseHidden() {
        CliProcess.Result plain = cli.run("event", "set", "missing");
        assertEquals(4, plain.code());
        assertFalse(plain.err().contains("\tat "), plain.toString());
        CliProcess.Result debug = cli.run("event", "set", "missing", "--debug");
        assertEquals(4, debug.code());
        assertTrue(debug.err().contains("\tat "), debug.toString());
    }

    @Test
    void mutexRunWithoutACommandIsAUsageErrorAndAMissingCommandExits127() {
        usage("mutex", "run", "m");
        CliProcess.Result r = cli.run("mutex", "run", "m", "--", "/no/such/program", "x");
        assertEquals(127, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains("not found"), r.toString());
        assertEquals(0, cli.run("mutex", "run", "m", "--timeout", "0", "--", "true").code(), "the mutex was released");
    }
}
