package io.waitkit.bench;

import io.waitkit.ipc.NamedEvent;
import io.waitkit.ipc.Namespace;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * B7 (BENCHMARKS.md): the two Java processes of the cross-process ping-pong, started by
 * {@link B7Harness} in fresh JVMs (the same JVM flags for every side). One operation is one full
 * round trip: the pinging process signals the echoing process and blocks until it has signalled
 * back.
 *
 * <ul>
 *   <li>{@code event-echo} / {@code event-ping}: two auto-reset {@link NamedEvent}s, {@code ping}
 *       and {@code pong}, in the namespace directory DIR ({@code ping.set(); pong.await()} against
 *       {@code ping.await(); pong.set()}); THREADS {@code platform} runs the loop on the main
 *       thread, {@code virtual} on a virtual thread (in both processes).</li>
 *   <li>{@code socket-echo} / {@code socket-ping}, the socket peer: one byte each way over a
 *       Unix-domain socket ({@link SocketChannel}, blocking mode), the echo side being the server
 *       bound at SOCKET.</li>
 * </ul>
 *
 * <p>The echo process prints {@value #READY} once it waits for the first ping, and then answers
 * until it is killed (by the harness, once the pinging process is done). The pinging process warms
 * up for WARMUP_MS, then takes SAMPLES samples of at least SAMPLE_MS each (the clock is read every
 * {@value #BATCH} round trips) and prints one line, like the C peer
 * ({@code src/main/c/b7_futex_pingpong.c}):
 *
 * <pre>B7-RESULT {"peer":"event-platform","samples_ns":[5120.3,4980.7],"round_trips":1234}</pre>
 *
 * <p>Every wait is bounded: the pinger's by {@link #WAIT_LIMIT}, the echo's by
 * {@link #ECHO_WAIT_LIMIT}, the socket reads (which have no timeout in blocking mode) and the whole
 * process by DEADLINE_S, after which a watchdog halts the JVM with status 3.
 *
 * <p>Usage:
 * <pre>
 * B7PingPong event-echo  DIR platform|virtual DEADLINE_S
 * B7PingPong event-ping  DIR platform|virtual WARMUP_MS SAMPLES SAMPLE_MS DEADLINE_S
 * B7PingPong socket-echo SOCKET DEADLINE_S
 * B7PingPong socket-ping SOCKET WARMUP_MS SAMPLES SAMPLE_MS DEADLINE_S
 * </pre>
 */
public final class B7PingPong {
    /** What an echo process prints once it is ready for the first ping. */
    static final String READY = "B7-READY";
    /** The prefix of the pinging process's result line. */
    static final String RESULT = "B7-RESULT ";
    /** The longest the pinging process waits for one answer. */
    static final Duration WAIT_LIMIT = Duration.ofSeconds(10);
    /** The longest an echo process waits for the next ping (the pinger's JVM starts meanwhile). */
    static final Duration ECHO_WAIT_LIMIT = Duration.ofSeconds(60);
    /** Round trips between two clock reads. */
    static final int BATCH = 16;

    private B7PingPong() {
    }

    /** One round trip. */
    @FunctionalInterface
    interface RoundTrip {
        void run() throws Exception;
    }

    /** A loop that runs on the chosen kind of thread. */
    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    /**
     * Runs one process of the ping-pong.
     *
     * @param args the role and its arguments (see the class comment)
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Throwable e) {
            System.err.println("B7PingPong: FAILED: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private static int run(String[] a) throws Exception {
        String role = a.length > 0 ? a[0] : "";
        switch (role) {
            case "event-echo" -> {
                check(a, 4);
                watchdog(Integer.parseInt(a[3]));
                eventEcho(Path.of(a[1]), a[2]);
            }
            case "event-ping" -> {
                check(a, 7);
                watchdog(Integer.parseInt(a[6]));
                eventPing(Path.of(a[1]), a[2], Long.parseLong(a[3]), Integer.parseInt(a[4]), Long.parseLong(a[5]));
            }
            case "socket-echo" -> {
                check(a, 3);
                watchdog(Integer.parseInt(a[2]));
                socketEcho(Path.of(a[1]));
            }
            case "socket-ping" -> {
                check(a, 6);
                watchdog(Integer.parseInt(a[5]));
                socketPing(Path.of(a[1]), Long.parseLong(a[2]), Integer.parseInt(a[3]), Long.parseLong(a[4]));
            }
            default -> {
                System.err.println("usage: B7PingPong event-echo|event-ping|socket-echo|socket-ping ARGS...");
                return 2;
            }
        }
        return 0;
    }

    private static void check(String[] a, int n) {
        if (a.length != n) {
            throw new IllegalArgumentException(a[0] + " takes " + (n - 1) + " arguments, got " + (a.length - 1));
        }
    }

    /** Halts the JVM with status 3 once the deadline has passed (a hung peer, a wait without timeout). */
    private static void watchdog(int seconds) {
        Thread.ofPlatform().daemon().name("b7-watchdog").start(() -> {
            try {
                Thread.sleep(Duration.ofSeconds(seconds));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("B7PingPong: deadline of " + seconds + " s passed; halting");
            System.err.flush();
            Runtime.getRuntime().halt(3);
        });
    }

    private static void eventEcho(Path dir, String threads) throws Exception {
        Namespace ns = Namespace.open(dir);
        NamedEvent ping = ns.event("ping", false, false);
        NamedEvent pong = ns.event("pong", false, false);
        try {
            on(threads, "b7-event-echo", () -> {
                System.out.println(READY);
                System.out.flush();
                for (;;) {
                    if (!ping.await(ECHO_WAIT_LIMIT)) {
                        throw new IllegalStateException("no ping within " + ECHO_WAIT_LIMIT.toSeconds() + " s");
                    }
                    pong.set();
                }
            });
        } finally {
            ping.close();
            pong.close();
        }
    }

    private static void eventPing(Path dir, String threads, long warmupMillis, int samples, long sampleMillis)
            throws Exception {
        Namespace ns = Namespace.open(dir);
        NamedEvent ping = ns.event("ping", false, false);
        NamedEvent pong = ns.event("pong", false, false);
        try {
            on(threads, "b7-event-ping", () -> {
                RoundTrip rt = () -> {
                    ping.set();
                    if (!pong.await(WAIT_LIMIT)) {
                        throw new IllegalStateException("no pong within " + WAIT_LIMIT.toSeconds() + " s");
                    }
                };
                report("event-" + threads, measure(rt, warmupMillis, samples, sampleMillis));
            });
        } finally {
            ping.close();
            pong.close();
        }
    }

    private static void socketEcho(Path socket) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            System.out.println(READY);
            System.out.flush();
            try (SocketChannel ch = server.accept()) {
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                for (;;) {
                    b.clear();
                    if (ch.read(b) < 0) {
                        return; // the pinger closed its end
                    }
                    b.flip();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
            }
        }
    }

    private static void socketPing(Path socket, long warmupMillis, int samples, long sampleMillis) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.allocateDirect(1);
            RoundTrip rt = () -> {
                b.clear();
                b.put((byte) 1).flip();
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                b.clear();
                while (b.position() == 0) {
                    if (ch.read(b) < 0) {
                        throw new IllegalStateException("the echo process closed the socket");
                    }
                }
            };
            report("socket", measure(rt, warmupMillis, samples, sampleMillis));
        }
    }

    /** Runs the body on the main thread ({@code platform}) or on one virtual thread ({@code virtual}). */
    private static void on(String threads, String name, Body body) throws Exception {
        switch (threads) {
            case "platform" -> body.run();
            case "virtual" -> {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread t = Thread.ofVirtual().name(name).start(() -> {
                    try {
                        body.run();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                t.join();
                Throwable e = failure.get();
                if (e instanceof Exception x) {
                    throw x;
                }
                if (e != null) {
                    throw new IllegalStateException(e);
                }
            }
            default -> throw new IllegalArgumentException("threads: platform or virtual, not " + threads);
        }
    }

    /**
     * Warms up, then measures.
     *
     * @param rt one round trip
     * @param warmupMillis how long to warm up
     * @param samples how many samples
     * @param sampleMillis the least length of one sample
     * @return nanoseconds per round trip of each sample, and the number of measured round trips last
     */
    static double[] measure(RoundTrip rt, long warmupMillis, int samples, long sampleMillis) throws Exception {
        long[] n = new long[2];
        runFor(rt, warmupMillis * 1_000_000, n);
        double[] out = new double[samples + 1];
        long total = 0;
        for (int i = 0; i < samples; i++) {
            runFor(rt, sampleMillis * 1_000_000, n);
            out[i] = (double) n[1] / n[0];
            total += n[0];
        }
        out[samples] = total;
        return out;
    }

    /** Runs round trips for at least {@code nanos}: {@code out[0]} = how many, {@code out[1]} = the exact time. */
    private static void runFor(RoundTrip rt, long nanos, long[] out) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        long t;
        do {
            for (int i = 0; i < BATCH; i++) {
                rt.run();
            }
            count += BATCH;
            t = System.nanoTime();
        } while (t - start < nanos);
        out[0] = count;
        out[1] = t - start;
    }

    private static void report(String peer, double[] m) {
        StringBuilder sb = new StringBuilder(RESULT).append("{\"peer\":\"").append(peer).append("\",\"samples_ns\":[");
        for (int i = 0; i < m.length - 1; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", m[i]));
        }
        sb.append("],\"round_trips\":").append((long) m[m.length - 1]).append('}');
        System.out.println(sb);
        System.out.flush();
    }
}
