package io.waitkit.ipc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A few 64-bit words in a small mapped file that several processes share: the data the tests'
 * named mutexes protect (checked for mutual exclusion and repaired after an abandonment), and
 * counters of what the processes did. Plain reads and writes ({@link #get}, {@link #set}) are
 * meant to be used under a named lock, so that a lost update shows a broken lock; the atomic
 * ones count across processes without a lock.
 *
 * <p>Tests put the file in the namespace directory under a name starting with {@code .}, which
 * {@link Namespace#list()} skips. The mapping lives until {@link #close()} (or the process).
 */
final class SharedWords implements AutoCloseable {
    static final int WORDS = 64;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment words;

    private SharedWords(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < WORDS * 8L) {
                ch.write(java.nio.ByteBuffer.allocate(1), WORDS * 8L - 1); // zero-filled up to the size
            }
            words = ch.map(FileChannel.MapMode.READ_WRITE, 0, WORDS * 8L, arena);
        }
    }

    /** Maps the file, creating it zeroed if it is missing. */
    static SharedWords open(Path file) throws IOException {
        return new SharedWords(file);
    }

    /** A plain read (under the lock that protects the word). */
    long get(int i) {
        return (long) LONG.get(words, i * 8L);
    }

    /** A plain write (under the lock that protects the word). */
    void set(int i, long v) {
        LONG.set(words, i * 8L, v);
    }

    /** A volatile read. */
    long getVolatile(int i) {
        return (long) LONG.getVolatile(words, i * 8L);
    }

    /** A volatile write. */
    void setVolatile(int i, long v) {
        LONG.setVolatile(words, i * 8L, v);
    }

    /** An atomic add; returns the previous value. */
    long getAndAdd(int i, long delta) {
        return (long) LONG.getAndAdd(words, i * 8L, delta);
    }

    /** An atomic maximum; returns the previous value. */
    long accumulateMax(int i, long v) {
        for (;;) {
            long cur = getVolatile(i);
            if (cur >= v || LONG.compareAndSet(words, i * 8L, cur, v)) {
                return cur;
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
