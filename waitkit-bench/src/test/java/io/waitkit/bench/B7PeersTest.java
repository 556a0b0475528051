package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waitkit.bench.B7Harness.Side;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every side of B7 runs briefly in its real processes and yields positive, finite times: the C
 * peer (built with gcc, skipped where there is none), the Unix-domain socket peer and the named
 * events on both kinds of thread. No figure is compared with another: these only keep the
 * benchmark from rotting.
 */
class B7PeersTest {
    /** 50 ms warm-up, two samples of 50 ms; small heaps, the machine may be running other tests. */
    private static final B7Harness.Plan BRIEF = new B7Harness.Plan(50, 2, 50, List.of("-Xmx128m", "-XX:+UseSerialGC"));

    private static void measuresBriefly(Side side, Path cProgram) throws Exception {
        StringBuilder log = new StringBuilder();
        B7Harness.Result r = B7Harness.run(side, BRIEF, cProgram, log);
        assertEquals(BRIEF.samples(), r.samplesNs().size(), log::toString);
        for (double ns : r.samplesNs()) {
            assertTrue(ns > 0 && Double.isFinite(ns), () -> side + ": " + ns + " ns\n" + log);
        }
        assertTrue(r.roundTrips() > 0, log::toString);
    }

    @Test
    void theCFutexPeerBuildsWithGccAndMeasuresBothVariants() throws Exception {
        String why = B7Harness.cUnavailable();
        assumeTrue(why == null, () -> "B7 C peer skipped: " + why);
        Path program = B7Harness.compileC(B7Harness.buildDirectory());
        measuresBriefly(Side.C_SPIN, program);
        measuresBriefly(Side.C_WAIT, program);
    }

    @Test
    void theUnixDomainSocketPeerMeasures() throws Exception {
        measuresBriefly(Side.SOCKET, null);
    }

    @Test
    void theNamedEventPingPongMeasuresOnPlatformAndVirtualThreads() throws Exception {
        measuresBriefly(Side.EVENT_PLATFORM, null);
        measuresBriefly(Side.EVENT_VIRTUAL, null);
    }

    @Test
    void theCPeerSpinsAsOftenAsTheRowsSay() throws Exception {
        try (var in = B7Harness.class.getResourceAsStream(B7Harness.C_SOURCE)) {
            assertTrue(in != null, "the C source is not packaged next to B7Harness");
            String src = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(src.contains("#define SPINS " + Suite.B7_C_SPINS + "\n"), "SPINS differs from Suite.B7_C_SPINS");
        }
    }

    @Test
    void aMissingCCompilerIsAReasonNotAFailure() {
        String why = B7Harness.cUnavailable();
        assertTrue(why == null || why.contains("gcc") || why.contains("Linux"), why);
    }
}
