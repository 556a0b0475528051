package io.waitkit.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A namespace in a fresh directory under {@code /dev/shm} (tmpfs, as real namespaces are), for
 * one test class: registered as a static extension field, made before the class's tests and
 * removed with everything in it after them.
 */
final class TempNamespace implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger NAMES = new AtomicInteger();
    /** The namespace, from the test class's start (set by {@link #beforeAll}). */
    Namespace ns;
    /** Its directory. */
    Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        open();
    }

    /** A namespace in a fresh directory, outside JUnit (a child JVM's); {@link #delete()} removes it. */
    static TempNamespace create() {
        TempNamespace t = new TempNamespace();
        try {
            t.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t;
    }

    private void open() throws IOException {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        dir = Files.createTempDirectory(base, "waitkit-test-");
        ns = Namespace.open(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        delete();
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
