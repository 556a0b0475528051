package io.waitkit.zk;

import java.nio.charset.StandardCharsets;

/**
 * The rules for object names in a {@link ZkNamespace}: those of the named objects of one host
 * (1 to 200 characters, at most 255 bytes in UTF-8, no control characters, no {@code /}, not
 * {@code .} or {@code ..}, nothing starting with {@code .}), plus what a ZooKeeper path cannot
 * hold: the characters U+0080 to U+009F, U+D800 to U+F8FF (which includes every character
 * outside the Basic Multilingual Plane, written with surrogates) and U+FFF0 to U+FFFF.
 */
final class ZkNames {
    static final int MAX_CHARS = 200;
    static final int MAX_BYTES = 255;

    private ZkNames() {
    }

    /** Checks a name; throws NullPointerException or IllegalArgumentException saying why. */
    static String check(String name) {
        if (name == null) {
            throw new NullPointerException("name is null");
        }
        String why = problem(name);
        if (why != null) {
            throw new IllegalArgumentException("invalid object name " + quote(name) + ": " + why);
        }
        return name;
    }

    static String problem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        int chars = name.codePointCount(0, name.length());
        if (chars > MAX_CHARS) {
            return "it has " + chars + " characters (at most " + MAX_CHARS + ")";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "it has " + bytes + " bytes in UTF-8 (at most " + MAX_BYTES + ")";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it names a directory";
        }
        if (name.startsWith(".")) {
            return "names starting with '.' are reserved for the namespace's own nodes";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                return "it contains '/' at index " + i;
            }
            if (c < 0x20 || c == 0x7F) {
                return String.format("it contains the control character U+%04X at index %d", (int) c, i);
            }
            if (c >= 0x80 && c <= 0x9F || c >= 0xD800 && c <= 0xF8FF || c >= 0xFFF0) {
                return String.format("it contains U+%04X at index %d, which a ZooKeeper path cannot hold"
                        + " (U+0080-U+009F, U+D800-U+F8FF including characters outside the BMP, U+FFF0-U+FFFF)",
                        (int) c, i);
            }
        }
        return null;
    }

    /** Quotes a name for a message, escaping control characters. */
    static String quote(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('"');
        int shown = Math.min(name.length(), 80);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F || c >= 0x80 && c <= 0x9F) {
                b.append(String.format("\\u%04X", (int) c));
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        if (shown < name.length()) {
            b.append("...");
        }
        return b.append('"').toString();
    }
}
