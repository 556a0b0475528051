package io.waitkit.bench;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/*
 * B8's Agrona peer: a single-producer single-consumer ring buffer of Agrona (OneToOneRingBuffer)
 * over a file that both processes map (MAP_SHARED through FileChannel.map), each side waiting
 * with Agrona's usual idle strategy, BackoffIdleStrategy with its defaults (spin, then yield, then
 * park with a period doubling from 1 us to 1 ms) whenever it could not make progress.
 *
 * The ring buffer's size is in bytes and a power of two, so it cannot hold exactly CAPACITY
 * records of 64 bytes (72 with Agrona's record header). To give it the same capacity as the other
 * sides the producer keeps at most CAPACITY messages in flight: the consumer publishes how many
 * messages it has taken (a release store after each batch it reads) in a cache line of its own
 * after the ring buffer, and the producer reads that count only when its cached copy says the
 * queue is full (as the ring buffer itself caches the consumer's position). The ring buffer is
 * made large enough for CAPACITY records plus one padding record at the wrap-around, so it never
 * refuses a write that this bound admits.
 *
 * File layout: [ring buffer: 2^k bytes + Agrona's trailer][128 bytes: the consumer's count at 0].
 */

/**
 * B8 (BENCHMARKS.md), the peer on Agrona: the producer and the consumer process of a
 * {@link OneToOneRingBuffer} over a mapped file, started by {@link B8Harness} through
 * {@link B8Peers}.
 */
final class B8AgronaPeer {
    /** The message type id of every record. */
    private static final int TYPE = 1;
    /** The space after the ring buffer for the consumer's count (two cache lines). */
    private static final int COUNT_AREA = 128;

    private B8AgronaPeer() {
    }

    /** What the rows say about this peer's waiting. */
    static final String IDLE = "BackoffIdleStrategy with Agrona's defaults (" + BackoffIdleStrategy.DEFAULT_MAX_SPINS
            + " spins, " + BackoffIdleStrategy.DEFAULT_MAX_YIELDS + " yields, park "
            + BackoffIdleStrategy.DEFAULT_MIN_PARK_PERIOD_NS / 1000 + " us doubling to "
            + BackoffIdleStrategy.DEFAULT_MAX_PARK_PERIOD_NS / 1_000_000 + " ms)";

    /** The ring buffer's size in bytes (without the trailer) for the capacity and message size. */
    static int ringBytes(int capacity, int size) {
        int record = align(RecordDescriptor.HEADER_LENGTH + size, RecordDescriptor.ALIGNMENT);
        long need = Math.max((long) (capacity + 1) * record, 8L * size); // a message is at most 1/8 of the ring
        if (need > 1 << 30) {
            throw new IllegalArgumentException("too large: " + capacity + " messages of " + size + " bytes");
        }
        return Integer.highestOneBit((int) need - 1) << 1;
    }

    private static int align(int n, int alignment) {
        return (n + alignment - 1) & -alignment;
    }

    private record Mapping(OneToOneRingBuffer ring, UnsafeBuffer count) {
    }

    private static Mapping map(Path file, int capacity, int size, boolean create) throws IOException {
        int ring = ringBytes(capacity, size) + RingBufferDescriptor.TRAILER_LENGTH;
        MappedByteBuffer m;
        try (FileChannel ch = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (!create && ch.size() != ring + COUNT_AREA) {
                throw new IllegalStateException(file + " has " + ch.size() + " bytes, expected " + (ring + COUNT_AREA));
            }
            m = ch.map(FileChannel.MapMode.READ_WRITE, 0, ring + COUNT_AREA); // a new file's mapping reads zeros
        }
        return new Mapping(new OneToOneRingBuffer(new UnsafeBuffer(m, 0, ring)), new UnsafeBuffer(m, ring, COUNT_AREA));
    }

    /**
     * The consumer: creates the file, prints {@code ready}, takes and checks every message, and
     * prints the result line.
     */
    static void consume(Path file, int capacity, int size, long warmup, int samples, long sampleMessages, String ready)
            throws IOException {
        Mapping m = map(file, capacity, size, true);
        B8Stream stream = new B8Stream(size, warmup, samples, sampleMessages);
        MessageHandler handler = (int type, MutableDirectBuffer buf, int index, int length) -> {
            if (type != TYPE) {
                throw new IllegalStateException("record of type " + type + " after " + stream.received() + " messages");
            }
            stream.accept(buf.getLong(index, ByteOrder.LITTLE_ENDIAN), length, buf.getByte(index + length - 1));
        };
        IdleStrategy idle = new BackoffIdleStrategy();
        System.out.println(ready);
        System.out.flush();
        while (!stream.done()) {
            if (m.ring().read(handler) > 0) {
                m.count().putLongRelease(0, stream.received());
                idle.reset();
            } else {
                idle.idle();
            }
        }
        System.out.println(stream.result(B8Harness.Side.AGRONA.id, capacity));
    }

    /** The producer: opens the consumer's file and sends the stream. */
    static void produce(Path file, int capacity, int size, long total) throws IOException {
        Mapping m = map(file, capacity, size, false);
        byte[] msg = new byte[size];
        UnsafeBuffer src = new UnsafeBuffer(msg);
        IdleStrategy idle = new BackoffIdleStrategy();
        long taken = 0; // the consumer's count as last read
        for (long i = 0; i < total; i++) {
            B8Stream.fill(msg, i);
            while (i - taken >= capacity) {
                taken = m.count().getLongAcquire(0);
                if (i - taken >= capacity) {
                    idle.idle();
                }
            }
            while (!m.ring().write(TYPE, src, 0, size)) {
                idle.idle(); // not reached while the bound above holds: the ring has room for one more
            }
            idle.reset();
        }
    }
}
