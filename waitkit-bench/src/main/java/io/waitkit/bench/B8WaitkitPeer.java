package io.waitkit.bench;

import io.waitkit.MessageQueue;
import io.waitkit.ipc.NamedMessageQueue;
import io.waitkit.ipc.Namespace;
import java.io.IOException;
import java.nio.file.Path;

/*
 * B8's waitkit side: a NamedMessageQueue (CAPACITY messages of at most SIZE bytes) in a
 * namespace directory that both processes open, the producer blocking in send while the queue is
 * full and the consumer blocking in receive while it is empty, both on the main (platform) thread,
 * every message of priority 0. The consumer creates the queue before it says it is ready; the
 * producer opens the same name. The process watchdog of B8Peers bounds both waits.
 */

/**
 * B8 (BENCHMARKS.md), the waitkit side: the producer and the consumer process of a
 * {@link NamedMessageQueue}, started by {@link B8Harness} through {@link B8Peers}.
 */
final class B8WaitkitPeer {
    /** The queue's name in the namespace. */
    static final String NAME = "b8";

    private B8WaitkitPeer() {
    }

    /**
     * The consumer: opens the namespace, creates the queue, prints {@code ready}, receives and
     * checks every message, and prints the result line.
     */
    static void consume(Path dir, int capacity, int size, long warmup, int samples, long sampleMessages, String ready)
            throws IOException, InterruptedException {
        Namespace ns = Namespace.open(dir);
        NamedMessageQueue q = ns.messageQueue(NAME, capacity, size);
        try {
            B8Stream stream = new B8Stream(size, warmup, samples, sampleMessages);
            System.out.println(ready);
            System.out.flush();
            while (!stream.done()) {
                MessageQueue.Message m = q.receive();
                if (m.priority() != 0) {
                    throw new IllegalStateException("priority " + m.priority() + " after " + stream.received()
                            + " messages");
                }
                byte[] d = m.data();
                stream.accept(B8Stream.number(d), d.length, d[d.length - 1]);
            }
            System.out.println(stream.result(B8Harness.Side.WAITKIT.id, capacity));
        } finally {
            q.close();
        }
    }

    /** The producer: opens the consumer's queue and sends the stream. */
    static void produce(Path dir, int capacity, int size, long total) throws IOException, InterruptedException {
        Namespace ns = Namespace.open(dir);
        NamedMessageQueue q = ns.messageQueue(NAME, capacity, size);
        try {
            byte[] msg = new byte[size];
            for (long i = 0; i < total; i++) {
                B8Stream.fill(msg, i); // send copies it, so the array is reused
                q.send(msg, 0);
            }
        } finally {
            q.close();
        }
    }
}
