package io.waitkit.cli.named;

/**
 * A JSON object written as one line, fields in the order they are added: the output of
 * {@code --json}. Values are strings, numbers, booleans or null.
 */
final class Json {
    private final StringBuilder sb = new StringBuilder("{");

    /** Creates an empty object. */
    Json() {
    }

    private Json key(String k) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        quote(sb, k);
        sb.append(':');
        return this;
    }

    /**
     * Adds a string field (null writes {@code null}).
     *
     * @param k the name
     * @param v the value
     * @return this
     */
    Json put(String k, String v) {
        key(k);
        if (v == null) {
            sb.append("null");
        } else {
            quote(sb, v);
        }
        return this;
    }

    /**
     * Adds a number field.
     *
     * @param k the name
     * @param v the value
     * @return this
     */
    Json put(String k, long v) {
        key(k).sb.append(v);
        return this;
    }

    /**
     * Adds a boolean field.
     *
     * @param k the name
     * @param v the value
     * @return this
     */
    Json put(String k, boolean v) {
        key(k).sb.append(v);
        return this;
    }

    /**
     * Adds a field whose value is already JSON text (an array, a null).
     *
     * @param k the name
     * @param json the value as JSON text
     * @return this
     */
    Json raw(String k, String json) {
        key(k).sb.append(json);
        return this;
    }

    /**
     * Writes a JSON string literal.
     *
     * @param sb where to
     * @param s the string
     */
    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb + "}";
    }
}
