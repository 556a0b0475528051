package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.waitkit.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Namespace}: where it lives and what directories it accepts ({@link Namespace#open}
 * creates a missing directory 0700, refuses a world-writable one without the sticky bit,
 * accepts 1777; {@link Namespace#user()} is the user's 0700 directory), the permissions of the
 * files it creates, kinds and reopening, one object behind several handles, {@code list()} and
 * {@code unlink}.
 *
 * <p>Not tested here: {@code user()} refusing an unsafe directory (another owner, group or
 * other access) — its location comes from {@code XDG_RUNTIME_DIR} and the uid, which a test
 * cannot change in its own JVM, and changing the mode of the real {@code /dev/shm/waitkit-UID}
 * would disturb other processes of this user. {@code open()} is tested with the same kinds of
 * directories instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamespaceTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    private static int mode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 07777;
    }

    private static void chmod(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        assertEquals(mode, mode(p), "chmod " + Integer.toOctalString(mode));
    }

    private static int uid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /** A fresh subdirectory of the temp namespace's directory (not itself a namespace yet). */
    private static Path freshDir(String prefix) {
        return temp.dir.resolve(".dirs").resolve(TempNamespace.fresh(prefix));
    }

    // ---- Namespace.open: directories

    @Test
    void openCreatesAMissingDirectoryAndItsMissingParentsWithMode0700() throws IOException {
        Path dir = freshDir("missing").resolve("a").resolve("b");
        assertFalse(Files.exists(dir));
        Namespace ns = Namespace.open(dir);
        assertEquals(dir.toAbsolutePath().normalize(), ns.directory());
        assertTrue(Files.isDirectory(dir));
        assertEquals(0700, mode(dir), "the namespace directory: " + octal(mode(dir)));
        assertEquals(0700, mode(dir.getParent()), "a created parent: " + octal(mode(dir.getParent())));
        try (NamedEvent e = ns.event("x", false, false)) {
            assertTrue(e.created());
        }
    }

    @Test
    void openKeepsThePermissionsOfAnExistingDirectory() throws IOException {
        Path dir = freshDir("existing");
        Files.createDirectories(dir);
        chmod(dir, 0750);
        Namespace.open(dir);
        assertEquals(0750, mode(dir));
    }

    @Test
    void openRefusesAWorldWritableDirectoryWithoutTheStickyBit() throws IOException {
        Path dir = freshDir("ww");
        Files.createDirectories(dir);
        chmod(dir, 0777);
        IOException e = assertThrows(IOException.class, () -> Namespace.open(dir));
        assertTrue(e.getMessage().contains("world-writable"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), "names the directory: " + e.getMessage());
        assertEquals(0777, mode(dir), "the refused directory is left as it is");
        chmod(dir, 0773); // other-writable alone is enough
        IOException e2 = assertThrows(IOException.class, () -> Namespace.open(dir));
        assertTrue(e2.getMessage().contains("world-writable"), e2.getMessage());
    }

    @Test
    void openAcceptsAWorldWritableDirectoryWithTheStickyBit() throws IOException {
        Path dir = freshDir("sticky");
        Files.createDirectories(dir);
        chmod(dir, 01777);
        Namespace ns = Namespace.open(dir);
        try (NamedSemaphore s = ns.semaphore("s", 1, 1)) {
            assertTrue(s.created());
        }
    }

    @Test
    void openRefusesARegularFile() throws IOException {
        Path file = freshDir("file");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "not a directory");
        IOException e = assertThrows(IOException.class, () -> Namespace.open(file));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    /**
     * A symbolic link to a safe (0700) directory names that directory; only the directory's own
     * mode matters. BUG (see the report): {@code Namespace.open} checks the mode of the link
     * itself (lstat: always 0777) and refuses it as world-writable.
     */
    @Test
    void openAcceptsASymbolicLinkToASafeDirectory() throws IOException {
        Path real = freshDir("real");
        Files.createDirectories(real);
        chmod(real, 0700);
        Path link = freshDir("link");
        Files.createSymbolicLink(link, real);
        Namespace ns = Namespace.open(link);
        try (NamedEvent e = ns.event("via-link", false, false)) {
            assertTrue(Files.exists(real.resolve("via-link")));
        }
    }

    // ---- Namespace.user

    @Test
    void userIsADirectoryOwnedByTheUserWithMode0700() throws IOException {
        int uid = uid();
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        Path shm = Path.of("/dev/shm", "waitkit-" + uid);
        Path xdgDir = xdg == null || xdg.isEmpty() ? null : Path.of(xdg, "waitkit");
        boolean shmExisted = Files.exists(shm, LinkOption.NOFOLLOW_LINKS);
        boolean xdgExisted = xdgDir != null && Files.exists(xdgDir, LinkOption.NOFOLLOW_LINKS);
        Namespace ns;
        try {
            ns = Namespace.user();
        } catch (IOException e) {
            // a pre-existing unsafe directory of this user (not made by this test): refused with the reason
            assertTrue(e.getMessage().contains("unsafe namespace"), e.getMessage());
            org.junit.jupiter.api.Assumptions.abort("the user's namespace directory exists and is unsafe: " + e.getMessage());
            return;
        }
        Path dir = ns.directory();
        try {
            assertTrue(dir.equals(shm) || dir.equals(xdgDir), "user() is " + dir + ", expected " + shm + " or " + xdgDir);
            assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS));
            assertEquals(uid, ((Number) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue());
            assertEquals(0700, mode(dir), octal(mode(dir)));
            assertEquals(dir, Namespace.user().directory(), "user() is stable");
        } finally {
            boolean existed = dir.equals(shm) ? shmExisted : xdgExisted;
            if (!existed) {
                try {
                    Files.deleteIfExists(dir); // only if this test created it and it is still empty
                } catch (IOException someoneUsesIt) {
                    // a concurrent process put an object in it: leave it
                }
            }
        }
    }

    // ---- permissions of created files

    @Test
    void filesCreatedInA0700DirectoryAre0600() throws IOException {
        Path dir = freshDir("private");
        Namespace ns = Namespace.open(dir);
        assertEquals(0700, mode(dir));
        try (NamedEvent e = ns.event("e", false, false); NamedMutex m = ns.mutex("m"); NamedSemaphore s = ns.semaphore("s", 0, 1)) {
            for (String n : List.of("e", "m", "s")) {
                assertEquals(0600, mode(dir.resolve(n)), n + ": " + octal(mode(dir.resolve(n))));
            }
        }
    }

    @Test
    void filesCreatedInAGroupSharedDirectoryAre0660() throws IOException {
        Path dir = freshDir("group");
        Files.createDirectories(dir);
        chmod(dir, 0770);
        Namespace ns = Namespace.open(dir);
        try (NamedEvent e = ns.event("e", false, false); NamedMutex m = ns.mutex("m"); NamedSemaphore s = ns.semaphore("s", 0, 1)) {
            for (String n : List.of("e", "m", "s")) {
                assertEquals(0660, mode(dir.resolve(n)), n + ": " + octal(mode(dir.resolve(n))));
            }
        }
    }

    @Test
    void filesCreatedInAGroupReadableButNotWritableDirectoryAre0600() throws IOException {
        Path dir = freshDir("group-ro");
        Files.createDirectories(dir);
        chmod(dir, 0750);
        Namespace ns = Namespace.open(dir);
        try (NamedEvent e = ns.event("e", false, false)) {
            assertEquals(0600, mode(dir.resolve("e")), octal(mode(dir.resolve("e"))));
        }
    }

    @Test
    void noTemporaryFileIsLeftBehindByACreation() throws IOException {
        Path dir = freshDir("tmpfiles");
        Namespace ns = Namespace.open(dir);
        for (int i = 0; i < 5; i++) {
            ns.event("e" + i, false, false).close();
        }
        try (var s = Files.list(dir)) {
            List<String> dotFiles = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
            assertEquals(List.of(), dotFiles);
        }
    }

    // ---- kinds and reopening

    @Test
    void aFactoryOfAnotherKindIsAWrongKindExceptionNamingBothKinds() throws IOException {
        String name = TempNamespace.fresh("kinds");
        try (NamedMutex m = temp.ns.mutex(name)) {
            WrongKindException e = assertThrows(WrongKindException.class, () -> temp.ns.event(name, false, false));
            assertTrue(e.getMessage().contains("mutex") && e.getMessage().contains("event"), e.getMessage());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            WrongKindException e2 = assertThrows(WrongKindException.class, () -> temp.ns.semaphore(name, 0, 1));
            assertTrue(e2.getMessage().contains("mutex") && e2.getMessage().contains("semaphore"), e2.getMessage());
            assertEquals("free", m.info().state(), "the existing object is left as it is");
        }
        // also when no handle of it is open in this JVM (the header is read from the file)
        WrongKindException e3 = assertThrows(WrongKindException.class, () -> temp.ns.event(name, false, false));
        assertTrue(e3.getMessage().contains("mutex") && e3.getMessage().contains("event"), e3.getMessage());
        try (NamedMutex again = temp.ns.mutex(name)) {
            assertFalse(again.created());
        }
    }

    @Test
    void openExistingOfAnotherKindIsAWrongKindException() throws IOException {
        String name = TempNamespace.fresh("kinds");
        try (NamedEvent e = temp.ns.event(name, false, true)) {
            WrongKindException x = assertThrows(WrongKindException.class, () -> temp.ns.openExisting(name, NamedSemaphore.class));
            assertTrue(x.getMessage().contains("event") && x.getMessage().contains("semaphore"), x.getMessage());
            assertThrows(WrongKindException.class, () -> temp.ns.openExisting(name, NamedMutex.class));
            assertTrue(e.isSignaled(), "unchanged");
        }
        assertThrows(WrongKindException.class, () -> temp.ns.openExisting(name, NamedSemaphore.class));
    }

    @Test
    void openExistingOfAnAbsentNameIsNoSuchFileAndCreatesNothing() throws IOException {
        String name = TempNamespace.fresh("absent");
        for (Class<? extends NamedObject> k : List.<Class<? extends NamedObject>>of(NamedEvent.class, NamedMutex.class, NamedSemaphore.class, NamedObject.class)) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> temp.ns.openExisting(name, k), k.getSimpleName());
            assertTrue(String.valueOf(e.getMessage()).contains(name), e.getMessage());
        }
        assertFalse(Files.exists(temp.dir.resolve(name)));
    }

    @Test
    void openExistingAsNamedObjectReturnsTheHandleTypeOfTheKind() throws IOException {
        String e = TempNamespace.fresh("any");
        String m = TempNamespace.fresh("any");
        String s = TempNamespace.fresh("any");
        try (NamedEvent e1 = temp.ns.event(e, true, false); NamedMutex m1 = temp.ns.mutex(m); NamedSemaphore s1 = temp.ns.semaphore(s, 1, 4);
                NamedObject e2 = temp.ns.openExisting(e, NamedObject.class);
                NamedObject m2 = temp.ns.openExisting(m, NamedObject.class);
                NamedObject s2 = temp.ns.openExisting(s, NamedObject.class)) {
            assertTrue(assertInstanceOf(NamedEvent.class, e2).isManualReset());
            assertInstanceOf(NamedMutex.class, m2);
            assertEquals(4, assertInstanceOf(NamedSemaphore.class, s2).maxPermits());
            assertFalse(e2.created() || m2.created() || s2.created());
        }
    }

    @Test
    void reopeningKeepsTheOriginalParametersAndReportsCreatedFalse() throws IOException {
        String name = TempNamespace.fresh("reopen");
        try (NamedSemaphore first = temp.ns.semaphore(name, 2, 5); NamedSemaphore second = temp.ns.semaphore(name, 0, 1)) {
            assertTrue(first.created());
            assertFalse(second.created());
            assertEquals(5, second.maxPermits());
            assertEquals(2, second.availablePermits());
            assertEquals("2/5", second.info().state());
        }
        try (NamedSemaphore third = temp.ns.semaphore(name, 7, 9)) { // no handle open in this JVM now
            assertFalse(third.created());
            assertEquals(5, third.maxPermits());
            assertEquals(2, third.availablePermits());
        }
        String ev = TempNamespace.fresh("reopen");
        try (NamedEvent a = temp.ns.event(ev, true, true); NamedEvent b = temp.ns.event(ev, false, false)) {
            assertTrue(a.created());
            assertFalse(b.created());
            assertTrue(b.isManualReset());
            assertTrue(b.isSignaled());
        }
    }

    /**
     * Racing creators in one JVM: 8 threads started together open the same fresh name; exactly
     * one of them reports {@code created()}. Repeated 40 times per kind with fresh names (the
     * brief's 20 catch the bug below only most of the time).
     *
     * <p>BUG (see the report): {@code Mapping.open} returns {@code created && m.fd == fd}; when
     * a thread that merely opened the new file registers the mapping before the creator does,
     * the creator gets the other thread's mapping ({@code m.fd != fd}) and reports false, so no
     * thread reports {@code created()} (about one race in five here).
     */
    @Test
    void exactlyOneOfEightRacingCreatorsReportsCreated() throws Exception {
        List<String> failures = new ArrayList<>();
        for (var race : raceCreators(40).entrySet()) {
            if (race.getValue() != 1) {
                failures.add(race.getKey() + ": created() was true for " + race.getValue() + " of 8");
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of 120 races: " + String.join("; ", failures));
    }

    /** The part of the racing-creators property that holds today: never two creators. */
    @Test
    void atMostOneOfEightRacingCreatorsReportsCreatedAndAllGetOneObject() throws Exception {
        List<String> failures = new ArrayList<>();
        for (var race : raceCreators(20).entrySet()) {
            if (race.getValue() > 1) {
                failures.add(race.getKey() + ": created() was true for " + race.getValue() + " of 8");
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of 60 races: " + String.join("; ", failures));
    }

    /**
     * Runs {@code rounds} races per kind of 8 threads opening one fresh name together; checks that all 8
     * handles are of one object (a change through one is seen through every other).
     *
     * @return per race ("kind round n"), how many handles reported created()
     */
    private static Map<String, Integer> raceCreators(int rounds) throws Exception {
        Map<String, Function<String, NamedObject>> kinds = new java.util.LinkedHashMap<>();
        kinds.put("event", n -> unchecked(() -> temp.ns.event(n, true, false)));
        kinds.put("mutex", n -> unchecked(() -> temp.ns.mutex(n)));
        kinds.put("semaphore", n -> unchecked(() -> temp.ns.semaphore(n, 0, 3)));
        int threads = 8;
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (var kind : kinds.entrySet()) {
                for (int round = 0; round < rounds; round++) {
                    String name = TempNamespace.fresh("race-" + kind.getKey());
                    CountDownLatch ready = new CountDownLatch(threads);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<NamedObject>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        results.add(pool.submit(() -> {
                            ready.countDown();
                            go.await();
                            return kind.getValue().apply(name);
                        }));
                    }
                    ready.await();
                    go.countDown();
                    List<NamedObject> handles = new ArrayList<>();
                    try {
                        for (Future<NamedObject> f : results) {
                            handles.add(f.get(30, TimeUnit.SECONDS));
                        }
                        out.put(kind.getKey() + " round " + round, (int) handles.stream().filter(NamedObject::created).count());
                        assertOneObject(handles);
                    } finally {
                        handles.forEach(NamedObject::close);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    @Test
    void closingTheOnlyHandleWhileAnotherThreadWaitsOnItKeepsTheObjectMappedUntilTheWaitEnds() throws Exception {
        String name = TempNamespace.fresh("close-while-waiting");
        NamedEvent e = temp.ns.event(name, false, false);
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                result.set(e.await(Duration.ofSeconds(30)));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        DirectSleep.awaitBlocked(waiter);
        assertDoesNotThrow(e::close, "the close neither fails nor unmaps under the wait");
        assertThrows(IllegalStateException.class, e::isSignaled, "the handle itself is closed");
        try (NamedEvent again = temp.ns.openExisting(name, NamedEvent.class)) {
            again.set(); // the same object: the wait's mapping is still this JVM's mapping of the file
        }
        waiter.join(Duration.ofSeconds(30));
        assertEquals(Boolean.TRUE, result.get(), "the wait went on and was satisfied");
    }

    private static void assertOneObject(List<NamedObject> handles) {
        switch (handles.get(0)) {
            case NamedEvent e -> {
                e.set();
                handles.forEach(h -> assertTrue(((NamedEvent) h).isSignaled()));
            }
            case NamedMutex m -> {
                // handles of one object are duplicates in a wait-all
                for (NamedObject h : handles.subList(1, handles.size())) {
                    assertThrows(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, m, (NamedMutex) h));
                }
            }
            case NamedSemaphore s -> {
                s.release(2);
                handles.forEach(h -> assertEquals(2, ((NamedSemaphore) h).availablePermits()));
            }
            default -> throw new IllegalArgumentException("no one-object check for " + handles.get(0));
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- two handles, one object

    @Test
    void twoHandlesOfOneNameShareState() throws Exception {
        String name = TempNamespace.fresh("shared");
        try (NamedEvent a = temp.ns.event(name, false, false); NamedEvent b = temp.ns.event(name, true, true)) {
            assertFalse(b.isManualReset(), "b opened a's object");
            a.set();
            assertTrue(b.isSignaled());
            assertTrue(b.tryAwait(), "b consumes the auto-reset signal a set");
            assertFalse(a.isSignaled());
        }
        String sem = TempNamespace.fresh("shared");
        try (NamedSemaphore a = temp.ns.semaphore(sem, 0, 2); NamedSemaphore b = temp.ns.openExisting(sem, NamedSemaphore.class)) {
            CompletableFuture<Void> f = b.acquireAsync();
            assertEquals(0, a.release());
            f.get(10, TimeUnit.SECONDS);
            assertEquals(0, a.availablePermits());
        }
    }

    @Test
    void twoHandlesOfOneObjectInAWaitAllAreDuplicates() throws IOException {
        String name = TempNamespace.fresh("dup");
        try (NamedEvent a = temp.ns.event(name, true, true); NamedEvent b = temp.ns.openExisting(name, NamedEvent.class)) {
            assertThrows(IllegalArgumentException.class, () -> Wait.all(a, b));
            assertThrows(IllegalArgumentException.class, () -> Wait.all(Duration.ZERO, a, b));
            assertThrows(IllegalArgumentException.class, () -> Wait.allAsync(a, b));
            assertTrue(a.isSignaled(), "nothing happened to the object");
        }
        String m = TempNamespace.fresh("dup");
        try (NamedMutex a = temp.ns.mutex(m); NamedMutex b = temp.ns.mutex(m)) {
            assertThrows(IllegalArgumentException.class, () -> Wait.all(Duration.ofMillis(10), a, b));
            assertEquals(0, a.holdCount(), "nothing acquired");
        }
    }

    @Test
    void closingOneHandleLeavesTheOtherWorkingAndCloseIsIdempotent() throws Exception {
        String name = TempNamespace.fresh("close");
        NamedEvent a = temp.ns.event(name, false, false);
        NamedEvent b = temp.ns.openExisting(name, NamedEvent.class);
        NamedEvent c = temp.ns.openExisting(name, NamedEvent.class);
        a.close();
        a.close(); // a second close must not release the shared mapping a second time
        a.close();
        assertTrue(a.toString().contains("closed"), a.toString());
        b.set();
        assertTrue(c.isSignaled());
        assertTrue(c.await(Duration.ofSeconds(1)));
        c.close();
        c.close();
        b.set();
        assertTrue(b.isSignaled(), "b still maps the object after a and c were closed (each twice)");
        assertTrue(b.tryAwait());
        b.close();
    }

    @Test
    void everyOperationOfAClosedHandleIsAnIllegalStateException() throws IOException {
        String e = TempNamespace.fresh("closed");
        String m = TempNamespace.fresh("closed");
        String s = TempNamespace.fresh("closed");
        NamedEvent ev = temp.ns.event(e, false, true);
        NamedMutex mx = temp.ns.mutex(m);
        NamedSemaphore sm = temp.ns.semaphore(s, 1, 2);
        ev.close();
        mx.close();
        sm.close();
        Map<String, Executable> ops = new java.util.LinkedHashMap<>();
        ops.put("event.set", ev::set);
        ops.put("event.reset", ev::reset);
        ops.put("event.pulse", ev::pulse);
        ops.put("event.isSignaled", ev::isSignaled);
        ops.put("event.isManualReset", ev::isManualReset);
        ops.put("event.await", ev::await);
        ops.put("event.awaitUninterruptibly", ev::awaitUninterruptibly);
        ops.put("event.await(Duration)", () -> ev.await(Duration.ofMillis(1)));
        ops.put("event.tryAwait", ev::tryAwait);
        ops.put("event.awaitAsync", ev::awaitAsync);
        ops.put("event.info", ev::info);
        ops.put("mutex.lock", mx::lock);
        ops.put("mutex.lockInterruptibly", mx::lockInterruptibly);
        ops.put("mutex.tryLock", mx::tryLock);
        ops.put("mutex.tryLock(Duration)", () -> mx.tryLock(Duration.ofMillis(1)));
        ops.put("mutex.tryLock(long,TimeUnit)", () -> mx.tryLock(1, TimeUnit.MILLISECONDS));
        ops.put("mutex.lockAsync", mx::lockAsync);
        ops.put("mutex.release", mx::release);
        ops.put("mutex.unlock", mx::unlock);
        ops.put("mutex.isHeldByCurrentThread", mx::isHeldByCurrentThread);
        ops.put("mutex.holdCount", mx::holdCount);
        ops.put("mutex.isAbandoned", mx::isAbandoned);
        ops.put("mutex.ownerPid", mx::ownerPid);
        ops.put("mutex.info", mx::info);
        ops.put("semaphore.acquire", sm::acquire);
        ops.put("semaphore.tryAcquire", sm::tryAcquire);
        ops.put("semaphore.tryAcquire(Duration)", () -> sm.tryAcquire(Duration.ofMillis(1)));
        ops.put("semaphore.acquireAsync", sm::acquireAsync);
        ops.put("semaphore.release", sm::release);
        ops.put("semaphore.release(n)", () -> sm.release(1));
        ops.put("semaphore.availablePermits", sm::availablePermits);
        ops.put("semaphore.maxPermits", sm::maxPermits);
        ops.put("semaphore.info", sm::info);
        ops.put("Wait.any(closed event)", () -> Wait.any(Duration.ZERO, ev));
        ops.put("Wait.all(closed semaphore)", () -> Wait.all(Duration.ZERO, sm));
        ops.put("Wait.anyAsync(closed mutex)", () -> Wait.anyAsync(mx));
        List<String> wrong = new ArrayList<>();
        for (var op : ops.entrySet()) {
            try {
                op.getValue().execute();
                wrong.add(op.getKey() + ": no exception");
            } catch (IllegalStateException expected) {
                // as documented
            } catch (Throwable t) {
                wrong.add(op.getKey() + ": " + t);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertDoesNotThrow(ev::close);
        // the objects themselves are unchanged: a closed handle never touched them
        try (NamedEvent ev2 = temp.ns.openExisting(e, NamedEvent.class); NamedSemaphore sm2 = temp.ns.openExisting(s, NamedSemaphore.class)) {
            assertTrue(ev2.isSignaled());
            assertEquals(1, sm2.availablePermits());
        }
    }

    @Test
    void stateIsInTheFileAndPersistsAfterEveryHandleIsClosed() throws Exception {
        String e = TempNamespace.fresh("persist");
        String s = TempNamespace.fresh("persist");
        try (NamedEvent ev = temp.ns.event(e, true, false); NamedSemaphore sm = temp.ns.semaphore(s, 0, 9)) {
            ev.set();
            sm.release(7);
        }
        try (NamedEvent ev = temp.ns.openExisting(e, NamedEvent.class); NamedSemaphore sm = temp.ns.openExisting(s, NamedSemaphore.class)) {
            assertTrue(ev.isSignaled());
            assertTrue(ev.isManualReset());
            assertEquals(7, sm.availablePermits());
            assertEquals(9, sm.maxPermits());
        }
    }

    /**
     * A held mutex stays held when every handle of it is closed ("closing a handle changes
     * nothing in the object"), and a reopened handle sees the current thread as its owner.
     *
     * <p>BUG (see the report): {@code MutexProxy.acquired} registers the proxy with the core's
     * {@code OwnerWatchdog} without retaining its {@code Mapping}; the last close unmaps the file
     * while the watchdog may be inside {@code checkOwner}'s outside-lock critical section, whose
     * next access then throws, leaving the file's lock bit set with this (live) pid: every later
     * lock of the object, in any process, spins forever. The watchdog also keeps every closed
     * proxy and retries it every 20 ms forever (one exception each time). Reproduced here within
     * a few hundred rounds (about 8 s); each round's reopen is given 5 s on its own thread.
     */
    @Test
    void aHeldMutexStaysHeldAfterItsHandlesAreClosedAndReopeningNeverHangs() throws Exception {
        String name = TempNamespace.fresh("held-closed");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        for (int round = 0; round < 2000 && System.nanoTime() - end < 0; round++) {
            NamedMutex m = temp.ns.mutex(name);
            m.lock();
            m.lock();
            m.close(); // held twice, no handle left
            CompletableFuture<Integer> reopened = CompletableFuture.supplyAsync(() -> {
                try (NamedMutex again = temp.ns.openExisting(name, NamedMutex.class)) {
                    return again.info().state().equals("held (holds=2)") ? 2 : -1;
                } catch (IOException x) {
                    throw new java.io.UncheckedIOException(x);
                }
            }, r -> Thread.ofPlatform().daemon().name("reopen-" + name).start(r));
            try {
                assertEquals(2, reopened.get(5, TimeUnit.SECONDS), "round " + round);
            } catch (java.util.concurrent.TimeoutException stuck) {
                fail("round " + round + ": reopening a mutex whose handles were closed while held hangs: its lock word stays locked");
            }
            try (NamedMutex again = temp.ns.openExisting(name, NamedMutex.class)) {
                assertTrue(again.isHeldByCurrentThread(), "round " + round);
                assertEquals(2, again.holdCount());
                again.unlock();
                again.unlock();
                assertEquals("free", again.info().state());
            }
        }
    }


    // ---- list()

    private static NamedObjectInfo listed(String name) throws IOException {
        return temp.ns.list().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    private static boolean procLocksReadable() {
        return Files.isReadable(Path.of("/proc/locks"));
    }

    @Test
    void listReportsKindStateOwnerAndOpeners() throws Exception {
        Path dir = freshDir("list");
        Namespace ns = Namespace.open(dir);
        long pid = ProcessHandle.current().pid();
        try (NamedEvent on = ns.event("ev-on", true, true); NamedEvent off = ns.event("ev-off", false, false);
                NamedMutex free = ns.mutex("mx-free"); NamedMutex held = ns.mutex("mx-held"); NamedMutex abandoned = ns.mutex("mx-abandoned");
                NamedSemaphore sem = ns.semaphore("sem", 3, 10)) {
            held.lock();
            held.lock();
            Thread t = Thread.ofPlatform().start(abandoned::lock); // ends holding it
            t.join(10_000);
            assertFalse(t.isAlive());

            Map<String, NamedObjectInfo> all = ns.list().stream().collect(Collectors.toMap(NamedObjectInfo::name, i -> i));
            assertEquals(List.of("ev-off", "ev-on", "mx-abandoned", "mx-free", "mx-held", "sem"), ns.list().stream().map(NamedObjectInfo::name).toList(),
                    "every object, sorted by name");
            assertInfo(all.get("ev-on"), "event", "signaled");
            assertInfo(all.get("ev-off"), "event", "not signaled");
            assertInfo(all.get("mx-free"), "mutex", "free");
            assertInfo(all.get("mx-held"), "mutex", "held (holds=2)");
            assertInfo(all.get("mx-abandoned"), "mutex", "abandoned");
            assertInfo(all.get("sem"), "semaphore", "3/10");
            for (NamedObjectInfo i : all.values()) {
                if (i.name().equals("mx-held")) {
                    assertEquals(OptionalLong.of(pid), i.ownerPid(), "a held mutex names its owner's pid");
                } else {
                    assertEquals(OptionalLong.empty(), i.ownerPid(), i.name() + " has no owner pid");
                }
                assertEquals(0, i.waiters(), i.name());
                if (procLocksReadable()) {
                    assertTrue(i.openers() >= 1, i.name() + " is open here: openers " + i.openers());
                }
            }
            // info() of a handle is the same record
            assertEquals(all.get("mx-held"), held.info());
            assertEquals(all.get("sem"), sem.info());
            assertEquals(all.get("ev-on"), on.info());
            held.unlock();
            held.unlock();
            assertInfo(listed(ns, "mx-held"), "mutex", "free");
            assertEquals(OptionalLong.empty(), listed(ns, "mx-held").ownerPid());
        }
        if (procLocksReadable()) {
            // a mutex that was held keeps its mapping until the owner watchdog's next check
            // (every 20 ms) finds it free: bounded poll, not a sleep
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (ns.list().stream().anyMatch(i -> i.openers() != 0) && System.nanoTime() - deadline < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
            for (NamedObjectInfo i : ns.list()) {
                assertEquals(0, i.openers(), i.name() + ": every handle is closed");
            }
        }
    }

    private static NamedObjectInfo listed(Namespace ns, String name) throws IOException {
        return ns.list().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    private static void assertInfo(NamedObjectInfo i, String kind, String state) {
        assertTrue(i != null, "listed");
        assertEquals(kind, i.kind(), i.toString());
        assertEquals(state, i.state(), i.toString());
    }

    @Test
    void listAndInfoCountABlockedWaiter() throws Exception {
        String name = TempNamespace.fresh("waiters");
        try (NamedEvent e = temp.ns.event(name, false, false); NamedSemaphore s = temp.ns.semaphore(name + "-s", 0, 1)) {
            Thread t1 = Thread.ofPlatform().start(() -> {
                try {
                    e.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
            Thread t2 = Thread.ofVirtual().start(() -> {
                try {
                    s.acquire();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
            awaitCondition(() -> e.info().waiters() == 1 && s.info().waiters() == 1, "one blocked waiter each");
            assertEquals(1, listed(name).waiters());
            assertEquals(1, listed(name + "-s").waiters());
            e.set();
            s.release();
            t1.join(10_000);
            t2.join(10_000);
            assertFalse(t1.isAlive() || t2.isAlive());
            assertEquals(0, e.info().waiters());
            assertEquals(0, listed(name + "-s").waiters());
            // a withdrawn wait (interrupt) is uncounted too
            Thread t3 = Thread.ofPlatform().start(() -> {
                try {
                    e.await();
                } catch (InterruptedException ignored) {
                    // ends
                }
            });
            awaitCondition(() -> e.info().waiters() == 1, "blocked again");
            t3.interrupt();
            t3.join(10_000);
            assertEquals(0, e.info().waiters());
            assertFalse(e.isSignaled());
        }
    }

    static void awaitCondition(Supplier<Boolean> c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.get()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(2);
        }
    }

    @Test
    void listSkipsDotFilesAndDirectories() throws IOException {
        Path dir = freshDir("dots");
        Namespace ns = Namespace.open(dir);
        try (NamedEvent e = ns.event("visible", false, false)) {
            Files.writeString(dir.resolve(".tmp-123-abc"), "a creation in progress");
            Files.createDirectory(dir.resolve("subdir"));
            Files.createDirectory(dir.resolve(".hidden-dir"));
            assertEquals(List.of("visible"), ns.list().stream().map(NamedObjectInfo::name).toList());
        }
    }

    // ---- unlink

    @Test
    void unlinkRemovesTheNameAndSaysWhetherItExisted() throws IOException {
        String name = TempNamespace.fresh("unlink");
        temp.ns.semaphore(name, 0, 1).close();
        assertTrue(Files.exists(temp.dir.resolve(name)));
        assertTrue(temp.ns.unlink(name));
        assertFalse(Files.exists(temp.dir.resolve(name)));
        assertFalse(temp.ns.list().stream().anyMatch(i -> i.name().equals(name)));
        assertFalse(temp.ns.unlink(name));
        assertThrows(NoSuchFileException.class, () -> temp.ns.openExisting(name, NamedSemaphore.class));
    }

    @Test
    void afterUnlinkAnOpenHandleKeepsTheOldObjectAndANewOpenCreatesANewOne() throws Exception {
        String name = TempNamespace.fresh("gen");
        try (NamedSemaphore old = temp.ns.semaphore(name, 1, 5); NamedEvent oldEv = temp.ns.event(name + "-e", true, false)) {
            assertTrue(temp.ns.unlink(name));
            assertTrue(temp.ns.unlink(name + "-e"));
            assertEquals(1, old.release(), "the old object still works");
            assertEquals(2, old.availablePermits());
            try (NamedSemaphore fresh = temp.ns.semaphore(name, 0, 3); NamedEvent freshEv = temp.ns.event(name + "-e", false, false)) {
                assertTrue(fresh.created(), "a new object");
                assertTrue(freshEv.created());
                assertEquals(3, fresh.maxPermits());
                assertEquals(0, fresh.availablePermits(), "no state shared with the old object");
                assertEquals(2, old.availablePermits());
                fresh.release();
                assertEquals(2, old.availablePermits());
                oldEv.set();
                assertFalse(freshEv.isSignaled());
                assertFalse(freshEv.isManualReset());
                // two generations are two objects: a wait-all of both is not a duplicate
                assertTrue(Wait.all(Duration.ofSeconds(1), old, fresh));
                assertEquals(1, old.availablePermits());
                assertEquals(0, fresh.availablePermits());
                assertEquals("0/3", listed(name).state(), "the listing shows the new object");
            }
            assertTrue(old.tryAcquire());
        }
    }

    @Test
    void unlinkWhileAWaiterIsBlockedLeavesItWaitingOnTheOldObject() throws Exception {
        String name = TempNamespace.fresh("gen-wait");
        try (NamedEvent old = temp.ns.event(name, false, false)) {
            CompletableFuture<Void> f = old.awaitAsync();
            assertTrue(temp.ns.unlink(name));
            try (NamedEvent fresh = temp.ns.event(name, false, false)) {
                assertTrue(fresh.created());
                fresh.set();
                Thread.sleep(50);
                assertFalse(f.isDone(), "a set of the new object does not serve a waiter of the old one");
                assertTrue(fresh.isSignaled());
            }
            old.set();
            f.get(10, TimeUnit.SECONDS);
            assertNotEquals(null, old.toString());
        }
    }
}
