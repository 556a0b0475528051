package io.waitkit.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A namespace in a fresh directory under {@code /dev/shm} (tmpfs, as real namespaces are), for
 * one test class; {@link #delete()} removes it with everything in it.
 */
final class TempNamespace {
    private static final AtomicInteger NAMES = new AtomicInteger();
    final Namespace ns;
    final Path dir;

    private TempNamespace(Path dir) throws IOException {
        this.dir = dir;
        this.ns = Namespace.open(dir);
    }

    static TempNamespace create() {
        try {
            Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
            return new TempNamespace(Files.createTempDirectory(base, "waitkit-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A name not used before in this JVM. */
    static String fresh(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    void delete() {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
