package io.waitkit.cli.demo;

import io.waitkit.ChangeMatch;
import io.waitkit.Counter;
import io.waitkit.Exchange;
import io.waitkit.Wait;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Request/reply over an {@link Exchange}: a few server threads answer a crowd of client virtual
 * threads, some of them impatient (a call timeout of a few milliseconds, shorter than the queue
 * ahead of them). A server waits with {@code Wait.any(exchange.acceptOp(), clientsDone)}, where
 * {@code clientsDone} is a {@link Counter#when} operation on the number of clients finished: lowest
 * index first, servers leave only once no request is pending and every client is done.
 *
 * <p>A client that gives up is detached: if a server already took its request, that server's
 * {@code reply} returns {@code false}. Checks, per request: accepted at most once; the client got
 * a reply exactly when the server's {@code reply} returned {@code true}, and it was the answer to
 * its own request; a client that timed out got nothing, and its request was either never accepted
 * or answered with {@code reply() == false}; every patient client got its answer; nothing pending
 * at the end.
 */
final class RequestReply extends DemoPart {
    private static final int SERVERS = 4;
    private static final int CLIENTS = 2_000;
    /** One client in this many is impatient. */
    private static final int IMPATIENT_EVERY = 4;
    private static final Duration PATIENT = DemoSettings.GRACE;
    /** Average server work per request, in microseconds. */
    private static final int WORK_MICROS = 150;

    // per request
    private static final int NOT_ACCEPTED = 0;
    private static final int DELIVERED = 1;   // reply() returned true
    private static final int TOO_LATE = 2;    // reply() returned false
    private static final int GOT_REPLY = 1;
    private static final int TIMED_OUT = 2;
    private static final int WRONG_REPLY = 3;

    RequestReply() {
        super("request/reply", "Exchange: " + SERVERS + " servers, " + Out.n(CLIENTS) + " client virtual threads, 1 in "
                + IMPATIENT_EVERY + " impatient");
    }

    @Override
    void run(DemoSettings settings, Out out, PartResult result) throws Exception {
        Exchange<Integer, Long> exchange = new Exchange<>();
        Counter finished = new Counter(0);
        AtomicIntegerArray accepted = new AtomicIntegerArray(CLIENTS);   // times accepted
        AtomicIntegerArray serverSide = new AtomicIntegerArray(CLIENTS); // NOT_ACCEPTED, DELIVERED, TOO_LATE
        AtomicIntegerArray clientSide = new AtomicIntegerArray(CLIENTS); // GOT_REPLY, TIMED_OUT, WRONG_REPLY
        AtomicLong replied = new AtomicLong();
        AtomicLong timedOut = new AtomicLong();
        long seed = ThreadLocalRandom.current().nextLong();
        out.line("  clients: exchange.call(id, timeout), timeout " + Out.secs(PATIENT.toNanos()) + ", or 1-5 ms for 1 in "
                + IMPATIENT_EVERY);
        out.line("  servers: Wait.any(exchange.acceptOp(), finished.when(atLeast(" + Out.n(CLIENTS) + "))), work, then"
                + " request.reply(answer)");

        Workers servers = new Workers("server");
        Workers clients = new Workers("client");
        long start = System.nanoTime();
        for (int s = 0; s < SERVERS; s++) {
            SplittableRandom random = new SplittableRandom(seed + s);
            servers.start(Integer.toString(s), () -> {
                Exchange.Accept<Integer, Long> accept = exchange.acceptOp();
                Counter.Watch allFinished = finished.when(ChangeMatch.atLeast(CLIENTS));
                while (Wait.any(accept, allFinished) == 0) {
                    Exchange.Request<Integer, Long> request = accept.request();
                    int id = request.payload();
                    accepted.incrementAndGet(id);
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(2 * WORK_MICROS)));
                    serverSide.set(id, request.reply(answer(id)) ? DELIVERED : TOO_LATE);
                }
            });
        }
        SplittableRandom random = new SplittableRandom(seed + 100);
        for (int c = 0; c < CLIENTS; c++) {
            int id = c;
            Duration timeout = c % IMPATIENT_EVERY == 0 ? Duration.ofMillis(1 + random.nextInt(5)) : PATIENT;
            clients.startVirtual(Integer.toString(c), () -> {
                try {
                    Long reply = exchange.call(id, timeout);
                    if (reply == null) {
                        clientSide.set(id, TIMED_OUT);
                        timedOut.incrementAndGet();
                    } else {
                        clientSide.set(id, reply == answer(id) ? GOT_REPLY : WRONG_REPLY);
                        replied.incrementAndGet();
                    }
                } finally {
                    finished.increment();
                }
            });
        }
        while (finished.await(ChangeMatch.atLeast(CLIENTS), TICK) == null
                && System.nanoTime() - start < DemoSettings.GRACE.toNanos()) {
            out.progress("  " + Out.secs(System.nanoTime() - start) + "  clients finished " + Out.n(finished.get())
                    + " of " + Out.n(CLIENTS) + ": " + Out.n(replied.get()) + " replied, " + Out.n(timedOut.get())
                    + " timed out; " + exchange.pendingRequests() + " pending");
        }
        boolean clientsJoined = clients.join(DemoSettings.GRACE);
        boolean serversJoined = servers.join(DemoSettings.GRACE);
        long elapsed = System.nanoTime() - start;
        out.progress("  " + Out.secs(elapsed) + "  clients finished " + Out.n(finished.get()) + " of " + Out.n(CLIENTS)
                + ": " + Out.n(replied.get()) + " replied, " + Out.n(timedOut.get()) + " timed out; servers left");

        result.checkWorkers(clients, clientsJoined);
        result.checkWorkers(servers, serversJoined);
        long twice = 0;
        long mismatched = 0;
        long wrong = 0;
        long patientWithout = 0;
        long delivered = 0;
        long tooLate = 0;
        long withdrawn = 0;
        for (int id = 0; id < CLIENTS; id++) {
            int times = accepted.get(id);
            int server = serverSide.get(id);
            int client = clientSide.get(id);
            twice += times > 1 ? 1 : 0;
            wrong += client == WRONG_REPLY ? 1 : 0;
            boolean consistent = switch (client) {
                case GOT_REPLY -> times == 1 && server == DELIVERED;
                case TIMED_OUT -> times == 0 ? server == NOT_ACCEPTED : server == TOO_LATE;
                default -> false;
            };
            mismatched += consistent ? 0 : 1;
            patientWithout += id % IMPATIENT_EVERY != 0 && client != GOT_REPLY ? 1 : 0;
            delivered += server == DELIVERED ? 1 : 0;
            tooLate += server == TOO_LATE ? 1 : 0;
            withdrawn += client == TIMED_OUT && times == 0 ? 1 : 0;
        }
        result.check(twice == 0 && wrong == 0, "every request accepted at most once, every reply the answer to its own"
                + " request" + (twice + wrong == 0 ? "" : " (" + twice + " accepted twice, " + wrong + " wrong replies)"));
        result.check(mismatched == 0, "client and server agree: " + Out.n(replied.get()) + " replies = " + Out.n(delivered)
                + " reply() true; " + Out.n(timedOut.get()) + " timeouts = " + Out.n(tooLate) + " reply() false + "
                + Out.n(withdrawn) + " unaccepted" + (mismatched == 0 ? "" : " (" + Out.n(mismatched) + " requests disagree)"));
        result.check(patientWithout == 0 && replied.get() + timedOut.get() == CLIENTS,
                "every patient client got its answer; impatient ones gave up or were served in time"
                        + (patientWithout == 0 ? "" : " (" + Out.n(patientWithout) + " patient clients without)"));
        result.check(exchange.pendingRequests() == 0 && finished.get() == CLIENTS, "afterwards nothing pending; the"
                + " servers left through finished.when(atLeast(" + Out.n(CLIENTS) + "))");
        result.summary(Out.n(CLIENTS) + " calls in " + Out.secs(elapsed) + ": " + Out.n(delivered) + " answered, "
                + Out.n(tooLate) + " too late (reply() false), " + Out.n(withdrawn) + " withdrawn");
    }

    private static long answer(int id) {
        return id * 31L + 7;
    }
}
