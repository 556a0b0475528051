package io.waitkit.compat.axis;

import io.waitkit.ipc.Namespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** A temporary directory per test class, with a fresh namespace directory in it per test. */
final class IpcTestNamespaces implements AutoCloseable {
    private final Path root;
    private final AtomicInteger next = new AtomicInteger();

    IpcTestNamespaces(String prefix) throws IOException {
        root = Files.createTempDirectory(prefix);
    }

    /** A new, empty namespace. */
    Namespace fresh() throws IOException {
        return Namespace.open(root.resolve("ns" + next.incrementAndGet()));
    }

    /** Deletes the directory and everything in it. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
