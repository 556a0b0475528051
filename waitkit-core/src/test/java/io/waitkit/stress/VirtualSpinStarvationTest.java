package io.waitkit.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Focused reproducer for a hang the stress test found (seed -5313649997722843990): the
 * engine's spin-wait for an object lock ({@code Backoff.pause}) let waiting virtual threads
 * starve the virtual thread that held the lock.
 *
 * <p>A virtual thread that calls {@code Thread.yield()} while its carrier's local queue holds
 * other tasks is queued there again, and a carrier runs its local tasks before anything
 * submitted from outside (a virtual thread whose timed park expired, or one unparked or
 * interrupted by a platform thread). The back-off parked only now and then, and
 * {@code parkNanos} returns at once for an interrupted thread, so two interrupted virtual
 * threads spinning on the same carrier kept its local queue busy forever. The lock holder,
 * itself parked in the back-off while holding the lock (wait-all locks its objects one after
 * the other), was resubmitted from outside and never ran again: every thread touching the
 * object, and the wait-all lock, hung.
 *
 * <p>The scenario runs in a child JVM with one carrier thread ({@link VirtualSpinStarvation}),
 * where it hangs without the fix; it also checks that the spinners' interrupt status survives
 * the wait.
 */
class VirtualSpinStarvationTest {
    @Test
    void virtualThreadsSpinningOnAnObjectLockDoNotStarveTheVirtualThreadHoldingIt()
            throws IOException, InterruptedException {
        for (int spinners : new int[] {2, 8}) {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = new ProcessBuilder(List.of(java,
                    "-Djdk.virtualThreadScheduler.parallelism=1",
                    "-Djdk.virtualThreadScheduler.maxPoolSize=1",
                    "-cp", System.getProperty("java.class.path"),
                    VirtualSpinStarvation.class.getName(), Integer.toString(spinners)))
                    .redirectErrorStream(true).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(ended, spinners + " spinners: the child JVM did not end within 60 s: " + out);
            assertEquals(0, p.exitValue(), spinners + " spinners: " + out);
            assertEquals("OK", out, spinners + " spinners");
        }
    }
}
