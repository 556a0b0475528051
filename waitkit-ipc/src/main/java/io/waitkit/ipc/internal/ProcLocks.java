package io.waitkit.ipc.internal;

/*
 * Counting the flock(2) locks that are held on one file, from /proc/locks: how many openers
 * still hold a namespace's file with LOCK_SH, for diagnostics and for deciding who cleans up.
 *
 * What holds: every open file description that holds a flock lock has exactly one granted line
 * in /proc/locks ("1: FLOCK  ADVISORY  READ  12345 00:1a:1234 0 EOF"); a lock that waits for one
 * has a "->" line under the holder's, which is not a holder and is skipped. Entries are counted,
 * not pids: one process that opened the file twice and locked both descriptors holds two. The
 * file is matched by device and inode: st_dev from Files.getAttribute(file, "unix:dev") is
 * decoded into major and minor as glibc's gnu_dev_major/gnu_dev_minor do, and /proc/locks prints
 * them as "%02x:%02x:%lu" (major hex, minor hex, inode decimal).
 *
 * Races and failure modes: the count is a snapshot; locks come and go while the file is read,
 * and an answer may be stale when the caller uses it. A reader in a pid namespace still sees
 * every lock of the host (pids of processes it cannot see print as 0), which is what a count
 * wants. The device in /proc/locks is the one of the inode the lock is on; on stacking file
 * systems (overlayfs) that need not be the st_dev that stat reports, and the count is then 0;
 * use tmpfs (/dev/shm) or a plain file system for the namespace directory. Lines of another
 * shape are skipped, not failed on. POSIX and OFD locks are not counted.
 */

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts of the {@code flock} locks held on a file, read from {@code /proc/locks} (Linux).
 */
public final class ProcLocks {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private ProcLocks() {
    }

    /**
     * How many open file descriptions hold a shared ({@code LOCK_SH}) flock lock on the file.
     *
     * @param file the file
     * @return the number of granted shared flock locks on it
     * @throws IOException when the file's attributes or {@code /proc/locks} cannot be read
     */
    public static int sharedFlockHolders(Path file) throws IOException {
        return holders(dev(file), ino(file), true);
    }

    /**
     * How many open file descriptions hold a flock lock, shared or exclusive, on the file.
     *
     * @param file the file
     * @return the number of granted flock locks on it
     * @throws IOException when the file's attributes or {@code /proc/locks} cannot be read
     */
    public static int flockHolders(Path file) throws IOException {
        return holders(dev(file), ino(file), false);
    }

    /**
     * How many open file descriptions hold a flock lock, shared or exclusive, on the file with
     * this device and inode: the number of openers when each opener holds one.
     *
     * @param dev the file's {@code st_dev}, as {@code unix:dev} gives it
     * @param ino the file's inode number
     * @return the number of granted flock locks
     * @throws IOException when {@code /proc/locks} cannot be read
     */
    public static int holders(long dev, long ino) throws IOException {
        return holders(dev, ino, false);
    }

    /**
     * How many open file descriptions hold a flock lock on the file with this device and inode.
     *
     * @param dev the file's {@code st_dev}, as {@code unix:dev} gives it
     * @param ino the file's inode number
     * @param sharedOnly whether to count shared locks only, or exclusive ones too
     * @return the number of granted flock locks
     * @throws IOException when {@code /proc/locks} cannot be read
     */
    public static int holders(long dev, long ino, boolean sharedOnly) throws IOException {
        long major = major(dev);
        long minor = minor(dev);
        int count = 0;
        try (BufferedReader in = Files.newBufferedReader(PROC_LOCKS, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (matches(line, major, minor, ino, sharedOnly)) {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Whether one line of {@code /proc/locks} is a granted flock lock on this device and inode.
     *
     * @param line the line
     * @param major the device's major number
     * @param minor the device's minor number
     * @param ino the inode number
     * @param sharedOnly whether only a shared ({@code READ}) lock matches
     * @return true when it matches
     */
    static boolean matches(String line, long major, long minor, long ino, boolean sharedOnly) {
        String[] f = line.strip().split("\\s+");
        // "1:" "FLOCK" "ADVISORY" "READ" "12345" "00:1a:1234" "0" "EOF"; a waiter has "->" second
        if (f.length < 6 || !f[1].equals("FLOCK")) {
            return false;
        }
        if (sharedOnly ? !f[3].equals("READ") : !f[3].equals("READ") && !f[3].equals("WRITE")) {
            return false;
        }
        String[] id = f[5].split(":");
        if (id.length != 3) {
            return false;
        }
        try {
            return Long.parseLong(id[0], 16) == major && Long.parseLong(id[1], 16) == minor
                    && Long.parseUnsignedLong(id[2]) == ino;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The major number in an {@code st_dev}, as glibc's {@code gnu_dev_major}.
     *
     * @param dev the device number
     * @return its major number
     */
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    /**
     * The minor number in an {@code st_dev}, as glibc's {@code gnu_dev_minor}.
     *
     * @param dev the device number
     * @return its minor number
     */
    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    private static long dev(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:dev")).longValue();
    }

    private static long ino(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    }
}
