package io.waitkit.cli.demo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the demo's parts one after the other, each under a header, and prints the summary table.
 * A part that throws fails (with the exception shown); the demo passes only if every part does.
 */
final class Demo {
    private final List<DemoPart> parts;

    Demo(List<DemoPart> parts) {
        this.parts = List.copyOf(parts);
    }

    /** The standard parts, in order. */
    static Demo standard() {
        return new Demo(List.of(new Philosophers(), new Pipeline(), new Channels(), new Rounds(), new ReadersWriters(),
                new RequestReply(), new Abandonment(), new AsyncWaits(), new VirtualCrowd()));
    }

    /**
     * Runs every part.
     *
     * @return true if all parts passed
     */
    boolean run(DemoSettings settings, Out out) throws InterruptedException {
        long start = System.nanoTime();
        out.line(out.bold("waitkit demo") + ": " + parts.size() + " parts, timed parts run "
                + Out.secs(settings.timed().toNanos()) + " each; Java " + Runtime.version().feature() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        List<PartResult> results = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            DemoPart part = parts.get(i);
            out.blank();
            out.line(out.bold("[" + (i + 1) + "/" + parts.size() + "] " + part.name()) + " - " + part.headline());
            PartResult result = new PartResult(out);
            try {
                part.run(settings, out, result);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | Error e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                result.check(false, "the part stopped with " + e);
                out.line(trace.toString().stripTrailing().indent(8).stripTrailing());
            }
            results.add(result);
        }
        long elapsed = System.nanoTime() - start;

        out.blank();
        out.line(out.bold("Summary"));
        int width = parts.stream().mapToInt(p -> p.name().length()).max().orElse(0);
        int passed = 0;
        for (int i = 0; i < parts.size(); i++) {
            PartResult r = results.get(i);
            passed += r.passed() ? 1 : 0;
            long failedChecks = r.checks().stream().filter(c -> !c.passed()).count();
            String detail = r.passed() ? r.summary()
                    : r.checks().isEmpty() ? "no check was made" : failedChecks + " of " + r.checks().size() + " checks failed";
            out.line("  " + pad(parts.get(i).name(), width) + "  " + out.verdict(r.passed()) + "  " + detail);
        }
        boolean all = passed == parts.size();
        out.line((all ? "All " + parts.size() + " parts passed" : (parts.size() - passed) + " of " + parts.size()
                + " parts FAILED") + " in " + Out.secs(elapsed) + ": " + out.verdict(all));
        return all;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
