package io.waitkit.internal;

import java.nio.charset.StandardCharsets;

/**
 * The rules every namespace of named objects shares (the files of one host, the nodes of a
 * ZooKeeper namespace): 1 to {@value #MAX_CHARS} characters and at most {@value #MAX_BYTES}
 * bytes in UTF-8 (a file name), no control characters (below U+0020, or U+007F), no {@code /},
 * not {@code .} or {@code ..}, and nothing starting with {@code .}, which is reserved for the
 * namespace's own entries. A namespace adds what its storage cannot hold as a
 * {@link CharRule}. Messages quote the name ({@link #quote}) and say why it is refused.
 */
public final class ObjectNames {
    /** The most characters a name may have. */
    public static final int MAX_CHARS = 200;
    /** The most bytes a name may have in UTF-8. */
    public static final int MAX_BYTES = 255;

    private ObjectNames() {
    }

    /** What one namespace refuses beyond the shared rules, one character at a time. */
    @FunctionalInterface
    public interface CharRule {
        /**
         * What is wrong with the character at {@code i}.
         *
         * @param name the name
         * @param i the index of a character the shared rules allow
         * @return why it is refused, or null
         */
        String problem(String name, int i);
    }

    /**
     * Checks a name.
     *
     * @param name the name
     * @param ownEntries what the namespace's reserved entries are, for the message ("files")
     * @param rule the namespace's own character rule
     * @return the name
     * @throws NullPointerException if it is null
     * @throws IllegalArgumentException quoting the name and saying why it is refused
     */
    public static String check(String name, String ownEntries, CharRule rule) {
        if (name == null) {
            throw new NullPointerException("name is null");
        }
        String why = problem(name, ownEntries, rule);
        if (why != null) {
            throw new IllegalArgumentException("invalid object name " + quote(name) + ": " + why);
        }
        return name;
    }

    /**
     * Why a name is refused, or null if it is allowed.
     *
     * @param name the name, not null
     * @param ownEntries what the namespace's reserved entries are, for the message
     * @param rule the namespace's own character rule
     * @return the reason, or null
     */
    public static String problem(String name, String ownEntries, CharRule rule) {
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
            return "names starting with '.' are reserved for the namespace's own " + ownEntries;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                return "it contains '/' at index " + i;
            }
            if (c < 0x20 || c == 0x7F) {
                return String.format("it contains the control character U+%04X at index %d", (int) c, i);
            }
            String why = rule.problem(name, i);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /**
     * A name for a message: in double quotes, control characters (C0, DEL and C1) as
     * {@code \}{@code uXXXX}, quotes and backslashes escaped, cut after 80 characters.
     *
     * @param name the name
     * @return the quoted name
     */
    public static String quote(String name) {
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
