package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.zk.example.MoreThanOneHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the README's example: against the in-JVM ensemble, or against a real one given with
 * {@code -Dwaitkit.zk.connect=zk1:2181,zk2:2181,zk3:2181}.
 */
class MoreThanOneHostTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();

    @Test
    public void theReadmeExampleRunsItsJobsAndGivesBackEverySlot() throws Exception {
        String connect = System.getProperty("waitkit.zk.connect", "");
        if (connect.isBlank()) {
            connect = ensemble.connectString();
        }
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            MoreThanOneHost.main(new String[] {connect});
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        out.print(text);
        assertTrue(text.contains("job 2 written to the ledger"), text);
        try (ZkNamespace ns = ZkNamespace.connect(connect)) {
            assertEquals(2, ns.semaphore("render-slots", 2, 2).availablePermits());
            ZkMutex ledger = ns.mutex("ledger");
            assertTrue(ledger.tryLock(), "the ledger is free");
            ledger.unlock();
        }
    }
}
