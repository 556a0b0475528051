package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Fairness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three child JVMs run random mixes of waits on shared named objects for
 * {@code -Dwaitkit.ipc.stress.seconds} (default 5): single-object waits (untimed, timed,
 * async), wait-any and wait-all (with in-process objects too), async waits that are cancelled
 * at random, recursion. Each child checks the invariants it can see and exits non-zero on a
 * violation (see {@link IpcChild.RandomOps}); this JVM watches the shared counters while they
 * run and checks the final state: the mutex's data consistent and counting every critical
 * section, the semaphore never above its maximum and with every permit back, the auto-reset
 * event's token back, every message sent to the queue (by blocking, timed, polled and
 * cancelled async sends) received exactly once (by blocking, polled, async and wait-any
 * receives, and the final drain), no wait left registered anywhere.
 */
class CrossProcessStressTest {
    private static final int SECONDS = Integer.getInteger("waitkit.ipc.stress.seconds", 5);
    private static final int CHILDREN = 3;
    private static final int PERMITS = 2;
    private static final Pattern DONE = Pattern.compile("DONE ops=(\\d+) incs=(\\d+) timeouts=(\\d+) cancels=(\\d+)");

    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    @Test
    @Timeout(value = 1, unit = TimeUnit.HOURS) // every wait inside is bounded by the configured duration
    void randomWaitsOfThreeProcessesKeepMutualExclusionPermitBoundsAndConserveEverything() throws Exception {
        stress(Fairness.HAND_OFF);
    }

    /**
     * The same with the mutex and the semaphore created {@link Fairness#BARGING} (the children
     * open them as they are): releases wake waiters to compete instead of handing off, except
     * to the wait-any, wait-all and async waiters, and every bound and count still holds.
     */
    @Test
    @Timeout(value = 1, unit = TimeUnit.HOURS)
    void randomWaitsOnBargingObjectsKeepMutualExclusionPermitBoundsAndConserveEverything() throws Exception {
        stress(Fairness.BARGING);
    }

    private static void stress(Fairness fairness) throws Exception {
        long seed = Long.getLong("waitkit.ipc.stress.seed", System.nanoTime());
        System.out.printf("[CrossProcessStressTest] %s: %d children for %d s, seed %d (-Dwaitkit.ipc.stress.seed=%d replays the "
                + "children's choices, not their timing)%n", fairness, CHILDREN, SECONDS, seed, seed);
        java.nio.file.Path home = temp.dir.resolve(fairness.name().toLowerCase(java.util.Locale.ROOT)); // the children's names are fixed
        Namespace ns = Namespace.open(home);
        String dir = home.toString();
        List<ChildJvm> children = new ArrayList<>();
        try (NamedMutex m = ns.mutex("m", fairness);
                NamedSemaphore s = ns.semaphore("s", PERMITS, PERMITS, fairness);
                NamedEvent t = ns.event("t", false, true);
                NamedEvent go = ns.event("go", true, false);
                NamedMessageQueue q = ns.messageQueue("q", 4, 16);
                SharedWords w = SharedWords.open(home.resolve(".words"))) {
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.startOptimized("random-ops", dir, Long.toString(seed + i),
                        Long.toString(TimeUnit.SECONDS.toMillis(SECONDS))));
            }
            for (ChildJvm c : children) {
                c.awaitLine("READY", ChildJvm.START_TIMEOUT);
            }
            go.set();

            // watch while they run: the bounds hold at every moment this JVM looks
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            long looks = 0;
            while (System.nanoTime() - end < 0 && children.stream().allMatch(ChildJvm::isAlive)) {
                int available = s.availablePermits();
                assertTrue(available >= 0 && available <= PERMITS, "semaphore count " + available);
                long h = w.getVolatile(IpcChild.RandomOps.H);
                assertTrue(h >= 0 && h <= PERMITS, "permit holders " + h);
                long tk = w.getVolatile(IpcChild.RandomOps.TK);
                assertTrue(tk == 0 || tk == 1, "token holders " + tk);
                looks++;
                Thread.sleep(1); // pacing of the observer, not synchronization
            }

            long incs = 0;
            long ops = 0;
            long timeouts = 0;
            long cancels = 0;
            Duration exitBound = Duration.ofSeconds(SECONDS + 60L);
            // every child's exit first, then every failure at once: a child that hangs (exit 4)
            // or reports an abandonment (3) is often the victim of another child's violation
            // (a worker that died holding the mutex or the token), and the first child in the
            // list is not necessarily the first that failed
            StringBuilder failed = new StringBuilder();
            for (ChildJvm c : children) {
                int rc = c.awaitExit(exitBound);
                if (rc != 0) {
                    failed.append("\nchild exited with ").append(rc).append("; ").append(c.describe());
                }
            }
            assertTrue(failed.isEmpty(), failed::toString);
            for (ChildJvm c : children) {
                Matcher mt = DONE.matcher(c.awaitLine("DONE", Duration.ofSeconds(1)));
                assertTrue(mt.matches(), c::describe);
                ops += Long.parseLong(mt.group(1));
                incs += Long.parseLong(mt.group(2));
                timeouts += Long.parseLong(mt.group(3));
                cancels += Long.parseLong(mt.group(4));
            }
            System.out.printf("[CrossProcessStressTest] %s: %d operations (%d critical sections of the mutex, %d timeouts, %d "
                    + "cancelled async waits); peak permit holders %d of %d; %d observer looks%n", fairness, ops, incs, timeouts, cancels,
                    w.getVolatile(IpcChild.RandomOps.H_MAX), PERMITS, looks);

            assertEquals(incs, w.getVolatile(IpcChild.RandomOps.A), "every critical section of the mutex counted once (A)");
            assertEquals(incs, w.getVolatile(IpcChild.RandomOps.B), "every critical section of the mutex counted once (B)");
            assertTrue(ops > 0 && incs > 0, "the children did something");
            assertEquals(ops, w.getVolatile(IpcChild.RandomOps.OPS));
            assertEquals(PERMITS, s.availablePermits(), "every permit came back");
            assertEquals(0, w.getVolatile(IpcChild.RandomOps.H));
            assertTrue(w.getVolatile(IpcChild.RandomOps.H_MAX) <= PERMITS);
            assertTrue(t.isSignaled(), "the token event is signalled again");
            assertEquals(0, w.getVolatile(IpcChild.RandomOps.TK));
            assertFalse(m.isAbandoned(), "nobody died holding the mutex");
            assertEquals(OptionalLong.empty(), m.ownerPid(), "the mutex is free");
            assertTrue(m.tryLock(), "the mutex is free");
            m.unlock();
            long recv = w.getVolatile(IpcChild.RandomOps.Q_RECV);
            long recvSum = w.getVolatile(IpcChild.RandomOps.Q_RECV_SUM);
            for (io.waitkit.MessageQueue.Message msg = q.tryReceive(); msg != null; msg = q.tryReceive()) {
                recv++;
                recvSum += java.nio.ByteBuffer.wrap(msg.data()).getLong();
            }
            System.out.printf("[CrossProcessStressTest] queue: %d messages sent, %d received%n",
                    w.getVolatile(IpcChild.RandomOps.Q_SENT), recv);
            assertEquals(w.getVolatile(IpcChild.RandomOps.Q_SENT), recv, "every message sent was received once (count)");
            assertEquals(w.getVolatile(IpcChild.RandomOps.Q_SENT_SUM), recvSum, "every message sent was received once (sum)");
            assertTrue(recv > 0, "the queue was used");
            for (NamedObject o : List.of(m, s, t, q)) {
                assertEquals(0, o.info().waiters(), () -> "every wait completed or withdrawn: " + o.info());
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
    }
}
