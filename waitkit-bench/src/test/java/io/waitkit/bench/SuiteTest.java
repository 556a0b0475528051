package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.bench.Suite.Bench;
import io.waitkit.bench.Suite.Comparison;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/** The catalogue must only name benchmarks that JMH generated, and pair every row's two sides. */
class SuiteTest {

    @Test
    void everyMeasurementNamesABenchmarkInJmhsGeneratedList() throws IOException {
        try (InputStream in = SuiteTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is missing: did the JMH annotation processor run (-proc:full)?");
        }
        Set<String> names = new HashSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().getAll(
                OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())) {
            names.add(e.getUsername());
        }
        for (Bench b : Suite.benches(Suite.B9_THREADS)) {
            assertTrue(names.contains(b.benchmark()), "no JMH benchmark " + b.benchmark() + " in " + names);
        }
    }

    @Test
    void everyComparisonPairsTwoDistinctMeasurementsThatTheSuiteTakes() {
        Set<String> keys = new HashSet<>();
        for (Bench b : Suite.benches(Suite.B9_THREADS)) {
            assertTrue(keys.add(b.key()), "duplicate measurement " + b.key());
        }
        for (String gate : List.of("event", "latch")) {
            for (String metric : Suite.B6_METRICS.keySet()) {
                keys.add(Suite.b6Key(gate, metric));
            }
        }
        for (B7Harness.Side side : B7Harness.Side.values()) {
            keys.add(side.key());
        }
        for (B8Harness.Side side : B8Harness.Side.values()) {
            keys.add(side.key());
        }
        for (B10Harness.Side side : B10Harness.Side.values()) {
            keys.add(side.key());
        }
        for (B11Harness.Side side : B11Harness.sides()) {
            keys.add(side.key());
        }
        Set<String> rows = new HashSet<>();
        for (Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
            assertTrue(keys.contains(c.subjectKey()), c.subjectKey());
            assertTrue(keys.contains(c.peerKey()), c.peerKey());
            assertTrue(!c.subjectKey().equals(c.peerKey()), c.id());
            assertTrue(rows.add(c.id() + "|" + c.param() + "|" + c.peer()), "duplicate row " + c);
        }
    }

    @Test
    void theSuiteCoversTheInProcessIdsOfSpecSection10AndTheCrossProcessB7AndB8() {
        Set<String> ids = new HashSet<>();
        Suite.comparisons(Suite.B9_THREADS).forEach(c -> ids.add(c.id()));
        assertEquals(Set.of("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9a", "B9b", "B9c", "B9s", "B10", "B11"), ids);
    }

    @Test
    void b7ComparesBothThreadKindsWithBothCVariantsAndTheSocket() {
        List<Comparison> b7 = Suite.comparisons(Suite.B9_THREADS).stream().filter(c -> c.id().equals("B7")).toList();
        assertEquals(6, b7.size());
        for (Comparison c : b7) {
            B7Harness.Side subject = B7Harness.Side.ofKey(c.subjectKey());
            B7Harness.Side peer = B7Harness.Side.ofKey(c.peerKey());
            assertTrue(subject == B7Harness.Side.EVENT_PLATFORM || subject == B7Harness.Side.EVENT_VIRTUAL, c.toString());
            assertEquals(peer == B7Harness.Side.SOCKET ? 0.5 : 1.5, c.target(), c.toString());
            assertEquals(Row.Direction.LOWER, c.direction());
        }
    }

    @Test
    void b8ComparesTheNamedMessageQueueWithPosixAndAgronaForThroughput() {
        List<Comparison> b8 = Suite.comparisons(Suite.B9_THREADS).stream().filter(c -> c.id().equals("B8")).toList();
        assertEquals(2, b8.size());
        for (Comparison c : b8) {
            assertEquals(B8Harness.Side.WAITKIT, B8Harness.Side.ofKey(c.subjectKey()), c.toString());
            B8Harness.Side peer = B8Harness.Side.ofKey(c.peerKey());
            assertEquals(peer == B8Harness.Side.POSIX ? 1.0 : 0.5, c.target(), c.toString());
            assertEquals(Row.Direction.HIGHER, c.direction());
        }
        assertTrue(b8.get(1).peer().contains("BackoffIdleStrategy"), "the Agrona row names its idle strategy");
    }

    @Test
    void b10ComparesTheLauncherWithTheJvmFloorAndWithAPlainJavaRun() {
        List<Comparison> b10 = Suite.comparisons(Suite.B9_THREADS).stream().filter(c -> c.id().equals("B10")).toList();
        assertEquals(4, b10.size());
        for (Comparison c : b10) {
            B10Harness.Side subject = B10Harness.Side.ofKey(c.subjectKey());
            B10Harness.Side peer = B10Harness.Side.ofKey(c.peerKey());
            assertTrue(subject == B10Harness.Side.EVENT_LAUNCHER || subject == B10Harness.Side.SEM_LAUNCHER, c.toString());
            assertEquals(peer == B10Harness.Side.FLOOR ? 1.5 : 1.0, c.target(), c.toString());
            assertEquals(Row.Direction.LOWER, c.direction());
        }
    }

    @Test
    void b11ComparesEachZooKeeperPrimitiveWithItsCuratorRecipeUncontendedAndContended() {
        List<Comparison> b11 = Suite.comparisons(Suite.B9_THREADS).stream().filter(c -> c.id().equals("B11")).toList();
        assertEquals(B11Harness.Primitive.values().length * B11Harness.CLIENTS.size(), b11.size());
        Set<String> params = new HashSet<>();
        for (Comparison c : b11) {
            B11Harness.Side subject = B11Harness.Side.ofKey(c.subjectKey());
            B11Harness.Side peer = B11Harness.Side.ofKey(c.peerKey());
            assertEquals(B11Harness.Impl.WAITKIT, subject.impl(), c.toString());
            assertEquals(B11Harness.Impl.CURATOR, peer.impl(), c.toString());
            assertEquals(subject.primitive(), peer.primitive(), c.toString());
            assertEquals(subject.clients(), peer.clients(), c.toString());
            assertEquals(1.2, c.target(), c.toString());
            assertEquals(Row.Direction.LOWER, c.direction());
            assertTrue(c.peer().contains(Suite.B11_CURATOR), c.peer());
            params.add(c.param());
        }
        assertEquals(b11.size(), params.size());
        assertTrue(B11Harness.CLIENTS.contains(1) && B11Harness.CLIENTS.stream().anyMatch(n -> n > 1),
                "an uncontended and a contended row");
    }

    @Test
    void b11SideKeysRoundTripAndForeignKeysAreRefused() {
        for (B11Harness.Side s : B11Harness.sides()) {
            assertEquals(s, B11Harness.Side.ofKey(s.key()));
        }
        for (String bad : List.of("B10.floor", "B11.mutex.waitkit", "B11.latch.waitkit.c1", "B11.mutex.zk.c1",
                "B11.mutex.waitkit.x1", "B11.mutex.waitkit.c0")) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> B11Harness.Side.ofKey(bad), bad);
        }
    }

    @Test
    void b11NamesTheCuratorVersionOnTheClassPath() {
        Package p = org.apache.curator.framework.recipes.locks.InterProcessMutex.class.getPackage();
        String version = p.getImplementationVersion();
        if (version == null) { // the shaded or exploded class path may drop the manifest: read the pom properties
            try (InputStream in = org.apache.curator.framework.recipes.locks.InterProcessMutex.class.getResourceAsStream(
                    "/META-INF/maven/org.apache.curator/curator-recipes/pom.properties")) {
                java.util.Properties props = new java.util.Properties();
                if (in != null) {
                    props.load(in);
                }
                version = props.getProperty("version");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        assertEquals(Suite.B11_CURATOR, version);
    }

    @Test
    void b9RunsAtTheRequestedThreadCountsAndB9sOnlyUpToFour() {
        List<Comparison> b9 = Suite.comparisons(List.of(1, 32)).stream().filter(c -> c.id().startsWith("B9")).toList();
        assertEquals(4, b9.stream().filter(c -> c.id().equals("B9a")).count());
        assertEquals(4, b9.stream().filter(c -> c.id().equals("B9b")).count());
        assertEquals(4, b9.stream().filter(c -> c.id().equals("B9c")).count());
        assertEquals(List.of("SpinLock, threads=1"), b9.stream().filter(c -> c.id().equals("B9s")).map(Comparison::param)
                .toList());
        assertTrue(Suite.benches(List.of(32)).stream().anyMatch(b -> b.threads() == 32));
    }

    @Test
    void b9aComparesHandOffWithTheFairPeersAndB9bBargingWithTheNonFairOnes() {
        for (Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
            boolean handOff = c.id().equals("B9a") || c.param().contains("hand-off");
            if (c.id().equals("B9a") || c.id().equals("B9b") || c.id().equals("B9c")) {
                assertEquals(handOff, c.peer().contains("(fair)"), c.toString());
                assertEquals(handOff, !c.subjectKey().contains("barging"), c.toString());
                assertEquals(handOff ? 1.0 : 0.9, c.target(), c.toString());
                assertEquals(Row.Direction.HIGHER, c.direction());
            }
        }
    }

    @Test
    void b9cCountsTheVirtualThreadsOfBothSidesWithTheB9VirtualHarness() {
        Set<String> virtualKeys = new HashSet<>();
        for (Comparison c : Suite.comparisons(Suite.B9_THREADS)) {
            if (c.id().equals("B9c")) {
                virtualKeys.add(c.subjectKey());
                virtualKeys.add(c.peerKey());
            }
        }
        assertEquals(8, virtualKeys.size());
        for (Bench b : Suite.benches(Suite.B9_THREADS)) {
            boolean virtual = virtualKeys.contains(b.key());
            assertEquals(virtual, b.benchmark().endsWith("B9Virtual.tick"), b.key());
            if (virtual) {
                assertEquals("ops", b.metric(), b.key());
                assertTrue(Suite.B9_METHODS.contains(b.params().get("lock")), b.key());
            }
        }
    }

    @Test
    void b4SignalledBeforeIsComparedWithATryAcquireLoopAtEveryN() {
        List<Comparison> b4 = Suite.comparisons(Suite.B9_THREADS).stream()
                .filter(c -> c.id().equals("B4") && c.param().endsWith("signalled before")).toList();
        assertEquals(List.of("n=1, signalled before", "n=8, signalled before", "n=64, signalled before"),
                b4.stream().map(Comparison::param).toList());
        for (Comparison c : b4) {
            assertTrue(c.peerKey().startsWith("B4.tryAcquireLoop."), c.toString());
            assertEquals(c.subjectKey().substring(c.subjectKey().lastIndexOf('.')),
                    c.peerKey().substring(c.peerKey().lastIndexOf('.')), "same n on both sides: " + c);
            assertEquals(1.0, c.target(), c.toString());
            assertEquals(Row.Direction.LOWER, c.direction());
        }
    }

    @Test
    void onlyB9SelectsEveryB9IdAndIdsAreMatchedWhateverTheirCase() throws Exception {
        List<Comparison> all = Suite.comparisons(Suite.B9_THREADS);
        Set<String> ids = new HashSet<>();
        Report.select(all, "B9").forEach(c -> ids.add(c.id()));
        assertEquals(Set.of("B9a", "B9b", "B9c", "B9s"), ids);
        ids.clear();
        Report.select(all, "b9c,B1").forEach(c -> ids.add(c.id()));
        assertEquals(Set.of("B9c", "B1"), ids);
        org.junit.jupiter.api.Assertions.assertThrows(Report.UsageException.class, () -> Report.select(all, "B9z"));
        org.junit.jupiter.api.Assertions.assertThrows(Report.UsageException.class, () -> Report.select(all, "B1,B99"));
    }
}
