package io.waitkit.bench;

import java.nio.file.Path;

/** TEMPORARY STUB until NamedMessageQueue lands. */
final class B8WaitkitPeer {
    private B8WaitkitPeer() {
    }

    static void consume(Path dir, int capacity, int size, long warmup, int samples, long sampleMessages, String ready) {
        throw new UnsupportedOperationException("NamedMessageQueue has not landed");
    }

    static void produce(Path dir, int capacity, int size, long total) {
        throw new UnsupportedOperationException("NamedMessageQueue has not landed");
    }
}
