package io.waitkit.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shared sections, and the listing and opening rules of the kinds added with them. */
class SharedSectionTest {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    @Test
    void aNewSectionIsZeroedSixtyFourByteAlignedAndSharedByEveryHandle() throws Exception {
        String name = TempNamespace.fresh("sec");
        try (SharedSection a = temp.ns.section(name, 10_000); SharedSection b = temp.ns.openExisting(name, SharedSection.class)) {
            assertTrue(a.created());
            assertFalse(b.created());
            assertEquals(10_000, b.size());
            MemorySegment m = a.segment();
            for (long i = 0; i < m.byteSize(); i++) {
                if (m.get(ValueLayout.JAVA_BYTE, i) != 0) {
                    throw new AssertionError("byte " + i + " of a new section is not zero");
                }
            }
            assertEquals(0, m.address() % 64, "64-byte aligned");
            m.set(ValueLayout.JAVA_LONG, 8, 0x1234_5678_9ABCL);
            assertEquals(0x1234_5678_9ABCL, b.segment().get(ValueLayout.JAVA_LONG, 8));
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(ValueLayout.JAVA_BYTE, 10_000), "no access past the size");
        }
    }

    @Test
    void reopeningWithAnotherSizeOpensTheSectionAsItIsAndSizeReportsTheRealOne() throws Exception {
        String name = TempNamespace.fresh("sec");
        try (SharedSection a = temp.ns.section(name, 128); SharedSection b = temp.ns.section(name, 1 << 20)) {
            assertFalse(b.created());
            assertEquals(128, b.size());
            assertEquals(128, b.segment().byteSize());
        }
    }

    @Test
    void badSizesAreRefusedWithTheReason() {
        for (long bad : List.of(0L, -1L, (1L << 36) + 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> temp.ns.section(TempNamespace.fresh("sec"), bad));
            assertTrue(e.getMessage().contains(Long.toString(bad)), e.getMessage());
        }
    }

    @Test
    void theSegmentOfTheLastClosedHandleThrowsInsteadOfCrashingAndOtherHandlesKeepWorking() throws Exception {
        String name = TempNamespace.fresh("sec");
        SharedSection a = temp.ns.section(name, 64);
        SharedSection b = temp.ns.openExisting(name, SharedSection.class);
        MemorySegment seg = a.segment();
        a.close();
        assertThrows(IllegalStateException.class, a::segment);
        assertThrows(IllegalStateException.class, a::size);
        seg.set(ValueLayout.JAVA_INT, 0, 7); // b still maps the file
        assertEquals(7, b.segment().get(ValueLayout.JAVA_INT, 0));
        b.close();
        assertThrows(IllegalStateException.class, () -> seg.get(ValueLayout.JAVA_INT, 0), "unmapped: an exception, not a crash");
    }

    @Test
    void listingShowsEveryNewKindWithItsStateAndOpenExistingReturnsItsHandleType() throws Exception {
        String q = TempNamespace.fresh("k-queue");
        String p = TempNamespace.fresh("k-pipe");
        String s = TempNamespace.fresh("k-sec");
        try (NamedMessageQueue mq = temp.ns.messageQueue(q, 5, 16); NamedPipe pipe = temp.ns.pipe(p, 100);
                SharedSection sec = temp.ns.section(s, 300)) {
            mq.send(new byte[3], 1);
            try (var out = pipe.openWriter()) {
                out.write(new byte[7]);
            }
            List<NamedObjectInfo> all = temp.ns.list();
            NamedObjectInfo qi = all.stream().filter(i -> i.name().equals(q)).findFirst().orElseThrow();
            NamedObjectInfo pi = all.stream().filter(i -> i.name().equals(p)).findFirst().orElseThrow();
            NamedObjectInfo si = all.stream().filter(i -> i.name().equals(s)).findFirst().orElseThrow();
            assertEquals("message-queue", qi.kind());
            assertEquals("1/5 messages", qi.state());
            assertEquals("pipe", pi.kind());
            assertEquals("7/100 bytes, EOF", pi.state(), "the only writer closed");
            assertEquals("section", si.kind());
            assertEquals("300 bytes", si.state());
            assertTrue(qi.openers() >= 1);
            assertEquals(qi, mq.info());
            assertInstanceOf(NamedMessageQueue.class, temp.ns.openExisting(q, NamedObject.class));
            assertInstanceOf(NamedPipe.class, temp.ns.openExisting(p, NamedObject.class));
            assertInstanceOf(SharedSection.class, temp.ns.openExisting(s, NamedObject.class));
            WrongKindException w = assertThrows(WrongKindException.class, () -> temp.ns.openExisting(q, NamedPipe.class));
            assertTrue(w.getMessage().contains("message-queue") && w.getMessage().contains("pipe"), w.getMessage());
            assertThrows(WrongKindException.class, () -> temp.ns.section(p, 10));
            assertThrows(WrongKindException.class, () -> temp.ns.messageQueue(s, 1, 1));
            assertThrows(NoSuchFileException.class, () -> temp.ns.openExisting(TempNamespace.fresh("absent"), SharedSection.class));
        }
    }

    @Test
    void aPipeEndUsedAfterCloseThrowsAndTheHandleClosingLeavesTheStreamsWorking() throws Exception {
        try (NamedPipe p = temp.ns.pipe(TempNamespace.fresh("pipe"), 16)) {
            var in = p.openReader();
            var out = p.openWriter();
            p.close();
            assertThrows(IllegalStateException.class, p::openReader, "the handle is closed");
            out.write(5);
            assertEquals(5, in.read(), "the streams keep their own reference to the pipe");
            out.close();
            out.close();
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> out.write(1));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertEquals(-1, in.read());
            in.close();
            assertThrows(java.io.IOException.class, in::read);
        }
    }
}
