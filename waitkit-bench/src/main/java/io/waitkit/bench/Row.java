package io.waitkit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One result row of {@code results/*.json}: one benchmark at one parameter against one peer,
 * measured in the same run on one machine.
 *
 * @param id the benchmark id of BENCHMARKS.md, {@code B1} to {@code B10} (B9 as {@code B9a} to {@code B9c}
 *        and {@code B9s})
 * @param param the parameter ({@code n=64, blocking}, {@code threads=8}, ...; empty if none)
 * @param what what the waitkit side does
 * @param peer what it is compared with
 * @param ratio waitkit / peer, of the medians
 * @param ratioLow the smallest ratio the error bars allow (worst waitkit sample against worst peer sample, and so on)
 * @param ratioHigh the largest ratio the error bars allow
 * @param direction whether a lower or a higher ratio is better
 * @param target the target for the ratio (as BENCHMARKS.md states it)
 * @param meets whether the ratio (and, where the target has one, the allocation) meets the target
 * @param unit the unit of the two measurements
 * @param waitkit the waitkit side's samples
 * @param peerResult the peer's samples
 * @param alloc bytes allocated per operation (JMH gc profiler), or null if not measured
 * @param machine where it ran
 * @param settings how it was run (JMH iterations, forks, rounds, JVM flags)
 * @param mode {@code report}, {@code b9} or {@code smoke}
 * @param date when the run started (UTC, ISO-8601)
 */
record Row(String id, String param, String what, String peer, double ratio, double ratioLow, double ratioHigh,
        Direction direction, double target, boolean meets, String unit, Stats waitkit, Stats peerResult,
        Alloc alloc, Machine machine, String settings, String mode, String date) {

    /** Which way is better. */
    enum Direction {
        LOWER("lower-is-better"), HIGHER("higher-is-better");

        final String json;

        Direction(String json) {
            this.json = json;
        }

        static Direction of(String json) {
            for (Direction d : values()) {
                if (d.json.equals(json)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unknown direction: " + json);
        }
    }

    /**
     * Bytes allocated per operation, as JMH's gc profiler measures it (gc.alloc.rate.norm,
     * median over iterations).
     *
     * @param waitkit the waitkit side
     * @param peer the peer
     * @param required whether the target requires zero allocation by the waitkit side
     */
    record Alloc(double waitkit, double peer, boolean required) {
        /** Below this many bytes per operation an allocation counts as none (profiler noise). */
        static final double ZERO = 0.1;

        boolean meets() {
            return !required || waitkit < ZERO;
        }
    }

    /**
     * Builds a row from the two sides' samples: computes the ratio, its range and whether the
     * target is met.
     */
    static Row of(String id, String param, String what, String peer, Direction direction, double target,
            String unit, Stats waitkit, Stats peerResult, Alloc alloc, Machine machine, String settings,
            String mode, String date) {
        double ratio = Format.round(waitkit.median() / peerResult.median());
        double low = Format.round(waitkit.min() / peerResult.max());
        double high = Format.round(waitkit.max() / peerResult.min());
        return new Row(id, param, what, peer, ratio, low, high, direction, target,
                meets(ratio, direction, target, alloc), unit, waitkit, peerResult, alloc, machine, settings, mode, date);
    }

    static boolean meets(double ratio, Direction direction, double target, Alloc alloc) {
        boolean ok = direction == Direction.LOWER ? ratio <= target : ratio >= target;
        return ok && (alloc == null || alloc.meets());
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("param", param);
        m.put("what", what);
        m.put("peer", peer);
        m.put("ratio", ratio);
        m.put("ratio_range", List.of(ratioLow, ratioHigh));
        m.put("direction", direction.json);
        m.put("target", target);
        m.put("meets", meets);
        m.put("unit", unit);
        m.put("waitkit", waitkit.toJson());
        m.put("peer_result", peerResult.toJson());
        if (alloc != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("waitkit", Format.round(alloc.waitkit()));
            a.put("peer", Format.round(alloc.peer()));
            a.put("zero_required", alloc.required());
            m.put("alloc_bytes_per_op", a);
        }
        m.put("machine", machine.toJson());
        m.put("settings", settings);
        m.put("mode", mode);
        m.put("date", date);
        return m;
    }

    /**
     * Reads a row back, checking that it is consistent (its {@code meets} agrees with its
     * ratio, direction, target and allocation).
     */
    static Row fromJson(Object o) {
        Map<?, ?> m = (Map<?, ?>) o;
        List<?> range = (List<?>) m.get("ratio_range");
        Alloc alloc = null;
        if (m.get("alloc_bytes_per_op") instanceof Map<?, ?> a) {
            alloc = new Alloc(Stats.num(a, "waitkit"), Stats.num(a, "peer"), Boolean.TRUE.equals(a.get("zero_required")));
        }
        Direction direction = Direction.of((String) m.get("direction"));
        double ratio = Stats.num(m, "ratio");
        double target = Stats.num(m, "target");
        boolean meets = Boolean.TRUE.equals(m.get("meets"));
        String id = (String) m.get("id");
        if (meets != meets(ratio, direction, target, alloc)) {
            throw new IllegalArgumentException("row " + id + " " + m.get("param") + ": 'meets' contradicts its ratio and target");
        }
        return new Row(id, (String) m.get("param"), (String) m.get("what"), (String) m.get("peer"), ratio,
                ((Number) range.get(0)).doubleValue(), ((Number) range.get(1)).doubleValue(), direction, target, meets,
                (String) m.get("unit"), Stats.fromJson(m.get("waitkit")), Stats.fromJson(m.get("peer_result")), alloc,
                Machine.fromJson(m.get("machine")), (String) m.get("settings"), (String) m.get("mode"),
                (String) m.get("date"));
    }

    static List<Object> toJson(List<Row> rows) {
        List<Object> l = new ArrayList<>();
        for (Row r : rows) {
            l.add(r.toJson());
        }
        return l;
    }

    static List<Row> fromJsonList(Object o) {
        if (!(o instanceof List<?> l)) {
            throw new IllegalArgumentException("a result file must hold a JSON list of rows");
        }
        List<Row> rows = new ArrayList<>();
        for (Object x : l) {
            rows.add(fromJson(x));
        }
        return rows;
    }
}
