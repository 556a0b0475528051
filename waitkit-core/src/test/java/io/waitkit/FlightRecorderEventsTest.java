package io.waitkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.contract.Forked;
import io.waitkit.contract.Threads;
import io.waitkit.internal.Flight;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK Flight Recorder events (docs/semantics.md#flight-recorder-events): a wait that blocked
 * is recorded as {@code io.waitkit.Wait} with its kind, outcome, first object and duration; a
 * wait that never blocked is not; a disabled event records nothing; an abandoned mutex taken
 * over is recorded as {@code io.waitkit.MutexAbandoned} with the dead and the new owner, both
 * when a blocked waiter inherits it (found by the owner watchdog) and when a fresh acquirer
 * finds the dead owner; a hand-off to a queued waiter is recorded as {@code io.waitkit.HandOff}
 * when a recording enables it, and not by default. The core runs on a JVM without
 * {@code jdk.jfr} (with {@code --limit-modules java.base}, and on an image that jlink linked
 * with {@code java.base} only; on the class path and as a named module), and as a named module
 * it records the events of a command-line recording.
 *
 * <p>Recordings are read back from their files with {@link RecordingFile}; events are matched
 * by the object's identity, so events of other tests of the same JVM do not interfere.
 */
class FlightRecorderEventsTest {
    private static final String WAIT = "io.waitkit.Wait";
    private static final String ABANDONED = "io.waitkit.MutexAbandoned";
    private static final String HAND_OFF = "io.waitkit.HandOff";
    private static final Duration SHORT = Duration.ofMillis(30);

    @TempDir
    Path dir;

    /** The description the events give of an object: simple class name @ identity hash. */
    private static String describe(Object o) {
        return o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }

    private interface Scenario {
        void run() throws Exception;
    }

    /** Runs {@code scenario} under a recording with both events at threshold 0 (or the wait event off) and reads it back. */
    private List<RecordedEvent> record(boolean waitEnabled, Scenario scenario) throws Exception {
        Path file = Files.createTempFile(dir, "waitkit", ".jfr");
        try (Recording r = new Recording()) {
            if (waitEnabled) {
                r.enable(WAIT).withThreshold(Duration.ZERO).withStackTrace();
            } else {
                r.disable(WAIT);
            }
            r.enable(ABANDONED);
            r.enable(HAND_OFF);
            r.start();
            scenario.run();
            r.stop();
            r.dump(file);
        }
        return RecordingFile.readAllEvents(file);
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name, Predicate<RecordedEvent> which) {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals(name) && which.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The one wait event on {@code object} (its first object). */
    private static RecordedEvent waitOn(List<RecordedEvent> events, Object object) {
        List<RecordedEvent> found = named(events, WAIT, e -> describe(object).equals(e.getString("object")));
        assertEquals(1, found.size(), () -> "wait events on " + describe(object) + ": " + found);
        return found.get(0);
    }

    private static void assertWait(RecordedEvent e, String kind, String outcome, Class<?> type, int count) {
        assertEquals(kind, e.getString("kind"), e::toString);
        assertEquals(outcome, e.getString("outcome"), e::toString);
        assertEquals(type.getName(), e.getClass("objectClass").getName(), e::toString);
        assertEquals(count, e.getInt("objectCount"), e::toString);
        assertFalse(e.getDuration().isNegative() || e.getDuration().isZero(), e::toString);
    }

    @Test
    void blockingWaitsAreRecordedWithKindOutcomeObjectAndDuration() throws Exception {
        Mutex handedOff = new Mutex();
        Semaphore timedOut = new Semaphore(0, 1);
        Event interrupted = Event.autoReset(false);
        Event anyFirst = Event.autoReset(false);
        Semaphore allFirst = new Semaphore(1, 1);
        Semaphore asyncAcquired = new Semaphore(0, 1);
        Semaphore asyncCancelled = new Semaphore(0, 1);
        Semaphore asyncTimedOut = new Semaphore(0, 1);
        CompletableFuture<Void> failingFuture = new CompletableFuture<>();
        Completion failing = Wait.completion(failingFuture);
        long[] handOffSpan = new long[1];

        List<RecordedEvent> events = record(true, () -> {
            handedOff.lock();
            Forked<Long> waiter = Forked.call("fl-waiter", () -> {
                long t0 = System.nanoTime();
                handedOff.lock();
                long span = System.nanoTime() - t0;
                handedOff.unlock();
                return span;
            }).awaitBlocked();
            handedOff.unlock();
            handOffSpan[0] = waiter.join();

            assertFalse(timedOut.tryAcquire(SHORT));

            Forked<Void> victim = Forked.run("fl-interrupted", interrupted::await).awaitBlocked();
            victim.interrupt();
            victim.joinFailure(InterruptedException.class);

            Forked<Integer> failedWait = Forked.call("fl-failed", () -> Wait.any(Threads.BOUND, failing)).awaitBlocked();
            failingFuture.completeExceptionally(new IllegalStateException("the awaited work failed"));
            failedWait.joinFailure(FailedCompletionException.class);

            assertEquals(Wait.TIMEOUT, Wait.any(SHORT, anyFirst, Event.autoReset(false)));
            assertFalse(Wait.all(SHORT, allFirst, new Semaphore(0, 1)));

            CompletableFuture<Void> acquired = asyncAcquired.acquireAsync();
            asyncAcquired.release();
            acquired.join();
            assertTrue(asyncCancelled.acquireAsync().cancel(false));
            CompletableFuture<Void> late = asyncTimedOut.acquireAsync().orTimeout(30, TimeUnit.MILLISECONDS);
            assertInstanceOf(TimeoutException.class, assertThrows(CompletionException.class, late::join).getCause());
        });

        RecordedEvent handOff = only(named(events, HAND_OFF, e -> describe(handedOff).equals(e.getString("object"))));
        assertEquals("fl-waiter", handOff.getThread("newOwner").getJavaName());
        assertEquals(Thread.currentThread().getName(), handOff.getThread().getJavaName(), "recorded by the signaller");
        assertFalse(handOff.getBoolean("async"));
        RecordedEvent asyncHandOff = only(named(events, HAND_OFF, e -> describe(asyncAcquired).equals(e.getString("object"))));
        assertTrue(asyncHandOff.getBoolean("async"));

        RecordedEvent single = waitOn(events, handedOff);
        assertWait(single, "single", "acquired", Mutex.class, 1);
        assertEquals("fl-waiter", single.getThread().getJavaName());
        assertNotNull(single.getStackTrace(), "a wait event carries the waiter's stack");
        // timed from just before the first park: within what the waiter measured around lock()
        assertTrue(single.getDuration().toNanos() <= handOffSpan[0] + TimeUnit.MILLISECONDS.toNanos(5),
                () -> single.getDuration() + " recorded for a wait of " + Duration.ofNanos(handOffSpan[0]));

        assertWait(waitOn(events, timedOut), "single", "timed out", Semaphore.class, 1);
        RecordedEvent intr = waitOn(events, interrupted);
        assertWait(intr, "single", "interrupted", Event.class, 1);
        assertEquals("fl-interrupted", intr.getThread().getJavaName());
        assertWait(waitOn(events, failing), "single", "failed", Completion.class, 1);
        assertWait(waitOn(events, anyFirst), "any", "timed out", Event.class, 2);
        assertWait(waitOn(events, allFirst), "all", "timed out", Semaphore.class, 2);
        assertWait(waitOn(events, asyncAcquired), "async", "acquired", Semaphore.class, 1);
        assertWait(waitOn(events, asyncCancelled), "async", "cancelled", Semaphore.class, 1);
        assertWait(waitOn(events, asyncTimedOut), "async", "timed out", Semaphore.class, 1);
    }

    @Test
    void aBargingMutexHandingOffToAnAsyncWaitRecordsTheHandOff() throws Exception {
        // a barging release wakes a blocked thread to compete, but hands off to an async wait
        Mutex barging = new Mutex(Fairness.BARGING);
        CountDownLatch queued = new CountDownLatch(1);
        List<RecordedEvent> events = record(true, () -> {
            barging.lock();
            Forked<Void> asyncOwner = Forked.run("fl-barging-async", () -> {
                CompletableFuture<Void> f = barging.lockAsync();
                queued.countDown();
                f.get(30, TimeUnit.SECONDS);
                barging.unlock();
            });
            assertTrue(queued.await(30, TimeUnit.SECONDS));
            barging.unlock();
            asyncOwner.join();
        });
        RecordedEvent handOff = only(named(events, HAND_OFF, e -> describe(barging).equals(e.getString("object"))));
        assertTrue(handOff.getBoolean("async"), handOff::toString);
        assertEquals("fl-barging-async", handOff.getThread("newOwner").getJavaName());
        assertWait(waitOn(events, barging), "async", "acquired", Mutex.class, 1);
    }

    @Test
    void waitsThatDoNotBlockAreNotRecorded() throws Exception {
        Mutex free = new Mutex();
        Semaphore full = new Semaphore(1, 1);
        Semaphore empty = new Semaphore(0, 1);
        Event set = Event.manualReset(true);
        List<RecordedEvent> events = record(true, () -> {
            free.lock();
            free.unlock();
            assertTrue(full.tryAcquire(SHORT));
            assertFalse(empty.tryAcquire(Duration.ZERO)); // a poll: never parks
            assertEquals(0, Wait.any(SHORT, set, empty));
            full.release();
            CompletableFuture<Void> immediate = full.acquireAsync();
            assertTrue(immediate.isDone(), "a free permit completes the async wait at once");
            set.await();
        });
        for (Object o : List.of(free, full, empty, set)) {
            assertEquals(List.of(), named(events, WAIT, e -> describe(o).equals(e.getString("object"))),
                    () -> describe(o) + " never blocked a thread");
        }
    }

    @Test
    void disabledWaitEventRecordsNothing() throws Exception {
        Semaphore empty = new Semaphore(0, 1);
        Mutex held = new Mutex();
        List<RecordedEvent> events = record(false, () -> {
            assertFalse(empty.tryAcquire(SHORT));
            held.lock();
            Forked<Void> waiter = Forked.run("fl-disabled", () -> {
                held.lock();
                held.unlock();
            }).awaitBlocked();
            held.unlock();
            waiter.join();
        });
        assertEquals(List.of(), named(events, WAIT, e -> true));
    }

    @Test
    void abandonedMutexTakenOverIsRecordedWithDeadAndNewOwner() throws Exception {
        Mutex watched = new Mutex();
        Mutex left = new Mutex();
        long[] ids = new long[2];
        List<RecordedEvent> events = record(true, () -> {
            // a blocked waiter inherits it: the owner watchdog finds the death
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch die = new CountDownLatch(1);
            Forked<Void> doomed = Forked.run("fl-doomed", () -> {
                watched.lock();
                locked.countDown();
                die.await();
            });
            ids[0] = doomed.thread().threadId();
            assertTrue(locked.await(Threads.BOUND.toMillis(), TimeUnit.MILLISECONDS));
            Forked<Void> heir = Forked.run("fl-heir", () -> {
                AbandonedMutexException e = assertThrows(AbandonedMutexException.class, watched::lock);
                assertEquals(watched, e.mutex());
                watched.unlock();
            }).awaitBlocked();
            die.countDown();
            doomed.join();
            heir.join();

            // a fresh acquirer finds the dead owner itself
            Forked<Void> dead = Forked.run("fl-dead", left::lock);
            ids[1] = dead.thread().threadId();
            dead.join();
            Threads.join(dead.thread());
            assertThrows(AbandonedMutexException.class, left::lock);
            left.unlock();
        });

        RecordedEvent inherited = only(named(events, ABANDONED, e -> describe(watched).equals(e.getString("mutex"))));
        assertEquals("fl-doomed", inherited.getString("deadOwner"));
        assertEquals(ids[0], inherited.getLong("deadOwnerId"));
        assertEquals("fl-heir", inherited.getThread("newOwner").getJavaName());
        assertWait(waitOn(events, watched), "single", "abandoned", Mutex.class, 1);

        RecordedEvent taken = only(named(events, ABANDONED, e -> describe(left).equals(e.getString("mutex"))));
        assertEquals("fl-dead", taken.getString("deadOwner"));
        assertEquals(ids[1], taken.getLong("deadOwnerId"));
        assertEquals(Thread.currentThread().getName(), taken.getThread("newOwner").getJavaName());
        assertEquals(List.of(), named(events, WAIT, e -> describe(left).equals(e.getString("object"))),
                "the fresh acquirer never blocked");
    }

    private static RecordedEvent only(List<RecordedEvent> events) {
        assertEquals(1, events.size(), events::toString);
        return events.get(0);
    }

    // ---- other runtimes: a child JVM runs FlightRecorderChild

    private static Path location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs the child on this JDK with {@code jvmArgs}, on the module path when {@code named}; returns its output. */
    private String child(boolean named, String mode, List<String> jvmArgs) throws Exception {
        return child(java(), named, mode, jvmArgs);
    }

    /** Runs the child with the {@code java} launcher given. */
    private String child(String java, boolean named, String mode, List<String> jvmArgs) throws Exception {
        Path classes = location(Mutex.class);
        Path testClasses = location(FlightRecorderChild.class);
        List<String> cmd = new ArrayList<>(List.of(java, "-Dchild.named=" + named));
        cmd.addAll(jvmArgs);
        if (named) {
            cmd.addAll(List.of("-p", classes.toString(), "--patch-module", "io.waitkit.core=" + testClasses,
                    "-m", "io.waitkit.core/" + FlightRecorderChild.class.getName()));
        } else {
            cmd.addAll(List.of("-cp", classes + File.pathSeparator + testClasses,
                    FlightRecorderChild.class.getName()));
        }
        cmd.add(mode);
        Path log = Files.createTempFile(dir, "child", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(Threads.BOUND.toSeconds() * 3, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, () -> "the child did not finish: " + cmd + "\n" + out);
        assertEquals(0, p.exitValue(), () -> "the child failed: " + cmd + "\n" + out);
        return out;
    }

    @Test
    void coreRunsOnARuntimeWithoutJdkJfr() throws Exception {
        // --limit-modules java.base gives the module graph of an image linked with java.base
        // only (the next test builds one with jlink): no jdk.jfr class can be loaded, so any
        // the core touched would fail the child
        for (boolean named : new boolean[] {false, true}) {
            String out = child(named, "absent", List.of("--limit-modules", "java.base"));
            assertTrue(out.lines().anyMatch("ok"::equals), out);
        }
    }

    @Test
    void coreRunsOnAnImageLinkedWithJavaBaseOnly() throws Exception {
        Path image = dir.resolve("java-base-image");
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        Path log = dir.resolve("jlink.log");
        Process p = new ProcessBuilder(jlink.toString(), "--add-modules", "java.base", "--output", image.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(Threads.BOUND.toSeconds() * 3, TimeUnit.SECONDS), "jlink did not finish");
        assertEquals(0, p.exitValue(), () -> "jlink failed: " + readQuietly(log));
        String java = image.resolve(Path.of("bin", "java")).toString();
        for (boolean named : new boolean[] {false, true}) {
            String out = child(java, named, "absent", List.of());
            assertTrue(out.lines().anyMatch("ok"::equals), out);
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void namedModuleRecordsEventsOfACommandLineRecording() throws Exception {
        Path file = dir.resolve("child.jfr");
        String out = child(true, "present", List.of("-XX:StartFlightRecording:filename=" + file
                + ",+" + WAIT + "#threshold=0ms,+" + WAIT + "#enabled=true"));
        assertTrue(out.lines().anyMatch("ok"::equals), out);
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertTrue(Flight.available());
        List<RecordedEvent> waits = named(events, WAIT, e -> true);
        assertTrue(waits.stream().anyMatch(e -> "child-waiter".equals(e.getThread().getJavaName())
                && "acquired".equals(e.getString("outcome"))), waits::toString);
        assertTrue(waits.stream().anyMatch(e -> "timed out".equals(e.getString("outcome"))), waits::toString);
        assertTrue(waits.stream().anyMatch(e -> "cancelled".equals(e.getString("outcome"))
                && "async".equals(e.getString("kind"))), waits::toString);
        assertTrue(waits.stream().anyMatch(e -> "abandoned".equals(e.getString("outcome"))), waits::toString);
        assertEquals(List.of(), named(events, HAND_OFF, e -> true), "the hand-off event is off by default");
        List<RecordedEvent> abandoned = named(events, ABANDONED, e -> true);
        assertEquals(List.of("child-dead-owner", "child-doomed-owner"),
                abandoned.stream().map(e -> e.getString("deadOwner")).sorted().toList(), abandoned::toString);
    }
}
