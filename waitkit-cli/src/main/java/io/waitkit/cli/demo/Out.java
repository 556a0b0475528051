package io.waitkit.cli.demo;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Help.Ansi;

/**
 * The demo's output: plain lines, live progress lines and coloured verdicts.
 *
 * <p>Progress lines are printed as ordinary lines, so the output stays readable when piped or
 * captured. On an interactive terminal ({@code live}) a progress line instead rewrites the
 * previous one in place ({@code \r} and erase-to-end-of-line); the last one stays on the screen
 * when the next ordinary line is printed. With progress off, progress lines are dropped. All
 * methods are synchronized: worker threads may print too.
 */
final class Out {
    private final PrintWriter w;
    private final boolean live;
    private final boolean progress;
    private final Ansi ansi;
    private final int width;
    private boolean pending;

    Out(PrintWriter w, boolean live, boolean progress, Ansi ansi) {
        this.w = w;
        this.live = live;
        this.progress = progress;
        this.ansi = ansi;
        this.width = terminalWidth();
    }

    /** The terminal's width from {@code COLUMNS} when the shell exports it, else 80. */
    private static int terminalWidth() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
            return c >= 20 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /** Prints one line (after ending a pending live progress line). */
    synchronized void line(String s) {
        endLive();
        w.println(s);
        w.flush();
    }

    /** Prints an empty line. */
    void blank() {
        line("");
    }

    /** Prints a progress line, or rewrites the previous one on a terminal; nothing if progress is off. */
    synchronized void progress(String s) {
        if (!progress) {
            return;
        }
        if (live) {
            // a line longer than the terminal would wrap, and \r only returns to its last row
            if (s.length() >= width) {
                s = s.substring(0, width - 4) + "...";
            }
            w.print("\r\033[K" + s);
            w.flush();
            pending = true;
        } else {
            w.println(s);
            w.flush();
        }
    }

    private void endLive() {
        if (pending) {
            w.println();
            pending = false;
        }
    }

    /** Whether progress lines are printed at all. */
    boolean showsProgress() {
        return progress;
    }

    /** The verdict word, coloured on a terminal. */
    String verdict(boolean passed) {
        return ansi.string(passed ? "@|bold,green PASS|@" : "@|bold,red FAIL|@");
    }

    /** Bold text on a terminal. */
    String bold(String s) {
        return ansi.string("@|bold " + s.replace("|@", "| @") + "|@");
    }

    /** A count with thousands separators: {@code 12,345}. */
    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Seconds with one decimal: {@code 2.5s}. */
    static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    /** Milliseconds with one decimal: {@code 12.3 ms}. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
