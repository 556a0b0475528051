package io.waitkit.cli.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one demo part: starts them by name, records how each one ended, and joins them
 * with a bound so that a part can never hang the demo.
 *
 * <p>A worker that ends with an exception is recorded as a failure ("name: exception"), except an
 * {@link InterruptedException} after {@link #interruptAll()} (the part asked it to stop). Platform
 * workers are daemon threads, and a part that gives up on its workers interrupts them, so that a
 * stuck worker never keeps the JVM alive.
 */
final class Workers {
    /** A worker's body; may throw. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final String part;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;

    Workers(String part) {
        this.part = part;
    }

    /** Starts a platform (daemon) worker. */
    Thread start(String name, Body body) {
        return add(Thread.ofPlatform().daemon().name(part + "-" + name).unstarted(wrap(name, body)));
    }

    /** Starts a virtual worker. */
    Thread startVirtual(String name, Body body) {
        return add(Thread.ofVirtual().name(part + "-" + name).unstarted(wrap(name, body)));
    }

    private Thread add(Thread t) {
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
        return t;
    }

    private Runnable wrap(String name, Body body) {
        return () -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                if (!stopping) {
                    failures.add(name + ": interrupted unexpectedly");
                }
            } catch (Throwable t) {
                failures.add(name + ": " + t);
            }
        };
    }

    /**
     * Waits until every worker has terminated or the bound passes.
     *
     * @return true if all terminated
     */
    boolean join(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    /** Interrupts every worker (a part giving up, or its shutdown); their interrupts are not failures. */
    void interruptAll() {
        stopping = true;
        synchronized (threads) {
            threads.forEach(Thread::interrupt);
        }
    }

    /** Names of the workers still alive. */
    List<String> alive() {
        List<String> names = new ArrayList<>();
        synchronized (threads) {
            for (Thread t : threads) {
                if (t.isAlive()) {
                    names.add(t.getName());
                }
            }
        }
        return names;
    }

    /** How the failed workers ended, in order of failure. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * Waits (bounded) until {@code t} is parked in a wait: the way to know that a thread is queued
     * on an object before the demo goes on.
     *
     * @return true if it was seen waiting before the bound passed
     */
    static boolean awaitBlocked(Thread t, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return true;
            }
            if (s == Thread.State.TERMINATED) {
                return false;
            }
            TimeUnit.MICROSECONDS.sleep(200);
        }
        return false;
    }
}
