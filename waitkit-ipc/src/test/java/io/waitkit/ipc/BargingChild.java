package io.waitkit.ipc;

import static io.waitkit.ipc.IpcChild.MUST_SUCCEED;
import static io.waitkit.ipc.IpcChild.check;
import static io.waitkit.ipc.IpcChild.expect;
import static io.waitkit.ipc.IpcChild.pollCommand;
import static io.waitkit.ipc.IpcChild.say;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Fairness;
import java.nio.file.Path;

/**
 * The child side of {@link NamedBargingCrossProcessTest}: {@code barging-loop DIR MUTEX WORDS}
 * opens a mutex the parent created {@link Fairness#BARGING} and takes it flat out, each time
 * checking and updating the words it protects:
 *
 * <pre>
 *   words[BUSY]   1 while a holder is in the middle of an update (0 between updates)
 *   words[ROUNDS] completed updates of every process
 * </pre>
 *
 * <p>A holder that finds BUSY set without an abandonment report is a broken mutual exclusion
 * (exit {@value IpcChild#VIOLATION}); after an {@link AbandonedMutexException} it repairs
 * (clears BUSY). Lines: {@code RUNNING} after its first 100 rounds, {@code ABANDONED} for each
 * report. Commands, read between rounds: {@code hold} takes the mutex, sets BUSY (an update
 * cut short), prints {@code HOLDING} and holds until the process is killed; {@code stop}
 * prints {@code STOPPED ROUNDS ABANDONED} (its own counts) and exits 0.
 */
final class BargingChild {
    static final int BUSY = 0;
    static final int ROUNDS = 1;

    private BargingChild() {
    }

    static void run(Namespace ns, Path dir, String[] a) throws Exception {
        NamedMutex m = ns.openExisting(a[0], NamedMutex.class);
        check(m.fairness() == Fairness.BARGING, "the parent's mutex opened as " + m.fairness());
        long abandoned = 0;
        try (SharedWords w = SharedWords.open(dir.resolve(a[1]))) {
            for (long round = 1; ; round++) {
                if (lockAndRepair(m, w)) {
                    abandoned++;
                }
                try {
                    check(w.get(BUSY) == 0, "BUSY set while this process holds the mutex (no abandonment reported)");
                    w.set(BUSY, 1);
                    w.set(ROUNDS, w.get(ROUNDS) + 1);
                    w.set(BUSY, 0);
                } finally {
                    m.unlock();
                }
                if (round == 100) {
                    say("RUNNING");
                }
                String c = pollCommand();
                if (c == null) {
                    continue;
                }
                if (c.equals("stop")) {
                    say("STOPPED " + round + " " + abandoned);
                    return;
                }
                check(c.equals("hold"), "unknown command " + c);
                if (lockAndRepair(m, w)) {
                    abandoned++;
                }
                w.set(BUSY, 1);
                say("HOLDING");
                expect("never"); // held until killed
            }
        }
    }

    /** Locks within {@link IpcChild#MUST_SUCCEED}; on abandonment says so and repairs. */
    static boolean lockAndRepair(NamedMutex m, SharedWords w) throws InterruptedException {
        try {
            if (!m.tryLock(MUST_SUCCEED)) {
                throw new IpcChild.Timeout("lock of " + m);
            }
            return false;
        } catch (AbandonedMutexException x) {
            check(x.object() == m, "AbandonedMutexException.object() is not the handle");
            say("ABANDONED");
            w.set(BUSY, 0);
            return true;
        }
    }
}
