package io.waitkit.compat.axis;

import static io.waitkit.compat.TestThreads.eventually;
import static io.waitkit.compat.TestThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.compat.TestThreads.Running;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Lua examples of the AxisOS seed document (section 13, "Synchronization &amp; IPC") that use
 * {@code sync}, translated line by line to Java and run as written. The examples of 13.5 (pipes),
 * 13.6 (sections), 13.7 (message queues) and 13.8 (signals) use the other libraries, whose facade
 * belongs to waitkit-ipc (cross-process objects).
 */
class SyncSeedExamplesTest {
    /** 13.2: an auto-reset event; thread A waits, thread B sets it and wakes A. */
    @Test
    void seed_13_2_autoResetEventThreadBWakesThreadA() throws Exception {
        Sync sync = new Sync();
        // local hEvt = sync.createEvent(false, false)
        String hEvt = sync.createEvent(false, false);
        // Thread A: sync.wait(hEvt) -- blocks until signaled
        Running<Integer> threadA = start("A", () -> sync.wait(hEvt));
        eventually("A waits", () -> sync.waiters(hEvt) == 1);
        // Thread B: sync.setEvent(hEvt) -- wakes Thread A
        Running<Integer> threadB = start("B", () -> sync.setEvent(hEvt));
        assertEquals(1, threadB.get(), "B woke one waiter");
        assertEquals(Sync.WAIT_0, threadA.get());
    }

    /** 13.2: a manual-reset event; set wakes all waiters, reset makes it non-signalled. */
    @Test
    void seed_13_2_manualResetEventWakesAllWaitersUntilReset() throws Exception {
        Sync sync = new Sync();
        // local hEvt = sync.createEvent(true, false) -- manual reset
        String hEvt = sync.createEvent(true, false);
        List<Running<Integer>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiters.add(start("waiter-" + i, () -> sync.wait(hEvt)));
        }
        eventually("three waiters", () -> sync.waiters(hEvt) == 3);
        // sync.setEvent(hEvt) -- all waiters wake
        assertEquals(3, sync.setEvent(hEvt));
        for (Running<Integer> w : waiters) {
            assertEquals(Sync.WAIT_0, w.get());
        }
        // sync.resetEvent(hEvt) -- back to non-signaled
        assertTrue(sync.resetEvent(hEvt));
        assertEquals(Sync.WAIT_TIMEOUT, sync.wait(hEvt, 0));
    }

    /** 13.3: a mutex around a critical section; recursion adds a hold (the note). */
    @Test
    void seed_13_3_mutexProtectsACriticalSectionAndRecursionCounts() throws Exception {
        Sync sync = new Sync();
        // local hMtx = sync.createMutex(false)
        String hMtx = sync.createMutex(false);
        int[] shared = new int[1];
        List<Running<Void>> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(start("worker-" + t, () -> {
                for (int i = 0; i < 200; i++) {
                    sync.wait(hMtx);          // acquire (blocks if already held)
                    shared[0]++;              // ... critical section ...
                    sync.releaseMutex(hMtx);  // release
                }
                return null;
            }));
        }
        for (Running<Void> t : threads) {
            t.get();
        }
        assertEquals(800, shared[0]);

        // "Only the owning thread can release a mutex. Recursive acquisition increments an internal counter."
        assertEquals(0, sync.wait(hMtx));
        assertEquals(0, sync.wait(hMtx));
        Running<Boolean> other = start("not-owner", () -> sync.releaseMutex(hMtx));
        assertEquals(false, other.get());
        assertTrue(sync.releaseMutex(hMtx));
        assertTrue(sync.releaseMutex(hMtx));
    }

    /** 13.4: a semaphore with 3 initial permits and a maximum of 10. */
    @Test
    void seed_13_4_semaphoreWithThreeInitialAndTenMaximum() throws Exception {
        Sync sync = new Sync();
        // local hSem = sync.createSemaphore(3, 10) -- 3 initial, 10 max
        String hSem = sync.createSemaphore(3, 10);
        // sync.wait(hSem) -- acquire one permit (count--)
        assertEquals(0, sync.wait(hSem));
        // sync.releaseSemaphore(hSem, 1) -- release one permit (count++)
        assertEquals(2, sync.releaseSemaphore(hSem, 1), "the count was 2 before the release");
        assertEquals(3, sync.releaseSemaphore(hSem, 0));
    }

    /** 13.9: WaitForMultipleObjects, any and all, with the example's branches. */
    @Test
    void seed_13_9_waitMultipleAnyReportsWhichEventFiredAndAllNeedsBoth() throws Exception {
        Sync sync = new Sync();
        // local hEvt1 = sync.createEvent(false, false); local hEvt2 = sync.createEvent(false, false)
        String hEvt1 = sync.createEvent(false, false);
        String hEvt2 = sync.createEvent(false, false);

        // local nResult = sync.waitMultiple({hEvt1, hEvt2}, false, 5000)
        Running<String> any = start("any", () -> {
            int nResult = sync.waitMultiple(List.of(hEvt1, hEvt2), false, 5000);
            if (nResult == 0) {
                return "Event 1 fired";
            } else if (nResult == 1) {
                return "Event 2 fired";
            } else if (nResult == 258) {
                return "Timeout";
            }
            return "unexpected " + nResult;
        });
        eventually("waiting", () -> sync.waiters(hEvt2) == 1);
        sync.setEvent(hEvt2);
        assertEquals("Event 2 fired", any.get());

        assertEquals("Timeout", switch (sync.waitMultiple(List.of(hEvt1, hEvt2), false, 50)) {
            case 0 -> "Event 1 fired";
            case 1 -> "Event 2 fired";
            case 258 -> "Timeout";
            default -> "unexpected";
        });

        // local nResult = sync.waitMultiple({hEvt1, hEvt2}, true, 5000)
        Running<Integer> all = start("all", () -> sync.waitMultiple(List.of(hEvt1, hEvt2), true, 5000));
        eventually("waiting for both", () -> sync.waiters(hEvt1) == 1 && sync.waiters(hEvt2) == 1);
        sync.setEvent(hEvt1);
        sync.setEvent(hEvt2);
        assertEquals(0, all.get());
    }

    /** 13.10: the IRQL table: PASSIVE and APC may block, DISPATCH and DEVICE may not. */
    @Test
    void seed_13_10_onlyPassiveAndApcLevelsCanBlock() throws Exception {
        Sync sync = new Sync();
        String e = sync.createEvent(true, true);
        int[] levels = {Sync.PASSIVE_LEVEL, Sync.APC_LEVEL, Sync.DISPATCH_LEVEL, Sync.DEVICE_LEVEL};
        int[] expected = {Sync.WAIT_0, Sync.WAIT_0, Sync.WAIT_FAILED, Sync.WAIT_FAILED};
        for (int i = 0; i < levels.length; i++) {
            assertEquals(Sync.PASSIVE_LEVEL, sync.raiseIrql(levels[i]));
            try {
                assertEquals(expected[i], sync.wait(e, 10), "level " + levels[i]);
            } finally {
                sync.lowerIrql(Sync.PASSIVE_LEVEL);
            }
        }
    }
}
