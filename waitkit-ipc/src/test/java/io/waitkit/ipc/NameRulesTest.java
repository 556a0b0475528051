package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The name rules of {@link Namespace}: every method that takes a name (event, mutex, semaphore,
 * openExisting, unlink) refuses a bad one with an {@link IllegalArgumentException} that quotes
 * it and says why, and creates nothing; a null name is a {@link NullPointerException}; names at
 * the limits (200 characters, 255 UTF-8 bytes), non-ASCII names and names with spaces work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NameRulesTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** Every directory entry, dot files included (a refused call must not leave a temp file either). */
    private static TreeSet<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(temp.dir)) {
            return s.map(p -> p.getFileName().toString()).collect(TreeSet::new, TreeSet::add, TreeSet::addAll);
        }
    }

    /**
     * The bad names, each with a word of the reason the message must give. The quoted form the
     * message must contain is computed independently of the production code: control characters
     * as {@code \\uXXXX}, at most the first 80 characters followed by "...".
     */
    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of("empty", "", "empty"),
                Arguments.of("201 characters", "n".repeat(201), "201 characters"),
                Arguments.of("258 UTF-8 bytes in 86 characters", "€".repeat(86), "258 bytes"),
                Arguments.of("256 UTF-8 bytes in 86 characters", "€".repeat(85) + "a", "256 bytes"),
                Arguments.of("U+0000", "a\u0000b", "control character U+0000"),
                Arguments.of("U+001F", "a\u001fb", "control character U+001F"),
                Arguments.of("U+007F", "a\u007fb", "control character U+007F"),
                Arguments.of("slash", "/", "'/'"),
                Arguments.of("a/b", "a/b", "'/'"),
                Arguments.of("dot", ".", "directory"),
                Arguments.of("dot dot", "..", "directory"),
                Arguments.of(".hidden", ".hidden", "reserved"),
                Arguments.of("unpaired surrogate", "a\ud800b", "surrogate"));
    }

    private static String expectedQuote(String name) {
        StringBuilder b = new StringBuilder("\"");
        int shown = Math.min(80, name.length());
        for (int i = 0; i < shown; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(shown < name.length() ? "...\"" : "\"").toString();
    }

    /** Every method of a namespace that takes a name, called with {@code name}. */
    private static Map<String, Executable> callsWith(String name) {
        Map<String, Executable> calls = new java.util.LinkedHashMap<>();
        calls.put("event", () -> temp.ns.event(name, false, false));
        calls.put("mutex", () -> temp.ns.mutex(name));
        calls.put("semaphore", () -> temp.ns.semaphore(name, 1, 1));
        calls.put("openExisting(NamedEvent)", () -> temp.ns.openExisting(name, NamedEvent.class));
        calls.put("openExisting(NamedMutex)", () -> temp.ns.openExisting(name, NamedMutex.class));
        calls.put("openExisting(NamedSemaphore)", () -> temp.ns.openExisting(name, NamedSemaphore.class));
        calls.put("openExisting(NamedObject)", () -> temp.ns.openExisting(name, NamedObject.class));
        calls.put("unlink", () -> temp.ns.unlink(name));
        return calls;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNames")
    void everyMethodThatTakesANameRefusesABadNameQuotingItAndSayingWhyAndCreatesNothing(String label, String name, String why)
            throws IOException {
        TreeSet<String> before = entries();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Executable> call : callsWith(name).entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call.getValue(),
                    call.getKey() + " must refuse " + label);
            String m = e.getMessage();
            assertNotNull(m, call.getKey());
            if (!m.contains(expectedQuote(name))) {
                failures.add(call.getKey() + ": message does not quote the name as " + expectedQuote(name) + ": " + m);
            }
            if (!m.contains(why)) {
                failures.add(call.getKey() + ": message does not say why (" + why + "): " + m);
            }
            if (m.indexOf('\n') >= 0 || m.indexOf('\u0000') >= 0) {
                failures.add(call.getKey() + ": message is not one printable line: " + m);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(before, entries(), "a refused call created or removed something");
    }

    @Test
    void aNullNameIsANullPointerExceptionForEveryMethodAndCreatesNothing() throws IOException {
        TreeSet<String> before = entries();
        for (Map.Entry<String, Executable> call : callsWith(null).entrySet()) {
            assertThrows(NullPointerException.class, call.getValue(), call.getKey());
        }
        assertEquals(before, entries());
    }

    @Test
    void theSemaphoreNameIsCheckedBeforeItsCountsSoABadNameWithBadCountsIsStillANameError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> temp.ns.semaphore("a/b", 5, 1));
        assertTrue(e.getMessage().contains("\"a/b\""), e.getMessage());
    }

    static Stream<Arguments> validEdgeNames() {
        return Stream.of(
                Arguments.of("200 characters", "x".repeat(200)),
                Arguments.of("255 UTF-8 bytes (85 euro signs)", "€".repeat(85)),
                Arguments.of("200 characters of 1-byte and 2-byte UTF-8 within 255 bytes", "é".repeat(55) + "y".repeat(145)),
                Arguments.of("one character", "z"),
                Arguments.of("unicode: Greek, CJK, emoji (a surrogate pair)", "λ-名前-\uD83D\uDE00"),
                Arguments.of("spaces", "  a name with spaces  "),
                Arguments.of("dot inside and at the end", "a.b."),
                Arguments.of("three dots after a letter", "x..."),
                Arguments.of("backslash and quote", "a\\b\"c"),
                Arguments.of("U+0080 (not a C0 control, not DEL)", "a\u0080b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEdgeNames")
    void aValidEdgeNameWorksForEveryMethod(String label, String name) throws Exception {
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 255, label);
        for (String kind : List.of("event", "mutex", "semaphore")) {
            String nm = name; // one kind at a time under the name, unlinked before the next
            try {
                NamedObject created = switch (kind) {
                    case "event" -> temp.ns.event(nm, true, true);
                    case "mutex" -> temp.ns.mutex(nm);
                    default -> temp.ns.semaphore(nm, 2, 3);
                };
                try (created) {
                    assertTrue(created.created(), label + " " + kind);
                    assertEquals(nm, created.name());
                    assertTrue(Files.isRegularFile(temp.dir.resolve(nm)), "the file is named exactly as the object");
                    try (NamedObject again = temp.ns.openExisting(nm, NamedObject.class)) {
                        assertFalse(again.created());
                        assertEquals(kind, again.info().kind());
                    }
                    assertTrue(temp.ns.list().stream().anyMatch(i -> i.name().equals(nm) && i.kind().equals(kind)),
                            "list() shows " + label);
                }
            } finally {
                assertTrue(temp.ns.unlink(nm), "unlink " + label);
            }
            assertFalse(temp.ns.unlink(nm));
            assertFalse(Files.exists(temp.dir.resolve(nm)));
        }
    }
}
