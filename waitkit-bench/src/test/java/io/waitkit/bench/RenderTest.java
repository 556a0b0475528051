package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.bench.Row.Direction;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderTest {

    /** B9a and B9b rows for both primitives at 1, 2 and 4 threads, and the four B9c rows: 16 rows. */
    private static List<Row> b9(Machine m) {
        List<Row> rows = new ArrayList<>();
        for (String id : List.of("B9a", "B9b")) {
            double target = id.equals("B9a") ? 1.0 : 0.9;
            for (int t : List.of(1, 2, 4)) {
                rows.add(Row.of(id, "Mutex, threads=" + t, "Mutex", "ReentrantLock", Direction.HIGHER, target, "ops/us",
                        Stats.of(List.of(10.0 / t, 12.0 / t)), Stats.of(List.of(20.0, 22.0)), null, m, "s", "report", "d"));
                rows.add(Row.of(id, "Semaphore, threads=" + t, "Semaphore", "j.u.c.Semaphore", Direction.HIGHER, target,
                        "ops/us", Stats.of(List.of(0.01 * t, 0.02 * t)), Stats.of(List.of(20.0, 22.0)), null, m, "s",
                        "report", "d"));
            }
        }
        for (String kind : List.of("Mutex", "Semaphore")) {
            for (String mode : List.of("hand-off", "barging")) {
                rows.add(Row.of("B9c", kind + ", " + mode + ", virtual threads=100", kind, "peer", Direction.HIGHER, 1.0,
                        "ops/us", Stats.of(List.of(1.0, 2.0)), Stats.of(List.of(2.0, 5.0)), null, m, "s", "report", "d"));
            }
        }
        return rows;
    }

    private static void write(Path dir, String name, List<Row> rows) throws Exception {
        Files.writeString(dir.resolve(name), Json.write(Row.toJson(rows)));
    }

    @Test
    void markdownTablesCarryTheFiguresRatiosAndMachineOfEveryRow(@TempDir Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        rows.add(StatsAndRowTest.row("B1", "", Direction.LOWER, 1.0, 20, 10, new Row.Alloc(0.0, 0.0, true)));
        rows.addAll(b9(StatsAndRowTest.MACHINE));
        write(dir, Render.LATEST, rows);
        Render.Rendered r = Render.rendered(dir, dir.resolve("BENCHMARKS.md"));
        String md = r.markdown();
        assertTrue(md.contains("| B1 | - | peer | 2.00× ("), md);
        assertTrue(md.contains("20.0 ns/op (18.0-24.0)"), md);
        assertTrue(md.contains("≤ 1.00×, 0 B/op | **no**"), md);
        assertTrue(md.contains("2 cores, Test CPU"), md);
        assertTrue(md.contains("0 of 17 targets met"), md);
        assertTrue(md.contains("B9 on many cores: no results yet"), md);
        assertTrue(md.contains("](b9.svg)"), md);
    }

    @Test
    void aB9FileFromASixteenCoreMachineIsMergedIntoTheTablesAndThePlot(@TempDir Path dir) throws Exception {
        write(dir, Render.LATEST, b9(StatsAndRowTest.MACHINE));
        Machine big = new Machine(16, "Big CPU", "JDK 25", "Linux");
        write(dir, "b9-16c-big.json", b9(big));
        Render.Rendered r = Render.rendered(dir, dir.resolve("BENCHMARKS.md"));
        assertFalse(r.markdown().contains("no results yet"));
        assertTrue(r.markdown().contains("16 cores, Big CPU"));
        assertTrue(r.markdown().contains("`b9-16c-big.json`"));
        assertTrue(r.svg().contains("16 cores, Big CPU"));
        assertTrue(r.svg().contains("2 cores, Test CPU"));
    }

    @Test
    void thePlotIsWellFormedSvg(@TempDir Path dir) throws Exception {
        write(dir, Render.LATEST, b9(StatsAndRowTest.MACHINE));
        String svg = Render.rendered(dir, dir.resolve("BENCHMARKS.md")).svg();
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(2 * 4, doc.getElementsByTagName("path").getLength(),
                "hand-off, fair peer, barging and non-fair peer lines in two panels");
        assertTrue(svg.contains("100 virtual"), "the B9c column is labelled");
        assertTrue(svg.contains("fill=\"white\" stroke=\"#c0392b\""), "B9c hand-off points are open markers");
    }

    @Test
    void theComparisonsOfTheSuiteThatLatestJsonLacksAreListedAsNotMeasuredYet(@TempDir Path dir) throws Exception {
        write(dir, Render.LATEST, b9(StatsAndRowTest.MACHINE));
        String md = Render.rendered(dir, dir.resolve("BENCHMARKS.md")).markdown();
        assertTrue(md.contains("**Not measured yet:**"), md);
        assertTrue(md.contains("- B4, n=64, signalled before vs tryAcquire()"), md);
        assertTrue(md.contains("- B9s, SpinLock, threads=4 vs ReentrantLock (non-fair) (target ≥ 0.90×)"), md);
    }

    @Test
    void aLatestJsonWithARowForEveryComparisonListsNothingAsNotMeasured(@TempDir Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Suite.Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
            rows.add(Row.of(c.id(), c.param(), c.what(), c.peer(), c.direction(), c.target(), "ops/us",
                    Stats.of(List.of(1.0, 2.0)), Stats.of(List.of(1.0, 2.0)), null, StatsAndRowTest.MACHINE, "s", "report",
                    "d"));
        }
        write(dir, Render.LATEST, rows);
        Render.Rendered r = Render.rendered(dir, dir.resolve("BENCHMARKS.md"));
        assertFalse(r.markdown().contains("Not measured yet"), r.markdown());
        assertTrue(r.svg().contains("<path"), "the B9a and B9b rows of the suite are plotted");
    }

    @Test
    void renderingIsDeterministic(@TempDir Path dir) throws Exception {
        write(dir, Render.LATEST, b9(StatsAndRowTest.MACHINE));
        assertEquals(Render.rendered(dir, dir.resolve("x.md")), Render.rendered(dir, dir.resolve("x.md")));
    }
}
