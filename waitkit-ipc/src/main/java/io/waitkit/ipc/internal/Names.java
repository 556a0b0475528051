package io.waitkit.ipc.internal;

import java.nio.charset.StandardCharsets;

/**
 * The rules for object names, checked by every method that takes one: 1 to 200 characters and
 * at most 255 bytes in UTF-8 (a file name), no control characters (below U+0020, or U+007F),
 * no {@code /}, not {@code .} or {@code ..}, and nothing starting with {@code .}, which is
 * reserved for the namespace's own files (temporary files of a creation in progress, post/wait
 * registrations and their counter).
 */
public final class Names {
    /** The most characters a name may have. */
    public static final int MAX_CHARS = 200;
    /** The most bytes a name may have in UTF-8. */
    public static final int MAX_BYTES = 255;

    private Names() {
    }

    /**
     * Checks a name.
     *
     * @param name the name
     * @return the name
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException quoting the name and saying why it is refused
     */
    public static String check(String name) {
        if (name == null) {
            throw new NullPointerException("name is null");
        }
        String why = problem(name);
        if (why != null) {
            throw new IllegalArgumentException("invalid object name " + quote(name) + ": " + why);
        }
        return name;
    }

    /**
     * Why a name is refused.
     *
     * @param name the name
     * @return the reason, or null if it is valid
     */
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
            return "names starting with '.' are reserved for the namespace's own files";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                return "it contains '/' at index " + i;
            }
            if (c < 0x20 || c == 0x7F) {
                return String.format("it contains the control character U+%04X at index %d", (int) c, i);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(name.charAt(i - 1)))) {
                return "it contains an unpaired surrogate at index " + i;
            }
        }
        return null;
    }

    /**
     * Quotes a name for a message, escaping control characters so that the message stays on
     * one line.
     *
     * @param name the name
     * @return the quoted name
     */
    public static String quote(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('"');
        int shown = Math.min(name.length(), 80);
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F) {
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
