package io.waitkit.ipc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of {@link VirtualThreadsTest} (a main class of the test sources, started with
 * the test's class path). Prints {@code OK} and exits 0 when its scenario holds; otherwise
 * prints {@code FAIL: why} and exits 1. A watchdog ends it (exit 3) after 50 s.
 *
 * <ul>
 *   <li>{@code carriers}: run with the virtual-thread scheduler limited to 2 carriers
 *       (parallelism 2, max pool size 2): 1,000 virtual threads block on a named manual-reset
 *       event and a named semaphore; while they wait, other virtual threads must still run on
 *       the 2 carriers (so no waiter holds a carrier in a system call); then all 1,000 are
 *       released and finish.</li>
 *   <li>{@code pingpong DIR ROUNDS}: run with a forced backend: a ping-pong between two threads
 *       of this JVM over two handles of each of two named events, then a ping-pong with the
 *       parent process over the events {@code xping}/{@code xpong} in namespace DIR: half the
 *       rounds answered by a virtual thread (served by this JVM's waiter pool, since the sets
 *       come from another process), half by a platform thread (which sleeps on the futex word
 *       itself with a futex backend); prints {@code BACKEND} and the waiter-pool threads seen
 *       after the virtual-thread half.</li>
 * </ul>
 */
public final class VirtualThreadsChild {
    private VirtualThreadsChild() {
    }

    public static void main(String[] args) throws Exception {
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(50_000);
                System.out.println("FAIL: watchdog: still running after 50 s");
                dumpThreads();
                System.out.flush();
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // done
            }
        });
        try {
            switch (args[0]) {
                case "carriers" -> carriers();
                case "pingpong" -> pingPong(Path.of(args[1]), Integer.parseInt(args[2]));
                default -> throw new Failure("unknown mode " + args[0]);
            }
            System.out.println("OK");
            System.out.flush();
            watchdog.interrupt();
            System.exit(0);
        } catch (Failure f) {
            System.out.println("FAIL: " + f.getMessage());
            System.out.flush();
            System.exit(1);
        } catch (Throwable t) {
            System.out.println("FAIL: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
    }

    /** A broken property, reported as its message. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private static void check(boolean ok, String what) throws Failure {
        if (!ok) {
            throw new Failure(what);
        }
    }

    private static void dumpThreads() {
        Thread.getAllStackTraces().forEach((t, st) -> {
            if (!t.isVirtual()) {
                System.out.println("  thread " + t.getName() + " " + t.getState() + (st.length > 0 ? " at " + st[0] : ""));
            }
        });
    }

    // ---- carriers

    private static void carriers() throws Exception {
        String par = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        check("2".equals(par), "expected -Djdk.virtualThreadScheduler.parallelism=2, got " + par);
        int n = 1000;
        TempNamespace temp = TempNamespace.create();
        try (NamedEvent gate = temp.ns.event("gate", true, false); NamedSemaphore permits = temp.ns.semaphore("permits", 0, n)) {
            CountDownLatch done = new CountDownLatch(n);
            AtomicInteger failures = new AtomicInteger();
            AtomicReference<Throwable> firstFailure = new AtomicReference<>();
            long t0 = System.nanoTime();
            List<Thread> waiters = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boolean onEvent = i % 2 == 0;
                waiters.add(Thread.ofVirtual().name("waiter-" + i).start(() -> {
                    try {
                        if (onEvent) {
                            gate.await();
                        } else {
                            permits.acquire();
                        }
                    } catch (Throwable t) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, t);
                    } finally {
                        done.countDown();
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int blocked;
            while ((blocked = gate.info().waiters() + permits.info().waiters()) < n) {
                check(System.nanoTime() - deadline < 0, "only " + blocked + " of " + n + " waiters blocked after 20 s (event "
                        + gate.info().waiters() + ", semaphore " + permits.info().waiters() + ")");
                Thread.sleep(5);
            }
            check(blocked == n, "more blocked waits than waiters: " + blocked);
            check(done.getCount() == n, "a waiter finished before anything was signalled: " + (n - done.getCount()));
            System.out.println("blocked " + n + " waiters in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");

            // the carriers are free: other virtual threads run while 1,000 waiters are blocked
            int workers = 100;
            CountDownLatch work = new CountDownLatch(workers);
            AtomicInteger sum = new AtomicInteger();
            long w0 = System.nanoTime();
            for (int i = 0; i < workers; i++) {
                int k = i;
                Thread.ofVirtual().name("worker-" + i).start(() -> {
                    double x = 0;
                    for (int j = 1; j <= 20_000; j++) {
                        x += Math.sqrt(j + k);
                    }
                    if (x > 0) {
                        sum.incrementAndGet();
                    }
                    try {
                        Thread.sleep(1); // unmounts and remounts too
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    work.countDown();
                });
            }
            check(work.await(10, TimeUnit.SECONDS), "only " + (workers - work.getCount()) + " of " + workers
                    + " virtual workers ran within 10 s while the waiters were blocked: carriers are held");
            check(sum.get() == workers, "workers computed " + sum.get());
            System.out.println("ran " + workers + " workers in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - w0) + " ms");
            check(done.getCount() == n, "a waiter finished before anything was signalled");

            long r0 = System.nanoTime();
            gate.set();
            permits.release(n / 2);
            check(done.await(20, TimeUnit.SECONDS), (n - done.getCount()) + " of " + n + " waiters finished within 20 s of "
                    + "the release (event " + gate.info().waiters() + ", semaphore " + permits.info().waiters() + " still blocked)");
            System.out.println("released " + n + " waiters in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r0) + " ms");
            check(failures.get() == 0, failures.get() + " waits failed, first: " + firstFailure.get());
            for (Thread t : waiters) {
                t.join(5_000);
                check(!t.isAlive(), t.getName() + " still alive");
            }
            check(permits.availablePermits() == 0, "permits left: " + permits.availablePermits());
            check(gate.isSignaled(), "the manual-reset event stays signalled");
            check(gate.info().waiters() == 0 && permits.info().waiters() == 0, "waiters left: event " + gate.info().waiters()
                    + ", semaphore " + permits.info().waiters());
        } finally {
            temp.delete();
        }
    }

    // ---- pingpong

    private static void pingPong(Path dir, int rounds) throws Exception {
        String backend = Namespace.backend();
        System.out.println("BACKEND " + backend);
        TempNamespace temp = TempNamespace.create();
        try (NamedEvent pingA = temp.ns.event("ping", false, false); NamedEvent pingB = temp.ns.openExisting("ping", NamedEvent.class);
                NamedEvent pongA = temp.ns.event("pong", false, false); NamedEvent pongB = temp.ns.openExisting("pong", NamedEvent.class)) {
            AtomicReference<Throwable> echoFailure = new AtomicReference<>();
            Thread echo = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        if (!pingB.await(Duration.ofSeconds(10))) {
                            throw new IllegalStateException("echo: no ping in round " + i);
                        }
                        pongB.set();
                    }
                } catch (Throwable t) {
                    echoFailure.set(t);
                }
            });
            for (int i = 0; i < rounds; i++) {
                pingA.set();
                check(pongA.await(Duration.ofSeconds(10)), "in-JVM round " + i + ": no pong within 10 s; echo: " + echoFailure.get());
            }
            echo.join(10_000);
            check(!echo.isAlive() && echoFailure.get() == null, "in-JVM echo: " + echoFailure.get());
            System.out.println("in-JVM ping-pong: " + rounds + " rounds");
        } finally {
            temp.delete();
        }

        // across processes: the parent sets xping, this JVM answers on xpong. First from a virtual
        // thread (a wait that outlasts its first microseconds of lock-free retries parks and is
        // served by this JVM's waiter pool), then from a platform thread (which sleeps on the
        // futex word itself with a futex backend, and is served by the pool with the polling
        // backend).
        Namespace ns = Namespace.open(dir);
        try (NamedEvent ping = ns.openExisting("xping", NamedEvent.class); NamedEvent pong = ns.openExisting("xpong", NamedEvent.class);
                NamedEvent idle = ns.event("idle-" + ProcessHandle.current().pid(), false, false)) {
            System.out.println("READY");
            System.out.flush();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            // one virtual wait that surely parks (nobody sets this event): the pool must watch it
            Thread parked = Thread.ofVirtual().start(() -> {
                try {
                    check(!idle.await(Duration.ofMillis(50)), "nobody sets the idle event");
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            parked.join(10_000);
            Thread virtual = Thread.ofVirtual().start(() -> answer(ping, pong, 0, rounds / 2, failure));
            virtual.join(60_000);
            check(!virtual.isAlive() && failure.get() == null, "virtual-thread rounds: " + failure.get());
            List<String> pool = new ArrayList<>();
            Thread.getAllStackTraces().keySet().forEach(t -> {
                if (t.getName().startsWith("waitkit-ipc-waiter-")) {
                    pool.add(t.getName());
                }
            });
            System.out.println("POOL " + pool.size() + " " + pool);
            answer(ping, pong, rounds / 2, rounds, failure);
            check(failure.get() == null, "platform-thread rounds: " + failure.get());
        }
    }

    private static void answer(NamedEvent ping, NamedEvent pong, int from, int to, AtomicReference<Throwable> failure) {
        try {
            for (int i = from; i < to; i++) {
                if (!ping.await(Duration.ofSeconds(10))) {
                    throw new IllegalStateException("cross-process round " + i + " (" + (Thread.currentThread().isVirtual()
                            ? "virtual" : "platform") + " thread): no ping from the parent within 10 s");
                }
                pong.set();
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }
}
