package io.waitkit.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * B8 (BENCHMARKS.md): the numbered message stream that every side of the queue throughput
 * benchmark sends and checks, and the consumer's clock. It is the Java twin of the format and the
 * loop of the C peer ({@code src/main/c/b8_mq_throughput.c}), so that all sides measure the same
 * thing.
 *
 * <p>Message {@code i} (from 0) is {@code size} bytes: {@code i} as a little-endian 64-bit number
 * in its first 8 bytes, every other byte {@code i}'s low byte. The consumer checks every message
 * it takes: its length, its number (the next one expected: nothing lost, nothing duplicated,
 * nothing out of order) and its last byte. The first {@code warmup} messages are not measured;
 * after them the clock is read every {@code sampleMessages} messages, and one sample is that many
 * messages divided by the time between two reads, in messages per microsecond. The result is one
 * line, as the C peer prints it:
 *
 * <pre>B8-RESULT {"peer":"agrona","samples_per_us":[12.5,12.1],"messages":2000000,"capacity":10}</pre>
 */
final class B8Stream {
    /** The prefix of the consumer's result line. */
    static final String RESULT = "B8-RESULT ";

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int size;
    private final long sampleMessages;
    private final long total;
    private final double[] rates;
    private long received;
    private long nextMark;
    private int sample = -1;
    private long start;

    /**
     * A consumer's check and clock.
     *
     * @param size the length of every message
     * @param warmup how many messages come before the first sample
     * @param samples how many samples
     * @param sampleMessages messages per sample
     */
    B8Stream(int size, long warmup, int samples, long sampleMessages) {
        if (size < 8 || warmup < 0 || samples < 1 || sampleMessages < 1) {
            throw new IllegalArgumentException("size >= 8, warmup >= 0, samples >= 1, sampleMessages >= 1");
        }
        this.size = size;
        this.sampleMessages = sampleMessages;
        this.total = warmup + samples * sampleMessages;
        this.rates = new double[samples];
        this.nextMark = warmup;
        mark(); // with no warm-up the first sample starts now
    }

    /** How many messages the producer sends: the warm-up and all samples. */
    static long total(long warmup, int samples, long sampleMessages) {
        return warmup + samples * sampleMessages;
    }

    /**
     * Writes message {@code i} into {@code buf} (all of it).
     *
     * @param buf the message, of the stream's size
     * @param i its number
     */
    static void fill(byte[] buf, long i) {
        Arrays.fill(buf, 8, buf.length, (byte) i);
        LONG.set(buf, 0, i);
    }

    /** The number in a message's first 8 bytes. */
    static long number(byte[] message) {
        return (long) LONG.get(message, 0);
    }

    /**
     * Checks the next message and reads the clock where a sample ends.
     *
     * @param number the number in its first 8 bytes
     * @param length its length
     * @param last its last byte
     * @return true if it was the last message of the stream
     * @throws IllegalStateException if the message is not the one expected
     */
    boolean accept(long number, int length, byte last) {
        if (number != received || length != size || last != (byte) number) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "message %d wrong: %d bytes, number %d, last byte %d", received, length, number, last));
        }
        received++;
        if (received == nextMark) {
            mark();
        }
        return received == total;
    }

    /** Whether every message has come. */
    boolean done() {
        return received == total;
    }

    /** How many messages have come. */
    long received() {
        return received;
    }

    private void mark() {
        if (received != nextMark) {
            return;
        }
        long t = System.nanoTime();
        if (sample >= 0) {
            rates[sample] = sampleMessages * 1000.0 / (t - start);
        }
        sample++;
        start = t;
        nextMark = sample < rates.length ? nextMark + sampleMessages : -1;
    }

    /**
     * The result line of a finished stream.
     *
     * @param peer the side's name
     * @param capacity the queue's capacity in messages
     * @throws IllegalStateException if not all messages have come
     */
    String result(String peer, int capacity) {
        if (!done()) {
            throw new IllegalStateException(received + " of " + total + " messages came");
        }
        StringBuilder sb = new StringBuilder(RESULT).append("{\"peer\":\"").append(peer).append("\",\"samples_per_us\":[");
        for (int i = 0; i < rates.length; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", rates[i]));
        }
        return sb.append("],\"messages\":").append(total).append(",\"capacity\":").append(capacity).append('}').toString();
    }
}
