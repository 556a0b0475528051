package io.waitkit;

/**
 * A fixed-capacity ring of bytes; not thread-safe (guarded by its owner's object lock).
 */
final class ByteRing {
    private final byte[] bytes;
    private int head;
    private int count;

    ByteRing(int capacity) {
        this.bytes = new byte[capacity];
    }

    int capacity() {
        return bytes.length;
    }

    int count() {
        return count;
    }

    int free() {
        return bytes.length - count;
    }

    /** Appends {@code n <= free()} bytes. */
    void put(byte[] src, int off, int n) {
        int cap = bytes.length;
        int tail = (head + count) % cap;
        int first = Math.min(n, cap - tail);
        System.arraycopy(src, off, bytes, tail, first);
        System.arraycopy(src, off + first, bytes, 0, n - first);
        count += n;
    }

    /** Removes {@code n <= count()} bytes from the front into {@code dst}. */
    void take(byte[] dst, int off, int n) {
        int cap = bytes.length;
        int first = Math.min(n, cap - head);
        System.arraycopy(bytes, head, dst, off, first);
        System.arraycopy(bytes, 0, dst, off + first, n - first);
        drop(n);
    }

    /** Discards {@code n <= count()} bytes from the front. */
    void drop(int n) {
        head = (head + n) % bytes.length;
        count -= n;
    }
}
