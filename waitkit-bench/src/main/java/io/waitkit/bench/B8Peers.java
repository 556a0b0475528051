package io.waitkit.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * B8 (BENCHMARKS.md): the main class of the Java processes of the queue throughput benchmark,
 * started by {@link B8Harness} in fresh JVMs (the same JVM flags for every side): the consumer
 * first, which creates the queue and prints {@value #READY}, then the producer. The consumer takes
 * and checks the whole stream ({@link B8Stream}) and prints the result line; the producer sends it
 * and ends.
 *
 * <ul>
 *   <li>{@code waitkit-consumer} / {@code waitkit-producer}: a {@code NamedMessageQueue} in the
 *       namespace directory DIR ({@link B8WaitkitPeer}).</li>
 *   <li>{@code agrona-consumer} / {@code agrona-producer}: Agrona's {@code OneToOneRingBuffer}
 *       over the file FILE ({@link B8AgronaPeer}).</li>
 * </ul>
 *
 * <p>Every process is bounded by DEADLINE_S, after which a watchdog halts the JVM with status 3
 * (the queue operations themselves block without a timeout, as {@code mq_send} and
 * {@code mq_receive} do in the C peer).
 *
 * <p>Usage:
 * <pre>
 * B8Peers waitkit-consumer|agrona-consumer DIR|FILE CAPACITY SIZE WARMUP SAMPLES SAMPLE_MSGS DEADLINE_S
 * B8Peers waitkit-producer|agrona-producer DIR|FILE CAPACITY SIZE TOTAL DEADLINE_S
 * </pre>
 */
public final class B8Peers {
    /** What a consumer process prints once its queue exists and it is about to receive. */
    static final String READY = "B8-READY";

    private B8Peers() {
    }

    /**
     * Runs one process.
     *
     * @param args the role and its arguments (see the class comment)
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Throwable e) {
            System.err.println("B8Peers: FAILED: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private static int run(String[] a) throws Exception {
        String role = a.length > 0 ? a[0] : "";
        switch (role) {
            case "waitkit-consumer", "agrona-consumer" -> {
                check(a, 8);
                watchdog(Integer.parseInt(a[7]));
                Path p = Path.of(a[1]);
                int capacity = Integer.parseInt(a[2]);
                int size = Integer.parseInt(a[3]);
                long warmup = Long.parseLong(a[4]);
                int samples = Integer.parseInt(a[5]);
                long sample = Long.parseLong(a[6]);
                if (role.startsWith("waitkit")) {
                    B8WaitkitPeer.consume(p, capacity, size, warmup, samples, sample, READY);
                } else {
                    B8AgronaPeer.consume(p, capacity, size, warmup, samples, sample, READY);
                }
            }
            case "waitkit-producer", "agrona-producer" -> {
                check(a, 6);
                watchdog(Integer.parseInt(a[5]));
                Path p = Path.of(a[1]);
                int capacity = Integer.parseInt(a[2]);
                int size = Integer.parseInt(a[3]);
                long total = Long.parseLong(a[4]);
                if (role.startsWith("waitkit")) {
                    B8WaitkitPeer.produce(p, capacity, size, total);
                } else {
                    B8AgronaPeer.produce(p, capacity, size, total);
                }
            }
            default -> {
                System.err.println("usage: B8Peers waitkit-consumer|waitkit-producer|agrona-consumer|agrona-producer ARGS...");
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
        Thread.ofPlatform().daemon().name("b8-watchdog").start(() -> {
            try {
                Thread.sleep(Duration.ofSeconds(seconds));
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("B8Peers: deadline of " + seconds + " s passed; halting");
            System.err.flush();
            Runtime.getRuntime().halt(3);
        });
    }
}
