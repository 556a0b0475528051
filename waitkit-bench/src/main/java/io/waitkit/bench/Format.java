package io.waitkit.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Number formatting shared by the JSON (rounding) and the markdown (display). */
final class Format {
    private Format() {
    }

    /**
     * Rounds to 4 significant digits for storage: more would only be noise, and the markdown
     * is rendered from the stored values, so both always agree.
     *
     * @param d a finite value
     * @return the rounded value
     */
    static double round(double d) {
        if (d == 0 || !Double.isFinite(d)) {
            return d;
        }
        return new BigDecimal(d).round(new MathContext(4)).doubleValue();
    }

    /**
     * Displays a value with 3 significant digits (no exponent for the magnitudes used here).
     *
     * @param d a value
     * @return the text
     */
    static String sig(double d) {
        if (d == 0) {
            return "0";
        }
        double a = Math.abs(d);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", d);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", d);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", d);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", d);
        }
        if (a >= 0.001) {
            return new BigDecimal(d).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
        return String.format(Locale.ROOT, "%.1e", d);
    }

    /**
     * Displays a ratio with two decimals and a times sign.
     *
     * @param r the ratio
     * @return for example {@code 1.07×}
     */
    static String ratio(double r) {
        if (r < 0.1) {
            return sig(r) + "×"; // tiny ratios keep their significant digits
        }
        return String.format(Locale.ROOT, r >= 100 ? "%.0f×" : r >= 10 ? "%.1f×" : "%.2f×", r);
    }
}
