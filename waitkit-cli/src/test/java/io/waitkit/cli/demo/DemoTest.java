package io.waitkit.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.cli.WaitkitCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import org.junit.jupiter.api.Test;

class DemoTest {
    private static final List<String> PARTS = List.of("dining philosophers", "producer/consumer pipeline",
            "abandoned mutex", "async waits", "virtual threads");

    private static int runCli(StringWriter out, StringWriter err, String... args) {
        return WaitkitCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static long count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void demoWithShortSettingsPassesEveryCheckPrintsProgressAndASummary() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = runCli(out, err, "demo", "--seconds", "0.6");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertFalse(text.contains("FAIL"), text);
        assertTrue(text.contains("\nSummary\n"), text);
        for (String part : PARTS) {
            assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(part) + " +PASS  \\S").matcher(text).find(),
                    "summary row of " + part + ":\n" + text);
        }
        assertTrue(text.contains("All 5 parts passed"), text);
        // a progress line every 0.5 s in the timed parts (plain lines, no carriage returns when not a terminal)
        assertTrue(count(Pattern.compile("(?m)^  \\d+\\.\\ds  meals "), text) >= 2, text);
        assertTrue(count(Pattern.compile("(?m)^  \\d+\\.\\ds  produced "), text) >= 2, text);
        assertFalse(text.contains("\r"), "progress must be plain lines when not on a terminal");
        assertTrue(count(Pattern.compile("(?m)^  PASS  "), text) >= 15, text);
    }

    @Test
    void quietDemoPrintsChecksAndSummaryButNoProgressLines() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = runCli(out, err, "demo", "--seconds", "0.2", "--quiet", "--philosophers", "3");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("All 5 parts passed"), text);
        assertTrue(text.contains("3 philosophers"), text);
        assertEquals(0, count(Pattern.compile("(?m)^  \\d+\\.\\ds  "), text), text);
        assertEquals(0, count(Pattern.compile("(?m)^  round \\d"), text), text);
    }

    /** A part that records the given checks. */
    private static DemoPart part(String name, boolean... checks) {
        return new DemoPart(name, "a test part") {
            @Override
            void run(DemoSettings settings, Out out, PartResult result) {
                for (int i = 0; i < checks.length; i++) {
                    result.check(checks[i], name + " check " + i);
                }
                result.summary(name + " summary");
            }
        };
    }

    private static int runDemo(Demo demo, StringWriter out) {
        CommandLine cmd = new CommandLine(new DemoCommand(demo));
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(new StringWriter()));
        return cmd.execute("--quiet");
    }

    @Test
    void aFailedCheckMakesTheDemoExitWithOneAndTheSummarySayFail() {
        StringWriter out = new StringWriter();
        int code = runDemo(new Demo(List.of(part("good", true, true), part("bad", true, false))), out);
        String text = out.toString();
        assertEquals(1, code, text);
        assertTrue(text.contains("  FAIL  bad check 1"), text);
        assertTrue(Pattern.compile("(?m)^  good +PASS  good summary$").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^  bad +FAIL  1 of 2 checks failed$").matcher(text).find(), text);
        assertTrue(text.contains("1 of 2 parts FAILED"), text);
    }

    @Test
    void allChecksPassingMakesTheDemoExitWithZero() {
        StringWriter out = new StringWriter();
        int code = runDemo(new Demo(List.of(part("one", true), part("two", true, true))), out);
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("All 2 parts passed"), out.toString());
    }

    @Test
    void aPartThatThrowsOrChecksNothingFailsAndTheNextPartsStillRun() {
        DemoPart throwing = new DemoPart("throwing", "throws") {
            @Override
            void run(DemoSettings settings, Out out, PartResult result) {
                throw new IllegalStateException("boom");
            }
        };
        StringWriter out = new StringWriter();
        int code = runDemo(new Demo(List.of(throwing, part("silent"), part("after", true))), out);
        String text = out.toString();
        assertEquals(1, code, text);
        assertTrue(text.contains("FAIL  the part stopped with java.lang.IllegalStateException: boom"), text);
        assertTrue(Pattern.compile("(?m)^  silent +FAIL  no check was made$").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^  after +PASS  after summary$").matcher(text).find(), text);
    }

    @Test
    void onATerminalProgressRewritesOneLineAndTheLastOneStaysVisible() {
        StringWriter sink = new StringWriter();
        Out out = new Out(new PrintWriter(sink), true, true, Ansi.OFF);
        out.progress("  0.5s  first");
        out.progress("  1.0s  second");
        out.line("  PASS  done");
        assertEquals("\r\033[K  0.5s  first\r\033[K  1.0s  second" + System.lineSeparator() + "  PASS  done"
                + System.lineSeparator(), sink.toString());
    }
}
