package io.waitkit.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libc bindings: open's create, exclusive and missing-file errors, flock between two open
 * file descriptions, the /proc/locks count of shared holders, and the small calls. Every lock
 * taken here is non-blocking, so nothing can hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PosixTest {
    @TempDir
    Path dir;

    private final List<Integer> open = new ArrayList<>();

    @BeforeEach
    void linux() {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
        assertTrue(Posix.available(), "libc must link on Linux with native access: " + Posix.unavailableReason());
    }

    @AfterEach
    void closeAll() throws IOException {
        for (int fd : open) {
            Posix.close(fd);
        }
    }

    private int open(Path file, boolean create) throws IOException {
        int fd = Posix.open(file, create);
        open.add(fd);
        return fd;
    }

    private void close(int fd) throws IOException {
        open.remove(Integer.valueOf(fd));
        Posix.close(fd);
    }

    @Test
    void createMakesANewOwnerOnlyFileAndRefusesAnExistingOne() throws IOException {
        Path f = dir.resolve("ns");
        int fd = open(f, true);
        assertTrue(fd >= 0);
        assertTrue(Files.isRegularFile(f));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
        assertTrue(PosixFilePermissions.fromString("rw-------").containsAll(perms), perms.toString());
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> open(f, true));
        assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        int again = open(f, false);
        assertNotEquals(fd, again);
    }

    @Test
    void openingAnAbsentFileThrowsNoSuchFile() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> open(dir.resolve("absent"), false));
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> open(dir.resolve("no/such/dir"), true));
    }

    @Test
    void openingWithoutPermissionThrowsAccessDenied() throws IOException {
        assumeTrue(Posix.getuid() != 0, "root may open anything");
        Path f = Files.createFile(dir.resolve("locked"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> open(f, false));
        assertTrue(e.getMessage().contains("EACCES"), e.getMessage());
    }

    @Test
    void otherErrorsAreIoExceptionsNamingTheErrno() {
        IOException e = assertThrows(IOException.class, () -> open(dir, false));
        assertTrue(e.getMessage().contains("EISDIR"), e.getMessage());
    }

    @Test
    void closingAClosedDescriptorThrowsEbadf() throws IOException {
        int fd = open(dir.resolve("f"), true);
        close(fd);
        IOException e = assertThrows(IOException.class, () -> Posix.close(fd));
        assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
    }

    @Test
    void twoDescriptorsShareALockButAnExclusiveOneFailsWhileItIsHeld() throws IOException {
        Path f = dir.resolve("ns");
        int a = open(f, true);
        int b = open(f, false);
        assertTrue(Posix.flock(a, Posix.LOCK_SH | Posix.LOCK_NB));
        assertTrue(Posix.flock(b, Posix.LOCK_SH | Posix.LOCK_NB));
        int c = open(f, false);
        assertFalse(Posix.flock(c, Posix.LOCK_EX | Posix.LOCK_NB), "exclusive while shared holders remain");
        assertTrue(Posix.flock(a, Posix.LOCK_UN));
        assertFalse(Posix.flock(c, Posix.LOCK_EX | Posix.LOCK_NB), "b still holds its shared lock");
        close(b);
        assertTrue(Posix.flock(c, Posix.LOCK_EX | Posix.LOCK_NB), "the last shared holder is gone");
        assertFalse(Posix.flock(a, Posix.LOCK_SH | Posix.LOCK_NB), "shared while exclusive is held");
    }

    @Test
    void flockOnABadDescriptorThrows() throws IOException {
        int fd = open(dir.resolve("f"), true);
        close(fd);
        IOException e = assertThrows(IOException.class, () -> Posix.flock(fd, Posix.LOCK_SH | Posix.LOCK_NB));
        assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
    }

    @Test
    void procLocksCountsTheSharedHoldersOfTheFile() throws IOException {
        Path f = dir.resolve("ns");
        Path other = dir.resolve("other");
        int a = open(f, true);
        int b = open(f, false);
        int o = open(other, true);
        assertEquals(0, ProcLocks.sharedFlockHolders(f));
        assertTrue(Posix.flock(a, Posix.LOCK_SH));
        assertTrue(Posix.flock(b, Posix.LOCK_SH));
        assertTrue(Posix.flock(o, Posix.LOCK_SH));
        assertEquals(2, ProcLocks.sharedFlockHolders(f));
        assertEquals(2, ProcLocks.flockHolders(f));
        assertEquals(1, ProcLocks.sharedFlockHolders(other));
        assertTrue(Posix.flock(a, Posix.LOCK_UN));
        assertEquals(1, ProcLocks.sharedFlockHolders(f));
        close(b);
        assertEquals(0, ProcLocks.sharedFlockHolders(f));
        assertTrue(Posix.flock(a, Posix.LOCK_EX | Posix.LOCK_NB));
        assertEquals(0, ProcLocks.sharedFlockHolders(f), "an exclusive lock is not a shared holder");
        assertEquals(1, ProcLocks.flockHolders(f));
    }

    @Test
    void procLocksLinesAreMatchedByDeviceAndInodeAndWaitersAreSkipped() {
        long dev = (0xfdL << 8) | 0x01; // major 0xfd, minor 1
        long major = ProcLocks.major(dev);
        long minor = ProcLocks.minor(dev);
        assertEquals(0xfd, major);
        assertEquals(1, minor);
        assertTrue(ProcLocks.matches("1: FLOCK  ADVISORY  READ  12345 fd:01:1234 0 EOF", major, minor, 1234, true));
        assertFalse(ProcLocks.matches("1: FLOCK  ADVISORY  WRITE 12345 fd:01:1234 0 EOF", major, minor, 1234, true));
        assertTrue(ProcLocks.matches("1: FLOCK  ADVISORY  WRITE 12345 fd:01:1234 0 EOF", major, minor, 1234, false));
        assertFalse(ProcLocks.matches("1: -> FLOCK  ADVISORY  READ  12346 fd:01:1234 0 EOF", major, minor, 1234,
                false));
        assertFalse(ProcLocks.matches("2: POSIX  ADVISORY  READ  12345 fd:01:1234 0 EOF", major, minor, 1234, false));
        assertFalse(ProcLocks.matches("1: FLOCK  ADVISORY  READ  12345 fd:01:12345 0 EOF", major, minor, 1234, true));
        assertFalse(ProcLocks.matches("1: FLOCK  ADVISORY  READ  12345 fd:02:1234 0 EOF", major, minor, 1234, true));
        // a large device number: major 0x123, minor 0x45678 in glibc's encoding
        long big = ((0x123L & 0xfff) << 8) | ((0x123L & ~0xfffL) << 32) | (0x45678L & 0xff)
                | ((0x45678L & ~0xffL) << 12);
        assertEquals(0x123, ProcLocks.major(big));
        assertEquals(0x45678, ProcLocks.minor(big));
    }

    @Test
    void pidAndUidMatchTheJvmsView() throws IOException {
        assertEquals(ProcessHandle.current().pid(), Posix.getpid());
        // the temporary directory was made by this process, so it belongs to its (real = effective) uid
        assertEquals(Files.getAttribute(dir, "unix:uid"), Posix.getuid());
    }

    @Test
    void killWithSignalZeroChecksExistence() throws Exception {
        assertEquals(0, Posix.kill(ProcessHandle.current().pid(), 0));
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        // reaped by the JDK: the pid is free (or, rarely, reused by a newcomer)
        int r = Posix.kill(pid, 0);
        assertTrue(r == Posix.ESRCH || r == 0 || r == Posix.EPERM, Posix.describe(r));
        assertThrows(IllegalArgumentException.class, () -> Posix.kill(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Posix.kill(-1, 0));
    }

    @Test
    void errnoNamesAreReadable() {
        assertEquals("EAGAIN (Resource temporarily unavailable)", Posix.describe(Posix.EAGAIN));
        assertEquals("errno 9999", Posix.describe(9999));
        assertEquals("ESRCH", Posix.errnoName(3));
    }
}
