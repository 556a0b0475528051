package io.waitkit.ipc.internal;

import io.waitkit.internal.ObjectNames;

/**
 * The rules for object names, checked by every method that takes one: the rules every
 * namespace shares ({@link ObjectNames}: 1 to 200 characters and at most 255 bytes in UTF-8, no
 * control characters, no {@code /}, not {@code .} or {@code ..}, nothing starting with
 * {@code .}, which is reserved for the namespace's own files: temporary files of a creation in
 * progress, post/wait registrations and their counter), plus no unpaired surrogate (a file
 * name is bytes in UTF-8, which cannot encode one).
 */
public final class Names {
    /** The most characters a name may have. */
    public static final int MAX_CHARS = ObjectNames.MAX_CHARS;
    /** The most bytes a name may have in UTF-8. */
    public static final int MAX_BYTES = ObjectNames.MAX_BYTES;

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
        return ObjectNames.check(name, "files", Names::charProblem);
    }

    /** A surrogate that is not one half of a pair. */
    private static String charProblem(String name, int i) {
        char c = name.charAt(i);
        if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                && Character.isLowSurrogate(name.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                && Character.isHighSurrogate(name.charAt(i - 1)))) {
            return "it contains an unpaired surrogate at index " + i;
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
        return ObjectNames.quote(name);
    }
}
