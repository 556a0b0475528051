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
 * count, one panel for the mutex and one for the semaphore, waitkit and peer as lines with
 * min-max error bars, one marker shape per machine. Logarithmic axes (threads 1, 2, 4, ...;
 * throughput in decades), since the sides may differ by orders of magnitude.
 */
final class SvgPlot {
    private static final Pattern PARAM = Pattern.compile("(\\w+), threads=(\\d+)");
    private static final int W = 980;
    private static final int H = 470;
    private static final int PANEL_W = 400;
    private static final int PANEL_H = 300;
    private static final int TOP = 60;
    private static final int[] LEFT = {80, 560};
    private static final String WAITKIT = "#c0392b";
    private static final String PEER = "#2471a3";

    private SvgPlot() {
    }

    /** One point: threads and the waitkit or peer statistics. */
    private record Point(int threads, Stats stats) {
    }

    static String b9(List<Row> rows) {
        List<Row> b9 = rows.stream().filter(r -> r.id().equals("B9")).toList();
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
        // machine -> kind -> side -> points
        Map<String, Map<String, Map<String, List<Point>>>> series = new LinkedHashMap<>();
        Map<String, String> peers = new LinkedHashMap<>();
        TreeSet<Integer> threads = new TreeSet<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Row r : b9) {
            Matcher m = PARAM.matcher(r.param());
            if (!m.matches()) {
                throw new IllegalArgumentException("B9 row with unexpected parameter: " + r.param());
            }
            String kind = m.group(1);
            int t = Integer.parseInt(m.group(2));
            threads.add(t);
            peers.put(kind, r.peer());
            String machine = r.machine().label();
            Map<String, List<Point>> sides = series.computeIfAbsent(machine, k -> new LinkedHashMap<>())
                    .computeIfAbsent(kind, k -> new LinkedHashMap<>());
            sides.computeIfAbsent("waitkit", k -> new ArrayList<>()).add(new Point(t, r.waitkit()));
            sides.computeIfAbsent("peer", k -> new ArrayList<>()).add(new Point(t, r.peerResult()));
            lo = Math.min(lo, Math.min(r.waitkit().min(), r.peerResult().min()));
            hi = Math.max(hi, Math.max(r.waitkit().max(), r.peerResult().max()));
        }
        double decLo = Math.floor(Math.log10(lo));
        double decHi = Math.ceil(Math.log10(hi));
        if (decHi <= decLo) {
            decHi = decLo + 1;
        }
        double tLo = log2(threads.first());
        double tHi = Math.max(log2(threads.last()), tLo + 1);
        List<String> kinds = new ArrayList<>(peers.keySet());
        for (int panel = 0; panel < Math.min(2, kinds.size()); panel++) {
            String kind = kinds.get(panel);
            int x0 = LEFT[panel];
            String title = kind + " vs " + peers.get(kind).replace("java.util.concurrent.", "j.u.c.");
            svg.append(text(x0 + PANEL_W / 2.0, TOP - 12, title, "middle", 13, "bold"));
            svg.append("<rect x=\"").append(x0).append("\" y=\"").append(TOP).append("\" width=\"").append(PANEL_W)
                    .append("\" height=\"").append(PANEL_H).append("\" fill=\"none\" stroke=\"#444\"/>\n");
            for (double d = decLo; d <= decHi + 1e-9; d++) {
                double y = y(Math.pow(10, d), decLo, decHi);
                svg.append(line(x0, y, x0 + PANEL_W, y, "#ddd", "")).append(text(x0 - 6, y + 4, label(Math.pow(10, d)), "end", 11, "normal"));
            }
            for (int t : threads) {
                double x = x0 + (log2(t) - tLo) / (tHi - tLo) * PANEL_W;
                svg.append(line(x, TOP, x, TOP + PANEL_H, "#eee", ""))
                        .append(text(x, TOP + PANEL_H + 16, Integer.toString(t), "middle", 11, "normal"));
            }
            svg.append(text(x0 + PANEL_W / 2.0, TOP + PANEL_H + 34, "threads", "middle", 12, "normal"));
            int machineIndex = 0;
            for (Map.Entry<String, Map<String, Map<String, List<Point>>>> me : series.entrySet()) {
                Map<String, List<Point>> sides = me.getValue().get(kind);
                if (sides != null) {
                    for (Map.Entry<String, List<Point>> se : sides.entrySet()) {
                        String colour = se.getKey().equals("waitkit") ? WAITKIT : PEER;
                        List<Point> pts = new ArrayList<>(se.getValue());
                        pts.sort((a, b) -> Integer.compare(a.threads(), b.threads()));
                        StringBuilder path = new StringBuilder();
                        for (Point p : pts) {
                            double x = x0 + (log2(p.threads()) - tLo) / (tHi - tLo) * PANEL_W;
                            path.append(path.isEmpty() ? "M" : " L").append(f(x)).append(',')
                                    .append(f(y(p.stats().median(), decLo, decHi)));
                            svg.append(line(x, y(p.stats().min(), decLo, decHi), x, y(p.stats().max(), decLo, decHi), colour, ""));
                            svg.append(marker(machineIndex, x, y(p.stats().median(), decLo, decHi), colour));
                        }
                        svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour)
                                .append("\" stroke-width=\"2\"").append(machineIndex == 0 ? "" : " stroke-dasharray=\"6,4\"")
                                .append("/>\n");
                    }
                }
                machineIndex++;
            }
        }
        // legend
        double ly = TOP + PANEL_H + 62;
        svg.append(line(LEFT[0], ly - 4, LEFT[0] + 24, ly - 4, WAITKIT, " stroke-width=\"2\""))
                .append(text(LEFT[0] + 30, ly, "waitkit (Mutex, Semaphore)", "start", 12, "normal"));
        svg.append(line(LEFT[0] + 250, ly - 4, LEFT[0] + 274, ly - 4, PEER, " stroke-width=\"2\""))
                .append(text(LEFT[0] + 280, ly, "peer (ReentrantLock, j.u.c.Semaphore)", "start", 12, "normal"));
        int machineIndex = 0;
        for (String machine : series.keySet()) {
            double y = ly + 22 + 18 * machineIndex;
            svg.append(marker(machineIndex, LEFT[0] + 12, y - 4, "#333"))
                    .append(text(LEFT[0] + 30, y, machine + (machineIndex == 0 ? " (solid lines)" : " (dashed lines)"),
                            "start", 12, "normal"));
            machineIndex++;
        }
        svg.append(text(W - 10, H - 8, "error bars: min-max of the measurement iterations", "end", 10, "normal"));
        return svg.append("</svg>\n").toString();
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

    private static String marker(int machine, double x, double y, String colour) {
        if (machine % 2 == 0) {
            return "<circle cx=\"" + f(x) + "\" cy=\"" + f(y) + "\" r=\"4\" fill=\"" + colour + "\"/>\n";
        }
        return "<rect x=\"" + f(x - 4) + "\" y=\"" + f(y - 4) + "\" width=\"8\" height=\"8\" fill=\"" + colour + "\"/>\n";
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
