package io.waitkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writtenValuesParseBackEqual() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("median", 12.5);
        inner.put("n", 10.0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ newline \n tab \t µ ≤ ×");
        m.put("yes", true);
        m.put("no", false);
        m.put("nothing", null);
        m.put("small", 5.702E-4);
        m.put("big", 123456789.0);
        m.put("list", Arrays.asList(1.0, 2.5, "x"));
        m.put("empty", List.of());
        m.put("inner", inner);
        m.put("rows", List.of(inner, inner));
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void integralNumbersAreWrittenWithoutAFraction() {
        assertEquals("[1, 2, 0.5]\n", Json.write(List.of(1, 2.0, 0.5)));
    }

    @Test
    void malformedInputIsRejectedWithItsOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
        assertEquals(true, e.getMessage().contains("offset 11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
    }

    @Test
    void nonFiniteNumbersCannotBeWritten() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
    }
}
