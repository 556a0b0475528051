package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.bench.Suite.Comparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code BENCHMARKS.md} and plot must be exactly what the committed result files
 * render to, {@code latest.json} must hold only report-mode rows of comparisons the suite makes,
 * and every comparison it has no row for yet must be named in the markdown: the JSON and the
 * markdown never disagree, and the report is never silently partial.
 */
class CommittedResultsTest {
    private static final Path RESULTS = Path.of("results");
    private static final Path MARKDOWN = Path.of("..", "BENCHMARKS.md");

    @Test
    void committedMarkdownAndPlotAreExactlyWhatTheCommittedJsonRendersTo() throws Exception {
        Render.Rendered r = Render.rendered(RESULTS, MARKDOWN);
        assertEquals(r.markdown(), Files.readString(MARKDOWN),
                "BENCHMARKS.md differs from what results/*.json renders to: run waitkit-bench/run.sh render");
        assertEquals(r.svg(), Files.readString(RESULTS.resolve(Render.PLOT)),
                "results/b9.svg differs from what results/*.json renders to: run waitkit-bench/run.sh render");
    }

    @Test
    void latestJsonHoldsOnlyReportModeRowsOfComparisonsOfTheSuiteEachOnce() throws Exception {
        List<Row> rows = Row.fromJsonList(Json.parse(Files.readString(RESULTS.resolve(Render.LATEST))));
        Set<String> want = new HashSet<>();
        for (Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
            want.add(Render.key(c.id(), c.param(), c.peer()));
        }
        Set<String> have = new HashSet<>();
        for (Row r : rows) {
            String key = Render.key(r.id(), r.param(), r.peer());
            assertEquals("report", r.mode(), key);
            assertTrue(have.add(key), "duplicate row " + key);
            assertTrue(want.contains(key), "a row of a comparison the suite no longer makes: " + key);
        }
    }

    @Test
    void theCommittedMarkdownNamesEveryComparisonThatLatestJsonHasNoRowFor() throws Exception {
        List<Row> rows = Row.fromJsonList(Json.parse(Files.readString(RESULTS.resolve(Render.LATEST))));
        Set<String> have = new HashSet<>();
        rows.forEach(r -> have.add(Render.key(r.id(), r.param(), r.peer())));
        String md = Files.readString(MARKDOWN);
        boolean any = false;
        for (Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
            if (!have.contains(Render.key(c.id(), c.param(), c.peer()))) {
                any = true;
                String line = "- " + c.id() + (c.param().isEmpty() ? "" : ", " + c.param()) + " vs " + c.peer();
                assertTrue(md.contains(line), "BENCHMARKS.md does not list the missing row: " + line);
            }
        }
        assertEquals(any, md.contains("**Not measured yet:**"));
    }
}
