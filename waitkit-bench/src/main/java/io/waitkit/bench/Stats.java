package io.waitkit.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summary of one measurement's samples (one sample per JMH measurement iteration, over all
 * forks and rounds; or one per B6 run): the median, and the smallest and largest sample as
 * the error bar. The median resists the occasional iteration disturbed by another process on
 * a small shared machine; the min-max range hides nothing.
 *
 * @param median the median
 * @param min the smallest sample
 * @param max the largest sample
 * @param n the number of samples
 */
record Stats(double median, double min, double max, int n) {
    Stats {
        if (n < 1 || !(min <= median && median <= max)) {
            throw new IllegalArgumentException("inconsistent stats: " + min + " <= " + median + " <= " + max + ", n=" + n);
        }
    }

    /**
     * Summarises samples.
     *
     * @param samples at least one finite value
     * @return the summary
     */
    static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Double> sorted = new ArrayList<>(samples);
        for (double d : sorted) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("not a finite sample: " + d);
            }
        }
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", Format.round(median));
        m.put("min", Format.round(min));
        m.put("max", Format.round(max));
        m.put("n", n);
        return m;
    }

    static Stats fromJson(Object o) {
        Map<?, ?> m = (Map<?, ?>) o;
        return new Stats(num(m, "median"), num(m, "min"), num(m, "max"), (int) num(m, "n"));
    }

    static double num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("missing number '" + key + "' in " + m);
        }
        return n.doubleValue();
    }
}
