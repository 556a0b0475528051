package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged object files written by hand under valid names: every way of opening one throws
 * {@link CorruptObjectException} saying what is wrong, {@code list()} shows it as {@code corrupt}
 * with the reason and does not throw, the other objects of the namespace stay usable, and
 * {@code unlink} removes it. Among the damages is a truncated body, which would fault (SIGBUS,
 * a JVM crash) if it were mapped before the checks.
 *
 * <p>The files are built from the documented layout ({@code HeaderLayout}: magic
 * {@code "WAITKIT" 0x01}, version 1 (2 for a barging mutex or semaphore, with the fairness 1 in
 * PARAM1) at 8, kind at 12, file size at 16, params at 24 and 32,
 * creator pid at 40, CRC-32C of bytes 0..47 at 48, all little-endian; a 64-byte body follows),
 * checked first against a file the library wrote.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CorruptFilesTest {
    private static final int HEADER = 64;
    private static final int FILE_SIZE = 128;
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** A header as the documented layout says, with a correct checksum. */
    private static byte[] header(int version, int kind, long fileSize, long param0, long creator) {
        return header(version, kind, fileSize, param0, 0L, creator);
    }

    /** A header with a PARAM1 (a mutex's or semaphore's fairness: 0 hand-off, 1 barging). */
    private static byte[] header(int version, int kind, long fileSize, long param0, long param1, long creator) {
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {'W', 'A', 'I', 'T', 'K', 'I', 'T', 1});
        b.putInt(8, version);
        b.putInt(12, kind);
        b.putLong(16, fileSize);
        b.putLong(24, param0);
        b.putLong(32, param1);
        b.putLong(40, creator);
        b.putLong(48, crc(b.array()));
        return b.array();
    }

    private static long crc(byte[] file) {
        CRC32C c = new CRC32C();
        c.update(file, 0, 48);
        return c.getValue();
    }

    /** A complete valid file of the kind (1 event, 2 mutex, 3 semaphore) with a zero body. */
    private static byte[] validFile(int kind, long param0) {
        return Arrays.copyOf(header(1, kind, FILE_SIZE, param0, ProcessHandle.current().pid()), FILE_SIZE);
    }

    private static byte[] realEventFile() throws IOException {
        String name = TempNamespace.fresh("real");
        try (NamedEvent e = temp.ns.event(name, true, false)) {
            return Files.readAllBytes(temp.dir.resolve(name));
        } finally {
            temp.ns.unlink(name);
        }
    }

    @Test
    void theHandBuiltHeaderMatchesAFileTheLibraryWrote() throws IOException {
        byte[] real = realEventFile();
        assertEquals(FILE_SIZE, real.length);
        byte[] mine = header(1, 1, FILE_SIZE, 1L, ProcessHandle.current().pid());
        assertArrayEquals(mine, Arrays.copyOf(real, HEADER), "the header of a manual-reset event");
        // and a hand-built valid file opens as that kind
        String name = TempNamespace.fresh("handmade");
        Files.write(temp.dir.resolve(name), validFile(3, 4));
        try (NamedSemaphore s = temp.ns.openExisting(name, NamedSemaphore.class)) {
            assertEquals(4, s.maxPermits());
            assertEquals(0, s.availablePermits());
            s.release(4);
            assertEquals("4/4", s.info().state());
        } finally {
            temp.ns.unlink(name);
        }
        // a barging mutex: version 2, fairness 1 in PARAM1; a hand-built one opens barging
        String barging = TempNamespace.fresh("real-barging");
        try (NamedMutex m = temp.ns.mutex(barging, io.waitkit.Fairness.BARGING)) {
            byte[] file = Files.readAllBytes(temp.dir.resolve(barging));
            assertArrayEquals(header(2, 2, FILE_SIZE, 0, 1, ProcessHandle.current().pid()), Arrays.copyOf(file, HEADER),
                    "the header of a barging mutex");
        } finally {
            temp.ns.unlink(barging);
        }
        Files.write(temp.dir.resolve(name), Arrays.copyOf(header(2, 3, FILE_SIZE, 4, 1, 1), FILE_SIZE));
        try (NamedSemaphore s = temp.ns.openExisting(name, NamedSemaphore.class)) {
            assertEquals(io.waitkit.Fairness.BARGING, s.fairness());
            assertEquals(4, s.maxPermits());
        } finally {
            temp.ns.unlink(name);
        }
    }

    /** Each damage: a label, the file's bytes, the word the message must contain. */
    static Stream<Arguments> damages() throws IOException {
        byte[] real = realEventFile();
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("zero bytes", new byte[0], "empty"));
        out.add(Arguments.of("10 bytes", Arrays.copyOf(real, 10), "truncated"));
        out.add(Arguments.of("63 bytes (one short of a header)", Arrays.copyOf(real, 63), "truncated"));
        out.add(Arguments.of("a valid header and a truncated body (100 of 128 bytes)", Arrays.copyOf(real, 100), "truncated"));
        out.add(Arguments.of("a valid header and no body (64 bytes)", Arrays.copyOf(real, 64), "truncated"));
        byte[] magic = real.clone();
        magic[0] = 'X';
        out.add(Arguments.of("bad magic", magic, "magic"));
        byte[] magicVersionByte = real.clone();
        magicVersionByte[7] = 2;
        out.add(Arguments.of("bad magic (last byte)", magicVersionByte, "magic"));
        byte[] zeros = new byte[FILE_SIZE];
        out.add(Arguments.of("128 zero bytes", zeros, "magic"));
        byte[] version = Arrays.copyOf(header(3, 1, FILE_SIZE, 0, 1), FILE_SIZE);
        out.add(Arguments.of("layout version 3 (valid checksum)", version, "newer Waitkit"));
        out.add(Arguments.of("layout version 0 (valid checksum)", Arrays.copyOf(header(0, 1, FILE_SIZE, 0, 1), FILE_SIZE),
                "version 0"));
        out.add(Arguments.of("a version-1 mutex that says barging (valid checksum)",
                Arrays.copyOf(header(1, 2, FILE_SIZE, 0, 1, 1), FILE_SIZE), "version-1 mutex file with fairness 1"));
        out.add(Arguments.of("a version-1 semaphore that says barging (valid checksum)",
                Arrays.copyOf(header(1, 3, FILE_SIZE, 2, 1, 1), FILE_SIZE), "version-1 semaphore file with fairness 1"));
        out.add(Arguments.of("a mutex with fairness 2 (valid checksum)",
                Arrays.copyOf(header(2, 2, FILE_SIZE, 0, 2, 1), FILE_SIZE), "fairness is 2"));
        out.add(Arguments.of("a semaphore with fairness -1 (valid checksum)",
                Arrays.copyOf(header(2, 3, FILE_SIZE, 2, -1, 1), FILE_SIZE), "fairness is -1"));
        byte[] versionNoCrc = real.clone();
        versionNoCrc[8] = 7;
        out.add(Arguments.of("layout version 7 (checksum not updated)", versionNoCrc, "version"));
        byte[] flipped = real.clone();
        flipped[24] ^= 0x01; // PARAM0: manual-reset becomes auto-reset, unless the checksum catches it
        out.add(Arguments.of("a flipped bit in PARAM0", flipped, "checksum"));
        byte[] flippedKind = real.clone();
        flippedKind[12] = 2; // event becomes mutex, unless the checksum catches it
        out.add(Arguments.of("a changed kind code", flippedKind, "checksum"));
        byte[] flippedCrc = real.clone();
        flippedCrc[50] ^= (byte) 0x80;
        out.add(Arguments.of("a flipped bit in the stored checksum", flippedCrc, "checksum"));
        out.add(Arguments.of("an unknown kind code (valid checksum)", Arrays.copyOf(header(1, 9, FILE_SIZE, 0, 1), FILE_SIZE), "kind"));
        out.add(Arguments.of("a valid header that says 256 bytes in a 256-byte file",
                Arrays.copyOf(header(1, 1, 256, 0, 1), 256), "256"));
        out.add(Arguments.of("a valid header that says 128 bytes in a 4096-byte file",
                Arrays.copyOf(header(1, 1, FILE_SIZE, 0, 1), 4096), "4096"));
        out.add(Arguments.of("a valid header that says 4096 bytes in a 128-byte file",
                Arrays.copyOf(header(1, 1, 4096, 0, 1), FILE_SIZE), "truncated"));
        out.add(Arguments.of("an event with manual-reset flag 2 (valid checksum)",
                Arrays.copyOf(header(1, 1, FILE_SIZE, 2, 1), FILE_SIZE), "impossible"));
        out.add(Arguments.of("a semaphore with maximum 0 (valid checksum)",
                Arrays.copyOf(header(1, 3, FILE_SIZE, 0, 1), FILE_SIZE), "impossible"));
        out.add(Arguments.of("a message queue of capacity 0 (valid checksum)",
                Arrays.copyOf(header(1, 4, 4096, 0, 1), 4096), "impossible"));
        out.add(Arguments.of("a pipe of capacity -1 (valid checksum)",
                Arrays.copyOf(header(1, 5, 4096, -1, 1), 4096), "impossible"));
        out.add(Arguments.of("a section of 2^40 bytes in a 4096-byte file (valid checksum)",
                Arrays.copyOf(header(1, 6, 4096, 1L << 40, 1), 4096), "impossible"));
        out.add(Arguments.of("a section of 100 bytes whose header says 4096 (valid checksum)",
                Arrays.copyOf(header(1, 6, 4096, 100, 1), 4096), "4096"));
        return out.stream();
    }

    /** Every way to open a name, as a label and a call. */
    private static Map<String, Executable> opens(String name) {
        Map<String, Executable> m = new LinkedHashMap<>();
        m.put("event()", () -> temp.ns.event(name, false, false).close());
        m.put("mutex()", () -> temp.ns.mutex(name).close());
        m.put("semaphore()", () -> temp.ns.semaphore(name, 0, 1).close());
        m.put("mutex(BARGING)", () -> temp.ns.mutex(name, io.waitkit.Fairness.BARGING).close());
        m.put("semaphore(HAND_OFF)", () -> temp.ns.semaphore(name, 0, 1, io.waitkit.Fairness.HAND_OFF).close());
        m.put("openExisting(NamedEvent)", () -> temp.ns.openExisting(name, NamedEvent.class).close());
        m.put("openExisting(NamedMutex)", () -> temp.ns.openExisting(name, NamedMutex.class).close());
        m.put("openExisting(NamedSemaphore)", () -> temp.ns.openExisting(name, NamedSemaphore.class).close());
        m.put("messageQueue()", () -> temp.ns.messageQueue(name, 4, 16).close());
        m.put("pipe()", () -> temp.ns.pipe(name, 64).close());
        m.put("section()", () -> temp.ns.section(name, 64).close());
        m.put("openExisting(NamedMessageQueue)", () -> temp.ns.openExisting(name, NamedMessageQueue.class).close());
        m.put("openExisting(NamedPipe)", () -> temp.ns.openExisting(name, NamedPipe.class).close());
        m.put("openExisting(SharedSection)", () -> temp.ns.openExisting(name, SharedSection.class).close());
        m.put("openExisting(NamedObject)", () -> temp.ns.openExisting(name, NamedObject.class).close());
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void aDamagedFileIsRefusedByEveryOpenListedAsCorruptAndRemovedByUnlink(String label, byte[] content, String keyword)
            throws Exception {
        String name = TempNamespace.fresh("corrupt");
        Path file = temp.dir.resolve(name);
        String good = TempNamespace.fresh("good");
        try (NamedEvent neighbour = temp.ns.event(good, false, false)) {
            Files.write(file, content);
            List<String> wrong = new ArrayList<>();
            for (var open : opens(name).entrySet()) {
                try {
                    open.getValue().execute();
                    wrong.add(open.getKey() + ": opened a damaged file");
                } catch (CorruptObjectException e) {
                    if (!e.getMessage().contains(keyword)) {
                        wrong.add(open.getKey() + ": message lacks \"" + keyword + "\": " + e.getMessage());
                    }
                    if (!e.getMessage().contains(file.toString())) {
                        wrong.add(open.getKey() + ": message does not name the file: " + e.getMessage());
                    }
                } catch (Throwable t) {
                    wrong.add(open.getKey() + ": " + t);
                }
            }
            assertTrue(wrong.isEmpty(), label + ":\n" + String.join("\n", wrong));
            assertArrayEquals(content, Files.readAllBytes(file), "the damaged file is left unchanged");

            NamedObjectInfo info = temp.ns.list().stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("the damaged file is not listed"));
            assertEquals("corrupt", info.kind(), info.toString());
            assertTrue(info.state().contains(keyword), "the reason: " + info);
            assertTrue(info.ownerPid().isEmpty());
            assertEquals(0, info.waiters());
            if (Files.isReadable(Path.of("/proc/locks"))) {
                assertEquals(0, info.openers(), "no failed open kept the file open: " + info);
            }

            // the other objects are unaffected
            neighbour.set();
            try (NamedEvent again = temp.ns.openExisting(good, NamedEvent.class)) {
                assertTrue(again.tryAwait());
            }
            NamedObjectInfo n = temp.ns.list().stream().filter(i -> i.name().equals(good)).findFirst().orElseThrow();
            assertEquals("event", n.kind());

            assertTrue(temp.ns.unlink(name), "unlink removes a damaged file");
            assertFalse(Files.exists(file));
            try (NamedMutex fresh = temp.ns.mutex(name)) {
                assertTrue(fresh.created(), "the name is free again");
            }
        } finally {
            temp.ns.unlink(name);
            temp.ns.unlink(good);
        }
    }

    @Test
    void listShowsEveryKindOfDamageAtOnceWithoutThrowing() throws Exception {
        Path dir = temp.dir.resolve(".many");
        Namespace ns = Namespace.open(dir);
        List<Arguments> all = damages().toList();
        for (int i = 0; i < all.size(); i++) {
            Files.write(dir.resolve("bad-" + (100 + i)), (byte[]) all.get(i).get()[1]);
        }
        try (NamedSemaphore ok = ns.semaphore("ok", 1, 2)) {
            List<NamedObjectInfo> list = ns.list();
            assertEquals(all.size() + 1, list.size());
            for (int i = 0; i < all.size(); i++) {
                NamedObjectInfo info = list.get(i);
                assertEquals("bad-" + (100 + i), info.name());
                assertEquals("corrupt", info.kind(), all.get(i).get()[0] + ": " + info);
                assertTrue(info.state().contains((String) all.get(i).get()[2]), all.get(i).get()[0] + ": " + info);
            }
            assertEquals("semaphore", list.get(all.size()).kind());
            assertEquals("1/2", list.get(all.size()).state());
            assertTrue(ok.tryAcquire());
        }
    }

    @Test
    void aDirectoryUnderAnObjectNameIsAnIOExceptionAndIsNotListed() throws IOException {
        String name = TempNamespace.fresh("dir");
        Files.createDirectory(temp.dir.resolve(name));
        try {
            for (var open : opens(name).entrySet()) {
                assertThrows(IOException.class, open.getValue(), open.getKey());
            }
            assertFalse(temp.ns.list().stream().anyMatch(i -> i.name().equals(name)));
        } finally {
            Files.delete(temp.dir.resolve(name));
        }
    }

    /**
     * A FIFO under an object name (in a shared sticky namespace another user can make one): an
     * open through a factory or a typed openExisting fails rather than blocks.
     */
    @Test
    void aFifoUnderAnObjectNameFailsEveryTypedOpenWithoutBlocking() throws Exception {
        assertFifoRefused(List.of("openExisting(NamedObject)"));
    }

    /**
     * The same for {@code openExisting(name, NamedObject.class)}. BUG (see the report): it reads
     * the header through {@code Listing.describe}, which opens the file read-only without
     * {@code O_NONBLOCK}, so on a FIFO it blocks until some process opens it for writing.
     */
    @Test
    void aFifoUnderAnObjectNameFailsOpenExistingAsNamedObjectWithoutBlocking() throws Exception {
        assertFifoRefused(List.of("event()", "mutex()", "semaphore()", "openExisting(NamedEvent)",
                "openExisting(NamedMutex)", "openExisting(NamedSemaphore)"));
    }

    /**
     * Makes a FIFO under a fresh name and runs every open but the skipped ones, each on its own
     * thread with 2 s to fail; a blocked one is released by opening the FIFO read-write.
     */
    private static void assertFifoRefused(List<String> skipped) throws Exception {
        String name = TempNamespace.fresh("fifo");
        Path fifo = temp.dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo unavailable");
        try {
            List<String> wrong = new ArrayList<>();
            for (var open : opens(name).entrySet()) {
                if (skipped.contains(open.getKey())) {
                    continue;
                }
                CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
                    try {
                        open.getValue().execute();
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                }, r -> Thread.ofPlatform().daemon().start(r));
                Throwable t;
                try {
                    t = f.get(2, TimeUnit.SECONDS);
                } catch (TimeoutException blocked) {
                    wrong.add(open.getKey() + ": blocked on the FIFO");
                    unblock(fifo, f);
                    continue;
                }
                if (!(t instanceof IOException)) {
                    wrong.add(open.getKey() + ": " + (t == null ? "opened a FIFO" : t.toString()));
                }
            }
            assertFalse(temp.ns.list().stream().anyMatch(i -> i.name().equals(name)), "a FIFO is not listed");
            assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    private static void unblock(Path fifo, CompletableFuture<?> f) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!f.isDone() && System.nanoTime() < end) {
            // read-write: never blocks on Linux, and lets a reader blocked in open(2) through
            try (var w = java.nio.channels.FileChannel.open(fifo, java.nio.file.StandardOpenOption.READ,
                    java.nio.file.StandardOpenOption.WRITE)) {
                Thread.sleep(10);
            }
        }
        if (!f.isDone()) {
            fail("an open of a FIFO stayed blocked");
        }
    }
}
