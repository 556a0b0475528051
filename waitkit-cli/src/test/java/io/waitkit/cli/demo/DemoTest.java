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
            "channel pipeline", "barrier rounds", "readers/writers", "request/reply", "abandoned mutex", "async waits",
            "virtual threads");

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
    void localDemoWithShortSettingsPassesEveryCheckOfEveryPartPrintsProgressAndASummary() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = runCli(out, err, "demo", "--local", "--seconds", "0.6");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertFalse(text.contains("FAIL"), text);
        assertTrue(text.contains("\nSummary\n"), text);
        for (String part : PARTS) {
            assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(part) + " +PASS  \\S").matcher(text).find(),
                    "summary row of " + part + ":\n" + text);
        }
        assertTrue(text.contains("All " + PARTS.size() + " parts passed"), text);
        // a progress line every 0.5 s in the timed parts (plain lines, no carriage returns when not a terminal)
        for (String progress : List.of("meals", "produced", "sent", "round", "reads")) {
            assertTrue(count(Pattern.compile("(?m)^  \\d+\\.\\ds  " + progress + " "), text) >= 2, progress + ":\n" + text);
        }
        assertFalse(text.contains("\r"), "progress must be plain lines when not on a terminal");
        assertTrue(count(Pattern.compile("(?m)^  PASS  "), text) >= 35, text);

        // the parts of the newer primitives check their key invariants
        for (String check : List.of(
                "  PASS  no job lost or duplicated: ",                          // Channel + PriorityChannel
                "  PASS  FIFO: every worker got each producer's jobs in the order they were sent",
                "  PASS  priorities: no result came out while a more urgent one was waiting in the channel",
                "  PASS  processed.when(atLeast(",                              // Counter op in Wait.any
                "  PASS  timers never fired early: ",                           // WaitableTimer
                "  PASS  in lock-step: after each of ",                         // Barrier
                "  PASS  batches exact: ",                                      // Threshold
                "  PASS  every release of the committer was by a batch's 64th event",
                "  PASS  no reader saw a half-done transfer: ",                 // RwLock
                "  PASS  writers first: of ",
                "  PASS  client and server agree: ",                            // Exchange
                "  PASS  every patient client got its answer")) {
            assertTrue(text.contains(check), check + "\n" + text);
        }
        // the timed parts ran for the short time asked, yet each did real work
        assertTrue(Pattern.compile("(?m)^  channel pipeline +PASS  [1-9][\\d,]* jobs in ").matcher(text).find(), text);
        assertTrue(Pattern.compile("(?m)^  barrier rounds +PASS  [1-9][\\d,]* rounds in ").matcher(text).find(), text);
    }

    @Test
    void quietLocalDemoPrintsChecksAndSummaryButNoProgressLines() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = runCli(out, err, "demo", "--local", "--seconds", "0.2", "--quiet", "--philosophers", "3");
        String text = out.toString();
        assertEquals(0, code, text + err);
        assertTrue(text.contains("All " + PARTS.size() + " parts passed"), text);
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
        return cmd.execute("--local", "--quiet");
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

    @Test
    void jobsOutsideEightToOneThousandAreAUsageErrorAndStartNothing() {
        for (String n : new String[] {"7", "1001", "-1", "many"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = runCli(out, err, "demo", "--jobs", n);
            assertEquals(2, code, n + ": " + err);
            assertTrue(err.toString().contains("--jobs"), err.toString());
            assertEquals("", out.toString(), "the demo must not have started for --jobs " + n);
        }
    }
}
