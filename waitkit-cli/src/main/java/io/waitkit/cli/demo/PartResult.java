package io.waitkit.cli.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one demo part: its checks (each printed as it is made, PASS or FAIL) and a
 * one-line summary for the final table. A part passes when it made at least one check and all
 * of them passed.
 */
final class PartResult {
    /** One checked invariant. */
    record Check(boolean passed, String text) {
    }

    private final Out out;
    private final List<Check> checks = new ArrayList<>();
    private String summary = "";

    PartResult(Out out) {
        this.out = out;
    }

    /** Records and prints a check; returns {@code passed}. */
    boolean check(boolean passed, String text) {
        synchronized (checks) {
            checks.add(new Check(passed, text));
        }
        out.line("  " + out.verdict(passed) + "  " + text);
        return passed;
    }

    /** Prints an informative line (no verdict). */
    void info(String text) {
        out.line("        " + text);
    }

    /** Sets the one-line summary shown in the final table. */
    void summary(String text) {
        summary = text;
    }

    String summary() {
        return summary;
    }

    List<Check> checks() {
        synchronized (checks) {
            return List.copyOf(checks);
        }
    }

    boolean passed() {
        List<Check> all = checks();
        return !all.isEmpty() && all.stream().allMatch(Check::passed);
    }

    /**
     * Checks that the part's workers all ended on their own and none failed; interrupts the
     * stragglers.
     */
    boolean checkWorkers(Workers workers, boolean joined) {
        boolean ok = true;
        if (!joined) {
            List<String> stuck = workers.alive();
            workers.interruptAll();
            ok = check(false, "threads still running at the end (stuck?): " + stuck);
        }
        for (String f : workers.failures()) {
            ok &= check(false, "worker failed: " + f);
        }
        return ok;
    }
}
