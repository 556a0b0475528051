package io.waitkit.compat.axis;

import io.waitkit.ipc.SharedSection;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The table that {@link Ipc#mapSection} returns: a key/value view of a shared section's bytes,
 * the Java form of the Lua table AxisOS maps ({@code tView.counter = 0}). Keys are strings;
 * values are {@code long}s or strings. Every view of one section, in this process or another,
 * reads and writes the same bytes: what one view puts, the others get.
 *
 * <pre>{@code
 * SectionTable t = ipc.mapSection(hSec);                  // local tView = ipc.mapSection(hSec)
 * t.putLong("counter", 0);                                // tView.counter = 0
 * t.putLong("counter", t.getLong("counter") + 1);         // tView2.counter = tView2.counter + 1
 * }</pre>
 *
 * <h2>No implicit locking</h2>
 * As in AxisOS, the table takes no lock: two processes that change it at the same time can
 * lose an update (the read-add-write above), and a reader can meet a string while it is being
 * rewritten. Order concurrent changes with a lock of the program's own (an
 * {@link io.waitkit.ipc.NamedMutex}, for example). Two operations are atomic without one: a
 * single {@link #getLong}/{@link #putLong} of a key that already holds a number (one 8-byte
 * volatile access), and {@link #addLong} on such a key (an atomic add). Adding a new key is
 * not: two processes adding keys at once can overwrite each other's entries.
 *
 * <h2>Layout</h2>
 * The bytes of a new section (all zero) are an empty table, so no initialisation is needed.
 * All numbers are little-endian:
 * <pre>
 * offset 0   int   magic 0x42545841 ("AXTB") once the first entry is written, else 0
 * offset 4   int   layout version, 1
 * offset 8   long  bytes used by entries after the header (published last, release store)
 * offset 16  the entries, one after the other, each a multiple of 8 bytes:
 *   +0   int   key length in UTF-8 bytes (1 to 65535)
 *   +4   int   type: 1 long, 2 string, 0 removed (the entry's bytes are then unused)
 *   +8   int   value capacity in bytes (a multiple of 8)
 *   +12  int   value length in bytes (8 for a long; the UTF-8 length of a string)
 *   +16  the key's UTF-8 bytes, zero-padded to a multiple of 8
 *   then the value: a long (8-byte aligned), or the string's UTF-8 bytes within its capacity
 * </pre>
 * A string that outgrows its capacity, or a key that changes type, is written as a new entry
 * and the old one is marked removed; the table never moves or compacts entries, so removed
 * entries keep their bytes. A put that needs more room than the section has left fails with
 * {@link IllegalStateException}.
 *
 * <p>Lookups scan the entries (linear in their number). Bytes that do not follow this layout
 * (a section written otherwise) make the methods throw {@link IllegalStateException} saying
 * what is wrong; they never read outside the section. Once the handle the table was mapped
 * through is closed, every method throws {@link IllegalStateException}. No method blocks.
 */
public final class SectionTable {
    /** "AXTB" in little-endian order. */
    static final int MAGIC = 0x42545841;
    static final int VERSION = 1;
    static final int HEADER = 16;
    static final int ENTRY_HEADER = 16;
    static final int TYPE_REMOVED = 0;
    static final int TYPE_LONG = 1;
    static final int TYPE_STRING = 2;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_VH = ValueLayout.JAVA_INT.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle LONG_VH = ValueLayout.JAVA_LONG.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN).varHandle();

    private final SharedSection section;

    SectionTable(SharedSection section) {
        this.section = section;
    }

    private MemorySegment seg() {
        return section.segment();
    }

    // ---- reading the layout

    private long used(MemorySegment m) {
        int magic = m.get(INT, 0);
        if (magic == 0) {
            return 0;
        }
        if (magic != MAGIC) {
            throw new IllegalStateException(String.format("section %s is not a section table: magic 0x%08x", section.name(), magic));
        }
        long used = (long) LONG_VH.getAcquire(m, 8L);
        if (used < 0 || used % 8 != 0 || HEADER + used > m.byteSize()) {
            throw new IllegalStateException("section table " + section.name() + " is damaged: " + used + " bytes used of "
                    + (m.byteSize() - HEADER));
        }
        return used;
    }

    /** Offset of the live entry of {@code key}, or -1. */
    private long find(MemorySegment m, byte[] key) {
        long end = HEADER + used(m);
        for (long at = HEADER; at < end; at = next(m, at, end)) {
            int type = (int) INT_VH.getAcquire(m, at + 4);
            if (type != TYPE_REMOVED && m.get(INT, at) == key.length) {
                MemorySegment k = m.asSlice(at + ENTRY_HEADER, key.length);
                if (k.mismatch(MemorySegment.ofArray(key)) == -1) {
                    return at;
                }
            }
        }
        return -1;
    }

    private long next(MemorySegment m, long at, long end) {
        int klen = m.get(INT, at);
        int cap = m.get(INT, at + 8);
        long size = ENTRY_HEADER + pad(klen) + (long) cap;
        if (klen < 1 || klen > 65535 || cap < 0 || cap % 8 != 0 || at + size > end) {
            throw new IllegalStateException("section table " + section.name() + " is damaged at offset " + at);
        }
        return at + size;
    }

    private static long pad(long n) {
        return (n + 7) & ~7L;
    }

    private long valueAt(MemorySegment m, long entry) {
        return entry + ENTRY_HEADER + pad(m.get(INT, entry));
    }

    private static byte[] key(String key) {
        Objects.requireNonNull(key, "key");
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length < 1 || k.length > 65535) {
            throw new IllegalArgumentException("a key is 1 to 65535 UTF-8 bytes: " + k.length);
        }
        return k;
    }

    // ---- reads

    /**
     * The value of a key, as Lua would see it.
     *
     * @param key the key
     * @return a {@link Long}, a {@link String}, or {@code null} when the key is absent (Lua's
     *         {@code nil})
     * @throws IllegalStateException if the bytes are not a section table, or the section is closed
     */
    public Object get(String key) {
        MemorySegment m = seg();
        long at = find(m, key(key));
        if (at < 0) {
            return null;
        }
        int type = m.get(INT, at + 4);
        long v = valueAt(m, at);
        if (type == TYPE_LONG) {
            return (long) LONG_VH.getVolatile(m, v);
        }
        int len = (int) INT_VH.getAcquire(m, at + 12);
        if (len < 0 || len > m.get(INT, at + 8)) {
            throw new IllegalStateException("section table " + section.name() + " is damaged at offset " + at);
        }
        return new String(m.asSlice(v, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /**
     * The number stored under a key.
     *
     * @param key the key
     * @return the number, or {@code null} when the key is absent
     * @throws ClassCastException if the key holds a string
     * @throws IllegalStateException if the bytes are not a section table, or the section is closed
     */
    public Long getLong(String key) {
        Object v = get(key);
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        throw new ClassCastException("key " + key + " of section table " + section.name() + " holds a string, not a number");
    }

    /**
     * The string stored under a key.
     *
     * @param key the key
     * @return the string, or {@code null} when the key is absent
     * @throws ClassCastException if the key holds a number
     * @throws IllegalStateException if the bytes are not a section table, or the section is closed
     */
    public String getString(String key) {
        Object v = get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new ClassCastException("key " + key + " of section table " + section.name() + " holds a number, not a string");
    }

    /**
     * Whether a key is present.
     *
     * @param key the key
     * @return true if it holds a value
     * @throws IllegalStateException if the bytes are not a section table, or the section is closed
     */
    public boolean containsKey(String key) {
        return find(seg(), key(key)) >= 0;
    }

    /**
     * The keys present, in the order they were first written (a key that changed type or
     * outgrew its room moves to the end).
     *
     * @return the keys (a copy)
     * @throws IllegalStateException if the bytes are not a section table, or the section is closed
     */
    public List<String> keys() {
        MemorySegment m = seg();
        long end = HEADER + used(m);
        List<String> keys = new ArrayList<>();
        for (long at = HEADER; at < end; at = next(m, at, end)) {
            if ((int) INT_VH.getAcquire(m, at + 4) != TYPE_REMOVED) {
                keys.add(new String(m.asSlice(at + ENTRY_HEADER, m.get(INT, at)).toArray(ValueLayout.JAVA_BYTE),
                        StandardCharsets.UTF_8));
            }
        }
        return keys;
    }

    // ---- writes

    /**
     * Stores a number under a key ({@code t.key = n}). For a key that already holds a number
     * this is one atomic 8-byte volatile store.
     *
     * @param key the key
     * @param value the number
     * @throws IllegalStateException if the section has no room left for a new entry, the bytes
     *         are not a section table, or the section is closed
     */
    public void putLong(String key, long value) {
        MemorySegment m = seg();
        byte[] k = key(key);
        long at = find(m, k);
        if (at >= 0 && m.get(INT, at + 4) == TYPE_LONG) {
            LONG_VH.setVolatile(m, valueAt(m, at), value);
            return;
        }
        long e = append(m, k, 8, 8);
        LONG_VH.setVolatile(m, valueAt(m, e), value);
        publish(m, e, at, TYPE_LONG);
    }

    /**
     * Adds to the number under a key and returns the new value: an atomic add when the key
     * already holds a number (safe across processes without a lock); an absent key is put with
     * {@code delta} (not atomic with other processes adding the same key).
     *
     * @param key the key
     * @param delta the amount to add
     * @return the value after the add
     * @throws ClassCastException if the key holds a string
     * @throws IllegalStateException as {@link #putLong}
     */
    public long addLong(String key, long delta) {
        MemorySegment m = seg();
        byte[] k = key(key);
        long at = find(m, k);
        if (at < 0) {
            putLong(key, delta);
            return delta;
        }
        if (m.get(INT, at + 4) != TYPE_LONG) {
            throw new ClassCastException("key " + key + " of section table " + section.name() + " holds a string, not a number");
        }
        return (long) LONG_VH.getAndAdd(m, valueAt(m, at), delta) + delta;
    }

    /**
     * Stores a string under a key ({@code t.key = "text"}), in place when it fits the room of
     * the key's current string.
     *
     * @param key the key
     * @param value the string (stored as UTF-8)
     * @throws IllegalStateException if the section has no room left for a new entry, the bytes
     *         are not a section table, or the section is closed
     */
    public void putString(String key, String value) {
        Objects.requireNonNull(value, "value");
        MemorySegment m = seg();
        byte[] k = key(key);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        long at = find(m, k);
        if (at >= 0 && m.get(INT, at + 4) == TYPE_STRING && m.get(INT, at + 8) >= v.length) {
            MemorySegment.copy(v, 0, m, ValueLayout.JAVA_BYTE, valueAt(m, at), v.length);
            INT_VH.setRelease(m, at + 12, v.length);
            return;
        }
        long e = append(m, k, (int) pad(Math.max(8, v.length)), v.length);
        MemorySegment.copy(v, 0, m, ValueLayout.JAVA_BYTE, valueAt(m, e), v.length);
        publish(m, e, at, TYPE_STRING);
    }

    /**
     * Removes a key ({@code t.key = nil}); its bytes are not reused.
     *
     * @param key the key
     * @return true if it was present
     * @throws IllegalStateException if the bytes are not a section table, or the section is closed
     */
    public boolean remove(String key) {
        MemorySegment m = seg();
        long at = find(m, key(key));
        if (at < 0) {
            return false;
        }
        INT_VH.setRelease(m, at + 4, TYPE_REMOVED);
        return true;
    }

    /**
     * Writes an entry's header and key after the used bytes (not yet published) and returns
     * its offset; the type is written by {@link #publish}.
     */
    private long append(MemorySegment m, byte[] k, int capacity, int length) {
        long used = used(m);
        long at = HEADER + used;
        long size = ENTRY_HEADER + pad(k.length) + capacity;
        if (at + size > m.byteSize()) {
            throw new IllegalStateException("section table " + section.name() + " is full: an entry of " + size
                    + " bytes does not fit in the " + (m.byteSize() - at) + " bytes left");
        }
        m.asSlice(at, size).fill((byte) 0);
        m.set(INT, at, k.length);
        m.set(INT, at + 4, TYPE_REMOVED); // live once published
        m.set(INT, at + 8, capacity);
        m.set(INT, at + 12, length);
        MemorySegment.copy(k, 0, m, ValueLayout.JAVA_BYTE, at + ENTRY_HEADER, k.length);
        return at;
    }

    /** Makes an appended entry live, publishes the new end, then retires the key's old entry. */
    private void publish(MemorySegment m, long entry, long old, int type) {
        if (m.get(INT, 0) == 0) {
            m.set(INT, 4, VERSION);
            INT_VH.setRelease(m, 0L, MAGIC);
        }
        INT_VH.setRelease(m, entry + 4, type);
        long end = entry + ENTRY_HEADER + pad(m.get(INT, entry)) + m.get(INT, entry + 8);
        LONG_VH.setRelease(m, 8L, end - HEADER);
        // only now the old entry: a reader meanwhile finds the old value (the first live entry), never none
        if (old >= 0) {
            INT_VH.setRelease(m, old + 4, TYPE_REMOVED);
        }
    }

    /**
     * The section's size: the table's bytes, header included.
     *
     * @return bytes
     * @throws IllegalStateException if the section is closed
     */
    public long capacity() {
        return section.size();
    }

    /**
     * Describes the table.
     *
     * @return for example {@code SectionTable[my_shm, keys=[counter]]}, or without the keys if
     *         they cannot be read
     */
    @Override
    public String toString() {
        String keys;
        try {
            keys = Arrays.toString(keys().toArray());
        } catch (IllegalStateException e) {
            keys = "(" + e.getMessage() + ")";
        }
        return "SectionTable[" + section.name() + ", keys=" + keys + "]";
    }
}
