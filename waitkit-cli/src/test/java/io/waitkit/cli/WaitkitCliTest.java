package io.waitkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class WaitkitCliTest {
    /** The exit code and both streams of one run. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaitkitCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpOptionPrintsUsageListingTheDemoCommandAndExitsZero() {
        Run r = run("--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: waitkit"), r.out());
        assertTrue(r.out().contains("demo"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void helpCommandShowsTheDemoOptionsAndExitsZero() {
        Run r = run("help", "demo");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--seconds"), r.out());
        assertTrue(r.out().contains("--quiet"), r.out());
    }

    @Test
    void versionOptionPrintsTheBuildVersionAndExitsZero() {
        Run r = run("--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)waitkit \\d+\\.\\d+\\.\\d+\\S* \\(commit \\S+, built \\S+\\)\\R.*Java .*"), r.out());
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCodeTwo() {
        Run r = run("--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
    }

    @Test
    void unknownCommandIsAUsageErrorWithExitCodeTwo() {
        Run r = run("no-such-command");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no-such-command"), r.err());
    }

    @Test
    void missingCommandPrintsUsageOnStderrWithExitCodeTwo() {
        Run r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Usage: waitkit"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void demoRejectsOutOfRangeOrMalformedValuesWithExitCodeTwo() {
        for (String[] args : new String[][] {
                {"demo", "--seconds", "0"}, {"demo", "--seconds", "-1"}, {"demo", "--seconds", "601"},
                {"demo", "--seconds", "NaN"}, {"demo", "--seconds", "soon"}, {"demo", "--philosophers", "1"},
                {"demo", "--philosophers", "65"}, {"demo", "--unknown"}}) {
            Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("Usage: waitkit demo"), r.err());
            assertEquals("", r.out(), "the demo must not have started for " + String.join(" ", args));
        }
    }
}
