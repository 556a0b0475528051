package io.waitkit.compat.axis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A table of AxisOS handle strings ({@code H-xxxxxx-xxxxx-xxxx-xxxx}, random hex) for the
 * facades of the {@code pipe} and {@code ipc} libraries, as {@link Sync} has its own.
 * Thread-safe; never blocks.
 *
 * @param <T> what a handle names
 */
final class HandleTable<T> {
    private final ConcurrentHashMap<String, T> handles = new ConcurrentHashMap<>();

    /** Inserts an object under a new unique handle string. */
    String insert(T o) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (;;) {
            String h = String.format("H-%06x-%05x-%04x-%04x", r.nextInt(1 << 24), r.nextInt(1 << 20),
                    r.nextInt(1 << 16), r.nextInt(1 << 16));
            if (handles.putIfAbsent(h, o) == null) {
                return h;
            }
        }
    }

    /** The object of a handle of the wanted type, or null (unknown, null, or another type). */
    <U extends T> U get(String h, Class<U> type) {
        T o = h == null ? null : handles.get(h);
        return type.isInstance(o) ? type.cast(o) : null;
    }

    /** Removes a handle if it names an object of the wanted type; returns that object or null. */
    <U extends T> U remove(String h, Class<U> type) {
        if (h == null) {
            return null;
        }
        T o = handles.get(h);
        if (type.isInstance(o) && handles.remove(h, o)) {
            return type.cast(o);
        }
        return null;
    }

    /** Removes every handle and returns what they named. */
    List<T> removeAll() {
        List<T> all = new ArrayList<>();
        for (String h : List.copyOf(handles.keySet())) {
            T o = handles.remove(h);
            if (o != null) {
                all.add(o);
            }
        }
        return all;
    }
}
