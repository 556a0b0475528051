package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waitkit.bench.B8Harness.Side;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every side of B8 runs briefly in its real processes, passes the whole checked message stream and
 * yields positive, finite rates: the POSIX queue peer (built with gcc, skipped where there is none
 * or no POSIX queues), the Agrona ring buffer and the waitkit NamedMessageQueue, all at the
 * capacity chosen for this machine. No figure is compared with another: these only keep the
 * benchmark from rotting and show that the consumers check what they receive.
 */
class B8PeersTest {
    /** 2,000 warm-up messages, two samples of 5,000; small heaps, the machine may be running other tests. */
    private static B8Harness.Plan brief() {
        return new B8Harness.Plan(2_000, 2, 5_000, B8Harness.capacity().messages(), List.of("-Xmx128m", "-XX:+UseSerialGC"));
    }

    private static void measuresBriefly(Side side, Path cProgram) throws Exception {
        StringBuilder log = new StringBuilder();
        B8Harness.Plan plan = brief();
        B8Harness.Result r = B8Harness.run(side, plan, cProgram, log);
        assertEquals(plan.samples(), r.samplesPerUs().size(), log::toString);
        for (double rate : r.samplesPerUs()) {
            assertTrue(rate > 0 && Double.isFinite(rate), () -> side + ": " + rate + " messages/us\n" + log);
        }
        assertEquals(12_000, r.messages(), log::toString);
    }

    @Test
    void thePosixQueuePeerBuildsWithGccAndPassesTheStream() throws Exception {
        String why = B8Harness.cUnavailable();
        assumeTrue(why == null, () -> "B8 POSIX peer skipped: " + why);
        Path program = B8Harness.compileC(CPeer.buildDirectory());
        String probe = B8Harness.probe(program, B8Harness.capacity().messages());
        assumeTrue(probe == null, () -> "B8 POSIX peer skipped: " + probe);
        measuresBriefly(Side.POSIX, program);
    }

    @Test
    void theAgronaRingBufferPeerPassesTheStream() throws Exception {
        measuresBriefly(Side.AGRONA, null);
    }

    @Test
    void theNamedMessageQueuePassesTheStream() throws Exception {
        measuresBriefly(Side.WAITKIT, null);
    }

    @Test
    void aQueueTooLargeForTheMachineIsAReasonNotAFailure() throws Exception {
        assumeTrue(B8Harness.cUnavailable() == null, "no gcc or no POSIX queues");
        Path program = B8Harness.compileC(CPeer.buildDirectory());
        String why = B8Harness.probe(program, 1 << 20);
        assertTrue(why != null && why.contains("mq_open"), why);
    }

    @Test
    void theCapacityIsPositiveAndNamedInTheRowSettings() {
        B8Harness.Capacity c = B8Harness.capacity();
        assertTrue(c.messages() >= 1 && c.messages() <= B8Harness.WANTED_CAPACITY, c.toString());
        assertTrue(Settings.REPORT.describeB8(c).contains("capacity " + c.messages() + " messages"));
    }

    @Test
    void theAgronaRingHoldsTheCapacityAndAPaddingRecord() {
        for (int capacity : List.of(1, 10, 64, 1000)) {
            int bytes = B8AgronaPeer.ringBytes(capacity, 64);
            assertEquals(1, Integer.bitCount(bytes), "a power of two: " + bytes);
            assertTrue(bytes >= (capacity + 1) * 72 && bytes >= 8 * 64, capacity + " -> " + bytes);
        }
    }

    @Test
    void theStreamRejectsALostADuplicatedAndACorruptMessage() {
        byte[] msg = new byte[64];
        B8Stream s = new B8Stream(64, 0, 1, 3);
        B8Stream.fill(msg, 0);
        s.accept(B8Stream.number(msg), msg.length, msg[63]);
        B8Stream.fill(msg, 2); // 1 lost
        assertThrows(IllegalStateException.class, () -> s.accept(B8Stream.number(msg), msg.length, msg[63]));
        B8Stream.fill(msg, 0); // a duplicate
        assertThrows(IllegalStateException.class, () -> s.accept(B8Stream.number(msg), msg.length, msg[63]));
        B8Stream.fill(msg, 1);
        assertThrows(IllegalStateException.class, () -> s.accept(B8Stream.number(msg), msg.length, (byte) 7));
        assertThrows(IllegalStateException.class, () -> s.accept(B8Stream.number(msg), 63, msg[63]));
        assertTrue(!s.accept(B8Stream.number(msg), msg.length, msg[63]));
        B8Stream.fill(msg, 2);
        assertTrue(s.accept(B8Stream.number(msg), msg.length, msg[63]));
        assertTrue(s.result("x", 10).startsWith(B8Stream.RESULT + "{\"peer\":\"x\",\"samples_per_us\":["));
    }

    @Test
    void theRowsNameTheAgronaVersionTheBenchBuildsWith() {
        String v = org.agrona.concurrent.ringbuffer.OneToOneRingBuffer.class.getPackage().getImplementationVersion();
        assertEquals(v, Suite.B8_AGRONA, "Suite.B8_AGRONA differs from agrona.version in the bench pom");
    }
}
