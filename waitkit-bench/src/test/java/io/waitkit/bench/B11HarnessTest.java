package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.bench.B11Harness.Impl;
import io.waitkit.bench.B11Harness.Primitive;
import io.waitkit.bench.B11Harness.Side;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * B11 runs briefly in its real child JVM against a real in-JVM ensemble: every side of one
 * round comes back with its samples and a request count, and the counts are what the recipes
 * send (so the count the rows report is trustworthy, and waitkit's uncontended mutex makes no
 * more requests than Curator's).
 */
class B11HarnessTest {

    @Test
    void oneChildMeasuresBothMutexSidesOnOneEnsembleAndCountsTheirRequests() throws Exception {
        Side waitkit = new Side(Primitive.MUTEX, Impl.WAITKIT, 1);
        Side curator = new Side(Primitive.MUTEX, Impl.CURATOR, 1);
        B11Harness.Plan plan = new B11Harness.Plan(300, 2, 300, List.of("-Xmx256m", "-XX:+UseSerialGC"));
        StringBuilder log = new StringBuilder();
        Map<Side, B11Harness.Result> r = B11Harness.run(List.of(waitkit, curator), plan, log);
        assertEquals(List.of(waitkit, curator), List.copyOf(r.keySet()), log::toString);
        for (B11Harness.Result x : r.values()) {
            assertEquals(2, x.samplesMs().size(), log::toString);
            assertTrue(x.ops() > 0 && x.samplesMs().stream().allMatch(v -> v > 0), log::toString);
        }
        // Curator's InterProcessMutex: create the lock node, list the children, delete the node
        double peer = r.get(curator).requestsPerOp();
        assertTrue(peer > 2.9 && peer < 3.1, "Curator's mutex sent " + peer + " requests per lock + unlock");
        // ZkMutex, uncontended: no more than Curator's (the claim creates the owner marker with
        // the lock node, the release deletes both in one transaction)
        double mine = r.get(waitkit).requestsPerOp();
        assertTrue(mine > 2.9 && mine < 3.1, "ZkMutex sent " + mine + " requests per lock + unlock");
    }

    @Test
    void theRowsSettingsNameTheRequestCountsOfTheSidesMeasured() {
        B11Harness.Plan plan = B11Harness.Plan.of(Settings.REPORT);
        String d = B11Harness.describe(plan, 3, Map.of(new Side(Primitive.SEMAPHORE, Impl.CURATOR, 4), 10.0));
        assertTrue(d.contains("semaphore curator 4 clients 10.00"), d);
        assertTrue(d.contains("median of all " + 3 * plan.samples() + " samples"), d);
        assertTrue(!B11Harness.describe(plan, 3, Map.of()).contains("requests per operation"));
    }
}
