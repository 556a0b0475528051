package io.waitkit.zk;

import io.waitkit.internal.ObjectNames;

/**
 * The rules for object names in a {@link ZkNamespace}: those of the named objects of one host
 * ({@link ObjectNames}: 1 to 200 characters, at most 255 bytes in UTF-8, no control characters,
 * no {@code /}, not {@code .} or {@code ..}, nothing starting with {@code .}), plus what a
 * ZooKeeper path cannot hold: the characters U+0080 to U+009F, U+D800 to U+F8FF (which includes
 * every character outside the Basic Multilingual Plane, written with surrogates) and U+FFF0 to
 * U+FFFF.
 */
final class ZkNames {
    private ZkNames() {
    }

    /** Checks a name; throws NullPointerException or IllegalArgumentException saying why. */
    static String check(String name) {
        return ObjectNames.check(name, "nodes", ZkNames::charProblem);
    }

    /** A character ZooKeeper refuses in a path. */
    private static String charProblem(String name, int i) {
        char c = name.charAt(i);
        if (c >= 0x80 && c <= 0x9F || c >= 0xD800 && c <= 0xF8FF || c >= 0xFFF0) {
            return String.format("it contains U+%04X at index %d, which a ZooKeeper path cannot hold"
                    + " (U+0080-U+009F, U+D800-U+F8FF including characters outside the BMP, U+FFF0-U+FFFF)", (int) c, i);
        }
        return null;
    }

    /** The name in quotes for a message, control characters escaped. */
    static String quote(String name) {
        return ObjectNames.quote(name);
    }
}
