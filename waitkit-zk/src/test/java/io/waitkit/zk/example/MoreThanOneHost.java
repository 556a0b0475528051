package io.waitkit.zk.example;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Wait;
import io.waitkit.zk.ZkEvent;
import io.waitkit.zk.ZkMutex;
import io.waitkit.zk.ZkNamespace;
import io.waitkit.zk.ZkSemaphore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The README's example: run it on several hosts against one ZooKeeper ensemble. At most two
 * hosts render at once (a semaphore whose leases die with a crashed host), one at a time
 * writes the ledger (a mutex whose holder's lost session is reported to the next writer), and
 * a manual-reset event stops every host.
 */
public final class MoreThanOneHost {
    private MoreThanOneHost() {
    }

    /**
     * Runs three jobs.
     *
     * @param args the connect string, for example {@code zk1:2181,zk2:2181,zk3:2181}
     * @throws Exception if ZooKeeper cannot be reached
     */
    public static void main(String[] args) throws Exception {
        try (ZkNamespace ns = ZkNamespace.connect(args[0])) {
            ZkSemaphore slots = ns.semaphore("render-slots", 2, 2);   // max 2 stored with it
            ZkMutex ledger = ns.mutex("ledger");
            ZkEvent stop = ns.event("stop", true, false);             // manual reset

            for (int job = 0; job < 3; job++) {
                int which = Wait.any(Duration.ofSeconds(30), stop, slots);
                if (which != 1) {
                    System.out.println(which == 0 ? "stopped" : "no render slot for 30 s");
                    return;
                }
                try {
                    System.out.println("rendering job " + job);   // holds one of the two slots
                    try {
                        ledger.lock();
                    } catch (AbandonedMutexException e) {
                        System.out.println("the last writer's session ended mid-write: checking the ledger");
                    }
                    CompletableFuture<Void> lost = ledger.lockLost();  // completes if our session ends
                    try {
                        if (!lost.isDone()) {
                            System.out.println("job " + job + " written to the ledger");
                        }
                    } finally {
                        if (ledger.isHeldByCurrentThread()) {
                            ledger.unlock();
                        }
                    }
                } finally {
                    slots.release();
                }
            }
        }
    }
}
