package io.waitkit.compat.bsd;

import static io.waitkit.compat.TestThreads.eventually;
import static io.waitkit.compat.TestThreads.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Irql;
import io.waitkit.SemaphoreFullException;
import io.waitkit.compat.TestThreads.Running;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The facade's own choices (see the class javadoc of {@link Sema}). */
class SemaBehaviourTest {
    @Test
    void timedwaitZeroPollsAndNegativeIsRefused() {
        Sema s = Sema.init(1, "d");
        assertEquals(1, s.timedwait(0));
        assertEquals(0, s.timedwait(0));
        assertThrows(IllegalArgumentException.class, () -> s.timedwait(-1));
    }

    @Test
    void awaitIgnoresAnInterruptAndReassertsIt() throws Exception {
        Sema s = Sema.init(0, "d");
        Running<Boolean> t = start("uninterruptible", () -> {
            s.await();
            return Thread.currentThread().isInterrupted();
        });
        eventually("waiting", () -> s.waiters() == 1);
        t.thread().interrupt();
        s.post();
        assertTrue(t.get(), "returned only after the post, interrupt re-asserted");
        assertEquals(0, s.value());
    }

    @Test
    void awaitInterruptiblyEndsOnInterruptTakingNothing() throws Exception {
        Sema s = Sema.init(0, "d");
        Running<Void> t = start("interruptible", () -> {
            s.awaitInterruptibly();
            return null;
        });
        eventually("waiting", () -> s.waiters() == 1);
        t.thread().interrupt();
        assertInstanceOf(InterruptedException.class, assertThrows(Exception.class, t::get));
        assertEquals(0, s.waiters());
        s.post();
        assertEquals(1, s.value(), "the post was not taken by the interrupted waiter");
        s.awaitInterruptibly();
        assertEquals(0, s.value());
    }

    @Test
    void postAtTheLargestValueIsRefusedUnchanged() {
        Sema s = Sema.init(Integer.MAX_VALUE, "full");
        assertThrows(SemaphoreFullException.class, s::post);
        assertEquals(Integer.MAX_VALUE, s.value());
    }

    @Test
    void initValidatesItsArguments() {
        assertThrows(NullPointerException.class, () -> Sema.init(0, null));
        assertThrows(IllegalArgumentException.class, () -> Sema.init(0, "d", Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Sema.init(0, "d", null));
        assertTrue(Sema.init(2, "pool").toString().contains("value 2"));
    }

    @Test
    void blockingAtDispatchLevelIsRefusedButPollsAreFine() {
        Sema s = Sema.init(0, "d");
        try (Irql.Scope scope = Irql.raise(Irql.DISPATCH_LEVEL)) {
            assertEquals(0, s.trywait());
            assertEquals(0, s.timedwait(0));
            assertThrows(IllegalStateException.class, () -> s.timedwait(5));
            assertThrows(IllegalStateException.class, s::await);
            assertEquals(0, s.waiters());
        }
    }

    @Test
    void hugeTimeoutsMeanNoTimeout() throws Exception {
        Sema s = Sema.init(0, "d", Duration.ofDays(365_000));
        Running<Integer> t = start("huge", () -> s.timedwait(Integer.MAX_VALUE));
        eventually("waiting", () -> s.waiters() == 1);
        s.post();
        assertEquals(1, t.get());
    }

    /** Units are conserved: every post is taken by exactly one successful wait. Seeded. */
    @Test
    void postsAreConservedAcrossRandomWaits() throws Exception {
        long seed = Long.getLong("waitkit.compat.seed", System.nanoTime());
        SplittableRandom root = new SplittableRandom(seed);
        Sema s = Sema.init(0, "pool");
        AtomicLong taken = new AtomicLong();
        int posts = 2000;
        List<Running<Void>> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            SplittableRandom r = root.split();
            threads.add(start("taker-" + w, () -> {
                while (taken.get() < posts) {
                    int ok = switch (r.nextInt(3)) {
                        case 0 -> s.trywait();
                        case 1 -> s.timedwait(r.nextInt(3));
                        default -> {
                            if (s.timedwait(50) == 1) {
                                yield 1;
                            }
                            yield 0;
                        }
                    };
                    taken.addAndGet(ok);
                }
                return null;
            }));
        }
        SplittableRandom r = root.split();
        for (int i = 0; i < posts; i++) {
            s.post();
            if (r.nextInt(8) == 0) {
                Thread.yield();
            }
        }
        for (Running<Void> t : threads) {
            t.get();
        }
        assertEquals(posts, taken.get(), "seed " + seed);
        assertEquals(0, s.value(), "seed " + seed);
    }
}
