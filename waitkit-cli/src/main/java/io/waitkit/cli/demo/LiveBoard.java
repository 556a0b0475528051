package io.waitkit.cli.demo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine.Help.Ansi;

/**
 * The live progress of the multi-process demos (on this host's named objects and on ZooKeeper):
 * a board of lines (one per worker, and totals) redrawn in place on a terminal or printed as
 * plain lines otherwise, event lines printed above it, and the summary of checks at the end.
 *
 * <p>Not thread-safe: a demo calls it under a lock of its own (which the supplier of the board's
 * lines may take again), so that the board and the event lines never interleave.
 */
final class LiveBoard {
    /** One check of a demo's summary. */
    record Check(boolean passed, String name, String detail) {
    }

    private final PrintWriter w;
    private final boolean live;
    private final boolean progress;
    private final Ansi ansi;
    private final Supplier<List<String>> lines;
    private final int width;
    private int shown;
    private boolean quiet;

    /**
     * Creates the board.
     *
     * @param w where it prints
     * @param live whether to redraw in place (a terminal)
     * @param progress whether to show the board while the demo runs (else only at the end)
     * @param ansi colours or not
     * @param lines the board's lines, asked for at each redraw
     */
    LiveBoard(PrintWriter w, boolean live, boolean progress, Ansi ansi, Supplier<List<String>> lines) {
        this.w = w;
        this.live = live;
        this.progress = progress;
        this.ansi = ansi;
        this.lines = lines;
        int c;
        try {
            c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
        } catch (NumberFormatException e) {
            c = 80;
        }
        this.width = c >= 20 ? c : 80;
    }

    /** Whether the board redraws in place. */
    boolean live() {
        return live;
    }

    /** Prints nothing more (the demo is being torn down from another thread). */
    void silence() {
        quiet = true;
    }

    /**
     * Redraws the board in place on a terminal, or prints it as plain lines.
     *
     * @param last whether this is the final board (printed even without progress)
     */
    void render(boolean last) {
        if (quiet || (!progress && !last)) {
            return;
        }
        List<String> all = lines.get();
        StringBuilder b = new StringBuilder();
        if (live && shown > 0) {
            b.append("\033[").append(shown).append('A');
        }
        for (String line : all) {
            if (live) {
                b.append("\r\033[K").append(line.length() >= width ? line.substring(0, width - 4) + "..." : line);
            } else {
                b.append(line);
            }
            b.append(System.lineSeparator());
        }
        shown = live ? all.size() : 0;
        w.print(b);
        w.flush();
    }

    /**
     * Prints an event line above the board (which is drawn again below it on a terminal).
     *
     * @param text the line, after {@code * }
     */
    void event(String text) {
        if (quiet) {
            return;
        }
        if (live && shown > 0) {
            w.print("\033[" + shown + "A\r\033[J");
            shown = 0;
        }
        w.println("* " + text);
        w.flush();
        if (live) {
            render(false);
        }
    }

    /**
     * Prints the summary: one PASS or FAIL line per check, then the verdict.
     *
     * @param checks the checks
     * @param nanos how long the demo ran
     * @return true if every check passed
     */
    boolean summary(List<Check> checks, long nanos) {
        w.println();
        w.println(bold("Summary"));
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        boolean all = true;
        for (Check c : checks) {
            all &= c.passed();
            w.println("  " + verdict(c.passed()) + "  " + c.name() + " ".repeat(width - c.name().length()) + "  " + c.detail());
        }
        long failed = checks.stream().filter(c -> !c.passed()).count();
        w.println((all ? "All " + checks.size() + " checks passed" : failed + " of " + checks.size() + " checks FAILED")
                + " in " + String.format(Locale.ROOT, "%.1fs", nanos / 1e9) + ": " + verdict(all));
        w.flush();
        return all;
    }

    /** PASS or FAIL, in colour on a terminal. */
    String verdict(boolean passed) {
        return ansi.string(passed ? "@|bold,green PASS|@" : "@|bold,red FAIL|@");
    }

    /** Bold text on a terminal. */
    String bold(String s) {
        return ansi.string("@|bold " + s.replace("|@", "| @") + "|@");
    }
}
