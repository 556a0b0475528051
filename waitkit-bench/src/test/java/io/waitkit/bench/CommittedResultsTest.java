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
 * render to, and {@code latest.json} must cover the whole catalogue in report mode: the JSON
 * and the markdown never disagree, and the report is never silently partial.
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
    void latestJsonHoldsOneReportModeRowForEveryComparisonOfTheSuite() throws Exception {
        List<Row> rows = Row.fromJsonList(Json.parse(Files.readString(RESULTS.resolve(Render.LATEST))));
        Set<String> have = new HashSet<>();
        for (Row r : rows) {
            assertEquals("report", r.mode(), r.id() + " " + r.param());
            assertTrue(have.add(r.id() + "|" + r.param() + "|" + r.peer()), "duplicate row " + r.id() + " " + r.param());
        }
        Set<String> want = new HashSet<>();
        for (Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
            want.add(c.id() + "|" + c.param() + "|" + c.peer());
        }
        assertEquals(want, have);
    }
}
