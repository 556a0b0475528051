package io.waitkit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the B9 plot by hand (no plotting dependency): contended throughput against thread
 * count, one panel for the mutex and one for the semaphore, each with four lines: waitkit
 * hand-off and its fair peer (the B9a rows), waitkit barging and its non-fair peer (B9b), with
 * min-max error bars and one marker shape and dash style per machine. The B9c rows (100 virtual
 * threads) are unconnected open markers in a column of their own at the right. Logarithmic
 * axes (threads 1, 2, 4, ...; throughput in decades), since the lines may differ by orders of
 * magnitude.
 */
final class SvgPlot {
    /** B9a and B9b: {@code Mutex, threads=8}; B9c: {@code Mutex, hand-off, virtual threads=100}. */
    private static final Pattern PARAM = Pattern.compile("(\\w+), (?:(hand-off|barging), virtual )?threads=(\\d+)");
    private static final int W = 980;
    private static final int H = 490;
    private static final int PANEL_W = 400;
    private static final int PANEL_H = 300;
    private static final int TOP = 60;
    private static final int[] LEFT = {80, 560};

    /** The four lines of a panel, in legend order. */
    enum Line {
        HAND_OFF("waitkit, hand-off", "#c0392b"),
        FAIR_PEER("fair peer (ReentrantLock(true), j.u.c.Semaphore(2, true))", "#2471a3"),
        BARGING("waitkit, Fairness.BARGING", "#e67e22"),
        NON_FAIR_PEER("non-fair peer (ReentrantLock, j.u.c.Semaphore(2))", "#17a589");

        final String label;
        final String colour;

        Line(String label, String colour) {
            this.label = label;
            this.colour = colour;
        }
    }

    private SvgPlot() {
    }

    /** One point: threads (0 for the virtual-thread column) and a side's statistics. */
    private record Point(int threads, Stats stats) {
    }

    /** Whether a row belongs in the plot: B9a, B9b or B9c. */
    static boolean plotted(Row r) {
        return r.id().equals("B9a") || r.id().equals("B9b") || r.id().equals("B9c");
    }

    static String b9(List<Row> rows) {
        List<Row> b9 = rows.stream().filter(SvgPlot::plotted).toList();
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(text(W / 2.0, 24, "B9: contended throughput (total ops/µs, log scale) against threads", "middle", 15, "bold"));
        if (b9.isEmpty()) {
            svg.append(text(W / 2.0, H / 2.0, "no B9 results", "middle", 14, "normal"));
            return svg.append("</svg>\n").toString();
        }
        // machine -> kind -> line -> points (platform threads: a line; virtual threads: loose markers)
        Map<String, Map<String, Map<Line, List<Point>>>> series = new LinkedHashMap<>();
        List<String> kinds = new ArrayList<>();
        TreeSet<Integer> threads = new TreeSet<>();
        TreeSet<Integer> virtualThreads = new TreeSet<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Row r : b9) {
            Matcher m = PARAM.matcher(r.param());
            if (!m.matches() || r.id().equals("B9c") != (m.group(2) != null)) {
                throw new IllegalArgumentException(r.id() + " row with unexpected parameter: " + r.param());
            }
            String kind = m.group(1);
            int t = Integer.parseInt(m.group(3));
            boolean virtual = r.id().equals("B9c");
            boolean handOff = r.id().equals("B9a") || "hand-off".equals(m.group(2));
            if (virtual) {
                virtualThreads.add(t);
            } else {
                threads.add(t);
            }
            if (!kinds.contains(kind)) {
                kinds.add(kind);
            }
            Map<Line, List<Point>> lines = series.computeIfAbsent(r.machine().label(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(kind, k -> new java.util.EnumMap<>(Line.class));
            int x = virtual ? 0 : t;
            lines.computeIfAbsent(handOff ? Line.HAND_OFF : Line.BARGING, k -> new ArrayList<>()).add(new Point(x, r.waitkit()));
            lines.computeIfAbsent(handOff ? Line.FAIR_PEER : Line.NON_FAIR_PEER, k -> new ArrayList<>())
                    .add(new Point(x, r.peerResult()));
            lo = Math.min(lo, Math.min(r.waitkit().min(), r.peerResult().min()));
            hi = Math.max(hi, Math.max(r.waitkit().max(), r.peerResult().max()));
        }
        double decLo = Math.floor(Math.log10(lo));
        double decHi = Math.ceil(Math.log10(hi));
        if (decHi <= decLo) {
            decHi = decLo + 1;
        }
        // x: log2 of the platform thread counts, one more step to the right for the virtual-thread column
        double tLo = threads.isEmpty() ? 0 : log2(threads.first());
        double tLast = threads.isEmpty() ? 0 : log2(threads.last());
        double vSlot = tLast + 1;
        double tHi = Math.max(virtualThreads.isEmpty() ? tLast : vSlot, tLo + 1);
        for (int panel = 0; panel < Math.min(2, kinds.size()); panel++) {
            String kind = kinds.get(panel);
            int x0 = LEFT[panel];
            svg.append(text(x0 + PANEL_W / 2.0, TOP - 12, kind, "middle", 13, "bold"));
            svg.append("<rect x=\"").append(x0).append("\" y=\"").append(TOP).append("\" width=\"").append(PANEL_W)
                    .append("\" height=\"").append(PANEL_H).append("\" fill=\"none\" stroke=\"#444\"/>\n");
            for (double d = decLo; d <= decHi + 1e-9; d++) {
                double y = y(Math.pow(10, d), decLo, decHi);
                svg.append(line(x0, y, x0 + PANEL_W, y, "#ddd", "")).append(text(x0 - 6, y + 4, label(Math.pow(10, d)), "end", 11, "normal"));
            }
            for (int t : threads) {
                double x = x(x0, log2(t), tLo, tHi);
                svg.append(line(x, TOP, x, TOP + PANEL_H, "#eee", ""))
                        .append(text(x, TOP + PANEL_H + 16, Integer.toString(t), "middle", 11, "normal"));
            }
            if (!virtualThreads.isEmpty()) {
                double x = x(x0, vSlot, tLo, tHi);
                double sep = x(x0, vSlot - 0.5, tLo, tHi);
                svg.append(line(sep, TOP, sep, TOP + PANEL_H, "#999", " stroke-dasharray=\"3,3\""))
                        .append(text(x, TOP + PANEL_H + 16, virtualThreads.first() + " virtual", "middle", 11, "normal"));
            }
            svg.append(text(x0 + PANEL_W / 2.0, TOP + PANEL_H + 34, "threads", "middle", 12, "normal"));
            int machineIndex = 0;
            for (Map<String, Map<Line, List<Point>>> byKind : series.values()) {
                Map<Line, List<Point>> lines = byKind.get(kind);
                for (Map.Entry<Line, List<Point>> le : lines == null ? List.<Map.Entry<Line, List<Point>>>of()
                        : lines.entrySet()) {
                    String colour = le.getKey().colour;
                    List<Point> pts = new ArrayList<>(le.getValue());
                    pts.sort((a, b) -> Integer.compare(a.threads(), b.threads()));
                    StringBuilder path = new StringBuilder();
                    for (Point p : pts) {
                        boolean virtual = p.threads() == 0;
                        double x = x(x0, virtual ? vSlot : log2(p.threads()), tLo, tHi);
                        double y = y(p.stats().median(), decLo, decHi);
                        svg.append(line(x, y(p.stats().min(), decLo, decHi), x, y(p.stats().max(), decLo, decHi), colour, ""));
                        svg.append(marker(machineIndex, x, y, colour, !virtual));
                        if (!virtual) {
                            path.append(path.isEmpty() ? "M" : " L").append(f(x)).append(',').append(f(y));
                        }
                    }
                    if (!path.isEmpty()) {
                        svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour)
                                .append("\" stroke-width=\"2\"").append(machineIndex == 0 ? "" : " stroke-dasharray=\"6,4\"")
                                .append("/>\n");
                    }
                }
                machineIndex++;
            }
        }
        // legend: the four lines in two columns, then one line per machine
        double ly = TOP + PANEL_H + 58;
        Line[] all = Line.values();
        for (int i = 0; i < all.length; i++) {
            double lx = LEFT[0] + (i % 2) * 480;
            double y = ly + (i / 2) * 18;
            svg.append(line(lx, y - 4, lx + 24, y - 4, all[i].colour, " stroke-width=\"2\""))
                    .append(text(lx + 30, y, all[i].label, "start", 12, "normal"));
        }
        int machineIndex = 0;
        for (String machine : series.keySet()) {
            double y = ly + 40 + 18 * machineIndex;
            svg.append(marker(machineIndex, LEFT[0] + 12, y - 4, "#333", true))
                    .append(text(LEFT[0] + 30, y, machine + (machineIndex == 0 ? " (solid lines)" : " (dashed lines)"),
                            "start", 12, "normal"));
            machineIndex++;
        }
        svg.append(text(W - 10, H - 8, "error bars: min-max of the measurement iterations; open markers: virtual threads"
                + " (B9c)", "end", 10, "normal"));
        return svg.append("</svg>\n").toString();
    }

    private static double x(int x0, double slot, double tLo, double tHi) {
        return x0 + 20 + (slot - tLo) / (tHi - tLo) * (PANEL_W - 40);
    }

    private static double log2(int t) {
        return Math.log(t) / Math.log(2);
    }

    private static double y(double v, double decLo, double decHi) {
        return TOP + PANEL_H - (Math.log10(v) - decLo) / (decHi - decLo) * PANEL_H;
    }

    private static String label(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String marker(int machine, double x, double y, String colour, boolean filled) {
        String paint = filled ? "fill=\"" + colour + "\"" : "fill=\"white\" stroke=\"" + colour + "\" stroke-width=\"2\"";
        if (machine % 2 == 0) {
            return "<circle cx=\"" + f(x) + "\" cy=\"" + f(y) + "\" r=\"4\" " + paint + "/>\n";
        }
        return "<rect x=\"" + f(x - 4) + "\" y=\"" + f(y - 4) + "\" width=\"8\" height=\"8\" " + paint + "/>\n";
    }

    private static String line(double x1, double y1, double x2, double y2, String colour, String extra) {
        return "<line x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\"" + f(y2) + "\" stroke=\""
                + colour + "\"" + extra + "/>\n";
    }

    private static String text(double x, double y, String s, String anchor, int size, String weight) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" + size
                + "\" font-weight=\"" + weight + "\">" + s.replace("&", "&amp;").replace("<", "&lt;") + "</text>\n";
    }

    private static String f(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
